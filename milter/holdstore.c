/*
 * holdstore.c: the spool of held mail and its index (holdstore.h).  A
 * message is written to tmp/, fsync'd, linked into held/ (link, unlike
 * rename, never replaces a message whose id another process picked too),
 * held/ is fsync'd, and only then is the record indexed; a failed step
 * removes what was written.  The index is SQLite (WAL, synchronous=FULL);
 * changes run in BEGIN IMMEDIATE transactions, and decisions are
 * conditional UPDATEs, so each happens once however many threads and
 * processes race.  A store's one connection is serialised by its mutex.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>
#include <gio/gio.h>
#include <glib/gstdio.h>
#include <sqlite3.h>

#include "durable.h"
#include "holdmark.h"
#include "holdstore.h"
#include "holdstore-private.h"

#define SCHEMA_VERSION 3
#define BUSY_TIMEOUT_MS 5000
#define ID_ATTEMPTS 16
#define COPY_CHUNK (64 * 1024)

G_DEFINE_AUTOPTR_CLEANUP_FUNC (sqlite3_stmt, sqlite3_finalize)

/* The columns of a CmHold, in the order hold_from_row() reads them. */
#define HOLD_COLUMNS "id, state, held_at, queue_id, sender, recipients, sender_role, subject, " \
  "rules, clauses, verdict_json, explanation, explained_at, decided_at, decided_by, decision_note, " \
  "escalated, release_used, body_digest"

/* Version 3 of the index.  Recipients and rules are kept one to a line;
 * body_digest (holdmark.h, added in version 2) binds the release mark;
 * an event's who_kind (added in version 3) says what kind of name its
 * who is (CmHoldActor), NULL for the events recorded before. */
static const char schema_sql[] =
  "CREATE TABLE holds (id TEXT PRIMARY KEY,"
  "  state TEXT NOT NULL CHECK (state IN ('held', 'released', 'rejected', 'withdrawn', 'expired')),"
  "  held_at INTEGER NOT NULL, queue_id TEXT, sender TEXT NOT NULL, recipients TEXT NOT NULL,"
  "  sender_role TEXT, subject TEXT, rules TEXT NOT NULL, clauses TEXT, verdict_json TEXT,"
  "  explanation TEXT, explained_at INTEGER NOT NULL DEFAULT 0,"
  "  decided_at INTEGER NOT NULL DEFAULT 0, decided_by TEXT, decision_note TEXT,"
  "  escalated INTEGER NOT NULL DEFAULT 0, release_used INTEGER NOT NULL DEFAULT 0,"
  "  body_digest TEXT);"
  "CREATE INDEX holds_state ON holds (state, held_at);"
  "CREATE INDEX holds_held_at ON holds (held_at);"
  "CREATE TABLE events (seq INTEGER PRIMARY KEY, hold_id TEXT NOT NULL, at INTEGER NOT NULL,"
  "  who TEXT NOT NULL, what TEXT NOT NULL, note TEXT, who_kind TEXT);"
  "CREATE INDEX events_hold ON events (hold_id, seq);"
  "PRAGMA user_version = " G_STRINGIFY (SCHEMA_VERSION) ";";

/* The error domain of the hold store. */
G_DEFINE_QUARK (cm-hold-error-quark, cm_hold_error)

/* Set ERROR to DOMAIN, CODE and the message FORMAT... and return FALSE. */
G_GNUC_PRINTF (4, 5) static gboolean
fail (GError **error, GQuark domain, int code, const char *format, ...)
{
  va_list args;
  va_start (args, format);
  g_autofree char *message = g_strdup_vprintf (format, args);
  va_end (args);
  g_set_error_literal (error, domain, code, message);
  return FALSE;
}

/* Set ERROR to "FORMAT...: the reason for errno SAVED" and return FALSE. */
G_GNUC_PRINTF (3, 4) static gboolean
io_fail (GError **error, int saved, const char *format, ...)
{
  va_list args;
  va_start (args, format);
  g_autofree char *doing = g_strdup_vprintf (format, args);
  va_end (args);
  return fail (error, CM_HOLD_ERROR, CM_HOLD_ERROR_IO, "%s: %s", doing, g_strerror (saved));
}

/* Fill BUFFER with LENGTH random bytes: at most 256, which getrandom(2)
 * gives whole, without EINTR, once the kernel's pool is seeded. */
static gboolean
random_bytes (guint8 *buffer, gsize length, GError **error)
{
  if (getrandom (buffer, length, 0) != (ssize_t) length)
    return io_fail (error, errno, "reading random bytes (getrandom)");
  return TRUE;
}

/* durable.c's result: its G_FILE_ERROR LOCAL becomes the store's I/O
 * error (none when it failed on an error already set). */
static gboolean
as_store_error (gboolean ok, GError *local, GError **error)
{
  if (local)
    {
      g_set_error_literal (error, CM_HOLD_ERROR, CM_HOLD_ERROR_IO, local->message);
      g_error_free (local);
    }
  return ok;
}

