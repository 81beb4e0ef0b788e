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

typedef struct {
  char *address;          /* lower case */
  char *display_name;     /* decoded, or NULL */
  CmRole role;
  const CmPerson *person; /* in the directory, or NULL */
  gboolean media;         /* in a media domain */
} CmParticipant;

typedef struct {
  char *text;             /* whitespace folded */
  CmWords *words;
  gboolean subject;       /* the Subject line */
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
  GPtrArray *sentences;     /* CmSentence *: the subject, then the authored text */
  GPtrArray *attachments;   /* CmAttachment * */
} CmView;

/* Parse at most MAX_SCAN bytes of STREAM; NULL when nothing parses. */
GMimeMessage *cm_message_parse (GMimeStream *stream, gsize max_scan, gsize *scanned,
                                gboolean *truncated);
/* The view of MESSAGE (may be NULL) sent with ENVELOPE.  Without envelope
 * recipients, To, Cc and Bcc are the recipients. */
CmView *cm_view_new (const CmDirectory *directory, const CmLexicons *lexicons,
                     const CmEnvelope *envelope, GMimeMessage *message);
void cm_view_free (CmView *view);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CmView, cm_view_free)

/* Is P one of the addresses of the person who sent the message? */
gboolean cm_view_is_sender (const CmView *view, const CmParticipant *p);

#endif
