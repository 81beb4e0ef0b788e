/*
 * settings.h: the daemon's keys of council-milter.conf ([milter],
 * [notify], [hold]), declared here and typed once when the configuration
 * is loaded; the engine declares its own (policy/config.c).  Every
 * program that reads the file (council-milter, council-review,
 * council-check) loads it with cm_daemon_config_load, so that a mistake in
 * any key is found by each of them.
 */
#ifndef CM_DAEMON_SETTINGS_H
#define CM_DAEMON_SETTINGS_H

#include <glib.h>

#include "policy.h"

/* [milter] on-error: what becomes of a message the filter failed on. */
typedef enum { CM_ON_ERROR_TEMPFAIL = 0, CM_ON_ERROR_ACCEPT, CM_ON_ERROR_REJECT } CmOnError;
/* [hold] expire: what becomes of a hold nobody decided in expire-days. */
typedef enum { CM_EXPIRE_REJECT = 0, CM_EXPIRE_ESCALATE } CmExpire;

typedef struct {
  /* [milter] */
  char *socket;
  int on_error;             /* CmOnError */
  char *user;               /* NULL: stay who started it */
  char *pid_file;           /* NULL: none */
  gint64 socket_mode;
  char *temp_dir;
  gint64 body_memory;       /* bytes of a body kept in memory before a temporary file */
  char *subject_tag;        /* NULL: subjects are left alone */
  gint64 crash_hold_hours;
  /* [notify] */
  char *notify_smtp;        /* HOST:PORT notices are handed to */
  char *notify_from;        /* NULL: protocol@ the council's domain */
  gint64 retry_days;
  gint64 repeat_hours;
  /* [hold] */
  char *spool;
  gint64 expire_days;
  int expire;               /* CmExpire */
  char *monitoring_officer; /* NULL: the directory's */
  char *deputy;
  char *release_smtp;
  int decide_by_reply;      /* the Monitoring Officer and the deputy may decide by replying */
} CmDaemonSettings;

/* The table (keytable.h), for cm_config_load_with. */
extern const CmKeyTable cm_daemon_settings_table;

/* PATH loaded with the engine's keys, the daemon's and the web page's
 * (web/websettings.h). */
CmConfig *cm_daemon_config_load (const char *path, GError **error);

/* The daemon's keys of CONFIG, which must have been loaded with them. */
const CmDaemonSettings *cm_daemon_settings (const CmConfig *config);

/* Who reviews held mail: [hold] monitoring-officer, else the directory's
 * monitoring-officer; NULL when neither is set. */
const char *cm_config_monitoring_officer (const CmConfig *config);

/* The name of an on-error choice, as in the file ("tempfail"). */
const char *cm_on_error_name (CmOnError on_error);

#endif