static gboolean
write_all (int fd, const guint8 *data, gsize length, const char *path, GError **error)
{
  GError *local = NULL;
  gboolean done = cm_durable_write_all (fd, data, length, path, &local);
  return as_store_error (done, local, error);
}

static gboolean
sync_and_close (int fd, const char *path, gboolean ok, GError **error)
{
  GError *local = NULL;
  gboolean done = cm_durable_finish (fd, path, ok, &local);
  return as_store_error (done, local, error);
}

static gboolean
sync_dir (const char *path, GError **error)
{
  GError *local = NULL;
  gboolean done = cm_durable_sync_dir (path, &local);
  return as_store_error (done, local, error);
}

/* Read the spool's secret into STORE, creating it when missing. */
static gboolean
load_secret (CmHoldStore *store, GError **error)
{
  GError *local = NULL;
  gboolean done = cm_durable_key (store->spool, "secret", store->secret, SECRET_SIZE, &local);
  return as_store_error (done, local, error);
}

/* Set ERROR to the connection's last failure while DOING, naming the index; FALSE. */
static gboolean
db_fail (CmHoldStore *store, const char *doing, GError **error)
{
  return fail (error, CM_HOLD_ERROR, CM_HOLD_ERROR_IO, "%s: %s: %s", store->index_path, doing,
               sqlite3_errmsg (store->db));
}

/* Run SQL, fixed text without parameters (BEGIN IMMEDIATE, COMMIT, a pragma, the schema). */
static gboolean
exec_sql (CmHoldStore *store, const char *sql, const char *doing, GError **error)
{
  char *message = NULL;
  gboolean ok = sqlite3_exec (store->db, sql, NULL, NULL, &message) == SQLITE_OK;
  if (!ok)
    fail (error, CM_HOLD_ERROR, CM_HOLD_ERROR_IO, "%s: %s: %s", store->index_path, doing,
          message ? message : sqlite3_errmsg (store->db));
  sqlite3_free (message);
  return ok;
}

/* End the transaction: commit it when OK, else roll it back. */
static gboolean
finish (CmHoldStore *store, gboolean ok, const char *doing, GError **error)
{
  if (ok && exec_sql (store, "COMMIT", doing, error))
    return TRUE;
  sqlite3_exec (store->db, "ROLLBACK", NULL, NULL, NULL);
  return FALSE;
}

/* Prepare TEXT and bind its parameters in order from ARGS, as TYPES
 * says: 's' a string (NULL for SQL NULL), 'i' a gint64, 'b' a gboolean.
 * With ROWS, the statement goes there to be stepped; without, it is run
 * and the number of rows it changed goes to *CHANGES (when not NULL). */
static gboolean
sql_va (CmHoldStore *store, const char *doing, GError **error, sqlite3_stmt **rows, int *changes,
        const char *text, const char *types, va_list args)
{
  g_autoptr (sqlite3_stmt) stmt = NULL;
  int rc = sqlite3_prepare_v2 (store->db, text, -1, &stmt, NULL);
  for (int i = 0; rc == SQLITE_OK && types[i]; i++)
    if (types[i] == 's')
      rc = sqlite3_bind_text (stmt, i + 1, va_arg (args, const char *), -1, SQLITE_TRANSIENT);
    else if (types[i] == 'i')
      rc = sqlite3_bind_int64 (stmt, i + 1, va_arg (args, gint64));
    else
      rc = sqlite3_bind_int (stmt, i + 1, va_arg (args, gboolean) ? 1 : 0);
  if (rc == SQLITE_OK && rows == NULL)
    rc = sqlite3_step (stmt) == SQLITE_DONE ? SQLITE_OK : SQLITE_ERROR;
  if (rc != SQLITE_OK)
    return db_fail (store, doing, error);
  if (rows)
    *rows = g_steal_pointer (&stmt);
  else if (changes)
    *changes = sqlite3_changes (store->db);
  return TRUE;
}

/* sql_va() with the arguments given directly. */
static gboolean
sql (CmHoldStore *store, const char *doing, GError **error, sqlite3_stmt **rows, int *changes,
     const char *text, const char *types, ...)
{
  va_list args;
  va_start (args, types);
  gboolean ok = sql_va (store, doing, error, rows, changes, text, types, args);
  va_end (args);
  return ok;
}

/* The text of COLUMN of STMT's current row, copied, or NULL. */
static char *
column_dup (sqlite3_stmt *stmt, int column)
{
  const unsigned char *text = sqlite3_column_text (stmt, column);
  return text ? g_strdup ((const char *) text) : NULL;
}

/* The value of the single row and column SQL (no parameters) returns, as text. */
static char *
query_value (CmHoldStore *store, const char *text, const char *doing, GError **error)
{
  g_autoptr (sqlite3_stmt) stmt = NULL;
  if (!sql (store, doing, error, &stmt, NULL, text, ""))
    return NULL;
  if (sqlite3_step (stmt) == SQLITE_ROW)
    return column_dup (stmt, 0);
  db_fail (store, doing, error);
  return NULL;
}

/* The filter itself, or a scheduled job, in the audit trail. */
static const CmHoldActor filter_actor = { "council-milter", CM_HOLD_ACTOR_SYSTEM };

