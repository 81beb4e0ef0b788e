/*
 * test_reviewlib.c: the review library (milter/reviewlib.h) called
 * directly, as decide-by-reply and the web page will call it, against a
 * scratch spool and a small SMTP listener (reviewfixture.h): every
 * decision (release, reject, expire and escalate, explain), the errors
 * (a bad id, no such hold, decided already, a listener that is down, a
 * locked index, a message whose file has gone), the acting person and
 * its kind in the audit trail, everything about one hold, the report,
 * and two people deciding the same hold at the same moment in threads:
 * exactly one wins and the other is told who did.
 */
#include "config.h"

#include <string.h>
#include <glib/gstdio.h>
#include <sqlite3.h>

#include "reviewfixture.h"
#include "settings.h"
#include "reviewlib.h"

/* A session under ENV's configuration for NAME of KIND. */
static CmReviewSession *
open_session (Env *env, CmReviewActorKind kind, const char *name)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (CmConfig) config = cm_daemon_config_load (env->config, &error);
  ck_assert_msg (config != NULL, "%s", error ? error->message : "");
  CmReviewSession *session = cm_review_session_open (config, kind, name, &error);
  ck_assert_msg (session != NULL, "%s", error ? error->message : "");
  return session;
}

/* The last event WHAT of hold ID's audit trail, read through the library. */
static CmHoldEvent *
last_event (CmReviewSession *session, const char *id, const char *what)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) events = cm_review_audit (session, id, 0, &error);
  ck_assert_msg (events != NULL, "%s", error ? error->message : "");
  for (guint i = events->len; i > 0; i--)
    {
      CmHoldEvent *event = events->pdata[i - 1];
      if (strcmp (event->what, what) == 0)
        return g_ptr_array_steal_index (events, i - 1);
    }
  ck_abort_msg ("no \"%s\" event for %s", what, id);
  return NULL;
}

/* Assert that EVENT was by WHO of KIND. */
static void
assert_by (CmHoldEvent *event, const char *who, const char *kind)
{
  ck_assert_str_eq (event->who, who);
  ck_assert_msg (g_strcmp0 (event->who_kind, kind) == 0, "%s by %s: kind %s, not %s", event->what, event->who,
                 event->who_kind ? event->who_kind : "(none)", kind);
  cm_hold_event_free (event);
}

/* Assert that ERROR is CODE of the library, its message containing NEEDLE (or NULL). */
static void
assert_error (const GError *error, CmReviewErrorCode code, const char *needle)
{
  ck_assert_msg (g_error_matches (error, CM_REVIEW_ERROR, code), "code %d, not %d: %s",
                 error ? error->code : -1, code, error ? error->message : "no error");
  if (needle)
    assert_has (error->message, needle);
}

START_TEST (test_release)
{
  g_autoptr (Env) env = env_new (NULL);
  g_autoptr (CmHold) hold = hold_message (env, jane, NULL, obligation_message);
  g_autoptr (CmReviewSession) session = open_session (env, CM_REVIEW_WEB_USER, "alice");
  g_autoptr (GError) error = NULL;
  g_autoptr (CmReviewOutcome) outcome = cm_review_release (session, hold->id, "Agreed with the leader", &error);
  ck_assert_msg (outcome != NULL, "%s", error ? error->message : "");
  ck_assert_int_eq (outcome->hold->state, CM_HOLD_RELEASED);
  ck_assert_str_eq (outcome->hold->decided_by, "alice");
  ck_assert_str_eq (outcome->hold->decision_note, "Agreed with the leader");
  ck_assert_uint_eq (outcome->recipients, 2);
  ck_assert_str_eq (outcome->handed_to, env->sink->hostport);
  ck_assert_uint_eq (outcome->warnings->len, 0);
  /* Re-injected once, with the original envelope and the marker. */
  ck_assert_uint_eq (smtpsink_count (env->sink), 1);
  SmtpSinkMessage *m = received (env, 0);
  ck_assert_str_eq (m->sender, jane);
  ck_assert_uint_eq (m->recipients->len, 2);
  g_autofree char *prefix = g_strdup_printf ("X-Council-Protocol-Release: %s ", hold->id);
  ck_assert (g_str_has_prefix (m->data->str, prefix));
  /* The web user, as a web user, in the audit trail. */
  assert_by (last_event (session, hold->id, "released"), "alice", CM_HOLD_ACTOR_WEB);
  assert_by (last_event (session, hold->id, "held"), "council-milter", CM_HOLD_ACTOR_SYSTEM);

  /* Once only: the second is told by whom. */
  g_autoptr (CmReviewSession) other = open_session (env, CM_REVIEW_SHELL_USER, "bob");
  g_autoptr (CmReviewOutcome) again = cm_review_release (other, hold->id, NULL, &error);
  ck_assert_ptr_null (again);
  assert_error (error, CM_REVIEW_ERROR_DECIDED, "already released by alice");
  g_clear_error (&error);
  g_autoptr (CmReviewOutcome) late = cm_review_reject (other, hold->id, "No.", &error);
  ck_assert_ptr_null (late);
  assert_error (error, CM_REVIEW_ERROR_DECIDED, "not rejected: ");
  ck_assert_uint_eq (smtpsink_count (env->sink), 1);
}
END_TEST

