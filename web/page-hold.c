/*
 * page-hold.c: one held message on council-review-web (pages.h).
 *
 *   GET /hold/ID            the envelope, each finding with its paragraph
 *                           quoted and its evidence, the message's text
 *                           with the evidence marked, its attachments,
 *                           the sender's explanation, the audit trail,
 *                           and (for those who decide, while it is held)
 *                           the release and reject forms
 *   POST /hold/ID/release   note=...      release it (cm_review_release)
 *   POST /hold/ID/reject    reason=...    reject it (cm_review_reject)
 *
 * A decision answers with a redirect to the hold's page, which then says
 * what became of it (Post/Redirect/Get: reloading does not decide twice).
 * The id is checked by the library before anything is looked up.
 */
#include "config.h"

#include <string.h>

#include "highlight.h"
#include "layout.h"
#include "pages.h"

/* Longest note or reason taken (characters): a paragraph or two. */
#define NOTE_MAX 4000

/* The HTTP status for ERROR, one of the review library's. */
static guint
status_of (const GError *error)
{
  if (error->domain != CM_REVIEW_ERROR)
    return 500;
  switch ((CmReviewErrorCode) error->code)
    {
    case CM_REVIEW_ERROR_NOT_FOUND:
    case CM_REVIEW_ERROR_BAD_ID: return 404;
    case CM_REVIEW_ERROR_DECIDED: return 409;
    case CM_REVIEW_ERROR_BUSY: return 503;
    case CM_REVIEW_ERROR_SMTP: return 502;
    case CM_REVIEW_ERROR_INVALID: return 400;
    default: return 500;
    }
}

/* A definition-list row: NAME and VALUE (escaped). */
static void
row (GString *out, const char *name, const char *value)
{
  g_string_append (out, "<dt>");
  cm_html (out, name);
  g_string_append (out, "</dt><dd>");
  cm_html (out, value);
  g_string_append (out, "</dd>");
}

/* The envelope and state of RECORD. */
static void
envelope (GString *out, const CmHold *record, gint64 now)
{
  g_string_append (out, "<dl>");
  g_autofree char *when = cm_review_time (record->held_at);
  g_autofree char *age = cm_review_age (record->held_at, now);
  g_autofree char *held = g_strdup_printf ("%s (%s ago)", when, age);
  row (out, "Held", held);
  row (out, "State", cm_hold_state_name (record->state));
  if (record->decided_at)
    {
      g_autofree char *decided_when = cm_review_time (record->decided_at);
      g_autofree char *decided = g_strdup_printf ("%s by %s", decided_when,
                                                  record->decided_by ? record->decided_by : "?");
      row (out, "Decided", decided);
      if (record->decision_note)
        row (out, "Note", record->decision_note);
    }
  g_autofree char *from = g_strdup_printf ("%s (%s)", *record->sender ? record->sender : "<>",
                                           record->sender_role ? record->sender_role : "unknown");
  row (out, "From", from);
  g_autofree char *to = record->recipients ? g_strjoinv (", ", record->recipients) : g_strdup ("");
  row (out, "To", to);
  row (out, "Subject", record->subject ? record->subject : "(no subject)");
  if (record->escalated)
    row (out, "Escalated", "sent on to the deputy");
  row (out, "Reference", record->id);
  g_string_append (out, "</dl>");
}

/* The paragraph CLAUSE of HOLD's cited paragraphs, or NULL. */
static const CmReviewParagraph *
paragraph_of (const CmReviewHold *hold, const char *clause)
{
  for (guint i = 0; i < hold->paragraphs->len; i++)
    {
      const CmReviewParagraph *paragraph = g_ptr_array_index (hold->paragraphs, i);
      if (g_strcmp0 (paragraph->clause, clause) == 0)
        return paragraph;
    }
  return NULL;
}

