/*
 * reviewlib-decide.c: the review library's decisions (reviewlib.h):
 *   cm_review_release()  decide, then re-inject the message by SMTP to
 *                        [hold] release-smtp with its original envelope
 *                        and the release marker (CM_HEADER_RELEASE: "ID
 *                        TOKEN") that the daemon honours once; when the
 *                        hand-off fails the hold is held again.  A message
 *                        whose envelope sender is outside the council
 *                        (held because its client had logged in) would not
 *                        be seen by the filter again, mark and all: it
 *                        goes, unmarked, to [notify] smtp, the listener
 *                        without the filter
 *   cm_review_reject()   decide with the reason, then tell a council
 *                        sender why (review-notice.c)
 *   cm_review_explain()  the sender's explanation, while it is held
 * The decision comes first and happens once (holdstore.h): of two people
 * deciding at the same moment, one wins and the other is told who did.
 */
#include "config.h"

#include <string.h>

#include "log.h"
#include "msgctx.h"
#include "review-notice.h"
#include "reviewlib.h"
#include "reviewlib-private.h"
#include "smtp.h"
#include "settings.h"

void
cm_review_outcome_free (CmReviewOutcome *outcome)
{
  if (outcome == NULL)
    return;
  cm_hold_free (outcome->hold);
  g_free (outcome->handed_to);
  g_free (outcome->notice);
  g_clear_error (&outcome->notice_error);
  g_clear_pointer (&outcome->warnings, g_ptr_array_unref);
  g_free (outcome);
}

/* A new outcome for HOLD (taken). */
static CmReviewOutcome *
outcome_new (CmHold *hold)
{
  CmReviewOutcome *outcome = g_new0 (CmReviewOutcome, 1);
  outcome->hold = hold;
  outcome->warnings = g_ptr_array_new_with_free_func (g_free);
  return outcome;
}

/* HOLD as the store has it now (decided), else HOLD itself (taken). */
static CmHold *
reread (CmReviewSession *session, CmHold *hold)
{
  CmHold *now = cm_holdstore_get (session->store, hold->id, NULL);
  if (now == NULL)
    return hold;
  cm_hold_free (hold);
  return now;
}

/* ---- release ------------------------------------------------------------- */

/* Will the filter see HOLD again when it is re-injected?  Only mail
 * whose envelope sender is the council's is in its scope without a login. */
static gboolean
filter_sees_again (const CmReviewSession *session, const CmHold *hold)
{
  g_autoptr (CmEnvelope) envelope = cm_envelope_new (hold->sender);
  return cm_config_in_scope (session->config, envelope);
}

/* The held message of HOLD, read through the store, with the release
 * marker as its first line in the line ending of the message's own first
 * line (no marker when the filter will not see it again). */
static GByteArray *
marked_message (CmReviewSession *session, const CmHold *hold, GError **error)
{
  g_autoptr (GError) local = NULL;
  g_autoptr (GMimeStream) stream = cm_holdstore_open_message (session->store, hold->id, &local);
  if (stream == NULL)
    {
      if (g_error_matches (local, CM_HOLD_ERROR, CM_HOLD_ERROR_NOT_FOUND))
        g_set_error (error, CM_REVIEW_ERROR, CM_REVIEW_ERROR_NOT_FOUND,
                     "%s: the held message's file is missing (%s)", hold->id, local->message);
      else
        cm_review_propagate (error, g_steal_pointer (&local), NULL);
      return NULL;
    }
  GByteArray *held = g_mime_stream_mem_get_byte_array (GMIME_STREAM_MEM (stream));
  const char *data = (const char *) held->data;
  gsize length = held->len;
  const char *newline = length ? memchr (data, '\n', length) : NULL;
  const char *eol = newline && newline > data && newline[-1] == '\r' ? "\r\n" : "\n";
  g_autofree char *token = cm_holdstore_token (session->store, "release", hold->id);
  g_autofree char *mark = filter_sees_again (session, hold)
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
    g_set_error (error, CM_REVIEW_ERROR, CM_REVIEW_ERROR_INVALID, "the envelope of %s cannot be used "
                 "again (no recipient, or an address that is not one word)", hold->id);
  return ok;
}

