/*
 * services.c: the spool's hold store and outbox, opened together
 * (services.h), the hold spool put right first after a crash.
 */
#include "config.h"

#include "holdrecover.h"
#include "services.h"
#include "settings.h"

CmServices *
cm_services_open (const CmConfig *config, GError **error)
{
  const char *spool = cm_daemon_settings (config)->spool;
  g_autoptr (CmHoldStore) store = cm_holdstore_open (spool, error);
  if (store == NULL)
    return NULL;
  /* What a daemon killed while keeping a message left (holdrecover.h). */
  cm_holdrecover_run (store, spool, g_get_real_time () / G_USEC_PER_SEC);
  g_autofree char *outbox_dir = g_build_filename (spool, "outbox", NULL);
  g_autoptr (CmOutbox) outbox = cm_outbox_open (outbox_dir, error);
  if (outbox == NULL)
    return NULL;
  g_autofree char *log_path = g_build_filename (spool, "notices.sqlite", NULL);
  g_autoptr (CmNoticeLog) notices = cm_noticelog_open (log_path, error);
  if (notices == NULL)
    return NULL;
  /* What a daemon killed while judging a message left (journal.h). */
  gint64 hold = cm_daemon_settings (config)->crash_hold_hours * 3600;
  g_autoptr (CmJournal) journal = cm_journal_open (spool, g_get_real_time () / G_USEC_PER_SEC, hold,
                                                   cm_on_error_name (cm_daemon_settings (config)->on_error), error);
  if (journal == NULL)
    return NULL;
  CmServices *services = g_new0 (CmServices, 1);
  services->journal = g_steal_pointer (&journal);
  services->notices = g_steal_pointer (&notices);
  services->refs = 1;
  services->spool = g_strdup (spool);
  services->store = g_steal_pointer (&store);
  services->outbox = g_steal_pointer (&outbox);
  return services;
}

CmServices *
cm_services_ref (CmServices *services)
{
  g_atomic_int_inc (&services->refs);
  return services;
}

void
cm_services_unref (CmServices *services)
{
  if (services == NULL || !g_atomic_int_dec_and_test (&services->refs))
    return;
  cm_holdstore_close (services->store);
  cm_outbox_close (services->outbox);
  cm_noticelog_close (services->notices);
  cm_journal_close (services->journal);
  g_free (services->spool);
  g_free (services);
}
