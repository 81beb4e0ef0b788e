/*
 * test_message.c: the message view: participants and roles, blind
 * recipients, the sender, text of every MIME shape, attachments, and
 * malformed or oversized messages.
 */
#include "config.h"

#include <string.h>

#include "configuration.h"
#include "view.h"
#include "testutil.h"


static CmView *
view_of (const CmEnvelope *envelope, const char *text, gsize max_scan)
{
  g_autoptr (GMimeStream) stream = g_mime_stream_mem_new_with_buffer (text, strlen (text));
  gsize scanned = 0;
  gboolean truncated = FALSE;
  g_autoptr (GMimeMessage) message = cm_message_parse (stream, max_scan, &scanned, &truncated);
  return cm_view_new (cm_config_directory (test_config), cm_config_lexicons (test_config), envelope, message);
}

static gboolean
has (const GPtrArray *list, const char *address)
{
  for (guint i = 0; i < list->len; i++)
    if (strcmp (((const CmParticipant *) list->pdata[i])->address, address) == 0)
      return TRUE;
  return FALSE;
}

START_TEST (test_participants_from_headers)
{
  g_autoptr (CmView) v = view_of (NULL,
      "From: =?UTF-8?Q?Cllr_Jane_Sm=C3=AFth?= <Cllr.Jane.Smith@Northmoor.gov.uk>\n"
      "To: Tom Baker <tom.baker@northmoor.gov.uk>, Planning: a@example.org, b@example.org;\n"
      "Cc: cllr.raj.patel@northmoor.gov.uk\n"
      "Bcc: cllr.emily.wright@northmoor.gov.uk, tom.baker@northmoor.gov.uk\n"
      "Subject: =?iso-8859-1?Q?Caf=E9_=A3?=\n\nHello.\n", 1 << 20);
  ck_assert_str_eq (v->sender->address, "cllr.jane.smith@northmoor.gov.uk");
  ck_assert_int_eq (v->sender->role, CM_ROLE_MEMBER);
  ck_assert_str_eq (v->sender->display_name, "Cllr Jane Sm\xc3\xafth");
  ck_assert_str_eq (v->subject, "Caf\xc3\xa9 \xc2\xa3");
  ck_assert_uint_eq (v->to->len, 3); /* the group is flattened */
  ck_assert (has (v->to, "a@example.org"));
  ck_assert_uint_eq (v->recipients->len, 5);
  ck_assert_uint_eq (v->blind->len, 1); /* Tom is in To and Bcc: not blind */
  ck_assert (has (v->blind, "cllr.emily.wright@northmoor.gov.uk"));
  const CmParticipant *raj = v->cc->pdata[0];
  ck_assert_int_eq (raj->role, CM_ROLE_MEMBER);
}
END_TEST

START_TEST (test_envelope_recipients)
{
  g_autoptr (CmEnvelope) env = cm_envelope_new ("janesmith1962@gmail.com");
  cm_envelope_add_recipient (env, "<Tom.Baker@northmoor.gov.uk>");
  cm_envelope_add_recipient (env, "raj.patel@outlook.com");
  g_autoptr (CmView) v = view_of (env,
      "From: Jane <someone@example.org>\nTo: tom.baker@northmoor.gov.uk\n"
      "Bcc: never.used@northmoor.gov.uk\n\nHi.\n", 1 << 20);
  /* The From is unknown, the envelope sender is a member: she is the sender. */
  ck_assert_str_eq (v->sender->address, "janesmith1962@gmail.com");
  ck_assert_uint_eq (v->recipients->len, 2);
  ck_assert_uint_eq (v->blind->len, 1);
  ck_assert (has (v->blind, "raj.patel@outlook.com"));
  ck_assert (!has (v->recipients, "never.used@northmoor.gov.uk"));
}
END_TEST

START_TEST (test_alternative_reads_plain)
{
  g_autoptr (CmView) v = view_of (NULL,
      "From: cllr.jane.smith@northmoor.gov.uk\nTo: tom.baker@northmoor.gov.uk\nSubject: s\n"
      "MIME-Version: 1.0\nContent-Type: multipart/alternative; boundary=\"b\"\n\n"
      "--b\nContent-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: quoted-printable\n\n"
      "Plain words =C2=A35 here.=\n Joined.\n"
      "--b\nContent-Type: text/html\n\n<p>Html words</p>\n--b--\n", 1 << 20);
  ck_assert_msg (strstr (v->authored, "Plain words \xc2\xa3" "5 here. Joined."), "%s", v->authored);
  ck_assert (!strstr (v->authored, "Html words"));
  ck_assert_uint_eq (v->attachments->len, 0);
  /* Subject first, then the sentences of the text. */
  ck_assert_uint_eq (v->sentences->len, 3);
  ck_assert (((CmSentence *) v->sentences->pdata[0])->subject);
}
END_TEST

/* A member's mail to a member: a multipart/alternative of PLAIN and HTML
 * (UTF-8). */
