/*
 * test_webpages.c: council-review-web's pages and routing, rendered
 * through cm_web_handle() (web/server.h) over a scratch hold spool
 * (reviewfixture.h), with no HTTP in between: hostile held mail (script
 * and markup in the subject, the body, the evidence and an attachment's
 * name) comes out as text; the evidence is marked in the message; a POST
 * without the session's CSRF token, or from an auditor, is refused and
 * decides nothing; malformed ids and filters are refused before any
 * lookup; release and reject go through the review library (the message
 * reaches the listener; the audit trail names the web user); the report
 * draws its charts; signing in with a real account makes a new session;
 * a trusted proxy's user is believed, over real HTTP, only from the
 * proxy's address.
 */
#include "config.h"

#include <string.h>

#include <gio/gio.h>

#include "reviewfixture.h"
#include "server.h"
#include "settings.h"

#define NOW_SLACK 0

/* Markup a sender might write, and what must never come out raw. */
#define HOSTILE_SUBJECT "<script>alert('subject')</script> & <b>bold</b>"
#define HOSTILE_EVIDENCE "Tom Baker <img src=x onerror=alert(1)> has made a mess of it."
#define PASSWORD "a long enough password"

/* The daemon's lasting parts over ENV's spool. */
typedef struct {
  Env *env;
  CmConfig *config;
  CmWebSessions *sessions;
  CmWebContext context;
  CmWebSession *officer, *auditor;
} Site;

static void
site_free (Site *site)
{
  cm_web_session_free (site->officer);
  cm_web_session_free (site->auditor);
  cm_web_sessions_free (site->sessions);
  cm_config_unref (site->config);
  env_free (site->env);
  g_free (site);
}
G_DEFINE_AUTOPTR_CLEANUP_FUNC (Site, site_free)

static gint64
now (void)
{
  return g_get_real_time () / G_USEC_PER_SEC;
}

static Site *
site_new (void)
{
  Site *site = g_new0 (Site, 1);
  site->env = env_new (NULL);
  g_autoptr (GError) error = NULL;
  site->config = cm_daemon_config_load (site->env->config, &error);
  ck_assert_msg (site->config != NULL, "%s", error ? error->message : "");
  site->sessions = cm_web_sessions_new (60, 3);
  site->context = (CmWebContext) { .config = site->config, .sessions = site->sessions,
                                   .accounts = "/nonexistent/web-accounts", .secure_cookie = TRUE };
  site->officer = cm_web_sessions_create (site->sessions, "mo.web", CM_WEB_ROLE_MONITORING_OFFICER, now (), NULL);
  site->auditor = cm_web_sessions_create (site->sessions, "audit.web", CM_WEB_ROLE_AUDITOR, now (), NULL);
  return site;
}

/* Answer METHOD PATH from SESSION (NULL: none) with the query or form
 * fields of PAIRS (name, value, ..., NULL). */
static CmWebResponse *
ask (Site *site, const char *method, const char *path, const CmWebSession *session, ...)
{
  g_autoptr (GHashTable) query = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr (GHashTable) form = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  GHashTable *fields = strcmp (method, "POST") == 0 ? form : query;
  va_list args;
  va_start (args, session);
  const char *name;
  while ((name = va_arg (args, const char *)))
    g_hash_table_insert (fields, g_strdup (name), g_strdup (va_arg (args, const char *)));
  va_end (args);
  CmWebIncoming in = { .method = method, .path = path, .query = query, .form = form, .peer = "127.0.0.1",
                       .cookie = session ? session->id : NULL, .now = now () };
  CmWebResponse *response = cm_web_response_new ();
  g_autofree char *user = NULL;
  cm_web_handle (&site->context, &in, response, &user);
  return response;
}

