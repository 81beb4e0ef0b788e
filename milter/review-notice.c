/*
 * review-notice.c: the mail council-review writes (review-notice.h).
 * Plain English for councillors and officers, as the daemon's notices
 * (notify.c) are; every piece of message data in it is made safe first.
 */
#include "config.h"

#include <string.h>

#include "decision.h"
#include "review-format.h"
#include "review-notice.h"
#include "smtp.h"
#include "settings.h"

/* The width the mail's own sentences are folded to.  What people wrote
 * (a reason, an explanation, evidence, a paragraph of the protocol) is
 * not folded (width 0), so that it reads and searches as it was written;
 * mail clients fold long lines for the screen they are on. */
#define MAIL_WIDTH 72

/* HOLD's subject, safe, or "(no subject)". */
static char *
subject_of (const CmHold *hold)
{
  return hold->subject && *hold->subject ? cm_review_safe (hold->subject, FALSE) : g_strdup ("(no subject)");
}

/* HOLD's sender, safe, "<>" for the null sender. */
static char *
sender_of (const CmHold *hold)
{
  return hold->sender && *hold->sender ? cm_review_safe (hold->sender, FALSE) : g_strdup ("<>");
}

/* AT in the server's local time, for a person: "Monday 23 November 2026 at 03:15 GMT". */
static char *
local_time (gint64 at)
{
  g_autoptr (GDateTime) when = g_date_time_new_from_unix_local (at);
  return when ? g_date_time_format (when, "%A %-d %B %Y at %H:%M %Z") : g_strdup ("(unknown)");
}

/* A new message to TO with SUBJECT, from [notify] from, dated NOW,
 * marked as automatic. */
static GMimeMessage *
new_mail (const CmConfig *config, const char *to, const char *subject, gint64 now)
{
  const char *domain = cm_config_council_domain (config);
  GMimeMessage *mail = g_mime_message_new (TRUE);
  const char *from = cm_daemon_settings (config)->notify_from;
  g_autofree char *default_from = g_strdup_printf ("Member/Officer Protocol <postmaster@%s>", domain);
  InternetAddressList *from_list = from ? internet_address_list_parse (NULL, from) : NULL;
  if (from_list == NULL || internet_address_list_length (from_list) == 0)
    {
      g_clear_object (&from_list);
      from_list = internet_address_list_parse (NULL, default_from);
    }
  internet_address_list_append (g_mime_message_get_from (mail), from_list);
  g_object_unref (from_list);
  g_mime_message_add_mailbox (mail, GMIME_ADDRESS_TYPE_TO, NULL, to);
  g_mime_message_set_subject (mail, subject, "utf-8");
  g_autoptr (GDateTime) date = g_date_time_new_from_unix_local (now);
  g_mime_message_set_date (mail, date);
  g_autofree char *id = g_mime_utils_generate_message_id (domain);
  g_mime_message_set_message_id (mail, id);
  g_mime_object_set_header (GMIME_OBJECT (mail), "Auto-Submitted", "auto-generated", NULL);
  return mail;
}

/* A text/plain part (UTF-8) holding TEXT. */
static GMimeTextPart *
text_part (const char *text)
{
  GMimeTextPart *part = g_mime_text_part_new_with_subtype ("plain");
  g_mime_text_part_set_text (part, text);
  return part;
}

/* Give MAIL the single body TEXT. */
static void
set_text (GMimeMessage *mail, const char *text)
{
  GMimeTextPart *body = text_part (text);
  g_mime_message_set_mime_part (mail, GMIME_OBJECT (body));
  g_object_unref (body);
}

/* Append the envelope recipients of HOLD, one to a line after INDENT. */
static void
append_recipients (GString *out, const CmHold *hold, const char *indent)
{
  for (guint i = 0; hold->recipients && hold->recipients[i]; i++)
    {
      g_autofree char *safe = cm_review_safe (hold->recipients[i], FALSE);
      g_string_append_printf (out, "%s%s\n", indent, safe);
    }
}

/* Append TEXT folded as one paragraph of the mail, then a blank line. */
static void
paragraph (GString *out, const char *text)
{
  cm_review_wrap (out, text, "", MAIL_WIDTH);
  g_string_append_c (out, '\n');
}

