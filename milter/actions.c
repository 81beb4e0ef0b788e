/*
 * actions.c: verdicts and failures to libmilter calls (actions.h).
 *
 *   tag     X-Council-Protocol: one header per finding, and the subject tag
 *   warn    tag, and a protocol notice to the sender; delivered
 *   disclose  warn, and "CC Councillor X" added to the foot of every text
 *           part (smfi_replacebody), so every recipient sees the blind copy
 *   hold    kept in the hold store (written and fsync'd before the MTA is
 *           told to discard it; a failed write is a tempfail), the
 *           Monitoring Officer notified with the message attached, and a
 *           notice to the sender saying how to withdraw or explain; a
 *           message too large to keep whole goes to the MTA's quarantine
 *           instead, and the sender's notice says so (no hold id, no review)
 *   reject  550 5.7.1 naming the paragraph and what to do instead
 * Notices about warn, disclose and reject go once per sender, rule and
 * thread within [notify] repeat-hours; a hold's notice always goes.
 * A reply to a hold notice (replies.h), or the Monitoring Officer's
 * decision by reply (decide-reply.h), is taken and goes nowhere else.
 * A message released by council-review carries a release mark: honoured
 * once if its token verifies and the message is the one held (its body,
 * sender and recipients); otherwise removed and the message checked.  A
 * mark that cannot be checked now (a locked index) is a tempfail.
 * A scan cut short by [policy] max-scan-size is said in X-Council-Protocol-Scan:
 * "partial, N of M bytes", M the message's size (msgctx.h); one read short
 * of a cap of bounded work, "partial, mime-depth 33 > 32" (the reasons
 * joined by "; "), and the verdict's action is at least [policy] partial's.
 */
#include "config.h"

#include <string.h>

#include "actions.h"
#include "decide-reply.h"
#include "decision.h"
#include "holdmark.h"
#include "log.h"
#include "notify.h"
#include "reload.h"
#include "replies.h"
#include "settings.h"

/* SMTP reply lines must be short and plain. */
#define REPLY_LINE_MAX 400
/* libmilter takes a replaced body in pieces of at most 64 KB. */
#define BODY_CHUNK 65535

static void
remove_forged (SMFICTX *ctx, CmMsgCtx *msg)
{
  /* Highest index first, so the lower ones keep their numbers. */
  for (guint i = msg->forged_verdict; i > 0; i--)
    smfi_chgheader (ctx, CM_HEADER_VERDICT, (int) i, NULL);
  for (guint i = msg->forged_scan; i > 0; i--)
    smfi_chgheader (ctx, CM_HEADER_SCAN, (int) i, NULL);
  for (guint i = msg->release_marks; i > 0; i--)
    smfi_chgheader (ctx, CM_HEADER_RELEASE, (int) i, NULL);
  if (msg->forged_verdict + msg->forged_scan > 0)
    cm_log (LOG_NOTICE, "%s: removed %u forged %s header(s)", msg->queue_id,
            msg->forged_verdict + msg->forged_scan, CM_HEADER_VERDICT);
  /* Once only: the release check and the verdict both come here. */
  msg->forged_verdict = msg->forged_scan = msg->release_marks = 0;
}

static void
add_headers (SMFICTX *ctx, CmMsgCtx *msg, const CmVerdict *verdict)
{
  for (guint i = 0; i < verdict->findings->len; i++)
    {
      const CmFinding *f = verdict->findings->pdata[i];
      /* The rule's configured action; outside enforce mode, the mode too. */
      g_autofree char *value = g_strdup_printf ("%s; %s; %s%s%s", f->rule, f->clause,
                                                cm_rule_action_name (f->action),
                                                verdict->mode == CM_MODE_ENFORCE ? "" : "; mode=",
                                                verdict->mode == CM_MODE_ENFORCE ? "" : cm_mode_name (verdict->mode));
      smfi_addheader (ctx, CM_HEADER_VERDICT, value);
    }
  if (verdict->truncated || verdict->partial->len > 0)
    {
      g_autofree char *value = cm_msgctx_scan_value (msg, verdict);
      smfi_addheader (ctx, CM_HEADER_SCAN, value);
    }
  const char *tag = cm_daemon_settings (msg->config)->subject_tag;
  if (tag && *tag && verdict->findings->len > 0)
    {
      g_autofree char *subject = msg->subject ? g_strdup_printf ("%s %s", tag, msg->subject) : g_strdup (tag);
      if (msg->subject)
        smfi_chgheader (ctx, "Subject", 1, subject);
      else
        smfi_addheader (ctx, "Subject", subject);
    }
}

