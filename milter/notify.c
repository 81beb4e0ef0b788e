/*
 * notify.c: compose and send protocol notices (notify.h).
 *
 * A notice to the sender is a multipart/report (RFC 6522):
 *   1. text/plain, for people: what was noticed, the paragraph quoted
 *      from the protocol, the sender's own words that raised it, what to
 *      do instead, and for a hold how to withdraw or explain by replying
 *      (for a message too large to keep, quarantined by the MTA: its
 *      size, the limit, and who can release it; no review is promised);
 *   2. text/x-council-protocol, for programs: "Field: value" lines;
 *   3. text/rfc822-headers: the headers of the message it is about.
 * The Monitoring Officer's notice of a hold is a multipart/mixed: who
 * sent what to whom, the rules and paragraphs, the evidence and the
 * ways to decide (by reply to its release and reject addresses, when
 * on, and with council-review), then the held message as message/rfc822.
 * Both go through the outbox: sent now, or kept and retried.
 * A message read only in part (a cap of bounded work, caps.h in the
 * engine) is said so in both, with the reasons; one with more header
 * fields than the engine reads is attached as it is, not parsed again.
 */
#include "config.h"

#include <pwd.h>
#include <string.h>
#include <unistd.h>

#include "notify.h"
#include "settings.h"

/* Notices are read in mail clients: wrap quoted paragraphs to this. */
#define WRAP_COLUMN 72

gboolean
cm_notify_wanted (const CmMsgCtx *msg)
{
  const char *sender = msg->envelope->sender;
  return !msg->auto_submitted && sender && *sender
      && cm_config_is_council_address (msg->config, sender);
}

gboolean
cm_notify_quarantined (const CmVerdict *verdict)
{
  return verdict->action == CM_ACTION_HOLD && verdict->truncated;
}

static const char *
outcome (const CmVerdict *verdict)
{
  if (cm_notify_quarantined (verdict))
    return "was not delivered";
  switch (verdict->action)
    {
    case CM_ACTION_REJECT: return "was refused";
    case CM_ACTION_HOLD: return "is held for the Monitoring Officer to review";
    case CM_ACTION_DISCLOSE: return "was delivered with a line added at its foot";
    default: return "was delivered, with this notice";
    }
}

/* TEXT wrapped at WRAP_COLUMN: the first line after INDENT, the others
 * after as many spaces (so "  - " and "  > " items hang). */
static void
append_wrapped (GString *out, const char *indent, const char *text)
{
  g_autofree char *hanging = g_strnfill (strlen (indent), ' ');
  gboolean first = TRUE;
  g_auto (GStrv) words = g_strsplit_set (text, " \t\r\n", -1);
  gsize column = 0;
  for (guint i = 0; words[i]; i++)
    {
      if (*words[i] == '\0')
        continue;
      gsize length = g_utf8_strlen (words[i], -1);
      if (column > 0 && column + 1 + length > WRAP_COLUMN)
        {
          g_string_append_c (out, '\n');
          column = 0;
        }
      if (column == 0)
        {
          /* Quoted evidence keeps its "> " on every line. */
          const char *lead = first || strchr (indent, '>') ? indent : hanging;
          g_string_append (out, lead);
          column = strlen (lead);
          first = FALSE;
        }
      else
        {
          g_string_append_c (out, ' ');
          column++;
        }
      g_string_append (out, words[i]);
      column += length;
    }
  if (column > 0)
    g_string_append_c (out, '\n');
}

/* The message's Subject for people: RFC 2047 words decoded ("=?utf-8?..."
 * is no subject a sender recognises), or "(no subject)". */
static char *
subject_of (const CmMsgCtx *msg)
{
  if (msg->subject == NULL)
    return g_strdup ("(no subject)");
  char *decoded = g_mime_utils_header_decode_text (NULL, msg->subject);
  return decoded ? decoded : g_strdup (msg->subject);
}

/* What became of a message too large to keep for review: the MTA's
 * quarantine, which only the mail administrators look into. */