/* The notice to the sender that HOLD was not sent. */
GMimeMessage *
cm_review_rejection_notice (const CmConfig *config, const CmHold *hold, const char *reason,
                            gint64 expired_days, gint64 now)
{
  g_autofree char *subject = subject_of (hold);
  g_autofree char *held = local_time (hold->held_at);
  GString *text = g_string_new (NULL);
  g_autofree char *opening = g_strdup_printf (
    "Your message \"%s\" was not sent. It was held on %s for the Monitoring Officer to review, "
    "because it appears to go against the Member/Officer Protocol of %s. It was addressed to:",
    subject, held, cm_config_council_name (config));
  cm_review_wrap (text, opening, "", MAIL_WIDTH);
  append_recipients (text, hold, "  ");
  g_string_append_c (text, '\n');
  if (expired_days > 0)
    {
      g_autofree char *expired = g_strdup_printf (
        "It was not reviewed within %" G_GINT64_FORMAT " day%s, so under the council's procedure "
        "it has been returned to you unsent.", expired_days, expired_days == 1 ? "" : "s");
      paragraph (text, expired);
    }
  else
    {
      paragraph (text, "The Monitoring Officer decided not to release it, and gave this reason:");
      cm_review_wrap (text, reason, "  ", 0);
      g_string_append_c (text, '\n');
    }
  paragraph (text, "Why it was held:");
  cm_review_append_findings (text, config, hold->verdict_json, hold->rules, hold->clauses,
                             CM_REVIEW_FINDINGS_ADVICE, "", 0);
  g_string_append_c (text, '\n');
  paragraph (text, "None of the recipients has received this message. If you still need to write "
                   "to them, please send a new message that keeps to the protocol; the Monitoring "
                   "Officer can advise you.");
  g_string_append (text, "This notice was sent automatically by the council's mail filter.\n");

  g_autofree char *title = g_strdup_printf ("Member/Officer Protocol: your message \"%s\" was not sent",
                                            subject);
  GMimeMessage *mail = new_mail (config, hold->sender, title, now);
  set_text (mail, text->str);
  g_string_free (text, TRUE);
  return mail;
}

/* Append the lines that say who sent HOLD to whom, when and why, for a
 * reviewer; every line after INDENT. */
static void
append_summary (GString *out, const CmHold *hold, gint64 now, const char *indent)
{
  g_autofree char *sender = sender_of (hold);
  g_autofree char *subject = subject_of (hold);
  g_autofree char *when = cm_review_time (hold->held_at);
  g_autofree char *age = cm_review_age (hold->held_at, now);
  g_autofree char *role = cm_review_safe (hold->sender_role ? hold->sender_role : "unknown", FALSE);
  g_string_append_printf (out, "%sHeld:      %s (%s ago)\n", indent, when, age);
  g_string_append_printf (out, "%sFrom:      %s (%s)\n", indent, sender, role);
  g_autofree char *more = g_strconcat (indent, "           ", NULL);
  g_string_append_printf (out, "%sTo:        ", indent);
  for (guint i = 0; hold->recipients && hold->recipients[i]; i++)
    {
      g_autofree char *safe = cm_review_safe (hold->recipients[i], FALSE);
      g_string_append_printf (out, "%s%s\n", i ? more : "", safe);
    }
  if (hold->recipients == NULL || hold->recipients[0] == NULL)
    g_string_append (out, "(none)\n");
  g_string_append_printf (out, "%sSubject:   %s\n", indent, subject);
}

