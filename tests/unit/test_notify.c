/*
 * test_notify.c: protocol notices: to whom (never outside the council,
 * never about automatic mail), and what they say.
 */
#include "config.h"

#include <string.h>

#include "notify.h"
#include "testutil.h"
#include "settings.h"

static CmMsgCtx *
message_from (const char *sender)
{
  CmEnvelope *envelope = cm_envelope_new (sender);
  cm_envelope_add_recipient (envelope, "builder@example.org");
  CmMsgCtx *msg = cm_msgctx_new (test_example_config (), envelope);
  cm_msgctx_add_header (msg, "Subject", "Fence repairs");
  cm_msgctx_add_header (msg, "Message-ID", "<orig@northmoor.gov.uk>");
  cm_msgctx_end_headers (msg);
  return msg;
}

START_TEST (test_who_gets_a_notice)
{
  CmMsgCtx *member = message_from ("cllr.jane.smith@northmoor.gov.uk");
  CmMsgCtx *personal = message_from ("janesmith1962@gmail.com");
  CmMsgCtx *outside = message_from ("someone@example.org");
  CmMsgCtx *null = message_from ("");
  ck_assert (cm_notify_wanted (member));
  ck_assert (cm_notify_wanted (personal));
  ck_assert (!cm_notify_wanted (outside));
  ck_assert (!cm_notify_wanted (null));
  cm_msgctx_add_header (member, "Auto-Submitted", "auto-generated");
  ck_assert (!cm_notify_wanted (member));
  cm_msgctx_free (member);
  cm_msgctx_free (personal);
  cm_msgctx_free (outside);
  cm_msgctx_free (null);
}
END_TEST

/* TEXT with every run of white space made one space (the notice is wrapped). */
static char *
flat (const char *text)
{
  g_auto (GStrv) words = g_strsplit_set (text, " \t\r\n", -1);
  GString *out = g_string_new (NULL);
  for (guint i = 0; words[i]; i++)
    if (*words[i])
      g_string_append_printf (out, "%s%s", out->len ? " " : "", words[i]);
  return g_string_free (out, FALSE);
}

static GMimeMessage *
reparse (GMimeMessage *message)
{
  g_autofree char *raw = g_mime_object_to_string (GMIME_OBJECT (message), NULL);
  g_autoptr (GMimeStream) stream = g_mime_stream_mem_new_with_buffer (raw, strlen (raw));
  g_autoptr (GMimeParser) parser = g_mime_parser_new_with_stream (stream);
  GMimeMessage *parsed = g_mime_parser_construct_message (parser, NULL);
  ck_assert_ptr_nonnull (parsed);
  return parsed;
}

static char *
part_text (GMimeMultipart *multipart, int index)
{
  GMimeObject *part = g_mime_multipart_get_part (multipart, index);
  ck_assert (GMIME_IS_TEXT_PART (part));
  return g_mime_text_part_get_text (GMIME_TEXT_PART (part));
}

