/*
 * server.h: the HTTP side of council-review-web (server.c).
 *
 *   cm_web_server_start()  libmicrohttpd listening on HOST:PORT (a few
 *                          threads; bounded connections, uploads and time)
 *   cm_web_handle()        one request, HTTP already read: the session
 *                          from the cookie or the trusted proxy's header,
 *                          the checks every request passes (signed in;
 *                          a POST carries the session's CSRF token, else
 *                          403), then the page the path names
 *
 * Every response carries the security headers (a Content-Security-Policy
 * allowing nothing but the page's inline style, X-Frame-Options DENY,
 * nosniff, no referrer) and pages with held mail Cache-Control: no-store.
 * Every request is logged to syslog with its user and address.
 */
#ifndef CM_WEB_SERVER_H
#define CM_WEB_SERVER_H

#include <gio/gio.h>

#include "request.h"

/* A request as read from HTTP, for cm_web_handle(). */
typedef struct {
  const char *method;
  const char *path;
  GHashTable *query;        /* never NULL */
  GHashTable *form;         /* never NULL; empty unless a urlencoded POST */
  const char *peer;         /* the client's address */
  const char *cookie;       /* the session cookie's value, or NULL */
  const char *proxy_user;   /* the proxy's user header, only when the request came from
                             * the trusted proxy; else NULL */
  gint64 now;
} CmWebIncoming;

/* Answer IN into RESPONSE; *USER is set to who made it (for the log). */
void cm_web_handle (const CmWebContext *context, const CmWebIncoming *in, CmWebResponse *response, char **user);

/* The client's address in a trusted proxy's X-Forwarded-For (NULL: none
 * fit): the last one, the address that connected to the proxy.  Used
 * only on connections from [web] trusted-proxy, so that the sign-in limit
 * counts each client behind it, not the proxy. */
char *cm_web_forwarded_client (const char *forwarded);

/* LISTEN, "HOST:PORT" or "[IPV6]:PORT", as a socket address; NULL with
 * ERROR saying why it is not one. */
GSocketAddress *cm_web_listen_address (const char *listen, GError **error);

typedef struct _CmWebServer CmWebServer;

/* Serve CONTEXT (kept, not copied: it must outlive the server) on LISTEN,
 * "HOST:PORT" ("[::1]:8025" for IPv6). */
CmWebServer *cm_web_server_start (const CmWebContext *context, const char *listen, GError **error);
void cm_web_server_stop (CmWebServer *server);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CmWebServer, cm_web_server_stop)

#endif
