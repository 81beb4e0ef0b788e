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
  guint64 hash;     /* cm_words_hash (text) */
} CmWord;

typedef struct {
  char *buffer;
  CmWord *words;
  guint n;
} CmWords;

CmWords *cm_words_split (const char *text);
void cm_words_free (CmWords *words);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CmWords, cm_words_free)

/* The hash of a lower-case word, and of a sequence of words: the hash of
 * words a b c is step (step (step (0, h(a)), h(b)), h(c)). */
guint64 cm_words_hash (const char *word);
guint64 cm_words_hash_sequence (guint64 sequence, guint64 word);

/* Is C (a Unicode character) part of a word? */
gboolean cm_words_is_word_char (gunichar c);

#endif