/* Each finding: paragraph, rule, summary, the paragraph's words, evidence. */
static void
findings (GString *out, const CmReviewHold *hold)
{
  g_string_append (out, "<h2>Why it was held</h2>");
  if (hold->findings_error)
    {
      g_string_append (out, "<p class=\"error\">The recorded findings cannot be read (");
      cm_html (out, hold->findings_error);
      g_string_append (out, "); it was held under: ");
      cm_html (out, hold->record->clauses);
      g_string_append (out, "</p>");
    }
  for (guint i = 0; i < hold->findings->len; i++)
    {
      const CmReviewFinding *finding = g_ptr_array_index (hold->findings, i);
      g_string_append (out, "<section><h3>");
      cm_html (out, finding->clause);
      g_string_append (out, " <span class=\"muted\">(");
      cm_html (out, finding->rule);
      g_string_append (out, ", ");
      cm_html (out, finding->action);
      g_string_append (out, ")</span></h3><p>");
      cm_html (out, finding->summary);
      g_string_append (out, "</p>");
      const CmReviewParagraph *paragraph = paragraph_of (hold, finding->clause);
      if (paragraph && paragraph->text)
        {
          g_string_append (out, "<blockquote><p class=\"muted\">");
          cm_html (out, paragraph->clause);
          g_string_append (out, " says:</p><p>");
          cm_html (out, paragraph->text);
          g_string_append (out, "</p></blockquote>");
        }
      if (finding->evidence->len)
        {
          g_string_append (out, "<p>The words that raised it:</p><ul>");
          for (guint e = 0; e < finding->evidence->len; e++)
            {
              g_string_append (out, "<li><mark>");
              cm_html (out, g_ptr_array_index (finding->evidence, e));
              g_string_append (out, "</mark></li>");
            }
          g_string_append (out, "</ul>");
        }
      if (finding->people->len)
        {
          g_string_append (out, "<p>People concerned: ");
          for (guint p = 0; p < finding->people->len; p++)
            {
              if (p)
                g_string_append (out, ", ");
              cm_html (out, g_ptr_array_index (finding->people, p));
            }
          g_string_append (out, "</p>");
        }
      g_string_append (out, "</section>");
    }
}

/* Every finding's evidence, for marking in the text. */
static GPtrArray *
all_evidence (const CmReviewHold *hold)
{
  GPtrArray *evidence = g_ptr_array_new ();
  for (guint i = 0; i < hold->findings->len; i++)
    {
      const CmReviewFinding *finding = g_ptr_array_index (hold->findings, i);
      for (guint e = 0; e < finding->evidence->len; e++)
        g_ptr_array_add (evidence, g_ptr_array_index (finding->evidence, e));
    }
  return evidence;
}

/* The message's text with the evidence marked, and its attachments. */
static void
message (GString *out, const CmReviewHold *hold)
{
  g_string_append (out, "<h2>The message</h2>");
  if (hold->text == NULL)
    {
      g_string_append (out, "<p class=\"error\">");
      cm_html (out, hold->message_error ? hold->message_error : "The held message cannot be read.");
      g_string_append (out, "</p>");
      return;
    }
  g_autoptr (GPtrArray) evidence = all_evidence (hold);
  g_string_append (out, "<pre>");
  cm_highlight (out, hold->text, evidence);
  g_string_append (out, "</pre>");
  guint attachments = 0;
  for (guint i = 0; i < hold->parts->len; i++)
    {
      const CmReviewPart *part = g_ptr_array_index (hold->parts, i);
      if (!part->attachment)
        continue;
      if (attachments++ == 0)
        g_string_append (out, "<h2>Attachments</h2><ul>");
      g_string_append (out, "<li>");
      cm_html (out, part->filename ? part->filename : "(no name)");
      g_string_append (out, " <span class=\"muted\">");
      cm_html (out, part->content_type);
      g_autofree char *size = g_format_size (part->size);
      g_string_append (out, ", ");
      cm_html (out, size);
      g_string_append (out, "</span></li>");
    }
  if (attachments)
    g_string_append (out, "</ul>");
}

/* The sender's explanation, when there is one. */
static void
explanation (GString *out, const CmHold *record)
{
  if (record->explanation == NULL)
    return;
  g_string_append (out, "<h2>The sender's explanation</h2><p class=\"muted\">");
  cm_layout_time (out, record->explained_at);
  g_string_append (out, "</p><blockquote><pre>");
  cm_html (out, record->explanation);
  g_string_append (out, "</pre></blockquote>");
}

/* The audit trail, oldest first. */
static void
audit (GString *out, const GPtrArray *events)
{
  g_string_append (out, "<h2>Audit trail</h2><div class=\"scroll\"><table><thead><tr><th>When</th><th>Who</th>"
                        "<th>What</th><th>Note</th></tr></thead><tbody>");
  for (guint i = 0; i < events->len; i++)
    {
      const CmHoldEvent *event = g_ptr_array_index (events, i);
      g_string_append (out, "<tr><td>");
      cm_layout_time (out, event->at);
      g_string_append (out, "</td><td>");
      cm_html (out, event->who);
      if (event->who_kind)
        {
          g_string_append (out, " <span class=\"muted\">(");
          cm_html (out, event->who_kind);
          g_string_append (out, ")</span>");
        }
      g_string_append (out, "</td><td>");
      cm_html (out, event->what);
      g_string_append (out, "</td><td>");
      cm_html (out, event->note);
      g_string_append (out, "</td></tr>");
    }
  g_string_append (out, "</tbody></table></div>");
}

