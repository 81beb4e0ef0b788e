/*
 * actions.h: the ONLY place where a verdict, or a failure of the filter
 * itself, becomes libmilter calls and an answer to the MTA.
 */
#ifndef CM_ACTIONS_H
#define CM_ACTIONS_H

#include <libmilter/mfapi.h>

#include "policy.h"
#include "msgctx.h"

/* Apply VERDICT to the message: remove forged headers, tag, notify,
 * disclose, hold or reject; log one line.  Returns the answer for eom. */
sfsistat cm_actions_apply (SMFICTX *ctx, CmMsgCtx *msg, const CmVerdict *verdict);

/* A message council-review released carries a release mark: TRUE, with
 * *ANSWER, when that settles it: CONTINUE when its token verified for
 * the message held (its body, sender and recipients) and it is let
 * through (once); TEMPFAIL when the mark could not be checked now (the
 * index locked or unreadable).  FALSE, with the mark removed and a log
 * line, when it did not verify: the message is checked as usual. */
gboolean cm_actions_release (SMFICTX *ctx, CmMsgCtx *msg, sfsistat *answer);

/* Replies to hold notices among the recipients (replies.h), and
 * decisions by reply (decide-reply.h; more than one in a message is
 * refused): each is taken and its recipient removed.  TRUE, with *ANSWER, when that
 * settles the message (nothing else to deliver, a refusal, or a failure);
 * FALSE when the other recipients are to be checked as usual. */
gboolean cm_actions_replies (SMFICTX *ctx, CmMsgCtx *msg, sfsistat *answer);

/* The filter failed on a message (WHAT says how): log it and answer as
 * [milter] on-error says (tempfail unless configured otherwise). */
sfsistat cm_actions_fail (SMFICTX *ctx, CmMsgCtx *msg, const char *what);

#endif
