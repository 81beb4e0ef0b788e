/*
 * test_websession.c: council-review-web's sessions (web/session.c): ids
 * and CSRF tokens random and of one shape, expiry, sign-out, the store's
 * bound (a flood of visitors signs nobody out), the sign-in rate limit
 * per address, the cookie's attributes, and the evidence marking of the
 * hold page (web/highlight.c) with hostile text, and the client address
 * behind a trusted proxy (web/server.c).
 */
#include "config.h"

#include <string.h>

#include "highlight.h"
#include "server.h"
#include "session.h"
#include "testutil.h"

#define NOW 1800000000

/* Is TEXT 64 lower-case hex digits? */
static gboolean
is_token (const char *text)
{
  return text && g_regex_match_simple ("^[0-9a-f]{64}$", text, 0, 0);
}

/* A reviewer who keeps working stays signed in, up to the day's limit;
 * one who stops is signed out after session-minutes. */
START_TEST (test_use_extends)
{
  g_autoptr (CmWebSessions) sessions = cm_web_sessions_new (30, 5);
  g_autoptr (CmWebSession) a = cm_web_sessions_create (sessions, "alice", CM_WEB_ROLE_DEPUTY, NOW, NULL);
  gint64 t = NOW;
  /* A page every 20 minutes: never 30 minutes unused. */
  for (t = NOW + 20 * 60; t < NOW + CM_WEB_SIGNIN_MAX_SECONDS; t += 20 * 60)
    {
      g_autoptr (CmWebSession) used = cm_web_sessions_lookup (sessions, a->id, t);
      ck_assert_msg (used != NULL, "signed out %" G_GINT64_FORMAT " s after signing in while in use", t - NOW);
      ck_assert_int_eq (used->expires, MIN (t + 30 * 60, NOW + CM_WEB_SIGNIN_MAX_SECONDS));
    }
  /* The day's limit holds however busy the session is. */
  ck_assert_ptr_null (cm_web_sessions_lookup (sessions, a->id, NOW + CM_WEB_SIGNIN_MAX_SECONDS));

  /* Unused for session-minutes: gone, though it had been extended. */
  g_autoptr (CmWebSession) b = cm_web_sessions_create (sessions, "bob", CM_WEB_ROLE_DEPUTY, NOW, NULL);
  g_autoptr (CmWebSession) once = cm_web_sessions_lookup (sessions, b->id, NOW + 25 * 60);
  ck_assert_ptr_nonnull (once);
  ck_assert_ptr_null (cm_web_sessions_lookup (sessions, b->id, NOW + 25 * 60 + 30 * 60));

  /* The sign-in form's anonymous session is not extended by use. */
  g_autoptr (CmWebSession) form = cm_web_sessions_create (sessions, NULL, CM_WEB_ROLE_AUDITOR, NOW, NULL);
  g_autoptr (CmWebSession) seen = cm_web_sessions_lookup (sessions, form->id, NOW + 60);
  ck_assert_int_eq (seen->expires, NOW + CM_WEB_ANONYMOUS_SECONDS);
  ck_assert_ptr_null (cm_web_sessions_lookup (sessions, form->id, NOW + CM_WEB_ANONYMOUS_SECONDS));

  /* A session-minutes longer than the day's limit still lasts that long. */
  g_autoptr (CmWebSessions) long_sessions = cm_web_sessions_new (24 * 60, 5);
  g_autoptr (CmWebSession) c = cm_web_sessions_create (long_sessions, "carol", CM_WEB_ROLE_DEPUTY, NOW, NULL);
  g_autoptr (CmWebSession) later = cm_web_sessions_lookup (long_sessions, c->id, NOW + 60);
  ck_assert_int_eq (later->expires, NOW + 24 * 60 * 60);
}
END_TEST