static void
quarantine_text (GString *text, const CmMsgCtx *msg, const CmVerdict *verdict)
{
  g_autofree char *size = cm_msgctx_size_text (msg);
  g_autofree char *said = g_strdup_printf (
      "The message is %s, larger than the %zu bytes the council's mail filter reads and keeps, so "
      "only its first %zu bytes were checked and it could not be kept for the Monitoring Officer's "
      "review. The mail system has put it in its own quarantine instead: it stays there, not "
      "delivered, until the council's mail administrators (postmaster@%s) release or delete it, "
      "and nobody reviews it unless asked.", size, msg->scan_limit, verdict->scanned,
      cm_config_council_domain (msg->config));
  append_wrapped (text, "", said);
  g_string_append_c (text, '\n');
  append_wrapped (text, "", "If it should go as it is, ask the mail administrators to release it. "
                            "Otherwise send it again without the words that raised this notice, "
                            "with large attachments shared another way.");
  g_string_append_c (text, '\n');
}

/* The part for people. */
static char *
notice_text (const CmMsgCtx *msg, const CmVerdict *verdict, const char *hold_id, const char *reply_to)
{
  GString *text = g_string_new (NULL);
  guint n = msg->envelope->recipients->len;
  g_autofree char *subject = subject_of (msg);
  g_autofree char *opening = g_strdup_printf (
      "Your message \"%s\" to %u recipient%s %s, because it appears to go against the "
      "Member/Officer Protocol of %s.", subject, n, n == 1 ? "" : "s",
      outcome (verdict), cm_config_council_name (msg->config));
  append_wrapped (text, "", opening);
  for (guint i = 0; i < verdict->findings->len; i++)
    {
      const CmFinding *f = verdict->findings->pdata[i];
      g_string_append_printf (text, "\nWhat was noticed (%s)\n", f->rule);
      append_wrapped (text, "  ", f->summary);
      const char *paragraph = cm_config_paragraph (msg->config, f->clause);
      g_string_append_printf (text, "\nWhat the protocol says: %s\n", f->clause);
      if (paragraph)
        {
          g_autofree char *quoted = g_strdup_printf ("\"%s\"", paragraph);
          append_wrapped (text, "  ", quoted);
        }
      if (f->evidence->len > 0)
        g_string_append (text, "\nThe words that raised it\n");
      for (guint k = 0; k < f->evidence->len; k++)
        append_wrapped (text, "  > ", f->evidence->pdata[k]);
      g_string_append (text, "\nWhat to do instead\n");
      append_wrapped (text, "  ", f->advice);
    }
  g_string_append_c (text, '\n');
  if (verdict->partial->len > 0)
    {
      GString *reasons = g_string_new (NULL);
      for (guint i = 0; i < verdict->partial->len; i++)
        g_string_append_printf (reasons, "%s%s", i ? "; " : "", (const char *) verdict->partial->pdata[i]);
      g_autofree char *said = g_strdup_printf (
          "The council's mail filter could not read all of your message: it stopped at the limits "
          "its administrators set (%s).%s", reasons->str,
          verdict->action == CM_ACTION_HOLD && verdict->findings->len == 0
            ? " So that nothing in it goes unread, it is held for the Monitoring Officer to read." : "");
      g_string_free (reasons, TRUE);
      append_wrapped (text, "", said);
      g_string_append_c (text, '\n');
    }
  if (verdict->disclosure)
    {
      g_autofree char *said = g_strdup_printf (
          "The line \"%s\" was added at the foot of your message, so that everyone who received "
          "it can see who else had a copy.", verdict->disclosure);
      append_wrapped (text, "", said);
      g_string_append_c (text, '\n');
    }
  if (verdict->undisclosed)
    {
      g_autofree char *said = g_strdup_printf (
          "The filter would have added a line at the foot saying who had a blind copy, but did "
          "not change your message because %s. Please tell the recipients yourself.",
          verdict->undisclosed);
      append_wrapped (text, "", said);
      g_string_append_c (text, '\n');
    }
  if (cm_notify_quarantined (verdict))
    quarantine_text (text, msg, verdict);
  else if (verdict->action == CM_ACTION_HOLD)
    {
      g_autofree char *held = g_strdup_printf (
          "The Monitoring Officer will review the message (reference %s) and release it or return "
          "it to you with the reason.", hold_id ? hold_id : "not recorded");
      append_wrapped (text, "", held);
      if (reply_to)
        {
          g_string_append_c (text, '\n');
          append_wrapped (text, "", "You can act on it by replying to this notice (the reply goes to "
                                    "the Monitoring Officer's review, nowhere else):");
          append_wrapped (text, "  - ", "to withdraw the message, reply with the word WITHDRAW at the "
                                        "start of your reply;");
          append_wrapped (text, "  - ", "to explain it, reply with your explanation; the Monitoring "
                                        "Officer will read it before deciding.");
        }
      g_string_append_c (text, '\n');
    }
  g_string_append (text, "This notice was sent automatically by the council's mail filter.\n");
  return g_string_free (text, FALSE);
}

