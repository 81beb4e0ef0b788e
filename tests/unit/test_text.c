/*
 * test_text.c: charsets, HTML to text, new text vs history vs signature,
 * sentences.
 */
#include "config.h"

#include <string.h>

#include "text.h"
#include "testutil.h"

static CmLexicons *
lexicons (void)
{
  g_autofree char *dir = test_srcdir ("config/lexicon");
  g_autoptr (GError) error = NULL;
  CmLexicons *lx = cm_lexicons_load (dir, &error);
  ck_assert_msg (lx != NULL, "%s", error ? error->message : "");
  return lx;
}

START_TEST (test_charsets)
{
  /* windows-1252: pound, smart quotes, euro. */
  const char cp1252[] = "\xa3" "5 \x93quoted\x94 it\x92s \x80";
  const char *expected = "\xc2\xa3" "5 \xe2\x80\x9cquoted\xe2\x80\x9d it\xe2\x80\x99s \xe2\x82\xac";
  g_autofree char *a = cm_charset_to_utf8 (cp1252, strlen (cp1252), "windows-1252");
  ck_assert_str_eq (a, expected);
  /* Mislabelled as iso-8859-1: read as windows-1252. */
  g_autofree char *b = cm_charset_to_utf8 (cp1252, strlen (cp1252), "ISO-8859-1");
  ck_assert_str_eq (b, expected);
  /* 8-bit with no charset, and "utf-8" that is not. */
  g_autofree char *c = cm_charset_to_utf8 (cp1252, strlen (cp1252), NULL);
  ck_assert_str_eq (c, expected);
  g_autofree char *d = cm_charset_to_utf8 (cp1252, strlen (cp1252), "utf-8");
  ck_assert_str_eq (d, expected);
  /* Valid UTF-8 stays; an unknown charset falls back to it. */
  const char *utf8 = "caf\xc3\xa9 \xc2\xa3" "5";
  g_autofree char *e = cm_charset_to_utf8 (utf8, strlen (utf8), "x-no-such-charset");
  ck_assert_str_eq (e, utf8);
  /* A real conversion through iconv. */
  const char koi8[] = "\xf0\xd2\xc9\xd7\xc5\xd4";
  g_autofree char *f = cm_charset_to_utf8 (koi8, strlen (koi8), "koi8-r");
  ck_assert_str_eq (f, "\xd0\x9f\xd1\x80\xd0\xb8\xd0\xb2\xd0\xb5\xd1\x82");
  /* NUL bytes become spaces; undefined cp1252 bytes become U+FFFD. */
  g_autofree char *g = cm_charset_to_utf8 ("a\0b\x81", 4, "windows-1252");
  ck_assert_str_eq (g, "a b\xef\xbf\xbd");
  ck_assert (g_utf8_validate (g, -1, NULL));
  /* An empty part in any charset is an empty string, never NULL, whether
   * its bytes are there or not (GMime gives no data for an empty part). */
  const char *const charsets[] = { "koi8-r", "iso-8859-2", "utf-16", "windows-1250",
                                   "x-no-such-charset", "utf-8", NULL };
  for (guint i = 0; charsets[i]; i++)
    {
      g_autofree char *empty = cm_charset_to_utf8 (NULL, 0, charsets[i]);
      ck_assert_msg (empty != NULL, "NULL for an empty %s part", charsets[i]);
      ck_assert_str_eq (empty, "");
      g_autofree char *owned = cm_charset_to_utf8_owned (g_byte_array_new (), charsets[i]);
      ck_assert_str_eq (owned, "");
    }
  /* Nor on the fast path (UTF-8, ASCII, Latin-1 and no charset), where an
   * empty part's NULL data once reached memchr (found by fuzz_engine;
   * clang's UBSan reports it: build with --enable-fuzz and run this). */
  const char *const fast[] = { "utf-8", "us-ascii", "iso-8859-1", "windows-1252", "", NULL };
  for (guint i = 0; fast[i]; i++)
    {
      g_autofree char *owned = cm_charset_to_utf8_owned (g_byte_array_new (), fast[i]);
      ck_assert_str_eq (owned, "");
    }
  g_autofree char *none = cm_charset_to_utf8_owned (g_byte_array_new (), NULL);
  ck_assert_str_eq (none, "");
}
END_TEST

