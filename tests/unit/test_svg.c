/*
 * test_svg.c: what the web page draws and escapes: the report's bar
 * charts (web/svg.h) and cm_html_escape (web/htmlescape.h).  A chart is
 * well-formed XML (libxml2 parses it) with a viewBox and no fixed size;
 * a hostile rule name is text, not markup; zero counts, one count and
 * no counts at all draw sensibly, with every number written as text.
 * Escaping turns script tags and quotes into entities and drops control
 * characters, invalid UTF-8 and bidirectional overrides.
 */
#include "config.h"

#include <string.h>
#include <libxml/parser.h>
#include <libxml/tree.h>

#include "htmlescape.h"
#include "reviewlib.h"
#include "svg.h"
#include "testutil.h"

/* COUNTS as CmReviewCount *: NAME, COUNT pairs ending with NULL. */
static GPtrArray *
counts_of (const char *name, ...)
{
  GPtrArray *counts = g_ptr_array_new_with_free_func (g_free);
  va_list args;
  va_start (args, name);
  for (const char *n = name; n; n = va_arg (args, const char *))
    {
      CmReviewCount *count = g_new0 (CmReviewCount, 1);
      count->name = (char *) n; /* borrowed: the test's literals */
      count->count = va_arg (args, guint);
      g_ptr_array_add (counts, count);
    }
  va_end (args);
  return counts;
}

/* SVG parsed (it must be well-formed); free with xmlFreeDoc. */
static xmlDoc *
parse_svg (const char *svg)
{
  xmlDoc *doc = xmlReadMemory (svg, (int) strlen (svg), "chart.svg", "UTF-8", XML_PARSE_NONET | XML_PARSE_NOERROR
                                                                              | XML_PARSE_NOWARNING);
  ck_assert_msg (doc != NULL, "not well-formed: %s", svg);
  return doc;
}

/* How many elements called NAME are under NODE (itself included). */
static guint
count_elements (xmlNode *node, const char *name)
{
  guint n = 0;
  for (; node; node = node->next)
    if (node->type == XML_ELEMENT_NODE)
      n += (strcmp ((const char *) node->name, name) == 0) + count_elements (node->children, name);
  return n;
}

/* The text of the first element NAME under NODE, or NULL. */
static char *
first_text (xmlNode *node, const char *name)
{
  for (; node; node = node->next)
    if (node->type == XML_ELEMENT_NODE)
      {
        if (strcmp ((const char *) node->name, name) == 0)
          {
            xmlChar *content = xmlNodeGetContent (node);
            char *text = g_strdup ((const char *) content);
            xmlFree (content);
            return text;
          }
        char *found = first_text (node->children, name);
        if (found)
          return found;
      }
  return NULL;
}

START_TEST (test_hostile_label)
{
  const char *hostile = "<script>alert('x')</script>&\"";
  g_autoptr (GPtrArray) counts = counts_of (hostile, 3u, "bcc-member", 1u, NULL);
  g_autofree char *svg = cm_svg_bar_chart ("Held by <rule> & \"why\"", counts);
  ck_assert (strstr (svg, "<script") == NULL);
  ck_assert (strstr (svg, "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&amp;&quot;") != NULL);
  ck_assert (strstr (svg, "Held by &lt;rule&gt; &amp; &quot;why&quot;") != NULL);
  xmlDoc *doc = parse_svg (svg);
  xmlNode *root = xmlDocGetRootElement (doc);
  ck_assert_str_eq ((const char *) root->name, "svg");
  ck_assert_uint_eq (count_elements (root, "script"), 0);
  ck_assert_uint_eq (count_elements (root, "rect"), 2);
  /* The title, read back, is the text given: escaped once, not twice. */
  g_autofree char *title = first_text (root, "title");
  ck_assert_str_eq (title, "Held by <rule> & \"why\"");
  /* Scales: a viewBox, no fixed width or height; accessible. */
  xmlChar *view_box = xmlGetProp (root, (const xmlChar *) "viewBox");
  ck_assert (view_box != NULL);
  xmlFree (view_box);
  ck_assert (!xmlHasProp (root, (const xmlChar *) "width") && !xmlHasProp (root, (const xmlChar *) "height"));
  xmlChar *role = xmlGetProp (root, (const xmlChar *) "role");
  ck_assert_str_eq ((const char *) role, "img");
  xmlFree (role);
  xmlFreeDoc (doc);
}
END_TEST

START_TEST (test_zero_counts)
{
  g_autoptr (GPtrArray) counts = counts_of ("held", 0u, "released", 0u, "rejected", 0u, NULL);
  g_autofree char *svg = cm_svg_bar_chart ("By outcome", counts);
  xmlDoc *doc = parse_svg (svg);
  ck_assert_uint_eq (count_elements (xmlDocGetRootElement (doc), "rect"), 3);
  xmlFreeDoc (doc);
  ck_assert (strstr (svg, "width=\"0\"") != NULL);
  ck_assert (strstr (svg, ">0</text>") != NULL);
  ck_assert (strstr (svg, "nan") == NULL && strstr (svg, "inf") == NULL);
  ck_assert (strstr (svg, ">held</text>") && strstr (svg, ">rejected</text>"));
}
END_TEST

