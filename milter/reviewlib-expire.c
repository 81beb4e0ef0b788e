/*
 * reviewlib-expire.c: the review library's daily jobs (reviewlib.h):
 *   cm_review_expire()       holds past [hold] expire-days: to the deputy
 *                            once (expire=escalate), else returned to the
 *                            sender as expired; an escalated hold gets as
 *                            many days again before it is returned
 *   cm_review_send_digest()  the Monitoring Officer's list of what is
 *                            still held
 * Expiry is no one's decision: it is recorded as the scheduled job
 * "council-review expire" (the name the audit trail has always had); the
 * notices it sends are recorded with the session's actor, who ran it.
 */
#include "config.h"

#include <string.h>

#include "log.h"
#include "mailbox.h"
#include "review-notice.h"
#include "reviewlib.h"
#include "reviewlib-private.h"
#include "settings.h"

static const CmHoldActor expirer = { "council-review expire", CM_HOLD_ACTOR_SYSTEM };

static void
expiry_free (CmReviewExpiry *item)
{
  g_free (item->id);
  g_free (item->note);
  g_free (item->notice);
  g_clear_error (&item->error);
  g_free (item);
}

void
cm_review_expiry_run_free (CmReviewExpiryRun *run)
{
  if (run == NULL)
    return;
  g_free (run->warning);
  g_clear_pointer (&run->items, g_ptr_array_unref);
  g_free (run);
}

void
cm_review_digest_free (CmReviewDigest *digest)
{
  if (digest == NULL)
    return;
  g_free (digest->to);
  g_free (digest->why);
  g_free (digest);
}

/* When HOLD was escalated (its last "escalated" event), else its held_at. */
static gint64
escalated_at (CmReviewSession *session, const CmHold *hold)
{
  g_autoptr (GPtrArray) events = cm_holdstore_events (session->store, hold->id, 0, NULL);
  gint64 at = hold->held_at;
  for (guint i = 0; events && i < events->len; i++)
    if (strcmp (((CmHoldEvent *) events->pdata[i])->what, "escalated") == 0)
      at = ((CmHoldEvent *) events->pdata[i])->at;
  return at;
}

/* The held message of HOLD, parsed, to attach for the deputy; NULL when it is gone or unreadable. */
static GMimeMessage *
held_message (CmReviewSession *session, const CmHold *hold)
{
  g_autoptr (GMimeStream) stream = cm_holdstore_open_message (session->store, hold->id, NULL);
  if (stream == NULL)
    return NULL;
  g_autoptr (GMimeParser) parser = g_mime_parser_new_with_stream (stream);
  return g_mime_parser_construct_message (parser, NULL);
}

/* Pass HOLD to DEPUTY: the notification, then the mark, into ITEM. */
static void
escalate (CmReviewSession *session, const CmHold *hold, const char *deputy, gint64 days, CmReviewExpiry *item)
{
  g_autoptr (GMimeMessage) held = held_message (session, hold);
  g_autoptr (GMimeMessage) mail = cm_review_escalation (session->config, session->store, hold, deputy, held,
                                                        session->invocation, days, session->now);
  g_autofree char *why = NULL;
  g_autoptr (GError) error = NULL;
  CmOutbox *outbox = cm_review_outbox (session, &error);
  CmReviewDelivery delivery = outbox ? cm_review_deliver (outbox, session->config, deputy, mail, &why, &error)
                                     : CM_REVIEW_NOT_SENT;
  if (delivery == CM_REVIEW_NOT_SENT)
    {
      g_set_error (&item->error, CM_REVIEW_ERROR, CM_REVIEW_ERROR_MAIL, "%s: not escalated: the notification "
                   "to the deputy %s could not be sent or kept: %s", hold->id, deputy, error->message);
      return;
    }
  item->note = delivery == CM_REVIEW_SENT
                   ? g_strdup_printf ("sent to the deputy %s", deputy)
                   : g_strdup_printf ("to the deputy %s, kept in the outbox (%s)", deputy, why);
  GError *local = NULL;
  if (!cm_holdstore_escalate_by (session->store, hold->id, &expirer, item->note, &local))
    {
      g_autofree char *prefix = g_strdup_printf ("%s: the deputy was notified, but recording it failed: ",
                                                 hold->id);
      cm_review_propagate (&item->error, local, prefix);
    }
}

/* Return HOLD to its sender as expired after DAYS (and as many again
 * with the deputy when it was escalated), into ITEM; a hold decided
 * meanwhile by someone else is skipped. */
