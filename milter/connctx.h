/*
 * connctx.h: one SMTP connection's state in the daemon: who the client
 * is, and the message under way (if it is being checked).
 */
#ifndef CM_CONNCTX_H
#define CM_CONNCTX_H

#include <glib.h>

#include "msgctx.h"

typedef struct {
  char *client;             /* "hostname [address]" for the log */
  unsigned long protocol;   /* the SMFIP_* steps agreed with the MTA */
  CmMsgCtx *msg;            /* NULL between messages and for mail not checked */
} CmConnCtx;

CmConnCtx *cm_connctx_new (void);
void cm_connctx_set_client (CmConnCtx *conn, const char *hostname, const char *address);
/* End the message under way, if any. */
void cm_connctx_end_message (CmConnCtx *conn);
void cm_connctx_free (CmConnCtx *conn);

#endif