/* TEXT made fit for an SMTP reply line: printable ASCII, bounded, no '%'. */
static char *
reply_line (const char *text)
{
  GString *out = g_string_new (NULL);
  for (const char *p = text; *p && out->len < REPLY_LINE_MAX; p++)
    {
      guchar c = (guchar) *p;
      g_string_append_c (out, c >= 0x20 && c < 0x7f && c != '%' ? (char) c : ' ');
    }
  return g_string_free (out, FALSE);
}

static sfsistat
reject (SMFICTX *ctx, const CmVerdict *verdict)
{
  const CmFinding *f = NULL;
  for (guint i = 0; i < verdict->findings->len && f == NULL; i++)
    if (((const CmFinding *) verdict->findings->pdata[i])->action == CM_ACTION_REJECT)
      f = verdict->findings->pdata[i];
  if (f == NULL)
    f = verdict->findings->pdata[0];
  g_autofree char *first = g_strdup_printf ("Refused under the Member/Officer Protocol, %s: %s",
                                            f->clause, f->summary);
  g_autofree char *second = g_strdup_printf ("What to do instead: %s", f->advice);
  g_autofree char *line1 = reply_line (first);
  g_autofree char *line2 = reply_line (second);
  if (smfi_setmlreply (ctx, "550", "5.7.1", line1, line2, NULL) != MI_SUCCESS)
    smfi_setreply (ctx, "550", "5.7.1", line1);
  return SMFIS_REJECT;
}

/* The ids of the rules of VERDICT's findings, NULL-terminated. */
static GPtrArray *
rule_ids (const CmVerdict *verdict)
{
  GPtrArray *ids = g_ptr_array_new ();
  for (guint i = 0; i < verdict->findings->len; i++)
    g_ptr_array_add (ids, (gpointer) ((const CmFinding *) verdict->findings->pdata[i])->rule);
  g_ptr_array_add (ids, NULL);
  return ids;
}

/* The sender's notice.  HOLD_ID and REPLY_TO only for a hold.  TRUE
 * when it was sent or kept to send. */
static gboolean
send_notice (const CmMsgCtx *msg, const CmVerdict *verdict, CmServices *services, const char *hold_id,
             const char *reply_to)
{
  if (!cm_notify_wanted (msg))
    {
      cm_log (LOG_INFO, "%s: no notice to %s (outside the council, null or automatic)",
              msg->queue_id, *msg->envelope->sender ? msg->envelope->sender : "<>");
      return FALSE;
    }
  if (hold_id == NULL && services)
    {
      g_autoptr (GPtrArray) ids = rule_ids (verdict);
      gint64 window = cm_daemon_settings (msg->config)->repeat_hours * 3600;
      g_autoptr (GPtrArray) fresh = cm_noticelog_claim (services->notices, msg->envelope->sender, msg->thread,
                                                        (const char *const *) ids->pdata,
                                                        g_get_real_time () / G_USEC_PER_SEC, window);
      if (fresh->len == 0)
        {
          cm_log (LOG_INFO, "%s: no notice to %s: already told about these rules in thread %s",
                  msg->queue_id, msg->envelope->sender, msg->thread);
          return FALSE;
        }
    }
  g_autoptr (GError) error = NULL;
  if (cm_notify_send (msg, verdict, services ? services->outbox : NULL, hold_id, reply_to, &error))
    {
      cm_log (LOG_INFO, "%s: notice to %s sent or queued", msg->queue_id, msg->envelope->sender);
      return TRUE;
    }
  cm_log (LOG_ERR, "%s: notice to %s not sent: %s", msg->queue_id, msg->envelope->sender, error->message);
  return FALSE;
}

/* A NULL-terminated copy of the envelope recipients. */
static char **
recipients_of (const CmMsgCtx *msg)
{
  char **copy = g_new0 (char *, msg->envelope->recipients->len + 1);
  for (guint i = 0; i < msg->envelope->recipients->len; i++)
    copy[i] = g_strdup (msg->envelope->recipients->pdata[i]);
  return copy;
}

