/*
 * words.h: a sentence as lower-case words, the unit every matcher reads.
 *
 * Words are runs of letters and digits, with apostrophes and hyphens
 * inside them kept ("can't", "cover-up"); curly apostrophes become
 * straight ones so that "can’t" and "can't" are the same word, and a
 * possessive "'s" is dropped ("Baker's" is "baker").
 */
#ifndef CM_WORDS_H
#define CM_WORDS_H

#include <glib.h>

typedef struct {
  const char *text; /* lower case, NUL-terminated, inside CmWords.buffer */
  guint offset;     /* byte offset of the word in the original text */
  guint length;     /* its length in bytes in the original text */
  gboolean clause;  /* punctuation (, ; : ( dash) stands before it: a new clause */
} CmWord;

typedef struct {
  char *buffer;
  CmWord *words;
  guint n;
} CmWords;

CmWords *cm_words_split (const char *text);
void cm_words_free (CmWords *words);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CmWords, cm_words_free)

/* Is C (a Unicode character) part of a word? */
gboolean cm_words_is_word_char (gunichar c);

#endif