/* A hold whose subject, body, evidence and attachment name carry markup. */
static CmHold *
hold_hostile (Env *env)
{
  static const char *const to[] = { "editor@northmoorgazette.co.uk", NULL };
  const char *const rules[] = { "officer-criticism", NULL };
  const char *json =
    "{\"action\": \"hold\", \"checked\": true, \"sender\": {\"address\": \"cllr.jane.smith@northmoor.gov.uk\", "
    "\"role\": \"member\", \"name\": null}, \"findings\": [{\"rule\": \"officer-criticism\", \"action\": \"hold\", "
    "\"clause\": \"South Ribble 16.2\", \"summary\": \"criticism <i>of</i> Tom Baker\", \"evidence\": "
    "[\"Tom Baker <img src=x onerror=alert(1)> has made a mess of it.\"], \"people\": "
    "[\"tom.baker@northmoor.gov.uk\"]}]}";
  const char *message =
    "From: cllr.jane.smith@northmoor.gov.uk\nTo: editor@northmoorgazette.co.uk\n"
    "Subject: " HOSTILE_SUBJECT "\nMIME-Version: 1.0\n"
    "Content-Type: multipart/mixed; boundary=\"b\"\n\n--b\nContent-Type: text/plain; charset=utf-8\n\n"
    "Dear editor,\n</pre><script>alert('body')</script>\nTom Baker <img src=x onerror=alert(1)>\n"
    "has made a mess of it.\n--b\nContent-Type: text/plain\n"
    "Content-Disposition: attachment; filename=\"<svg onload=alert(2)>.txt\"\n\nx\n--b--\n";
  CmHold record = {
    .sender = (char *) "cllr.jane.smith@northmoor.gov.uk",
    .recipients = (char **) to,
    .sender_role = (char *) "member",
    .subject = (char *) HOSTILE_SUBJECT,
    .rules = (char **) rules,
    .clauses = (char *) "South Ribble 16.2",
    .verdict_json = (char *) json,
  };
  g_autoptr (GMimeStream) stream = g_mime_stream_mem_new_with_buffer (message, strlen (message));
  g_autoptr (GError) error = NULL;
  CmHold *hold = cm_holdstore_put (env->store, &record, stream, &error);
  ck_assert_msg (hold != NULL, "put: %s", error ? error->message : "");
  return hold;
}

/* Assert that BODY has no markup of the held mail's making. */
static void
assert_inert (const char *body)
{
  assert_lacks (body, "<script");
  assert_lacks (body, "<img");
  assert_lacks (body, "<svg onload");
  assert_lacks (body, "<b>bold");
  assert_lacks (body, "<i>of");
  assert_lacks (body, "</pre><script");
}

START_TEST (test_hostile_hold)
{
  g_autoptr (Site) site = site_new ();
  g_autoptr (CmHold) hold = hold_hostile (site->env);
  g_autofree char *path = g_strdup_printf ("/hold/%s", hold->id);
  g_autoptr (CmWebResponse) page = ask (site, "GET", path, site->officer, NULL);
  ck_assert_uint_eq (page->status, 200);
  ck_assert (page->no_store);
  const char *body = page->body->str;
  assert_inert (body);
  assert_has (body, "&lt;script&gt;alert(&#39;subject&#39;)&lt;/script&gt; &amp; &lt;b&gt;bold&lt;/b&gt;");
  assert_has (body, "&lt;/pre&gt;&lt;script&gt;alert(&#39;body&#39;)&lt;/script&gt;");
  /* The evidence marked where it stands in the text, over the line break. */
  assert_has (body, "<mark>Tom Baker &lt;img src=x onerror=alert(1)&gt;\nhas made a mess of it.</mark>");
  assert_has (body, "&lt;svg onload=alert(2)&gt;.txt");
  assert_has (body, "South Ribble 16.2");
  /* The officer may decide: both forms, each with the session's token. */
  assert_has (body, "/release\"");
  assert_has (body, "/reject\"");
  g_autofree char *token = g_strdup_printf ("name=\"csrf\" value=\"%s\"", site->officer->csrf);
  assert_has (body, token);
  g_autoptr (CmWebResponse) queue = ask (site, "GET", "/", site->officer, NULL);
  ck_assert_uint_eq (queue->status, 200);
  assert_inert (queue->body->str);
  assert_has (queue->body->str, hold->id);
}
END_TEST

