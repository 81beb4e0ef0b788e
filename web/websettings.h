/*
 * websettings.h: the [web] keys of council-milter.conf, read by the web
 * review page council-review-web and by council-review's user command,
 * declared here as a typed key table (keytable.h) and typed once at load.
 * Every program that reads the file loads this table too
 * (cm_daemon_config_load, milter/settings.c), so a mistake in a [web]
 * key is found by each of them.  council-milter.conf(5) describes each.
 *
 *   const CmWebSettings *cm_web_settings (const CmConfig *config);
 */
#ifndef CM_WEB_SETTINGS_H
#define CM_WEB_SETTINGS_H

#include <glib.h>

#include "policy.h"

typedef struct {
  char *listen;               /* HOST:PORT the page listens on */
  char *accounts;             /* the accounts file (accounts.h) */
  char *trusted_proxy;        /* NULL: no single sign-on; else the proxy's IP address */
  char *proxy_user_header;    /* the header that proxy names the signed-in user in */
  gint64 session_minutes;     /* a session ends this long after sign-in */
  gint64 sign_in_attempts;    /* per minute, per client address, before refusals */
} CmWebSettings;

/* The table (keytable.h), for cm_config_load_with. */
extern const CmKeyTable cm_web_settings_table;

/* The [web] keys of CONFIG, which must have been loaded with the table. */
const CmWebSettings *cm_web_settings (const CmConfig *config);

#endif
