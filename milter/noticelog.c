/*
 * noticelog.c: notices already sent, by sender, thread and rule
 * (noticelog.h).  One table, (sender, thread, rule) -> last time; rows
 * older than a window are useless and are pruned now and then.
 */
#include "config.h"

#include <sqlite3.h>

#include "durable.h"
#include "log.h"
#include "noticelog.h"
#include "policy.h"

/* Rows older than this are deleted (longer than any repeat-hours). */
#define PRUNE_AFTER (G_GINT64_CONSTANT (91) * 24 * 3600)

struct _CmNoticeLog {
  sqlite3 *db;
  char *path;
  GMutex lock;     /* one statement at a time on the one connection */
  guint claims;    /* prune every so many claims */
};

void
cm_noticelog_close (CmNoticeLog *log)
{
  if (log == NULL)
    return;
  sqlite3_close (log->db);
  g_mutex_clear (&log->lock);
  g_free (log->path);
  g_free (log);
}

CmNoticeLog *
cm_noticelog_open (const char *path, GError **error)
{
  g_autoptr (CmNoticeLog) log = g_new0 (CmNoticeLog, 1);
  g_mutex_init (&log->lock);
  log->path = g_strdup (path);
  char *message = NULL;
  /* 0600 whatever the umask: it names who was told about what. */
  if (!cm_durable_private_db (path, error))
    return NULL;
  if (sqlite3_open_v2 (path, &log->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX,
                       NULL) != SQLITE_OK
      || sqlite3_busy_timeout (log->db, 5000) != SQLITE_OK
      || sqlite3_exec (log->db,
                       "PRAGMA journal_mode=WAL;"
                       "CREATE TABLE IF NOT EXISTS noticed (sender TEXT NOT NULL, thread TEXT NOT NULL,"
                       " rule TEXT NOT NULL, at INTEGER NOT NULL, PRIMARY KEY (sender, thread, rule));",
                       NULL, NULL, &message) != SQLITE_OK)
    {
      g_set_error (error, CM_ERROR, CM_ERROR_IO, "opening %s: %s", path,
                   message ? message : (log->db ? sqlite3_errmsg (log->db) : "out of memory"));
      sqlite3_free (message);
      return NULL;
    }
  return g_steal_pointer (&log);
}

/* When did SENDER last get a notice about RULE in THREAD?  0: never. */
static gint64
last_noticed (CmNoticeLog *log, const char *sender, const char *thread, const char *rule)
{
  sqlite3_stmt *statement = NULL;
  gint64 at = 0;
  if (sqlite3_prepare_v2 (log->db, "SELECT at FROM noticed WHERE sender = ? AND thread = ? AND rule = ?",
                          -1, &statement, NULL) == SQLITE_OK)
    {
      sqlite3_bind_text (statement, 1, sender, -1, SQLITE_STATIC);
      sqlite3_bind_text (statement, 2, thread, -1, SQLITE_STATIC);
      sqlite3_bind_text (statement, 3, rule, -1, SQLITE_STATIC);
      if (sqlite3_step (statement) == SQLITE_ROW)
        at = sqlite3_column_int64 (statement, 0);
    }
  sqlite3_finalize (statement);
  return at;
}

static gboolean
record (CmNoticeLog *log, const char *sender, const char *thread, const char *rule, gint64 now)
{
  sqlite3_stmt *statement = NULL;
  gboolean ok = sqlite3_prepare_v2 (log->db, "INSERT OR REPLACE INTO noticed VALUES (?, ?, ?, ?)", -1,
                                    &statement, NULL) == SQLITE_OK;
  if (ok)
    {
      sqlite3_bind_text (statement, 1, sender, -1, SQLITE_STATIC);
      sqlite3_bind_text (statement, 2, thread, -1, SQLITE_STATIC);
      sqlite3_bind_text (statement, 3, rule, -1, SQLITE_STATIC);
      sqlite3_bind_int64 (statement, 4, now);
      ok = sqlite3_step (statement) == SQLITE_DONE;
    }
  sqlite3_finalize (statement);
  if (!ok)
    cm_log (LOG_WARNING, "%s: cannot record a notice: %s", log->path, sqlite3_errmsg (log->db));
  return ok;
}

static void
prune (CmNoticeLog *log, gint64 now)
{
  sqlite3_stmt *statement = NULL;
  if (sqlite3_prepare_v2 (log->db, "DELETE FROM noticed WHERE at < ?", -1, &statement, NULL) == SQLITE_OK)
    {
      sqlite3_bind_int64 (statement, 1, now - PRUNE_AFTER);
      sqlite3_step (statement);
    }
  sqlite3_finalize (statement);
}

GPtrArray *
cm_noticelog_claim (CmNoticeLog *log, const char *sender, const char *thread,
                    const char *const *rules, gint64 now, gint64 window)
{
  GPtrArray *fresh = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *who = g_ascii_strdown (sender, -1);
  g_mutex_lock (&log->lock);
  for (guint i = 0; rules[i]; i++)
    {
      if (thread && window > 0)
        {
          gint64 last = last_noticed (log, who, thread, rules[i]);
          if (last > 0 && last > now - window)
            continue;
        }
      if (thread)
        record (log, who, thread, rules[i], now);
      g_ptr_array_add (fresh, g_strdup (rules[i]));
    }
  if (++log->claims % 256 == 0)
    prune (log, now);
  g_mutex_unlock (&log->lock);
  return fresh;
}