/* Decide, then re-inject with the original envelope; held again if that fails. */
CmReviewOutcome *
cm_review_release (CmReviewSession *session, const char *id, const char *note, GError **error)
{
  g_return_val_if_fail (session != NULL, NULL);
  g_autoptr (CmHold) hold = cm_review_find (session, id, error);
  if (hold == NULL)
    return NULL;
  GError *local = NULL;
  g_autoptr (GByteArray) data = NULL;
  /* Not held any more: the store says what became of it, below. */
  if (hold->state == CM_HOLD_HELD
      && !(envelope_ok (hold, &local) && (data = marked_message (session, hold, &local))))
    {
      cm_review_propagate (error, local, "not released: ");
      return NULL;
    }
  const CmHoldActor actor = cm_review_actor (session);
  if (!cm_holdstore_decide_by (session->store, hold->id, CM_HOLD_RELEASED, &actor, note, &local))
    {
      cm_review_propagate (error, local, "not released: ");
      return NULL;
    }

  const char *hostport = filter_sees_again (session, hold)
                             ? cm_daemon_settings (session->config)->release_smtp
                             : cm_daemon_settings (session->config)->notify_smtp;
  /* (Held again since it was read: a failed release undone meanwhile.) */
  gboolean ready = data || (envelope_ok (hold, &local) && (data = marked_message (session, hold, &local)));
  if (!ready || !cm_smtp_send (hostport, hold->sender, (const char *const *) hold->recipients,
                               (const char *) data->data, data->len, NULL, &local))
    {
      g_autoptr (GError) failed = local;
      g_autoptr (GError) undo_error = NULL;
      if (!cm_holdstore_unrelease (session->store, hold->id, failed->message, &undo_error))
        g_set_error (error, CM_REVIEW_ERROR, CM_REVIEW_ERROR_SMTP,
                     "%s: the release was recorded but the message could not be handed over (%s), "
                     "and the release could not be undone: %s", hold->id, failed->message,
                     undo_error->message);
      else
        g_set_error (error, CM_REVIEW_ERROR, CM_REVIEW_ERROR_SMTP, "%s: not released: %s; it is held again",
                     hold->id, failed->message);
      return NULL;
    }
  guint count = g_strv_length (hold->recipients);
  cm_log (LOG_NOTICE, "review: %s released by %s (%s), re-injected through %s to %u recipient%s", hold->id,
          session->who, actor.kind, hostport, count, count == 1 ? "" : "s");
  CmReviewOutcome *outcome = outcome_new (reread (session, g_steal_pointer (&hold)));
  outcome->handed_to = g_strdup (hostport);
  outcome->recipients = count;
  return outcome;
}

/* ---- reject, and the sender's notice ------------------------------------ */

/* Does the held message ID say it is automatic (Auto-Submitted other than "no")? */
static gboolean
held_message_automatic (CmReviewSession *session, const char *id)
{
  g_autoptr (GMimeStream) stream = cm_holdstore_open_message (session->store, id, NULL);
  if (stream == NULL)
    return FALSE;
  g_autoptr (GMimeParser) parser = g_mime_parser_new_with_stream (stream);
  g_autoptr (GMimeMessage) message = g_mime_parser_construct_message (parser, NULL);
  const char *value = message ? g_mime_object_get_header (GMIME_OBJECT (message), "Auto-Submitted") : NULL;
  g_autofree char *word = value ? g_ascii_strdown (g_strstrip (g_strdup (value)), -1) : NULL;
  return word && !g_str_has_prefix (word, "no");
}

/* Tell the sender of HOLD that it was not sent (REASON, or EXPIRED_DAYS),
 * when they are in the council, and record it: what happened goes to
 * OUTCOME's notice, or its notice_error when the notice could neither be
 * sent nor kept (the decision stands). */