START_TEST (test_auditor_reads_only)
{
  g_autoptr (Site) site = site_new ();
  g_autoptr (CmHold) hold = hold_simple (site->env, "cllr.jane.smith@northmoor.gov.uk", "member",
                                         "officer-criticism", "Mill Lane");
  g_autofree char *path = g_strdup_printf ("/hold/%s", hold->id);
  g_autoptr (CmWebResponse) page = ask (site, "GET", path, site->auditor, NULL);
  ck_assert_uint_eq (page->status, 200);
  /* Reading a page is using the session: its cookie is sent again with
   * session-minutes (60 here) to run from now. */
  g_autofree char *renewed = g_strdup_printf ("cm_session=%s; Max-Age=3600;", site->auditor->id);
  ck_assert_msg (page->cookie && g_str_has_prefix (page->cookie, renewed), "cookie: %s", page->cookie);
  assert_lacks (page->body->str, "/release\"");
  assert_lacks (page->body->str, "/reject\"");
  g_autofree char *release = g_strdup_printf ("/hold/%s/release", hold->id);
  g_autoptr (CmWebResponse) refused = ask (site, "POST", release, site->auditor, "csrf", site->auditor->csrf, NULL);
  ck_assert_uint_eq (refused->status, 403);
  g_autoptr (CmHold) after = get (site->env, hold->id);
  ck_assert_int_eq (after->state, CM_HOLD_HELD);
  ck_assert_uint_eq (smtpsink_count (site->env->sink), 0);
}
END_TEST

START_TEST (test_csrf_refused)
{
  g_autoptr (Site) site = site_new ();
  g_autoptr (CmHold) hold = hold_simple (site->env, "cllr.jane.smith@northmoor.gov.uk", "member",
                                         "officer-criticism", "Mill Lane");
  g_autofree char *release = g_strdup_printf ("/hold/%s/release", hold->id);
  g_autoptr (CmWebResponse) none = ask (site, "POST", release, site->officer, "note", "ok", NULL);
  ck_assert_uint_eq (none->status, 403);
  g_autoptr (CmWebResponse) other = ask (site, "POST", release, site->officer, "csrf", site->auditor->csrf, NULL);
  ck_assert_uint_eq (other->status, 403);
  g_autoptr (CmWebResponse) anonymous = ask (site, "POST", release, NULL, "csrf", site->officer->csrf, NULL);
  ck_assert_uint_eq (anonymous->status, 403);
  g_autoptr (CmWebResponse) signout = ask (site, "POST", "/signout", site->officer, NULL);
  ck_assert_uint_eq (signout->status, 403);
  g_autoptr (CmHold) after = get (site->env, hold->id);
  ck_assert_int_eq (after->state, CM_HOLD_HELD);
  ck_assert_uint_eq (smtpsink_count (site->env->sink), 0);
}
END_TEST

