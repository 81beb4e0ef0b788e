/*
 * test_replies.c: replies to a hold notice (replies.h) as mail clients
 * send them: plain text, and text plus HTML (multipart/alternative, as
 * Outlook and Gmail send it), alone or inside multipart/mixed with an
 * attachment, or HTML alone.  WITHDRAW withdraws the hold; other words
 * are recorded as the sender's explanation, without the quoted notice.
 */
#include "config.h"

#include <string.h>

#include "holdfixture.h"
#include "notify.h"
#include "replies.h"
#include "settings.h"

static const char *const jane = "cllr.jane.smith@northmoor.gov.uk";

typedef struct {
  char *config_path; /* the example, its notices to a port where nothing listens */
  char *spool;
  CmServices services;
  CmHold *hold;
  char *address;  /* the hold's reply address */
} Fixture;

static Fixture *
fixture_new (void)
{
  Fixture *f = g_new0 (Fixture, 1);
  f->config_path = test_config_variant ("[notify]\nsmtp=127.0.0.1:1\n", NULL);
  f->spool = new_spool ();
  f->services.refs = 1;
  f->services.store = open_store (f->spool);
  g_autofree char *outbox_dir = g_build_filename (f->spool, "outbox", NULL);
  g_autoptr (GError) error = NULL;
  f->services.outbox = cm_outbox_open (outbox_dir, &error);
  ck_assert_msg (f->services.outbox != NULL, "outbox: %s", error ? error->message : "?");
  f->hold = put_message (f->services.store, jane, NULL, NULL);
  g_autofree char *token = cm_holdstore_token (f->services.store, "reply", f->hold->id);
  g_autoptr (CmConfig) config = cm_daemon_config_load (f->config_path, &error);
  ck_assert_msg (config != NULL, "%s", error ? error->message : "?");
  f->address = cm_notify_reply_address (config, f->hold->id, token);
  return f;
}

static void
fixture_free (Fixture *f)
{
  cm_outbox_close (f->services.outbox);
  cm_holdstore_close (f->services.store);
  cm_hold_free (f->hold);
  g_free (f->address);
  g_free (f->spool);
  g_free (f->config_path);
  g_free (f);
}

/* Send the reply MESSAGE (headers and body, LF line ends) from Jane to
 * the hold's reply address; the outcome must be RECORDED. */
static void
reply (Fixture *f, const char *message)
{
  CmEnvelope *envelope = cm_envelope_new (jane);
  cm_envelope_add_recipient (envelope, f->address);
  g_autoptr (GError) error = NULL;
  CmConfig *config = cm_daemon_config_load (f->config_path, &error);
  ck_assert_msg (config != NULL, "%s", error ? error->message : "?");
  CmMsgCtx *msg = cm_msgctx_new (config, envelope);
  /* The headers one by one, as the MTA gives them; then the body. */
  const char *body = strstr (message, "\n\n");
  ck_assert_ptr_nonnull (body);
  g_autofree char *head = g_strndup (message, (gsize) (body - message));
  g_auto (GStrv) lines = g_strsplit (head, "\n", -1);
  for (guint i = 0; lines[i]; i++)
    {
      char *colon = strchr (lines[i], ':');
      ck_assert_ptr_nonnull (colon);
      *colon = '\0';
      cm_msgctx_add_header (msg, lines[i], g_strchug (colon + 1));
    }
  cm_msgctx_end_headers (msg);
  gboolean enough = FALSE;
  ck_assert (cm_msgctx_add_body (msg, (const guint8 *) body + 2, strlen (body + 2), &enough, &error));
  g_autofree char *why = NULL;
  CmReplyOutcome outcome = cm_replies_take (msg, &f->services, f->address, &why);
  ck_assert_msg (outcome == CM_REPLY_RECORDED, "%s", why);
  cm_msgctx_free (msg);
}

/* The one notice kept in the outbox (the listener is down): it must
 * contain TEXT. */
static void
assert_told (Fixture *f, const char *text)
{
  g_autofree char *dir = g_build_filename (f->spool, "outbox", NULL);
  g_autoptr (GDir) listing = g_dir_open (dir, 0, NULL);
  ck_assert_ptr_nonnull (listing);
  guint notices = 0;
  const char *name;
  while ((name = g_dir_read_name (listing)))
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);
      g_autofree char *content = NULL;
      if (g_file_test (path, G_FILE_TEST_IS_DIR) || !g_file_get_contents (path, &content, NULL, NULL))
        continue;
      notices++;
      ck_assert_msg (strstr (content, text), "the Monitoring Officer's notice lacks \"%s\": %s", text, content);
    }
  ck_assert_uint_eq (notices, 1);
}

static CmHold *
hold_now (Fixture *f)
{
  return get_hold (f->services.store, f->hold->id);
}

#define HEAD \
  "From: Cllr Jane Smith <cllr.jane.smith@northmoor.gov.uk>\n" \
  "To: protocol@northmoor.gov.uk\n" \
  "Subject: Re: Member/Officer Protocol notice\n" \
  "MIME-Version: 1.0\n"