void
cm_review_notify_sender (CmReviewSession *session, const CmHold *hold, const char *reason,
                         gint64 expired_days, CmReviewOutcome *outcome)
{
  g_autofree char *sender = cm_review_safe (hold->sender, FALSE);
  if (!*hold->sender || !cm_config_is_council_address (session->config, hold->sender))
    {
      outcome->notice = g_strdup_printf ("no notice: the sender <%s> is outside the council", sender);
      return;
    }
  if (held_message_automatic (session, hold->id))
    {
      outcome->notice = g_strdup_printf ("no notice: the message from %s was automatic", sender);
      return;
    }
  g_autoptr (GError) error = NULL;
  CmOutbox *outbox = cm_review_outbox (session, &error);
  g_autoptr (GMimeMessage) notice = cm_review_rejection_notice (session->config, hold, reason,
                                                                expired_days, session->now);
  g_autofree char *why = NULL;
  CmReviewDelivery delivery = outbox ? cm_review_deliver (outbox, session->config, hold->sender, notice,
                                                          &why, &error)
                                     : CM_REVIEW_NOT_SENT;
  if (delivery == CM_REVIEW_NOT_SENT)
    {
      g_set_error (&outcome->notice_error, CM_REVIEW_ERROR, CM_REVIEW_ERROR_MAIL,
                   "%s: the decision is recorded, but the notice to %s could not be sent or kept: %s",
                   hold->id, sender, error->message);
      return;
    }
  outcome->notice = delivery == CM_REVIEW_SENT
                        ? g_strdup_printf ("notice sent to %s", sender)
                        : g_strdup_printf ("notice to %s kept in the outbox for a retry (%s)", sender, why);
  const CmHoldActor actor = cm_review_actor (session);
  g_autoptr (GError) event_error = NULL;
  if (!cm_holdstore_add_event_by (session->store, hold->id, &actor, "notified", outcome->notice, &event_error))
    g_ptr_array_add (outcome->warnings,
                     g_strdup_printf ("%s: recording the notice: %s", hold->id, event_error->message));
}

/* Decide with the reason, then tell a council sender why. */
CmReviewOutcome *
cm_review_reject (CmReviewSession *session, const char *id, const char *reason, GError **error)
{
  g_return_val_if_fail (session != NULL, NULL);
  g_autofree char *why = g_strstrip (g_strdup (reason ? reason : ""));
  if (*why == '\0')
    {
      g_set_error_literal (error, CM_REVIEW_ERROR, CM_REVIEW_ERROR_INVALID,
                           "a rejection needs a reason: the sender is told it");
      return NULL;
    }
  /* The notice may have to wait in the outbox: it must open before anything is decided. */
  if (cm_review_outbox (session, error) == NULL)
    return NULL;
  g_autoptr (CmHold) hold = cm_review_find (session, id, error);
  if (hold == NULL)
    return NULL;
  const CmHoldActor actor = cm_review_actor (session);
  GError *local = NULL;
  if (!cm_holdstore_decide_by (session->store, hold->id, CM_HOLD_REJECTED, &actor, why, &local))
    {
      cm_review_propagate (error, local, "not rejected: ");
      return NULL;
    }
  cm_log (LOG_NOTICE, "review: %s rejected by %s (%s)", hold->id, session->who, actor.kind);
  /* The notice tells of the message as it was held. */
  CmReviewOutcome *outcome = outcome_new (NULL);
  cm_review_notify_sender (session, hold, why, 0, outcome);
  outcome->hold = reread (session, g_steal_pointer (&hold));
  return outcome;
}

/* Record the sender's explanation of hold ID. */
gboolean
cm_review_explain (CmReviewSession *session, const char *id, const char *text, GError **error)
{
  g_return_val_if_fail (session != NULL && text != NULL, FALSE);
  g_autoptr (CmHold) hold = cm_review_find (session, id, error);
  if (hold == NULL)
    return FALSE;
  GError *local = NULL;
  if (!cm_holdstore_explain (session->store, hold->id, text, &local))
    {
      cm_review_propagate (error, local, NULL);
      return FALSE;
    }
  return TRUE;
}
