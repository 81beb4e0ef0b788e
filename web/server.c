/*
 * server.c: council-review-web's HTTP daemon (libmicrohttpd) and its
 * routing (server.h).
 *
 *   GET  /                       the queue          (page-queue.c)
 *   GET  /hold/ID                one held message   (page-hold.c)
 *   POST /hold/ID/release        release it
 *   POST /hold/ID/reject         reject it
 *   GET  /report                 the report         (page-report.c)
 *   GET  /signin, POST /signin   sign in            (page-signin.c)
 *   POST /signout                sign out
 */
#include "config.h"

#include <string.h>
#include <netinet/in.h>
#include <gio/gio.h>
#include <microhttpd.h>

#include "log.h"
#include "pages.h"
#include "server.h"

/* Bounds on what a client can make the daemon hold or wait for. */
#define UPLOAD_MAX (64 * 1024)
#define CONNECTIONS_MAX 64
#define CONNECTIONS_PER_ADDRESS 16
#define TIMEOUT_SECONDS 30
#define THREADS 4

/* Held mail is shown, never loaded from elsewhere: nothing but the
 * page's own inline style may run or load. */
#define CSP "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; " \
            "frame-ancestors 'none'; base-uri 'none'"

struct _CmWebServer {
  struct MHD_Daemon *daemon;
  const CmWebContext *context;
};

/* ---- routing ------------------------------------------------------------ */

/* The id in PATH "/hold/ID" or "/hold/ID/ACTION" (ACTION set, else NULL),
 * or NULL when PATH is not a hold's. */
static char *
hold_path (const char *path, char **action)
{
  *action = NULL;
  if (!g_str_has_prefix (path, "/hold/"))
    return NULL;
  g_auto (GStrv) parts = g_strsplit (path + strlen ("/hold/"), "/", 3);
  if (parts[0] == NULL || *parts[0] == '\0' || (parts[1] && parts[2]))
    return NULL;
  if (parts[1])
    *action = g_strdup (parts[1]);
  return g_strdup (parts[0]);
}

/* The session of IN: the cookie's, or for the trusted proxy's user one
 * made for them.  NULL with RESPONSE made a 403 page when the proxy
 * names someone without an account. */
static CmWebSession *
find_session (const CmWebContext *context, const CmWebIncoming *in, CmWebResponse *response, gboolean *refused)
{
  *refused = FALSE;
  CmWebSession *session = in->cookie ? cm_web_sessions_lookup (context->sessions, in->cookie, in->now) : NULL;
  if (in->proxy_user == NULL)
    return session;
  if (session && g_strcmp0 (session->user, in->proxy_user) == 0)
    return session;
  g_clear_pointer (&session, cm_web_session_free);
  CmWebRole role;
  g_autoptr (GError) error = NULL;
  g_autoptr (CmAccounts) accounts = cm_accounts_load (context->accounts, &error);
  if (accounts == NULL)
    cm_log (LOG_ERR, "web: %s", error->message);
  if (accounts == NULL || !cm_accounts_lookup (accounts, in->proxy_user, &role))
    {
      *refused = TRUE;
      return NULL;
    }
  session = cm_web_sessions_create (context->sessions, in->proxy_user, role, in->now, NULL);
  if (session)
    response->cookie = cm_web_cookie (session, in->now, context->secure_cookie);
  return session;
}

/* Route REQUEST, already checked, to its page. */
static void
route (const CmWebContext *context, const CmWebRequest *request, CmWebResponse *response)
{
  gboolean get = strcmp (request->method, "GET") == 0;
  const char *path = request->path;
  g_autofree char *action = NULL;
  g_autofree char *id = hold_path (path, &action);
  if (strcmp (path, "/") == 0 && get)
    cm_page_queue (context, request, response);
  else if (strcmp (path, "/report") == 0 && get)
    cm_page_report (context, request, response);
  else if (strcmp (path, "/signout") == 0 && !get)
    cm_page_signout (context, request, response);
  else if (id && action == NULL && get)
    cm_page_hold (context, request, response, id);
  else if (id && action && !get && (strcmp (action, "release") == 0 || strcmp (action, "reject") == 0))
    cm_page_hold_decide (context, request, response, id, action);
  else if (strcmp (path, "/") == 0 || strcmp (path, "/report") == 0 || strcmp (path, "/signout") == 0 || id)
    cm_web_fail (request, response, 405, "Not allowed here", "That page cannot be asked for that way.");
  else
    cm_web_fail (request, response, 404, "No such page", "There is no page at that address.");
}