START_TEST (test_release_and_reject)
{
  g_autoptr (Site) site = site_new ();
  g_autoptr (CmHold) one = hold_simple (site->env, "cllr.jane.smith@northmoor.gov.uk", "member",
                                        "officer-criticism", "Mill Lane");
  g_autoptr (CmHold) two = hold_simple (site->env, "cllr.jane.smith@northmoor.gov.uk", "member",
                                        "officer-criticism", "Brook Street");
  g_autofree char *release = g_strdup_printf ("/hold/%s/release", one->id);
  g_autoptr (CmWebResponse) released = ask (site, "POST", release, site->officer, "csrf", site->officer->csrf,
                                            "note", "Fine <b>really</b>", NULL);
  ck_assert_uint_eq (released->status, 303);
  g_autofree char *location = g_strdup_printf ("/hold/%s", one->id);
  ck_assert_str_eq (released->location, location);
  ck_assert_uint_eq (smtpsink_count (site->env->sink), 1);
  g_autoptr (CmHold) after = get (site->env, one->id);
  ck_assert_int_eq (after->state, CM_HOLD_RELEASED);
  ck_assert_str_eq (after->decided_by, "mo.web");
  /* The page after says so once, and the note is shown as text. */
  g_autoptr (CmWebResponse) page = ask (site, "GET", location, site->officer, NULL);
  assert_has (page->body->str, "class=\"flash\"");
  assert_has (page->body->str, "Released ");
  assert_has (page->body->str, "Fine &lt;b&gt;really&lt;/b&gt;");
  assert_lacks (page->body->str, "/release\"");
  g_autoptr (CmWebResponse) again = ask (site, "GET", location, site->officer, NULL);
  assert_lacks (again->body->str, "class=\"flash\"");
  /* A second release: refused, saying by whom it was decided. */
  g_autoptr (CmWebResponse) twice = ask (site, "POST", release, site->officer, "csrf", site->officer->csrf, NULL);
  ck_assert_uint_eq (twice->status, 409);
  assert_has (twice->body->str, "mo.web");
  /* Reject needs a reason. */
  g_autofree char *reject = g_strdup_printf ("/hold/%s/reject", two->id);
  g_autoptr (CmWebResponse) bare = ask (site, "POST", reject, site->officer, "csrf", site->officer->csrf, NULL);
  ck_assert_uint_eq (bare->status, 400);
  g_autoptr (CmWebResponse) rejected = ask (site, "POST", reject, site->officer, "csrf", site->officer->csrf,
                                            "reason", "Not to the press, please.", NULL);
  ck_assert_uint_eq (rejected->status, 303);
  g_autoptr (CmHold) rejected_hold = get (site->env, two->id);
  ck_assert_int_eq (rejected_hold->state, CM_HOLD_REJECTED);
  ck_assert_str_eq (rejected_hold->decision_note, "Not to the press, please.");
  ck_assert (has_event (site->env, two->id, "rejected"));
  g_autoptr (GPtrArray) events = cm_holdstore_events (site->env->store, two->id, 0, NULL);
  gboolean by_web = FALSE;
  for (guint i = 0; i < events->len; i++)
    {
      const CmHoldEvent *event = events->pdata[i];
      by_web |= g_strcmp0 (event->what, "rejected") == 0 && g_strcmp0 (event->who_kind, CM_HOLD_ACTOR_WEB) == 0
                && g_strcmp0 (event->who, "mo.web") == 0;
    }
  ck_assert (by_web);
}
END_TEST

START_TEST (test_bad_requests)
{
  g_autoptr (Site) site = site_new ();
  g_autoptr (CmHold) hold = hold_simple (site->env, "cllr.jane.smith@northmoor.gov.uk", "member",
                                         "officer-criticism", "Mill Lane");
  /* Ids not shaped like a hold's: 404 before any lookup, the id shown as text. */
  g_autoptr (CmWebResponse) bad = ask (site, "GET", "/hold/<script>x", site->officer, NULL);
  ck_assert_uint_eq (bad->status, 404);
  assert_lacks (bad->body->str, "<script");
  g_autoptr (CmWebResponse) dots = ask (site, "GET", "/hold/..", site->officer, NULL);
  ck_assert_uint_eq (dots->status, 404);
  g_autoptr (CmWebResponse) unknown = ask (site, "GET", "/hold/20200101-000000-abcdef", site->officer, NULL);
  ck_assert_uint_eq (unknown->status, 404);
  g_autoptr (CmWebResponse) deep = ask (site, "GET", "/hold/a/b/c", site->officer, NULL);
  ck_assert_uint_eq (deep->status, 404);
  g_autoptr (CmWebResponse) nowhere = ask (site, "GET", "/etc/passwd", site->officer, NULL);
  ck_assert_uint_eq (nowhere->status, 404);
  g_autofree char *release = g_strdup_printf ("/hold/%s/release", hold->id);
  g_autoptr (CmWebResponse) get_release = ask (site, "GET", release, site->officer, NULL);
  ck_assert_uint_eq (get_release->status, 405);
  /* Malformed filters. */
  g_autoptr (CmWebResponse) state = ask (site, "GET", "/", site->officer, "state", "lost", NULL);
  ck_assert_uint_eq (state->status, 400);
  g_autoptr (CmWebResponse) rule = ask (site, "GET", "/", site->officer, "rule", "<b>x</b>", NULL);
  ck_assert_uint_eq (rule->status, 400);
  g_autoptr (CmWebResponse) older = ask (site, "GET", "/", site->officer, "older", "-1", NULL);
  ck_assert_uint_eq (older->status, 400);
  g_autoptr (CmWebResponse) date = ask (site, "GET", "/report", site->officer, "since", "2026-02-30", NULL);
  ck_assert_uint_eq (date->status, 400);
  /* Not signed in: pages send to the sign-in form. */
  g_autoptr (CmWebResponse) anonymous = ask (site, "GET", "/", NULL, NULL);
  ck_assert_uint_eq (anonymous->status, 303);
  ck_assert_str_eq (anonymous->location, "/signin");
}
END_TEST

