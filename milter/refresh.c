/*
 * refresh.c: the directory refresh thread (refresh.h).  Each round takes
 * the configuration in force, as a message does, so a reload that turns
 * LDAP on or off, or changes refresh-minutes, is picked up at the next
 * round.  The read itself may take seconds (a slow or unreachable
 * server, a large directory); it runs here alone, never on a message's
 * way, and messages keep deciding with the directory in force meanwhile.
 */
#include "config.h"

#include "log.h"
#include "refresh.h"
#include "reload.h"
#include "settings.h"

/* How often the thread looks at the configuration in force, so that a
 * reload that shortens refresh-minutes does not wait out the old one. */
#define LOOK_SECONDS 60

struct _CmRefresh {
  GMutex lock;
  GCond wake;
  gboolean stopping;  /* guarded by lock */
  gint64 next_read;   /* monotonic time of the next read; the thread's own */
  GThread *thread;
};

/* Read the directory again and swap it in; log what came of it. */
static void
read_and_swap (const CmConfig *config)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *outcome = NULL;
  gint64 started = g_get_monotonic_time ();
  if (cm_config_refresh_directory (config, &outcome, &error))
    {
      double seconds = (g_get_monotonic_time () - started) / 1e6;
      /* The snapshot is written; a reload builds the configuration on it.
       * If the reload is refused (it says why), the snapshot is still the
       * next start's and the next good reload's. */
      if (cm_reload_now ())
        cm_log (LOG_INFO, "directory refreshed in %.1f s: %s", seconds, outcome);
      else
        cm_log (LOG_WARNING, "directory read in %.1f s (%s) and its snapshot written, but not swapped in",
                seconds, outcome);
      return;
    }
  if (error == NULL)
    return; /* the key file: nothing to read */
  g_autofree char *age = cm_config_directory_age (config);
  cm_log (LOG_WARNING, "directory refresh failed, still deciding with the directory %s: %s",
          age ? age : "in force", error->message);
}

/* One round: a read when one is due.  The interval is the configuration
 * in force's; 0 turns refreshing off. */
static void
round_once (CmRefresh *refresh)
{
  g_autoptr (CmConfig) config = cm_reload_current ();
  if (config == NULL)
    return;
  gint64 minutes = cm_config_refresh_minutes (config);
  gint64 now = g_get_monotonic_time ();
  if (minutes == 0 || now < refresh->next_read)
    return;
  refresh->next_read = now + minutes * G_TIME_SPAN_MINUTE;
  read_and_swap (config);
}

static gpointer
run (gpointer data)
{
  CmRefresh *refresh = data;
  g_mutex_lock (&refresh->lock);
  while (!refresh->stopping)
    {
      g_mutex_unlock (&refresh->lock);
      round_once (refresh);
      g_mutex_lock (&refresh->lock);
      gint64 now = g_get_monotonic_time ();
      gint64 until = now + LOOK_SECONDS * G_TIME_SPAN_SECOND;
      if (refresh->next_read > now && refresh->next_read < until)
        until = refresh->next_read;
      while (!refresh->stopping && g_cond_wait_until (&refresh->wake, &refresh->lock, until))
        ;
    }
  g_mutex_unlock (&refresh->lock);
  return NULL;
}

CmRefresh *
cm_refresh_start (void)
{
  CmRefresh *refresh = g_new0 (CmRefresh, 1);
  g_mutex_init (&refresh->lock);
  g_cond_init (&refresh->wake);
  /* The first read at once: the snapshot the daemon started with may be
   * old, and if the server is down the log says so, and how old it is. */
  refresh->next_read = g_get_monotonic_time ();
  refresh->thread = g_thread_new ("directory-refresh", run, refresh);
  return refresh;
}

void
cm_refresh_stop (CmRefresh *refresh)
{
  if (refresh == NULL)
    return;
  g_mutex_lock (&refresh->lock);
  refresh->stopping = TRUE;
  g_cond_signal (&refresh->wake);
  g_mutex_unlock (&refresh->lock);
  g_thread_join (refresh->thread);
  g_mutex_clear (&refresh->lock);
  g_cond_clear (&refresh->wake);
  g_free (refresh);
}