START_TEST (test_release_fails)
{
  g_autoptr (Env) env = env_new (NULL);
  g_autoptr (CmHold) hold = hold_message (env, jane, NULL, obligation_message);
  g_autoptr (CmReviewSession) session = open_session (env, CM_REVIEW_SHELL_USER, REVIEWER);
  g_autoptr (GError) error = NULL;

  /* The listener down: SMTP, and held again. */
  smtpsink_down (env->sink);
  g_autoptr (CmReviewOutcome) down = cm_review_release (session, hold->id, NULL, &error);
  ck_assert_ptr_null (down);
  assert_error (error, CM_REVIEW_ERROR_SMTP, "held again");
  g_clear_error (&error);
  g_autoptr (CmHold) again = get (env, hold->id);
  ck_assert_int_eq (again->state, CM_HOLD_HELD);
  assert_by (last_event (session, hold->id, "release-failed"), "council-milter", CM_HOLD_ACTOR_SYSTEM);
  smtpsink_up (env->sink);

  /* The message's file gone: not found, and nothing decided. */
  g_autofree char *path = cm_holdstore_message_path (env->store, hold->id);
  ck_assert_int_eq (g_unlink (path), 0);
  g_autoptr (CmReviewOutcome) gone = cm_review_release (session, hold->id, NULL, &error);
  ck_assert_ptr_null (gone);
  assert_error (error, CM_REVIEW_ERROR_NOT_FOUND, "is missing");
  g_clear_error (&error);
  g_autoptr (CmHold) still = get (env, hold->id);
  ck_assert_int_eq (still->state, CM_HOLD_HELD);
  /* ... which everything about it says, rather than failing. */
  g_autoptr (CmReviewHold) shown = cm_review_get (session, hold->id, &error);
  ck_assert_msg (shown != NULL, "%s", error ? error->message : "");
  ck_assert (shown->missing);
  ck_assert_ptr_null (shown->text);
  ck_assert_uint_eq (shown->parts->len, 0);
  ck_assert_uint_eq (smtpsink_count (env->sink), 0);
}
END_TEST