START_TEST (test_queue_filters)
{
  g_autoptr (Site) site = site_new ();
  g_autoptr (CmHold) a = hold_simple (site->env, "cllr.jane.smith@northmoor.gov.uk", "member", "officer-criticism",
                                      "Alpha subject");
  g_autoptr (CmHold) b = hold_simple (site->env, "cllr.ahmed.khan@northmoor.gov.uk", "member", "member-obligation",
                                      "Beta subject");
  backdate (site->env, a->id, 10 * DAY);
  g_autoptr (CmWebResponse) all = ask (site, "GET", "/", site->officer, NULL);
  assert_has (all->body->str, "Alpha subject");
  assert_has (all->body->str, "Beta subject");
  g_autoptr (CmWebResponse) rule = ask (site, "GET", "/", site->officer, "rule", "member-obligation", NULL);
  assert_lacks (rule->body->str, "Alpha subject");
  assert_has (rule->body->str, "Beta subject");
  g_autoptr (CmWebResponse) sender = ask (site, "GET", "/", site->officer, "sender", "JANE", NULL);
  assert_has (sender->body->str, "Alpha subject");
  assert_lacks (sender->body->str, "Beta subject");
  g_autoptr (CmWebResponse) older = ask (site, "GET", "/", site->officer, "older", "7", NULL);
  assert_has (older->body->str, "Alpha subject");
  assert_lacks (older->body->str, "Beta subject");
  g_autoptr (CmWebResponse) released = ask (site, "GET", "/", site->officer, "state", "released", NULL);
  assert_lacks (released->body->str, "Alpha subject");
  assert_has (released->body->str, "No message matches.");
}
END_TEST

START_TEST (test_report)
{
  g_autoptr (Site) site = site_new ();
  g_autoptr (CmHold) a = hold_simple (site->env, "cllr.jane.smith@northmoor.gov.uk", "member", "officer-criticism",
                                      "Alpha");
  g_autoptr (CmWebResponse) report = ask (site, "GET", "/report", site->auditor, NULL);
  ck_assert_uint_eq (report->status, 200);
  const char *body = report->body->str;
  assert_has (body, "<svg");
  assert_has (body, "By month");
  assert_has (body, "By rule");
  assert_has (body, "By outcome");
  assert_has (body, "By the sender&#39;s role");
  assert_has (body, "officer-criticism");
  assert_has (body, "<strong>1</strong>");
}
END_TEST