START_TEST (test_html)
{
  const char *html =
    "<html><head><title>T</title><style>p{}</style><script>var x;</script></head><body>"
    "<p>Dear&nbsp;Tom,</p><p>The cost is &pound;5 &amp; rising&rsquo;s.<br>Second line</p>"
    "<div class=\"gmail_signature\">Cllr Jane Smith</div>"
    "<div class=\"gmail_quote\"><div>On Mon wrote:</div><blockquote>Old <b>text</b></blockquote></div>"
    "</body></html>";
  g_autofree char *text = cm_html_to_text (html, strlen (html));
  ck_assert_msg (strstr (text, "Dear Tom,\n"), "%s", text);
  ck_assert_msg (strstr (text, "The cost is \xc2\xa3" "5 & rising\xe2\x80\x99s.\nSecond line"), "%s", text);
  ck_assert_msg (strstr (text, "\n-- \nCllr Jane Smith\n"), "%s", text);
  ck_assert_msg (strstr (text, "> On Mon wrote:\n> > Old text"), "%s", text);
  ck_assert_msg (!strstr (text, "var x") && !strstr (text, "p{}") && !strstr (text, "T\n"), "%s", text);

  const char *outlook = "<div>New words</div><div id=\"appendonsend\"></div><hr>"
                        "<div id=\"divRplyFwdMsg\"><b>From:</b> Tom</div><div>old words</div>";
  g_autofree char *o = cm_html_to_text (outlook, strlen (outlook));
  ck_assert_msg (strstr (o, "New words\n-----Original Message-----\n"), "%s", o);

  /* Broken HTML still gives its text. */
  const char *broken = "<p>unclosed <b>bold <i>text</p></div></span>& more <";
  g_autofree char *b = cm_html_to_text (broken, strlen (broken));
  ck_assert_msg (strstr (b, "unclosed bold text"), "%s", b);
  g_autofree char *empty = cm_html_to_text ("", 0);
  ck_assert_str_eq (empty, "");
}
END_TEST

/* Split TEXT and check what lands in each part. */
static void
split (const CmLexicons *lx, const char *text, char **authored, char **signature, char **history)
{
  CmTextSplit s = { g_string_new (NULL), g_string_new (NULL), g_string_new (NULL) };
  cm_text_split (text, lx, &s);
  *authored = g_string_free (s.authored, FALSE);
  *signature = g_string_free (s.signature, FALSE);
  *history = g_string_free (s.history, FALSE);
}

START_TEST (test_quotes)
{
  g_autoptr (CmLexicons) lx = lexicons ();
  struct { const char *text; const char *in_authored; const char *in_signature; const char *in_history; } cases[] = {
    { "New text.\n\nOn Mon, 3 Jun 2024 at 10:12, Tom Baker <tom@x> wrote:\n> old text\n", "New text.", "", "old text" },
    { "New text.\n\nOn Mon, 3 Jun 2024 at 10:12, Tom Baker <\ntom@x> wrote:\n\nold unquoted\n", "New text.", "", "old unquoted" },
    { "Mine.\n-----Original Message-----\nFrom: Tom\nTheirs.\n", "Mine.", "", "Theirs." },
    { "Mine.\n________________________________\nFrom: Tom Baker\nSent: 10 June 2024\nTo: Jane\nSubject: x\n\nTheirs.\n", "Mine.", "", "Theirs." },
    { "Mine.\n\n---------- Forwarded message ---------\nFrom: a\nTheirs.\n", "Mine.", "", "Theirs." },
    /* A reply below a quote: the sender's text after the "> " lines. */
    { "On Tue, 21 Oct 2025 at 08:14, Gareth <g@x> wrote:\n\n> old one\n>\n> old two\n\nMy answer below.\n", "My answer below.", "",
      "old two" },
    { "On Tue, 21 Oct 2025 at 08:14, Gareth <\ng@x> wrote:\n> old one\nMy answer below.\n", "My answer below.", "", "old one" },
    { "> quoted one\nmy answer one\n> quoted two\nmy answer two\n", "my answer two", "", "quoted two" },
    { "Body here.\n-- \nJane Smith\nChair\n", "Body here.", "Jane Smith", "" },
    { "Body here.\n\nKind regards,\n\nJane\nCllr Jane Smith\nTel 01632\n", "Body here.", "Cllr Jane Smith", "" },
    { "Thanks for the report, it is clear.\nMore text follows here.\n", "Thanks for the report", "", "" },
    /* A sign-off with a sentence of prose after it is not the signature's
     * start: a reply opening with thanks, a postscript after the name. */
    { "Thanks.\n\nOn Friday the team told us the round was back to normal, and I think they knew it was not true.\n\nSusan\n",
      "they knew it was not true", "", "" },
    { "Body here.\n\nKind regards\nTom\n\nPS - my request to drop to thirty hours is still with HR.\n", "thirty hours", "", "" },
    /* ... but a disclaimer's sentences stay in it, however they wrap. */
    { "Body here.\n\nKind regards,\nTom Baker\n\nThis email and any files sent with it are private and meant only for\n"
      "the person it is addressed to.  If you have received this email in error please notify the sender.\n",
      "Body here.", "received this email in error", "" },
  };
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *a = NULL, *s = NULL, *h = NULL;
      split (lx, cases[i].text, &a, &s, &h);
      ck_assert_msg (strstr (a, cases[i].in_authored), "case %u authored: [%s]", i, a);
      ck_assert_msg (strstr (s, cases[i].in_signature), "case %u signature: [%s]", i, s);
      ck_assert_msg (strstr (h, cases[i].in_history), "case %u history: [%s]", i, h);
      if (*cases[i].in_history)
        ck_assert_msg (!strstr (a, cases[i].in_history), "case %u: history in authored [%s]", i, a);
      if (*cases[i].in_signature)
        ck_assert_msg (!strstr (a, cases[i].in_signature), "case %u: signature in authored [%s]", i, a);
    }
}
END_TEST

