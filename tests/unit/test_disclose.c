/*
 * test_disclose.c: the disclose action's change to a message
 * (policy/disclose.c) and its place in the verdict: the line goes to the
 * foot of every text part in that part's charset and transfer encoding,
 * every other byte stays as it came, and a body that may not be changed
 * (signed, encrypted, DKIM-signed, no text part, a charset that cannot
 * hold the names) is refused with the reason, falling back to warn.
 */
#define _GNU_SOURCE /* memmem */
#include "config.h"

#include <string.h>

#include "testutil.h"

#define LINE "CC Councillor Raj Patel"

/* The headers of SOURCE (up to and with its empty line) and the body
 * cm_disclose_body() makes of it with LINE: the whole changed message. */
static char *
disclosed (const char *source, const char *line)
{
  g_autoptr (GMimeStream) in = g_mime_stream_mem_new_with_buffer (source, strlen (source));
  g_autoptr (GByteArray) body = g_byte_array_new ();
  g_autoptr (GMimeStream) out = g_mime_stream_mem_new_with_byte_array (body);
  g_mime_stream_mem_set_owner (GMIME_STREAM_MEM (out), FALSE);
  g_autoptr (GError) error = NULL;
  ck_assert_msg (cm_disclose_body (in, line, out, &error), "%s", error ? error->message : "");
  const char *blank = strstr (source, "\r\n\r\n");
  const char *lf_blank = strstr (source, "\n\n");
  gsize head = blank && (!lf_blank || blank < lf_blank) ? (gsize) (blank - source) + 4
                                                        : (gsize) (lf_blank - source) + 2;
  GString *whole = g_string_new_len (source, (gssize) head);
  g_string_append_len (whole, (const char *) body->data, (gssize) body->len);
  return g_string_free (whole, FALSE);
}

static GMimeMessage *
parse (const char *text)
{
  g_autoptr (GMimeStream) stream = g_mime_stream_mem_new_with_buffer (text, strlen (text));
  g_autoptr (GMimeParser) parser = g_mime_parser_new_with_stream (stream);
  GMimeMessage *message = g_mime_parser_construct_message (parser, NULL);
  ck_assert_ptr_nonnull (message);
  return message;
}

/* The decoded UTF-8 text of the INDEX-th leaf part of TEXT (depth first). */
typedef struct { int want, seen; GMimeObject *found; } Nth;

static void
nth_leaf (GMimeObject *parent, GMimeObject *part, gpointer data)
{
  (void) parent;
  Nth *n = data;
  if (GMIME_IS_PART (part) && n->seen++ == n->want)
    n->found = part;
}

static char *
leaf_text (const char *text, int index)
{
  g_autoptr (GMimeMessage) message = parse (text);
  Nth n = { index, 0, NULL };
  g_mime_message_foreach (message, nth_leaf, &n);
  ck_assert_msg (n.found != NULL, "no part %d", index);
  return g_mime_text_part_get_text (GMIME_TEXT_PART (n.found));
}

/* The decoded text of every text part of TEXT that is not an attachment. */
static void
append_text (GMimeObject *parent, GMimeObject *part, gpointer data)
{
  (void) parent;
  if (GMIME_IS_TEXT_PART (part) && !g_mime_part_is_attachment (GMIME_PART (part)))
    {
      g_autofree char *text = g_mime_text_part_get_text (GMIME_TEXT_PART (part));
      g_string_append (data, text);
    }
}

static char *
all_text (const char *text)
{
  g_autoptr (GMimeMessage) message = parse (text);
  GString *out = g_string_new (NULL);
  g_mime_message_foreach (message, append_text, out);
  return g_string_free (out, FALSE);
}

static char *
refusal_of (const char *text, const char *line)
{
  g_autoptr (GMimeMessage) message = parse (text);
  return cm_disclose_refusal (message, line);
}

