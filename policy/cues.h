/*
 * cues.h: the cues (features) of a message that the learned weights read.
 *
 * Computed once per message, only when a rule that weighs cues has
 * passed its own gate (who writes to whom), and shared by every rule:
 *
 *   per sentence of the sender's new text (and the subject):
 *     w:STEM       each word, stemmed (Snowball's English stemmer), so
 *                  that inflections share one weight
 *     b:STEM_STEM  each pair of neighbouring words; ^ marks the start
 *     o:STEM       each word of a sentence about an officer: one that
 *                  names one (name, job title, "officers", or a
 *                  capitalised first name that only one officer and no
 *                  member has), says "you" while an officer is addressed,
 *                  or follows such a sentence with a pronoun (he, she,
 *                  his, they ...)
 *     m:STEM       each word of a sentence that names a member other
 *                  than the sender ("Cllr", "Councillor", or a member's
 *                  name from the directory), or says "you" while only
 *                  members are addressed
 *     cue:NAME     officer, officer-first-name, officer-pronoun, you,
 *                  member, you-member, question, exclaim,
 *                  quote (scare quotes), vocative (a term of endearment
 *                  closing the sentence: "Sit down, dear."), and
 *                  hit:LIST for the word lists
 *     val:BAND     the sentence's valence (valence.h; neg2, neg, pos,
 *                  pos2), negations turning a word's sign; o:val:BAND
 *                  when the sentence is about an officer, m:val:BAND
 *                  when it names a member
 *   for the whole message:
 *     role:ROLE, aud:members, aud:media, aud:external, to:officer,
 *     from:personal, att:any
 *
 * Cue names are plain text so that the weights file stays readable; the
 * engine works on 64-bit hashes of them, and makes names only for the
 * trainer's dump (council-check --cues).
 */
#ifndef CM_CUES_H
#define CM_CUES_H

#include <glib.h>

#include "keymap.h"
#include "rules.h"

typedef struct _CmCues {
  gboolean built;
  gboolean want_names;   /* keep each cue's name (the trainer's dump) */
  /* When judging, a cue that the model has no weight for adds nothing to
   * any score, so only the cues ONLY weighs are kept (NULL: every cue). */
  const struct _CmModel *only;
  CmKeyMap by_hash;      /* cue hash -> its index + 1 */
  /* Each distinct cue of the message once, N_CUES of them, in plain
   * arrays that grow by doubling: the cues of a message are hundreds,
   * and a GArray append was a call and a copy for each. */
  guint64 *hashes;
  guint *marks;          /* per cue: the list (a sentence's number + 1) that last took it */
  guint n_cues, cues_size;
  GPtrArray *names;      /* char *: their names, when WANT_NAMES */
  /* Lists of cue indices, one after another: the message-level cues',
   * then one list per view sentence (each cue once in it). */
  guint *ids;
  gsize n_ids, ids_size;
  guint *ends;           /* where each list ends in IDS, N_LISTS of them (made
                            for every list at once: the lists are the message's
                            and one a sentence) */
  guint n_lists;
  GPtrArray *gated;      /* const char *: rules whose gate passed, in order */
  gconstpointer weights_of; /* the model WEIGHTS below were looked up in (ONLY, from the start) */
  const double **weights; /* per cue (a weight per rule; sized as HASHES), or NULL */
} CmCues;

/* Cues for judging with the model ONLY (the cues it weighs), or for the
 * trainer (ONLY NULL: every cue, with their names if WANT_NAMES). */
CmCues *cm_cues_new (gboolean want_names, const struct _CmModel *only);
void cm_cues_free (CmCues *cues);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CmCues, cm_cues_free)

/* List N of CUES (0: the message-level cues; S + 1: view sentence S), its
 * length in *LENGTH. */
static inline const guint *
cm_cues_list (const CmCues *cues, guint n, guint *length)
{
  guint start = n ? cues->ends[n - 1] : 0;
  *length = cues->ends[n] - start;
  return cues->ids + start;
}

/* The cues of CONTEXT's message, built on first use. */
const CmCues *cm_cues_of (const CmRuleContext *context);

/* The hash that stands for the cue PREFIX NAME (and _SECOND, for a word
 * pair), as the message's cues and the weights file both compute it. */
guint64 cm_cue_hash (const char *prefix, const char *name, const char *second);
/* The hash of a cue written out ("b:his_depth"), or 0 if it is not one. */
guint64 cm_cue_hash_of_name (const char *cue);

/* The cues as JSON: {"gated": [...], "message": [...], "sentences": [[...]]};
 * their names only when built with WANT_NAMES. */
char *cm_cues_to_json (const CmCues *cues);

#endif
