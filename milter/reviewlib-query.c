/*
 * reviewlib-query.c: the review library's reading calls (reviewlib.h):
 *   cm_review_list()          the holds a filter selects
 *   cm_review_get()           everything about one hold: its record, the
 *                             findings with their evidence, the paragraphs
 *                             cited with their text, the message's text and
 *                             parts, the sender's explanation (in the
 *                             record) and the audit trail
 *   cm_review_audit()         the audit trail of one hold or of all
 *   cm_review_open_message()  a held message as it came, through the store
 * Nothing here changes the store.
 */
#include "config.h"

#include <string.h>

#include "reviewlib.h"
#include "reviewlib-private.h"

/* How deep and how many parts cm_review_get() lists: a held message is
 * written by whoever sent it, and the list stays bounded whatever it is. */
#define PARTS_DEPTH 32
#define PARTS_MAX 1000

/* The Unix time DAYS days before the session's now. */
gint64
cm_review_days_ago (const CmReviewSession *session, guint days)
{
  return session->now - (gint64) days * CM_REVIEW_DAY;
}

/* The holds FILTER selects, oldest first. */
GPtrArray *
cm_review_list (CmReviewSession *session, const CmHoldFilter *filter, GError **error)
{
  g_return_val_if_fail (session != NULL, NULL);
  GError *local = NULL;
  GPtrArray *holds = cm_holdstore_list (session->store, filter, &local);
  cm_review_propagate (error, local, "listing held messages: ");
  return holds;
}

/* The held message ID as it came. */
GMimeStream *
cm_review_open_message (CmReviewSession *session, const char *id, GError **error)
{
  g_return_val_if_fail (session != NULL, NULL);
  GError *local = NULL;
  GMimeStream *stream = cm_holdstore_open_message (session->store, id, &local);
  cm_review_propagate (error, local, NULL);
  return stream;
}

/* ---- one hold ---------------------------------------------------------- */

static void
part_free (CmReviewPart *part)
{
  g_free (part->content_type);
  g_free (part->filename);
  g_free (part);
}

static void
paragraph_free (CmReviewParagraph *paragraph)
{
  g_free (paragraph->clause);
  g_free (paragraph->text);
  g_free (paragraph);
}

void
cm_review_hold_free (CmReviewHold *hold)
{
  if (hold == NULL)
    return;
  cm_hold_free (hold->record);
  g_clear_pointer (&hold->findings, g_ptr_array_unref);
  g_free (hold->findings_error);
  g_clear_pointer (&hold->paragraphs, g_ptr_array_unref);
  g_free (hold->file);
  g_free (hold->message_error);
  g_free (hold->text);
  g_clear_pointer (&hold->parts, g_ptr_array_unref);
  g_clear_pointer (&hold->events, g_ptr_array_unref);
  g_free (hold);
}

/* Add CLAUSE (trimmed) to PARAGRAPHS unless blank or there already. */
static void
add_paragraph (GPtrArray *paragraphs, const CmConfig *config, const char *clause)
{
  g_autofree char *name = g_strstrip (g_strdup (clause ? clause : ""));
  if (*name == '\0')
    return;
  for (guint i = 0; i < paragraphs->len; i++)
    if (strcmp (((CmReviewParagraph *) paragraphs->pdata[i])->clause, name) == 0)
      return;
  CmReviewParagraph *paragraph = g_new0 (CmReviewParagraph, 1);
  paragraph->text = g_strdup (cm_config_paragraph (config, name));
  paragraph->clause = g_steal_pointer (&name);
  g_ptr_array_add (paragraphs, paragraph);
}

/* The paragraphs HOLD cites: its findings' clauses, then the record's. */
static GPtrArray *
cited_paragraphs (const CmConfig *config, const CmReviewHold *hold)
{
  GPtrArray *paragraphs = g_ptr_array_new_with_free_func ((GDestroyNotify) paragraph_free);
  for (guint i = 0; i < hold->findings->len; i++)
    add_paragraph (paragraphs, config, ((CmReviewFinding *) hold->findings->pdata[i])->clause);
  g_auto (GStrv) clauses = g_strsplit (hold->record->clauses ? hold->record->clauses : "", ";", -1);
  for (guint i = 0; clauses[i]; i++)
    add_paragraph (paragraphs, config, clauses[i]);
  return paragraphs;
}

/* The bytes of OBJECT as it would be written (a message/rfc822 part). */
static gsize
written_size (GMimeObject *object)
{
  g_autoptr (GMimeStream) null = g_mime_stream_null_new ();
  gssize n = g_mime_object_write_to_stream (object, NULL, null);
  return n > 0 ? (gsize) n : 0;
}

