/*
 * holdfixture.c: what the hold store's tests share (holdfixture.h): a
 * message whose copy must be exact, scratch spools, putting and reading
 * back holds, and their audit trail and listings as text.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <glib/gstdio.h>
#include <sqlite3.h>

#include "holdfixture.h"

/* A message with a NUL and 8-bit bytes, so the copy must be exact. */
const char message_bytes[] =
  "From: Cllr Jane Smith <cllr.jane.smith@northmoor.gov.uk>\r\n"
  "To: builder@example.org\r\n"
  "Subject: =?utf-8?q?Planning_=E2=9C=93?=\r\n"
  "\r\n"
  "The planning officer is useless.\r\n"
  "\0binary \xe2\x9c\x93 tail\r\n";
const gsize message_length = sizeof message_bytes - 1;

const char *const two_recipients[] = { "builder@example.org", "clerk@northmoor.gov.uk", NULL };
const char *const two_rules[] = { "officer-criticism", "bcc-member", NULL };

/* A new spool directory's path (not created) in a scratch directory. */
char *
new_spool (void)
{
  g_autofree char *dir = test_scratch_dir ();
  return g_build_filename (dir, "spool", NULL);
}

/* Open the store at SPOOL, which must work. */
CmHoldStore *
open_store (const char *spool)
{
  g_autoptr (GError) error = NULL;
  CmHoldStore *store = cm_holdstore_open (spool, &error);
  ck_assert_msg (store != NULL, "open %s: %s", spool, error ? error->message : "?");
  return store;
}

/* The number of entries in directory DIR. */
guint
count_entries (const char *spool, const char *sub)
{
  g_autofree char *path = g_build_filename (spool, sub, NULL);
  g_autoptr (GDir) dir = g_dir_open (path, 0, NULL);
  ck_assert_msg (dir != NULL, "%s is not a directory", path);
  guint n = 0;
  while (g_dir_read_name (dir))
    n++;
  return n;
}

/* Put a message (TEXT, or the sample) from SENDER held by RULES; it must work. */
CmHold *
put_message (CmHoldStore *store, const char *sender, const char *const *rules, const char *text)
{
  CmHold record = {
    .queue_id = (char *) "4Xyz1AbC",
    .sender = (char *) sender,
    .recipients = (char **) two_recipients,
    .sender_role = (char *) "member",
    .subject = (char *) "Planning \xe2\x9c\x93",
    .rules = (char **) (rules ? rules : two_rules),
    .clauses = (char *) "South Ribble 16.2; Runnymede 2.1",
    .verdict_json = (char *) "{\"action\": \"hold\",\n \"note\": \"a 'quote'\"}",
  };
  g_autoptr (GMimeStream) stream = text ? g_mime_stream_mem_new_with_buffer (text, strlen (text))
                                        : g_mime_stream_mem_new_with_buffer (message_bytes, sizeof message_bytes - 1);
  g_autoptr (GError) error = NULL;
  CmHold *hold = cm_holdstore_put (store, &record, stream, &error);
  ck_assert_msg (hold != NULL, "put: %s", error ? error->message : "?");
  return hold;
}

/* Assert that A and B are the same list of strings. */
void
assert_strv_eq (char **a, const char *const *b)
{
  ck_assert_ptr_nonnull (a);
  ck_assert_uint_eq (g_strv_length (a), g_strv_length ((char **) b));
  for (guint i = 0; b[i]; i++)
    ck_assert_str_eq (a[i], b[i]);
}

/* Assert that records A and B are equal, field by field. */
void
assert_hold_eq (const CmHold *a, const CmHold *b)
{
  ck_assert_str_eq (a->id, b->id);
  ck_assert_int_eq (a->state, b->state);
  ck_assert_int_eq (a->held_at, b->held_at);
  ck_assert_pstr_eq (a->queue_id, b->queue_id);
  ck_assert_str_eq (a->sender, b->sender);
  assert_strv_eq (a->recipients, (const char *const *) b->recipients);
  ck_assert_pstr_eq (a->sender_role, b->sender_role);
  ck_assert_pstr_eq (a->subject, b->subject);
  assert_strv_eq (a->rules, (const char *const *) b->rules);
  ck_assert_pstr_eq (a->clauses, b->clauses);
  ck_assert_pstr_eq (a->verdict_json, b->verdict_json);
  ck_assert_pstr_eq (a->explanation, b->explanation);
  ck_assert_int_eq (a->explained_at, b->explained_at);
  ck_assert_int_eq (a->decided_at, b->decided_at);
  ck_assert_pstr_eq (a->decided_by, b->decided_by);
  ck_assert_pstr_eq (a->decision_note, b->decision_note);
  ck_assert_int_eq (a->escalated, b->escalated);
  ck_assert_int_eq (a->release_used, b->release_used);
}

/* The record of ID, which must exist. */
CmHold *
get_hold (CmHoldStore *store, const char *id)
{
  g_autoptr (GError) error = NULL;
  CmHold *hold = cm_holdstore_get (store, id, &error);
  ck_assert_msg (hold != NULL, "get %s: %s", id, error ? error->message : "?");
  return hold;
}

/* The permission bits of PATH. */
guint
mode_of (const char *path)
{
  GStatBuf st;
  ck_assert_msg (g_stat (path, &st) == 0, "stat %s: %s", path, g_strerror (errno));
  return st.st_mode & 07777;
}

/* The events of ID as "what/who/note" lines joined with "|". */
char *
trail (CmHoldStore *store, const char *id)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) events = cm_holdstore_events (store, id, 0, &error);
  ck_assert_msg (events != NULL, "events: %s", error ? error->message : "?");
  GString *text = g_string_new (NULL);
  for (guint i = 0; i < events->len; i++)
    {
      const CmHoldEvent *event = events->pdata[i];
      ck_assert_str_eq (event->hold_id, id);
      g_string_append_printf (text, "%s%s/%s/%s", i ? "|" : "", event->what, event->who,
                              event->note ? event->note : "-");
    }
  return g_string_free (text, FALSE);
}

/* The ids of the holds FILTER lists, joined with " ", each as its index in IDS. */
char *
listed (CmHoldStore *store, const CmHoldFilter *filter, char **ids)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) holds = cm_holdstore_list (store, filter, &error);
  ck_assert_msg (holds != NULL, "list: %s", error ? error->message : "?");
  GString *text = g_string_new (NULL);
  for (guint i = 0; i < holds->len; i++)
    {
      const CmHold *hold = holds->pdata[i];
      guint k = 0;
      while (ids[k] && strcmp (ids[k], hold->id) != 0)
        k++;
      g_string_append_printf (text, "%s%c", i ? " " : "", ids[k] ? 'A' + k : '?');
    }
  return g_string_free (text, FALSE);
}
