/*
 * test_review_decide.c: council-review deciding, against a scratch spool
 * and a small SMTP listener (smtpsink.h) that stands for both [hold]
 * release-smtp and [notify] smtp: release (the original envelope and a
 * release marker whose token verifies; once only; held again when the
 * listener is down); reject (the sender told, never an outside sender;
 * once only); a release and a reject racing; expire (returned, or
 * escalated to the deputy with the message attached); the digest.
 */
#include "config.h"

#include <string.h>
#include <gio/gio.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <sqlite3.h>

#include "holdmark.h"
#include "reviewfixture.h"

START_TEST (test_release)
{
  g_autoptr (Env) env = env_new (NULL);
  g_autoptr (CmHold) hold = hold_message (env, jane, NULL, obligation_message);
  g_autoptr (Run) run = run_review (env, "release", hold->id, "--note", "Agreed with the leader", NULL);
  assert_status (run, 0);
  assert_has (run->out, "released");
  assert_has (run->out, "2 recipients");

  ck_assert_uint_eq (smtpsink_count (env->sink), 1);
  SmtpSinkMessage *m = received (env, 0);
  ck_assert_str_eq (m->sender, jane);
  ck_assert_uint_eq (m->recipients->len, 2);
  ck_assert_str_eq (m->recipients->pdata[0], "builder@example.org");
  ck_assert_str_eq (m->recipients->pdata[1], "tom.baker@northmoor.gov.uk");
  /* The marker first, then the message exactly as held. */
  const char *newline = strchr (m->data->str, '\n');
  ck_assert (newline != NULL);
  g_autofree char *marker = g_strndup (m->data->str, (gsize) (newline - m->data->str));
  g_autofree char *prefix = g_strdup_printf ("X-Council-Protocol-Release: %s ", hold->id);
  ck_assert_msg (g_str_has_prefix (marker, prefix), "%s", marker);
  ck_assert (cm_holdstore_token_valid (env->store, "release", hold->id, marker + strlen (prefix)));
  g_autofree char *expected = lf_only (obligation_message);
  g_autofree char *with_extra_line = g_strconcat (expected, "\n", NULL);
  ck_assert_msg (strcmp (newline + 1, expected) == 0 || strcmp (newline + 1, with_extra_line) == 0,
                 "%s", newline + 1);

  g_autoptr (CmHold) after = get (env, hold->id);
  ck_assert_int_eq (after->state, CM_HOLD_RELEASED);
  ck_assert_str_eq (after->decided_by, REVIEWER);
  ck_assert_str_eq (after->decision_note, "Agreed with the leader");
  /* The daemon honours the marker once, on the message as re-injected. */
  g_autoptr (CmBodyDigest) digest = cm_body_digest_new (TRUE);
  cm_body_digest_update (digest, (const guint8 *) newline + 1, strlen (newline + 1));
  g_autofree char *body_digest = cm_body_digest_finish (g_steal_pointer (&digest));
  CmHold seen = { .sender = m->sender, .recipients = after->recipients, .body_digest = body_digest };
  ck_assert (cm_holdstore_claim_release (env->store, hold->id, marker + strlen (prefix), &seen, NULL));

  g_autoptr (Run) again = run_review (env, "release", hold->id, NULL);
  assert_status (again, 1);
  assert_has (again->err, "already released by " REVIEWER);
  ck_assert_uint_eq (smtpsink_count (env->sink), 1);

  /* A message whose file has gone is not released at all. */
  g_autoptr (CmHold) lost = hold_message (env, jane, NULL, obligation_message);
  g_autofree char *path = cm_holdstore_message_path (env->store, lost->id);
  ck_assert_int_eq (g_unlink (path), 0);
  g_autoptr (Run) missing = run_review (env, "release", lost->id, NULL);
  assert_status (missing, 1);
  assert_has (missing->err, "is missing");
  g_autoptr (CmHold) still = get (env, lost->id);
  ck_assert_int_eq (still->state, CM_HOLD_HELD);
  ck_assert (!has_event (env, lost->id, "released"));
}
END_TEST

