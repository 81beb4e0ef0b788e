/*
 * webparts-pending.h: TEMPORARY stand-in for the modules of branch
 * `webparts` (web/accounts.h, web/websettings.h, web/svg.h,
 * web/htmlescape.h), declared as that branch's brief gives their API, so
 * that the web daemon builds and its tests run before it is merged.
 * Delete this file and webparts-pending.c when `webparts` is merged, and
 * include the real headers instead (grep for webparts-pending.h).
 */
#ifndef CM_WEBPARTS_PENDING_H
#define CM_WEBPARTS_PENDING_H

#include <glib.h>

#include "policy.h"

typedef enum {
  CM_WEB_ROLE_MONITORING_OFFICER,
  CM_WEB_ROLE_DEPUTY,
  CM_WEB_ROLE_AUDITOR,
} CmWebRole;

typedef struct _CmAccounts CmAccounts;

CmAccounts *cm_accounts_load (const char *path, GError **error);
void cm_accounts_free (CmAccounts *accounts);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CmAccounts, cm_accounts_free)
gboolean cm_accounts_verify (const CmAccounts *accounts, const char *user, const char *password,
                             CmWebRole *role);
gboolean cm_accounts_lookup (const CmAccounts *accounts, const char *user, CmWebRole *role);
const char *cm_web_role_name (CmWebRole role);
gboolean cm_web_role_decides (CmWebRole role);

/* [web] of council-milter.conf, as the stand-in guesses it. */
typedef struct {
  char *listen;          /* HOST:PORT */
  char *accounts;
  char *trusted_proxy;   /* an address, or NULL */
  char *proxy_user_header;
  gint64 session_minutes;
  gint64 sign_in_attempts;
} CmWebSettings;
const CmWebSettings *cm_web_settings (const CmConfig *config);

char *cm_svg_bar_chart (const char *title, const GPtrArray *counts);
char *cm_html_escape (const char *text);

#endif