START_TEST (test_create_lookup)
{
  g_autoptr (CmWebSessions) sessions = cm_web_sessions_new (30, 5);
  g_autoptr (CmWebSession) a = cm_web_sessions_create (sessions, "alice", CM_WEB_ROLE_DEPUTY, NOW, NULL);
  g_autoptr (CmWebSession) b = cm_web_sessions_create (sessions, "alice", CM_WEB_ROLE_DEPUTY, NOW, NULL);
  ck_assert (is_token (a->id) && is_token (a->csrf));
  ck_assert_str_ne (a->id, b->id);
  ck_assert_str_ne (a->csrf, b->csrf);
  ck_assert_str_ne (a->id, a->csrf);
  ck_assert_int_eq (a->expires, NOW + 30 * 60);
  g_autoptr (CmWebSession) found = cm_web_sessions_lookup (sessions, a->id, NOW + 60);
  ck_assert_ptr_nonnull (found);
  ck_assert_str_eq (found->user, "alice");
  ck_assert_int_eq (found->role, CM_WEB_ROLE_DEPUTY);
  ck_assert_str_eq (found->csrf, a->csrf);
  /* Used at NOW + 60, it lasts 30 minutes from then. */
  ck_assert_int_eq (found->expires, NOW + 60 + 30 * 60);
  ck_assert_int_eq (found->signed_in, NOW);
  /* Expired: gone, and gone for good. */
  ck_assert_ptr_null (cm_web_sessions_lookup (sessions, a->id, NOW + 60 + 30 * 60));
  ck_assert_ptr_null (cm_web_sessions_lookup (sessions, a->id, NOW));
  /* Signed out. */
  cm_web_sessions_end (sessions, b->id);
  ck_assert_ptr_null (cm_web_sessions_lookup (sessions, b->id, NOW));
}
END_TEST

START_TEST (test_forged_ids)
{
  g_autoptr (CmWebSessions) sessions = cm_web_sessions_new (30, 5);
  g_autoptr (CmWebSession) a = cm_web_sessions_create (sessions, "alice", CM_WEB_ROLE_DEPUTY, NOW, NULL);
  g_autofree char *upper = g_ascii_strup (a->id, -1);
  g_autofree char *shorter = g_strndup (a->id, 63);
  g_autofree char *longer = g_strconcat (a->id, "0", NULL);
  ck_assert_ptr_null (cm_web_sessions_lookup (sessions, NULL, NOW));
  ck_assert_ptr_null (cm_web_sessions_lookup (sessions, "", NOW));
  ck_assert_ptr_null (cm_web_sessions_lookup (sessions, shorter, NOW));
  ck_assert_ptr_null (cm_web_sessions_lookup (sessions, longer, NOW));
  if (strcmp (upper, a->id) != 0)
    ck_assert_ptr_null (cm_web_sessions_lookup (sessions, upper, NOW));
  /* The CSRF token is not a session id. */
  ck_assert_ptr_null (cm_web_sessions_lookup (sessions, a->csrf, NOW));
}
END_TEST

START_TEST (test_csrf)
{
  g_autoptr (CmWebSessions) sessions = cm_web_sessions_new (30, 5);
  g_autoptr (CmWebSession) a = cm_web_sessions_create (sessions, "alice", CM_WEB_ROLE_MONITORING_OFFICER, NOW, NULL);
  g_autoptr (CmWebSession) b = cm_web_sessions_create (sessions, "bob", CM_WEB_ROLE_MONITORING_OFFICER, NOW, NULL);
  ck_assert (cm_web_session_csrf_valid (a, a->csrf));
  ck_assert (!cm_web_session_csrf_valid (a, NULL));
  ck_assert (!cm_web_session_csrf_valid (a, ""));
  ck_assert (!cm_web_session_csrf_valid (a, b->csrf));
  g_autofree char *prefix = g_strndup (a->csrf, 32);
  ck_assert (!cm_web_session_csrf_valid (a, prefix));
  g_autofree char *extended = g_strconcat (a->csrf, "x", NULL);
  ck_assert (!cm_web_session_csrf_valid (a, extended));
  ck_assert (!cm_web_session_csrf_valid (NULL, a->csrf));
  ck_assert (!cm_web_token_equal (NULL, NULL));
}
END_TEST