START_TEST (test_plain_7bit_crlf)
{
  const char *source = "From: a@northmoor.gov.uk\r\nSubject: x\r\n\r\nHello Tom,\r\n\r\nJane\r\n";
  g_autofree char *out = disclosed (source, LINE);
  ck_assert_str_eq (out, "From: a@northmoor.gov.uk\r\nSubject: x\r\n\r\nHello Tom,\r\n\r\nJane\r\n"
                         "\r\n" LINE "\r\n");
  g_autofree char *refusal = refusal_of (source, LINE);
  ck_assert_ptr_null (refusal);
}
END_TEST

START_TEST (test_plain_lf_no_final_newline)
{
  g_autofree char *out = disclosed ("Subject: x\n\nHello Tom,\nJane", LINE);
  ck_assert_str_eq (out, "Subject: x\n\nHello Tom,\nJane\n\n" LINE);
}
END_TEST

START_TEST (test_quoted_printable_utf8)
{
  const char *source =
    "Subject: x\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n"
    "Content-Transfer-Encoding: quoted-printable\r\n\r\n"
    "Caf=C3=A9 meeting on Thursday, with a line long enough to need a soft break =\r\n"
    "in the middle.\r\nJane\r\n";
  const char *line = "CC Councillor Zo\xc3\xab Br\xc3\xb4nte";
  g_autofree char *out = disclosed (source, line);
  g_autofree char *text = leaf_text (out, 0);
  ck_assert_str_eq (text, "Caf\xc3\xa9 meeting on Thursday, with a line long enough to need a soft "
                          "break in the middle.\r\nJane\r\n\r\nCC Councillor Zo\xc3\xab Br\xc3\xb4nte\r\n");
  /* Still quoted-printable, with CRLF line ends and no bare LF. */
  const char *body = strstr (out, "\r\n\r\n") + 4;
  ck_assert_ptr_nonnull (strstr (body, "Zo=C3=AB Br=C3=B4nte"));
  for (const char *p = body; *p; p++)
    if (*p == '\n')
      ck_assert_msg (p > body && p[-1] == '\r', "bare LF at %ld", (long) (p - body));
}
END_TEST

START_TEST (test_base64_latin1)
{
  /* "Dear Tom,\r\nThe caf\xe9 is booked.\r\n" in ISO-8859-1, base64. */
  const char *latin1 = "Dear Tom,\r\nThe caf\xe9 is booked.\r\n";
  g_autofree char *encoded = g_base64_encode ((const guchar *) latin1, strlen (latin1));
  g_autofree char *source = g_strdup_printf (
    "Subject: x\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=iso-8859-1\r\n"
    "Content-Transfer-Encoding: base64\r\n\r\n%s\r\n", encoded);
  const char *line = "CC Councillor Zo\xc3\xab Smith";
  g_autofree char *out = disclosed (source, line);
  g_autofree char *text = leaf_text (out, 0);
  ck_assert_str_eq (text, "Dear Tom,\r\nThe caf\xc3\xa9 is booked.\r\n\r\nCC Councillor Zo\xc3\xab Smith\r\n");
  /* The raw body is base64 lines of at most 76 characters, CRLF ended. */
  const char *body = strstr (out, "\r\n\r\n") + 4;
  g_auto (GStrv) lines = g_strsplit (body, "\r\n", -1);
  for (guint i = 0; lines[i]; i++)
    {
      ck_assert_uint_le (strlen (lines[i]), 76);
      ck_assert_ptr_null (strchr (lines[i], '\n'));
      ck_assert_ptr_null (strchr (lines[i], ' '));
    }
  /* The name in Latin-1 in the decoded bytes: e-diaeresis is one byte 0xEB. */
  gsize length = 0;
  g_autofree char *joined = g_strjoinv ("", lines);
  g_autofree guchar *bytes = g_base64_decode (joined, &length);
  ck_assert_ptr_nonnull (memchr (bytes, 0xeb, length));
}
END_TEST