START_TEST (test_signin)
{
  g_autoptr (Site) site = site_new ();
  /* The form: an anonymous session in a Secure, HttpOnly, SameSite=Strict cookie, and its token. */
  g_autoptr (CmWebResponse) form = ask (site, "GET", "/signin", NULL, NULL);
  ck_assert_uint_eq (form->status, 200);
  ck_assert_ptr_nonnull (form->cookie);
  assert_has (form->cookie, "; HttpOnly; Secure; SameSite=Strict");
  g_autofree char *id = g_strndup (form->cookie + strlen ("cm_session="), 64);
  g_autoptr (CmWebSession) anonymous = cm_web_sessions_lookup (site->sessions, id, now ());
  ck_assert_ptr_nonnull (anonymous);
  ck_assert_ptr_null (anonymous->user);
  g_autofree char *token = g_strdup_printf ("name=\"csrf\" value=\"%s\"", anonymous->csrf);
  assert_has (form->body->str, token);
  /* Without the token: refused before the password is looked at. */
  g_autoptr (CmWebResponse) forged = ask (site, "POST", "/signin", anonymous, "user", "mo", "password", "x", NULL);
  ck_assert_uint_eq (forged->status, 403);
  /* A wrong password: said, for three attempts; then the address waits. */
  for (int i = 0; i < 3; i++)
    {
      g_autoptr (CmWebResponse) wrong = ask (site, "POST", "/signin", anonymous, "csrf", anonymous->csrf, "user",
                                             "<b>mo</b>", "password", "wrong password", NULL);
      ck_assert_uint_eq (wrong->status, 401);
      assert_has (wrong->body->str, "The user name or the password is wrong.");
      assert_has (wrong->body->str, "&lt;b&gt;mo&lt;/b&gt;");
      ck_assert_ptr_null (wrong->cookie);
    }
  g_autoptr (CmWebResponse) limited = ask (site, "POST", "/signin", anonymous, "csrf", anonymous->csrf, "user", "mo",
                                           "password", "wrong password", NULL);
  ck_assert_uint_eq (limited->status, 429);
  /* Signed in already: the form sends to the queue. */
  g_autoptr (CmWebResponse) signed_in = ask (site, "GET", "/signin", site->officer, NULL);
  ck_assert_uint_eq (signed_in->status, 303);
  /* Signing out ends the session and clears the cookie. */
  g_autoptr (CmWebResponse) out = ask (site, "POST", "/signout", site->officer, "csrf", site->officer->csrf, NULL);
  ck_assert_uint_eq (out->status, 303);
  assert_has (out->cookie, "cm_session=; Max-Age=0");
  g_autoptr (CmWebSession) gone = cm_web_sessions_lookup (site->sessions, site->officer->id, now ());
  ck_assert_ptr_null (gone);
}
END_TEST

START_TEST (test_proxy_user_unknown)
{
  g_autoptr (Site) site = site_new ();
  g_autoptr (GHashTable) empty = g_hash_table_new (g_str_hash, g_str_equal);
  CmWebIncoming in = { .method = "GET", .path = "/", .query = empty, .form = empty, .peer = "127.0.0.1",
                       .proxy_user = "stranger", .now = now () };
  g_autoptr (CmWebResponse) response = cm_web_response_new ();
  g_autofree char *user = NULL;
  cm_web_handle (&site->context, &in, response, &user);
  ck_assert_uint_eq (response->status, 403);
  ck_assert_ptr_null (response->cookie);
}
END_TEST

/* An accounts file in a scratch directory with an officer and an auditor. */
static char *
accounts_file (void)
{
  g_autofree char *dir = test_scratch_dir ();
  char *path = g_build_filename (dir, "web-accounts", NULL);
  g_autoptr (GError) error = NULL;
  ck_assert_msg (cm_accounts_add (path, "pward", CM_WEB_ROLE_MONITORING_OFFICER, PASSWORD, &error), "%s",
                 error ? error->message : "");
  ck_assert_msg (cm_accounts_add (path, "reader", CM_WEB_ROLE_AUDITOR, PASSWORD, &error), "%s",
                 error ? error->message : "");
  return path;
}