START_TEST (test_one_count)
{
  g_autoptr (GPtrArray) counts = counts_of ("officer-criticism", 1u, NULL);
  g_autofree char *svg = cm_svg_bar_chart ("By rule", counts);
  xmlDoc *doc = parse_svg (svg);
  ck_assert_uint_eq (count_elements (xmlDocGetRootElement (doc), "rect"), 1);
  xmlFreeDoc (doc);
  ck_assert (strstr (svg, ">officer-criticism</text>") != NULL);
  ck_assert (strstr (svg, ">1</text>") != NULL);
  ck_assert (strstr (svg, "width=\"340\"") != NULL); /* the largest bar is full length */
  ck_assert (strstr (svg, "<title>officer-criticism: 1</title>") != NULL);

  /* A small count beside a large one still shows. */
  g_autoptr (GPtrArray) uneven = counts_of ("2026-01", 1000u, "2026-02", 1u, NULL);
  g_autofree char *chart = cm_svg_bar_chart ("By month", uneven);
  ck_assert (strstr (chart, "width=\"2\"") != NULL);

  /* No counts: a chart that says so. */
  g_autoptr (GPtrArray) none = g_ptr_array_new ();
  g_autofree char *empty = cm_svg_bar_chart ("By role", none);
  g_autofree char *null = cm_svg_bar_chart ("By role", NULL);
  ck_assert (strstr (empty, "Nothing to count.") != NULL);
  ck_assert_str_eq (empty, null);
  xmlFreeDoc (parse_svg (empty));
}
END_TEST

START_TEST (test_long_and_broken_labels)
{
  const char *long_name = "a-rule-with-a-name-far-longer-than-any-label-column";
  g_autoptr (GPtrArray) counts = counts_of (long_name, 2u, "bad\xff\xfe utf8\x01\x1b[2J", 1u, NULL);
  g_autofree char *svg = cm_svg_bar_chart ("By rule", counts);
  xmlDoc *doc = parse_svg (svg); /* no invalid UTF-8 nor control character got through */
  xmlFreeDoc (doc);
  ck_assert (strstr (svg, "<title>a-rule-with-a-name-far-longer-than-any-label-column: 2</title>") != NULL);
  ck_assert (strstr (svg, ">a-rule-with-a-name-far-long\u2026</text>") != NULL);
  ck_assert (strstr (svg, ">bad utf8[2J</text>") != NULL);
}
END_TEST

START_TEST (test_escape)
{
  struct { const char *in; const char *out; } cases[] = {
    { "<script>alert(1)</script>", "&lt;script&gt;alert(1)&lt;/script&gt;" },
    { "<img src=x onerror=\"alert('x')\">", "&lt;img src=x onerror=&quot;alert(&#39;x&#39;)&quot;&gt;" },
    { "Tom & Jerry", "Tom &amp; Jerry" },
    { "&lt; already", "&amp;lt; already" },
    { "line one\nline\ttwo", "line one\nline\ttwo" },
    { "bell\a null-less\x01\x7f esc\x1b[31m cr\r", "bell null-less esc[31m cr" },
    { "c1 \xc2\x80\xc2\x9b end", "c1  end" },
    { "bad \xff\xfe bytes \xc3", "bad  bytes " },
    { "overlong \xc0\xbc script", "overlong  script" },
    { "surrogate \xed\xa0\x80 here", "surrogate  here" },
    { "bidi \xe2\x80\xae" "txet", "bidi txet" },
    { "isolate \xe2\x81\xa6x\xe2\x81\xa9", "isolate x" },
    { "Zoë Øster — café", "Zoë Øster — café" },
    { "", "" },
  };
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *out = cm_html_escape (cases[i].in);
      ck_assert_msg (strcmp (out, cases[i].out) == 0, "case %u: \"%s\"", i, out);
      ck_assert (g_utf8_validate (out, -1, NULL));
    }
  g_autofree char *null = cm_html_escape (NULL);
  ck_assert_str_eq (null, "");
}
END_TEST

int
main (void)
{
  Suite *suite = suite_create ("svg");
  TCase *tc = tcase_create ("svg");
  tcase_add_test (tc, test_hostile_label);
  tcase_add_test (tc, test_zero_counts);
  tcase_add_test (tc, test_one_count);
  tcase_add_test (tc, test_long_and_broken_labels);
  tcase_add_test (tc, test_escape);
  suite_add_tcase (suite, tc);
  return test_run (suite);
}