/* The deputy's notification of HOLD, with the message attached. */
GMimeMessage *
cm_review_escalation (const CmConfig *config, CmHoldStore *store, const CmHold *hold, const char *to,
                      GMimeMessage *held, const char *invocation, gint64 days, gint64 now)
{
  g_autofree char *subject = subject_of (hold);
  g_autofree char *sender = sender_of (hold);
  GString *text = g_string_new (NULL);
  g_autofree char *opening = g_strdup_printf (
    "A message held under the Member/Officer Protocol of %s has not been reviewed by the "
    "Monitoring Officer within %" G_GINT64_FORMAT " day%s, so it is passed to you as deputy. "
    "Nobody has received it yet.", cm_config_council_name (config), days, days == 1 ? "" : "s");
  paragraph (text, opening);
  g_autofree char *id = cm_review_safe (hold->id, FALSE);
  g_string_append_printf (text, "Hold:      %s\n", id);
  append_summary (text, hold, now, "");
  g_string_append_c (text, '\n');
  if (hold->explanation)
    {
      paragraph (text, "The sender explained:");
      cm_review_wrap (text, hold->explanation, "  ", 0);
      g_string_append_c (text, '\n');
    }
  paragraph (text, "Why it was held:");
  cm_review_append_findings (text, config, hold->verdict_json, hold->rules, hold->clauses,
                             CM_REVIEW_FINDINGS_PEOPLE, "", 0);
  g_string_append_c (text, '\n');

  if (held)
    paragraph (text, "The message is attached as it was sent.");
  else
    paragraph (text, "The held message could not be attached: its file in the hold spool is missing "
                     "or unreadable.");
  GString *by_reply = g_string_new (NULL);
  if (cm_decision_append (by_reply, config, store, hold->id, to, "  "))
    g_string_append_printf (text, "To decide it by reply (your reply goes to the filter, not the sender):\n"
                                  "%s\n", by_reply->str);
  g_string_free (by_reply, TRUE);
  g_string_append_printf (text, "To decide it on the mail relay:\n"
                                "  %s show %s\n"
                                "  %s release %s --note \"...\"\n"
                                "  %s reject %s --reason \"...\"\n\n",
                          invocation, id, invocation, id, invocation, id);
  g_autofree char *deadline = g_strdup_printf (
    "If it is not decided within another %" G_GINT64_FORMAT " day%s, it will be returned to the "
    "sender unsent.", days, days == 1 ? "" : "s");
  paragraph (text, deadline);
  g_string_append (text, "This message was sent automatically by the council's mail filter.\n");

  g_autofree char *title = g_strdup_printf ("Held for review, passed to you as deputy: \"%s\" from %s",
                                            subject, sender);
  GMimeMessage *mail = new_mail (config, to, title, now);
  GMimeTextPart *body = text_part (text->str);
  g_string_free (text, TRUE);
  if (held == NULL)
    {
      g_mime_message_set_mime_part (mail, GMIME_OBJECT (body));
      g_object_unref (body);
      return mail;
    }
  GMimeMultipart *mixed = g_mime_multipart_new_with_subtype ("mixed");
  g_mime_multipart_add (mixed, GMIME_OBJECT (body));
  g_object_unref (body);
  GMimeMessagePart *attached = g_mime_message_part_new_with_message ("rfc822", held);
  g_autofree char *filename = g_strconcat (id, ".eml", NULL);
  g_mime_object_set_disposition (GMIME_OBJECT (attached), GMIME_DISPOSITION_ATTACHMENT);
  g_mime_object_set_content_disposition_parameter (GMIME_OBJECT (attached), "filename", filename);
  g_mime_multipart_add (mixed, GMIME_OBJECT (attached));
  g_object_unref (attached);
  g_mime_message_set_mime_part (mail, GMIME_OBJECT (mixed));
  g_object_unref (mixed);
  return mail;
}

/* Append one hold of the digest, numbered N. */
static void
append_digest_entry (GString *out, const CmConfig *config, CmHoldStore *store, const char *to,
                     const CmHold *hold, guint n, gint64 now)
{
  g_autofree char *id = cm_review_safe (hold->id, FALSE);
  g_autofree char *sender = sender_of (hold);
  g_autofree char *subject = subject_of (hold);
  g_autofree char *age = cm_review_age (hold->held_at, now);
  g_autofree char *when = cm_review_time (hold->held_at);
  g_autofree char *role = cm_review_safe (hold->sender_role ? hold->sender_role : "unknown", FALSE);
  g_autofree char *rules = hold->rules && hold->rules[0] ? g_strjoinv (", ", hold->rules) : g_strdup ("?");
  g_autofree char *safe_rules = cm_review_safe (rules, FALSE);
  g_autofree char *clauses = cm_review_safe (hold->clauses ? hold->clauses : "", FALSE);
  guint count = hold->recipients ? g_strv_length (hold->recipients) : 0;
  g_autofree char *first = cm_review_safe (count ? hold->recipients[0] : "(none)", FALSE);
  g_string_append_printf (out, "%u. %s, held %s ago (%s)\n", n, id, age, when);
  g_string_append_printf (out, "   From:     %s (%s)\n", sender, role);
  if (count > 1)
    g_string_append_printf (out, "   To:       %s (+%u more)\n", first, count - 1);
  else
    g_string_append_printf (out, "   To:       %s\n", first);
  g_string_append_printf (out, "   Subject:  %s\n", subject);
  g_autofree char *rules_line = g_strdup_printf ("%s%s%s%s", safe_rules, *clauses ? " (" : "", clauses,
                                                 *clauses ? ")" : "");
  cm_review_wrap_hanging (out, rules_line, "   Rules:    ", "             ", MAIL_WIDTH);
  if (hold->explanation)
    g_string_append (out, "   The sender has explained why they sent it.\n");
  if (hold->escalated)
    g_string_append (out, "   Passed to the deputy, as it was not reviewed in time.\n");
  cm_decision_append (out, config, store, hold->id, to, "   ");
  g_string_append_c (out, '\n');
}