/* The part for programs: "Field: value" lines, as in a delivery status. */
static char *
report_fields (const CmMsgCtx *msg, const CmVerdict *verdict, const char *hold_id)
{
  GString *fields = g_string_new (NULL);
  g_string_append_printf (fields, "Reporting-MTA: dns; %s\n", cm_config_council_domain (msg->config));
  if (msg->message_id)
    g_string_append_printf (fields, "Original-Message-ID: %s\n", msg->message_id);
  g_string_append_printf (fields, "Original-Envelope-From: <%s>\n", msg->envelope->sender);
  g_string_append_printf (fields, "Action: %s\n", cm_action_name (verdict->action));
  if (hold_id)
    g_string_append_printf (fields, "Hold-ID: %s\n", hold_id);
  if (cm_notify_quarantined (verdict))
    g_string_append (fields, "Quarantine: mta\n");
  if (verdict->truncated || verdict->partial->len > 0)
    {
      g_autofree char *scan = cm_msgctx_scan_value (msg, verdict);
      g_string_append_printf (fields, "Scan: %s\n", scan);
    }
  for (guint i = 0; i < verdict->findings->len; i++)
    {
      const CmFinding *f = verdict->findings->pdata[i];
      g_string_append_printf (fields, "\nRule: %s\nClause: %s\nRule-Action: %s\n", f->rule, f->clause,
                              cm_rule_action_name (f->action));
    }
  return g_string_free (fields, FALSE);
}

static GMimePart *
text_part (const char *type, const char *subtype, const char *text)
{
  GMimeTextPart *part = g_mime_text_part_new_with_subtype (subtype);
  if (strcmp (type, "text") != 0)
    {
      GMimeContentType *ct = g_mime_content_type_new (type, subtype);
      g_mime_object_set_content_type (GMIME_OBJECT (part), ct);
      g_object_unref (ct);
    }
  g_mime_text_part_set_text (part, text);
  return GMIME_PART (part);
}

static void
add_part (GMimeMultipart *multipart, GMimePart *part)
{
  g_mime_multipart_add (multipart, GMIME_OBJECT (part));
  g_object_unref (part);
}

/* A new notice from [notify] from to TO, with SUBJECT. */
static GMimeMessage *
new_notice (const CmConfig *config, const char *to, const char *subject)
{
  const char *domain = cm_config_council_domain (config);
  GMimeMessage *notice = g_mime_message_new (TRUE);
  const char *from = cm_daemon_settings (config)->notify_from;
  g_autofree char *default_from = g_strdup_printf ("Member/Officer Protocol <postmaster@%s>", domain);
  InternetAddressList *from_list = internet_address_list_parse (NULL, from ? from : default_from);
  if (from_list == NULL)
    from_list = internet_address_list_parse (NULL, default_from);
  internet_address_list_append (g_mime_message_get_from (notice), from_list);
  g_object_unref (from_list);
  g_mime_message_add_mailbox (notice, GMIME_ADDRESS_TYPE_TO, NULL, to);
  g_mime_message_set_subject (notice, subject, "utf-8");
  GDateTime *now = g_date_time_new_now_local ();
  g_mime_message_set_date (notice, now);
  g_date_time_unref (now);
  g_autofree char *id = g_mime_utils_generate_message_id (domain);
  g_mime_message_set_message_id (notice, id);
  g_mime_object_set_header (GMIME_OBJECT (notice), "Auto-Submitted", "auto-generated", NULL);
  return notice;
}