/* Add the leaves of OBJECT at DEPTH to PARTS, within PARTS_DEPTH and PARTS_MAX. */
static void
add_parts (GPtrArray *parts, GMimeObject *object, guint depth)
{
  if (object == NULL || parts->len >= PARTS_MAX || depth > PARTS_DEPTH)
    return;
  if (GMIME_IS_MULTIPART (object))
    {
      GMimeMultipart *multipart = GMIME_MULTIPART (object);
      int count = g_mime_multipart_get_count (multipart);
      for (int i = 0; i < count && parts->len < PARTS_MAX; i++)
        add_parts (parts, g_mime_multipart_get_part (multipart, i), depth + 1);
      return;
    }
  CmReviewPart *part = g_new0 (CmReviewPart, 1);
  GMimeContentType *type = g_mime_object_get_content_type (object);
  g_autofree char *mime_type = type ? g_mime_content_type_get_mime_type (type) : g_strdup ("text/plain");
  part->content_type = g_ascii_strdown (mime_type, -1);
  part->depth = depth;
  if (GMIME_IS_PART (object))
    {
      GMimePart *leaf = GMIME_PART (object);
      const char *filename = g_mime_part_get_filename (leaf);
      part->filename = filename ? cm_review_safe (filename, FALSE) : NULL;
      part->attachment = g_mime_part_is_attachment (leaf) || filename != NULL;
      GMimeDataWrapper *content = g_mime_part_get_content (leaf);
      GMimeStream *stream = content ? g_mime_data_wrapper_get_stream (content) : NULL;
      gint64 length = stream ? g_mime_stream_length (stream) : 0;
      part->size = length > 0 ? (gsize) length : 0;
    }
  else
    {
      /* A forwarded message (message/rfc822): one attachment, not opened. */
      part->attachment = TRUE;
      part->size = written_size (object);
    }
  g_ptr_array_add (parts, part);
}

/* Read HOLD's message through the store: its text and parts, or why not. */
static void
read_message (CmReviewSession *session, CmReviewHold *hold)
{
  hold->parts = g_ptr_array_new_with_free_func ((GDestroyNotify) part_free);
  g_autoptr (GError) error = NULL;
  g_autoptr (GMimeStream) stream = cm_holdstore_open_message (session->store, hold->record->id, &error);
  if (stream == NULL)
    {
      hold->missing = g_error_matches (error, CM_HOLD_ERROR, CM_HOLD_ERROR_NOT_FOUND);
      hold->message_error = g_strdup (error->message);
      return;
    }
  g_autoptr (GMimeParser) parser = g_mime_parser_new_with_stream (stream);
  g_autoptr (GMimeMessage) message = g_mime_parser_construct_message (parser, NULL);
  if (message == NULL)
    {
      hold->message_error = g_strdup_printf ("%s: not a mail message", hold->record->id);
      return;
    }
  hold->text = cm_review_message_text_of (message);
  add_parts (hold->parts, g_mime_message_get_mime_part (message), 0);
}

/* Everything about hold ID. */
CmReviewHold *
cm_review_get (CmReviewSession *session, const char *id, GError **error)
{
  g_return_val_if_fail (session != NULL, NULL);
  CmHold *record = cm_review_find (session, id, error);
  if (record == NULL)
    return NULL;
  g_autoptr (CmReviewHold) hold = g_new0 (CmReviewHold, 1);
  hold->record = record;
  g_autoptr (GError) local = NULL;
  hold->findings = cm_review_findings (record->verdict_json, &local);
  if (hold->findings == NULL)
    {
      hold->findings = g_ptr_array_new_with_free_func ((GDestroyNotify) cm_review_finding_free);
      hold->findings_error = g_strdup (local->message);
    }
  hold->paragraphs = cited_paragraphs (session->config, hold);
  hold->file = cm_holdstore_message_path (session->store, record->id);
  read_message (session, hold);
  hold->events = cm_review_audit (session, record->id, 0, error);
  if (hold->events == NULL)
    return NULL;
  return g_steal_pointer (&hold);
}

/* The audit trail of hold ID (NULL: of all) from SINCE on. */
GPtrArray *
cm_review_audit (CmReviewSession *session, const char *id, gint64 since, GError **error)
{
  g_return_val_if_fail (session != NULL, NULL);
  g_autoptr (CmHold) hold = id ? cm_review_find (session, id, error) : NULL;
  if (id && hold == NULL)
    return NULL;
  GError *local = NULL;
  GPtrArray *events = cm_holdstore_events (session->store, id, since, &local);
  cm_review_propagate (error, local, "reading the audit trail: ");
  return events;
}
