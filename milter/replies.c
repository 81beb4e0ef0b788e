/*
 * replies.c: a reply to a hold notice, withdrawing or explaining the held
 * message (replies.h).
 *
 * The reply's own text is its body text down to the first line of quoted
 * history ("> ...", "On ... wrote:", "-----Original Message-----",
 * "From: ...").  The body text is what a mail client shows: a text/plain
 * part, or of a multipart/alternative (text plus HTML, as Outlook and
 * Gmail send replies) its text/plain alternative, else its HTML rendered
 * to text (html.c, which marks quoted blocks with "> "); inside
 * multipart/mixed or /related, the first part that has such text,
 * attachments aside.  The reply withdraws the message when its first
 * word is WITHDRAW, and is otherwise the sender's explanation.
 */
#include "config.h"

#include <string.h>

#include "log.h"
#include "notify.h"
#include "replies.h"
#include "text.h"
#include "settings.h"

/* An explanation longer than this is cut (the message is in the log). */
#define EXPLANATION_MAX 8192
/* How deep in nested multiparts the reply's text is looked for. */
#define BODY_DEPTH_MAX 8

gboolean
cm_replies_parse_address (const CmConfig *config, const char *address, char **hold_id, char **token)
{
  return cm_mailbox_parse (config, address, "hold", hold_id, token);
}

/* Is LINE where quoted history starts? */
static gboolean
history_starts (const char *line)
{
  g_autofree char *trimmed = g_strstrip (g_strdup (line));
  return *trimmed == '>' || g_str_has_prefix (trimmed, "-----Original Message")
      || (g_str_has_prefix (trimmed, "On ") && g_str_has_suffix (trimmed, "wrote:"))
      || g_str_has_prefix (trimmed, "From: ") || g_str_has_prefix (trimmed, "From:\t");
}

/* Is OBJECT an attachment (Content-Disposition: attachment)? */
static gboolean
is_attachment (GMimeObject *object)
{
  const char *disposition = g_mime_object_get_disposition (object);
  return disposition && g_ascii_strcasecmp (disposition, GMIME_DISPOSITION_ATTACHMENT) == 0;
}

/* The text of the text/SUBTYPE PART in UTF-8 (HTML rendered to text). */
static char *
part_text (GMimeObject *part, gboolean html)
{
  g_autofree char *text = g_mime_text_part_get_text (GMIME_TEXT_PART (part));
  if (text == NULL || !html)
    return g_steal_pointer (&text);
  return cm_html_to_text (text, strlen (text));
}

/* The first child of the multipart/alternative ALTERNATIVE that is a
 * text/SUBTYPE part, or NULL. */
static GMimeObject *
alternative_of_type (GMimeMultipart *alternative, const char *subtype)
{
  int n = g_mime_multipart_get_count (alternative);
  for (int i = 0; i < n; i++)
    {
      GMimeObject *child = g_mime_multipart_get_part (alternative, i);
      if (GMIME_IS_TEXT_PART (child)
          && g_mime_content_type_is_type (g_mime_object_get_content_type (child), "text", subtype))
        return child;
    }
  return NULL;
}

/* The text a mail client shows for OBJECT, in UTF-8, or NULL when it has
 * none (an attachment, a picture, a forwarded message). */
static char *
body_text (GMimeObject *object, int depth)
{
  if (object == NULL || depth > BODY_DEPTH_MAX || is_attachment (object))
    return NULL;
  GMimeContentType *type = g_mime_object_get_content_type (object);
  if (GMIME_IS_TEXT_PART (object))
    {
      if (g_mime_content_type_is_type (type, "text", "plain"))
        return part_text (object, FALSE);
      if (g_mime_content_type_is_type (type, "text", "html"))
        return part_text (object, TRUE);
      return NULL;
    }
  if (!GMIME_IS_MULTIPART (object) || GMIME_IS_MULTIPART_ENCRYPTED (object))
    return NULL;
  GMimeMultipart *multipart = GMIME_MULTIPART (object);
  if (g_mime_content_type_is_type (type, "multipart", "alternative"))
    {
      GMimeObject *plain = alternative_of_type (multipart, "plain");
      char *text = plain ? part_text (plain, FALSE) : NULL;
      GMimeObject *html = text ? NULL : alternative_of_type (multipart, "html");
      if (html)
        text = part_text (html, TRUE);
      if (text)
        return text;
    }
  /* mixed, related, signed, or an alternative of nested multiparts: the
   * first part with text. */
  int n = g_mime_multipart_get_count (multipart);
  for (int i = 0; i < n; i++)
    {
      char *text = body_text (g_mime_multipart_get_part (multipart, i), depth + 1);
      if (text)
        return text;
    }
  return NULL;
}