/* Answer one request: session, checks, then the page. */
void
cm_web_handle (const CmWebContext *context, const CmWebIncoming *in, CmWebResponse *response, char **user)
{
  gboolean refused;
  g_autoptr (CmWebSession) session = find_session (context, in, response, &refused);
  CmWebRequest request = { .method = in->method, .path = in->path, .query = in->query, .form = in->form,
                           .peer = in->peer, .session = session, .now = in->now };
  gboolean post = strcmp (in->method, "POST") == 0;
  gboolean signin = strcmp (in->path, "/signin") == 0;
  *user = g_strdup (session && session->user ? session->user : in->proxy_user ? in->proxy_user : "-");
  if (refused)
    {
      cm_web_fail (&request, response, 403, "Not a reviewer",
                   "Your single sign-on name has no account for held mail review; ask the mail administrator.");
      return;
    }
  if (post && !cm_web_session_csrf_valid (session, cm_web_field (in->form, "csrf")))
    {
      cm_web_fail (&request, response, 403, "Refused",
                   "The form was not one this site gave you (its security token is missing or old). "
                   "Go back, reload the page and try again.");
      return;
    }
  if (signin && post)
    cm_page_signin_post (context, &request, response);
  else if (signin && strcmp (in->method, "GET") == 0)
    {
      if (session == NULL && in->proxy_user == NULL)
        {
          g_autoptr (GError) error = NULL;
          session = cm_web_sessions_create (context->sessions, NULL, CM_WEB_ROLE_AUDITOR, in->now, &error);
          if (session == NULL)
            {
              cm_web_fail (&request, response, 500, "The sign-in page failed", error->message);
              return;
            }
          request.session = session;
          response->cookie = cm_web_cookie (session, in->now, context->secure_cookie);
        }
      cm_page_signin (context, &request, response);
    }
  else if (signin)
    cm_web_fail (&request, response, 405, "Not allowed here", "That page cannot be asked for that way.");
  else if (session == NULL || session->user == NULL)
    {
      if (post)
        cm_web_fail (&request, response, 403, "Not signed in", "Sign in first.");
      else
        cm_web_redirect (response, "/signin");
    }
  else
    {
      route (context, &request, response);
      /* The lookup made the sign-in last longer: tell the browser, unless
       * the page set a cookie of its own (signing out clears it). */
      if (response->cookie == NULL)
        response->cookie = cm_web_cookie (session, in->now, context->secure_cookie);
    }
}

/* ---- HTTP ------------------------------------------------------------- */

/* What one connection's request has uploaded so far. */
typedef struct {
  GString *body;
  gboolean too_big;
} Upload;

/* Free what a connection uploaded. */
static void
upload_free (Upload *upload)
{
  g_string_free (upload->body, TRUE);
  g_free (upload);
}

/* Add a GET argument to the table CLS (the first of a name wins). */
static enum MHD_Result
add_argument (void *cls, enum MHD_ValueKind kind, const char *key, const char *value)
{
  GHashTable *table = cls;
  if (key && !g_hash_table_contains (table, key))
    g_hash_table_insert (table, g_strdup (key), g_strdup (value ? value : ""));
  return MHD_YES;
}

