/*
 * smtp.c: one message to an SMTP listener (smtp.h).
 */
#include "config.h"

#include <string.h>
#include <libetpan/libetpan.h>

#include "policy.h"
#include "smtp.h"

#define SMTP_TIMEOUT_SECONDS 30

/* "host:port" or "[v6]:port". */
static gboolean
split_hostport (const char *value, char **host, guint16 *port)
{
  const char *colon = value ? strrchr (value, ':') : NULL;
  if (colon == NULL || colon == value)
    return FALSE;
  guint64 number = 0;
  if (!g_ascii_string_to_unsigned (colon + 1, 10, 1, 65535, &number, NULL))
    return FALSE;
  if (*value == '[' && colon[-1] == ']')
    *host = g_strndup (value + 1, (gsize) (colon - value - 2));
  else
    *host = g_strndup (value, (gsize) (colon - value));
  *port = (guint16) number;
  return TRUE;
}

gboolean
cm_smtp_send (const char *hostport, const char *sender, const char *const *recipients,
              const char *data, gsize length, gboolean *temporary, GError **error)
{
  g_autofree char *host = NULL;
  guint16 port = 0;
  if (temporary)
    *temporary = FALSE;
  if (!split_hostport (hostport, &host, &port))
    {
      g_set_error (error, CM_ERROR, CM_ERROR_CONFIG, "SMTP listener \"%s\" is not HOST:PORT",
                   hostport ? hostport : "");
      return FALSE;
    }

  mailsmtp *smtp = mailsmtp_new (0, NULL);
  mailsmtp_set_timeout (smtp, SMTP_TIMEOUT_SECONDS);
  g_autofree char *step = g_strdup ("connect");
  int r = mailsmtp_socket_connect (smtp, host, port);
  if (r == MAILSMTP_NO_ERROR)
    {
      g_free (step), step = g_strdup ("EHLO");
      r = mailesmtp_ehlo (smtp);
      if (r == MAILSMTP_ERROR_NOT_IMPLEMENTED)
        r = mailsmtp_helo (smtp);
    }
  if (r == MAILSMTP_NO_ERROR)
    {
      g_free (step), step = g_strdup_printf ("MAIL FROM:<%s>", sender);
      r = mailsmtp_mail (smtp, sender);
    }
  for (guint i = 0; r == MAILSMTP_NO_ERROR && recipients[i]; i++)
    {
      g_free (step), step = g_strdup_printf ("RCPT TO:<%s>", recipients[i]);
      r = mailsmtp_rcpt (smtp, recipients[i]);
    }
  if (r == MAILSMTP_NO_ERROR)
    {
      g_free (step), step = g_strdup ("DATA");
      r = mailsmtp_data (smtp);
    }
  if (r == MAILSMTP_NO_ERROR)
    {
      g_free (step), step = g_strdup ("the end of the message");
      /* libetpan ends the data with CRLF "." CRLF itself: a message's own
       * last line end would become an extra empty line. */
      if (length > 0 && data[length - 1] == '\n')
        length -= length > 1 && data[length - 2] == '\r' ? 2 : 1;
      r = mailsmtp_data_message (smtp, data, length);
    }
  if (r == MAILSMTP_NO_ERROR)
    mailsmtp_quit (smtp);
  else
    {
      /* Permanent only when the server said 5xx; anything else may pass later. */
      gboolean permanent = smtp->response_code >= 500 && smtp->response_code < 600;
      if (temporary)
        *temporary = !permanent;
      g_autofree char *reply = smtp->response_code > 0
          ? g_strdup_printf (": %d %s", smtp->response_code, smtp->response ? g_strchomp (smtp->response) : "")
          : g_strdup ("");
      g_set_error (error, CM_ERROR, CM_ERROR_IO, "SMTP to %s failed at %s: %s%s", hostport, step,
                   mailsmtp_strerror (r), reply);
    }
  mailsmtp_free (smtp);
  return r == MAILSMTP_NO_ERROR;
}