START_TEST (test_notice_content)
{
  CmMsgCtx *msg = message_from ("cllr.jane.smith@northmoor.gov.uk");
  const char *text = "From: cllr.jane.smith@northmoor.gov.uk\nTo: builder@example.org\n\n"
                     "The council will pay for the fence.\n";
  g_autoptr (CmVerdict) verdict = test_check (msg->config, msg->envelope, text);
  ck_assert_int_eq (verdict->action, CM_ACTION_HOLD);
  const char *reply = "protocol+hold-20261123-101500-abcdef-0123456789abcdef@northmoor.gov.uk";
  g_autoptr (GMimeMessage) notice = cm_notify_compose (msg, verdict, "20261123-101500-abcdef", reply);
  g_autoptr (GMimeMessage) parsed = reparse (notice);
  GMimeObject *object = GMIME_OBJECT (parsed);
  ck_assert_str_eq (g_mime_object_get_header (object, "Auto-Submitted"), "auto-generated");
  ck_assert_str_eq (g_mime_object_get_header (object, "In-Reply-To"), "<orig@northmoor.gov.uk>");
  g_autofree char *to = internet_address_list_to_string (g_mime_message_get_to (parsed), NULL, FALSE);
  ck_assert_str_eq (to, "cllr.jane.smith@northmoor.gov.uk");
  g_autofree char *from = internet_address_list_to_string (g_mime_message_get_from (parsed), NULL, FALSE);
  ck_assert_str_eq (from, "Member/Officer Protocol <protocol@northmoor.gov.uk>");
  g_autofree char *reply_to = internet_address_list_to_string (g_mime_message_get_reply_to (parsed), NULL, FALSE);
  ck_assert_ptr_nonnull (strstr (reply_to, reply));

  /* multipart/report: for people, for programs, the original's headers. */
  GMimeObject *body = g_mime_message_get_mime_part (parsed);
  ck_assert (GMIME_IS_MULTIPART (body));
  GMimeContentType *type = g_mime_object_get_content_type (body);
  ck_assert (g_mime_content_type_is_type (type, "multipart", "report"));
  ck_assert_str_eq (g_mime_content_type_get_parameter (type, "report-type"), "x-council-protocol");
  GMimeMultipart *report = GMIME_MULTIPART (body);
  ck_assert_int_eq (g_mime_multipart_get_count (report), 3);
  g_autofree char *human_raw = part_text (report, 0);
  g_autofree char *human = flat (human_raw);
  ck_assert_msg (strstr (human, "is held for the Monitoring Officer to review"), "%s", human);
  ck_assert_msg (strstr (human, "reference 20261123-101500-abcdef"), "%s", human);
  ck_assert_msg (strstr (human, "What the protocol says: South Ribble 13.2"), "%s", human);
  /* The paragraph itself, quoted from config/paragraphs.conf. */
  const char *paragraph = cm_config_paragraph (msg->config, "South Ribble 13.2");
  ck_assert_ptr_nonnull (paragraph);
  g_autofree char *flat_paragraph = flat (paragraph);
  g_autofree char *opening = g_strndup (flat_paragraph, 40);
  ck_assert_msg (strstr (human, opening), "paragraph missing: %s", opening);
  ck_assert_msg (strstr (human_raw, "  > The council will pay for the fence."), "%s", human_raw);
  ck_assert_msg (strstr (human, "What to do instead Ask the relevant officer"), "%s", human);
  ck_assert_msg (strstr (human, "WITHDRAW"), "%s", human);
  for (const char *line = human_raw; *line;)
    {
      const char *end = strchr (line, '\n');
      gsize length = end ? (gsize) (end - line) : strlen (line);
      ck_assert_msg (g_utf8_strlen (line, (gssize) length) <= 76, "long line: %.*s", (int) length, line);
      line += length + (end ? 1 : 0);
    }
  g_autofree char *fields = part_text (report, 1);
  ck_assert_msg (strstr (fields, "Rule: member-obligation\nClause: South Ribble 13.2\n"), "%s", fields);
  ck_assert_msg (strstr (fields, "Hold-ID: 20261123-101500-abcdef"), "%s", fields);
  ck_assert_msg (strstr (fields, "Original-Message-ID: <orig@northmoor.gov.uk>"), "%s", fields);
  g_autofree char *headers = part_text (report, 2);
  ck_assert_msg (strstr (headers, "Subject: Fence repairs"), "%s", headers);
  cm_msgctx_free (msg);
}
END_TEST

/* F14 of issue 9: an encoded Subject is shown decoded in the notice. */
START_TEST (test_notice_decodes_subject)
{
  CmEnvelope *envelope = cm_envelope_new ("cllr.jane.smith@northmoor.gov.uk");
  cm_envelope_add_recipient (envelope, "builder@example.org");
  CmMsgCtx *msg = cm_msgctx_new (test_example_config (), envelope);
  cm_msgctx_add_header (msg, "Subject", "=?utf-8?Q?Caf=C3=A9_fence_=C2=A3200?=");
  cm_msgctx_end_headers (msg);
  const char *text = "From: cllr.jane.smith@northmoor.gov.uk\nTo: builder@example.org\n\n"
                     "The council will pay for the fence.\n";
  g_autoptr (CmVerdict) verdict = test_check (msg->config, msg->envelope, text);
  g_autoptr (GMimeMessage) notice = cm_notify_compose (msg, verdict, "20261123-101500-abcdef", NULL);
  g_autoptr (GMimeMessage) parsed = reparse (notice);
  ck_assert_str_eq (g_mime_message_get_subject (parsed),
                    "Member/Officer Protocol notice: \"Caf\xc3\xa9 fence \xc2\xa3" "200\"");
  GMimeMultipart *report = GMIME_MULTIPART (g_mime_message_get_mime_part (parsed));
  g_autofree char *human = part_text (report, 0);
  ck_assert_msg (strstr (human, "\"Caf\xc3\xa9 fence \xc2\xa3" "200\""), "%s", human);
  ck_assert_ptr_null (strstr (human, "=?utf-8?"));
  cm_msgctx_free (msg);
}
END_TEST

