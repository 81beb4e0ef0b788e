/*
 * smtp.h: one message handed to an SMTP listener with libetpan's client.
 * Used for protocol notices, the outbox's retries and council-review's
 * release (the original envelope, re-injected).
 */
#ifndef CM_SMTP_H
#define CM_SMTP_H

#include <glib.h>

/* Send DATA (a whole message, LENGTH bytes, any line ending) to the
 * listener HOSTPORT ("127.0.0.1:10026", "[::1]:10026") from SENDER ("" is
 * the null sender) to every one of RECIPIENTS (NULL-terminated).  The
 * error says which step failed and the server's reply; a 4xx reply or a
 * network failure sets *TEMPORARY (when not NULL) so the caller retries. */
gboolean cm_smtp_send (const char *hostport, const char *sender, const char *const *recipients,
                       const char *data, gsize length, gboolean *temporary, GError **error);

#endif