/* The paragraphs of VERDICT's findings, "A; B". */
static char *
clauses_of (const CmVerdict *verdict)
{
  GString *out = g_string_new (NULL);
  for (guint i = 0; i < verdict->findings->len; i++)
    g_string_append_printf (out, "%s%s", i ? "; " : "",
                            ((const CmFinding *) verdict->findings->pdata[i])->clause);
  return g_string_free (out, FALSE);
}

/* The MTA's quarantine, for a message too large to have been kept whole. */
static sfsistat
quarantine (SMFICTX *ctx, CmMsgCtx *msg, const CmVerdict *verdict, const char *rules)
{
  g_autofree char *reason = g_strdup_printf ("Member/Officer Protocol: %s", rules);
  if (smfi_quarantine (ctx, reason) != MI_SUCCESS)
    return cm_actions_fail (ctx, msg, "the MTA refused to quarantine a held message");
  g_autofree char *size = cm_msgctx_size_text (msg);
  cm_log (LOG_WARNING, "%s: held in the MTA's quarantine, not the hold store: it is %s, past [policy] "
          "max-scan-size (%zu bytes) (%s)", msg->queue_id, size, msg->scan_limit, reason);
  /* No hold id and no reply address: nothing here is reviewed. */
  send_notice (msg, verdict, NULL, NULL, NULL);
  return SMFIS_CONTINUE;
}

/* Keep the message in the hold store, tell the Monitoring Officer and
 * the sender, and have the MTA discard its copy.  A message that cannot
 * be kept is deferred, whatever on-error says: it must neither be lost
 * nor slip through. */
static sfsistat
hold (SMFICTX *ctx, CmMsgCtx *msg, const CmVerdict *verdict, CmServices *services, const char *rules)
{
  if (cm_notify_quarantined (verdict))
    return quarantine (ctx, msg, verdict, rules);
  g_autoptr (GError) error = NULL;
  g_autoptr (GMimeStream) stream = services ? cm_msgctx_stream (msg, &error) : NULL;
  g_autoptr (CmHold) stored = NULL;
  if (stream)
    {
      g_autoptr (GPtrArray) ids = rule_ids (verdict);
      g_auto (GStrv) recipients = recipients_of (msg);
      g_autofree char *clauses = clauses_of (verdict);
      g_autofree char *json = cm_verdict_to_json (verdict);
      g_autofree char *subject = msg->subject ? g_mime_utils_header_decode_text (NULL, msg->subject) : NULL;
      CmHold record = {
        .queue_id = msg->queue_id, .sender = msg->envelope->sender, .recipients = recipients,
        .sender_role = (char *) cm_role_name (verdict->sender_role), .subject = subject,
        .rules = (char **) ids->pdata, .clauses = clauses, .verdict_json = json,
      };
      stored = cm_holdstore_put (services->store, &record, stream, &error);
    }
  if (stored == NULL)
    {
      cm_log (LOG_ERR, "%s: cannot keep a held message, the MTA is told to try again later: %s",
              msg->queue_id, error ? error->message : "the hold spool is not open");
      smfi_setreply (ctx, "451", "4.3.0", "The council's mail filter cannot keep this message for review "
                                          "just now; try again later");
      return SMFIS_TEMPFAIL;
    }
  cm_log (LOG_NOTICE, "%s: held as %s (%s)", msg->queue_id, stored->id, rules);

  const char *mo = cm_config_monitoring_officer (msg->config);
  if (mo)
    {
      g_mime_stream_reset (stream);
      g_autofree char *who = g_strdup_printf ("the Monitoring Officer, %s", mo);
      g_autofree char *release_to = NULL, *reject_to = NULL;
      cm_decision_addresses (msg->config, services->store, stored->id, mo, &release_to, &reject_to);
      if (cm_notify_send_hold (msg, verdict, services->outbox, stored->id, mo, release_to, reject_to, stream,
                               &error))
        cm_holdstore_add_event (services->store, stored->id, "council-milter", "notified", who, NULL);
      else
        cm_log (LOG_ERR, "%s: the Monitoring Officer was not told of %s: %s", msg->queue_id, stored->id,
                error->message);
      g_clear_error (&error);
    }
  else
    cm_log (LOG_WARNING, "%s: no Monitoring Officer is configured to tell of %s", msg->queue_id, stored->id);
  g_autofree char *token = cm_holdstore_token (services->store, "reply", stored->id);
  g_autofree char *reply_to = cm_notify_reply_address (msg->config, stored->id, token);
  if (send_notice (msg, verdict, services, stored->id, reply_to))
    {
      g_autofree char *who = g_strdup_printf ("the sender, %s, with the reply address", msg->envelope->sender);
      cm_holdstore_add_event (services->store, stored->id, "council-milter", "notified", who, NULL);
    }
  return SMFIS_DISCARD;
}

