/*
 * page-signin.c: signing in and out of council-review-web (pages.h).
 *
 *   GET /signin    the form (user name, password, the anonymous
 *                  session's CSRF token)
 *   POST /signin   checked against the local accounts (accounts.h):
 *                  at most [web] sign-in attempts per minute from one
 *                  address (429 past it); success makes a new session
 *                  (a new id) and goes to the queue; failure says so
 *                  without telling which of name or password was wrong
 *   POST /signout  ends the session and clears the cookie
 *
 * Every sign-in, failed or not, is logged with the name tried and the
 * address it came from; a password never is.  Users of a trusted
 * reverse proxy never see this page (server.c).
 */
#include "config.h"

#include <string.h>

#include "layout.h"
#include "log.h"
#include "pages.h"

/* A user name longer than this is not looked up. */
#define USER_MAX 128
#define PASSWORD_MAX 1024

/* The sign-in form, with ERROR above it (NULL: none) and USER filled in. */
static void
form (const CmWebRequest *request, CmWebResponse *response, const char *error, const char *user)
{
  GString *out = response->body;
  g_string_truncate (out, 0);
  cm_layout_begin (out, request, "Sign in", NULL);
  if (error)
    {
      g_string_append (out, "<p class=\"error\" role=\"alert\">");
      cm_html (out, error);
      g_string_append (out, "</p>");
    }
  g_string_append (out, "<form method=\"post\" action=\"/signin\">");
  cm_layout_csrf_field (out, request);
  g_string_append (out, "<p><label for=\"user\">User name</label><input id=\"user\" name=\"user\" "
                        "autocomplete=\"username\" required value=\"");
  cm_html (out, user);
  g_string_append (out, "\"></p><p><label for=\"password\">Password</label><input id=\"password\" "
                        "name=\"password\" type=\"password\" autocomplete=\"current-password\" required></p>"
                        "<p><button class=\"go\" type=\"submit\">Sign in</button></p></form>");
  cm_layout_end (out);
}

/* GET /signin: the form. */
void
cm_page_signin (const CmWebContext *context, const CmWebRequest *request, CmWebResponse *response)
{
  if (request->session && request->session->user)
    {
      cm_web_redirect (response, "/");
      return;
    }
  form (request, response, NULL, NULL);
}

/* POST /signin: check the name and password, limited per address. */
void
cm_page_signin_post (const CmWebContext *context, const CmWebRequest *request, CmWebResponse *response)
{
  const char *user = cm_web_field (request->form, "user");
  const char *password = cm_web_field (request->form, "password");
  g_autofree char *safe_user = cm_review_safe (user, FALSE);
  if (!cm_web_sessions_signin_allowed (context->sessions, request->peer, request->now))
    {
      cm_log (LOG_WARNING, "web: sign-in refused (too many attempts) user=%s from=%s", safe_user, request->peer);
      response->status = 429;
      form (request, response, "Too many sign-in attempts from your address: wait a minute and try again.", user);
      return;
    }
  g_autoptr (GError) error = NULL;
  g_autoptr (CmAccounts) accounts = cm_accounts_load (context->accounts, &error);
  if (accounts == NULL)
    {
      cm_log (LOG_ERR, "web: %s", error->message);
      cm_web_fail (request, response, 503, "Signing in is not possible now",
                   "The accounts file cannot be read; the mail administrator will find why in the log.");
      return;
    }
  CmWebRole role = CM_WEB_ROLE_AUDITOR;
  gboolean shaped = user && password && strlen (user) <= USER_MAX && strlen (password) <= PASSWORD_MAX;
  if (!shaped || !cm_accounts_verify (accounts, user, password, &role))
    {
      cm_log (LOG_NOTICE, "web: sign-in failed user=%s from=%s", safe_user, request->peer);
      response->status = 401;
      form (request, response, "The user name or the password is wrong.", user);
      return;
    }
  g_autoptr (CmWebSession) session = cm_web_sessions_create (context->sessions, user, role, request->now, &error);
  if (session == NULL)
    {
      cm_web_fail (request, response, 500, "Signing in failed", error->message);
      return;
    }
  if (request->session)
    cm_web_sessions_end (context->sessions, request->session->id);
  cm_log (LOG_INFO, "web: signed in user=%s role=%s from=%s", safe_user, cm_web_role_name (role), request->peer);
  response->cookie = cm_web_cookie (session, request->now, context->secure_cookie);
  cm_web_redirect (response, "/");
}

/* POST /signout: end the session. */
void
cm_page_signout (const CmWebContext *context, const CmWebRequest *request, CmWebResponse *response)
{
  if (request->session)
    cm_web_sessions_end (context->sessions, request->session->id);
  response->cookie = cm_web_cookie (NULL, request->now, context->secure_cookie);
  cm_web_redirect (response, "/signin");
}
