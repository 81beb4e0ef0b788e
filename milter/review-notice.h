/*
 * review-notice.h: the mail council-review writes, composed with GMime
 * and handed to the [notify] smtp listener (one that does not pass the
 * milter) from the null sender, marked Auto-Submitted: auto-generated
 * (RFC 3834), From [notify] from:
 *
 *   cm_review_rejection_notice()  to the sender: your held message was
 *                                 not sent (rejected, or not reviewed in
 *                                 time), which paragraphs, and why
 *   cm_review_escalation()        to the deputy: a hold the Monitoring
 *                                 Officer did not review in time, with
 *                                 the evidence and the message attached
 *   cm_review_digest()            to the Monitoring Officer: every
 *                                 message still held, oldest first
 *   cm_review_deliver()           send one now, or keep it in the outbox
 *                                 for the daemon to retry
 */
#ifndef CM_REVIEW_NOTICE_H
#define CM_REVIEW_NOTICE_H

#include <glib.h>
#include <gmime/gmime.h>

#include "holdstore.h"
#include "outbox.h"
#include "policy.h"

/* Tell the sender of HOLD that it was not sent: the Monitoring Officer
 * rejected it with REASON, or (EXPIRED_DAYS > 0) nobody reviewed it in
 * that many days.  NOW dates the notice. */
GMimeMessage *cm_review_rejection_notice (const CmConfig *config, const CmHold *hold,
                                          const char *reason, gint64 expired_days, gint64 now);

/* Pass HOLD to the deputy TO: who sent what to whom, the findings with
 * their paragraphs, the held message HELD (read through the hold store)
 * attached as message/rfc822 (or, for NULL, a line saying it is missing
 * or unreadable), the deputy's own release and reject addresses when
 * deciding by reply is on (tokens from STORE; NULL: none), and the
 * commands to decide it, each starting with INVOCATION ("sudo -u council-milter
 * council-review").  DAYS is [hold] expire-days. */
GMimeMessage *cm_review_escalation (const CmConfig *config, CmHoldStore *store, const CmHold *hold, const char *to,
                                    GMimeMessage *held, const char *invocation, gint64 days,
                                    gint64 now);

/* List HOLDS (CmHold *, oldest first, at least one) for the Monitoring
 * Officer TO, with the commands to act on them and, when deciding by
 * reply is on, each hold's release and reject addresses for TO (tokens
 * from STORE; NULL: none). */
GMimeMessage *cm_review_digest (const CmConfig *config, CmHoldStore *store, const GPtrArray *holds, const char *to,
                                const char *invocation, gint64 days, gint64 now);

typedef enum {
  CM_REVIEW_SENT,      /* the listener took it */
  CM_REVIEW_KEPT,      /* not now (*WHY says why): kept in the outbox for a retry */
  CM_REVIEW_NOT_SENT,  /* refused for good, or it could not even be kept (ERROR) */
} CmReviewDelivery;

/* Send MESSAGE from the null sender to TO through [notify] smtp, or keep
 * it in OUTBOX when the listener cannot take it now. */
CmReviewDelivery cm_review_deliver (CmOutbox *outbox, const CmConfig *config, const char *to,
                                    GMimeMessage *message, char **why, GError **error);

/* Is ADDRESS fit for an SMTP envelope: not empty (unless NULL_OK, for a
 * sender), no control characters, no spaces or angle brackets? */
gboolean cm_review_address_ok (const char *address, gboolean null_ok);

#endif