START_TEST (test_release_listener_down)
{
  g_autoptr (Env) env = env_new (NULL);
  g_autoptr (CmHold) hold = hold_message (env, jane, NULL, obligation_message);
  smtpsink_down (env->sink);
  g_autoptr (Run) run = run_review (env, "release", hold->id, NULL);
  assert_status (run, 1);
  assert_has (run->err, "not released");
  assert_has (run->err, "held again");
  g_autoptr (CmHold) after = get (env, hold->id);
  ck_assert_int_eq (after->state, CM_HOLD_HELD);
  ck_assert (has_event (env, hold->id, "released"));
  ck_assert (has_event (env, hold->id, "release-failed"));

  /* A 5xx for a recipient: the same. */
  smtpsink_up (env->sink);
  smtpsink_set_rcpt_reply (env->sink, "550 5.1.1 No such user");
  g_autoptr (Run) refused = run_review (env, "release", hold->id, NULL);
  assert_status (refused, 1);
  assert_has (refused->err, "5.1.1 No such user");
  g_autoptr (CmHold) still = get (env, hold->id);
  ck_assert_int_eq (still->state, CM_HOLD_HELD);

  /* The listener back: released after all. */
  smtpsink_set_rcpt_reply (env->sink, NULL);
  g_autoptr (Run) ok = run_review (env, "release", hold->id, NULL);
  assert_status (ok, 0);
  ck_assert_uint_eq (smtpsink_count (env->sink), 1);
}
END_TEST

START_TEST (test_reject)
{
  g_autoptr (Env) env = env_new (NULL);
  g_autoptr (CmHold) hold = hold_message (env, jane, NULL, obligation_message);
  g_autoptr (Run) no_reason = run_review (env, "reject", hold->id, NULL);
  assert_status (no_reason, 2);
  assert_has (no_reason->err, "--reason is required");

  g_autoptr (Run) run = run_review (env, "reject", hold->id, "--reason",
                                    "Only the Director of Finance may agree to pay for repairs.", NULL);
  assert_status (run, 0);
  assert_has (run->out, "rejected");
  assert_has (run->out, "notice sent to " "cllr.jane.smith@northmoor.gov.uk");
  ck_assert_uint_eq (smtpsink_count (env->sink), 1);
  SmtpSinkMessage *m = received (env, 0);
  ck_assert_str_eq (m->sender, "");
  ck_assert_uint_eq (m->recipients->len, 1);
  ck_assert_str_eq (m->recipients->pdata[0], jane);
  /* The reason as written, on one line of the mail as sent (searchable). */
  assert_has (m->data->str, "\n  Only the Director of Finance may agree to pay for repairs.\n");
  g_autoptr (GMimeMessage) notice = parse_received (m);
  ck_assert_str_eq (g_mime_message_get_subject (notice),
                    "Member/Officer Protocol: your message \"Fence repairs\" was not sent");
  ck_assert_str_eq (g_mime_object_get_header (GMIME_OBJECT (notice), "Auto-Submitted"), "auto-generated");
  g_autofree char *from = internet_address_list_to_string (g_mime_message_get_from (notice), NULL, FALSE);
  ck_assert_str_eq (from, "Member/Officer Protocol <protocol@northmoor.gov.uk>");
  g_autofree char *text = body_text (notice);
  g_autofree char *unfolded = g_strdelimit (g_strdup (text), "\n", ' ');
  assert_has (unfolded, "Only the Director of Finance may agree to pay for repairs.");
  assert_has (unfolded, "Fence repairs");
  assert_has (text, "  builder@example.org\n");
  assert_has (text, "member-obligation");
  assert_has (unfolded, "The council will pay for the fence.");
  assert_has (unfolded, "None of the recipients has received this message.");

  g_autoptr (CmHold) after = get (env, hold->id);
  ck_assert_int_eq (after->state, CM_HOLD_REJECTED);
  ck_assert_str_eq (after->decided_by, REVIEWER);
  ck_assert (has_event (env, hold->id, "notified"));

  g_autoptr (Run) again = run_review (env, "reject", hold->id, "--reason", "again", NULL);
  assert_status (again, 1);
  assert_has (again->err, "already rejected by " REVIEWER);
  ck_assert_uint_eq (smtpsink_count (env->sink), 1);

  /* Never a notice outside the council (no backscatter). */
  g_autoptr (CmHold) outside = hold_simple (env, "someone@example.org", "external", "disrespect", "Hi");
  g_autoptr (Run) quiet = run_review (env, "reject", outside->id, "--reason", "Abusive.", NULL);
  assert_status (quiet, 0);
  assert_has (quiet->out, "outside the council");
  ck_assert_uint_eq (smtpsink_count (env->sink), 1);
  g_autoptr (CmHold) outside_after = get (env, outside->id);
  ck_assert_int_eq (outside_after->state, CM_HOLD_REJECTED);
}
END_TEST

