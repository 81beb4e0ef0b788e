/*
 * review-decide.c: the commands of council-review that decide holds and
 * send mail (review.h):
 *   release  decide, then re-inject the message by SMTP to [hold]
 *            release-smtp with its original envelope and the release
 *            marker (CM_HEADER_RELEASE: "ID TOKEN") that the daemon
 *            honours once; when the hand-off fails the hold is held again.
 *            A message whose envelope sender is outside the council (held
 *            because its client had logged in) would not be seen by the
 *            filter again, mark and all: it goes, unmarked, to [notify]
 *            smtp, the listener without the filter
 *   reject   decide with the reason, then tell a council sender why
 *   expire   holds past [hold] expire-days: to the deputy once, else
 *            returned to the sender (expired)
 *   digest   the Monitoring Officer's list of what is still held
 * The decision comes first and happens once (holdstore.h); the mail
 * after it goes through review-notice.c.
 */
#include "config.h"

#include <fcntl.h>
#include <stdio.h>
#include <string.h>

#include "log.h"
#include "msgctx.h"
#include "review.h"
#include "review-format.h"
#include "review-notice.h"
#include "smtp.h"
#include "settings.h"

/* ---- release and reject ------------------------------------------------- */

/* Will the filter see HOLD again when it is re-injected?  Only mail
 * whose envelope sender is the council's is in its scope without a login. */
static gboolean
filter_sees_again (const CmReview *review, const CmHold *hold)
{
  g_autoptr (CmEnvelope) envelope = cm_envelope_new (hold->sender);
  return cm_config_in_scope (review->config, envelope);
}

/* The held message of HOLD with the release marker as its first line,
 * in the line ending of the message's own first line (no marker when the
 * filter will not see it again). */
static GByteArray *
marked_message (CmReview *review, const CmHold *hold, GError **error)
{
  g_autofree char *path = cm_holdstore_message_path (review->store, hold->id);
  g_autofree char *data = NULL;
  gsize length = 0;
  if (path == NULL || !g_file_test (path, G_FILE_TEST_EXISTS))
    {
      g_set_error (error, CM_HOLD_ERROR, CM_HOLD_ERROR_IO, "%s: the held message's file %s is missing",
                   hold->id, path ? path : "");
      return NULL;
    }
  if (!g_file_get_contents (path, &data, &length, error))
    return NULL;
  const char *newline = memchr (data, '\n', length);
  const char *eol = newline && newline > data && newline[-1] == '\r' ? "\r\n" : "\n";
  g_autofree char *token = cm_holdstore_token (review->store, "release", hold->id);
  g_autofree char *mark = filter_sees_again (review, hold)
      ? g_strdup_printf ("%s: %s %s%s", CM_HEADER_RELEASE, hold->id, token, eol) : g_strdup ("");
  GByteArray *bytes = g_byte_array_sized_new ((guint) (strlen (mark) + length));
  g_byte_array_append (bytes, (const guint8 *) mark, (guint) strlen (mark));
  g_byte_array_append (bytes, (const guint8 *) data, (guint) length);
  return bytes;
}

/* Can HOLD's envelope be used again as it is? */
static gboolean
envelope_ok (const CmHold *hold, GError **error)
{
  gboolean ok = cm_review_address_ok (hold->sender, TRUE) && hold->recipients && hold->recipients[0];
  for (guint i = 0; ok && hold->recipients[i]; i++)
    ok = cm_review_address_ok (hold->recipients[i], FALSE);
  if (!ok)
    g_set_error (error, CM_HOLD_ERROR, CM_HOLD_ERROR_IO, "the envelope of %s cannot be used again "
                 "(no recipient, or an address that is not one word)", hold->id);
  return ok;
}

