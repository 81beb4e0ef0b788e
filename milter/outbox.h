/*
 * outbox.h: mail the filter sends itself (protocol notices, the
 * Monitoring Officer's notifications) that could not be handed to the
 * SMTP listener yet.  Each is kept durably in a directory (0700; files
 * 0600, written to tmp/, fsync'd, renamed into place) and retried with
 * back-off until it is sent, refused for good, or too old; a restart
 * finds the directory as it was left and carries on.
 */
#ifndef CM_OUTBOX_H
#define CM_OUTBOX_H

#include <glib.h>

typedef struct _CmOutbox CmOutbox;

/* Open (creating when missing) the outbox at DIR. */
CmOutbox *cm_outbox_open (const char *dir, GError **error);
void cm_outbox_close (CmOutbox *outbox);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CmOutbox, cm_outbox_close)

/* Send DATA now through HOSTPORT from SENDER ("" is the null sender) to
 * RECIPIENTS (NULL-terminated); when that fails for a reason that may
 * pass (no listener, a 4xx reply), keep it for a retry.  FALSE only when
 * the message was refused for good (5xx) or could not even be kept. */
gboolean cm_outbox_send (CmOutbox *outbox, const char *hostport, const char *sender,
                         const char *const *recipients, const char *data, gsize length,
                         GError **error);

typedef struct {
  guint sent;      /* delivered to the listener this time */
  guint waiting;   /* still kept, not yet due or failed again */
  guint given_up;  /* refused for good or older than the limit: moved to failed/ */
} CmOutboxCounts;

/* Retry every kept message due at NOW (Unix seconds) through HOSTPORT.
 * Back-off doubles from one minute to at most an hour between tries; a
 * message kept longer than MAX_AGE seconds is given up (moved to
 * DIR/failed/ and logged, never deleted). */
CmOutboxCounts cm_outbox_flush (CmOutbox *outbox, const char *hostport, gint64 now,
                                gint64 max_age);

/* Messages currently kept (not counting failed/). */
guint cm_outbox_length (CmOutbox *outbox);

#endif
