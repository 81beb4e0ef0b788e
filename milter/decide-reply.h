/*
 * decide-reply.h: deciding a hold by reply, as Exchange's moderators
 * approve from their mail client.  The Monitoring Officer's notice of a
 * hold, the deputy's escalation and the daily digest carry a release
 * address and a reject address (mailbox.h, decision.h); a reply to one
 * decides the hold through the review library (reviewlib.h) with the
 * reply's sender as actor, and the reply's own text (replies.h) as the
 * release note or the reason the sender is told.  Accepted only as
 * authenticated mail, from the Monitoring Officer or the deputy (the
 * envelope sender and the From header alike), with the token made for
 * that decision, hold and person, and only while the hold is held.  The
 * decider is sent a one-line confirmation; the reply goes nowhere else.
 */
#ifndef CM_DECIDE_REPLY_H
#define CM_DECIDE_REPLY_H

#include "mailbox.h"
#include "msgctx.h"
#include "replies.h"
#include "services.h"

/* Take the reply MSG to the decision address of DECISION on hold
 * HOLD_ID with TOKEN (as cm_decision_parse_address cut them).
 * CM_REPLY_RECORDED when the hold was decided; CM_REPLY_REFUSED when
 * the reply may not decide it (550); CM_REPLY_FAILED when it could not
 * be decided now (a busy index, a failed hand-off: the MTA is to try
 * again).  *WHY says which, for the log and the SMTP reply; it never
 * holds the token. */
CmReplyOutcome cm_decide_take (CmMsgCtx *msg, CmServices *services, CmDecision decision, const char *hold_id,
                               const char *token, char **why);

#endif