/* Add an event of WHO to the audit trail of hold ID, which must exist. */
static gboolean
insert_event (CmHoldStore *store, const char *id, gint64 at, const CmHoldActor *who, const char *what,
              const char *note, const char *doing, GError **error)
{
  int changes = 0;
  if (!sql (store, doing, error, NULL, &changes,
            "INSERT INTO events (hold_id, at, who, what, note, who_kind) SELECT ?1, ?2, ?3, ?4, ?5, ?6"
            " WHERE EXISTS (SELECT 1 FROM holds WHERE id = ?1)",
            "sissss", id, at, who->name, what, note, who->kind))
    return FALSE;
  return changes > 0
         || fail (error, CM_HOLD_ERROR, CM_HOLD_ERROR_NOT_FOUND, "no held message has the id %s", id);
}

/* Put the schema in place, or check the one there, in one transaction. */
static gboolean
migrate (CmHoldStore *store, GError **error)
{
  const char *doing = "checking the schema";
  if (!exec_sql (store, "BEGIN IMMEDIATE", doing, error))
    return FALSE;
  g_autofree char *text = query_value (store, "PRAGMA user_version", doing, error);
  gint64 version = text ? g_ascii_strtoll (text, NULL, 10) : 0;
  gboolean ok = text != NULL;
  if (ok && version == 0)
    ok = exec_sql (store, schema_sql, "creating the tables", error);
  else if (ok && version > SCHEMA_VERSION)
    ok = fail (error, CM_HOLD_ERROR, CM_HOLD_ERROR_IO,
               "%s: schema version %" G_GINT64_FORMAT " is newer than this program's (%d); "
               "use the council-milter that wrote it", store->index_path, version, SCHEMA_VERSION);
  else if (ok && version < SCHEMA_VERSION)
    /* Holds kept before version 2 are bound when released (see
     * kept_digest); events before version 3 have no kind of who. */
    ok = (version >= 2 || exec_sql (store, "ALTER TABLE holds ADD COLUMN body_digest TEXT", doing, error))
         && exec_sql (store, "ALTER TABLE events ADD COLUMN who_kind TEXT;"
                             "PRAGMA user_version = " G_STRINGIFY (SCHEMA_VERSION) ";", doing, error);
  return finish (store, ok, doing, error);
}

/* Open the index (0600 whatever the umask), in WAL mode with full syncs,
 * and check its schema. */
static gboolean
open_index (CmHoldStore *store, GError **error)
{
  GError *local = NULL;
  gboolean private = cm_durable_private_db (store->index_path, &local);
  if (!as_store_error (private, local, error))
    return FALSE;
  int rc = sqlite3_open_v2 (store->index_path, &store->db,
                            SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL);
  if (rc != SQLITE_OK)
    return fail (error, CM_HOLD_ERROR, CM_HOLD_ERROR_IO, "opening %s: %s", store->index_path,
                 store->db ? sqlite3_errmsg (store->db) : sqlite3_errstr (rc));
  sqlite3_busy_timeout (store->db, BUSY_TIMEOUT_MS);
  const char *doing = "switching to a WAL journal";
  g_autofree char *mode = query_value (store, "PRAGMA journal_mode = WAL", doing, error);
  if (mode == NULL)
    return FALSE;
  if (g_ascii_strcasecmp (mode, "wal") != 0)
    return fail (error, CM_HOLD_ERROR, CM_HOLD_ERROR_IO,
                 "%s: %s: the journal stayed in %s mode (is the spool on a network file system?)",
                 store->index_path, doing, mode);
  return exec_sql (store, "PRAGMA synchronous = FULL", "setting synchronous=FULL", error)
         && migrate (store, error);
}

/* Open the spool at SPOOL, creating what is missing. */
CmHoldStore *
cm_holdstore_open (const char *spool, GError **error)
{
  g_return_val_if_fail (spool != NULL, NULL);
  g_autoptr (CmHoldStore) store = g_new0 (CmHoldStore, 1);
  g_mutex_init (&store->lock);
  /* Absolute: the daemon changes to / when it goes into the background. */
  store->spool = g_canonicalize_filename (spool, NULL);
  store->held_dir = g_build_filename (store->spool, "held", NULL);
  store->tmp_dir = g_build_filename (store->spool, "tmp", NULL);
  store->index_path = g_build_filename (store->spool, "index.sqlite", NULL);
  const char *const dirs[] = { store->spool, store->held_dir, store->tmp_dir };
  for (guint i = 0; i < G_N_ELEMENTS (dirs); i++)
    {
      GError *local = NULL;
      gboolean made = cm_durable_private_dir (dirs[i], &local);
      if (!as_store_error (made, local, error))
        return NULL;
    }
  if (!load_secret (store, error) || !open_index (store, error))
    return NULL;
  return g_steal_pointer (&store);
}

