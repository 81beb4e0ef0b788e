/*
 * reload.c: the reference-counted configuration snapshot and its reload
 * on SIGUSR1 (reload.h).  libmilter owns SIGHUP, SIGTERM and SIGINT; main
 * blocks SIGUSR1 before any thread starts, and one thread here waits for
 * it with sigwait(), so a reload never runs inside a signal handler.
 */
#include "config.h"

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <string.h>

#include "log.h"
#include "reload.h"
#include "settings.h"

static GMutex lock;
/* One reload at a time (SIGUSR1 and the directory refresh may ask
 * together); held while loading, so never taken by a message. */
static GMutex reloading;
static CmConfig *current; /* guarded by lock */
static CmServices *services; /* guarded by lock; NULL until opened */
static char *config_path; /* set once by cm_reload_init */

gboolean
cm_reload_init (const char *path, GError **error)
{
  CmConfig *config = cm_daemon_config_load (path, error);
  if (config == NULL)
    return FALSE;
  /* Absolute: the daemon changes to / when it goes into the background. */
  config_path = g_canonicalize_filename (path, NULL);
  g_mutex_lock (&lock);
  current = config;
  g_mutex_unlock (&lock);
  return TRUE;
}

gboolean
cm_reload_open_services (GError **error)
{
  g_autoptr (CmConfig) config = cm_reload_current ();
  CmServices *opened = cm_services_open (config, error);
  if (opened == NULL)
    return FALSE;
  g_mutex_lock (&lock);
  CmServices *old = services;
  services = opened;
  g_mutex_unlock (&lock);
  if (old)
    cm_services_unref (old);
  return TRUE;
}

CmServices *
cm_reload_services (void)
{
  g_mutex_lock (&lock);
  CmServices *found = services ? cm_services_ref (services) : NULL;
  g_mutex_unlock (&lock);
  return found;
}

CmConfig *
cm_reload_current (void)
{
  g_mutex_lock (&lock);
  CmConfig *config = current ? cm_config_ref (current) : NULL;
  g_mutex_unlock (&lock);
  return config;
}

gboolean
cm_reload_now (void)
{
  g_autoptr (GMutexLocker) one_at_a_time = g_mutex_locker_new (&reloading);
  g_autoptr (GError) error = NULL;
  CmConfig *config = cm_daemon_config_load (config_path, &error);
  if (config == NULL)
    {
      cm_log (LOG_ERR, "reload refused, the configuration in force is kept: %s", error->message);
      return FALSE;
    }
  /* Another spool: open it before anything is swapped. */
  g_autoptr (CmServices) in_force = cm_reload_services ();
  CmServices *opened = NULL;
  const char *spool = cm_daemon_settings (config)->spool;
  if (in_force && g_strcmp0 (in_force->spool, spool) != 0)
    {
      opened = cm_services_open (config, &error);
      if (opened == NULL)
        {
          cm_log (LOG_ERR, "reload refused, the configuration in force is kept: %s", error->message);
          cm_config_unref (config);
          return FALSE;
        }
    }
  g_mutex_lock (&lock);
  CmConfig *old = current;
  current = config;
  CmServices *old_services = opened ? services : NULL;
  if (opened)
    services = opened;
  g_mutex_unlock (&lock);
  /* Messages still holding the old ones release them when they end. */
  if (old)
    cm_config_unref (old);
  if (old_services)
    cm_services_unref (old_services);
  g_autofree char *summary = cm_config_describe (config);
  g_strdelimit (summary, "\n", ';');
  cm_log (LOG_INFO, "configuration reloaded: %s", summary);
  return TRUE;
}

static gpointer
signal_thread (gpointer data G_GNUC_UNUSED)
{
  sigset_t set;
  sigemptyset (&set);
  sigaddset (&set, SIGUSR1);
  for (;;)
    {
      int signal_number = 0;
      int status = sigwait (&set, &signal_number);
      if (status != 0 && status != EINTR)
        {
          cm_log (LOG_ERR, "sigwait: %s; SIGUSR1 reloads are off", strerror (status));
          return NULL;
        }
      if (signal_number == SIGUSR1)
        cm_reload_now ();
    }
  return NULL;
}

void
cm_reload_start_signal_thread (void)
{
  g_thread_unref (g_thread_new ("reload", signal_thread, NULL));
}

void
cm_reload_shutdown (void)
{
  /* A clean stop: what is still being judged did not kill the daemon. */
  g_autoptr (CmServices) in_force = cm_reload_services ();
  if (in_force)
    cm_journal_retire (in_force->journal);
  g_mutex_lock (&lock);
  CmConfig *old = current;
  CmServices *old_services = services;
  current = NULL;
  services = NULL;
  g_mutex_unlock (&lock);
  if (old)
    cm_config_unref (old);
  if (old_services)
    cm_services_unref (old_services);
  g_clear_pointer (&config_path, g_free);
}