START_TEST (test_anonymous_and_flash)
{
  g_autoptr (CmWebSessions) sessions = cm_web_sessions_new (480, 5);
  g_autoptr (CmWebSession) anonymous = cm_web_sessions_create (sessions, NULL, CM_WEB_ROLE_AUDITOR, NOW, NULL);
  ck_assert_ptr_null (anonymous->user);
  ck_assert_int_eq (anonymous->expires, NOW + CM_WEB_ANONYMOUS_SECONDS);
  ck_assert_ptr_null (cm_web_sessions_take_flash (sessions, anonymous->id));
  cm_web_sessions_set_flash (sessions, anonymous->id, "Released.");
  g_autofree char *flash = cm_web_sessions_take_flash (sessions, anonymous->id);
  ck_assert_str_eq (flash, "Released.");
  ck_assert_ptr_null (cm_web_sessions_take_flash (sessions, anonymous->id));
  /* An unknown session keeps nothing. */
  cm_web_sessions_set_flash (sessions, "nope", "x");
  ck_assert_ptr_null (cm_web_sessions_take_flash (sessions, "nope"));
}
END_TEST

START_TEST (test_bounded)
{
  g_autoptr (CmWebSessions) sessions = cm_web_sessions_new (480, 5);
  g_autoptr (CmWebSession) officer = cm_web_sessions_create (sessions, "mo", CM_WEB_ROLE_MONITORING_OFFICER, NOW, NULL);
  g_autoptr (GPtrArray) visitors = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; i < CM_WEB_SESSIONS_MAX + 50; i++)
    {
      g_autoptr (CmWebSession) visitor = cm_web_sessions_create (sessions, NULL, CM_WEB_ROLE_AUDITOR, NOW + 1, NULL);
      g_ptr_array_add (visitors, g_strdup (visitor->id));
    }
  /* The signed-in officer stays; the store keeps no more than its bound. */
  g_autoptr (CmWebSession) still = cm_web_sessions_lookup (sessions, officer->id, NOW + 2);
  ck_assert_ptr_nonnull (still);
  guint live = 0;
  for (guint i = 0; i < visitors->len; i++)
    {
      g_autoptr (CmWebSession) visitor = cm_web_sessions_lookup (sessions, visitors->pdata[i], NOW + 2);
      live += visitor != NULL;
    }
  ck_assert_uint_eq (live, CM_WEB_SESSIONS_MAX - 1);
}
END_TEST

START_TEST (test_rate_limit)
{
  g_autoptr (CmWebSessions) sessions = cm_web_sessions_new (30, 3);
  for (int i = 0; i < 3; i++)
    ck_assert (cm_web_sessions_signin_allowed (sessions, "192.0.2.1", NOW + i));
  ck_assert (!cm_web_sessions_signin_allowed (sessions, "192.0.2.1", NOW + 10));
  ck_assert (!cm_web_sessions_signin_allowed (sessions, "192.0.2.1", NOW + 59));
  /* Another address is not held back by the first. */
  ck_assert (cm_web_sessions_signin_allowed (sessions, "192.0.2.2", NOW + 10));
  /* A minute after the first attempt, one more is allowed; refused ones did not count. */
  ck_assert (cm_web_sessions_signin_allowed (sessions, "192.0.2.1", NOW + 61));
  ck_assert (!cm_web_sessions_signin_allowed (sessions, "192.0.2.1", NOW + 61));
  ck_assert (cm_web_sessions_signin_allowed (sessions, "192.0.2.1", NOW + 200));
}
END_TEST

START_TEST (test_rate_limit_bounded)
{
  g_autoptr (CmWebSessions) sessions = cm_web_sessions_new (30, 3);
  ck_assert (cm_web_sessions_signin_allowed (sessions, "192.0.2.1", NOW));
  for (guint i = 1; i < CM_WEB_ADDRESSES_MAX; i++)
    {
      g_autofree char *address = g_strdup_printf ("2001:db8::%x", i);
      ck_assert (cm_web_sessions_signin_allowed (sessions, address, NOW + 1));
    }
  /* Full: a new address waits; one already known still has its own limit. */
  ck_assert (!cm_web_sessions_signin_allowed (sessions, "198.51.100.1", NOW + 2));
  ck_assert (cm_web_sessions_signin_allowed (sessions, "192.0.2.1", NOW + 2));
  /* A minute on, the old addresses are forgotten and new ones come in. */
  ck_assert (cm_web_sessions_signin_allowed (sessions, "198.51.100.1", NOW + 62));
}
END_TEST

