/*
 * svg.h: the Standards Committee report (CmReviewReport, reviewlib.h)
 * drawn as SVG on the server, one horizontal bar chart per breakdown (by
 * month, rule, outcome, sender role), to be put inline in the web page:
 * no script, no external asset, no font beyond the page's own.
 *
 * A chart has fixed sizes in its viewBox and no width or height, so it
 * scales to the width of its container (a phone's too).  It is
 * accessible: role="img", a <title> and aria-label naming it, and every
 * bar's label and number written as text, not only drawn.  Every label
 * is escaped (cm_html_escape): rule names and sender roles come from
 * configuration and held mail.
 *
 *   char *cm_svg_bar_chart (const char *title, const GPtrArray *counts);
 */
#ifndef CM_WEB_SVG_H
#define CM_WEB_SVG_H

#include <glib.h>

/* An <svg> element: a bar chart titled TITLE with one bar per
 * CmReviewCount * of COUNTS (reviewlib.h), in their order; an empty or
 * NULL COUNTS gives a chart that says there is nothing to count.
 * Free with g_free. */
char *cm_svg_bar_chart (const char *title, const GPtrArray *counts);

#endif