START_TEST (test_reject)
{
  g_autoptr (Env) env = env_new (NULL);
  g_autoptr (CmHold) hold = hold_message (env, jane, NULL, obligation_message);
  /* Tomorrow's decide-by-reply: the Monitoring Officer by mail. */
  g_autoptr (CmReviewSession) session = open_session (env, CM_REVIEW_MAIL_SENDER, "peter.ward@northmoor.gov.uk");
  g_autoptr (GError) error = NULL;
  g_autoptr (CmReviewOutcome) blank = cm_review_reject (session, hold->id, "  \n", &error);
  ck_assert_ptr_null (blank);
  assert_error (error, CM_REVIEW_ERROR_INVALID, "reason");
  g_clear_error (&error);
  g_autoptr (CmHold) unchanged = get (env, hold->id);
  ck_assert_int_eq (unchanged->state, CM_HOLD_HELD);

  g_autoptr (CmReviewOutcome) outcome = cm_review_reject (session, hold->id, " Only the Director may agree. ",
                                                          &error);
  ck_assert_msg (outcome != NULL, "%s", error ? error->message : "");
  ck_assert_int_eq (outcome->hold->state, CM_HOLD_REJECTED);
  ck_assert_str_eq (outcome->hold->decision_note, "Only the Director may agree.");
  ck_assert_ptr_null (outcome->notice_error);
  ck_assert_str_eq (outcome->notice, "notice sent to cllr.jane.smith@northmoor.gov.uk");
  ck_assert_uint_eq (smtpsink_count (env->sink), 1);
  ck_assert_str_eq (received (env, 0)->recipients->pdata[0], jane);
  assert_by (last_event (session, hold->id, "rejected"), "peter.ward@northmoor.gov.uk", CM_HOLD_ACTOR_MAIL);
  assert_by (last_event (session, hold->id, "notified"), "peter.ward@northmoor.gov.uk", CM_HOLD_ACTOR_MAIL);

  /* No notice to a sender outside the council (no backscatter). */
  g_autoptr (CmHold) outside = hold_simple (env, "someone@example.org", "external", "disrespect", "Hi");
  g_autoptr (CmReviewOutcome) quiet = cm_review_reject (session, outside->id, "Abusive.", &error);
  ck_assert_msg (quiet != NULL, "%s", error ? error->message : "");
  assert_has (quiet->notice, "outside the council");
  ck_assert_uint_eq (smtpsink_count (env->sink), 1);
}
END_TEST

START_TEST (test_errors)
{
  g_autoptr (Env) env = env_new (NULL);
  g_autoptr (CmReviewSession) session = open_session (env, CM_REVIEW_SHELL_USER, REVIEWER);
  const char *const bad[] = { "../secret", "", "20261123-031500-7F3A9C", "20261123-031500-7f3a9c\n" };
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr (GError) error = NULL;
      g_autoptr (CmReviewHold) shown = cm_review_get (session, bad[i], &error);
      ck_assert_ptr_null (shown);
      assert_error (error, CM_REVIEW_ERROR_BAD_ID, "no held message has the id");
      g_clear_error (&error);
      ck_assert_ptr_null (cm_review_release (session, bad[i], NULL, &error));
      assert_error (error, CM_REVIEW_ERROR_BAD_ID, NULL);
      g_clear_error (&error);
      ck_assert_ptr_null (cm_review_open_message (session, bad[i], &error));
      ck_assert (error != NULL);
    }
  /* Well formed, but no such hold. */
  const char *absent = "20000101-000000-abcdef";
  g_autoptr (GError) error = NULL;
  ck_assert_ptr_null (cm_review_get (session, absent, &error));
  assert_error (error, CM_REVIEW_ERROR_NOT_FOUND, "no held message has the id 20000101-000000-abcdef");
  g_clear_error (&error);
  ck_assert_ptr_null (cm_review_release (session, absent, NULL, &error));
  assert_error (error, CM_REVIEW_ERROR_NOT_FOUND, NULL);
  g_clear_error (&error);
  ck_assert_ptr_null (cm_review_reject (session, absent, "No.", &error));
  assert_error (error, CM_REVIEW_ERROR_NOT_FOUND, NULL);
  g_clear_error (&error);
  ck_assert_ptr_null (cm_review_audit (session, absent, 0, &error));
  assert_error (error, CM_REVIEW_ERROR_NOT_FOUND, NULL);
  g_clear_error (&error);
  ck_assert (!cm_review_explain (session, absent, "Because.", &error));
  assert_error (error, CM_REVIEW_ERROR_NOT_FOUND, NULL);
  g_clear_error (&error);
}
END_TEST

/* A locked index (another process in a transaction past the busy
 * timeout) is BUSY, to be tried again, and nothing is decided. */
