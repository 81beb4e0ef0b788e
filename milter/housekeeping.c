/*
 * housekeeping.c: the background thread (housekeeping.h).  Each round
 * takes the configuration and the services in force, as a message does,
 * so a reload between rounds is simply picked up.
 */
#include "config.h"

#include "housekeeping.h"
#include "log.h"
#include "reload.h"
#include "settings.h"

#define ROUND_SECONDS 30

struct _CmHousekeeping {
  GMutex lock;
  GCond wake;
  gboolean stopping;  /* guarded by lock */
  GThread *thread;
};

/* One round: whatever is due in the outbox goes out. */
static void
round_once (void)
{
  g_autoptr (CmConfig) config = cm_reload_current ();
  g_autoptr (CmServices) services = cm_reload_services ();
  if (config == NULL || services == NULL)
    return;
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  gint64 max_age = cm_daemon_settings (config)->retry_days * 24 * 3600;
  CmOutboxCounts counts = cm_outbox_flush (services->outbox, cm_daemon_settings (config)->notify_smtp,
                                           now, max_age);
  if (counts.sent || counts.given_up)
    cm_log (LOG_INFO, "outbox: %u sent, %u still waiting, %u given up", counts.sent, counts.waiting,
            counts.given_up);
}

static gpointer
run (gpointer data)
{
  CmHousekeeping *keeper = data;
  g_mutex_lock (&keeper->lock);
  while (!keeper->stopping)
    {
      g_mutex_unlock (&keeper->lock);
      round_once ();
      g_mutex_lock (&keeper->lock);
      gint64 until = g_get_monotonic_time () + ROUND_SECONDS * G_TIME_SPAN_SECOND;
      while (!keeper->stopping && g_cond_wait_until (&keeper->wake, &keeper->lock, until))
        ;
    }
  g_mutex_unlock (&keeper->lock);
  return NULL;
}

CmHousekeeping *
cm_housekeeping_start (void)
{
  CmHousekeeping *keeper = g_new0 (CmHousekeeping, 1);
  g_mutex_init (&keeper->lock);
  g_cond_init (&keeper->wake);
  keeper->thread = g_thread_new ("housekeeping", run, keeper);
  return keeper;
}

void
cm_housekeeping_stop (CmHousekeeping *keeper)
{
  if (keeper == NULL)
    return;
  g_mutex_lock (&keeper->lock);
  keeper->stopping = TRUE;
  g_cond_signal (&keeper->wake);
  g_mutex_unlock (&keeper->lock);
  g_thread_join (keeper->thread);
  g_mutex_clear (&keeper->lock);
  g_cond_clear (&keeper->wake);
  g_free (keeper);
}