static void
expire_one (CmReviewSession *session, const CmHold *hold, gint64 days, CmReviewExpiry *item)
{
  const char *plural = days == 1 ? "" : "s";
  g_autofree char *note = hold->escalated
      ? g_strdup_printf ("not reviewed within %" G_GINT64_FORMAT " day%s, nor by the deputy in %"
                         G_GINT64_FORMAT " more", days, plural, days)
      : g_strdup_printf ("not reviewed within %" G_GINT64_FORMAT " day%s", days, plural);
  GError *local = NULL;
  if (!cm_holdstore_decide_by (session->store, hold->id, CM_HOLD_EXPIRED, &expirer, note, &local))
    {
      if (g_error_matches (local, CM_HOLD_ERROR, CM_HOLD_ERROR_DECIDED))
        {
          item->action = CM_REVIEW_SKIPPED;
          item->note = g_strdup (local->message);
          g_error_free (local);
          return;
        }
      g_autofree char *prefix = g_strdup_printf ("%s: not expired: ", hold->id);
      cm_review_propagate (&item->error, local, prefix);
      return;
    }
  cm_log (LOG_NOTICE, "review: %s expired (%s)", hold->id, note);
  CmReviewOutcome outcome = { .warnings = g_ptr_array_new_with_free_func (g_free) };
  cm_review_notify_sender (session, hold, note, hold->escalated ? 2 * days : days, &outcome);
  item->note = g_steal_pointer (&note);
  item->notice = g_steal_pointer (&outcome.notice);
  item->error = g_steal_pointer (&outcome.notice_error);
  g_ptr_array_unref (outcome.warnings);
}

/* Every hold held past [hold] expire-days is escalated or returned. */
CmReviewExpiryRun *
cm_review_expire (CmReviewSession *session, gboolean dry_run, GError **error)
{
  g_return_val_if_fail (session != NULL, NULL);
  gint64 days = cm_daemon_settings (session->config)->expire_days;
  g_autofree char *deputy = cm_mailbox_bare (cm_daemon_settings (session->config)->deputy);
  gboolean escalating = cm_daemon_settings (session->config)->expire == CM_EXPIRE_ESCALATE;
  CmHoldFilter filter = { .state = CM_HOLD_HELD, .held_before = session->now - days * CM_REVIEW_DAY };
  g_autoptr (GPtrArray) holds = cm_review_list (session, &filter, error);
  if (holds == NULL)
    return NULL;
  CmReviewExpiryRun *run = g_new0 (CmReviewExpiryRun, 1);
  run->dry_run = dry_run;
  run->items = g_ptr_array_new_with_free_func ((GDestroyNotify) expiry_free);
  if (escalating && deputy == NULL)
    run->warning = g_strdup ("[hold] expire=escalate but no [hold] deputy is set: returning the messages instead");
  for (guint i = 0; i < holds->len; i++)
    {
      const CmHold *hold = holds->pdata[i];
      gboolean to_deputy = escalating && deputy && !hold->escalated;
      /* An escalated hold gives the deputy as many days again. */
      if (escalating && deputy && hold->escalated && escalated_at (session, hold) > filter.held_before)
        continue;
      CmReviewExpiry *item = g_new0 (CmReviewExpiry, 1);
      item->id = g_strdup (hold->id);
      item->action = to_deputy ? CM_REVIEW_ESCALATED : CM_REVIEW_EXPIRED;
      g_ptr_array_add (run->items, item);
      if (dry_run)
        continue;
      if (to_deputy)
        escalate (session, hold, deputy, days, item);
      else
        expire_one (session, hold, days, item);
    }
  return run;
}

/* ---- the digest ------------------------------------------------------------ */

/* One message to the Monitoring Officer listing every hold still held. */
CmReviewDigest *
cm_review_send_digest (CmReviewSession *session, GError **error)
{
  g_return_val_if_fail (session != NULL, NULL);
  g_autofree char *officer = cm_mailbox_bare (cm_config_monitoring_officer (session->config));
  if (officer == NULL)
    {
      g_set_error (error, CM_REVIEW_ERROR, CM_REVIEW_ERROR_CONFIG,
                   "no digest sent: no Monitoring Officer is set ([hold] monitoring-officer in %s, "
                   "or monitoring-officer in the directory's [council] group)",
                   cm_config_path (session->config));
      return NULL;
    }
  CmOutbox *outbox = cm_review_outbox (session, error);
  if (outbox == NULL)
    return NULL;
  CmHoldFilter filter = { .state = CM_HOLD_HELD };
  g_autoptr (GPtrArray) holds = cm_review_list (session, &filter, error);
  if (holds == NULL)
    return NULL;
  g_autoptr (CmReviewDigest) digest = g_new0 (CmReviewDigest, 1);
  digest->to = g_steal_pointer (&officer);
  digest->count = holds->len;
  if (holds->len == 0)
    return g_steal_pointer (&digest);
  gint64 days = cm_daemon_settings (session->config)->expire_days;
  g_autoptr (GMimeMessage) mail = cm_review_digest (session->config, session->store, holds, digest->to,
                                                    session->invocation, days, session->now);
  g_autoptr (GError) local = NULL;
  CmReviewDelivery delivery = cm_review_deliver (outbox, session->config, digest->to, mail, &digest->why,
                                                 &local);
  if (delivery == CM_REVIEW_NOT_SENT)
    {
      g_set_error (error, CM_REVIEW_ERROR, CM_REVIEW_ERROR_MAIL, "the digest to %s could not be sent or kept: %s",
                   digest->to, local->message);
      return NULL;
    }
  digest->kept = delivery == CM_REVIEW_KEPT;
  return g_steal_pointer (&digest);
}
