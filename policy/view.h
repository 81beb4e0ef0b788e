/*
 * view.h: the message view, what the rules read.
 *
 * message.c builds it from the envelope and the GMime parse: who takes
 * part and in which role, the sender's own new text (apart from quoted
 * history and the signature) as sentences, and the attachments.
 */
#ifndef CM_VIEW_H
#define CM_VIEW_H

#include <glib.h>

#include "policy.h"
#include "directory.h"
#include "words.h"
#include "lexicon.h"
#include "caps.h"

typedef struct {
  char *address;          /* lower case */
  char *display_name;     /* decoded, or NULL */
  CmRole role;
  const CmPerson *person; /* in the directory, or NULL */
  gboolean media;         /* in a media domain */
  guint lists;            /* CM_IN_ bits: the lists it is on (each list holds it once) */
  const CmList *list;     /* a distribution list's address: never on the lists above,
                             its people are, each with VIA set */
  const CmList *via;      /* reached only through this distribution list, or NULL */
} CmParticipant;

/* The lists of a view a participant is on. */
enum {
  CM_IN_FROM = 1 << 0,
  CM_IN_SENDER = 1 << 1,
  CM_IN_TO = 1 << 2,
  CM_IN_CC = 1 << 3,
  CM_IN_BCC = 1 << 4,
  CM_IN_RECIPIENTS = 1 << 5,
};

/* The officers a sentence refers to (rules/refs.c), kept from the first
 * time they are looked for: the cues and the rules ask about the same
 * sentences, and each look is three word lists tried at every word. */
typedef struct {
  gboolean known;         /* looked for: the rest is filled */
  gboolean generic, addressed;
  gboolean member;        /* a member other than the sender is named too */
  gboolean member_addressed; /* "you" while only members are addressed */
  guint first_word;
  GPtrArray *named;       /* const CmPerson *, owned, or NULL for none */
} CmOfficerMemo;

typedef struct {
  gsize start, end;       /* bytes of the authored text (or the subject) */
  CmWords words;          /* its words: a range of the view's, not owned */
  guint hits;             /* CM_HIT_ lists it matches, not negated */
  const guint8 *refs;     /* per word, the CM_REF_ lists matching at it (the
                             view's), or NULL: not scanned */
  gboolean subject;       /* the Subject line */
  CmOfficerMemo *officers; /* in the view's officer_memos, written through a
                              const view (a cache), or NULL: not kept */
} CmSentence;

typedef struct {
  char *filename;         /* may be NULL */
  char *content_type;     /* "application/pdf" */
  gsize size;             /* approximate decoded size in bytes */
} CmAttachment;

typedef struct {
  GPtrArray *participants;  /* CmParticipant *, owned; the lists below point here */
  CmParticipant *sender;    /* whose mail it is (see message.c), never NULL */
  CmParticipant *from;      /* the first From mailbox, or NULL */
  GPtrArray *to, *cc;       /* visible recipients */
  GPtrArray *recipients;    /* every envelope recipient */
  GPtrArray *blind;         /* envelope recipients absent from To and Cc */
  char *subject;            /* decoded, or NULL */
  char *authored;           /* the sender's new text */
  char *signature;          /* the sender's signature */
  char *history;            /* quoted and forwarded text by others */
  CmWords *authored_words;  /* every word of the authored text */
  CmWords *signature_words; /* every word of the signature */
  CmWords *subject_words;
  GPtrArray *sentences;     /* CmSentence *: the subject, then the authored text */
  CmSentence *sentence_block;   /* the sentences above, in one allocation */
  guint8 *refs;             /* the sentences' refs: the subject's words', then the
                               authored text's */
  CmOfficerMemo *officer_memos; /* one per sentence, in the same order */
  GPtrArray *attachments;   /* CmAttachment * */
} CmView;

/* Parse at most MAX_SCAN bytes of STREAM; NULL when nothing parses.
 * Header fields past SCAN's max-headers are left out, and SCAN says so. */
GMimeMessage *cm_message_parse_capped (GMimeStream *stream, gsize max_scan, CmScan *scan, gsize *scanned,
                                       gboolean *truncated);
/* The same under the loose caps (caps.h), not saying what went past them. */
GMimeMessage *cm_message_parse (GMimeStream *stream, gsize max_scan, gsize *scanned,
                                gboolean *truncated);
/* The view of MESSAGE (may be NULL) sent with ENVELOPE.  Without envelope
 * recipients, To, Cc and Bcc are the recipients. */
CmView *cm_view_new (const CmDirectory *directory, const CmLexicons *lexicons,
                     const CmEnvelope *envelope, GMimeMessage *message);
/* The same, reading no more than SCAN's caps allow; SCAN records what it
 * left unread.  cm_view_new reads under the loose caps (caps.h). */
CmView *cm_view_new_capped (const CmDirectory *directory, const CmLexicons *lexicons,
                            const CmEnvelope *envelope, GMimeMessage *message, CmScan *scan);
void cm_view_free (CmView *view);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CmView, cm_view_free)

/* The words of the line of TEXT (split into ALL) that starts at word FROM:
 * LINE is a range of ALL, not owned.  Returns the first word of the next
 * line (ALL->n at the end). */
guint cm_view_line (const char *text, const CmWords *all, guint from, CmWords *line);

/* The text of SENTENCE, white space folded (made only for evidence). */
char *cm_view_sentence_text (const CmView *view, const CmSentence *sentence);

/* Is P one of the addresses of the person who sent the message? */
gboolean cm_view_is_sender (const CmView *view, const CmParticipant *p);

#endif