START_TEST (test_html_before_body_end)
{
  const char *source =
    "Subject: x\r\nMIME-Version: 1.0\r\nContent-Type: text/html; charset=utf-8\r\n\r\n"
    "<html><body><p>Dear Tom</p></BODY>\r\n</html>\r\n";
  g_autofree char *out = disclosed (source, "CC Councillor Mary O'Connor & Raj <Patel>");
  ck_assert_ptr_nonnull (strstr (out, "<p>Dear Tom</p><p>CC Councillor Mary O'Connor &amp; Raj &lt;Patel&gt;</p>\r\n</BODY>"));
  /* Without </body>, before </html>; without either, at the end. */
  g_autofree char *no_body = disclosed ("Content-Type: text/html\n\n<html><p>Hi</p></html>\n", LINE);
  ck_assert_ptr_nonnull (strstr (no_body, "<p>Hi</p><p>" LINE "</p>\n</html>"));
  g_autofree char *bare = disclosed ("Content-Type: text/html\n\n<p>Hi</p>\n", LINE);
  ck_assert_ptr_nonnull (g_str_has_suffix (bare, "<p>Hi</p>\n<p>" LINE "</p>\n") ? bare : NULL);
}
END_TEST

START_TEST (test_html_non_ascii_as_references)
{
  g_autofree char *out = disclosed ("Content-Type: text/html; charset=us-ascii\n\n<body>Hi</body>\n",
                                    "CC Councillor Zo\xc3\xab Smith");
  ck_assert_ptr_nonnull (strstr (out, "<p>CC Councillor Zo&#235; Smith</p>"));
}
END_TEST

/* A message of every common shape: alternative text and HTML (QP) in a
 * mixed with a PDF, a text attachment, and a forwarded message. */
static const char *const full =
  "From: Cllr Jane Smith <cllr.jane.smith@northmoor.gov.uk>\r\n"
  "To: tom.baker@northmoor.gov.uk\r\n"
  "Subject: Westfield\r\n"
  "MIME-Version: 1.0\r\n"
  "Content-Type: multipart/mixed; boundary=\"outer\"\r\n"
  "\r\n"
  "This is a multi-part message in MIME format.\r\n"
  "\r\n"
  "--outer\r\n"
  "Content-Type: multipart/alternative; boundary=\"alt\"\r\n"
  "\r\n"
  "--alt\r\n"
  "Content-Type: text/plain; charset=utf-8\r\n"
  "Content-Transfer-Encoding: quoted-printable\r\n"
  "\r\n"
  "Tom, the plan is attached =E2=80=93 Jane\r\n"
  "--alt\r\n"
  "Content-Type: text/html; charset=utf-8\r\n"
  "Content-Transfer-Encoding: quoted-printable\r\n"
  "\r\n"
  "<html><body><p>Tom, the plan is attached =E2=80=93 Jane</p></body></html>\r\n"
  "\r\n"
  "--alt--\r\n"
  "\r\n"
  "--outer\r\n"
  "Content-Type: application/pdf; name=plan.pdf\r\n"
  "Content-Disposition: attachment; filename=plan.pdf\r\n"
  "Content-Transfer-Encoding: base64\r\n"
  "\r\n"
  "JVBERi0xLjQKJeLjz9MKMSAwIG9iago8PCAvVHlwZSAvQ2F0YWxvZyA+PgplbmRvYmoK\r\n"
  "--outer\r\n"
  "Content-Type: text/plain; name=notes.txt\r\n"
  "Content-Disposition: attachment; filename=notes.txt\r\n"
  "\r\n"
  "Notes of the site visit.\r\n"
  "--outer\r\n"
  "Content-Type: message/rfc822\r\n"
  "\r\n"
  "From: someone@example.com\r\n"
  "Subject: original\r\n"
  "\r\n"
  "The forwarded words.\r\n"
  "--outer--\r\n";

