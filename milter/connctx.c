/*
 * connctx.c: one SMTP connection's state (connctx.h).
 */
#include "config.h"

#include "connctx.h"

CmConnCtx *
cm_connctx_new (void)
{
  return g_new0 (CmConnCtx, 1);
}

void
cm_connctx_set_client (CmConnCtx *conn, const char *hostname, const char *address)
{
  g_free (conn->client);
  conn->client = g_strdup_printf ("%s [%s]", hostname ? hostname : "unknown",
                                  address ? address : "unknown");
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
  g_free (conn);
}
