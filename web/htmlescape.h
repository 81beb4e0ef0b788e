/*
 * htmlescape.h: text made safe to put in HTML or SVG (XML), as element
 * content or as a quoted attribute value.  Held mail is written by
 * whoever sent it, so every byte of it shown on the web page goes through
 * here first.
 *
 *   char *cm_html_escape (const char *text);
 */
#ifndef CM_WEB_HTMLESCAPE_H
#define CM_WEB_HTMLESCAPE_H

#include <glib.h>

/* TEXT (NULL: "") with & < > " ' escaped as entities; bytes that are not
 * UTF-8, control characters other than tab and line feed (which XML does
 * not allow, or which a terminal or browser may act on) and the
 * bidirectional overrides (which can show a text reversed) removed.
 * Free with g_free. */
char *cm_html_escape (const char *text);

#endif