/* Replace the body with the disclosed one (verdict->disclosure at the
 * foot of every text part).  The engine has already judged that the body
 * may be changed; failing here is the filter's own failure. */
static gboolean
disclose (SMFICTX *ctx, CmMsgCtx *msg, const CmVerdict *verdict, GError **error)
{
  g_autoptr (GMimeStream) source = cm_msgctx_stream (msg, error);
  if (source == NULL)
    return FALSE;
  g_autoptr (GByteArray) body = g_byte_array_new ();
  g_autoptr (GMimeStream) out = g_mime_stream_mem_new_with_byte_array (body);
  g_mime_stream_mem_set_owner (GMIME_STREAM_MEM (out), FALSE);
  if (!cm_disclose_body (source, verdict->disclosure, out, error))
    return FALSE;
  guint at = 0;
  do
    {
      guint length = MIN (BODY_CHUNK, body->len - at);
      if (smfi_replacebody (ctx, body->data + at, (int) length) != MI_SUCCESS)
        {
          g_set_error (error, CM_ERROR, CM_ERROR_IO, "the MTA refused the changed body");
          return FALSE;
        }
      at += length;
    }
  while (at < body->len);
  cm_log (LOG_NOTICE, "%s: disclosed the blind copy: \"%s\" added to the foot of the text",
          msg->queue_id, verdict->disclosure);
  return TRUE;
}

static char *
describe_findings (const CmVerdict *verdict)
{
  GString *out = g_string_new (NULL);
  for (guint i = 0; i < verdict->findings->len; i++)
    {
      const CmFinding *f = verdict->findings->pdata[i];
      g_string_append_printf (out, "%s%s(%s)", i ? "," : "", f->rule, f->clause);
    }
  return g_string_free (out, FALSE);
}

/* " scan=partial(mime-depth 33 > 32; ...) partial=hold" for the log, or "". */
static char *
describe_partial (const CmVerdict *verdict)
{
  if (verdict->partial->len == 0)
    return g_strdup ("");
  GString *out = g_string_new (" scan=partial(");
  for (guint i = 0; i < verdict->partial->len; i++)
    g_string_append_printf (out, "%s%s", i ? "; " : "", (const char *) verdict->partial->pdata[i]);
  g_string_append_printf (out, ") partial=%s", cm_action_name (verdict->partial_action));
  return g_string_free (out, FALSE);
}

sfsistat
cm_actions_apply (SMFICTX *ctx, CmMsgCtx *msg, const CmVerdict *verdict)
{
  remove_forged (ctx, msg);
  g_autofree char *rules = describe_findings (verdict);
  g_autofree char *partial = describe_partial (verdict);
  double ms = (double) (g_get_monotonic_time () - msg->started) / 1000.0;
  cm_log (LOG_INFO, "%s: checked from=<%s> role=%s rcpts=%u action=%s mode=%s rules=%s%s%s time=%.1fms",
          msg->queue_id, msg->envelope->sender, cm_role_name (verdict->sender_role),
          msg->envelope->recipients->len, cm_action_name (verdict->action), cm_mode_name (verdict->mode),
          *rules ? rules : "none", verdict->truncated ? " scan=truncated" : "", partial, ms);
  /* A message held for a partial scan alone is named so in the hold's log
   * line and the MTA's quarantine reason. */
  if (*rules == '\0' && verdict->partial->len > 0)
    {
      g_free (rules);
      rules = g_strdup ("scan read in part");
    }

  g_autoptr (CmServices) services = cm_reload_services ();
  if (verdict->action == CM_ACTION_REJECT)
    {
      send_notice (msg, verdict, services, NULL, NULL);
      return reject (ctx, verdict);
    }
  add_headers (ctx, msg, verdict);
  if (verdict->action == CM_ACTION_HOLD)
    return hold (ctx, msg, verdict, services, rules);
  if (verdict->action == CM_ACTION_DISCLOSE)
    {
      g_autoptr (GError) error = NULL;
      if (!disclose (ctx, msg, verdict, &error))
        {
          g_autofree char *what = g_strdup_printf ("adding \"%s\": %s", verdict->disclosure, error->message);
          return cm_actions_fail (ctx, msg, what);
        }
    }
  if (verdict->undisclosed)
    cm_log (LOG_NOTICE, "%s: blind copy not disclosed: %s", msg->queue_id, verdict->undisclosed);
  if (verdict->action >= CM_ACTION_WARN)
    send_notice (msg, verdict, services, NULL, NULL);
  return SMFIS_CONTINUE;
}