/* The client's address as text ("-" when unknown). */
static char *
peer_of (struct MHD_Connection *connection)
{
  const union MHD_ConnectionInfo *info = MHD_get_connection_info (connection, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
  if (info == NULL || info->client_addr == NULL)
    return g_strdup ("-");
  gsize size = info->client_addr->sa_family == AF_INET6 ? sizeof (struct sockaddr_in6) : sizeof (struct sockaddr_in);
  g_autoptr (GSocketAddress) address = g_socket_address_new_from_native (info->client_addr, size);
  if (address == NULL || !G_IS_INET_SOCKET_ADDRESS (address))
    return g_strdup ("-");
  return g_inet_address_to_string (g_inet_socket_address_get_address (G_INET_SOCKET_ADDRESS (address)));
}

/* The client's address as the proxy saw it: the last address of its
 * X-Forwarded-For (nginx sets it, Apache appends to it), or NULL. */
char *
cm_web_forwarded_client (const char *forwarded)
{
  if (forwarded == NULL)
    return NULL;
  const char *last = strrchr (forwarded, ',');
  g_autofree char *address = g_strstrip (g_strdup (last ? last + 1 : forwarded));
  g_autoptr (GInetAddress) parsed = g_inet_address_new_from_string (address);
  return parsed ? g_inet_address_to_string (parsed) : NULL;
}

/* Did the request come from the single sign-on proxy?  Compared as
 * addresses, so that "::1" and "0:0::1" are the same. */
static gboolean
from_trusted_proxy (const CmWebContext *context, const char *peer)
{
  if (context->trusted_proxy == NULL)
    return FALSE;
  g_autoptr (GInetAddress) proxy = g_inet_address_new_from_string (context->trusted_proxy);
  g_autoptr (GInetAddress) client = g_inet_address_new_from_string (peer);
  return proxy && client && g_inet_address_equal (proxy, client);
}

/* The fields of a urlencoded POST BODY (empty when it is not one). */
static GHashTable *
form_of (struct MHD_Connection *connection, const GString *body)
{
  const char *type = MHD_lookup_connection_value (connection, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_TYPE);
  GHashTable *form = NULL;
  if (type && g_ascii_strncasecmp (type, "application/x-www-form-urlencoded", 33) == 0 && body->len)
    form = g_uri_parse_params (body->str, (gssize) body->len, "&", G_URI_PARAMS_WWW_FORM, NULL);
  return form ? form : g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
}

/* Send RESPONSE with the headers every page carries. */
static enum MHD_Result
send_response (struct MHD_Connection *connection, const CmWebResponse *response)
{
  struct MHD_Response *reply
    = MHD_create_response_from_buffer (response->body->len, response->body->str, MHD_RESPMEM_MUST_COPY);
  if (reply == NULL)
    return MHD_NO;
  MHD_add_response_header (reply, MHD_HTTP_HEADER_CONTENT_TYPE, "text/html; charset=utf-8");
  MHD_add_response_header (reply, "Content-Security-Policy", CSP);
  MHD_add_response_header (reply, "X-Frame-Options", "DENY");
  MHD_add_response_header (reply, "X-Content-Type-Options", "nosniff");
  MHD_add_response_header (reply, "Referrer-Policy", "no-referrer");
  MHD_add_response_header (reply, MHD_HTTP_HEADER_CACHE_CONTROL, response->no_store ? "no-store" : "private, no-cache");
  if (response->location)
    MHD_add_response_header (reply, MHD_HTTP_HEADER_LOCATION, response->location);
  if (response->cookie)
    MHD_add_response_header (reply, MHD_HTTP_HEADER_SET_COOKIE, response->cookie);
  enum MHD_Result result = MHD_queue_response (connection, response->status, reply);
  MHD_destroy_response (reply);
  return result;
}

/* libmicrohttpd's handler: collect the upload, then answer. */
static enum MHD_Result
answer (void *cls, struct MHD_Connection *connection, const char *url, const char *method, const char *version,
        const char *upload_data, size_t *upload_data_size, void **state)
{
  CmWebServer *server = cls;
  Upload *upload = *state;
  if (upload == NULL)
    {
      upload = g_new0 (Upload, 1);
      upload->body = g_string_new (NULL);
      *state = upload;
      return MHD_YES;
    }
  if (*upload_data_size)
    {
      if (upload->body->len + *upload_data_size > UPLOAD_MAX)
        upload->too_big = TRUE;
      else
        g_string_append_len (upload->body, upload_data, (gssize) *upload_data_size);
      *upload_data_size = 0;
      return MHD_YES;
    }
  g_autoptr (CmWebResponse) response = cm_web_response_new ();
  g_autofree char *peer = peer_of (connection);
  g_autofree char *user = NULL;
  gboolean head = strcmp (method, "HEAD") == 0;
  g_autoptr (GHashTable) query = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  MHD_get_connection_values (connection, MHD_GET_ARGUMENT_KIND, add_argument, query);
  g_autoptr (GHashTable) form = form_of (connection, upload->body);
  const CmWebContext *context = server->context;
  const char *proxy_user = NULL;
  if (from_trusted_proxy (context, peer))
    {
      proxy_user = MHD_lookup_connection_value (connection, MHD_HEADER_KIND, context->proxy_header);
      const char *forwarded = MHD_lookup_connection_value (connection, MHD_HEADER_KIND, "X-Forwarded-For");
      char *client = cm_web_forwarded_client (forwarded);
      if (client)
        {
          g_free (peer);
          peer = client;
        }
    }
  if (proxy_user && *proxy_user == '\0')
    proxy_user = NULL;
  CmWebIncoming in = { .method = head ? "GET" : method, .path = url, .query = query, .form = form,
                       .peer = peer, .cookie = MHD_lookup_connection_value (connection, MHD_COOKIE_KIND, CM_WEB_COOKIE),
                       .proxy_user = proxy_user, .now = g_get_real_time () / G_USEC_PER_SEC };
  if (upload->too_big)
    {
      CmWebRequest request = { .method = method, .path = url, .peer = peer };
      cm_web_fail (&request, response, 413, "Too large", "The form sent was larger than any of this site's.");
      user = g_strdup ("-");
    }
  else if (strcmp (in.method, "GET") != 0 && strcmp (in.method, "POST") != 0)
    {
      CmWebRequest request = { .method = method, .path = url, .peer = peer };
      cm_web_fail (&request, response, 405, "Not allowed", "This site answers GET and POST only.");
      user = g_strdup ("-");
    }
  else
    cm_web_handle (context, &in, response, &user);
  g_autofree char *safe_path = cm_review_safe (url, FALSE);
  g_autofree char *safe_user = cm_review_safe (user, FALSE);
  g_autofree char *safe_method = cm_review_safe (method, FALSE);
  cm_log (LOG_INFO, "web: %s %.200s %u user=%s from=%s", safe_method, safe_path, response->status, safe_user, peer);
  return send_response (connection, response);
}

/* Free what answer() kept for a request. */
static void
completed (void *cls, struct MHD_Connection *connection, void **state, enum MHD_RequestTerminationCode code)
{
  g_clear_pointer ((Upload **) state, upload_free);
}

/* LISTEN as a socket address, or NULL with ERROR. */
GSocketAddress *
cm_web_listen_address (const char *listen, GError **error)
{
  const char *colon = strrchr (listen, ':');
  guint64 port = 0;
  if (colon == NULL || !g_ascii_string_to_unsigned (colon + 1, 10, 1, 65535, &port, NULL))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "The web listen address \"%s\" is not HOST:PORT.", listen);
      return NULL;
    }
  g_autofree char *host = g_strndup (listen, (gsize) (colon - listen));
  if (host[0] == '[' && host[strlen (host) - 1] == ']')
    {
      memmove (host, host + 1, strlen (host));
      host[strlen (host) - 1] = '\0';
    }
  g_autoptr (GInetAddress) address = g_inet_address_new_from_string (host);
  if (address == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "The web listen address \"%s\" does not start with an IP address.", listen);
      return NULL;
    }
  return g_inet_socket_address_new (address, (guint16) port);
}

