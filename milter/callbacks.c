/*
 * callbacks.c: the libmilter callbacks.  They only move what the MTA says
 * into the connection and message contexts; at the end of the message
 * they hand it to the policy engine and its verdict to actions.c.
 *
 * Scope is decided at MAIL FROM: mail that is not outgoing council mail
 * (no SMTP authentication, envelope sender outside the council's domains
 * and directory) is accepted there, with nothing parsed or kept.
 *
 * Speed: the MTA is asked not to wait for replies where the filter never
 * has anything to say (connect, recipients, headers, end of headers), not
 * to send HELO or DATA at all, and to skip the rest of a body past
 * [policy] max-scan-size.  A spool failure is answered at end of message.
 *
 * No crash loop: a message is noted in the crash journal (journal.h)
 * while it is judged; one in flight at a death of the daemon is judged
 * again alone, and one in flight at two is not judged again but
 * answered as [milter] on-error says.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "actions.h"
#include "callbacks.h"
#include "connctx.h"
#include "log.h"
#include "reload.h"
#include "settings.h"

/* The steps the filter would like to skip or not answer. */
#define WANTED_PROTOCOL (SMFIP_NOHELO | SMFIP_NOUNKNOWN | SMFIP_NODATA | SMFIP_SKIP | SMFIP_NR_CONN \
                         | SMFIP_NR_HELO | SMFIP_NR_RCPT | SMFIP_NR_HDR | SMFIP_NR_EOH | SMFIP_NR_UNKN \
                         | SMFIP_NR_DATA)

static CmConnCtx *
conn_of (SMFICTX *ctx)
{
  return smfi_getpriv (ctx);
}

/* CONTINUE, or no reply at all where the MTA agreed not to wait for one. */
static sfsistat
carry_on (const CmConnCtx *conn, unsigned long no_reply_step)
{
  return conn && (conn->protocol & no_reply_step) ? SMFIS_NOREPLY : SMFIS_CONTINUE;
}

static sfsistat
on_negotiate (SMFICTX *ctx, unsigned long actions, unsigned long steps,
              unsigned long unused0 G_GNUC_UNUSED, unsigned long unused1 G_GNUC_UNUSED,
              unsigned long *want_actions, unsigned long *want_steps,
              unsigned long *want_unused0, unsigned long *want_unused1)
{
  CmConnCtx *conn = cm_connctx_new ();
  if (smfi_setpriv (ctx, conn) != MI_SUCCESS)
    {
      cm_connctx_free (conn);
      return SMFIS_ALL_OPTS;
    }
  *want_actions = actions & (SMFIF_ADDHDRS | SMFIF_CHGHDRS | SMFIF_CHGBODY | SMFIF_DELRCPT | SMFIF_QUARANTINE);
  conn->protocol = steps & WANTED_PROTOCOL;
  *want_steps = conn->protocol;
  *want_unused0 = 0;
  *want_unused1 = 0;
  return SMFIS_CONTINUE;
}

/* An address from the MTA without its angle brackets. */
static char *
bare_address (const char *address)
{
  g_autofree char *copy = g_strstrip (g_strdup (address ? address : ""));
  gsize len = strlen (copy);
  if (len >= 2 && copy[0] == '<' && copy[len - 1] == '>')
    return g_strndup (copy + 1, len - 2);
  return g_steal_pointer (&copy);
}

static sfsistat
on_connect (SMFICTX *ctx, char *hostname, _SOCK_ADDR *address G_GNUC_UNUSED)
{
  CmConnCtx *conn = conn_of (ctx);
  if (conn == NULL)
    {
      /* An MTA that did not negotiate: the context starts here. */
      conn = cm_connctx_new ();
      if (smfi_setpriv (ctx, conn) != MI_SUCCESS)
        {
          cm_connctx_free (conn);
          return cm_actions_fail (ctx, NULL, "cannot keep per-connection state");
        }
    }
  cm_connctx_set_client (conn, hostname, smfi_getsymval (ctx, "{client_addr}"));
  return carry_on (conn, SMFIP_NR_CONN);
}