START_TEST (test_busy)
{
  g_autoptr (Env) env = env_new (NULL);
  g_autoptr (CmHold) hold = hold_message (env, jane, NULL, obligation_message);
  g_autoptr (CmReviewSession) session = open_session (env, CM_REVIEW_SHELL_USER, REVIEWER);
  g_autofree char *index = g_build_filename (env->spool, "index.sqlite", NULL);
  sqlite3 *db = NULL;
  ck_assert_int_eq (sqlite3_open (index, &db), SQLITE_OK);
  ck_assert_int_eq (sqlite3_exec (db, "BEGIN IMMEDIATE", NULL, NULL, NULL), SQLITE_OK);
  g_autoptr (GError) error = NULL;
  g_autoptr (CmReviewOutcome) outcome = cm_review_release (session, hold->id, NULL, &error);
  ck_assert_ptr_null (outcome);
  assert_error (error, CM_REVIEW_ERROR_BUSY, NULL);
  g_clear_error (&error);
  ck_assert_int_eq (sqlite3_exec (db, "COMMIT", NULL, NULL, NULL), SQLITE_OK);
  sqlite3_close (db);
  ck_assert_uint_eq (smtpsink_count (env->sink), 0);
  g_autoptr (CmReviewOutcome) retried = cm_review_release (session, hold->id, NULL, &error);
  ck_assert_msg (retried != NULL, "%s", error ? error->message : "");
}
END_TEST

START_TEST (test_explain_and_actor)
{
  g_autoptr (Env) env = env_new (NULL);
  g_autoptr (CmHold) hold = hold_message (env, jane, NULL, obligation_message);
  /* A name written by someone else is recorded without control codes. */
  g_autoptr (CmReviewSession) session = open_session (env, CM_REVIEW_WEB_USER, "eve\x1b[31m\n");
  ck_assert_str_eq (cm_review_session_who (session), "eve?[31m ");
  ck_assert_int_eq (cm_review_session_kind (session), CM_REVIEW_WEB_USER);
  ck_assert_str_eq (cm_review_actor_kind_name (CM_REVIEW_SHELL_USER), "shell");
  ck_assert_str_eq (cm_review_actor_kind_name (CM_REVIEW_SCHEDULED), "system");

  g_autoptr (GError) error = NULL;
  ck_assert_msg (cm_review_explain (session, hold->id, "The leader asked me to.", &error), "%s",
                 error ? error->message : "");
  /* The sender explains, by mail, whoever recorded it. */
  assert_by (last_event (session, hold->id, "explained"), jane, CM_HOLD_ACTOR_MAIL);
  g_autoptr (CmReviewOutcome) outcome = cm_review_release (session, hold->id, NULL, &error);
  ck_assert_msg (outcome != NULL, "%s", error ? error->message : "");
  assert_by (last_event (session, hold->id, "released"), "eve?[31m ", CM_HOLD_ACTOR_WEB);
  ck_assert (!cm_review_explain (session, hold->id, "Too late.", &error));
  assert_error (error, CM_REVIEW_ERROR_DECIDED, "too late to explain");
}
END_TEST

