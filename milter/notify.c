/*
 * notify.c: compose and send protocol notices (notify.h).
 */
#include "config.h"

#include <string.h>

#include "notify.h"
#include "smtp.h"

gboolean
cm_notify_wanted (const CmMsgCtx *msg)
{
  const char *sender = msg->envelope->sender;
  return !msg->auto_submitted && sender && *sender
      && cm_config_is_council_address (msg->config, sender);
}

static const char *
outcome (CmAction action)
{
  switch (action)
    {
    case CM_ACTION_REJECT: return "was refused";
    case CM_ACTION_HOLD: return "is held for the Monitoring Officer to review";
    case CM_ACTION_DISCLOSE: return "was delivered with a line added at its foot";
    default: return "was delivered, with this notice";
    }
}

static char *
notice_text (const CmMsgCtx *msg, const CmVerdict *verdict)
{
  GString *text = g_string_new (NULL);
  g_string_append_printf (text,
                          "Your message \"%s\" to %u recipient%s %s, because it appears to go\n"
                          "against the Member/Officer Protocol of %s.\n\n",
                          msg->subject ? msg->subject : "(no subject)", msg->envelope->recipients->len,
                          msg->envelope->recipients->len == 1 ? "" : "s", outcome (verdict->action),
                          cm_config_council_name (msg->config));
  for (guint i = 0; i < verdict->findings->len; i++)
    {
      const CmFinding *f = verdict->findings->pdata[i];
      g_string_append_printf (text, "%s (%s): %s\n", f->clause, f->rule, f->summary);
      for (guint k = 0; k < f->evidence->len; k++)
        g_string_append_printf (text, "  > %s\n", (const char *) f->evidence->pdata[k]);
      g_string_append_printf (text, "What to do instead: %s\n\n", f->advice);
    }
  if (verdict->disclosure)
    g_string_append_printf (text, "The line \"%s\" was added at the foot of your message, so that\n"
                                  "everyone who received it can see who else had a copy.\n\n",
                            verdict->disclosure);
  if (verdict->undisclosed)
    g_string_append_printf (text, "The filter would have added a line at the foot saying who had a\n"
                                  "blind copy, but did not change your message because %s.\n"
                                  "Please tell the recipients yourself.\n\n",
                            verdict->undisclosed);
  if (verdict->action == CM_ACTION_HOLD)
    g_string_append (text, "The Monitoring Officer will review the message and release it or\n"
                           "return it to you with the reason.\n\n");
  g_string_append (text, "This notice was sent automatically by the council's mail filter.\n");
  return g_string_free (text, FALSE);
}

GMimeMessage *
cm_notify_compose (const CmMsgCtx *msg, const CmVerdict *verdict)
{
  const CmConfig *config = msg->config;
  const char *domain = cm_config_council_domain (config);
  GMimeMessage *notice = g_mime_message_new (TRUE);

  const char *from = cm_config_get (config, "notify", "from");
  g_autofree char *default_from = g_strdup_printf ("Member/Officer Protocol <postmaster@%s>", domain);
  InternetAddressList *from_list = internet_address_list_parse (NULL, from ? from : default_from);
  if (from_list == NULL)
    from_list = internet_address_list_parse (NULL, default_from);
  internet_address_list_append (g_mime_message_get_from (notice), from_list);
  g_object_unref (from_list);
  g_mime_message_add_mailbox (notice, GMIME_ADDRESS_TYPE_TO, NULL, msg->envelope->sender);

  g_autofree char *subject = g_strdup_printf ("Member/Officer Protocol notice: \"%s\"",
                                              msg->subject ? msg->subject : "(no subject)");
  g_mime_message_set_subject (notice, subject, "utf-8");
  GDateTime *now = g_date_time_new_now_local ();
  g_mime_message_set_date (notice, now);
  g_date_time_unref (now);
  g_autofree char *id = g_mime_utils_generate_message_id (domain);
  g_mime_message_set_message_id (notice, id);
  GMimeObject *object = GMIME_OBJECT (notice);
  g_mime_object_set_header (object, "Auto-Submitted", "auto-generated", NULL);
  if (msg->message_id)
    {
      g_mime_object_set_header (object, "In-Reply-To", msg->message_id, NULL);
      g_mime_object_set_header (object, "References", msg->message_id, NULL);
    }

  GMimeTextPart *body = g_mime_text_part_new_with_subtype ("plain");
  g_autofree char *text = notice_text (msg, verdict);
  g_mime_text_part_set_text (body, text);
  g_mime_message_set_mime_part (notice, GMIME_OBJECT (body));
  g_object_unref (body);
  return notice;
}

gboolean
cm_notify_send (const CmMsgCtx *msg, const CmVerdict *verdict, GError **error)
{
  g_autoptr (GMimeMessage) notice = cm_notify_compose (msg, verdict);
  g_autofree char *data = g_mime_object_to_string (GMIME_OBJECT (notice), NULL);
  const char *const recipients[] = { msg->envelope->sender, NULL };
  return cm_smtp_send (cm_config_get (msg->config, "notify", "smtp"), "", recipients, data,
                       strlen (data), NULL, error);
}