/* The sentences of TEXT as folded strings. */
static GPtrArray *
sentences (const char *text)
{
  g_autoptr (GArray) spans = cm_sentences_split (text);
  GPtrArray *out = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; i < spans->len; i++)
    g_ptr_array_add (out, cm_sentences_text (text, g_array_index (spans, CmSpan, i)));
  return out;
}

START_TEST (test_sentences)
{
  g_autoptr (GPtrArray) s = sentences (
      "Dear Mr. Baker,\n\nThe report was late. Why was it late?\nI asked e.g. the clerk!\n"
      "It was wrapped\nover two lines.\n\n- a list item\n- another\nlast line without a stop");
  const char *expected[] = { "Dear Mr. Baker,", "The report was late.", "Why was it late?",
                             "I asked e.g. the clerk!", "It was wrapped over two lines.",
                             "- a list item", "- another", "last line without a stop" };
  ck_assert_uint_eq (s->len, G_N_ELEMENTS (expected));
  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    ck_assert_str_eq (s->pdata[i], expected[i]);

  /* A run with no punctuation is cut into pieces, each valid UTF-8. */
  GString *big = g_string_new (NULL);
  for (int i = 0; i < 3000; i++)
    g_string_append (big, "\xc2\xa3" "x ");
  g_autoptr (GPtrArray) pieces = sentences (big->str);
  g_string_free (big, TRUE);
  ck_assert_uint_gt (pieces->len, 1);
  for (guint i = 0; i < pieces->len; i++)
    {
      ck_assert (g_utf8_validate (pieces->pdata[i], -1, NULL));
      ck_assert_uint_le (strlen (pieces->pdata[i]), 2000);
    }
  g_autoptr (GPtrArray) none = sentences ("\n \n\t\n");
  ck_assert_uint_eq (none->len, 0);

  /* "3.5" and "!!!x" do not end a sentence, and what follows the run is
   * read on. */
  g_autoptr (GPtrArray) runs = sentences ("It rose 3.5 per cent!!!Really. Yes?!x fine. End");
  const char *run_expected[] = { "It rose 3.5 per cent!!!Really.", "Yes?!x fine.", "End" };
  ck_assert_uint_eq (runs->len, G_N_ELEMENTS (run_expected));
  for (guint i = 0; i < G_N_ELEMENTS (run_expected); i++)
    ck_assert_str_eq (runs->pdata[i], run_expected[i]);
}
END_TEST

/* F3 of issue 9: a long run of . ! ? followed by a letter was read again
 * from each of its characters (1 MB took 234 s); now once.  With the old
 * code this test runs past Check's time limit. */
START_TEST (test_sentences_long_punctuation_run)
{
  const gsize n = 1 << 20;
  char *text = g_malloc (n + 2);
  memset (text, '!', n);
  text[n] = 'x';
  text[n + 1] = '\0';
  g_autoptr (GArray) spans = cm_sentences_split (text);
  gsize covered = 0;
  for (guint i = 0; i < spans->len; i++)
    covered += g_array_index (spans, CmSpan, i).end - g_array_index (spans, CmSpan, i).start;
  ck_assert_uint_eq (covered, n + 1); /* every byte in some sentence, none twice */
  g_free (text);
}
END_TEST

int
main (void)
{
  cm_policy_init ();
  Suite *suite = suite_create ("text");
  TCase *tc = tcase_create ("text");
  tcase_add_test (tc, test_charsets);
  tcase_add_test (tc, test_html);
  tcase_add_test (tc, test_quotes);
  tcase_add_test (tc, test_sentences);
  tcase_add_test (tc, test_sentences_long_punctuation_run);
  suite_add_tcase (suite, tc);
  return test_run (suite);
}