START_TEST (test_get)
{
  g_autoptr (Env) env = env_new (NULL);
  const char multipart[] =
    "From: Cllr Jane Smith <cllr.jane.smith@northmoor.gov.uk>\r\n"
    "To: builder@example.org\r\n"
    "Subject: Fence repairs\r\n"
    "MIME-Version: 1.0\r\n"
    "Content-Type: multipart/mixed; boundary=\"b1\"\r\n"
    "\r\n"
    "--b1\r\n"
    "Content-Type: text/plain; charset=utf-8\r\n"
    "\r\n"
    "The council will pay for the fence.\r\n"
    "--b1\r\n"
    "Content-Type: application/pdf; name=\"quote.pdf\"\r\n"
    "Content-Disposition: attachment; filename=\"quote\x07.pdf\"\r\n"
    "Content-Transfer-Encoding: base64\r\n"
    "\r\n"
    "JVBERi0xLjQK\r\n"
    "--b1--\r\n";
  g_autoptr (CmHold) hold = hold_message (env, jane, NULL, multipart);
  ck_assert (cm_holdstore_explain (env->store, hold->id, "The leader asked me to.", NULL));
  g_autoptr (CmReviewSession) session = open_session (env, CM_REVIEW_SHELL_USER, REVIEWER);
  g_autoptr (GError) error = NULL;
  g_autoptr (CmReviewHold) shown = cm_review_get (session, hold->id, &error);
  ck_assert_msg (shown != NULL, "%s", error ? error->message : "");
  ck_assert_str_eq (shown->record->id, hold->id);
  ck_assert_str_eq (shown->record->explanation, "The leader asked me to.");
  ck_assert (!shown->missing);
  ck_assert_ptr_null (shown->message_error);
  assert_has (shown->text, "The council will pay for the fence.");
  ck_assert_ptr_nonnull (shown->file);
  /* The findings, with their evidence, and the paragraphs cited. */
  ck_assert_ptr_null (shown->findings_error);
  ck_assert_uint_gt (shown->findings->len, 0);
  const CmReviewFinding *finding = shown->findings->pdata[0];
  ck_assert_uint_gt (finding->evidence->len, 0);
  ck_assert_uint_gt (shown->paragraphs->len, 0);
  ck_assert_str_eq (((CmReviewParagraph *) shown->paragraphs->pdata[0])->clause, finding->clause);
  /* The parts: the text, and the attachment with its name made safe. */
  ck_assert_uint_eq (shown->parts->len, 2);
  const CmReviewPart *text = shown->parts->pdata[0];
  const CmReviewPart *pdf = shown->parts->pdata[1];
  ck_assert_str_eq (text->content_type, "text/plain");
  ck_assert (!text->attachment);
  ck_assert_str_eq (pdf->content_type, "application/pdf");
  ck_assert (pdf->attachment);
  ck_assert_str_eq (pdf->filename, "quote?.pdf");
  ck_assert_uint_gt (pdf->size, 0);
  ck_assert_uint_eq (pdf->depth, 1);
  /* The audit trail. */
  ck_assert_uint_eq (shown->events->len, 2);
  ck_assert_str_eq (((CmHoldEvent *) shown->events->pdata[0])->what, "held");
  ck_assert_str_eq (((CmHoldEvent *) shown->events->pdata[1])->what, "explained");

  /* The list, filtered. */
  g_autoptr (CmHold) other = hold_simple (env, "someone@example.org", "external", "disrespect", "Hi");
  CmHoldFilter by_rule = { .state = CM_HOLD_HELD, .rule = "disrespect" };
  g_autoptr (GPtrArray) listed = cm_review_list (session, &by_rule, &error);
  ck_assert_msg (listed != NULL, "%s", error ? error->message : "");
  ck_assert_uint_eq (listed->len, 1);
  ck_assert_str_eq (((CmHold *) listed->pdata[0])->id, other->id);
  g_autoptr (GPtrArray) all = cm_review_list (session, NULL, &error);
  ck_assert_uint_eq (all->len, 2);
  backdate (env, hold->id, 3 * DAY);
  CmHoldFilter old = { .any_state = TRUE, .held_before = cm_review_days_ago (session, 2) };
  g_autoptr (GPtrArray) aged = cm_review_list (session, &old, &error);
  ck_assert_uint_eq (aged->len, 1);
  ck_assert_str_eq (((CmHold *) aged->pdata[0])->id, hold->id);
  /* The message as it came, through the store. */
  g_autoptr (GMimeStream) stream = cm_review_open_message (session, hold->id, &error);
  ck_assert_msg (stream != NULL, "%s", error ? error->message : "");
  ck_assert_int_eq (g_mime_stream_length (stream), (gint64) strlen (multipart));
}
END_TEST

/* The count called NAME in COUNTS (CmReviewCount *), asserting it is there. */
static guint
count_named (const GPtrArray *counts, const char *name)
{
  for (guint i = 0; i < counts->len; i++)
    if (strcmp (((CmReviewCount *) counts->pdata[i])->name, name) == 0)
      return ((CmReviewCount *) counts->pdata[i])->count;
  ck_abort_msg ("no count for %s", name);
  return 0;
}

