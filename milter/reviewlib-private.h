/*
 * reviewlib-private.h: what the files of the review library share
 * (reviewlib.h is the interface): the session's inside, the actor as the
 * store records it, the outbox opened on first use, and errors turned
 * into the library's domain.  Front ends never include it.
 */
#ifndef CM_REVIEWLIB_PRIVATE_H
#define CM_REVIEWLIB_PRIVATE_H

#include "holdstore.h"
#include "outbox.h"
#include "reviewlib.h"

struct _CmReviewSession {
  CmConfig *config;      /* a reference */
  CmHoldStore *store;    /* this session's own connection */
  CmOutbox *outbox;      /* NULL until a call sends mail */
  CmReviewActorKind kind;
  char *who;             /* made safe */
  gint64 now;
  char *invocation;      /* for the commands quoted in mail */
};

/* The session's actor, as the store records it (borrowed strings). */
CmHoldActor cm_review_actor (const CmReviewSession *session);
/* The session's outbox, opened on first use: NULL with ERROR otherwise. */
CmOutbox *cm_review_outbox (CmReviewSession *session, GError **error);
/* Set ERROR to LOCAL (freed) in CM_REVIEW_ERROR, with the code that
 * matches its own and its message after PREFIX (may be NULL). */
void cm_review_propagate (GError **error, GError *local, const char *prefix);

/* Tell the sender of HOLD that it was not sent (REASON, or not reviewed
 * in EXPIRED_DAYS), unless outside the council or automatic; record it.
 * What happened goes to OUTCOME's notice, or to its notice_error when
 * the notice could neither be sent nor kept (reviewlib-decide.c). */
void cm_review_notify_sender (CmReviewSession *session, const CmHold *hold, const char *reason,
                              gint64 expired_days, CmReviewOutcome *outcome);

#endif