START_TEST (test_every_shape)
{
  g_autofree char *out = disclosed (full, LINE);
  g_autofree char *plain = leaf_text (out, 0);
  g_autofree char *html = leaf_text (out, 1);
  /* The boundary's CRLF ends the part's last line, as before. */
  ck_assert_str_eq (plain, "Tom, the plan is attached \xe2\x80\x93 Jane\r\n\r\n" LINE);
  ck_assert_ptr_nonnull (strstr (html, "Jane</p><p>" LINE "</p>\r\n</body>"));
  /* The attachments, the forwarded message, the preamble and the
   * boundaries are the same bytes. */
  const char *unchanged[] = {
    "This is a multi-part message in MIME format.\r\n\r\n--outer\r\n",
    "\r\n--alt--\r\n\r\n--outer\r\nContent-Type: application/pdf; name=plan.pdf\r\n"
    "Content-Disposition: attachment; filename=plan.pdf\r\nContent-Transfer-Encoding: base64\r\n\r\n"
    "JVBERi0xLjQKJeLjz9MKMSAwIG9iago8PCAvVHlwZSAvQ2F0YWxvZyA+PgplbmRvYmoK\r\n--outer\r\n"
    "Content-Type: text/plain; name=notes.txt\r\nContent-Disposition: attachment; filename=notes.txt\r\n"
    "\r\nNotes of the site visit.\r\n--outer\r\nContent-Type: message/rfc822\r\n\r\n"
    "From: someone@example.com\r\nSubject: original\r\n\r\nThe forwarded words.\r\n--outer--\r\n",
  };
  for (guint i = 0; i < G_N_ELEMENTS (unchanged); i++)
    ck_assert_msg (strstr (out, unchanged[i]), "changed: %s", unchanged[i]);
  ck_assert (g_str_has_suffix (out, unchanged[1]));
  /* Exactly two lines added, one per text part. */
  guint count = 0;
  for (const char *p = out; (p = strstr (p, "CC Councillor")); p++)
    count++;
  ck_assert_uint_eq (count, 2);
}
END_TEST

START_TEST (test_refusals)
{
  struct { const char *message; const char *why; } cases[] = {
    { "Content-Type: multipart/signed; protocol=\"application/pkcs7-signature\"; boundary=b\n\n"
      "--b\nContent-Type: text/plain\n\nHi\n--b\nContent-Type: application/pkcs7-signature\n\nAAA=\n--b--\n",
      "digitally signed" },
    { "Content-Type: multipart/mixed; boundary=o\n\n--o\nContent-Type: multipart/signed; "
      "protocol=\"application/pgp-signature\"; boundary=b\n\n--b\nContent-Type: text/plain\n\nHi\n"
      "--b\nContent-Type: application/pgp-signature\n\nsig\n--b--\n--o--\n",
      "digitally signed" },
    { "Content-Type: multipart/encrypted; protocol=\"application/pgp-encrypted\"; boundary=b\n\n"
      "--b\nContent-Type: application/pgp-encrypted\n\nVersion: 1\n--b\nContent-Type: application/octet-stream\n\nx\n--b--\n",
      "encrypted" },
    { "Content-Type: application/pkcs7-mime; smime-type=enveloped-data; name=smime.p7m\n"
      "Content-Transfer-Encoding: base64\n\nMIAGCSqGSIb3DQEHA6CAMIACAQA=\n",
      "S/MIME" },
    { "DKIM-Signature: v=1; a=rsa-sha256; d=northmoor.gov.uk; s=s1; bh=abc; b=def\n"
      "Content-Type: text/plain\n\nHi\n",
      "DKIM signature" },
    { "ARC-Message-Signature: i=1; a=rsa-sha256; d=example.com; s=s; bh=abc; b=def\n\nHi\n",
      "ARC signature" },
    { "Content-Type: text/plain\n\n-----BEGIN PGP SIGNED MESSAGE-----\nHash: SHA256\n\nHi\n"
      "-----BEGIN PGP SIGNATURE-----\nxyz\n-----END PGP SIGNATURE-----\n",
      "inline PGP" },
    { "Content-Type: multipart/mixed; boundary=b\n\n--b\nContent-Type: application/pdf\n"
      "Content-Disposition: attachment; filename=a.pdf\n\nJVBER\n--b--\n",
      "no text part" },
    { "Content-Type: text/plain; charset=us-ascii\n\nHi\n", "us-ascii, which cannot hold the names" },
    { "Content-Type: text/plain\nContent-Transfer-Encoding: x-uuencode\n\nbegin 644 a\nend\n",
      "unusual transfer encoding" },
  };
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      /* Case 8 is refused only for a name the charset cannot hold. */
      const char *line = i == 8 ? "CC Councillor Zo\xc3\xab Smith" : LINE;
      g_autofree char *refusal = refusal_of (cases[i].message, line);
      ck_assert_msg (refusal && strstr (refusal, cases[i].why), "case %u: %s", i,
                     refusal ? refusal : "(allowed)");
      g_autoptr (GMimeStream) in = g_mime_stream_mem_new_with_buffer (cases[i].message,
                                                                      strlen (cases[i].message));
      g_autoptr (GMimeStream) out = g_mime_stream_mem_new ();
      g_autoptr (GError) error = NULL;
      ck_assert_msg (!cm_disclose_body (in, line, out, &error), "case %u changed", i);
      ck_assert_ptr_nonnull (strstr (error->message, cases[i].why));
    }
  /* The same us-ascii part takes an ASCII name. */
  g_autofree char *ascii = refusal_of ("Content-Type: text/plain; charset=us-ascii\n\nHi\n", LINE);
  ck_assert_ptr_null (ascii);
}
END_TEST