/* Start libmicrohttpd on LISTEN, serving CONTEXT. */
CmWebServer *
cm_web_server_start (const CmWebContext *context, const char *listen, GError **error)
{
  g_autoptr (GSocketAddress) address = cm_web_listen_address (listen, error);
  if (address == NULL)
    return NULL;
  struct sockaddr_storage native;
  if (!g_socket_address_to_native (address, &native, sizeof native, error))
    return NULL;
  gboolean v6 = g_socket_address_get_family (address) == G_SOCKET_FAMILY_IPV6;
  CmWebServer *server = g_new0 (CmWebServer, 1);
  server->context = context;
  server->daemon = MHD_start_daemon (
    MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_ERROR_LOG | (v6 ? MHD_USE_IPv6 : 0), 0, NULL, NULL, answer, server,
    MHD_OPTION_SOCK_ADDR, (struct sockaddr *) &native, MHD_OPTION_THREAD_POOL_SIZE, (unsigned int) THREADS,
    MHD_OPTION_CONNECTION_LIMIT, (unsigned int) CONNECTIONS_MAX, MHD_OPTION_PER_IP_CONNECTION_LIMIT,
    (unsigned int) CONNECTIONS_PER_ADDRESS, MHD_OPTION_CONNECTION_TIMEOUT, (unsigned int) TIMEOUT_SECONDS,
    MHD_OPTION_NOTIFY_COMPLETED, completed, NULL, MHD_OPTION_END);
  if (server->daemon == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                   "The web page could not listen on %s (is the address in use, or not this machine's?).", listen);
      g_free (server);
      return NULL;
    }
  return server;
}

/* Stop the server and free it. */
void
cm_web_server_stop (CmWebServer *server)
{
  if (server == NULL)
    return;
  MHD_stop_daemon (server->daemon);
  g_free (server);
}