/* The release and reject forms. */
static void
decide_forms (GString *out, const CmWebRequest *request, const char *id)
{
  g_string_append (out, "<h2>Decide</h2><div class=\"decide\"><form method=\"post\" action=\"/hold/");
  cm_html (out, id);
  g_string_append (out, "/release\">");
  cm_layout_csrf_field (out, request);
  g_string_append (out, "<label for=\"note\">Note for the record (optional)</label>"
                        "<textarea id=\"note\" name=\"note\" maxlength=\"4000\"></textarea>"
                        "<p><button class=\"go\" type=\"submit\">Release: deliver to its recipients</button></p>"
                        "</form><form method=\"post\" action=\"/hold/");
  cm_html (out, id);
  g_string_append (out, "/reject\">");
  cm_layout_csrf_field (out, request);
  g_string_append (out, "<label for=\"reason\">Reason (the sender is told it)</label>"
                        "<textarea id=\"reason\" name=\"reason\" maxlength=\"4000\" required></textarea>"
                        "<p><button class=\"stop\" type=\"submit\">Reject: do not deliver</button></p>"
                        "</form></div>");
}

/* GET /hold/ID: everything about one held message. */
void
cm_page_hold (const CmWebContext *context, const CmWebRequest *request, CmWebResponse *response, const char *id)
{
  g_autoptr (CmReviewSession) review = cm_web_review_open (context, request, response);
  if (review == NULL)
    return;
  g_autoptr (GError) error = NULL;
  g_autoptr (CmReviewHold) hold = cm_review_get (review, id, &error);
  if (hold == NULL)
    {
      cm_web_fail (request, response, status_of (error), "No such held message", error->message);
      return;
    }
  response->no_store = TRUE;
  GString *out = response->body;
  g_autofree char *flash = cm_web_sessions_take_flash (context->sessions, request->session->id);
  g_autofree char *title = g_strdup_printf ("Held: %s", hold->record->subject ? hold->record->subject
                                                                                : "(no subject)");
  cm_layout_begin (out, request, title, flash);
  envelope (out, hold->record, cm_review_session_now (review));
  findings (out, hold);
  explanation (out, hold->record);
  message (out, hold);
  if (hold->record->state == CM_HOLD_HELD && cm_web_request_decides (request))
    decide_forms (out, request, hold->record->id);
  else if (hold->record->state == CM_HOLD_HELD)
    g_string_append (out, "<p class=\"muted\">You may read held mail; the Monitoring Officer and the deputy "
                          "decide it.</p>");
  audit (out, hold->events);
  cm_layout_end (out);
}

/* What a decision did, for the page that follows it. */
static char *
describe (const char *id, const char *action, const CmReviewOutcome *outcome)
{
  GString *text = g_string_new (NULL);
  if (strcmp (action, "release") == 0)
    g_string_append_printf (text, "Released %s: handed to %s for %u recipient%s.", id,
                            outcome->handed_to ? outcome->handed_to : "the mail relay", outcome->recipients,
                            outcome->recipients == 1 ? "" : "s");
  else
    g_string_append_printf (text, "Rejected %s; %s.", id,
                            outcome->notice ? outcome->notice
                            : outcome->notice_error ? outcome->notice_error->message
                                                    : "the sender was not told");
  for (guint i = 0; outcome->warnings && i < outcome->warnings->len; i++)
    g_string_append_printf (text, " Warning: %s", (const char *) g_ptr_array_index (outcome->warnings, i));
  return g_string_free (text, FALSE);
}

/* POST /hold/ID/release or /reject: decide, then back to the hold's page. */
void
cm_page_hold_decide (const CmWebContext *context, const CmWebRequest *request, CmWebResponse *response,
                     const char *id, const char *action)
{
  if (!cm_web_request_decides (request))
    {
      cm_web_fail (request, response, 403, "Not allowed",
                   "Only the Monitoring Officer and the deputy may release or reject held mail.");
      return;
    }
  gboolean release = strcmp (action, "release") == 0;
  const char *text = cm_web_field (request->form, release ? "note" : "reason");
  if (text && g_utf8_strlen (text, -1) > NOTE_MAX)
    {
      cm_web_fail (request, response, 400, "Too long", "A note or reason may be at most 4000 characters.");
      return;
    }
  if (!release && text == NULL)
    {
      cm_web_fail (request, response, 400, "A reason is needed",
                   "Give the reason for rejecting the message: the sender is told it.");
      return;
    }
  g_autoptr (CmReviewSession) review = cm_web_review_open (context, request, response);
  if (review == NULL)
    return;
  g_autoptr (GError) error = NULL;
  g_autoptr (CmReviewOutcome) outcome = release ? cm_review_release (review, id, text, &error)
                                                : cm_review_reject (review, id, text, &error);
  if (outcome == NULL)
    {
      cm_web_fail (request, response, status_of (error),
                   release ? "The message was not released" : "The message was not rejected", error->message);
      return;
    }
  g_autofree char *done = describe (outcome->hold->id, action, outcome);
  cm_web_sessions_set_flash (context->sessions, request->session->id, done);
  g_autofree char *location = g_strdup_printf ("/hold/%s", outcome->hold->id);
  cm_web_redirect (response, location);
}