GMimeMessage *
cm_notify_compose (const CmMsgCtx *msg, const CmVerdict *verdict, const char *hold_id,
                   const char *reply_to)
{
  g_autofree char *original = subject_of (msg);
  g_autofree char *subject = g_strdup_printf ("Member/Officer Protocol notice: \"%s\"", original);
  GMimeMessage *notice = new_notice (msg->config, msg->envelope->sender, subject);
  GMimeObject *object = GMIME_OBJECT (notice);
  if (msg->message_id)
    {
      g_mime_object_set_header (object, "In-Reply-To", msg->message_id, NULL);
      g_mime_object_set_header (object, "References", msg->message_id, NULL);
    }
  if (reply_to)
    g_mime_message_add_mailbox (notice, GMIME_ADDRESS_TYPE_REPLY_TO, "Monitoring Officer review", reply_to);

  GMimeMultipart *report = g_mime_multipart_new_with_subtype ("report");
  g_mime_object_set_content_type_parameter (GMIME_OBJECT (report), "report-type", "x-council-protocol");
  g_autofree char *text = notice_text (msg, verdict, hold_id, reply_to);
  g_autofree char *fields = report_fields (msg, verdict, hold_id);
  add_part (report, text_part ("text", "plain", text));
  add_part (report, text_part ("text", "x-council-protocol", fields));
  add_part (report, text_part ("text", "rfc822-headers", msg->headers->str));
  g_mime_message_set_mime_part (notice, GMIME_OBJECT (report));
  g_object_unref (report);
  return notice;
}

/* Hand NOTICE to the outbox (or straight to the listener without one). */
static gboolean
send_notice (const CmConfig *config, CmOutbox *outbox, GMimeMessage *notice, const char *to, GError **error)
{
  g_autofree char *data = g_mime_object_to_string (GMIME_OBJECT (notice), NULL);
  const char *const recipients[] = { to, NULL };
  const char *listener = cm_daemon_settings (config)->notify_smtp;
  if (outbox)
    return cm_outbox_send (outbox, listener, "", recipients, data, strlen (data), error);
  return cm_smtp_send (listener, "", recipients, data, strlen (data), NULL, error);
}

gboolean
cm_notify_send (const CmMsgCtx *msg, const CmVerdict *verdict, CmOutbox *outbox, const char *hold_id,
                const char *reply_to, GError **error)
{
  g_autoptr (GMimeMessage) notice = cm_notify_compose (msg, verdict, hold_id, reply_to);
  return send_notice (msg->config, outbox, notice, msg->envelope->sender, error);
}

char *
cm_notify_review_command (const CmConfig *config)
{
  /* council-review runs as the spool's owner: the user this daemon is. */
  struct passwd *pw = getpwuid (geteuid ());
  const char *path = cm_config_path (config);
  gboolean usual = g_strcmp0 (path, SYSCONFDIR "/council-milter/council-milter.conf") == 0;
  return g_strdup_printf ("sudo -u %s council-review%s%s", pw ? pw->pw_name : "council-milter",
                          usual ? "" : " -c ", usual ? "" : path);
}

/* Did the engine leave header fields unread ([policy] max-headers)?  Such
 * a message is not parsed again here: that is the memory the cap saves. */
static gboolean
too_many_headers (const CmVerdict *verdict)
{
  for (guint i = 0; i < verdict->partial->len; i++)
    if (g_str_has_prefix (verdict->partial->pdata[i], "headers "))
      return TRUE;
  return FALSE;
}

/* HELD as a message/rfc822 attachment, its bytes as they are. */
static GMimePart *
unparsed_message (GMimeStream *held)
{
  GMimePart *part = g_mime_part_new_with_type ("message", "rfc822");
  GMimeDataWrapper *content = g_mime_data_wrapper_new_with_stream (held, GMIME_CONTENT_ENCODING_DEFAULT);
  g_mime_part_set_content (part, content);
  g_object_unref (content);
  g_mime_object_set_disposition (GMIME_OBJECT (part), "attachment");
  return part;
}