/* release: decide, then re-inject with the original envelope; held again if that fails. */
int
cm_review_cmd_release (CmReview *review, const CmReviewCommand *command, int argc, char **argv)
{
  g_autofree char *note = NULL;
  GOptionEntry entries[] = {
    { "note", 0, 0, G_OPTION_ARG_STRING, &note, "why it may go, for the audit trail", "TEXT" },
    { NULL }
  };
  if (!cm_review_parse_options (command, entries, &argc, &argv, 1, 1))
    return REVIEW_USAGE;
  int status = REVIEW_OK;
  g_autoptr (CmHold) hold = cm_review_open_hold (review, FALSE, argv[1], &status);
  if (hold == NULL)
    return status;
  g_autoptr (GError) error = NULL;
  g_autoptr (GByteArray) data = NULL;
  /* Not held any more: the store says what became of it, below. */
  if (hold->state == CM_HOLD_HELD
      && !(envelope_ok (hold, &error) && (data = marked_message (review, hold, &error))))
    return cm_review_failed ("not released", error);
  if (!cm_holdstore_decide (review->store, hold->id, CM_HOLD_RELEASED, review->who, note, &error))
    return cm_review_failed ("not released", error);

  const char *hostport = filter_sees_again (review, hold) ? cm_config_get (review->config, "hold", "release-smtp")
                                                          : cm_config_get (review->config, "notify", "smtp");
  /* (Held again since it was read: a failed release undone meanwhile.) */
  gboolean ready = data || (envelope_ok (hold, &error) && (data = marked_message (review, hold, &error)));
  if (!ready || !cm_smtp_send (hostport, hold->sender, (const char *const *) hold->recipients,
                               (const char *) data->data, data->len, NULL, &error))
    {
      g_autoptr (GError) undo_error = NULL;
      if (!cm_holdstore_unrelease (review->store, hold->id, error->message, &undo_error))
        {
          cm_review_complain ("%s: the release was recorded but the message could not be handed "
                              "over (%s), and the release could not be undone: %s", hold->id,
                              error->message, undo_error->message);
          return REVIEW_FAILED;
        }
      cm_review_complain ("%s: not released: %s; it is held again", hold->id, error->message);
      return REVIEW_FAILED;
    }
  guint count = g_strv_length (hold->recipients);
  cm_log (LOG_NOTICE, "review: %s released by %s, re-injected through %s to %u recipient%s", hold->id,
          review->who, hostport, count, count == 1 ? "" : "s");
  g_autofree char *sender = cm_review_safe (*hold->sender ? hold->sender : "", FALSE);
  printf ("released %s: handed to %s from <%s> to %u recipient%s; the filter lets it through once\n",
          hold->id, hostport, sender, count, count == 1 ? "" : "s");
  return REVIEW_OK;
}

/* Does the held message in PATH say it is automatic (Auto-Submitted other than "no")? */
static gboolean
held_message_automatic (const char *path)
{
  g_autoptr (GMimeStream) stream = path ? g_mime_stream_fs_open (path, O_RDONLY | O_CLOEXEC, 0, NULL) : NULL;
  if (stream == NULL)
    return FALSE;
  g_autoptr (GMimeParser) parser = g_mime_parser_new_with_stream (stream);
  g_autoptr (GMimeMessage) message = g_mime_parser_construct_message (parser, NULL);
  const char *value = message ? g_mime_object_get_header (GMIME_OBJECT (message), "Auto-Submitted") : NULL;
  g_autofree char *word = value ? g_ascii_strdown (g_strstrip (g_strdup (value)), -1) : NULL;
  return word && !g_str_has_prefix (word, "no");
}

/* Tell the sender of HOLD that it was not sent (REASON, or EXPIRED_DAYS),
 * when they are in the council; record it.  FALSE, reported, when the
 * notice could neither be sent nor kept.  *WHAT says what happened. */
static gboolean
notify_sender (CmReview *review, const CmHold *hold, const char *reason, gint64 expired_days, char **what)
{
  g_autofree char *sender = cm_review_safe (hold->sender, FALSE);
  g_autofree char *path = cm_holdstore_message_path (review->store, hold->id);
  if (!*hold->sender || !cm_config_is_council_address (review->config, hold->sender))
    {
      *what = g_strdup_printf ("no notice: the sender <%s> is outside the council", sender);
      return TRUE;
    }
  if (held_message_automatic (path))
    {
      *what = g_strdup_printf ("no notice: the message from %s was automatic", sender);
      return TRUE;
    }
  g_autoptr (GMimeMessage) notice = cm_review_rejection_notice (review->config, hold, reason,
                                                                expired_days, review->now);
  g_autofree char *why = NULL;
  g_autoptr (GError) error = NULL;
  CmReviewDelivery delivery = cm_review_deliver (review->outbox, review->config, hold->sender, notice,
                                                 &why, &error);
  if (delivery == CM_REVIEW_NOT_SENT)
    {
      cm_review_complain ("%s: the decision is recorded, but the notice to %s could not be sent "
                          "or kept: %s", hold->id, sender, error->message);
      return FALSE;
    }
  *what = delivery == CM_REVIEW_SENT
              ? g_strdup_printf ("notice sent to %s", sender)
              : g_strdup_printf ("notice to %s kept in the outbox for a retry (%s)", sender, why);
  g_autoptr (GError) event_error = NULL;
  if (!cm_holdstore_add_event (review->store, hold->id, review->who, "notified", *what, &event_error))
    cm_review_complain ("%s: recording the notice: %s", hold->id, event_error->message);
  return TRUE;
}

