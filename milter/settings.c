/*
 * settings.c: the daemon's table of keys (settings.h).  council-milter.conf(5)
 * describes each.
 */
#include "config.h"

#include "settings.h"
#include "keytable.h"
#include "websettings.h"

#define DAEMON(field) G_STRUCT_OFFSET (CmDaemonSettings, field)

static const CmKeyChoice on_errors[] = {
  { "tempfail", CM_ON_ERROR_TEMPFAIL }, { "accept", CM_ON_ERROR_ACCEPT }, { "reject", CM_ON_ERROR_REJECT }, { NULL },
};
static const CmKeyChoice expiries[] = { { "reject", CM_EXPIRE_REJECT }, { "escalate", CM_EXPIRE_ESCALATE }, { NULL } };

static const CmKeyChoice yes_no[] = { { "no", FALSE }, { "yes", TRUE }, { NULL } };

static const CmKeySpec daemon_keys[] = {
  { "milter", "socket", CM_KEY_SOCKET, "unix:/run/council-milter/council-milter.sock", NULL, 0, 0, DAEMON (socket) },
  { "milter", "on-error", CM_KEY_ENUM, "tempfail", on_errors, 0, 0, DAEMON (on_error) },
  { "milter", "user", CM_KEY_STRING, NULL, NULL, 0, 0, DAEMON (user) },
  { "milter", "pid-file", CM_KEY_PATH, NULL, NULL, 0, 0, DAEMON (pid_file) },
  { "milter", "socket-mode", CM_KEY_OCTAL, "0660", NULL, 0, 0777, DAEMON (socket_mode) },
  { "milter", "temp-dir", CM_KEY_PATH, "/var/tmp", NULL, 0, 0, DAEMON (temp_dir) },
  { "milter", "body-memory", CM_KEY_SIZE, "1M", NULL, 4096, G_GINT64_CONSTANT (256) << 20, DAEMON (body_memory) },
  { "milter", "subject-tag", CM_KEY_STRING, NULL, NULL, 0, 0, DAEMON (subject_tag) },
  { "milter", "crash-hold-hours", CM_KEY_INT, "24", NULL, 1, 24 * 30, DAEMON (crash_hold_hours) },
  { "notify", "smtp", CM_KEY_HOSTPORT, "127.0.0.1:10026", NULL, 0, 0, DAEMON (notify_smtp) },
  { "notify", "from", CM_KEY_STRING, NULL, NULL, 0, 0, DAEMON (notify_from) },
  { "notify", "retry-days", CM_KEY_INT, "5", NULL, 1, 30, DAEMON (retry_days) },
  { "notify", "repeat-hours", CM_KEY_INT, "24", NULL, 0, 24 * 90, DAEMON (repeat_hours) },
  { "hold", "spool", CM_KEY_PATH, "/var/spool/council-milter", NULL, 0, 0, DAEMON (spool) },
  { "hold", "expire-days", CM_KEY_INT, "5", NULL, 1, 365, DAEMON (expire_days) },
  { "hold", "expire", CM_KEY_ENUM, "reject", expiries, 0, 0, DAEMON (expire) },
  { "hold", "monitoring-officer", CM_KEY_STRING, NULL, NULL, 0, 0, DAEMON (monitoring_officer) },
  { "hold", "deputy", CM_KEY_STRING, NULL, NULL, 0, 0, DAEMON (deputy) },
  { "hold", "decide-by-reply", CM_KEY_ENUM, "yes", yes_no, 0, 0, DAEMON (decide_by_reply) },
  { "hold", "release-smtp", CM_KEY_HOSTPORT, "127.0.0.1:25", NULL, 0, 0, DAEMON (release_smtp) },
};

static const char *const daemon_groups[] = { "milter", "notify", "hold", NULL };

const CmKeyTable cm_daemon_settings_table = {
  "the daemon", daemon_groups, daemon_keys, G_N_ELEMENTS (daemon_keys), sizeof (CmDaemonSettings),
};

CmConfig *
cm_daemon_config_load (const char *path, GError **error)
{
  /* The web page's keys too, so that every program checks [web]. */
  const CmKeyTable *const tables[] = { &cm_daemon_settings_table, &cm_web_settings_table, NULL };
  return cm_config_load_with (path, tables, error);
}

const CmDaemonSettings *
cm_daemon_settings (const CmConfig *config)
{
  const CmDaemonSettings *settings = cm_config_settings (config, &cm_daemon_settings_table);
  g_assert (settings != NULL); /* loaded with cm_daemon_config_load: a programming error otherwise */
  return settings;
}

const char *
cm_config_monitoring_officer (const CmConfig *config)
{
  const char *configured = cm_daemon_settings (config)->monitoring_officer;
  return configured && *configured ? configured : cm_config_directory_monitoring_officer (config);
}

const char *
cm_on_error_name (CmOnError on_error)
{
  return cm_settings_choice_name (on_errors, on_error);
}
