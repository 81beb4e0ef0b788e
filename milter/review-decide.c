/*
 * review-decide.c: the commands of council-review that decide holds and
 * send mail (review.h), each a front end over the review library
 * (reviewlib.h), which decides once and sends the mail:
 *   release  decide, then re-inject the message with its original
 *            envelope (held again when that fails)
 *   reject   decide with the reason, then tell a council sender why
 *   expire   holds past [hold] expire-days: to the deputy once, else
 *            returned to the sender (expired)
 *   digest   the Monitoring Officer's list of what is still held
 * What they print is the contract of council-review(8): a line on
 * standard output for what was done, a line on standard error for what
 * failed.
 */
#include "config.h"

#include <stdio.h>

#include "review.h"
#include "review-format.h"

/* Print the warnings of OUTCOME, lesser failures after its decision. */
static void
complain_warnings (const CmReviewOutcome *outcome)
{
  for (guint i = 0; i < outcome->warnings->len; i++)
    cm_review_complain ("%s", (const char *) outcome->warnings->pdata[i]);
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
  int status = cm_review_open (review);
  if (status != REVIEW_OK)
    return status;
  g_autoptr (GError) error = NULL;
  g_autoptr (CmReviewOutcome) outcome = cm_review_release (review->session, argv[1], note, &error);
  if (outcome == NULL)
    return cm_review_error (error);
  complain_warnings (outcome);
  const CmHold *hold = outcome->hold;
  g_autofree char *sender = cm_review_safe (*hold->sender ? hold->sender : "", FALSE);
  printf ("released %s: handed to %s from <%s> to %u recipient%s; the filter lets it through once\n",
          hold->id, outcome->handed_to, sender, outcome->recipients, outcome->recipients == 1 ? "" : "s");
  return REVIEW_OK;
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
  int status = cm_review_open (review);
  if (status != REVIEW_OK)
    return status;
  g_autoptr (GError) error = NULL;
  g_autoptr (CmReviewOutcome) outcome = cm_review_reject (review->session, argv[1], reason, &error);
  if (outcome == NULL)
    return cm_review_error (error);
  if (outcome->notice_error)
    cm_review_complain ("%s", outcome->notice_error->message);
  complain_warnings (outcome);
  const char *what = outcome->notice;
  printf ("rejected %s%s%s\n", outcome->hold->id, what ? "; " : "", what ? what : "");
  return outcome->notice_error ? REVIEW_FAILED : REVIEW_OK;
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
  int status = cm_review_open (review);
  if (status != REVIEW_OK)
    return status;
  g_autoptr (GError) error = NULL;
  g_autoptr (CmReviewExpiryRun) run = cm_review_expire (review->session, dry_run, &error);
  if (run == NULL)
    return cm_review_error (error);
  if (run->warning)
    cm_review_complain ("%s", run->warning);
  gboolean ok = TRUE;
  for (guint i = 0; i < run->items->len; i++)
    {
      const CmReviewExpiry *item = run->items->pdata[i];
      if (item->error)
        {
          cm_review_complain ("%s", item->error->message);
          ok = FALSE;
        }
      if (run->dry_run)
        printf ("would %s %s\n", item->action == CM_REVIEW_ESCALATED ? "escalate" : "expire", item->id);
      else if (item->action == CM_REVIEW_SKIPPED)
        {
          g_autofree char *why = cm_review_safe (item->note, FALSE);
          printf ("skipped %s: %s\n", item->id, why);
        }
      else if (item->action == CM_REVIEW_ESCALATED && item->note && !item->error)
        printf ("escalated %s: %s\n", item->id, item->note);
      else if (item->action == CM_REVIEW_EXPIRED && item->note)
        printf ("expired %s: %s%s%s\n", item->id, item->note, item->notice ? "; " : "",
                item->notice ? item->notice : "");
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
  int status = cm_review_open (review);
  if (status != REVIEW_OK)
    return status;
  g_autoptr (GError) error = NULL;
  g_autoptr (CmReviewDigest) digest = cm_review_send_digest (review->session, &error);
  if (digest == NULL)
    return cm_review_error (error);
  if (digest->count == 0)
    {
      printf ("nothing held\n");
      return REVIEW_OK;
    }
  printf ("digest of %u held message%s %s %s%s%s\n", digest->count, digest->count == 1 ? "" : "s",
          digest->kept ? "kept in the outbox for" : "sent to", digest->to,
          digest->why ? ": " : "", digest->why ? digest->why : "");
  return REVIEW_OK;
}
