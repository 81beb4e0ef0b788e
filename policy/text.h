/*
 * text.h: from the bytes of a text part to sentences.
 *
 *   charset.c    declared charset -> UTF-8, with validation and fall-back
 *   html.c       HTML -> text with libxml2; quoted blocks marked with "> "
 *   quotes.c     new text vs quoted history vs signature
 *   sentences.c  text -> sentences
 *   alternatives.c  does an HTML alternative say more than its plain one?
 */
#ifndef CM_TEXT_H
#define CM_TEXT_H

#include <glib.h>

#include "keymap.h"
#include "lexicon.h"

/* DATA in CHARSET (NULL: unknown) as valid UTF-8; never fails.  A charset
 * GLib cannot convert, or bytes that are not valid in it, fall back to
 * UTF-8 if the bytes are valid UTF-8, else to windows-1252. */
char *cm_charset_to_utf8 (const char *data, gsize length, const char *charset);
/* The same, consuming BYTES: text that is already valid UTF-8 is not copied. */
char *cm_charset_to_utf8_owned (GByteArray *bytes, const char *charset);

/* The text of an HTML document (UTF-8).  Blockquotes and mail clients'
 * quote containers come out as "> " lines, their reply headers and
 * signature blocks as the markers quotes.c knows. */
char *cm_html_to_text (const char *html, gsize length);
/* The same, reading elements no deeper than MAX_DEPTH (at most 256, where
 * libxml2 stops): *TOO_DEEP is then the first depth past the cap that
 * was left out, else 0. */
char *cm_html_to_text_capped (const char *html, gsize length, guint max_depth, guint *too_deep);

typedef struct {
  GString *authored;
  GString *signature;
  GString *history;
} CmTextSplit;

/* Append TEXT's lines to the three parts of SPLIT. */
void cm_text_split (const char *text, const CmLexicons *lexicons, CmTextSplit *split);

/* A sentence: bytes [start, end) of a text. */
typedef struct {
  gsize start, end;
} CmSpan;

/* The sentences of TEXT, as CmSpan. */
GArray *cm_sentences_split (const char *text);
/* The text of SPAN with white space folded to single spaces. */
char *cm_sentences_text (const char *text, CmSpan span);

/* The words of a text/plain alternative, to compare the others with. */
typedef struct {
  CmKeyMap words; /* the key (cm_word_keys_into) of each distinct word */
} CmPlainWords;

/* The words of a text/plain alternative that cm_text_split put in SPLIT
 * (its lines moved whole to the three parts): the words from FIRST_WORD
 * of AUTHORED (the split of SPLIT's authored text), and SPLIT's signature
 * and history from bytes SIGNATURE_FROM and HISTORY_FROM. */
void cm_plain_words_init (CmPlainWords *plain, const CmWords *authored, guint first_word, const CmTextSplit *split,
                          gsize signature_from, gsize history_from);
void cm_plain_words_clear (CmPlainWords *plain);
/* Does HTML, read roughly without a parse, say more than PLAIN: at least
 * 3 words, and a twentieth of its words, that PLAIN has not?  When it
 * does, its parsed text is compared again (cm_text_says_more). */
gboolean cm_html_may_say_more (const char *html, const CmPlainWords *plain);
/* Does TEXT say more than PLAIN, in the same sense? */
gboolean cm_text_says_more (const char *text, const CmPlainWords *plain);

#endif
