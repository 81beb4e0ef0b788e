/*
 * layout.h: the frame every page of council-review-web shares (layout.c):
 * the document head with its small inline style sheet (no external
 * assets; readable on a phone), the bar with the pages and the signed-in
 * user, and the pieces pages are written with, each escaping what it is
 * given: held mail is written by whoever sent it, so no byte of it goes
 * out unescaped.
 */
#ifndef CM_WEB_LAYOUT_H
#define CM_WEB_LAYOUT_H

#include <glib.h>

#include "request.h"

/* Begin a page titled TITLE (escaped) for REQUEST's user; a message kept
 * for this page (FLASH, may be NULL) is shown at its top. */
void cm_layout_begin (GString *out, const CmWebRequest *request, const char *title, const char *flash);
/* End the page begun with cm_layout_begin(). */
void cm_layout_end (GString *out);

/* Append TEXT (NULL: nothing) escaped for HTML text or a quoted attribute. */
void cm_html (GString *out, const char *text);
/* Append TEXT escaped as a URL query value, for links. */
void cm_html_query_value (GString *out, const char *text);
/* Append the hidden field with REQUEST's CSRF token, for a POST form. */
void cm_layout_csrf_field (GString *out, const CmWebRequest *request);
/* Append a time AT as "2026-11-23 03:15 UTC". */
void cm_layout_time (GString *out, gint64 at);

#endif