char *
cm_replies_words (CmMsgCtx *msg)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GMimeStream) stream = cm_msgctx_stream (msg, &error);
  if (stream == NULL)
    {
      cm_log (LOG_ERR, "%s: reading a reply to a hold notice: %s", msg->queue_id, error->message);
      return g_strdup ("");
    }
  g_autoptr (GMimeParser) parser = g_mime_parser_new_with_stream (stream);
  g_autoptr (GMimeMessage) message = g_mime_parser_construct_message (parser, NULL);
  g_autofree char *text = message ? body_text (g_mime_message_get_mime_part (message), 0) : NULL;
  if (text == NULL || !g_utf8_validate (text, -1, NULL))
    return g_strdup ("");
  GString *words = g_string_new (NULL);
  g_auto (GStrv) lines = g_strsplit (text, "\n", -1);
  for (guint i = 0; lines[i] && !history_starts (lines[i]) && words->len < EXPLANATION_MAX; i++)
    g_string_append_printf (words, "%s\n", g_strchomp (lines[i]));
  char *result = g_strstrip (g_string_free (words, FALSE));
  if (strlen (result) > EXPLANATION_MAX)
    *g_utf8_find_prev_char (result, result + EXPLANATION_MAX) = '\0';
  return result;
}

gboolean
cm_replies_withdraws (const char *words)
{
  return g_ascii_strncasecmp (words, "withdraw", 8) == 0 && !g_ascii_isalpha (words[8]);
}

/* A short note to the Monitoring Officer about hold ID, through the outbox. */
static void
tell_monitoring_officer (const CmMsgCtx *msg, CmServices *services, const char *id, const char *what,
                         const char *words)
{
  const char *mo = cm_config_monitoring_officer (msg->config);
  if (mo == NULL)
    return;
  g_autofree char *subject = g_strdup_printf ("Held message %s: %s by %s", id, what, msg->envelope->sender);
  g_autofree char *review = cm_notify_review_command (msg->config);
  g_autofree char *text = g_strdup_printf (
      "The sender of held message %s, %s, has %s it by replying to the notice.\n\n%s%s%s"
      "To see the whole case: %s show %s\n", id, msg->envelope->sender, what,
      *words ? "Their words:\n\n" : "", words, *words ? "\n\n" : "", review, id);
  g_autoptr (GError) error = NULL;
  if (!cm_notify_send_text (msg->config, services->outbox, mo, subject, text, &error))
    cm_log (LOG_ERR, "%s: the Monitoring Officer was not told that %s was %s: %s", msg->queue_id, id, what,
            error->message);
}

CmReplyOutcome
cm_replies_take (CmMsgCtx *msg, CmServices *services, const char *address, char **why)
{
  g_autofree char *id = NULL, *token = NULL;
  if (services == NULL)
    {
      *why = g_strdup ("the hold spool is not open");
      return CM_REPLY_FAILED;
    }
  if (!cm_replies_parse_address (msg->config, address, &id, &token))
    {
      *why = g_strdup_printf ("%s is not a reply address", address);
      return CM_REPLY_REFUSED;
    }
  g_autofree char *expected = cm_holdstore_token (services->store, "reply", id);
  g_autoptr (GError) error = NULL;
  g_autoptr (CmHold) hold = cm_mailbox_token_matches (expected, token)
                               ? cm_holdstore_get (services->store, id, &error) : NULL;
  if (hold == NULL)
    {
      *why = g_strdup_printf ("%s does not belong to a held message", address);
      return error && error->code == CM_HOLD_ERROR_IO ? CM_REPLY_FAILED : CM_REPLY_REFUSED;
    }
  if (g_ascii_strcasecmp (hold->sender, msg->envelope->sender) != 0)
    {
      *why = g_strdup_printf ("only the sender of held message %s may reply to it, not %s", id,
                              msg->envelope->sender);
      return CM_REPLY_REFUSED;
    }

  g_autofree char *words = cm_replies_words (msg);
  gboolean withdrawn = cm_replies_withdraws (words);
  gboolean done = withdrawn
      ? cm_holdstore_decide (services->store, id, CM_HOLD_WITHDRAWN, msg->envelope->sender,
                             "withdrawn by the sender's reply", &error)
      : cm_holdstore_explain (services->store, id, *words ? words : "(an empty reply)", &error);
  if (!done)
    {
      *why = g_strdup_printf ("held message %s: %s", id, error->message);
      return error->code == CM_HOLD_ERROR_IO ? CM_REPLY_FAILED : CM_REPLY_REFUSED;
    }
  const char *what = withdrawn ? "withdrawn" : "explained";
  tell_monitoring_officer (msg, services, id, what, words);
  *why = g_strdup_printf ("held message %s %s by its sender", id, what);
  return CM_REPLY_RECORDED;
}
