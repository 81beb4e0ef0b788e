/*
 * notify.h: protocol notices: to the sender of a message that broke a
 * rule (a multipart/report), and to the Monitoring Officer for each hold
 * (with the held message attached).  Composed with GMime, handed to the
 * outbox (sent now through the [notify] smtp listener, which does not
 * pass mail through the milter again, or kept and retried), from the
 * null sender, marked Auto-Submitted (RFC 3834).
 */
#ifndef CM_NOTIFY_H
#define CM_NOTIFY_H

#include "policy.h"
#include "msgctx.h"
#include "outbox.h"
#include "smtp.h"
#include "mailbox.h"

/* Should the sender of MSG get a notice at all?  Not outside the council
 * (no backscatter), not for a null sender, never about an automatic
 * message such as another notice (no loops). */
gboolean cm_notify_wanted (const CmMsgCtx *msg);

/* Is VERDICT a hold of a message too large to keep whole (past [policy]
 * max-scan-size)?  It goes to the MTA's quarantine, not the hold store:
 * no hold id, no review, no reply address. */
gboolean cm_notify_quarantined (const CmVerdict *verdict);

/* The notice about VERDICT to the sender of MSG.  For a hold, HOLD_ID is
 * its reference and REPLY_TO the address a reply to withdraw or explain
 * goes to (both may be NULL; both NULL for a quarantined one, whose
 * notice says what became of it instead). */
GMimeMessage *cm_notify_compose (const CmMsgCtx *msg, const CmVerdict *verdict, const char *hold_id,
                                 const char *reply_to);
/* Compose it and hand it to OUTBOX (NULL: straight to the listener).
 * FALSE only when it was neither sent nor kept. */
gboolean cm_notify_send (const CmMsgCtx *msg, const CmVerdict *verdict, CmOutbox *outbox,
                         const char *hold_id, const char *reply_to, GError **error);

/* How the Monitoring Officer's staff run council-review here: as this
 * daemon's user, with -c unless the configuration is the usual one. */
char *cm_notify_review_command (const CmConfig *config);

/* The Monitoring Officer's notice (to MO) of hold HOLD_ID, with the held
 * message read from HELD attached; with RELEASE_TO and REJECT_TO (both
 * or neither may be NULL: deciding by reply off) the addresses that
 * decide it by reply (decision.h). */
GMimeMessage *cm_notify_compose_hold (const CmMsgCtx *msg, const CmVerdict *verdict, const char *hold_id,
                                      const char *mo, const char *release_to, const char *reject_to,
                                      GMimeStream *held);
gboolean cm_notify_send_hold (const CmMsgCtx *msg, const CmVerdict *verdict, CmOutbox *outbox,
                              const char *hold_id, const char *mo, const char *release_to,
                              const char *reject_to, GMimeStream *held, GError **error);

/* A plain notice (SUBJECT, TEXT) from [notify] from to TO, through OUTBOX. */
gboolean cm_notify_send_text (const CmConfig *config, CmOutbox *outbox, const char *to, const char *subject,
                              const char *text, GError **error);

#endif
