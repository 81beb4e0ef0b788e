/*
 * connctx.c: one SMTP connection's state (connctx.h).
 */
#include "config.h"

#include "connctx.h"

CmConnCtx *
cm_connctx_new (const char *hostname, const char *address)
{
  CmConnCtx *conn = g_new0 (CmConnCtx, 1);
  conn->client = g_strdup_printf ("%s [%s]", hostname ? hostname : "unknown",
                                  address ? address : "unknown");
  return conn;
}

void
cm_connctx_set_helo (CmConnCtx *conn, const char *helo)
{
  g_free (conn->helo);
  conn->helo = g_strdup (helo);
}

void
cm_connctx_end_message (CmConnCtx *conn)
{
  g_clear_pointer (&conn->msg, cm_msgctx_free);
}

void
cm_connctx_free (CmConnCtx *conn)
{
  if (conn == NULL)
    return;
  cm_connctx_end_message (conn);
  g_free (conn->client);
  g_free (conn->helo);
  g_free (conn);
}