/* Outlook's text and HTML: the HTML first, as some clients order it,
 * so that taking "the last alternative" would not pass either. */
#define ALTERNATIVE(plain, html) \
  "Content-Type: multipart/alternative; boundary=\"alt\"\n" \
  "\n" \
  "--alt\n" \
  "Content-Type: text/html; charset=utf-8\n" \
  "\n" \
  "<html><body>" html "</body></html>\n" \
  "--alt\n" \
  "Content-Type: text/plain; charset=utf-8\n" \
  "\n" \
  plain \
  "--alt--\n"

START_TEST (test_plain_explanation)
{
  Fixture *f = fixture_new ();
  reply (f, HEAD "Content-Type: text/plain\n\n"
            "The officer asked me to send this.\n\n> The Monitoring Officer will review it\n");
  g_autoptr (CmHold) hold = hold_now (f);
  ck_assert_int_eq (hold->state, CM_HOLD_HELD);
  ck_assert_str_eq (hold->explanation, "The officer asked me to send this.");
  fixture_free (f);
}
END_TEST

START_TEST (test_alternative_withdraws)
{
  Fixture *f = fixture_new ();
  reply (f, HEAD ALTERNATIVE ("WITHDRAW\n\nOn Mon, 10 Jun 2024, Protocol wrote:\n> held\n",
                              "<div>WITHDRAW</div><div class=\"gmail_quote\">On Mon wrote:"
                              "<blockquote>held</blockquote></div>"));
  g_autoptr (CmHold) hold = hold_now (f);
  ck_assert_msg (hold->state == CM_HOLD_WITHDRAWN, "state %s", cm_hold_state_name (hold->state));
  assert_told (f, "has withdrawn it by replying");
  fixture_free (f);
}
END_TEST

START_TEST (test_alternative_explains)
{
  Fixture *f = fixture_new ();
  reply (f, HEAD ALTERNATIVE ("I was quoting the resident, not giving an instruction.\n\n"
                              "-----Original Message-----\nFrom: Protocol\n",
                              "<p>I was <b>quoting</b> the resident.</p>"));
  g_autoptr (CmHold) hold = hold_now (f);
  ck_assert_int_eq (hold->state, CM_HOLD_HELD);
  ck_assert_ptr_nonnull (hold->explanation);
  /* The text/plain alternative, its quoted history left out. */
  ck_assert_str_eq (hold->explanation, "I was quoting the resident, not giving an instruction.");
  assert_told (f, "I was quoting the resident, not giving an instruction.");
  fixture_free (f);
}
END_TEST

/* Text plus HTML inside multipart/mixed, with an attachment after it. */
START_TEST (test_mixed_alternative_withdraws)
{
  Fixture *f = fixture_new ();
  reply (f, HEAD "Content-Type: multipart/mixed; boundary=\"mix\"\n\n"
                 "--mix\n" ALTERNATIVE ("Withdraw, please.\n", "<p>Withdraw, please.</p>")
                 "--mix\n"
                 "Content-Type: text/plain; name=\"minutes.txt\"\n"
                 "Content-Disposition: attachment; filename=\"minutes.txt\"\n\n"
                 "Minutes of the meeting.\n"
                 "--mix--\n");
  g_autoptr (CmHold) hold = hold_now (f);
  ck_assert_msg (hold->state == CM_HOLD_WITHDRAWN, "state %s", cm_hold_state_name (hold->state));
  fixture_free (f);
}
END_TEST

/* HTML and no text/plain: the HTML rendered to text, quotes left out. */
START_TEST (test_html_only_explains)
{
  Fixture *f = fixture_new ();
  reply (f, HEAD "Content-Type: multipart/alternative; boundary=\"alt\"\n\n"
                 "--alt\n"
                 "Content-Type: text/html; charset=utf-8\n\n"
                 "<html><body><p>The chair <i>agreed</i> this wording.</p>"
                 "<blockquote><p>The Monitoring Officer will review</p></blockquote></body></html>\n"
                 "--alt--\n");
  g_autoptr (CmHold) hold = hold_now (f);
  ck_assert_int_eq (hold->state, CM_HOLD_HELD);
  ck_assert_ptr_nonnull (hold->explanation);
  ck_assert_str_eq (hold->explanation, "The chair agreed this wording.");
  fixture_free (f);
}
END_TEST

int
main (void)
{
  cm_policy_init ();
  Suite *suite = suite_create ("replies");
  TCase *tc = tcase_create ("replies");
  tcase_add_test (tc, test_plain_explanation);
  tcase_add_test (tc, test_alternative_withdraws);
  tcase_add_test (tc, test_alternative_explains);
  tcase_add_test (tc, test_mixed_alternative_withdraws);
  tcase_add_test (tc, test_html_only_explains);
  tcase_set_timeout (tc, 30);
  suite_add_tcase (suite, tc);
  return test_run (suite);
}