/* A body whose parts GMime bounds differently from a reader of the changed
 * message (an empty part right before a closing boundary, with no line
 * end between) is refused, not changed; so is UTF-16 text. */
START_TEST (test_malformed_refused)
{
  const char *glued =
    "Content-Type: multipart/mixed; boundary=\"A\"\n\n"
    "--A\nContent-Type: text/plain; charset=us-ascii\n\nHello\n"
    "--A\nContent-Type: text/plain; charset=iso-8859-2\n\n--A--\n";
  g_autoptr (GMimeStream) in = g_mime_stream_mem_new_with_buffer (glued, strlen (glued));
  g_autoptr (GMimeStream) out = g_mime_stream_mem_new ();
  g_autoptr (GError) error = NULL;
  ck_assert (!cm_disclose_body (in, LINE, out, &error));
  ck_assert_ptr_nonnull (strstr (error->message, "MIME structure is malformed"));
  ck_assert_int_eq (g_mime_stream_length (out), 0); /* nothing half-written */

  /* F13 of issue 9: an empty body (no data at all) takes the line. */
  const char *empty = "Content-Type: text/plain; charset=utf-8\n\n";
  g_autoptr (GMimeStream) in_empty = g_mime_stream_mem_new_with_buffer (empty, strlen (empty));
  g_autoptr (GByteArray) body = g_byte_array_new ();
  g_autoptr (GMimeStream) out_empty = g_mime_stream_mem_new_with_byte_array (body);
  g_mime_stream_mem_set_owner (GMIME_STREAM_MEM (out_empty), FALSE);
  g_autoptr (GError) empty_error = NULL;
  ck_assert_msg (cm_disclose_body (in_empty, LINE, out_empty, &empty_error), "%s",
                 empty_error ? empty_error->message : "");
  ck_assert_ptr_nonnull (memmem (body->data, body->len, LINE, strlen (LINE)));

  const char *utf16 = "Content-Type: text/plain; charset=utf-16\nContent-Transfer-Encoding: base64\n\n"
                      "//5IAGkA\n";
  g_autofree char *refusal = refusal_of (utf16, LINE);
  ck_assert_msg (refusal && strstr (refusal, "utf-16"), "%s", refusal ? refusal : "(allowed)");
}
END_TEST

/* ---- the verdict ------------------------------------------------------- */