static sfsistat
on_envfrom (SMFICTX *ctx, char **argv)
{
  CmConnCtx *conn = conn_of (ctx);
  if (conn == NULL)
    return cm_actions_fail (ctx, NULL, "MAIL FROM without a connection context");
  cm_connctx_end_message (conn);

  CmConfig *config = cm_reload_current ();
  g_autofree char *sender = bare_address (argv[0]);
  CmEnvelope *envelope = cm_envelope_new (sender);
  const char *auth = smfi_getsymval (ctx, "{auth_authen}");
  envelope->authenticated = auth != NULL && *auth != '\0';
  if (!cm_config_in_scope (config, envelope))
    {
      cm_envelope_free (envelope);
      cm_config_unref (config);
      return SMFIS_ACCEPT;
    }
  conn->msg = cm_msgctx_new (config, envelope);
  /* The size the client declared (RFC 1870): the message's size when the
   * MTA is asked to skip the end of a long body. */
  for (int i = 1; argv[0] && argv[i]; i++)
    if (g_ascii_strncasecmp (argv[i], "SIZE=", 5) == 0)
      conn->msg->declared_size = g_ascii_strtoull (argv[i] + 5, NULL, 10);
  return SMFIS_CONTINUE;
}

static sfsistat
on_envrcpt (SMFICTX *ctx, char **argv)
{
  CmConnCtx *conn = conn_of (ctx);
  if (conn && conn->msg)
    {
      g_autofree char *recipient = bare_address (argv[0]);
      cm_envelope_add_recipient (conn->msg->envelope, recipient);
    }
  return carry_on (conn, SMFIP_NR_RCPT);
}

static sfsistat
on_header (SMFICTX *ctx, char *name, char *value)
{
  CmConnCtx *conn = conn_of (ctx);
  if (conn && conn->msg)
    cm_msgctx_add_header (conn->msg, name, value);
  return carry_on (conn, SMFIP_NR_HDR);
}

static sfsistat
on_eoh (SMFICTX *ctx)
{
  CmConnCtx *conn = conn_of (ctx);
  if (conn && conn->msg)
    cm_msgctx_end_headers (conn->msg);
  return carry_on (conn, SMFIP_NR_EOH);
}

static sfsistat
on_body (SMFICTX *ctx, unsigned char *chunk, size_t length)
{
  CmConnCtx *conn = conn_of (ctx);
  if (conn == NULL || conn->msg == NULL)
    return SMFIS_CONTINUE;
  CmMsgCtx *msg = conn->msg;
  if (msg->failure)
    return SMFIS_CONTINUE;
  g_autoptr (GError) error = NULL;
  gboolean enough = FALSE;
  if (!cm_msgctx_add_body (msg, chunk, length, &enough, &error))
    {
      /* Answered at the end of the message, where a reply is certain. */
      msg->failure = g_strdup (error->message);
      return (conn->protocol & SMFIP_SKIP) ? SMFIS_SKIP : SMFIS_CONTINUE;
    }
  if (!enough || !(conn->protocol & SMFIP_SKIP))
    return SMFIS_CONTINUE;
  msg->skipped = TRUE; /* the body counted so far is not all of it */
  return SMFIS_SKIP;
}

/* A message in flight at two deaths of the daemon (journal.h): on-error,
 * and a loud line naming it; else CONTINUE, and it is judged. */
static sfsistat
refuse_poison (SMFICTX *ctx, CmMsgCtx *msg, CmJournal *journal, const char *fingerprint)
{
  gint64 hold = cm_daemon_settings (msg->config)->crash_hold_hours * 3600;
  const CmCrashRecord *poison = cm_journal_poison (journal, fingerprint, g_get_real_time () / G_USEC_PER_SEC,
                                                   hold);
  if (poison == NULL)
    return SMFIS_CONTINUE;
  g_autoptr (GDateTime) until = g_date_time_new_from_unix_utc (poison->since + hold);
  g_autofree char *when = until ? g_date_time_format_iso8601 (until) : g_strdup ("?");
  const char *first = poison->first_queue_id ? poison->first_queue_id : "unknown";
  g_autofree char *what = g_strdup_printf ("poison message, not judged: it was in flight at %d deaths of the "
                                           "daemon, as queue id %s first and %s last (fingerprint %s, "
                                           "poison until %s)", poison->deaths, first, poison->queue_id,
                                           fingerprint, when);
  return cm_actions_fail (ctx, msg, what);
}

#ifdef CM_TEST_CRASH
/* The value of the header NAME of MSG, or NULL. */
static const char *
test_header (const CmMsgCtx *msg, const char *name)
{
  g_autofree char *line = g_strconcat ("\r\n", name, ": ", NULL);
  if (g_str_has_prefix (msg->headers->str, line + 2))
    return msg->headers->str + strlen (line + 2);
  const char *at = strstr (msg->headers->str, line);
  return at ? at + strlen (line) : NULL;
}

