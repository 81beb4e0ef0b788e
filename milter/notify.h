/*
 * notify.h: protocol notices to the sender of a message that broke a rule:
 * composed with GMime, sent with libetpan's SMTP client to the [notify]
 * smtp listener (one that does not pass mail through the milter again),
 * from the null sender, marked Auto-Submitted (RFC 3834).
 */
#ifndef CM_NOTIFY_H
#define CM_NOTIFY_H

#include "policy.h"
#include "msgctx.h"

/* Should the sender of MSG get a notice at all?  Not outside the council
 * (no backscatter), not for a null sender, never about an automatic
 * message (no loops). */
gboolean cm_notify_wanted (const CmMsgCtx *msg);

/* Compose and send the notice about VERDICT (action is warn, hold or
 * reject).  Errors say what failed; the message itself is unaffected. */
gboolean cm_notify_send (const CmMsgCtx *msg, const CmVerdict *verdict, GError **error);

/* The notice as a GMime message (also for tests). */
GMimeMessage *cm_notify_compose (const CmMsgCtx *msg, const CmVerdict *verdict);

#endif