/* Close the index and free STORE. */
void
cm_holdstore_close (CmHoldStore *store)
{
  if (store == NULL)
    return;
  sqlite3_close (store->db);
  memset (store->secret, 0, sizeof store->secret);
  g_mutex_clear (&store->lock);
  g_free (store->spool);
  g_free (store->held_dir);
  g_free (store->tmp_dir);
  g_free (store->index_path);
  g_free (store);
}

/* The lines of COLUMN as a NULL-terminated array (empty for ""). */
static char **
column_lines (sqlite3_stmt *stmt, int column)
{
  const char *text = (const char *) sqlite3_column_text (stmt, column);
  return g_strsplit (text ? text : "", "\n", -1);
}

/* The CmHold in the current row of a SELECT of HOLD_COLUMNS. */
static gpointer
hold_from_row (sqlite3_stmt *stmt)
{
  CmHold *hold = g_new0 (CmHold, 1);
  hold->id = column_dup (stmt, 0);
  cm_hold_state_parse ((const char *) sqlite3_column_text (stmt, 1), &hold->state);
  hold->held_at = sqlite3_column_int64 (stmt, 2);
  hold->queue_id = column_dup (stmt, 3);
  hold->sender = column_dup (stmt, 4);
  hold->recipients = column_lines (stmt, 5);
  hold->sender_role = column_dup (stmt, 6);
  hold->subject = column_dup (stmt, 7);
  hold->rules = column_lines (stmt, 8);
  hold->clauses = column_dup (stmt, 9);
  hold->verdict_json = column_dup (stmt, 10);
  hold->explanation = column_dup (stmt, 11);
  hold->explained_at = sqlite3_column_int64 (stmt, 12);
  hold->decided_at = sqlite3_column_int64 (stmt, 13);
  hold->decided_by = column_dup (stmt, 14);
  hold->decision_note = column_dup (stmt, 15);
  hold->escalated = sqlite3_column_int (stmt, 16) != 0;
  hold->release_used = sqlite3_column_int (stmt, 17) != 0;
  hold->body_digest = column_dup (stmt, 18);
  return hold;
}

/* The CmHoldEvent in the current row of a SELECT of at, hold_id, who, what, note, who_kind. */
static gpointer
event_from_row (sqlite3_stmt *stmt)
{
  CmHoldEvent *event = g_new0 (CmHoldEvent, 1);
  event->at = sqlite3_column_int64 (stmt, 0);
  event->hold_id = column_dup (stmt, 1);
  event->who = column_dup (stmt, 2);
  event->what = column_dup (stmt, 3);
  event->note = column_dup (stmt, 4);
  event->who_kind = column_dup (stmt, 5);
  return event;
}

/* Every row of STMT (may be NULL after a failed prepare), made by FROM_ROW. */
static GPtrArray *
collect (CmHoldStore *store, sqlite3_stmt *stmt, gpointer (*from_row) (sqlite3_stmt *),
         GDestroyNotify free_row, const char *doing, GError **error)
{
  if (stmt == NULL)
    return NULL;
  g_autoptr (GPtrArray) rows = g_ptr_array_new_with_free_func (free_row);
  int rc;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (rows, from_row (stmt));
  if (rc != SQLITE_DONE)
    {
      db_fail (store, doing, error);
      return NULL;
    }
  return g_steal_pointer (&rows);
}

/* The record of hold ID; the caller holds the lock. */
static CmHold *
load_hold (CmHoldStore *store, const char *id, GError **error)
{
  g_autofree char *doing = g_strdup_printf ("reading %s", id);
  g_autoptr (sqlite3_stmt) stmt = NULL;
  if (!sql (store, doing, error, &stmt, NULL, "SELECT " HOLD_COLUMNS " FROM holds WHERE id = ?", "s", id))
    return NULL;
  int rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    return hold_from_row (stmt);
  if (rc == SQLITE_DONE)
    fail (error, CM_HOLD_ERROR, CM_HOLD_ERROR_NOT_FOUND, "no held message has the id %s", id);
  else
    db_fail (store, doing, error);
  return NULL;
}

/* After a conditional UPDATE of hold ID changed nothing: set ERROR to why.
 * CODE (or NOT_FOUND) after PREFIX; for CM_HOLD_ERROR_TOKEN always that
 * code, saying whether the marker was used already or is not released. */
static void
refuse (CmHoldStore *store, const char *id, CmHoldErrorCode code, const char *prefix, GError **error)
{
  g_autoptr (GError) local = NULL;
  g_autoptr (CmHold) hold = load_hold (store, id, &local);
  if (hold == NULL && (code != CM_HOLD_ERROR_TOKEN || local->code != CM_HOLD_ERROR_NOT_FOUND))
    {
      g_propagate_prefixed_error (error, g_steal_pointer (&local), "%s", prefix);
      return;
    }
  g_autofree char *state = hold ? cm_hold_describe (hold) : g_strdup (local->message);
  if (code == CM_HOLD_ERROR_TOKEN)
    prefix = hold && hold->release_used ? "the release marker was used already: "
                                        : "the release marker was refused, not released: ";
  g_set_error (error, CM_HOLD_ERROR, code, "%s%s", prefix, state);
}