/* The Monitoring Officer's digest of HOLDS. */
GMimeMessage *
cm_review_digest (const CmConfig *config, CmHoldStore *store, const GPtrArray *holds, const char *to,
                  const char *invocation, gint64 days, gint64 now)
{
  GString *text = g_string_new (NULL);
  g_autofree char *opening = g_strdup_printf (
    "%u message%s %s held under the Member/Officer Protocol of %s, waiting for your review. "
    "The oldest comes first.", holds->len, holds->len == 1 ? "" : "s", holds->len == 1 ? "is" : "are",
    cm_config_council_name (config));
  paragraph (text, opening);
  for (guint i = 0; i < holds->len; i++)
    append_digest_entry (text, config, store, to, holds->pdata[i], i + 1, now);
  g_string_append_printf (text, "Or, to see one, release it or reject it on the mail relay:\n"
                                "  %s show ID\n"
                                "  %s release ID --note \"...\"\n"
                                "  %s reject ID --reason \"...\"\n"
                                "  %s list\n\n",
                          invocation, invocation, invocation, invocation);
  const CmDaemonSettings *settings = cm_daemon_settings (config);
  g_autofree char *deadline = g_strdup_printf (
    "A message not reviewed within %" G_GINT64_FORMAT " day%s is %s.", days, days == 1 ? "" : "s",
    settings->expire == CM_EXPIRE_ESCALATE && settings->deputy
      ? "passed to the deputy" : "returned to its sender unsent");
  paragraph (text, deadline);
  g_string_append (text, "This digest was sent automatically by the council's mail filter.\n");

  g_autofree char *title = g_strdup_printf ("Member/Officer Protocol: %u message%s held for your review",
                                            holds->len, holds->len == 1 ? "" : "s");
  GMimeMessage *mail = new_mail (config, to, title, now);
  set_text (mail, text->str);
  g_string_free (text, TRUE);
  return mail;
}

/* Can ADDRESS go into an SMTP envelope as it is? */
gboolean
cm_review_address_ok (const char *address, gboolean null_ok)
{
  if (address == NULL || (*address == '\0' && !null_ok))
    return FALSE;
  for (const unsigned char *p = (const unsigned char *) address; *p; p++)
    if (*p <= ' ' || *p == 0x7f || *p == '<' || *p == '>')
      return FALSE;
  return TRUE;
}

/* Send MESSAGE to TO now, or keep it in OUTBOX for a retry. */
CmReviewDelivery
cm_review_deliver (CmOutbox *outbox, const CmConfig *config, const char *to, GMimeMessage *message,
                   char **why, GError **error)
{
  if (!cm_review_address_ok (to, FALSE))
    {
      g_autofree char *safe = cm_review_safe (to, FALSE);
      g_set_error (error, CM_ERROR, CM_ERROR_MESSAGE, "\"%s\" is not an address mail can be sent to", safe);
      return CM_REVIEW_NOT_SENT;
    }
  g_autofree char *data = g_mime_object_to_string (GMIME_OBJECT (message), NULL);
  const char *hostport = cm_daemon_settings (config)->notify_smtp;
  const char *const recipients[] = { to, NULL };
  gboolean temporary = FALSE;
  g_autoptr (GError) smtp_error = NULL;
  if (cm_smtp_send (hostport, "", recipients, data, strlen (data), &temporary, &smtp_error))
    return CM_REVIEW_SENT;
  if (!temporary)
    {
      g_propagate_error (error, g_steal_pointer (&smtp_error));
      return CM_REVIEW_NOT_SENT;
    }
  /* The outbox tries once more, then keeps it for the daemon to retry. */
  if (!cm_outbox_send (outbox, hostport, "", recipients, data, strlen (data), error))
    return CM_REVIEW_NOT_SENT;
  if (why)
    *why = g_strdup (smtp_error->message);
  return CM_REVIEW_KEPT;
}