/* reject: decide with the reason, then tell a council sender why. */
int
cm_review_cmd_reject (CmReview *review, const CmReviewCommand *command, int argc, char **argv)
{
  g_autofree char *reason = NULL;
  GOptionEntry entries[] = {
    { "reason", 0, 0, G_OPTION_ARG_STRING, &reason, "why it may not go (required; the sender is told)", "TEXT" },
    { NULL }
  };
  if (!cm_review_parse_options (command, entries, &argc, &argv, 1, 1))
    return REVIEW_USAGE;
  if (reason == NULL || *g_strstrip (reason) == '\0')
    return cm_review_usage (command, "--reason is required: the sender is told it");
  int status = REVIEW_OK;
  g_autoptr (CmHold) hold = cm_review_open_hold (review, TRUE, argv[1], &status);
  if (hold == NULL)
    return status;
  g_autoptr (GError) error = NULL;
  if (!cm_holdstore_decide (review->store, hold->id, CM_HOLD_REJECTED, review->who, reason, &error))
    return cm_review_failed ("not rejected", error);
  cm_log (LOG_NOTICE, "review: %s rejected by %s", hold->id, review->who);
  g_autofree char *what = NULL;
  gboolean told = notify_sender (review, hold, reason, 0, &what);
  printf ("rejected %s%s%s\n", hold->id, what ? "; " : "", what ? what : "");
  return told ? REVIEW_OK : REVIEW_FAILED;
}

/* ---- expire and digest --------------------------------------------------- */

/* When HOLD was escalated (its last "escalated" event), else its held_at. */
static gint64
escalated_at (CmReview *review, const CmHold *hold)
{
  g_autoptr (GPtrArray) events = cm_holdstore_events (review->store, hold->id, 0, NULL);
  gint64 at = hold->held_at;
  for (guint i = 0; events && i < events->len; i++)
    if (strcmp (((CmHoldEvent *) events->pdata[i])->what, "escalated") == 0)
      at = ((CmHoldEvent *) events->pdata[i])->at;
  return at;
}

/* Pass HOLD to DEPUTY: the notification, then the mark.  FALSE, reported, on failure. */
static gboolean
escalate (CmReview *review, const CmHold *hold, const char *deputy, gint64 days, const char *who)
{
  g_autofree char *path = cm_holdstore_message_path (review->store, hold->id);
  g_autoptr (GMimeMessage) mail = cm_review_escalation (review->config, hold, deputy, path,
                                                        review->invocation, days, review->now);
  g_autofree char *why = NULL;
  g_autoptr (GError) error = NULL;
  CmReviewDelivery delivery = cm_review_deliver (review->outbox, review->config, deputy, mail, &why, &error);
  if (delivery == CM_REVIEW_NOT_SENT)
    {
      cm_review_complain ("%s: not escalated: the notification to the deputy %s could not be "
                          "sent or kept: %s", hold->id, deputy, error->message);
      return FALSE;
    }
  g_autofree char *note = delivery == CM_REVIEW_SENT
                              ? g_strdup_printf ("sent to the deputy %s", deputy)
                              : g_strdup_printf ("to the deputy %s, kept in the outbox (%s)", deputy, why);
  if (!cm_holdstore_escalate (review->store, hold->id, who, note, &error))
    {
      cm_review_complain ("%s: the deputy was notified, but recording it failed: %s", hold->id, error->message);
      return FALSE;
    }
  printf ("escalated %s: %s\n", hold->id, note);
  return TRUE;
}

/* Return HOLD to its sender as expired after DAYS (and as many again
 * with the deputy when it was escalated).  FALSE, reported, on failure;
 * a hold decided meanwhile by someone else is only said. */
static gboolean
expire_one (CmReview *review, const CmHold *hold, gint64 days, const char *who)
{
  const char *plural = days == 1 ? "" : "s";
  g_autofree char *note = hold->escalated
      ? g_strdup_printf ("not reviewed within %" G_GINT64_FORMAT " day%s, nor by the deputy in %"
                         G_GINT64_FORMAT " more", days, plural, days)
      : g_strdup_printf ("not reviewed within %" G_GINT64_FORMAT " day%s", days, plural);
  g_autoptr (GError) error = NULL;
  if (!cm_holdstore_decide (review->store, hold->id, CM_HOLD_EXPIRED, who, note, &error))
    {
      if (g_error_matches (error, CM_HOLD_ERROR, CM_HOLD_ERROR_DECIDED))
        {
          g_autofree char *why = cm_review_safe (error->message, FALSE);
          printf ("skipped %s: %s\n", hold->id, why);
          return TRUE;
        }
      cm_review_complain ("%s: not expired: %s", hold->id, error->message);
      return FALSE;
    }
  cm_log (LOG_NOTICE, "review: %s expired (%s)", hold->id, note);
  g_autofree char *what = NULL;
  gboolean told = notify_sender (review, hold, note, hold->escalated ? 2 * days : days, &what);
  printf ("expired %s: %s%s%s\n", hold->id, note, what ? "; " : "", what ? what : "");
  return told;
}