/* The entries of LIST (NULL-terminated, or NULL) joined with SEPARATOR. */
static char *
join (char **list, const char *separator)
{
  return list ? g_strjoinv (separator, list) : g_strdup ("");
}

/* Can the entries of LIST be kept one to a line (none empty, none with a line break)? */
static gboolean
check_lines (char **list, const char *what, GError **error)
{
  for (guint i = 0; list && list[i]; i++)
    if (list[i][0] == '\0' || strchr (list[i], '\n'))
      return fail (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "cannot hold a message with the %s \"%s\": it is empty or has a line break",
                   what, list[i]);
  return TRUE;
}

/* A fresh hold id for time NOW: "YYYYMMDD-HHMMSS-" (UTC) and 24 random bits in hex. */
static char *
new_id (gint64 now, GError **error)
{
  guint8 random[3];
  if (!random_bytes (random, sizeof random, error))
    return NULL;
  g_autoptr (GDateTime) when = g_date_time_new_from_unix_utc (now);
  g_autofree char *stamp = g_date_time_format (when, "%Y%m%d-%H%M%S");
  return g_strdup_printf ("%s-%02x%02x%02x", stamp, random[0], random[1], random[2]);
}

/* Copy MESSAGE from its position to its end into FD, the file PATH,
 * passing it through DIGEST too. */
static gboolean
copy_stream (GMimeStream *message, int fd, const char *path, CmBodyDigest *digest, GError **error)
{
  g_autofree char *buffer = g_malloc (COPY_CHUNK);
  while (!g_mime_stream_eos (message))
    {
      errno = 0;
      gssize n = g_mime_stream_read (message, buffer, COPY_CHUNK);
      if (n < 0)
        return fail (error, CM_HOLD_ERROR, CM_HOLD_ERROR_IO, "reading the message for %s: %s", path,
                     errno ? g_strerror (errno) : "the stream failed");
      if (!write_all (fd, (const guint8 *) buffer, (gsize) n, path, error))
        return FALSE;
      cm_body_digest_update (digest, (const guint8 *) buffer, (gsize) n);
    }
  return TRUE;
}

/* Index hold ID of RECORD, held since NOW, with its "held" event (and a
 * "recovered" one with RECOVERED, when not NULL), in one transaction: the
 * stored record, or NULL.  RECORD's body_digest is kept. */
static CmHold *
index_hold (CmHoldStore *store, const CmHold *record, const char *id, gint64 now,
            const char *recovered, GError **error)
{
  g_autofree char *doing = g_strdup_printf ("indexing %s", id);
  g_autofree char *recipients = join (record->recipients, "\n");
  g_autofree char *rules = join (record->rules, "\n");
  g_autofree char *rule_list = join (record->rules, ", ");
  g_autoptr (GMutexLocker) locker = g_mutex_locker_new (&store->lock);
  gboolean ok = exec_sql (store, "BEGIN IMMEDIATE", doing, error)
    && sql (store, doing, error, NULL, NULL,
            "INSERT INTO holds (id, state, held_at, queue_id, sender, recipients, sender_role, subject,"
            " rules, clauses, verdict_json, explanation, explained_at, body_digest)"
            " VALUES (?, 'held', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            "sisssssssssis", id, now, record->queue_id, record->sender ? record->sender : "",
            recipients, record->sender_role, record->subject, rules, record->clauses,
            record->verdict_json, record->explanation,
            record->explanation ? record->explained_at : (gint64) 0, record->body_digest)
    && insert_event (store, id, now, &filter_actor, "held", rule_list[0] ? rule_list : NULL,
                     doing, error)
    && (recovered == NULL
        || insert_event (store, id, g_get_real_time () / G_USEC_PER_SEC, &filter_actor,
                         "recovered", recovered, doing, error));
  g_autoptr (CmHold) hold = ok ? load_hold (store, id, error) : NULL;
  return finish (store, hold != NULL, doing, error) ? g_steal_pointer (&hold) : NULL;
}

/* Link the written message TMP_PATH into held/ as hold ID and index it;
 * on failure nothing is left.  *TAKEN (no error): held/ has that id. */
static CmHold *
place (CmHoldStore *store, const CmHold *record, const char *id, gint64 now, const char *tmp_path,
       gboolean *taken, GError **error)
{
  g_autofree char *held_path = cm_holdstore_message_path (store, id);
  /* link() fails on an existing file where rename() would replace it. */
  if (link (tmp_path, held_path) != 0)
    {
      *taken = errno == EEXIST;
      if (!*taken)
        io_fail (error, errno, "moving %s to %s", tmp_path, held_path);
      return NULL;
    }
  *taken = FALSE;
  CmHold *hold = NULL;
  if (sync_dir (store->held_dir, error))
    hold = index_hold (store, record, id, now, NULL, error);
  if (hold == NULL)
    {
      g_unlink (held_path);
      sync_dir (store->held_dir, NULL);
    }
  return hold;
}