START_TEST (test_report)
{
  g_autoptr (Env) env = env_new (NULL);
  g_autoptr (CmHold) one = hold_simple (env, jane, "member", "disrespect", "One");
  g_autoptr (CmHold) two = hold_simple (env, jane, "member", "disrespect", "Two");
  g_autoptr (CmHold) three = hold_simple (env, "a@northmoor.gov.uk", "officer", "officer-political", "Three");
  g_autoptr (CmReviewSession) session = open_session (env, CM_REVIEW_SHELL_USER, REVIEWER);
  g_autoptr (GError) error = NULL;
  g_autoptr (CmReviewOutcome) released = cm_review_release (session, one->id, NULL, &error);
  ck_assert_msg (released != NULL, "%s", error ? error->message : "");
  /* Last month too: the chart has every month between. */
  backdate (env, three->id, 40 * DAY);
  gint64 now = cm_review_session_now (session);
  g_autoptr (CmReviewReport) report = cm_review_report (session, now - 60 * DAY, 0, &error);
  ck_assert_msg (report != NULL, "%s", error ? error->message : "");
  ck_assert_uint_eq (report->total, 3);
  ck_assert_str_eq (((CmReviewCount *) report->by_rule->pdata[0])->name, "disrespect");
  ck_assert_uint_eq (count_named (report->by_rule, "disrespect"), 2);
  ck_assert_uint_eq (count_named (report->by_rule, "officer-political"), 1);
  /* The outcomes in their fixed order, even at zero. */
  ck_assert_str_eq (((CmReviewCount *) report->by_outcome->pdata[0])->name, "held");
  ck_assert_uint_eq (count_named (report->by_outcome, "held"), 2);
  ck_assert_uint_eq (count_named (report->by_outcome, "released"), 1);
  ck_assert_uint_eq (count_named (report->by_outcome, "expired"), 0);
  ck_assert_uint_eq (count_named (report->by_role, "member"), 2);
  ck_assert_uint_eq (count_named (report->by_role, "external"), 0);
  ck_assert_uint_ge (report->by_month->len, 3);
  guint months = 0;
  for (guint i = 0; i < report->by_month->len; i++)
    months += ((CmReviewCount *) report->by_month->pdata[i])->count;
  ck_assert_uint_eq (months, 3);
  g_autoptr (GDateTime) today = g_date_time_new_from_unix_utc (now);
  g_autofree char *this_month = g_date_time_format (today, "%Y-%m");
  const CmReviewCount *last = report->by_month->pdata[report->by_month->len - 1];
  ck_assert_str_eq (last->name, this_month);
  ck_assert_uint_eq (last->count, 2);
  /* A period with nothing in it. */
  g_autoptr (CmReviewReport) empty = cm_review_report (session, now - 400 * DAY, now - 300 * DAY, &error);
  ck_assert_uint_eq (empty->total, 0);
  ck_assert_uint_eq (count_named (empty->by_outcome, "held"), 0);
}
END_TEST

