/*
 * decide-reply.c: a decision by reply (decide-reply.h).
 *
 * The checks come in the order that says the most without giving
 * anything away: deciding by reply turned off, mail not logged in, a
 * sender who is not a decider, a From that is not the sender, then the
 * token (whose failure does not say whether the hold exists).  A reply
 * to a hold decided already is refused saying how and by whom.  Only a
 * failure that another try may mend (a locked index, a store that
 * cannot be written, a release the listener did not take, which leaves
 * the hold held) is a tempfail, so a decision is never lost and, being
 * made once in the store, never made twice.
 */
#include "config.h"

#include <gmime/gmime.h>

#include "decide-reply.h"
#include "decision.h"
#include "log.h"
#include "notify.h"
#include "reviewlib.h"
#include "settings.h"

/* Is the From header of MSG one mailbox, the envelope sender? */
static gboolean
from_is_sender (const CmMsgCtx *msg)
{
  if (msg->from == NULL)
    return FALSE;
  InternetAddressList *list = internet_address_list_parse (NULL, msg->from);
  InternetAddress *first = list && internet_address_list_length (list) == 1
      ? internet_address_list_get_address (list, 0) : NULL;
  gboolean same = first && INTERNET_ADDRESS_IS_MAILBOX (first)
      && g_ascii_strcasecmp (internet_address_mailbox_get_addr (INTERNET_ADDRESS_MAILBOX (first)),
                             msg->envelope->sender) == 0;
  g_clear_object (&list);
  return same;
}

/* Why MSG may not decide HOLD_ID with TOKEN, or NULL when it may. */
static char *
refusal (CmMsgCtx *msg, CmServices *services, CmDecision decision, const char *hold_id, const char *token)
{
  const char *sender = msg->envelope->sender;
  if (!cm_decision_by_reply (msg->config))
    return g_strdup ("Held mail is not decided by reply here ([hold] decide-by-reply is off, or no "
                     "Monitoring Officer is configured).");
  if (!msg->envelope->authenticated)
    return g_strdup_printf ("A decision by reply on held message %s must be sent logged in "
                            "(authenticated mail); this was not.", hold_id);
  if (!cm_decision_decider (msg->config, sender))
    return g_strdup_printf ("Only the Monitoring Officer or the deputy may decide held message %s "
                            "by reply, not <%s>.", hold_id, sender);
  if (!from_is_sender (msg))
    return g_strdup_printf ("The From of a decision by reply must be its sender <%s> alone.", sender);
  if (!cm_holdstore_id_valid (hold_id)
      || !cm_decision_token_valid (services->store, decision, hold_id, sender, token))
    return g_strdup_printf ("That %s address does not belong to a held message for <%s>.",
                            cm_decision_name (decision), sender);
  return NULL;
}

/* Tell DECIDER what was done, through the outbox; logged when it cannot be. */
static void
confirm (CmMsgCtx *msg, CmServices *services, const char *decider, const char *subject, const char *line)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *text = g_strconcat (line, "\n", NULL);
  if (!cm_notify_send_text (msg->config, services->outbox, decider, subject, text, &error))
    cm_log (LOG_ERR, "%s: the confirmation to %s was neither sent nor kept: %s", msg->queue_id, decider,
            error->message);
}

/* The confirmation line of OUTCOME, a DECISION with WORDS. */
static char *
confirmation (CmDecision decision, const CmReviewOutcome *outcome, const char *words)
{
  const CmHold *hold = outcome->hold;
  if (decision == CM_DECISION_RELEASE)
    {
      g_autofree char *subject = cm_review_safe (hold->subject ? hold->subject : "no subject", FALSE);
      return g_strdup_printf ("Released hold %s (%s) to %u recipient%s.", hold->id, subject,
                              outcome->recipients, outcome->recipients == 1 ? "" : "s");
    }
  if (outcome->notice_error)
    return g_strdup_printf ("Rejected hold %s; the sender could not be told (%s). Your reason: %s", hold->id,
                            outcome->notice_error->message, words);
  if (outcome->notice && g_str_has_prefix (outcome->notice, "no notice"))
    return g_strdup_printf ("Rejected hold %s; the sender was not told (%s). Your reason: %s", hold->id,
                            outcome->notice, words);
  return g_strdup_printf ("Rejected hold %s; the sender was told: %s", hold->id, words);
}

CmReplyOutcome
cm_decide_take (CmMsgCtx *msg, CmServices *services, CmDecision decision, const char *hold_id,
                const char *token, char **why)
{
  if (services == NULL)
    {
      *why = g_strdup ("the hold spool is not open");
      return CM_REPLY_FAILED;
    }
  *why = refusal (msg, services, decision, hold_id, token);
  if (*why)
    return CM_REPLY_REFUSED;
  g_autofree char *words = cm_replies_words (msg);
  if (decision == CM_DECISION_REJECT && *words == '\0')
    {
      *why = g_strdup_printf ("A rejection of held message %s needs a reason, which the sender is told: "
                              "write it in the reply.", hold_id);
      return CM_REPLY_REFUSED;
    }

  const char *sender = msg->envelope->sender;
  g_autoptr (GError) error = NULL;
  g_autoptr (CmReviewSession) session = cm_review_session_open (msg->config, CM_REVIEW_MAIL_SENDER, sender,
                                                                &error);
  g_autoptr (CmReviewOutcome) outcome = NULL;
  if (session)
    outcome = decision == CM_DECISION_RELEASE ? cm_review_release (session, hold_id, *words ? words : NULL, &error)
                                              : cm_review_reject (session, hold_id, words, &error);
  if (outcome == NULL)
    {
      *why = g_strdup (error->message);
      gboolean again = error->domain == CM_REVIEW_ERROR
          && (error->code == CM_REVIEW_ERROR_BUSY || error->code == CM_REVIEW_ERROR_SMTP
              || error->code == CM_REVIEW_ERROR_STORE || error->code == CM_REVIEW_ERROR_CONFIG);
      return again ? CM_REPLY_FAILED : CM_REPLY_REFUSED;
    }
  g_autofree char *line = confirmation (decision, outcome, words);
  g_autofree char *subject = g_strdup_printf ("Held message %s %s", hold_id,
                                              decision == CM_DECISION_RELEASE ? "released" : "rejected");
  confirm (msg, services, sender, subject, line);
  *why = g_steal_pointer (&line);
  return CM_REPLY_RECORDED;
}
