/*
 * test_notify.c: protocol notices: to whom (never outside the council,
 * never about automatic mail), and what they say.
 */
#include "config.h"

#include <string.h>

#include "notify.h"
#include "testutil.h"

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

START_TEST (test_notice_content)
{
  CmMsgCtx *msg = message_from ("cllr.jane.smith@northmoor.gov.uk");
  const char *text = "From: cllr.jane.smith@northmoor.gov.uk\nTo: builder@example.org\n\n"
                     "The council will pay for the fence.\n";
  g_autoptr (CmVerdict) verdict = test_check (msg->config, msg->envelope, text);
  ck_assert_int_eq (verdict->action, CM_ACTION_HOLD);
  g_autoptr (GMimeMessage) notice = cm_notify_compose (msg, verdict);
  g_autofree char *raw = g_mime_object_to_string (GMIME_OBJECT (notice), NULL);
  ck_assert_msg (strstr (raw, "Auto-Submitted: auto-generated"), "%s", raw);
  ck_assert_msg (strstr (raw, "To: cllr.jane.smith@northmoor.gov.uk"), "%s", raw);
  ck_assert_msg (strstr (raw, "From: Member/Officer Protocol <protocol@northmoor.gov.uk>"), "%s", raw);
  ck_assert_msg (strstr (raw, "In-Reply-To: <orig@northmoor.gov.uk>"), "%s", raw);
  g_autoptr (GMimeStream) stream = g_mime_stream_mem_new_with_buffer (raw, strlen (raw));
  g_autoptr (GMimeParser) parser = g_mime_parser_new_with_stream (stream);
  g_autoptr (GMimeMessage) parsed = g_mime_parser_construct_message (parser, NULL);
  g_autofree char *body = g_mime_text_part_get_text (GMIME_TEXT_PART (g_mime_message_get_body (parsed)));
  ck_assert_msg (strstr (body, "is held for the Monitoring Officer"), "%s", body);
  ck_assert_msg (strstr (body, "South Ribble 13.2"), "%s", body);
  ck_assert_msg (strstr (body, "> The council will pay for the fence."), "%s", body);
  ck_assert_msg (strstr (body, "What to do instead: Ask the relevant officer"), "%s", body);
  cm_msgctx_free (msg);
}
END_TEST

START_TEST (test_send_failure_is_reported)
{
  /* Nothing listens on port 1 of loopback: the error names the step. */
  g_autofree char *path = test_config_variant ("[notify]\nsmtp=127.0.0.1:1", NULL);
  CmEnvelope *envelope = cm_envelope_new ("cllr.jane.smith@northmoor.gov.uk");
  CmMsgCtx *msg = cm_msgctx_new (cm_config_load (path, NULL), envelope);
  cm_msgctx_end_headers (msg);
  g_autoptr (CmVerdict) verdict = test_check (msg->config, NULL,
      "From: cllr.jane.smith@northmoor.gov.uk\nTo: x@example.org\n\nThe council will pay for it.\n");
  g_autoptr (GError) error = NULL;
  ck_assert (!cm_notify_send (msg, verdict, &error));
  ck_assert_msg (strstr (error->message, "127.0.0.1:1 failed at connect"), "%s", error->message);
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
  tcase_add_test (tc, test_send_failure_is_reported);
  suite_add_tcase (suite, tc);
  return test_run (suite);
}