START_TEST (test_expire)
{
  g_autoptr (Env) env = env_new ("expire-days=1");
  g_autoptr (CmHold) old = hold_message (env, jane, NULL, obligation_message);
  g_autoptr (CmHold) recent = hold_message (env, jane, NULL, obligation_message);
  backdate (env, old->id, DAY + 60);
  g_autoptr (CmReviewSession) session = open_session (env, CM_REVIEW_SHELL_USER, "cron");
  g_autoptr (GError) error = NULL;
  g_autoptr (CmReviewExpiryRun) dry = cm_review_expire (session, TRUE, &error);
  ck_assert_msg (dry != NULL, "%s", error ? error->message : "");
  ck_assert (dry->dry_run);
  ck_assert_uint_eq (dry->items->len, 1);
  ck_assert_int_eq (((CmReviewExpiry *) dry->items->pdata[0])->action, CM_REVIEW_EXPIRED);
  g_autoptr (CmHold) unchanged = get (env, old->id);
  ck_assert_int_eq (unchanged->state, CM_HOLD_HELD);

  g_autoptr (CmReviewExpiryRun) run = cm_review_expire (session, FALSE, &error);
  ck_assert_msg (run != NULL, "%s", error ? error->message : "");
  ck_assert_ptr_null (run->warning);
  ck_assert_uint_eq (run->items->len, 1);
  const CmReviewExpiry *item = run->items->pdata[0];
  ck_assert_str_eq (item->id, old->id);
  ck_assert_int_eq (item->action, CM_REVIEW_EXPIRED);
  ck_assert_ptr_null (item->error);
  ck_assert_str_eq (item->note, "not reviewed within 1 day");
  assert_has (item->notice, "notice sent to");
  g_autoptr (CmHold) after = get (env, old->id);
  ck_assert_int_eq (after->state, CM_HOLD_EXPIRED);
  /* No one's decision: the scheduled job; the notice, by whoever ran it. */
  assert_by (last_event (session, old->id, "expired"), "council-review expire", CM_HOLD_ACTOR_SYSTEM);
  assert_by (last_event (session, old->id, "notified"), "cron", CM_HOLD_ACTOR_SHELL);
  g_autoptr (CmHold) still = get (env, recent->id);
  ck_assert_int_eq (still->state, CM_HOLD_HELD);
}
END_TEST

START_TEST (test_escalate)
{
  g_autoptr (Env) env = env_new ("expire-days=2\nexpire=escalate\ndeputy=Linda Carter <linda.carter@northmoor.gov.uk>");
  g_autoptr (CmHold) hold = hold_message (env, jane, NULL, obligation_message);
  backdate (env, hold->id, 3 * DAY);
  g_autoptr (CmReviewSession) session = open_session (env, CM_REVIEW_SHELL_USER, "cron");
  g_autoptr (GError) error = NULL;
  g_autoptr (CmReviewExpiryRun) run = cm_review_expire (session, FALSE, &error);
  ck_assert_msg (run != NULL, "%s", error ? error->message : "");
  ck_assert_uint_eq (run->items->len, 1);
  const CmReviewExpiry *item = run->items->pdata[0];
  ck_assert_int_eq (item->action, CM_REVIEW_ESCALATED);
  ck_assert_ptr_null (item->error);
  ck_assert_str_eq (item->note, "sent to the deputy linda.carter@northmoor.gov.uk");
  /* The deputy's mail carries the held message, read through the store. */
  ck_assert_uint_eq (smtpsink_count (env->sink), 1);
  assert_has (received (env, 0)->data->str, "message/rfc822");
  g_autoptr (CmHold) after = get (env, hold->id);
  ck_assert_int_eq (after->state, CM_HOLD_HELD);
  ck_assert (after->escalated);
  assert_by (last_event (session, hold->id, "escalated"), "council-review expire", CM_HOLD_ACTOR_SYSTEM);
  /* The deputy has as many days again: nothing more to do now. */
  g_autoptr (CmReviewExpiryRun) next = cm_review_expire (session, FALSE, &error);
  ck_assert_uint_eq (next->items->len, 0);
}
END_TEST

/* ---- two people deciding the same hold at once ------------------------ */

typedef struct {
  Env *env;
  const char *id;
  GMutex lock;
  GCond cond;
  guint ready;
  gboolean go;
} Race;

typedef struct {
  Race *race;
  guint number;
  gboolean reject;
  char *who;
  CmReviewOutcome *outcome;
  GError *error;
} Racer;

/* One racer: its own session (as a front end in another process or
 * thread would have), then the decision as soon as all are ready. */
static gpointer
racer_thread (gpointer data)
{
  Racer *racer = data;
  Race *race = racer->race;
  racer->who = g_strdup_printf ("reviewer-%u", racer->number);
  CmReviewSession *session = open_session (race->env, CM_REVIEW_WEB_USER, racer->who);
  g_mutex_lock (&race->lock);
  race->ready++;
  g_cond_broadcast (&race->cond);
  while (!race->go)
    g_cond_wait (&race->cond, &race->lock);
  g_mutex_unlock (&race->lock);
  racer->outcome = racer->reject ? cm_review_reject (session, race->id, "No.", &racer->error)
                                 : cm_review_release (session, race->id, NULL, &racer->error);
  cm_review_session_close (session);
  return NULL;
}

