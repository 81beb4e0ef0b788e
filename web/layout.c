/*
 * layout.c: the shared frame of council-review-web's pages and the
 * escaping helpers pages write with (layout.h).
 */
#include "config.h"

#include <string.h>

#include "htmlescape.h"
#include "layout.h"
#include "review-format.h"

/* Small, readable on a phone, and inline: the Content-Security-Policy
 * allows no other source (server.c). */
static const char style[] =
  "body{font:16px/1.45 system-ui,sans-serif;margin:0;color:#1b1b1b;background:#fafafa}"
  "header{background:#1d3557;color:#fff;padding:.5em 1em;display:flex;flex-wrap:wrap;gap:.4em 1.2em;align-items:center}"
  "header a,header button{color:#fff;background:none;border:0;font:inherit;text-decoration:underline;cursor:pointer;padding:0}"
  "header .who{margin-left:auto}"
  "main{padding:1em;max-width:60em;margin:auto}"
  "h1{font-size:1.35em;margin:.2em 0 .6em}h2{font-size:1.1em;margin:1.4em 0 .4em}"
  "table{border-collapse:collapse;width:100%}th,td{text-align:left;padding:.35em .4em;border-bottom:1px solid #ddd;vertical-align:top}"
  ".scroll{overflow-x:auto}"
  "pre{white-space:pre-wrap;word-wrap:break-word;background:#fff;border:1px solid #ddd;padding:.7em;font:14px/1.4 ui-monospace,monospace}"
  "mark{background:#ffe066;padding:0 .1em}"
  "blockquote{margin:.4em 0;padding:.3em .8em;border-left:4px solid #457b9d;background:#eef4f8}"
  "form.filters{display:flex;flex-wrap:wrap;gap:.5em;align-items:end;margin-bottom:1em}"
  "label{display:block;font-size:.9em}input,select,textarea{font:inherit;max-width:100%;box-sizing:border-box}"
  "textarea{width:100%;min-height:4em}"
  ".decide{display:grid;grid-template-columns:repeat(auto-fit,minmax(15em,1fr));gap:1em}"
  ".decide form{background:#fff;border:1px solid #ddd;padding:.7em}"
  "button.go{padding:.4em 1em;border:0;color:#fff;background:#2a9d8f;border-radius:3px}"
  "button.stop{padding:.4em 1em;border:0;color:#fff;background:#c0392b;border-radius:3px}"
  ".flash{background:#e6f4ea;border:1px solid #8bc49a;padding:.6em}"
  ".error{background:#fdecea;border:1px solid #e0a39e;padding:.6em}"
  ".muted{color:#666}svg{width:100%;max-width:640px;height:auto;display:block;margin:1.2em 0 .3em}"
  "dl{display:grid;grid-template-columns:max-content minmax(0,1fr);gap:.2em 1em}dt{font-weight:600}"
  "dd{margin:0;overflow-wrap:anywhere}td{overflow-wrap:anywhere}";

/* Append TEXT escaped for HTML. */
void
cm_html (GString *out, const char *text)
{
  if (text == NULL)
    return;
  g_autofree char *escaped = cm_html_escape (text);
  g_string_append (out, escaped);
}

/* Append TEXT percent-escaped for a link's query. */
void
cm_html_query_value (GString *out, const char *text)
{
  g_autofree char *safe = cm_review_safe (text, FALSE);
  g_autofree char *escaped = g_uri_escape_string (safe, NULL, FALSE);
  /* Percent-escaped text has no HTML specials but '&' cannot appear either. */
  g_string_append (out, escaped);
}

/* Append the hidden CSRF field of REQUEST's session. */
void
cm_layout_csrf_field (GString *out, const CmWebRequest *request)
{
  g_string_append (out, "<input type=\"hidden\" name=\"csrf\" value=\"");
  cm_html (out, request->session ? request->session->csrf : "");
  g_string_append (out, "\">");
}

/* Append AT as a UTC time for people. */
void
cm_layout_time (GString *out, gint64 at)
{
  g_autofree char *when = cm_review_time (at);
  cm_html (out, when);
}

/* Begin a page: head, style, the bar, a one-time message, the title. */
void
cm_layout_begin (GString *out, const CmWebRequest *request, const char *title, const char *flash)
{
  g_string_append (out, "<!DOCTYPE html>\n<html lang=\"en-GB\"><head><meta charset=\"utf-8\">"
                        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
                        "<meta name=\"referrer\" content=\"no-referrer\"><title>");
  cm_html (out, title);
  g_string_append (out, " - council review</title><style>");
  g_string_append (out, style);
  g_string_append (out, "</style></head><body><header><strong>Held mail review</strong>");
  const CmWebSession *session = request->session;
  if (session && session->user)
    {
      g_string_append (out, "<nav><a href=\"/\">Queue</a> &nbsp; <a href=\"/report\">Report</a></nav>"
                            "<span class=\"who\">");
      cm_html (out, session->user);
      g_string_append (out, " (");
      cm_html (out, cm_web_role_name (session->role));
      g_string_append (out, ")</span><form method=\"post\" action=\"/signout\">");
      cm_layout_csrf_field (out, request);
      g_string_append (out, "<button type=\"submit\">Sign out</button></form>");
    }
  g_string_append (out, "</header><main>");
  if (flash)
    {
      g_string_append (out, "<p class=\"flash\" role=\"status\">");
      cm_html (out, flash);
      g_string_append (out, "</p>");
    }
  g_string_append (out, "<h1>");
  cm_html (out, title);
  g_string_append (out, "</h1>\n");
}

/* End a page. */
void
cm_layout_end (GString *out)
{
  g_string_append (out, "</main></body></html>\n");
}