START_TEST (test_hold_notice_for_the_monitoring_officer)
{
  CmMsgCtx *msg = message_from ("cllr.jane.smith@northmoor.gov.uk");
  const char *text = "From: cllr.jane.smith@northmoor.gov.uk\nTo: builder@example.org\n"
                     "Subject: Fence repairs\n\nThe council will pay for the fence.\n";
  g_autoptr (CmVerdict) verdict = test_check (msg->config, msg->envelope, text);
  g_autoptr (GMimeStream) held = g_mime_stream_mem_new_with_buffer (text, strlen (text));
  ck_assert_str_eq (cm_config_monitoring_officer (msg->config), "monitoring.officer@northmoor.gov.uk");
  g_autoptr (GMimeMessage) notice = cm_notify_compose_hold (msg, verdict, "20261123-101500-abcdef",
                                                            cm_config_monitoring_officer (msg->config),
                                                            "protocol+release-X@northmoor.gov.uk",
                                                            "protocol+reject-Y@northmoor.gov.uk", held);
  g_autoptr (GMimeMessage) parsed = reparse (notice);
  ck_assert_ptr_nonnull (strstr (g_mime_message_get_subject (parsed), "20261123-101500-abcdef"));
  GMimeMultipart *mixed = GMIME_MULTIPART (g_mime_message_get_mime_part (parsed));
  ck_assert_int_eq (g_mime_multipart_get_count (mixed), 2);
  g_autofree char *summary = part_text (mixed, 0);
  ck_assert_msg (strstr (summary, "From:      cllr.jane.smith@northmoor.gov.uk (member)"), "%s", summary);
  ck_assert_msg (strstr (summary, "To:        builder@example.org"), "%s", summary);
  ck_assert_msg (strstr (summary, "South Ribble 13.2, member-obligation"), "%s", summary);
  ck_assert_msg (strstr (summary, "> The council will pay for the fence."), "%s", summary);
  /* The command as the reviewer types it: as this user, with this configuration. */
  g_autofree char *review = cm_notify_review_command (msg->config);
  g_autofree char *release = g_strdup_printf ("%s release 20261123-101500-abcdef --note", review);
  ck_assert_msg (g_str_has_prefix (review, "sudo -u "), "%s", review);
  ck_assert_msg (strstr (review, cm_config_path (msg->config)), "%s", review);
  ck_assert_msg (strstr (summary, release), "%s", summary);
  /* Deciding by reply, in plain words, with both addresses. */
  ck_assert_msg (strstr (summary, "To release it, reply to:  protocol+release-X@northmoor.gov.uk"), "%s", summary);
  ck_assert_msg (strstr (summary, "To reject it, reply to:   protocol+reject-Y@northmoor.gov.uk"), "%s", summary);
  ck_assert_msg (strstr (summary, "becomes the release note, or the reason"), "%s", summary);
  GMimeObject *attached = g_mime_multipart_get_part (mixed, 1);
  ck_assert (GMIME_IS_MESSAGE_PART (attached));
  GMimeMessage *original = g_mime_message_part_get_message (GMIME_MESSAGE_PART (attached));
  ck_assert_str_eq (g_mime_message_get_subject (original), "Fence repairs");
  cm_msgctx_free (msg);
}
END_TEST