START_TEST (test_reject_notice_kept)
{
  g_autoptr (Env) env = env_new (NULL);
  g_autoptr (CmHold) hold = hold_message (env, jane, NULL, obligation_message);
  smtpsink_down (env->sink);
  g_autoptr (Run) run = run_review (env, "reject", hold->id, "--reason", "No.", NULL);
  assert_status (run, 0);
  assert_has (run->out, "kept in the outbox");
  g_autofree char *outbox = g_build_filename (env->spool, "outbox", NULL);
  g_autoptr (GDir) dir = g_dir_open (outbox, 0, NULL);
  guint files = 0;
  const char *name;
  while ((name = g_dir_read_name (dir)))
    {
      g_autofree char *path = g_build_filename (outbox, name, NULL);
      files += g_file_test (path, G_FILE_TEST_IS_REGULAR);
    }
  ck_assert_uint_eq (files, 1);
}
END_TEST

START_TEST (test_release_and_reject_race)
{
  g_autoptr (Env) env = env_new (NULL);
  for (guint round = 0; round < 3; round++)
    {
      g_autoptr (CmHold) hold = hold_message (env, jane, NULL, obligation_message);
      const char *const release[] = { "release", hold->id, NULL };
      const char *const reject[] = { "reject", hold->id, "--reason", "No.", NULL };
      g_autoptr (GSubprocess) one = spawn (env, release);
      g_autoptr (GSubprocess) two = spawn (env, reject);
      g_autoptr (Run) released = finish (one);
      g_autoptr (Run) rejected = finish (two);
      ck_assert_msg ((released->status == 0) != (rejected->status == 0),
                     "release %d (%s), reject %d (%s)", released->status, released->err,
                     rejected->status, rejected->err);
      ck_assert_int_eq (released->status + rejected->status, 1);
      g_autoptr (CmHold) after = get (env, hold->id);
      ck_assert_int_eq (after->state, released->status == 0 ? CM_HOLD_RELEASED : CM_HOLD_REJECTED);
      assert_has (released->status ? released->err : rejected->err, "already");
    }
}
END_TEST

START_TEST (test_expire_returns)
{
  g_autoptr (Env) env = env_new ("expire-days=1");
  g_autoptr (CmHold) old = hold_message (env, jane, NULL, obligation_message);
  g_autoptr (CmHold) recent = hold_message (env, jane, NULL, obligation_message);
  g_autoptr (CmHold) outside = hold_simple (env, "someone@example.org", "external", "disrespect", "Hi");
  backdate (env, old->id, DAY + 60);
  backdate (env, outside->id, 2 * DAY);

  g_autoptr (Run) dry = run_review (env, "expire", "--dry-run", NULL);
  assert_status (dry, 0);
  g_autofree char *would = g_strdup_printf ("would expire %s\n", old->id);
  assert_has (dry->out, would);
  assert_lacks (dry->out, recent->id);
  g_autoptr (CmHold) unchanged = get (env, old->id);
  ck_assert_int_eq (unchanged->state, CM_HOLD_HELD);
  ck_assert_uint_eq (smtpsink_count (env->sink), 0);

  g_autoptr (Run) run = run_review (env, "expire", NULL);
  assert_status (run, 0);
  g_autofree char *line = g_strdup_printf ("expired %s: not reviewed within 1 day", old->id);
  assert_has (run->out, line);
  assert_has (run->out, outside->id);
  assert_lacks (run->out, recent->id);
  g_autoptr (CmHold) after = get (env, old->id);
  ck_assert_int_eq (after->state, CM_HOLD_EXPIRED);
  ck_assert_str_eq (after->decided_by, "council-review expire");
  ck_assert_str_eq (after->decision_note, "not reviewed within 1 day");
  g_autoptr (CmHold) still = get (env, recent->id);
  ck_assert_int_eq (still->state, CM_HOLD_HELD);
  /* One notice: to the council sender, none outside. */
  ck_assert_uint_eq (smtpsink_count (env->sink), 1);
  SmtpSinkMessage *m = received (env, 0);
  ck_assert_str_eq (m->recipients->pdata[0], jane);
  g_autoptr (GMimeMessage) notice = parse_received (m);
  g_autofree char *text = body_text (notice);
  g_autofree char *unfolded = g_strdelimit (g_strdup (text), "\n", ' ');
  assert_has (unfolded, "not reviewed within 1 day");

  g_autoptr (Run) nothing = run_review (env, "expire", NULL);
  assert_status (nothing, 0);
  ck_assert_str_eq (nothing->out, "");
}
END_TEST