START_TEST (test_signin_success)
{
  g_autoptr (Site) site = site_new ();
  g_autofree char *accounts = accounts_file ();
  site->context.accounts = accounts;
  g_autoptr (CmWebResponse) form = ask (site, "GET", "/signin", NULL, NULL);
  g_autofree char *anonymous_id = g_strndup (form->cookie + strlen ("cm_session="), 64);
  g_autoptr (CmWebSession) anonymous = cm_web_sessions_lookup (site->sessions, anonymous_id, now ());
  ck_assert_ptr_nonnull (anonymous);
  g_autoptr (CmWebResponse) wrong = ask (site, "POST", "/signin", anonymous, "csrf", anonymous->csrf, "user", "pward",
                                         "password", "a long enough passwore", NULL);
  ck_assert_uint_eq (wrong->status, 401);
  g_autoptr (CmWebResponse) right = ask (site, "POST", "/signin", anonymous, "csrf", anonymous->csrf, "user", "pward",
                                         "password", PASSWORD, NULL);
  ck_assert_uint_eq (right->status, 303);
  ck_assert_str_eq (right->location, "/");
  assert_has (right->cookie, "; HttpOnly; Secure; SameSite=Strict");
  /* A new session: the id seen before signing in is worth nothing now. */
  g_autofree char *id = g_strndup (right->cookie + strlen ("cm_session="), 64);
  ck_assert_str_ne (id, anonymous_id);
  g_autoptr (CmWebSession) before = cm_web_sessions_lookup (site->sessions, anonymous_id, now ());
  ck_assert_ptr_null (before);
  g_autoptr (CmWebSession) session = cm_web_sessions_lookup (site->sessions, id, now ());
  ck_assert_ptr_nonnull (session);
  ck_assert_str_eq (session->user, "pward");
  ck_assert_int_eq (session->role, CM_WEB_ROLE_MONITORING_OFFICER);
  ck_assert_str_ne (session->csrf, anonymous->csrf);
  g_autoptr (CmWebResponse) queue = ask (site, "GET", "/", session, NULL);
  ck_assert_uint_eq (queue->status, 200);
  assert_has (queue->body->str, "pward (monitoring-officer)");
}
END_TEST

/* A free TCP port on 127.0.0.1. */
static guint16
free_port (void)
{
  g_autoptr (GSocket) socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, NULL);
  g_autoptr (GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr (GSocketAddress) any = g_inet_socket_address_new (loopback, 0);
  ck_assert (g_socket_bind (socket, any, FALSE, NULL));
  g_autoptr (GSocketAddress) bound = g_socket_get_local_address (socket, NULL);
  return g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
}

/* Send REQUEST (HTTP/1.0, whole) to 127.0.0.1:PORT; the response's first line and headers. */
static char *
http (guint16 port, const char *request)
{
  g_autoptr (GSocketClient) client = g_socket_client_new ();
  g_autoptr (GError) error = NULL;
  g_autoptr (GSocketConnection) connection = g_socket_client_connect_to_host (client, "127.0.0.1", port, NULL, &error);
  ck_assert_msg (connection != NULL, "%s", error ? error->message : "");
  GOutputStream *out = g_io_stream_get_output_stream (G_IO_STREAM (connection));
  ck_assert (g_output_stream_write_all (out, request, strlen (request), NULL, NULL, NULL));
  GInputStream *in = g_io_stream_get_input_stream (G_IO_STREAM (connection));
  g_autoptr (GString) reply = g_string_new (NULL);
  char buffer[4096];
  gssize got;
  while ((got = g_input_stream_read (in, buffer, sizeof buffer, NULL, NULL)) > 0)
    g_string_append_len (reply, buffer, got);
  const char *end = strstr (reply->str, "\r\n\r\n");
  return g_strndup (reply->str, end ? (gsize) (end - reply->str) : reply->len);
}