/* Deciding by reply off: the notice has no decision addresses. */
START_TEST (test_hold_notice_without_decision_addresses)
{
  CmMsgCtx *msg = message_from ("cllr.jane.smith@northmoor.gov.uk");
  const char *text = "From: cllr.jane.smith@northmoor.gov.uk\nTo: builder@example.org\n"
                     "Subject: Fence repairs\n\nThe council will pay for the fence.\n";
  g_autoptr (CmVerdict) verdict = test_check (msg->config, msg->envelope, text);
  g_autoptr (GMimeStream) held = g_mime_stream_mem_new_with_buffer (text, strlen (text));
  g_autoptr (GMimeMessage) notice = cm_notify_compose_hold (msg, verdict, "20261123-101500-abcdef",
                                                            "monitoring.officer@northmoor.gov.uk", NULL, NULL, held);
  g_autoptr (GMimeMessage) parsed = reparse (notice);
  g_autofree char *summary = part_text (GMIME_MULTIPART (g_mime_message_get_mime_part (parsed)), 0);
  ck_assert_msg (strstr (summary, "reply to:") == NULL, "%s", summary);
  ck_assert_msg (strstr (summary, "To decide on the mail relay:"), "%s", summary);
  cm_msgctx_free (msg);
}
END_TEST

START_TEST (test_reply_address)
{
  g_autoptr (CmConfig) config = test_example_config ();
  g_autofree char *address = cm_notify_reply_address (config, "20261123-101500-abcdef",
                                                      "0123456789abcdef0123456789abcdef");
  ck_assert_str_eq (address, "protocol+hold-20261123-101500-abcdef-0123456789abcdef@northmoor.gov.uk");
}
END_TEST

START_TEST (test_send_failure_is_reported)
{
  /* Nothing listens on port 1 of loopback: the error names the step. */
  g_autofree char *path = test_config_variant ("[notify]\nsmtp=127.0.0.1:1", NULL);
  CmEnvelope *envelope = cm_envelope_new ("cllr.jane.smith@northmoor.gov.uk");
  CmMsgCtx *msg = cm_msgctx_new (cm_daemon_config_load (path, NULL), envelope);
  cm_msgctx_end_headers (msg);
  g_autoptr (CmVerdict) verdict = test_check (msg->config, NULL,
      "From: cllr.jane.smith@northmoor.gov.uk\nTo: x@example.org\n\nThe council will pay for it.\n");
  g_autoptr (GError) error = NULL;
  ck_assert (!cm_notify_send (msg, verdict, NULL, NULL, NULL, &error));
  ck_assert_msg (strstr (error->message, "127.0.0.1:1 failed at connect"), "%s", error->message);
  cm_msgctx_free (msg);
}
END_TEST

/* A council that numbers its protocol differently: the notice cites and
 * quotes its own paragraph, from the [rule:ID] group of its paragraphs file. */
START_TEST (test_notice_renumbered_council)
{
  g_autofree char *dir = test_scratch_dir ();
  g_autofree char *paragraphs = test_write (dir, "anytown.conf",
      "[rule:member-obligation]\nobligation=Anytown 9.1\n\n"
      "[Anytown 9.1]\ntext=Councillors never commit the council in their own name.\n");
  g_autofree char *extra = g_strdup_printf ("[policy]\nparagraphs=%s\n", paragraphs);
  g_autofree char *path = test_config_variant (extra, NULL);
  g_autoptr (GError) error = NULL;
  cm_policy_init ();
  CmConfig *config = cm_daemon_config_load (path, &error);
  ck_assert_msg (config != NULL, "%s", error ? error->message : "");
  CmEnvelope *envelope = cm_envelope_new ("cllr.jane.smith@northmoor.gov.uk");
  cm_envelope_add_recipient (envelope, "builder@example.org");
  CmMsgCtx *msg = cm_msgctx_new (config, envelope);
  cm_msgctx_add_header (msg, "Subject", "Fence repairs");
  cm_msgctx_end_headers (msg);
  g_autoptr (CmVerdict) verdict = test_check (msg->config, msg->envelope,
                                              "From: cllr.jane.smith@northmoor.gov.uk\nTo: builder@example.org\n\n"
                                              "The council will pay for the fence.\n");
  const CmFinding *finding = test_finding (verdict, "member-obligation");
  ck_assert_ptr_nonnull (finding);
  ck_assert_str_eq (finding->clause, "Anytown 9.1");
  g_autoptr (GMimeMessage) notice = cm_notify_compose (msg, verdict, "20261123-101500-abcdef",
                                                       "protocol+hold-x@northmoor.gov.uk");
  g_autoptr (GMimeMessage) parsed = reparse (notice);
  GMimeMultipart *report = GMIME_MULTIPART (g_mime_message_get_mime_part (parsed));
  g_autofree char *human_raw = part_text (report, 0);
  g_autofree char *human = flat (human_raw);
  ck_assert_msg (strstr (human, "What the protocol says: Anytown 9.1"), "%s", human);
  ck_assert_msg (strstr (human, "Councillors never commit the council in their own name."), "%s", human);
  ck_assert_msg (!strstr (human, "South Ribble"), "%s", human);
  g_autofree char *fields = part_text (report, 1);
  ck_assert_msg (strstr (fields, "Clause: Anytown 9.1\n"), "%s", fields);
  cm_msgctx_free (msg);
}
END_TEST