/* expire: every hold held past [hold] expire-days is escalated or returned. */
int
cm_review_cmd_expire (CmReview *review, const CmReviewCommand *command, int argc, char **argv)
{
  gboolean dry_run = FALSE;
  GOptionEntry entries[] = {
    { "dry-run", 'n', 0, G_OPTION_ARG_NONE, &dry_run, "say what would be done, do nothing", NULL },
    { NULL }
  };
  if (!cm_review_parse_options (command, entries, &argc, &argv, 0, 0))
    return REVIEW_USAGE;
  int status = cm_review_open (review, TRUE);
  if (status != REVIEW_OK)
    return status;
  const char *who = "council-review expire";
  gint64 days = cm_config_get_int (review->config, "hold", "expire-days");
  g_autofree char *deputy = cm_review_bare_address (cm_config_get (review->config, "hold", "deputy"));
  gboolean escalating = g_strcmp0 (cm_config_get (review->config, "hold", "expire"), "escalate") == 0;
  if (escalating && deputy == NULL)
    cm_review_complain ("[hold] expire=escalate but no [hold] deputy is set: returning the messages instead");
  CmHoldFilter filter = { .state = CM_HOLD_HELD, .held_before = review->now - days * CM_REVIEW_DAY };
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) holds = cm_holdstore_list (review->store, &filter, &error);
  if (holds == NULL)
    return cm_review_failed ("listing held messages", error);
  gboolean ok = TRUE;
  for (guint i = 0; i < holds->len; i++)
    {
      const CmHold *hold = holds->pdata[i];
      gboolean to_deputy = escalating && deputy && !hold->escalated;
      /* An escalated hold gives the deputy as many days again. */
      if (escalating && deputy && hold->escalated && escalated_at (review, hold) > filter.held_before)
        continue;
      if (dry_run)
        printf ("would %s %s\n", to_deputy ? "escalate" : "expire", hold->id);
      else if (to_deputy)
        ok = escalate (review, hold, deputy, days, who) && ok;
      else
        ok = expire_one (review, hold, days, who) && ok;
    }
  return ok ? REVIEW_OK : REVIEW_FAILED;
}

/* digest: one message to the Monitoring Officer listing every hold still held. */
int
cm_review_cmd_digest (CmReview *review, const CmReviewCommand *command, int argc, char **argv)
{
  GOptionEntry entries[] = { { NULL } };
  if (!cm_review_parse_options (command, entries, &argc, &argv, 0, 0))
    return REVIEW_USAGE;
  int status = cm_review_open (review, TRUE);
  if (status != REVIEW_OK)
    return status;
  g_autofree char *officer = cm_review_bare_address (cm_config_monitoring_officer (review->config));
  if (officer == NULL)
    {
      cm_review_complain ("no digest sent: no Monitoring Officer is set ([hold] monitoring-officer in %s, "
                          "or monitoring-officer in the directory's [council] group)", review->config_path);
      return REVIEW_FAILED;
    }
  CmHoldFilter filter = { .state = CM_HOLD_HELD };
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) holds = cm_holdstore_list (review->store, &filter, &error);
  if (holds == NULL)
    return cm_review_failed ("listing held messages", error);
  if (holds->len == 0)
    {
      printf ("nothing held\n");
      return REVIEW_OK;
    }
  gint64 days = cm_config_get_int (review->config, "hold", "expire-days");
  g_autoptr (GMimeMessage) mail = cm_review_digest (review->config, holds, officer, review->invocation,
                                                    days, review->now);
  g_autofree char *why = NULL;
  CmReviewDelivery delivery = cm_review_deliver (review->outbox, review->config, officer, mail, &why, &error);
  if (delivery == CM_REVIEW_NOT_SENT)
    {
      cm_review_complain ("the digest to %s could not be sent or kept: %s", officer, error->message);
      return REVIEW_FAILED;
    }
  printf ("digest of %u held message%s %s %s%s%s\n", holds->len, holds->len == 1 ? "" : "s",
          delivery == CM_REVIEW_SENT ? "sent to" : "kept in the outbox for", officer,
          why ? ": " : "", why ? why : "");
  return REVIEW_OK;
}