static char *
alternative_mail (const char *plain, const char *html)
{
  return g_strdup_printf ("From: cllr.jane.smith@northmoor.gov.uk\nTo: cllr.raj.patel@northmoor.gov.uk\nSubject: s\n"
                          "MIME-Version: 1.0\nContent-Type: multipart/alternative; boundary=\"b\"\n\n"
                          "--b\nContent-Type: text/plain; charset=utf-8\n\n%s\n"
                          "--b\nContent-Type: text/html; charset=utf-8\n\n%s\n--b--\n",
                          plain, html);
}

/* F4 of issue 9: an HTML alternative that says more than its harmless
 * text/plain one is read too (mail clients show the HTML). */
START_TEST (test_alternative_html_says_more)
{
  g_autofree char *message = alternative_mail ("Thanks for the update.",
                                               "<p>Thanks for the update.</p>"
                                               "<p>The Head of Planning has been utterly incompetent over this.</p>");
  g_autoptr (CmView) v = view_of (NULL, message, 1 << 20);
  ck_assert_msg (strstr (v->authored, "utterly incompetent"), "%s", v->authored);
  g_autoptr (CmVerdict) verdict = test_check (test_config, NULL, message);
  ck_assert_ptr_nonnull (test_finding (verdict, "officer-criticism"));
}
END_TEST

/* An empty text/plain alternative, the first text of the message (no
 * words read yet), beside an HTML one that says something: the HTML is
 * read (the fuzzer found the empty word list mishandled here). */
START_TEST (test_alternative_empty_plain)
{
  g_autofree char *message = alternative_mail ("", "<p>The depot report goes to cabinet in March.</p>");
  g_autoptr (CmView) v = view_of (NULL, message, 1 << 20);
  ck_assert_msg (strstr (v->authored, "depot report goes to cabinet"), "%s", v->authored);
  ck_assert_uint_ge (v->authored_words->n, 8);
}
END_TEST

START_TEST (test_html_only_and_attachments)
{
  g_autoptr (CmView) v = view_of (NULL,
      "From: cllr.jane.smith@northmoor.gov.uk\nTo: tom.baker@northmoor.gov.uk\n"
      "MIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=\"m\"\n\n"
      "--m\nContent-Type: text/html; charset=windows-1252\n\n<p>It\x92s &pound;5</p>\n"
      "--m\nContent-Type: application/pdf; name=\"report.pdf\"\nContent-Disposition: attachment; filename=\"report.pdf\"\n"
      "Content-Transfer-Encoding: base64\n\nJVBERi0xLjQKJcOkw7zDtsOfCjIgMCBvYmoKPDwvTGVuZ3RoIDMgMCBSPj4Kc3RyZWFtCg==\n"
      "--m\nContent-Type: text/plain; name=\"notes.txt\"\nContent-Disposition: attachment; filename=\"notes.txt\"\n\nnot body text\n"
      "--m--\n", 1 << 20);
  ck_assert_msg (strstr (v->authored, "It\xe2\x80\x99s \xc2\xa3" "5"), "%s", v->authored);
  ck_assert (!strstr (v->authored, "not body text"));
  ck_assert_uint_eq (v->attachments->len, 2);
  const CmAttachment *pdf = v->attachments->pdata[0];
  ck_assert_str_eq (pdf->filename, "report.pdf");
  ck_assert_str_eq (pdf->content_type, "application/pdf");
  ck_assert_uint_gt (pdf->size, 40);
}
END_TEST

START_TEST (test_forward_is_history)
{
  g_autoptr (CmView) v = view_of (NULL,
      "From: cllr.jane.smith@northmoor.gov.uk\nTo: cllr.raj.patel@northmoor.gov.uk\n"
      "MIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=\"m\"\n\n"
      "--m\nContent-Type: text/plain\n\nMy own words.\n"
      "--m\nContent-Type: message/rfc822\n\n"
      "From: resident@example.org\nSubject: Inner\nContent-Type: text/plain\n\nTheir words.\n"
      "--m--\n", 1 << 20);
  ck_assert_msg (strstr (v->authored, "My own words."), "%s", v->authored);
  ck_assert (!strstr (v->authored, "Their words."));
  ck_assert_msg (strstr (v->history, "Their words."), "%s", v->history);
  ck_assert_msg (strstr (v->history, "Subject: Inner"), "%s", v->history);
  ck_assert_uint_eq (v->attachments->len, 1);
  ck_assert_str_eq (((CmAttachment *) v->attachments->pdata[0])->content_type, "message/rfc822");
}
END_TEST