/* Keep MESSAGE with RECORD: the file in held/, then the record in the index. */
CmHold *
cm_holdstore_put (CmHoldStore *store, const CmHold *record, GMimeStream *message, GError **error)
{
  g_return_val_if_fail (store != NULL && record != NULL && message != NULL, NULL);
  if (!check_lines (record->recipients, "recipient", error) || !check_lines (record->rules, "rule", error))
    return NULL;
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  g_autofree char *id = NULL;
  g_autofree char *tmp_path = NULL;
  int fd = -1;
  for (int attempt = 1; fd < 0; attempt++)
    {
      g_free (id);
      g_free (tmp_path);
      if ((id = new_id (now, error)) == NULL)
        return NULL;
      tmp_path = g_strdup_printf ("%s/%s.eml", store->tmp_dir, id);
      fd = open (tmp_path, O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, 0600);
      if (fd < 0 && (errno != EEXIST || attempt == ID_ATTEMPTS))
        {
          io_fail (error, errno, "creating %s", tmp_path);
          return NULL;
        }
    }
  g_autoptr (CmBodyDigest) digest = cm_body_digest_new (TRUE);
  gboolean ok = copy_stream (message, fd, tmp_path, digest, error);
  ok = sync_and_close (fd, tmp_path, ok, error);
  g_autofree char *body_digest = cm_body_digest_finish (g_steal_pointer (&digest));
  CmHold bound = *record;
  bound.body_digest = body_digest;
  CmHold *hold = NULL;
  gboolean taken = TRUE;
  for (int attempt = 1; ok && taken && attempt <= ID_ATTEMPTS; attempt++)
    {
      if (attempt > 1)
        {
          g_free (id);
          ok = (id = new_id (now, error)) != NULL;
        }
      hold = ok ? place (store, &bound, id, now, tmp_path, &taken, error) : NULL;
    }
  if (ok && taken)
    fail (error, CM_HOLD_ERROR, CM_HOLD_ERROR_IO, "%s: no free hold id in %d tries", store->spool,
          ID_ATTEMPTS);
  /* The message is in held/ now, or not kept at all. */
  g_unlink (tmp_path);
  return hold;
}

/* Index the message held/ID.eml, which has no record, as RECORD. */
CmHold *
cm_holdstore_adopt (CmHoldStore *store, const char *id, const CmHold *record, const char *why,
                    GError **error)
{
  g_return_val_if_fail (store != NULL && record != NULL && why != NULL, NULL);
  g_autofree char *path = cm_holdstore_message_path (store, id);
  if (path == NULL)
    return fail (error, CM_HOLD_ERROR, CM_HOLD_ERROR_NOT_FOUND, "\"%s\" is not a hold id", id), NULL;
  if (!check_lines (record->recipients, "recipient", error) || !check_lines (record->rules, "rule", error))
    return NULL;
  GError *local = NULL;
  g_autofree char *digest = cm_body_digest_file (path, &local);
  if (!as_store_error (digest != NULL, local, error))
    return NULL;
  CmHold bound = *record;
  bound.body_digest = digest;
  return index_hold (store, &bound, id, record->held_at, why, error);
}

/* The record of hold ID. */
CmHold *
cm_holdstore_get (CmHoldStore *store, const char *id, GError **error)
{
  g_return_val_if_fail (store != NULL && id != NULL, NULL);
  g_autoptr (GMutexLocker) locker = g_mutex_locker_new (&store->lock);
  return load_hold (store, id, error);
}

/* The holds FILTER (NULL: all) selects, oldest first. */
GPtrArray *
cm_holdstore_list (CmHoldStore *store, const CmHoldFilter *filter, GError **error)
{
  g_return_val_if_fail (store != NULL, NULL);
  static const CmHoldFilter all = { .any_state = TRUE };
  if (filter == NULL)
    filter = &all;
  const char *rule = filter->rule && filter->rule[0] ? filter->rule : NULL;
  const char *doing = "listing holds";
  g_autoptr (GMutexLocker) locker = g_mutex_locker_new (&store->lock);
  g_autoptr (sqlite3_stmt) stmt = NULL;
  sql (store, doing, error, &stmt, NULL,
       "SELECT " HOLD_COLUMNS " FROM holds WHERE (?1 OR state = ?2)"
       " AND (?3 IS NULL OR instr (lower (sender), lower (?3)) > 0)"
       " AND (?4 IS NULL OR (instr (?4, char (10)) = 0"
       "  AND instr (char (10) || rules || char (10), char (10) || ?4 || char (10)) > 0))"
       " AND (?5 = 0 OR held_at < ?5) AND (?6 = 0 OR held_at >= ?6)"
       " ORDER BY held_at, rowid",
       "bsssii", filter->any_state, cm_hold_state_name (filter->state), filter->sender, rule,
       filter->held_before, filter->held_since);
  return collect (store, stmt, hold_from_row, (GDestroyNotify) cm_hold_free, doing, error);
}

/* In one transaction: the UPDATE TEXT of hold ID (its parameters after
 * TYPES), conditional on the hold's state, then the event WHO WHAT NOTE.
 * When the UPDATE changed nothing, refuse() with CODE and PREFIX.  DOING
 * and ID name the operation in error messages. */
