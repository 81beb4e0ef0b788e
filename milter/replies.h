/*
 * replies.h: replies to a hold notice.  The sender of a held message may
 * withdraw it, or explain it to the Monitoring Officer, by replying to the
 * notice: the reply goes to the hold's own address ([notify] from's local
 * part + "+hold-ID-TOKEN"), which only the hold's sender may use.  The
 * reply is recorded against the hold, the Monitoring Officer is told, and
 * it is delivered nowhere else.
 */
#ifndef CM_REPLIES_H
#define CM_REPLIES_H

#include "msgctx.h"
#include "services.h"

typedef enum {
  CM_REPLY_RECORDED,  /* withdrawn, explained (or decided: decide-reply.h): remove the recipient */
  CM_REPLY_REFUSED,   /* not the hold's sender (or decider), a bad token, or decided already: 550 */
  CM_REPLY_FAILED,    /* the spool could not be written: try again later */
} CmReplyOutcome;

/* Is ADDRESS a hold's reply address under CONFIG (the notice mailbox
 * with "+hold-")?  Sets *HOLD_ID and *TOKEN (meant to be 16 hex digits;
 * whatever the address has, checked later) when it is. */
gboolean cm_replies_parse_address (const CmConfig *config, const char *address, char **hold_id,
                                   char **token);

/* The sender's own words in the reply MSG (its body text down to the
 * quoted history), trimmed, at most 8 KB; "" when none.  Also the note
 * or reason of a decision by reply (decide-reply.h). */
char *cm_replies_words (CmMsgCtx *msg);
/* Do WORDS (a reply's own words) withdraw the held message? */
gboolean cm_replies_withdraws (const char *words);

/* Take the reply MSG sent to ADDRESS (a reply address): check the token
 * and the sender, read the reply's own text (WITHDRAW, or an
 * explanation), record it and tell the Monitoring Officer.  *WHY says
 * what happened, for the log and a refusal. */
CmReplyOutcome cm_replies_take (CmMsgCtx *msg, CmServices *services, const char *address, char **why);

#endif