/* Test builds only (tests/council-milter-crashtest): while a message is
 * judged, the header X-Council-Test-Stall: N holds it N seconds, and
 * X-Council-Test-Crash kills the daemon. */
static void
test_crash (const CmMsgCtx *msg)
{
  const char *stall = test_header (msg, "X-Council-Test-Stall");
  if (stall)
    g_usleep ((gulong) g_ascii_strtoull (stall, NULL, 10) * G_USEC_PER_SEC);
  if (test_header (msg, "X-Council-Test-Crash"))
    abort ();
}
#endif

/* Judge the message: a release mark, replies to hold notices, or the
 * engine's verdict; the answer for end of message. */
static sfsistat
judge (SMFICTX *ctx, CmMsgCtx *msg)
{
  sfsistat settled = SMFIS_CONTINUE;
  if (cm_actions_release (ctx, msg, &settled) || cm_actions_replies (ctx, msg, &settled))
    return settled;
#ifdef CM_TEST_CRASH
  test_crash (msg);
#endif
  g_autoptr (GError) error = NULL;
  g_autoptr (GMimeStream) stream = cm_msgctx_stream (msg, &error);
  g_autoptr (CmVerdict) verdict = stream ? cm_check (msg->config, msg->envelope, stream, &error) : NULL;
  return verdict ? cm_actions_apply (ctx, msg, verdict) : cm_actions_fail (ctx, msg, error->message);
}

static sfsistat
on_eom (SMFICTX *ctx)
{
  CmConnCtx *conn = conn_of (ctx);
  if (conn == NULL || conn->msg == NULL)
    return SMFIS_CONTINUE;
  CmMsgCtx *msg = conn->msg;
  const char *queue_id = smfi_getsymval (ctx, "i");
  if (queue_id && *queue_id)
    {
      g_free (msg->queue_id);
      msg->queue_id = g_strdup (queue_id);
    }

  if (msg->failure)
    {
      sfsistat answer = cm_actions_fail (ctx, msg, msg->failure);
      cm_connctx_end_message (conn);
      return answer;
    }
  g_autoptr (CmServices) services = cm_reload_services ();
  g_autofree char *fingerprint = cm_msgctx_fingerprint (msg);
  sfsistat answer = services ? refuse_poison (ctx, msg, services->journal, fingerprint) : SMFIS_CONTINUE;
  if (answer != SMFIS_CONTINUE)
    {
      cm_connctx_end_message (conn);
      return answer;
    }
  g_autoptr (GError) error = NULL;
  CmJournalEntry *entry = services ? cm_journal_begin (services->journal, fingerprint, msg->queue_id,
                                                       msg->envelope->sender, msg->message_id, &error)
                                   : NULL;
  if (error)
    cm_log (LOG_ERR, "%s: judged without the crash journal's protection: %s", msg->queue_id, error->message);
  g_clear_error (&error);
  answer = judge (ctx, msg);
  if (services)
    cm_journal_end (services->journal, entry);
  cm_connctx_end_message (conn);
  return answer;
}

static sfsistat
on_abort (SMFICTX *ctx)
{
  CmConnCtx *conn = conn_of (ctx);
  if (conn)
    cm_connctx_end_message (conn);
  return SMFIS_CONTINUE;
}

static sfsistat
on_close (SMFICTX *ctx)
{
  cm_connctx_free (conn_of (ctx));
  smfi_setpriv (ctx, NULL);
  return SMFIS_CONTINUE;
}

struct smfiDesc cm_milter_description = {
  .xxfi_name = "council-milter",
  .xxfi_version = SMFI_VERSION,
  .xxfi_flags = SMFIF_ADDHDRS | SMFIF_CHGHDRS | SMFIF_CHGBODY | SMFIF_DELRCPT | SMFIF_QUARANTINE,
  .xxfi_connect = on_connect,
  .xxfi_envfrom = on_envfrom,
  .xxfi_envrcpt = on_envrcpt,
  .xxfi_header = on_header,
  .xxfi_eoh = on_eoh,
  .xxfi_body = on_body,
  .xxfi_eom = on_eom,
  .xxfi_abort = on_abort,
  .xxfi_close = on_close,
  .xxfi_negotiate = on_negotiate,
};