static const char *const bcc_breach =
  "From: Cllr Jane Smith <cllr.jane.smith@northmoor.gov.uk>\n"
  "To: Tom Baker <tom.baker@northmoor.gov.uk>\n"
  "Subject: Westfield\n"
  "Message-ID: <w1@northmoor.gov.uk>\n"
  "%s"
  "\n"
  "Tom, could we talk about Westfield on Thursday?\n"
  "Jane\n";

static CmVerdict *
check_bcc (const char *config_extra, const char *extra_headers)
{
  g_autofree char *path = test_config_variant (config_extra, NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (CmConfig) config = cm_config_load (path, &error);
  ck_assert_msg (config != NULL, "%s", error ? error->message : "");
  g_autoptr (CmEnvelope) envelope = cm_envelope_new ("cllr.jane.smith@northmoor.gov.uk");
  cm_envelope_add_recipient (envelope, "tom.baker@northmoor.gov.uk");
  cm_envelope_add_recipient (envelope, "cllr.raj.patel@northmoor.gov.uk");
  cm_envelope_add_recipient (envelope, "cllr.mary.oconnor@northmoor.gov.uk");
  g_autofree char *message = g_strdup_printf (bcc_breach, extra_headers);
  return test_check (config, envelope, message);
}

START_TEST (test_verdict_disclose)
{
  g_autoptr (CmVerdict) verdict = check_bcc ("[rule:bcc-member]\naction=disclose", "");
  ck_assert_int_eq (verdict->action, CM_ACTION_DISCLOSE);
  ck_assert_str_eq (verdict->disclosure, "CC Councillor Raj Patel, Councillor Mary O'Connor");
  ck_assert_ptr_null (verdict->undisclosed);
  const CmFinding *f = test_finding (verdict, "bcc-member");
  ck_assert_int_eq (f->action, CM_ACTION_DISCLOSE);
  g_autofree char *json = cm_verdict_to_json (verdict);
  ck_assert_ptr_nonnull (strstr (json, "\"action\": \"disclose\""));
}
END_TEST

START_TEST (test_verdict_disclose_falls_back_to_warn)
{
  g_autoptr (CmVerdict) verdict = check_bcc ("[rule:bcc-member]\naction=disclose",
                                             "DKIM-Signature: v=1; d=northmoor.gov.uk; bh=x; b=y\n");
  ck_assert_int_eq (verdict->action, CM_ACTION_WARN);
  ck_assert_ptr_null (verdict->disclosure);
  ck_assert_ptr_nonnull (strstr (verdict->undisclosed, "DKIM"));
  const CmFinding *f = test_finding (verdict, "bcc-member");
  ck_assert_int_eq (f->action, CM_ACTION_WARN);
  ck_assert_ptr_nonnull (strstr (f->summary, "not disclosed at the foot: it carries a DKIM signature"));
}
END_TEST

START_TEST (test_verdict_disclose_under_modes_and_stronger_rules)
{
  g_autoptr (CmVerdict) advise = check_bcc ("[milter]\nmode=advise\n[rule:bcc-member]\naction=disclose", "");
  ck_assert_int_eq (advise->action, CM_ACTION_WARN);
  ck_assert_ptr_null (advise->disclosure);
  g_autoptr (CmVerdict) monitor = check_bcc ("[milter]\nmode=monitor\n[rule:bcc-member]\naction=disclose", "");
  ck_assert_int_eq (monitor->action, CM_ACTION_TAG);
  ck_assert_ptr_null (monitor->disclosure);
  /* Warn configured: no line is added, though the finding knows it. */
  g_autoptr (CmVerdict) warn = check_bcc ("[rule:bcc-member]\naction=warn", "");
  ck_assert_int_eq (warn->action, CM_ACTION_WARN);
  ck_assert_ptr_null (warn->disclosure);
  ck_assert_str_eq (test_finding (warn, "bcc-member")->disclosure,
                    "CC Councillor Raj Patel, Councillor Mary O'Connor");
}
END_TEST

/* Does the body of TEXT quote earlier mail? */
static gboolean
has_history (const char *text)
{
  const char *body = strstr (text, "\n\n");
  const char *crlf_body = strstr (text, "\r\n\r\n");
  if (crlf_body && (!body || crlf_body < body))
    body = crlf_body;
  const char *markers[] = { "\n>", "Original Message", "wrote:", "gmail_quote", "<blockquote",
                            "\nFrom: " };
  for (guint i = 0; body && i < G_N_ELEMENTS (markers); i++)
    if (strstr (body, markers[i]))
      return TRUE;
  return FALSE;
}

/* Every bcc-member breach message of the rule tests, disclosed: each
 * text part gets the line, and the changed message no longer breaks the
 * rule when the line lands in the sender's own text. */
START_TEST (test_rule_messages_disclosed)
{
  g_autofree char *path = test_config_variant ("[rule:bcc-member]\naction=disclose", NULL);
  g_autoptr (CmConfig) config = cm_config_load (path, NULL);
  ck_assert_ptr_nonnull (config);
  g_autofree char *dir = test_srcdir ("tests/messages/bcc-member/breach");
  g_autoptr (GDir) d = g_dir_open (dir, 0, NULL);
  ck_assert_ptr_nonnull (d);
  const char *name;
  guint changed = 0, refused = 0, cleared = 0;
  while ((name = g_dir_read_name (d)))
    {
      g_autofree char *file = g_build_filename (dir, name, NULL);
      g_autofree char *data = NULL;
      ck_assert (g_file_get_contents (file, &data, NULL, NULL));
      g_autoptr (CmVerdict) verdict = test_check (config, NULL, data);
      ck_assert_msg (test_finding (verdict, "bcc-member"), "%s: no finding", name);
      if (verdict->action != CM_ACTION_DISCLOSE)
        {
          ck_assert_msg (verdict->undisclosed != NULL, "%s: %s without a reason", name,
                         cm_action_name (verdict->action));
          refused++;
          continue;
        }
      g_autofree char *out = disclosed (data, verdict->disclosure);
      g_autofree char *texts = all_text (out);
      ck_assert_msg (strstr (texts, verdict->disclosure), "%s: line missing", name);
      g_autoptr (CmVerdict) again = test_check (config, NULL, out);
      changed++;
      /* The line goes at the very foot: below quoted history, where the
       * rule (rightly) does not read a disclosure, since there it could
       * be someone else's. */
      if (test_finding (again, "bcc-member") == NULL)
        cleared++;
      else
        ck_assert_msg (has_history (data), "%s: still breaks the rule, with no history", name);
    }
  printf ("bcc-member breaches: %u disclosed (%u then pass the rule), %u refused\n", changed, cleared,
          refused);
  ck_assert_uint_gt (changed, 10);
}
END_TEST

int
main (void)
{
  cm_policy_init ();
  Suite *suite = suite_create ("disclose");
  TCase *tc = tcase_create ("body");
  tcase_add_test (tc, test_plain_7bit_crlf);
  tcase_add_test (tc, test_plain_lf_no_final_newline);
  tcase_add_test (tc, test_quoted_printable_utf8);
  tcase_add_test (tc, test_base64_latin1);
  tcase_add_test (tc, test_html_before_body_end);
  tcase_add_test (tc, test_html_non_ascii_as_references);
  tcase_add_test (tc, test_every_shape);
  tcase_add_test (tc, test_refusals);
  tcase_add_test (tc, test_malformed_refused);
  suite_add_tcase (suite, tc);
  TCase *verdicts = tcase_create ("verdict");
  tcase_add_test (verdicts, test_verdict_disclose);
  tcase_add_test (verdicts, test_verdict_disclose_falls_back_to_warn);
  tcase_add_test (verdicts, test_verdict_disclose_under_modes_and_stronger_rules);
  tcase_add_test (verdicts, test_rule_messages_disclosed);
  suite_add_tcase (suite, verdicts);
  return test_run (suite);
}