START_TEST (test_expire_escalates)
{
  g_autoptr (Env) env = env_new ("expire-days=2\nexpire=escalate\ndeputy=Linda Carter <linda.carter@northmoor.gov.uk>");
  g_autoptr (CmHold) hold = hold_message (env, jane, NULL, obligation_message);
  backdate (env, hold->id, 3 * DAY);
  g_autoptr (Run) run = run_review (env, "expire", NULL);
  assert_status (run, 0);
  g_autofree char *line = g_strdup_printf ("escalated %s", hold->id);
  assert_has (run->out, line);
  g_autoptr (CmHold) after = get (env, hold->id);
  ck_assert_int_eq (after->state, CM_HOLD_HELD);
  ck_assert (after->escalated);

  ck_assert_uint_eq (smtpsink_count (env->sink), 1);
  SmtpSinkMessage *m = received (env, 0);
  ck_assert_str_eq (m->sender, "");
  ck_assert_str_eq (m->recipients->pdata[0], "linda.carter@northmoor.gov.uk");
  g_autoptr (GMimeMessage) mail = parse_received (m);
  assert_has (g_mime_message_get_subject (mail), "Fence repairs");
  GMimeObject *top = g_mime_message_get_mime_part (mail);
  ck_assert (GMIME_IS_MULTIPART (top));
  ck_assert_int_eq (g_mime_multipart_get_count (GMIME_MULTIPART (top)), 2);
  GMimeObject *text_part = g_mime_multipart_get_part (GMIME_MULTIPART (top), 0);
  g_autofree char *text = g_mime_text_part_get_text (GMIME_TEXT_PART (text_part));
  g_autofree char *unfolded = g_strdelimit (g_strdup (text), "\n", ' ');
  assert_has (text, hold->id);
  assert_has (unfolded, "passed to you as deputy");
  assert_has (text, "member-obligation");
  assert_has (text, "> The council will pay for the fence.");
  g_autofree char *release_command = g_strdup_printf ("council-review -c %s release %s", env->config, hold->id);
  assert_has (text, release_command);
  GMimeObject *attached = g_mime_multipart_get_part (GMIME_MULTIPART (top), 1);
  ck_assert (GMIME_IS_MESSAGE_PART (attached));
  GMimeMessage *inner = g_mime_message_part_get_message (GMIME_MESSAGE_PART (attached));
  ck_assert_str_eq (g_mime_message_get_subject (inner), "Fence repairs");

  /* The deputy has as many days again: nothing now ... */
  g_autoptr (Run) soon = run_review (env, "expire", NULL);
  assert_status (soon, 0);
  ck_assert_str_eq (soon->out, "");
  ck_assert_uint_eq (smtpsink_count (env->sink), 1);
  /* ... and when they have passed, it is returned. */
  index_sql (env, "UPDATE events SET at = at - ?1 WHERE hold_id = ?2", 3 * DAY, hold->id);
  g_autoptr (Run) late = run_review (env, "expire", NULL);
  assert_status (late, 0);
  g_autofree char *expired = g_strdup_printf ("expired %s", hold->id);
  assert_has (late->out, expired);
  g_autoptr (CmHold) final = get (env, hold->id);
  ck_assert_int_eq (final->state, CM_HOLD_EXPIRED);
  ck_assert_uint_eq (smtpsink_count (env->sink), 2);
  ck_assert_str_eq (received (env, 1)->recipients->pdata[0], jane);
}
END_TEST

