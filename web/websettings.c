/*
 * websettings.c: the [web] table of keys (websettings.h).
 */
#include "config.h"

#include "websettings.h"
#include "keytable.h"

#define WEB(field) G_STRUCT_OFFSET (CmWebSettings, field)

static const CmKeySpec web_keys[] = {
  { "web", "listen", CM_KEY_HOSTPORT, "127.0.0.1:8025", NULL, 0, 0, WEB (listen) },
  { "web", "accounts", CM_KEY_PATH, "/var/lib/council-milter/web-accounts", NULL, 0, 0, WEB (accounts) },
  { "web", "trusted-proxy", CM_KEY_ADDRESS, NULL, NULL, 0, 0, WEB (trusted_proxy) },
  { "web", "proxy-user-header", CM_KEY_STRING, "X-Remote-User", NULL, 0, 0, WEB (proxy_user_header) },
  { "web", "session-minutes", CM_KEY_INT, "60", NULL, 5, 24 * 60, WEB (session_minutes) },
  { "web", "sign-in-attempts", CM_KEY_INT, "5", NULL, 1, 60, WEB (sign_in_attempts) },
};

static const char *const web_groups[] = { "web", NULL };

const CmKeyTable cm_web_settings_table = {
  "the web review page", web_groups, web_keys, G_N_ELEMENTS (web_keys), sizeof (CmWebSettings),
};

const CmWebSettings *
cm_web_settings (const CmConfig *config)
{
  const CmWebSettings *settings = cm_config_settings (config, &cm_web_settings_table);
  g_assert (settings != NULL); /* loaded with cm_daemon_config_load: a programming error otherwise */
  return settings;
}