GMimeMessage *
cm_notify_compose_hold (const CmMsgCtx *msg, const CmVerdict *verdict, const char *hold_id,
                        const char *mo, const char *release_to, const char *reject_to, GMimeStream *held)
{
  g_autofree char *held_subject = subject_of (msg);
  g_autofree char *subject = g_strdup_printf ("Held for review (%s): \"%s\" from %s", hold_id,
                                              held_subject, msg->envelope->sender);
  GMimeMessage *notice = new_notice (msg->config, mo, subject);
  GString *text = g_string_new (NULL);
  g_string_append_printf (text, "A message was held under the Member/Officer Protocol.\n\n"
                                "Reference: %s\nFrom:      %s (%s)\nTo:        ",
                          hold_id, msg->envelope->sender, cm_role_name (verdict->sender_role));
  for (guint i = 0; i < msg->envelope->recipients->len; i++)
    g_string_append_printf (text, "%s%s", i ? ", " : "", (const char *) msg->envelope->recipients->pdata[i]);
  g_string_append_printf (text, "\nSubject:   %s\n", held_subject);
  if (verdict->truncated || verdict->partial->len > 0)
    {
      g_autofree char *scan = cm_msgctx_scan_value (msg, verdict);
      g_string_append_printf (text, "Scan:      %s (read in part: [policy] partial %s)\n", scan,
                              cm_action_name (verdict->partial_action));
    }
  for (guint i = 0; i < verdict->findings->len; i++)
    {
      const CmFinding *f = verdict->findings->pdata[i];
      g_string_append_printf (text, "\n%s, %s (%s)\n", f->clause, f->rule, cm_rule_action_name (f->action));
      append_wrapped (text, "  ", f->summary);
      for (guint k = 0; k < f->evidence->len; k++)
        append_wrapped (text, "  > ", f->evidence->pdata[k]);
    }
  g_autofree char *review = cm_notify_review_command (msg->config);
  g_string_append_printf (text,
                          "\nThe sender has been told, and may withdraw it or explain by replying.\n");
  if (release_to && reject_to)
    {
      g_string_append (text, "\nTo decide by reply (your reply goes to the filter, not the sender):\n");
      cm_decision_append_instructions (text, release_to, reject_to, "  ");
    }
  g_string_append_printf (text,
                          "\nTo decide on the mail relay:\n"
                          "  %s show %s\n"
                          "  %s release %s --note \"...\"\n"
                          "  %s reject %s --reason \"...\"\n"
                          "The held message is attached.\n", review, hold_id, review, hold_id, review, hold_id);

  GMimeMultipart *mixed = g_mime_multipart_new_with_subtype ("mixed");
  add_part (mixed, text_part ("text", "plain", text->str));
  g_string_free (text, TRUE);
  if (too_many_headers (verdict))
    {
      add_part (mixed, unparsed_message (held));
      g_mime_message_set_mime_part (notice, GMIME_OBJECT (mixed));
      g_object_unref (mixed);
      return notice;
    }
  g_autoptr (GMimeParser) parser = g_mime_parser_new_with_stream (held);
  g_autoptr (GMimeMessage) original = g_mime_parser_construct_message (parser, NULL);
  if (original)
    {
      GMimeMessagePart *attached = g_mime_message_part_new_with_message ("rfc822", original);
      g_mime_object_set_disposition (GMIME_OBJECT (attached), "attachment");
      g_mime_multipart_add (mixed, GMIME_OBJECT (attached));
      g_object_unref (attached);
    }
  g_mime_message_set_mime_part (notice, GMIME_OBJECT (mixed));
  g_object_unref (mixed);
  return notice;
}

gboolean
cm_notify_send_hold (const CmMsgCtx *msg, const CmVerdict *verdict, CmOutbox *outbox,
                     const char *hold_id, const char *mo, const char *release_to, const char *reject_to,
                     GMimeStream *held, GError **error)
{
  g_autoptr (GMimeMessage) notice = cm_notify_compose_hold (msg, verdict, hold_id, mo, release_to, reject_to,
                                                            held);
  return send_notice (msg->config, outbox, notice, mo, error);
}

gboolean
cm_notify_send_text (const CmConfig *config, CmOutbox *outbox, const char *to, const char *subject,
                     const char *text, GError **error)
{
  g_autoptr (GMimeMessage) notice = new_notice (config, to, subject);
  GMimePart *body = text_part ("text", "plain", text);
  g_mime_message_set_mime_part (notice, GMIME_OBJECT (body));
  g_object_unref (body);
  return send_notice (config, outbox, notice, to, error);
}
