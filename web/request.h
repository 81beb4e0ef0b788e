/*
 * request.h: what a page of council-review-web is given and gives back,
 * so that pages know nothing of libmicrohttpd (server.c turns HTTP into
 * these and back) and can be rendered by the unit tests alone.
 *
 *   CmWebContext    the daemon's lasting parts: configuration, sessions,
 *                   the accounts file, cookie policy, the trusted proxy
 *   CmWebRequest    one request: method, path, query and form fields,
 *                   the client's address, the session (signed in or not)
 *   CmWebResponse   status, HTML body, redirect, cookie, caching
 *   cm_web_review_open()  the review library's session for the signed-in
 *                   user (reviewlib.h), or an error page
 *   cm_web_fail()   an error page: status, title, a sentence for people
 */
#ifndef CM_WEB_REQUEST_H
#define CM_WEB_REQUEST_H

#include <glib.h>

#include "reviewlib.h"
#include "session.h"

typedef struct {
  CmConfig *config;
  CmWebSessions *sessions;
  const char *accounts;     /* the accounts file, read at each sign-in so that changes
                             * made with council-review user take effect at once */
  gboolean secure_cookie;   /* FALSE only for plain HTTP on loopback (tests) */
  const char *trusted_proxy; /* the single sign-on proxy's address, or NULL */
  const char *proxy_header;  /* the header it names the signed-in user in */
} CmWebContext;

typedef struct {
  const char *method;       /* "GET" or "POST" */
  const char *path;         /* without the query */
  GHashTable *query;        /* char * -> char *: the GET parameters */
  GHashTable *form;         /* the POST fields (urlencoded); empty for GET */
  const char *peer;         /* the client's address */
  CmWebSession *session;    /* NULL: none at all; user NULL: not signed in */
  gint64 now;               /* Unix seconds */
} CmWebRequest;

typedef struct {
  guint status;
  GString *body;            /* text/html; charset=utf-8 */
  char *location;           /* a 303 redirect's target, or NULL */
  char *cookie;             /* a Set-Cookie value, or NULL */
  gboolean no_store;        /* it shows held mail: Cache-Control: no-store */
} CmWebResponse;

CmWebResponse *cm_web_response_new (void);
void cm_web_response_free (CmWebResponse *response);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CmWebResponse, cm_web_response_free)

/* Field NAME of FIELDS (query or form), or NULL; "" counts as absent. */
const char *cm_web_field (GHashTable *fields, const char *name);

/* Make RESPONSE a redirect (303 See Other) to LOCATION, a path of ours. */
void cm_web_redirect (CmWebResponse *response, const char *location);

/* Make RESPONSE an error page: STATUS, TITLE and MESSAGE (escaped). */
void cm_web_fail (const CmWebRequest *request, CmWebResponse *response, guint status, const char *title,
                  const char *message);

/* The review session of REQUEST's signed-in user, or NULL with RESPONSE
 * made an error page (503 when the store cannot be opened). */
CmReviewSession *cm_web_review_open (const CmWebContext *context, const CmWebRequest *request,
                                     CmWebResponse *response);

/* Does REQUEST's user decide (monitoring officer, deputy)? */
gboolean cm_web_request_decides (const CmWebRequest *request);

#endif