START_TEST (test_cookie)
{
  g_autoptr (CmWebSessions) sessions = cm_web_sessions_new (30, 3);
  g_autoptr (CmWebSession) a = cm_web_sessions_create (sessions, "alice", CM_WEB_ROLE_AUDITOR, NOW, NULL);
  g_autofree char *cookie = cm_web_cookie (a, NOW + 60, TRUE);
  g_autofree char *expected = g_strdup_printf ("cm_session=%s; Max-Age=1740; Path=/; HttpOnly; Secure; SameSite=Strict",
                                               a->id);
  ck_assert_str_eq (cookie, expected);
  g_autofree char *plain = cm_web_cookie (a, NOW, FALSE);
  ck_assert_ptr_null (strstr (plain, "Secure"));
  ck_assert_ptr_nonnull (strstr (plain, "HttpOnly"));
  ck_assert_ptr_nonnull (strstr (plain, "SameSite=Strict"));
  g_autofree char *cleared = cm_web_cookie (NULL, NOW, TRUE);
  ck_assert_str_eq (cleared, "cm_session=; Max-Age=0; Path=/; HttpOnly; Secure; SameSite=Strict");
}
END_TEST

/* TEXT with EVIDENCE (NULL-terminated) marked. */
static char *
marked (const char *text, const char *const *evidence)
{
  g_autoptr (GPtrArray) list = g_ptr_array_new ();
  for (guint i = 0; evidence[i]; i++)
    g_ptr_array_add (list, (gpointer) evidence[i]);
  GString *out = g_string_new (NULL);
  cm_highlight (out, text, list);
  return g_string_free (out, FALSE);
}

START_TEST (test_highlight)
{
  /* A sentence folded over two lines in the message is still found. */
  const char *const one[] = { "Frankly, the Head of Planning is incompetent.", NULL };
  g_autofree char *a = marked ("Raj,\nFrankly, the Head of\nPlanning is incompetent. Thanks\n", one);
  ck_assert_str_eq (a, "Raj,\n<mark>Frankly, the Head of\nPlanning is incompetent.</mark> Thanks\n");
  /* Markup in the text and in the evidence comes out as text, marks and all. */
  const char *const hostile[] = { "<script>alert('x')</script> is what he is", NULL };
  g_autofree char *b = marked ("Hi <b>all</b>: <script>alert('x')</script> is what he is & more", hostile);
  ck_assert_str_eq (b, "Hi &lt;b&gt;all&lt;/b&gt;: <mark>&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; is what he "
                       "is</mark> &amp; more");
  /* Overlapping evidence is merged into one mark; short evidence marks nothing. */
  const char *const overlap[] = { "one two three", "two three four", "two", NULL };
  g_autofree char *c = marked ("zero one two three four five", overlap);
  ck_assert_str_eq (c, "zero <mark>one two three four</mark> five");
  /* Evidence not in the text: the text unchanged, escaped. */
  const char *const absent[] = { "nowhere to be found", NULL };
  g_autofree char *d = marked ("a < b", absent);
  ck_assert_str_eq (d, "a &lt; b");
}
END_TEST

START_TEST (test_forwarded_client)
{
  const char *cases[][2] = {
    { "198.51.100.4", "198.51.100.4" },
    { "10.0.0.1, 203.0.113.9", "203.0.113.9" },
    { "forged, 2001:db8::1 ", "2001:db8::1" },
    { "203.0.113.9, not-an-address", NULL },
    { "", NULL },
    { "<script>", NULL },
  };
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *client = cm_web_forwarded_client (cases[i][0]);
      ck_assert_msg (g_strcmp0 (client, cases[i][1]) == 0, "%s: got %s", cases[i][0], client ? client : "NULL");
    }
  ck_assert_ptr_null (cm_web_forwarded_client (NULL));
}
END_TEST

int
main (void)
{
  Suite *suite = suite_create ("websession");
  TCase *tc = tcase_create ("websession");
  tcase_set_timeout (tc, 60);
  tcase_add_test (tc, test_create_lookup);
  tcase_add_test (tc, test_use_extends);
  tcase_add_test (tc, test_forged_ids);
  tcase_add_test (tc, test_csrf);
  tcase_add_test (tc, test_anonymous_and_flash);
  tcase_add_test (tc, test_bounded);
  tcase_add_test (tc, test_rate_limit);
  tcase_add_test (tc, test_rate_limit_bounded);
  tcase_add_test (tc, test_cookie);
  tcase_add_test (tc, test_highlight);
  tcase_add_test (tc, test_forwarded_client);
  suite_add_tcase (suite, tc);
  return test_run (suite);
}
