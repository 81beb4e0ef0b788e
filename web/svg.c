/*
 * svg.c: bar charts of the Standards Committee report (svg.h).
 */
#include "config.h"

#include "svg.h"
#include "htmlescape.h"
#include "reviewlib.h"

/* The chart's geometry, in viewBox units. */
#define WIDTH 640
#define TITLE_HEIGHT 40
#define ROW_HEIGHT 28
#define BAR_HEIGHT 18
#define LABEL_RIGHT 210  /* labels end here, right-aligned */
#define BAR_LEFT 220
#define BAR_MAX 340      /* the longest bar; the number goes after it */
#define BOTTOM 12
/* A longer label is cut (the whole label is in the bar's <title>). */
#define LABEL_CHARS 28

/* NAME shortened to LABEL_CHARS characters, with an ellipsis when cut. */
static char *
short_label (const char *name)
{
  if (!g_utf8_validate (name, -1, NULL) || g_utf8_strlen (name, -1) <= LABEL_CHARS)
    return g_strdup (name);
  g_autofree char *cut = g_utf8_substring (name, 0, LABEL_CHARS - 1);
  return g_strconcat (cut, "\u2026", NULL);
}

/* Append one bar, for COUNT, in row ROW; MAX is the largest count. */
static void
append_bar (GString *svg, const CmReviewCount *count, guint row, guint max)
{
  const char *name = count->name ? count->name : "";
  g_autofree char *full = cm_html_escape (name);
  g_autofree char *cut = short_label (name);
  g_autofree char *label = cm_html_escape (cut);
  int y = TITLE_HEIGHT + (int) row * ROW_HEIGHT;
  /* A count above zero gets at least a sliver, so it is seen. */
  int length = max == 0 || count->count == 0 ? 0 : MAX (2, (int) ((guint64) count->count * BAR_MAX / max));
  g_string_append_printf (svg,
                          "<g><title>%s: %u</title>"
                          "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">%s</text>"
                          "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"#2a6ebb\"/>"
                          "<text x=\"%d\" y=\"%d\">%u</text></g>\n",
                          full, count->count, LABEL_RIGHT, y + BAR_HEIGHT - 4, label, BAR_LEFT, y, length,
                          BAR_HEIGHT, BAR_LEFT + length + 6, y + BAR_HEIGHT - 4, count->count);
}

char *
cm_svg_bar_chart (const char *title, const GPtrArray *counts)
{
  guint rows = counts ? counts->len : 0;
  guint max = 0;
  for (guint i = 0; i < rows; i++)
    max = MAX (max, ((const CmReviewCount *) g_ptr_array_index (counts, i))->count);
  int height = TITLE_HEIGHT + (int) MAX (rows, 1) * ROW_HEIGHT + BOTTOM;
  g_autofree char *escaped = cm_html_escape (title);
  GString *svg = g_string_new (NULL);
  g_string_append_printf (svg,
                          "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 %d %d\" role=\"img\" "
                          "aria-label=\"%s\" font-family=\"sans-serif\" font-size=\"14\">\n"
                          "<title>%s</title>\n"
                          "<text x=\"0\" y=\"24\" font-size=\"16\" font-weight=\"bold\">%s</text>\n",
                          WIDTH, height, escaped, escaped, escaped);
  if (rows == 0)
    g_string_append_printf (svg, "<text x=\"%d\" y=\"%d\">Nothing to count.</text>\n", BAR_LEFT,
                            TITLE_HEIGHT + BAR_HEIGHT - 4);
  for (guint i = 0; i < rows; i++)
    append_bar (svg, g_ptr_array_index (counts, i), i, max);
  g_string_append (svg, "</svg>\n");
  return g_string_free (svg, FALSE);
}