/* A hold of a message too large to keep whole (past [policy]
 * max-scan-size) goes to the MTA's quarantine: its notice has no hold id
 * and promises no review, and says what became of it (issue 9). */
START_TEST (test_quarantined_notice)
{
  CmMsgCtx *msg = message_from ("cllr.jane.smith@northmoor.gov.uk");
  const char *text = "From: cllr.jane.smith@northmoor.gov.uk\nTo: builder@example.org\n\n"
                     "The council will pay for the fence.\n";
  g_autoptr (CmVerdict) verdict = test_check (msg->config, msg->envelope, text);
  ck_assert_int_eq (verdict->action, CM_ACTION_HOLD);
  /* As the engine reports a 12 MB message read to a 10 MB limit, after
   * the MTA skipped the rest; the client declared its size. */
  verdict->truncated = TRUE;
  verdict->scanned = msg->scan_limit;
  msg->body_received = msg->scan_limit + 4096;
  msg->skipped = TRUE;
  msg->declared_size = 12582912;
  ck_assert (cm_notify_quarantined (verdict));
  g_autoptr (GMimeMessage) notice = cm_notify_compose (msg, verdict, NULL, NULL);
  g_autoptr (GMimeMessage) parsed = reparse (notice);
  ck_assert_int_eq (internet_address_list_length (g_mime_message_get_reply_to (parsed)), 0);
  GMimeMultipart *report = GMIME_MULTIPART (g_mime_message_get_mime_part (parsed));
  g_autofree char *human_raw = part_text (report, 0);
  g_autofree char *human = flat (human_raw);
  if (g_getenv ("SHOW_NOTICE"))
    g_printerr ("%s\n", human_raw);
  g_autofree char *limit = g_strdup_printf ("larger than the %zu bytes", msg->scan_limit);
  ck_assert_msg (strstr (human, "\"Fence repairs\" to 1 recipient was not delivered"), "%s", human);
  ck_assert_msg (strstr (human, "The message is 12582912 bytes"), "%s", human);
  ck_assert_msg (strstr (human, limit), "%s", human);
  ck_assert_msg (strstr (human, "put it in its own quarantine"), "%s", human);
  ck_assert_msg (strstr (human, "postmaster@northmoor.gov.uk"), "%s", human);
  /* No hold id where prose was, no review promised, no reply to make. */
  ck_assert_msg (!strstr (human, "reference"), "%s", human);
  ck_assert_msg (!strstr (human, "will review"), "%s", human);
  ck_assert_msg (!strstr (human, "is held for the Monitoring Officer"), "%s", human);
  ck_assert_msg (!strstr (human, "WITHDRAW"), "%s", human);
  g_autofree char *fields = part_text (report, 1);
  ck_assert_msg (!strstr (fields, "Hold-ID:"), "%s", fields);
  g_autofree char *scan = g_strdup_printf ("Quarantine: mta\nScan: partial, %zu of 12582912 bytes\n",
                                           msg->scan_limit);
  ck_assert_msg (strstr (fields, scan), "%s", fields);
  cm_msgctx_free (msg);
}
END_TEST

int
main (void)
{
  cm_policy_init ();
  Suite *suite = suite_create ("notify");
  TCase *tc = tcase_create ("notify");
  tcase_add_test (tc, test_who_gets_a_notice);
  tcase_add_test (tc, test_notice_content);
  tcase_add_test (tc, test_notice_renumbered_council);
  tcase_add_test (tc, test_notice_decodes_subject);
  tcase_add_test (tc, test_quarantined_notice);
  tcase_add_test (tc, test_hold_notice_for_the_monitoring_officer);
  tcase_add_test (tc, test_reply_address);
  tcase_add_test (tc, test_hold_notice_without_decision_addresses);
  tcase_add_test (tc, test_send_failure_is_reported);
  suite_add_tcase (suite, tc);
  return test_run (suite);
}