/* How many recipients of MSG are decision addresses (mailbox.h)? */
static guint
count_decisions (const CmMsgCtx *msg)
{
  guint n = 0;
  for (guint i = 0; i < msg->envelope->recipients->len; i++)
    {
      g_autofree char *id = NULL, *token = NULL;
      CmDecision decision;
      n += cm_decision_parse_address (msg->config, msg->envelope->recipients->pdata[i], &decision, &id, &token);
    }
  return n;
}

/* Take the reply MSG to ADDRESS when it is a hold's reply address or a
 * decision address: FALSE when it is neither; else TRUE with *OUTCOME,
 * and the line logged.  The token is a secret of the hold: the log
 * names the hold only. */
static gboolean
take_reply (CmMsgCtx *msg, CmServices **services, const char *address, CmReplyOutcome *outcome, char **why)
{
  g_autofree char *id = NULL, *token = NULL;
  CmDecision decision;
  gboolean hold_reply = cm_replies_parse_address (msg->config, address, &id, &token);
  if (!hold_reply && !cm_decision_parse_address (msg->config, address, &decision, &id, &token))
    return FALSE;
  if (*services == NULL)
    *services = cm_reload_services ();
  *outcome = hold_reply ? cm_replies_take (msg, *services, address, why)
                        : cm_decide_take (msg, *services, decision, id, token, why);
  g_autofree char *what = hold_reply ? g_strdup ("reply")
                                     : g_strdup_printf ("%s by reply", cm_decision_name (decision));
  cm_log (*outcome == CM_REPLY_RECORDED ? LOG_NOTICE : LOG_WARNING, "%s: %s from <%s> to hold %s: %s",
          msg->queue_id, what, msg->envelope->sender, id, *why);
  return TRUE;
}

gboolean
cm_actions_replies (SMFICTX *ctx, CmMsgCtx *msg, sfsistat *answer)
{
  if (count_decisions (msg) > 1)
    {
      cm_log (LOG_WARNING, "%s: refused a reply from <%s> to more than one decision address", msg->queue_id,
              msg->envelope->sender);
      smfi_setreply (ctx, "550", "5.7.1", "One decision per reply: send the release or the rejection of each "
                                          "held message on its own");
      *answer = SMFIS_REJECT;
      return TRUE;
    }
  g_autoptr (CmServices) services = NULL;
  guint taken = 0;
  GPtrArray *recipients = msg->envelope->recipients;
  for (guint i = 0; i < recipients->len;)
    {
      const char *address = recipients->pdata[i];
      g_autofree char *why = NULL;
      CmReplyOutcome outcome;
      if (!take_reply (msg, &services, address, &outcome, &why))
        {
          i++;
          continue;
        }
      if (outcome == CM_REPLY_FAILED)
        {
          smfi_setreply (ctx, "451", "4.3.0", "The reply could not be recorded just now; try again later");
          *answer = SMFIS_TEMPFAIL;
          return TRUE;
        }
      if (outcome == CM_REPLY_REFUSED)
        {
          g_autofree char *line = reply_line (why);
          smfi_setreply (ctx, "550", "5.7.1", line);
          *answer = SMFIS_REJECT;
          return TRUE;
        }
      /* Recorded: the reply goes nowhere else. */
      g_autofree char *bracketed = g_strdup_printf ("<%s>", address);
      smfi_delrcpt (ctx, bracketed);
      g_ptr_array_remove_index (recipients, i);
      taken++;
    }
  if (taken == 0)
    return FALSE;
  if (recipients->len > 0)
    return FALSE; /* the other recipients: checked as usual */
  *answer = SMFIS_DISCARD;
  return TRUE;
}

/* The message as a release mark's claim sees it (holdstore.h): its
 * envelope and the digest of its body.  The body digest stays NULL when
 * the body was not kept whole (past [policy] max-scan-size), so that it
 * matches no hold. */