static gboolean
transition (CmHoldStore *store, const char *doing, const char *id, CmHoldErrorCode code,
            const char *prefix, const CmHoldActor *who, const char *what, const char *note,
            GError **error, const char *text, const char *types, ...)
{
  g_autofree char *context = g_strdup_printf ("%s %s", doing, id);
  g_autoptr (GMutexLocker) locker = g_mutex_locker_new (&store->lock);
  if (!exec_sql (store, "BEGIN IMMEDIATE", context, error))
    return FALSE;
  int changes = 0;
  va_list args;
  va_start (args, types);
  gboolean ok = sql_va (store, context, error, NULL, &changes, text, types, args);
  va_end (args);
  if (ok && changes == 0)
    {
      refuse (store, id, code, prefix, error);
      ok = FALSE;
    }
  ok = ok && insert_event (store, id, g_get_real_time () / G_USEC_PER_SEC, who, what, note, context,
                          error);
  return finish (store, ok, context, error);
}

/* HELD becomes STATE, once, with an event of WHO (a name of no recorded kind). */
gboolean
cm_holdstore_decide (CmHoldStore *store, const char *id, CmHoldState state, const char *who,
                     const char *note, GError **error)
{
  const CmHoldActor actor = { who, NULL };
  return cm_holdstore_decide_by (store, id, state, &actor, note, error);
}

/* HELD becomes STATE, once, with an event of WHO. */
gboolean
cm_holdstore_decide_by (CmHoldStore *store, const char *id, CmHoldState state, const CmHoldActor *who,
                        const char *note, GError **error)
{
  g_return_val_if_fail (store != NULL && id != NULL && who != NULL && who->name != NULL, FALSE);
  const char *name = cm_hold_state_name (state);
  if (state == CM_HOLD_HELD || (guint) state > CM_HOLD_EXPIRED)
    return fail (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                 "deciding %s: \"%s\" is not a decision (released, rejected, withdrawn or expired)",
                 id, name);
  return transition (store, "deciding", id, CM_HOLD_ERROR_DECIDED, "", who, name, note, error,
                     "UPDATE holds SET state = ?, decided_at = ?, decided_by = ?, decision_note = ?"
                     " WHERE id = ? AND state = 'held'",
                     "sisss", name, g_get_real_time () / G_USEC_PER_SEC, who->name, note, id);
}

/* RELEASED (marker unused) becomes HELD again, with a "release-failed" event. */
gboolean
cm_holdstore_unrelease (CmHoldStore *store, const char *id, const char *why, GError **error)
{
  g_return_val_if_fail (store != NULL && id != NULL, FALSE);
  return transition (store, "undoing the release of", id, CM_HOLD_ERROR_DECIDED,
                     "cannot undo the release: ", &filter_actor, "release-failed", why, error,
                     "UPDATE holds SET state = 'held', decided_at = 0, decided_by = NULL,"
                     " decision_note = NULL WHERE id = ? AND state = 'released' AND release_used = 0",
                     "s", id);
}

/* Record the sender's explanation while the hold is HELD. */
gboolean
cm_holdstore_explain (CmHoldStore *store, const char *id, const char *text, GError **error)
{
  g_return_val_if_fail (store != NULL && id != NULL && text != NULL, FALSE);
  /* The sender, who explains (by mail), never changes. */
  g_autoptr (CmHold) hold = cm_holdstore_get (store, id, error);
  if (hold == NULL)
    return FALSE;
  const CmHoldActor sender = { hold->sender[0] ? hold->sender : "<>", CM_HOLD_ACTOR_MAIL };
  return transition (store, "recording the explanation of", id, CM_HOLD_ERROR_DECIDED,
                     "too late to explain: ", &sender, "explained",
                     text, error,
                     "UPDATE holds SET explanation = ?, explained_at = ? WHERE id = ? AND state = 'held'",
                     "sis", text, g_get_real_time () / G_USEC_PER_SEC, id);
}

/* Mark a HELD hold as escalated to the deputy, with an event of WHO (no kind recorded). */
gboolean
cm_holdstore_escalate (CmHoldStore *store, const char *id, const char *who, const char *note,
                       GError **error)
{
  const CmHoldActor actor = { who, NULL };
  return cm_holdstore_escalate_by (store, id, &actor, note, error);
}

/* Mark a HELD hold as escalated to the deputy, with an event of WHO. */
gboolean
cm_holdstore_escalate_by (CmHoldStore *store, const char *id, const CmHoldActor *who, const char *note,
                          GError **error)
{
  g_return_val_if_fail (store != NULL && id != NULL && who != NULL && who->name != NULL, FALSE);
  return transition (store, "escalating", id, CM_HOLD_ERROR_DECIDED, "too late to escalate: ", who,
                     "escalated", note, error,
                     "UPDATE holds SET escalated = 1 WHERE id = ? AND state = 'held'", "s", id);
}

/* Add an event of WHO (no kind recorded) to the audit trail of an existing hold. */
gboolean
cm_holdstore_add_event (CmHoldStore *store, const char *id, const char *who, const char *what,
                        const char *note, GError **error)
{
  const CmHoldActor actor = { who, NULL };
  return cm_holdstore_add_event_by (store, id, &actor, what, note, error);
}