START_TEST (test_proxy_over_http)
{
  g_autoptr (Site) site = site_new ();
  g_autofree char *accounts = accounts_file ();
  site->context.accounts = accounts;
  site->context.proxy_header = "X-Remote-User";
  guint16 port = free_port ();
  g_autofree char *listen = g_strdup_printf ("127.0.0.1:%u", port);
  /* The proxy is elsewhere: a header from 127.0.0.1 is not believed. */
  site->context.trusted_proxy = "192.0.2.7";
  {
    g_autoptr (GError) error = NULL;
    g_autoptr (CmWebServer) server = cm_web_server_start (&site->context, listen, &error);
    ck_assert_msg (server != NULL, "%s", error ? error->message : "");
    g_autofree char *ignored = http (port, "GET / HTTP/1.0\r\nX-Remote-User: pward\r\n\r\n");
    assert_has (ignored, " 303 See Other");
    assert_has (ignored, "Location: /signin");
  }
  /* The proxy is here: its user is signed in, with a session of their own. */
  site->context.trusted_proxy = "127.0.0.1";
  g_autoptr (GError) error = NULL;
  g_autoptr (CmWebServer) server = cm_web_server_start (&site->context, listen, &error);
  ck_assert_msg (server != NULL, "%s", error ? error->message : "");
  g_autofree char *believed = http (port, "GET / HTTP/1.0\r\nX-Remote-User: pward\r\n\r\n");
  assert_has (believed, " 200 OK");
  assert_has (believed, "Set-Cookie: cm_session=");
  assert_has (believed, "Content-Security-Policy: default-src 'none'");
  assert_has (believed, "Cache-Control: no-store");
  /* A name without an account is refused. */
  g_autofree char *stranger = http (port, "GET / HTTP/1.0\r\nX-Remote-User: stranger\r\n\r\n");
  assert_has (stranger, " 403 Forbidden");
  /* An auditor from the proxy cannot decide, even with the session's token. */
  g_autoptr (CmHold) hold = hold_simple (site->env, "cllr.jane.smith@northmoor.gov.uk", "member",
                                         "officer-criticism", "Mill Lane");
  g_autoptr (GHashTable) empty = g_hash_table_new (g_str_hash, g_str_equal);
  CmWebIncoming in = { .method = "GET", .path = "/", .query = empty, .form = empty, .peer = "127.0.0.1",
                       .proxy_user = "reader", .now = now () };
  g_autoptr (CmWebResponse) first = cm_web_response_new ();
  g_autofree char *user = NULL;
  cm_web_handle (&site->context, &in, first, &user);
  ck_assert_uint_eq (first->status, 200);
  g_autofree char *id = g_strndup (first->cookie + strlen ("cm_session="), 64);
  g_autoptr (CmWebSession) reader = cm_web_sessions_lookup (site->sessions, id, now ());
  ck_assert_ptr_nonnull (reader);
  g_autoptr (GHashTable) form = g_hash_table_new (g_str_hash, g_str_equal);
  g_hash_table_insert (form, (gpointer) "csrf", reader->csrf);
  g_autofree char *release = g_strdup_printf ("/hold/%s/release", hold->id);
  CmWebIncoming post = { .method = "POST", .path = release, .query = empty, .form = form, .peer = "127.0.0.1",
                         .cookie = id, .proxy_user = "reader", .now = now () };
  g_autoptr (CmWebResponse) refused = cm_web_response_new ();
  g_autofree char *who = NULL;
  cm_web_handle (&site->context, &post, refused, &who);
  ck_assert_uint_eq (refused->status, 403);
  /* The proxy's session was used, not a new one made: the cookie sent
   * back only makes the same session last longer. */
  g_autofree char *same = g_strdup_printf ("cm_session=%s; Max-Age=", id);
  ck_assert_ptr_nonnull (refused->cookie);
  ck_assert (g_str_has_prefix (refused->cookie, same));
  ck_assert_str_eq (who, "reader");
  g_autoptr (CmHold) after = get (site->env, hold->id);
  ck_assert_int_eq (after->state, CM_HOLD_HELD);
}
END_TEST

int
main (void)
{
  g_mime_init ();
  Suite *suite = suite_create ("webpages");
  TCase *tc = tcase_create ("webpages");
  tcase_set_timeout (tc, 120);
  tcase_add_test (tc, test_hostile_hold);
  tcase_add_test (tc, test_auditor_reads_only);
  tcase_add_test (tc, test_csrf_refused);
  tcase_add_test (tc, test_release_and_reject);
  tcase_add_test (tc, test_bad_requests);
  tcase_add_test (tc, test_queue_filters);
  tcase_add_test (tc, test_report);
  tcase_add_test (tc, test_signin);
  tcase_add_test (tc, test_proxy_user_unknown);
  tcase_add_test (tc, test_signin_success);
  tcase_add_test (tc, test_proxy_over_http);
  suite_add_tcase (suite, tc);
  int status = test_run (suite);
  g_mime_shutdown ();
  return status;
}
