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
 * draws its charts.
 */
#include "config.h"

#include <string.h>

#include "reviewfixture.h"
#include "server.h"
#include "settings.h"

#define NOW_SLACK 0

/* Markup a sender might write, and what must never come out raw. */
#define HOSTILE_SUBJECT "<script>alert('subject')</script> & <b>bold</b>"
#define HOSTILE_EVIDENCE "Tom Baker <img src=x onerror=alert(1)> has made a mess of it."

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
  suite_add_tcase (suite, tc);
  int status = test_run (suite);
  g_mime_shutdown ();
  return status;
}
