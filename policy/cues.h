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
 *                  names one (name, job title, "officers"), says "you"
 *                  while an officer is addressed, or follows such a
 *                  sentence with a pronoun (he, she, his, they ...)
 *     cue:NAME     officer, officer-pronoun, you, question, exclaim,
 *                  quote (scare quotes), and hit:LIST for the word lists
 *   for the whole message:
 *     role:ROLE, aud:members, aud:media, aud:external, to:officer,
 *     from:personal, att:any
 *
 * Feature names are plain text so that the weights file stays readable.
 */
#ifndef CM_CUES_H
#define CM_CUES_H

#include <glib.h>

#include "rules.h"

typedef struct _CmCues {
  gboolean built;
  GPtrArray *names;      /* char *: each distinct cue of the message once */
  GHashTable *ids;       /* name -> its index in NAMES + 1 */
  GArray *message;       /* guint: ids of the message-level cues */
  GPtrArray *sentences;  /* GArray * of guint ids, one per view sentence, each id once */
  GPtrArray *gated;      /* const char *: rules whose gate passed, in order */
  GArray *last_sentence; /* guint per id: the sentence that last added it + 1 (building only) */
  gconstpointer weights_of; /* the model WEIGHTS below were looked up in */
  GPtrArray *weights;    /* const double * per id (a weight per rule), or NULL */
} CmCues;

CmCues *cm_cues_new (void);
void cm_cues_free (CmCues *cues);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CmCues, cm_cues_free)

/* The cues of CONTEXT's message, built on first use. */
const CmCues *cm_cues_of (const CmRuleContext *context);

/* The cues as JSON: {"gated": [...], "message": [...], "sentences": [[...]]}. */
char *cm_cues_to_json (const CmCues *cues);

#endif