static CmHold *
seen_message (CmMsgCtx *msg, GError **error)
{
  g_autoptr (CmHold) seen = g_new0 (CmHold, 1);
  seen->sender = g_strdup (msg->envelope->sender);
  seen->recipients = recipients_of (msg);
  if (msg->body_received > msg->body_size)
    return g_steal_pointer (&seen);
  g_autoptr (GMimeStream) stream = cm_msgctx_stream (msg, error);
  if (stream == NULL)
    return NULL;
  g_autoptr (CmBodyDigest) digest = cm_body_digest_new (TRUE);
  guint8 buffer[16384];
  gssize n;
  while ((n = g_mime_stream_read (stream, (char *) buffer, sizeof buffer)) > 0)
    cm_body_digest_update (digest, buffer, (gsize) n);
  if (n < 0)
    {
      g_set_error (error, CM_HOLD_ERROR, CM_HOLD_ERROR_IO, "reading the body spool");
      return NULL;
    }
  seen->body_digest = cm_body_digest_finish (g_steal_pointer (&digest));
  return g_steal_pointer (&seen);
}

/* Claim hold ID's release with TOKEN for MSG: TRUE when honoured; FALSE
 * with the reason, CM_HOLD_ERROR_IO when it could not be decided now. */
static gboolean
claim (CmMsgCtx *msg, const char *id, const char *token, GError **error)
{
  g_autoptr (CmServices) services = cm_reload_services ();
  if (services == NULL)
    {
      g_set_error (error, CM_HOLD_ERROR, CM_HOLD_ERROR_IO, "the hold spool is not open");
      return FALSE;
    }
  g_autoptr (CmHold) seen = seen_message (msg, error);
  return seen && cm_holdstore_claim_release (services->store, id, token, seen, error);
}

gboolean
cm_actions_release (SMFICTX *ctx, CmMsgCtx *msg, sfsistat *answer)
{
  if (msg->release_mark == NULL)
    return FALSE;
  g_auto (GStrv) parts = g_strsplit (g_strstrip (msg->release_mark), " ", 2);
  g_autoptr (GError) error = NULL;
  gboolean honoured = parts[0] && parts[1] && claim (msg, parts[0], g_strstrip (parts[1]), &error);
  remove_forged (ctx, msg);
  if (!honoured && g_error_matches (error, CM_HOLD_ERROR, CM_HOLD_ERROR_IO))
    {
      /* Perhaps genuine: neither let through nor held again, but retried. */
      cm_log (LOG_ERR, "%s: a release mark for %s from <%s> cannot be checked now, the MTA is told "
              "to try again later: %s", msg->queue_id, parts[0], msg->envelope->sender, error->message);
      smfi_setreply (ctx, "451", "4.3.0", "The council's mail filter cannot check this released message "
                                          "just now; try again later");
      *answer = SMFIS_TEMPFAIL;
      return TRUE;
    }
  if (!honoured)
    {
      cm_log (LOG_WARNING, "%s: ignored a release mark from <%s>, checking the message as usual: %s",
              msg->queue_id, msg->envelope->sender, error ? error->message : "malformed");
      return FALSE;
    }
  smfi_addheader (ctx, CM_HEADER_VERDICT, "released by the Monitoring Officer");
  cm_log (LOG_NOTICE, "%s: released hold %s let through to %u recipient(s)", msg->queue_id, parts[0],
          msg->envelope->recipients->len);
  *answer = SMFIS_CONTINUE;
  return TRUE;
}

sfsistat
cm_actions_fail (SMFICTX *ctx, CmMsgCtx *msg, const char *what)
{
  CmOnError policy = msg ? (CmOnError) cm_daemon_settings (msg->config)->on_error : CM_ON_ERROR_TEMPFAIL;
  cm_log (LOG_ERR, "%s: filter failure: %s; on-error=%s", msg ? msg->queue_id : "NOQUEUE", what,
          cm_on_error_name (policy));
  if (policy == CM_ON_ERROR_ACCEPT)
    {
      /* Passed unjudged, it must not carry a verdict the sender wrote. */
      if (msg)
        remove_forged (ctx, msg);
      return SMFIS_ACCEPT;
    }
  if (policy == CM_ON_ERROR_REJECT)
    {
      smfi_setreply (ctx, "550", "5.7.1", "The council's mail filter could not check this message");
      return SMFIS_REJECT;
    }
  smfi_setreply (ctx, "451", "4.7.1", "The council's mail filter could not check this message; try again later");
  return SMFIS_TEMPFAIL;
}
