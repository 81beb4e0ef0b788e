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
  /* The room in WORDS and BUFFER when they are owned (a range of another
   * CmWords owns neither). */
  guint words_size;
  gsize buffer_size;
  gsize buffer_used;      /* the bytes of BUFFER the words' texts take */
} CmWords;

CmWords *cm_words_split (const char *text);
/* Split TEXT into WORDS (made by cm_words_split, or all zero), reusing
 * its arrays: for many short texts one after another, with no
 * allocation for each. */
void cm_words_split_again (CmWords *words, const char *text);
/* Add to WORDS (made by cm_words_split, or all zero) the words of TEXT
 * from byte *FROM, 0 or where an earlier call on a shorter TEXT left it
 * (the end of its last word), and leave *FROM at the end of the last
 * word: for a text that grows, by whole lines (each ending in '\n'), and
 * is split as it grows, with the words a split of all of it would make. */
void cm_words_extend (CmWords *words, const char *text, gsize *from);
/* Free what WORDS owns, not WORDS itself (for one of cm_words_split_again). */
void cm_words_clear (CmWords *words);

/* Word keys, for comparing the words of two texts (an HTML alternative
 * and its plain one), where no word is read and a text may be long: a
 * 64-bit key for each word, nothing else of it made.  Equal words (as
 * cm_words_split () makes them) have equal keys, and different words
 * different keys: those of up to eight bytes always, longer ones as good
 * as always (a 64-bit hash).  A key is not the word's cm_words_hash ().
 *
 * LIMIT is the end of the string TEXT is in (its NUL): words are read
 * eight bytes at a time up to it. */
typedef struct _CmKeyMap CmKeyMap;
/* Add the key of every word of TEXT to SET; the number of words. */
guint cm_word_keys_into (CmKeyMap *set, const char *text, const char *limit);
/* Add the key of every word of TEXT that HAVE has not to MISSING; the
 * number of words. */
guint cm_word_keys_missing (const CmKeyMap *have, CmKeyMap *missing, const char *text, const char *limit);
/* The same for the text of an HTML document at TEXT up to its next markup
 * ('<' or '&'), which ends a word as a space does: the number of words
 * is added to *N_WORDS, and where the text stops is returned. */
const char *cm_word_keys_missing_to_markup (const CmKeyMap *have, CmKeyMap *missing, const char *text,
                                            const char *limit, guint *n_words);
/* Add the keys of words FROM to TO (not included) of WORDS, a split
 * (cm_words_split, cm_words_extend), to SET: the same keys as of the
 * text they were split from. */
void cm_word_keys_of (CmKeyMap *set, const CmWords *words, guint from, guint to);
void cm_words_free (CmWords *words);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CmWords, cm_words_free)

#define CM_WORDS_FNV_OFFSET G_GUINT64_CONSTANT (0xcbf29ce484222325)
#define CM_WORDS_FNV_PRIME G_GUINT64_CONSTANT (0x100000001b3)

/* The hash of a lower-case word, and of a sequence of words: the hash of
 * words a b c is step (step (step (0, h(a)), h(b)), h(c)).  Inline: the
 * cues and the matcher take hundreds a message, a call each cost as much
 * as the hash. */
static inline guint64
cm_words_hash (const char *word)
{
  guint64 h = CM_WORDS_FNV_OFFSET;
  for (const guchar *p = (const guchar *) word; *p; p++)
    h = (h ^ *p) * CM_WORDS_FNV_PRIME;
  return h;
}

static inline guint64
cm_words_hash_sequence (guint64 sequence, guint64 word)
{
  return (sequence ^ (word + G_GUINT64_CONSTANT (0x9e3779b97f4a7c15) + (sequence << 6) + (sequence >> 2)))
         * CM_WORDS_FNV_PRIME;
}

/* Is C (a Unicode character) part of a word? */
gboolean cm_words_is_word_char (gunichar c);

#endif