/* Run two racers on hold ID, the second rejecting when MIXED; assert that
 * exactly one won and the other was told who. */
static void
run_race (Env *env, const char *id, gboolean mixed)
{
  Race race = { .env = env, .id = id };
  g_mutex_init (&race.lock);
  g_cond_init (&race.cond);
  Racer racers[2] = { { .race = &race, .number = 0 }, { .race = &race, .number = 1, .reject = mixed } };
  GThread *threads[2];
  for (guint i = 0; i < 2; i++)
    threads[i] = g_thread_new ("racer", racer_thread, &racers[i]);
  g_mutex_lock (&race.lock);
  while (race.ready < 2)
    g_cond_wait (&race.cond, &race.lock);
  race.go = TRUE;
  g_cond_broadcast (&race.cond);
  g_mutex_unlock (&race.lock);
  for (guint i = 0; i < 2; i++)
    g_thread_join (threads[i]);

  guint winners = (racers[0].outcome != NULL) + (racers[1].outcome != NULL);
  ck_assert_msg (winners == 1, "%u winners: %s / %s", winners,
                 racers[0].error ? racers[0].error->message : "-", racers[1].error ? racers[1].error->message : "-");
  Racer *winner = racers[0].outcome ? &racers[0] : &racers[1];
  Racer *loser = winner == &racers[0] ? &racers[1] : &racers[0];
  assert_error (loser->error, CM_REVIEW_ERROR_DECIDED, winner->who);
  g_autoptr (CmHold) after = get (env, id);
  ck_assert_int_eq (after->state, winner->reject ? CM_HOLD_REJECTED : CM_HOLD_RELEASED);
  ck_assert_str_eq (after->decided_by, winner->who);
  /* Exactly one decision in the audit trail. */
  g_autoptr (GPtrArray) events = cm_holdstore_events (env->store, id, 0, NULL);
  guint decisions = 0;
  for (guint i = 0; i < events->len; i++)
    {
      const char *what = ((CmHoldEvent *) events->pdata[i])->what;
      decisions += strcmp (what, "released") == 0 || strcmp (what, "rejected") == 0;
    }
  ck_assert_uint_eq (decisions, 1);
  for (guint i = 0; i < 2; i++)
    {
      cm_review_outcome_free (racers[i].outcome);
      g_clear_error (&racers[i].error);
      g_free (racers[i].who);
    }
  g_mutex_clear (&race.lock);
  g_cond_clear (&race.cond);
}

START_TEST (test_concurrent)
{
  g_autoptr (Env) env = env_new (NULL);
  for (guint round = 0; round < 4; round++)
    {
      g_autoptr (CmHold) hold = hold_message (env, jane, NULL, obligation_message);
      run_race (env, hold->id, round % 2 == 1);
    }
  /* Only the released ones went out, once each. */
  ck_assert_uint_ge (smtpsink_count (env->sink), 2);
  ck_assert_uint_le (smtpsink_count (env->sink), 4);
}
END_TEST

int
main (void)
{
  g_mime_init ();
  Suite *suite = suite_create ("reviewlib");
  TCase *tc = tcase_create ("reviewlib");
  tcase_set_timeout (tc, 120);
  tcase_add_test (tc, test_release);
  tcase_add_test (tc, test_release_fails);
  tcase_add_test (tc, test_reject);
  tcase_add_test (tc, test_errors);
  tcase_add_test (tc, test_busy);
  tcase_add_test (tc, test_explain_and_actor);
  tcase_add_test (tc, test_get);
  tcase_add_test (tc, test_report);
  tcase_add_test (tc, test_expire);
  tcase_add_test (tc, test_escalate);
  tcase_add_test (tc, test_concurrent);
  suite_add_tcase (suite, tc);
  int status = test_run (suite);
  g_mime_shutdown ();
  return status;
}
