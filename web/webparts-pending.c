/*
 * webparts-pending.c: TEMPORARY stand-ins for branch `webparts`
 * (webparts-pending.h): no accounts, the default [web] settings, a plain
 * escaper and a plain chart.  Deleted when `webparts` is merged.
 */
#include "config.h"

#include <string.h>

#include "review-format.h"
#include "webparts-pending.h"

struct _CmAccounts {
  int unused;
};

/* An empty set of accounts. */
CmAccounts *
cm_accounts_load (const char *path, GError **error)
{
  return g_new0 (CmAccounts, 1);
}

/* Free the stand-in's accounts. */
void
cm_accounts_free (CmAccounts *accounts)
{
  g_free (accounts);
}

/* Nobody signs in with the stand-in. */
gboolean
cm_accounts_verify (const CmAccounts *accounts, const char *user, const char *password, CmWebRole *role)
{
  return FALSE;
}

/* Nobody is known to the stand-in. */
gboolean
cm_accounts_lookup (const CmAccounts *accounts, const char *user, CmWebRole *role)
{
  return FALSE;
}

/* The role's name as in the accounts file. */
const char *
cm_web_role_name (CmWebRole role)
{
  return role == CM_WEB_ROLE_MONITORING_OFFICER ? "monitoring-officer"
         : role == CM_WEB_ROLE_DEPUTY           ? "deputy"
                                                : "auditor";
}

/* May ROLE decide? */
gboolean
cm_web_role_decides (CmWebRole role)
{
  return role == CM_WEB_ROLE_MONITORING_OFFICER || role == CM_WEB_ROLE_DEPUTY;
}

/* The defaults of [web]. */
const CmWebSettings *
cm_web_settings (const CmConfig *config)
{
  static const CmWebSettings defaults = { "127.0.0.1:8025", "/var/lib/council-milter/web-accounts", NULL,
                                          "X-Remote-User", 480, 5 };
  return &defaults;
}

/* TEXT made safe, with & < > " ' as entities. */
char *
cm_html_escape (const char *text)
{
  g_autofree char *safe = cm_review_safe (text, TRUE);
  GString *out = g_string_sized_new (strlen (safe) + 16);
  for (const char *p = safe; *p; p++)
    switch (*p)
      {
      case '&': g_string_append (out, "&amp;"); break;
      case '<': g_string_append (out, "&lt;"); break;
      case '>': g_string_append (out, "&gt;"); break;
      case '"': g_string_append (out, "&quot;"); break;
      case '\'': g_string_append (out, "&#39;"); break;
      default: g_string_append_c (out, *p);
      }
  return g_string_free (out, FALSE);
}

/* A plain bar chart: one bar a line. */
char *
cm_svg_bar_chart (const char *title, const GPtrArray *counts)
{
  typedef struct { char *name; guint count; } Count;
  guint max = 1;
  for (guint i = 0; i < counts->len; i++)
    max = MAX (max, ((Count *) g_ptr_array_index (counts, i))->count);
  g_autofree char *t = cm_html_escape (title);
  GString *svg = g_string_new (NULL);
  g_string_append_printf (svg, "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 320 %u\" role=\"img\">"
                          "<title>%s</title>", 20 * counts->len + 4, t);
  for (guint i = 0; i < counts->len; i++)
    {
      const Count *c = g_ptr_array_index (counts, i);
      g_autofree char *name = cm_html_escape (c->name);
      g_string_append_printf (svg, "<rect x=\"120\" y=\"%u\" width=\"%u\" height=\"14\" fill=\"#36c\"/>"
                              "<text x=\"0\" y=\"%u\" font-size=\"11\">%s %u</text>",
                              20 * i + 2, 1 + 190 * c->count / max, 20 * i + 13, name, c->count);
    }
  g_string_append (svg, "</svg>");
  return g_string_free (svg, FALSE);
}