/* Add an event of WHO to the audit trail of an existing hold. */
gboolean
cm_holdstore_add_event_by (CmHoldStore *store, const char *id, const CmHoldActor *who, const char *what,
                           const char *note, GError **error)
{
  g_return_val_if_fail (store != NULL && id != NULL && who != NULL && who->name != NULL && what != NULL,
                        FALSE);
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  g_autofree char *doing = g_strdup_printf ("recording \"%s\" for %s", what, id);
  g_autoptr (GMutexLocker) locker = g_mutex_locker_new (&store->lock);
  return insert_event (store, id, now, who, what, note, doing, error);
}

/* The events of hold ID (NULL: of all) at or after SINCE, oldest first. */
GPtrArray *
cm_holdstore_events (CmHoldStore *store, const char *id, gint64 since, GError **error)
{
  g_return_val_if_fail (store != NULL, NULL);
  const char *doing = "reading the audit trail";
  g_autoptr (GMutexLocker) locker = g_mutex_locker_new (&store->lock);
  g_autoptr (sqlite3_stmt) stmt = NULL;
  sql (store, doing, error, &stmt, NULL,
       "SELECT at, hold_id, who, what, note, who_kind FROM events"
       " WHERE (?1 IS NULL OR hold_id = ?1) AND at >= ?2 ORDER BY seq",
       "si", id, since);
  return collect (store, stmt, event_from_row, (GDestroyNotify) cm_hold_event_free, doing, error);
}

/* Lower-case hex HMAC-SHA256 of "PURPOSE:ID" under the spool's secret. */
char *
cm_holdstore_token (CmHoldStore *store, const char *purpose, const char *id)
{
  g_return_val_if_fail (store != NULL && purpose != NULL && id != NULL, NULL);
  g_autofree char *data = g_strconcat (purpose, ":", id, NULL);
  return g_compute_hmac_for_string (G_CHECKSUM_SHA256, store->secret, sizeof store->secret, data, -1);
}

/* Does TOKEN verify for PURPOSE and ID?  Every character is compared. */
gboolean
cm_holdstore_token_valid (CmHoldStore *store, const char *purpose, const char *id, const char *token)
{
  g_return_val_if_fail (store != NULL, FALSE);
  if (purpose == NULL || id == NULL || token == NULL)
    return FALSE;
  g_autofree char *expected = cm_holdstore_token (store, purpose, id);
  gsize length = strlen (expected);
  if (strlen (token) != length)
    return FALSE;
  guint8 difference = 0;
  for (gsize i = 0; i < length; i++)
    difference |= (guint8) (expected[i] ^ token[i]);
  return difference == 0;
}

/* The body digest HOLD's message was kept with; for a hold kept before
 * digests were recorded, that of its file (re-injected from there). */
static char *
kept_digest (CmHoldStore *store, const CmHold *hold, GError **error)
{
  if (hold->body_digest)
    return g_strdup (hold->body_digest);
  g_autofree char *path = cm_holdstore_message_path (store, hold->id);
  GError *local = NULL;
  char *digest = cm_body_digest_file (path, &local);
  as_store_error (digest != NULL, local, error);
  return digest;
}

/* Honour a release marker once: TRUE for the first claim of a released
 * hold by the message it kept. */
gboolean
cm_holdstore_claim_release (CmHoldStore *store, const char *id, const char *token,
                            const CmHold *seen, GError **error)
{
  g_return_val_if_fail (store != NULL && id != NULL && seen != NULL, FALSE);
  if (!cm_holdstore_token_valid (store, "release", id, token))
    return fail (error, CM_HOLD_ERROR, CM_HOLD_ERROR_TOKEN,
                 "the release marker for %s has a forged token", id);
  g_autofree char *doing = g_strdup_printf ("claiming the release of %s", id);
  g_autoptr (GMutexLocker) locker = g_mutex_locker_new (&store->lock);
  if (!exec_sql (store, "BEGIN IMMEDIATE", doing, error))
    return FALSE;
  GError *local = NULL;
  g_autoptr (CmHold) hold = load_hold (store, id, &local);
  gboolean ok = hold && hold->state == CM_HOLD_RELEASED && !hold->release_used;
  if (hold == NULL && !g_error_matches (local, CM_HOLD_ERROR, CM_HOLD_ERROR_NOT_FOUND))
    g_propagate_error (error, local);
  else if (!ok)
    {
      g_clear_error (&local);
      refuse (store, id, CM_HOLD_ERROR_TOKEN, NULL, error);
    }
  g_autofree char *kept = ok ? kept_digest (store, hold, error) : NULL;
  ok = kept && cm_holdmark_matches (hold, kept, seen, error)
       && sql (store, doing, error, NULL, NULL, "UPDATE holds SET release_used = 1 WHERE id = ?", "s", id)
       && insert_event (store, id, g_get_real_time () / G_USEC_PER_SEC, &filter_actor,
                        "release-delivered", NULL, doing, error);
  return finish (store, ok, doing, error);
}