START_TEST (test_malformed)
{
  const char *inputs[] = {
    "",
    "\n\n\n",
    "not a header line at all\nand more\n",
    "From: <<<@@@>>>\nTo: ,,,;;;\nSubject: =?utf-8?B?!!!?=\n\nx\n",
    "Content-Type: multipart/mixed; boundary=\"x\"\n\n--x\nContent-Type: text/plain\n\nunterminated",
    "Content-Type: multipart/mixed\n\nno boundary parameter\n",
    "Content-Type: text/plain; charset=\"\"\nContent-Transfer-Encoding: base64\n\n!!!not base64!!!\n",
    "Content-Type: text/html\n\n<<<>>><p<div</<//>&#xFFFFFFF;&#0;\n",
    "Content-Type: message/rfc822\n\nContent-Type: message/rfc822\n\nContent-Type: message/rfc822\n\n",
    /* Empty text parts in charsets off the fast path (once a crash). */
    "From: a@northmoor.gov.uk\nContent-Type: text/plain; charset=koi8-r\n\n",
    "From: a@northmoor.gov.uk\nContent-Type: text/html; charset=utf-16\n\n",
    "Content-Type: multipart/alternative; boundary=\"z\"\n\n--z\nContent-Type: text/plain; charset=iso-8859-2\n\n"
    "--z\nContent-Type: text/html; charset=windows-1250\nContent-Transfer-Encoding: base64\n\n--z--\n",
  };
  for (guint i = 0; i < G_N_ELEMENTS (inputs); i++)
    {
      g_autoptr (CmView) v = view_of (NULL, inputs[i], 1 << 20);
      ck_assert_ptr_nonnull (v->sender);
      ck_assert (g_utf8_validate (v->authored, -1, NULL));
    }

  /* Deep nesting is cut off, not followed without end. */
  GString *deep = g_string_new ("From: a@northmoor.gov.uk\n");
  for (int i = 0; i < 200; i++)
    g_string_append_printf (deep, "Content-Type: multipart/mixed; boundary=\"b%d\"\n\n--b%d\n", i, i);
  g_string_append (deep, "Content-Type: text/plain\n\ndeep\n");
  g_autoptr (CmView) v = view_of (NULL, deep->str, 1 << 20);
  g_string_free (deep, TRUE);
  ck_assert_ptr_nonnull (v);
}
END_TEST

/* F5 of issue 9: long address lists are read in linear time (100,000 To
 * addresses took 31 s), each address once per list. */
START_TEST (test_long_address_lists)
{
  const guint n = 100000;
  GString *text = g_string_new ("From: cllr.jane.smith@northmoor.gov.uk\nTo: ");
  for (guint i = 0; i < n; i++)
    g_string_append_printf (text, "%sp%u@example.org", i ? ", " : "", i);
  /* Every tenth again, in To and in Cc; Bcc has the first and a new one. */
  for (guint i = 0; i < n; i += 10)
    g_string_append_printf (text, ", P%u@Example.org", i);
  g_string_append (text, "\nCc: p0@example.org, p10@example.org\nBcc: p1@example.org, new@example.org\n\nHi.\n");
  g_autoptr (CmView) v = view_of (NULL, text->str, 64 << 20);
  g_string_free (text, TRUE);
  ck_assert_uint_eq (v->to->len, n);
  ck_assert_uint_eq (v->cc->len, 2);
  ck_assert_uint_eq (v->recipients->len, n + 1);
  ck_assert_uint_eq (v->blind->len, 1);
  ck_assert (has (v->blind, "new@example.org"));
}
END_TEST

START_TEST (test_max_scan)
{
  GString *big = g_string_new ("From: cllr.jane.smith@northmoor.gov.uk\nTo: tom.baker@northmoor.gov.uk\n\nStart.\n");
  while (big->len < 200000)
    g_string_append (big, "Filler text for the scan limit test.\n");
  g_string_append (big, "The very end.\n");
  g_autoptr (GMimeStream) stream = g_mime_stream_mem_new_with_buffer (big->str, big->len);
  gsize scanned = 0;
  gboolean truncated = FALSE;
  g_autoptr (GMimeMessage) message = cm_message_parse (stream, 65536, &scanned, &truncated);
  ck_assert (truncated);
  ck_assert_uint_eq (scanned, 65536);
  g_autoptr (CmView) v = cm_view_new (cm_config_directory (test_config), cm_config_lexicons (test_config), NULL, message);
  ck_assert (strstr (v->authored, "Start."));
  ck_assert (!strstr (v->authored, "The very end."));
  g_string_free (big, TRUE);
}
END_TEST

int
main (void)
{
  cm_policy_init ();
  Suite *suite = suite_create ("message");
  TCase *tc = tcase_create ("message");
  tcase_add_checked_fixture (tc, test_config_setup, test_config_teardown);
  tcase_add_test (tc, test_participants_from_headers);
  tcase_add_test (tc, test_envelope_recipients);
  tcase_add_test (tc, test_alternative_reads_plain);
  tcase_add_test (tc, test_alternative_html_says_more);
  tcase_add_test (tc, test_alternative_empty_plain);
  tcase_add_test (tc, test_html_only_and_attachments);
  tcase_add_test (tc, test_forward_is_history);
  tcase_add_test (tc, test_malformed);
  tcase_add_test (tc, test_max_scan);
  tcase_add_test (tc, test_long_address_lists);
  suite_add_tcase (suite, tc);
  return test_run (suite);
}