START_TEST (test_digest)
{
  g_autoptr (Env) env = env_new (NULL);
  g_autoptr (Run) empty = run_review (env, "digest", NULL);
  assert_status (empty, 0);
  ck_assert_str_eq (empty->out, "nothing held\n");
  ck_assert_uint_eq (smtpsink_count (env->sink), 0);

  g_autoptr (CmHold) first = hold_message (env, jane, NULL, obligation_message);
  g_autoptr (CmHold) second = hold_simple (env, "cllr.raj.patel@northmoor.gov.uk", "member", "disrespect", "Budget");
  g_autoptr (CmHold) decided = hold_simple (env, jane, "member", "disrespect", "Decided");
  ck_assert (cm_holdstore_decide (env->store, decided->id, CM_HOLD_RELEASED, "x", NULL, NULL));
  ck_assert (cm_holdstore_explain (env->store, second->id, "Because.", NULL));
  backdate (env, first->id, 2 * DAY);
  g_autoptr (Run) run = run_review (env, "digest", NULL);
  assert_status (run, 0);
  assert_has (run->out, "2 held messages sent to peter.ward@northmoor.gov.uk");
  ck_assert_uint_eq (smtpsink_count (env->sink), 1);
  SmtpSinkMessage *m = received (env, 0);
  ck_assert_str_eq (m->recipients->pdata[0], "peter.ward@northmoor.gov.uk");
  g_autoptr (GMimeMessage) mail = parse_received (m);
  assert_has (g_mime_message_get_subject (mail), "2 messages held for your review");
  ck_assert_str_eq (g_mime_object_get_header (GMIME_OBJECT (mail), "Auto-Submitted"), "auto-generated");
  g_autofree char *text = body_text (mail);
  const char *at_first = strstr (text, first->id), *at_second = strstr (text, second->id);
  ck_assert (at_first && at_second && at_first < at_second);
  assert_lacks (text, decided->id);
  assert_has (text, "Fence repairs");
  assert_has (text, "(+1 more)");
  assert_has (text, "The sender has explained");
  assert_has (text, "release ID");

  /* Without [hold] monitoring-officer: the directory's. */
  g_autofree char *keys = g_strdup_printf ("[hold]\nspool=%s\n[notify]\nsmtp=%s\n", env->spool,
                                           env->sink->hostport);
  g_free (env->config);
  env->config = test_config_variant (keys, NULL);
  g_autoptr (Run) directory = run_review (env, "digest", NULL);
  assert_status (directory, 0);
  ck_assert_uint_eq (smtpsink_count (env->sink), 2);
  ck_assert_str_eq (received (env, 1)->recipients->pdata[0], "monitoring.officer@northmoor.gov.uk");

  /* Nobody at all: said, and nothing sent. */
  g_autofree char *example = test_srcdir ("config/directory.conf");
  g_autofree char *people = NULL;
  ck_assert (g_file_get_contents (example, &people, NULL, NULL));
  g_autoptr (GRegex) line = g_regex_new ("^monitoring-officer=.*$", G_REGEX_MULTILINE, 0, NULL);
  g_autofree char *without = g_regex_replace_literal (line, people, -1, 0, "", 0, NULL);
  g_free (env->config);
  env->config = test_config_variant (keys, without);
  g_autoptr (Run) nobody = run_review (env, "digest", NULL);
  assert_status (nobody, 1);
  assert_has (nobody->err, "no Monitoring Officer is set");
  ck_assert_uint_eq (smtpsink_count (env->sink), 2);
}
END_TEST

int
main (void)
{
  cm_policy_init ();
  Suite *suite = suite_create ("review-decide");
  TCase *tc = tcase_create ("review-decide");
  tcase_set_timeout (tc, 60);
  tcase_add_test (tc, test_release);
  tcase_add_test (tc, test_release_listener_down);
  tcase_add_test (tc, test_reject);
  tcase_add_test (tc, test_reject_notice_kept);
  tcase_add_test (tc, test_release_and_reject_race);
  tcase_add_test (tc, test_expire_returns);
  tcase_add_test (tc, test_expire_escalates);
  tcase_add_test (tc, test_digest);
  suite_add_tcase (suite, tc);
  return test_run (suite);
}
