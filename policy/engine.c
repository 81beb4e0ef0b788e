/*
 * engine.c: cm_check(), the engine's one entry point for a message:
 * scope, view, every rule that is not off, verdict.
 *
 * The work is bounded (caps.h): a message read only in part, past a
 * cap or the time budget, gets a verdict that lists why, and at least
 * the action [policy] partial gives it (the stronger of that and the
 * findings' wins; in advise and monitor modes at most tag).
 */
#include "config.h"

#include <string.h>
#include <libxml/parser.h>

#include "policy.h"
#include "configuration.h"
#include "cues.h"
#include "directory.h"
#include "rules.h"
#include "verdict.h"
#include "view.h"

void
cm_policy_init (void)
{
  static gsize done = 0;
  if (g_once_init_enter (&done))
    {
      g_mime_init ();
      xmlInitParser ();
      g_once_init_leave (&done, 1);
    }
}

CmEnvelope *
cm_envelope_new (const char *sender)
{
  CmEnvelope *envelope = g_new0 (CmEnvelope, 1);
  envelope->sender = g_strdup (sender);
  envelope->recipients = g_ptr_array_new_with_free_func (g_free);
  return envelope;
}

void
cm_envelope_add_recipient (CmEnvelope *envelope, const char *recipient)
{
  g_ptr_array_add (envelope->recipients, g_strdup (recipient));
}

void
cm_envelope_free (CmEnvelope *envelope)
{
  if (envelope == NULL)
    return;
  g_free (envelope->sender);
  g_ptr_array_unref (envelope->recipients);
  g_free (envelope);
}

/* The first From mailbox of MESSAGE, or NULL. */
static char *
header_sender (GMimeMessage *message)
{
  InternetAddressList *from = message ? g_mime_message_get_from (message) : NULL;
  for (int i = 0; from && i < internet_address_list_length (from); i++)
    {
      InternetAddress *ia = internet_address_list_get_address (from, i);
      if (INTERNET_ADDRESS_IS_MAILBOX (ia))
        return g_strdup (internet_address_mailbox_get_addr (INTERNET_ADDRESS_MAILBOX (ia)));
    }
  return NULL;
}

static CmVerdict *
out_of_scope (CmVerdict *verdict, const CmDirectory *directory, const CmEnvelope *envelope)
{
  verdict->sender_address = cm_address_normalise (envelope->sender);
  verdict->sender_role = cm_directory_role (directory, envelope->sender, NULL, NULL);
  return verdict;
}

/* cm_check, and the message's cues as JSON in *CUES_JSON when asked. */
static CmVerdict *
judge (const CmConfig *config, const CmEnvelope *envelope, GMimeStream *stream, char **cues_json,
       GError **error)
{
  const CmDirectory *directory = cm_config_directory (config);
  gint64 start = g_mime_stream_tell (stream);
  if (start < 0)
    {
      g_set_error (error, CM_ERROR, CM_ERROR_MESSAGE, "the message stream cannot be read");
      return NULL;
    }

  g_autoptr (CmVerdict) verdict = g_new0 (CmVerdict, 1);
  verdict->mode = cm_config_mode (config);
  verdict->findings = g_ptr_array_new_with_free_func ((GDestroyNotify) cm_finding_free);
  verdict->partial = g_ptr_array_new_with_free_func (g_free);

  /* With an envelope sender, mail out of scope is not even parsed.
   * Without one (council-check on a file), the From header stands for the
   * sender; without envelope recipients, To, Cc and Bcc are the recipients. */
  gboolean have_sender = envelope && envelope->sender;
  if (have_sender && !cm_config_in_scope (config, envelope))
    return out_of_scope (g_steal_pointer (&verdict), directory, envelope);

  /* The time budget counts from here: scope needs no parse. */
  g_auto (CmScan) scan = { 0 };
  cm_scan_init (&scan, cm_config_limits (config));
  gsize max_scan = cm_config_max_scan_size (config);
  g_autoptr (GMimeMessage) message = cm_message_parse_capped (stream, max_scan, &scan, &verdict->scanned,
                                                              &verdict->truncated);
  g_autoptr (CmEnvelope) from_headers = NULL;
  if (!have_sender)
    {
      g_autofree char *sender = header_sender (message);
      from_headers = cm_envelope_new (sender ? sender : "");
      from_headers->authenticated = envelope && envelope->authenticated;
      for (guint i = 0; envelope && i < envelope->recipients->len; i++)
        cm_envelope_add_recipient (from_headers, envelope->recipients->pdata[i]);
      envelope = from_headers;
      if (!cm_config_in_scope (config, envelope))
        return out_of_scope (g_steal_pointer (&verdict), directory, envelope);
    }

  g_autoptr (CmView) view = cm_view_new_capped (directory, cm_config_lexicons (config), envelope, message, &scan);
  /* The trainer's dump has every cue by name; judging needs only those
   * the model weighs. */
  g_autoptr (CmCues) cues = cues_json ? cm_cues_new (TRUE, NULL) : cm_cues_new (FALSE, cm_config_model (config));
  CmRuleContext context = { directory, cm_config_lexicons (config), view, cm_config_model (config),
                            cm_config_valence (config), cues, cm_config_paragraphs (config), verdict->findings };
  for (guint i = 0; i < cm_n_rules; i++)
    {
      CmAction action = cm_config_rule_action (config, cm_rules[i].id);
      if (action == CM_ACTION_NONE)
        continue;
      if (cm_scan_out_of_time (&scan))
        break; /* the rules after this one do not judge it */
      guint before = verdict->findings->len;
      cm_rules[i].check (&cm_rules[i], &context, verdict->findings);
      for (guint k = before; k < verdict->findings->len; k++)
        {
          CmFinding *finding = verdict->findings->pdata[k];
          finding->action = action;
          if (finding->evidence_omitted)
            {
              char *summary = g_strdup_printf ("%s (%u more sentences like these)", finding->summary,
                                               finding->evidence_omitted);
              g_free (finding->summary);
              finding->summary = summary;
            }
        }
    }

  verdict->checked = TRUE;
  verdict->action = cm_verdict_decide (verdict->mode, verdict->findings);
  cm_verdict_disclose (verdict, message);
  g_ptr_array_unref (verdict->partial);
  verdict->partial = cm_scan_steal_reasons (&scan);
  if (verdict->partial->len > 0)
    {
      CmAction partial = cm_config_partial_action (config, envelope->authenticated);
      if (verdict->mode != CM_MODE_ENFORCE)
        partial = MIN (partial, CM_ACTION_TAG);
      verdict->partial_action = partial;
      verdict->action = MAX (verdict->action, partial);
    }
  verdict->sender_address = g_strdup (view->sender->address);
  verdict->sender_role = view->sender->role;
  verdict->sender_name = view->sender->person ? g_strdup (view->sender->person->name) : NULL;
  if (cues_json)
    *cues_json = cm_cues_to_json (cm_cues_of (&context));
  return g_steal_pointer (&verdict);
}

CmVerdict *
cm_check (const CmConfig *config, const CmEnvelope *envelope, GMimeStream *stream, GError **error)
{
  return judge (config, envelope, stream, NULL, error);
}

char *
cm_check_cues (const CmConfig *config, const CmEnvelope *envelope, GMimeStream *stream, GError **error)
{
  char *cues = NULL;
  g_autoptr (CmVerdict) verdict = judge (config, envelope, stream, &cues, error);
  if (verdict == NULL)
    return NULL;
  return cues ? cues : g_strdup ("{\"gated\":[],\"message\":[],\"sentences\":[]}");
}
