/*
 * words.c: split text into lower-case words (words.h).
 *
 * This runs over every sentence of every message, so it allocates once
 * for the words and once for their text, and hashes each word as it
 * writes it (the lexicon's indexes are keyed by these hashes).  The same
 * words, as keys alone (cm_word_keys_into), compare an HTML alternative
 * with its plain one: nothing is written for them.
 */
#include "config.h"

#include <string.h>

#include "keymap.h"
#include "words.h"

#define FNV_OFFSET CM_WORDS_FNV_OFFSET
#define FNV_PRIME CM_WORDS_FNV_PRIME

gboolean
cm_words_is_word_char (gunichar c)
{
  return c < 0x80 ? g_ascii_isalnum (c) : g_unichar_isalnum (c);
}

static gboolean
is_apostrophe (gunichar c)
{
  return c == '\'' || c == 0x2019 || c == 0x2018;
}

static gboolean
is_clause_mark (gunichar c)
{
  return c == ',' || c == ';' || c == ':' || c == '(' || c == ')' || c == '-' || c == '.'
      || c == '!' || c == '?' || c == 0x2013 || c == 0x2014;
}

/* The output buffer: grown only when lower-casing made text longer. */
typedef struct {
  char *data;
  gsize len, size;
} Buffer;

static void
reserve (Buffer *b, gsize more)
{
  if (b->len + more <= b->size)
    return;
  b->size = MAX (b->size * 2, b->len + more);
  b->data = g_realloc (b->data, b->size);
}

/* Append the lower-case form of C, apostrophes made straight.  The buffer
 * always has room for the rest of the input (ASCII never grows), so only a
 * non-ASCII character, whose lower case may be longer, reserves more. */
static inline void
append_lower (Buffer *b, gunichar c, gsize input_left)
{
  if (c < 0x80)
    b->data[b->len++] = g_ascii_tolower ((char) c);
  else if (is_apostrophe (c))
    b->data[b->len++] = '\'';
  else
    {
      reserve (b, input_left + 8);
      b->len += g_unichar_to_utf8 (g_unichar_tolower (c), b->data + b->len);
    }
}

/* What an ASCII byte is to the splitter: a letter or digit (whose lower
 * case is the byte | 0x20: digits have that bit already), or a clause
 * mark (is_clause_mark). */
enum { CLAUSE = 1, WORD = 2 };
static const guint8 ascii_class[256] = { /* 0 for every byte of a UTF-8 sequence */
  ['0' ... '9'] = WORD, ['A' ... 'Z'] = WORD, ['a' ... 'z'] = WORD,
  [','] = CLAUSE, [';'] = CLAUSE, [':'] = CLAUSE, ['('] = CLAUSE, [')'] = CLAUSE, ['-'] = CLAUSE,
  ['.'] = CLAUSE, ['!'] = CLAUSE, ['?'] = CLAUSE,
};
#define ascii_alnum(u) ((ascii_class[u] & WORD) != 0)

/* An ASCII letter or digit's lower case, 0 for any other byte: the word
 * loop's test and its lowering in one load. */
static const guint8 ascii_word_lower[256] = {
  ['0'] = '0', ['1'] = '1', ['2'] = '2', ['3'] = '3', ['4'] = '4',
  ['5'] = '5', ['6'] = '6', ['7'] = '7', ['8'] = '8', ['9'] = '9',
  ['A'] = 'a', ['B'] = 'b', ['C'] = 'c', ['D'] = 'd', ['E'] = 'e', ['F'] = 'f', ['G'] = 'g',
  ['H'] = 'h', ['I'] = 'i', ['J'] = 'j', ['K'] = 'k', ['L'] = 'l', ['M'] = 'm', ['N'] = 'n',
  ['O'] = 'o', ['P'] = 'p', ['Q'] = 'q', ['R'] = 'r', ['S'] = 's', ['T'] = 't', ['U'] = 'u',
  ['V'] = 'v', ['W'] = 'w', ['X'] = 'x', ['Y'] = 'y', ['Z'] = 'z',
  ['a'] = 'a', ['b'] = 'b', ['c'] = 'c', ['d'] = 'd', ['e'] = 'e', ['f'] = 'f', ['g'] = 'g',
  ['h'] = 'h', ['i'] = 'i', ['j'] = 'j', ['k'] = 'k', ['l'] = 'l', ['m'] = 'm', ['n'] = 'n',
  ['o'] = 'o', ['p'] = 'p', ['q'] = 'q', ['r'] = 'r', ['s'] = 's', ['t'] = 't', ['u'] = 'u',
  ['v'] = 'v', ['w'] = 'w', ['x'] = 'x', ['y'] = 'y', ['z'] = 'z',
};

/* Does the word go on at P (a letter or digit)? */
static inline gboolean
word_char_at (const char *p)
{
  guchar u = (guchar) *p;
  return u < 0x80 ? ascii_alnum (u) : cm_words_is_word_char (g_utf8_get_char (p));
}

/* The splitter in its text: P the next byte to read, B the lower-case
 * words written so far. */
typedef struct {
  const char *text;
  gsize text_len;
  const char *p;
  Buffer b;
} Scan;

/* Read the next word of S: its lower-case text is written to the buffer
 * from *AT (NUL-ended), *HASH is cm_words_hash () of it, *START where it
 * starts in the text, *CLAUSE whether a clause mark came before it (or
 * CLAUSE is TRUE: one came before S->p).  FALSE at the end of the text. */
static gboolean
next_word (Scan *s, gboolean clause, gsize *at, guint64 *hash_out, const char **start, gboolean *clause_out)
{
  const char *p = s->p;
  guchar u;
  for (;;)
    {
      u = (guchar) *p;
      /* Spaces and punctuation between words, ASCII, at once. */
      while (u < 0x80 && u && !ascii_alnum (u))
        {
          clause |= ascii_class[u] & CLAUSE;
          u = (guchar) *++p;
        }
      if (u == 0)
        {
          s->p = p;
          return FALSE;
        }
      if (u < 0x80 || cm_words_is_word_char (g_utf8_get_char (p)))
        break;
      clause |= is_clause_mark (g_utf8_get_char (p));
      p = g_utf8_next_char (p);
    }
  *start = p;
  *at = s->b.len;
  *clause_out = clause;
  /* The common case, kept short: ASCII letters, digits, ' and -, written
   * through a local pointer (a store through char * could change b.len,
   * so the compiler would reload it for every byte). */
  char *out = s->b.data + s->b.len;
  /* The word's hash (cm_words_hash) as it is written; made again from
   * the buffer when a non-ASCII character or a possessive came. */
  guint64 hash = FNV_OFFSET;
  gboolean rehash = FALSE;
  for (;;)
    {
      /* A run of ASCII letters and digits, the bulk of any text, in a
       * loop of its own: one index for the input and the output. */
      gsize i = 0;
      guint lower;
      while ((lower = ascii_word_lower[(guchar) p[i]]) != 0)
        {
          out[i] = (char) lower;
          hash = (hash ^ lower) * FNV_PRIME;
          i++;
        }
      p += i;
      out += i;
      u = (guchar) *p;
      if (u < 0x80)
        {
          if (!((u == '\'' || u == '-') && word_char_at (p + 1)))
            break;
          *out++ = (char) u;
          hash = (hash ^ u) * FNV_PRIME;
          p++;
          continue;
        }
      gunichar c = g_utf8_get_char (p);
      const char *next = g_utf8_next_char (p);
      if (!cm_words_is_word_char (c) && !(is_apostrophe (c) && word_char_at (next)))
        break;
      s->b.len = (gsize) (out - s->b.data);
      append_lower (&s->b, c, s->text_len - (gsize) (p - s->text));
      out = s->b.data + s->b.len;
      rehash = TRUE;
      p = next;
    }
  Buffer *b = &s->b;
  b->len = (gsize) (out - b->data);
  /* A possessive names the same thing: "Baker's" is "baker". */
  if (b->len - *at > 2 && b->data[b->len - 2] == '\'' && b->data[b->len - 1] == 's')
    {
      b->len -= 2;
      rehash = TRUE;
    }
  b->data[b->len++] = '\0'; /* the separator's room, or the final byte's */
  *hash_out = rehash ? cm_words_hash (b->data + *at) : hash;
  s->p = p;
  return TRUE;
}

/* What an ASCII byte is between words: BETWEEN for every byte that is
 * neither a letter nor a digit nor NUL, with CLAUSE for the clause marks
 * (is_clause_mark): the splitter's loop between words tests both with one
 * load. */
enum { BETWEEN = 4 };
static const guint8 split_between[256] = {
  [0x01 ... ' '] = BETWEEN, ['!'] = BETWEEN | CLAUSE, ['"' ... '\''] = BETWEEN, ['('] = BETWEEN | CLAUSE,
  [')'] = BETWEEN | CLAUSE, ['*' ... '+'] = BETWEEN, [','] = BETWEEN | CLAUSE, ['-'] = BETWEEN | CLAUSE,
  ['.'] = BETWEEN | CLAUSE, ['/'] = BETWEEN, [':'] = BETWEEN | CLAUSE, [';'] = BETWEEN | CLAUSE,
  ['<' ... '>'] = BETWEEN, ['?'] = BETWEEN | CLAUSE, ['@'] = BETWEEN, ['[' ... '`'] = BETWEEN,
  ['{' ... 0x7f] = BETWEEN,
};

/* The bytes after a run of ASCII letters and digits that may carry the
 * word on (' and -, before a letter or digit) or change it (not ASCII). */
static const guint8 may_go_on[256] = { ['\''] = 1, ['-'] = 1, [0x80 ... 0xff] = 1 };

/* Split TEXT into RESULT, reusing its arrays when they are large enough
 * (the words in WORDS_SIZE, the buffer in BUFFER_SIZE); or, when APPEND,
 * add the words of TEXT from FROM to those RESULT has already. */
static void
split_into (CmWords *result, const char *text, gsize from, gboolean append)
{
  Scan s;
  s.text = text;
  s.text_len = strlen (text);
  s.p = text;
  guint n = append ? result->n : 0;
  s.b.len = append ? result->buffer_used : 0;
  /* The earlier words' text pointers as offsets while the buffer may
   * move (they are all set again at the end, as the new words' are). */
  for (guint i = 0; i < n; i++)
    result->words[i].text = GSIZE_TO_POINTER (result->words[i].text - result->buffer);
  /* Room for the rest of the text (ASCII never grows), as next_word needs. */
  s.b.size = s.b.len + (s.text_len - from) + 16;
  if (result->buffer_size >= s.b.size)
    s.b.size = result->buffer_size;
  else if (append)
    result->buffer = g_realloc (result->buffer, s.b.size);
  else
    {
      g_free (result->buffer);
      result->buffer = g_malloc (s.b.size);
    }
  s.b.data = result->buffer;
  /* About one word in six bytes of mail; the array grows if not. */
  guint capacity = (guint) (n + (s.text_len - from) / 6 + 16);
  CmWord *words = result->words;
  if (result->words_size >= capacity)
    capacity = result->words_size;
  else if (append)
    words = g_renew (CmWord, words, capacity);
  else
    {
      g_free (words);
      words = g_new (CmWord, capacity);
    }
  const char *p = text + from;
  /* The buffer and its length in locals: S, whose address next_word
   * takes, is read and written only around it. */
  char *data = s.b.data;
  gsize used = s.b.len;
  for (;;)
    {
      /* Most words are ASCII letters and digits between ASCII spaces and
       * punctuation: read here in two short loops.  The rest (the end,
       * and anything with ' or - or a character that is not ASCII) is
       * read by next_word. */
      guint between, clause = 0;
      while ((between = split_between[(guchar) *p]) != 0)
        {
          clause |= between & CLAUSE;
          p++;
        }
      const char *start = p;
      gsize at = used;
      char *out = data + at;
      guint64 hash = FNV_OFFSET;
      /* One index for the input and the output: each letter costs a load,
       * a table load, a store and the hash's two steps. */
      gsize i = 0;
      for (guint lower; (lower = ascii_word_lower[(guchar) start[i]]) != 0; i++)
        {
          out[i] = (char) lower;
          hash = (hash ^ lower) * FNV_PRIME;
        }
      p = start + i;
      out += i;
      gboolean word_clause = clause != 0;
      if (p == start || may_go_on[(guchar) *p])
        {
          /* The text is read again from START: nothing was kept of it.
           * (Into variables of its own: the loop's then stay in
           * registers, not in memory for next_word to write.) */
          gsize long_at;
          guint64 long_hash;
          const char *long_start;
          gboolean long_clause;
          s.p = start;
          s.b.len = used;
          gboolean more = next_word (&s, word_clause, &long_at, &long_hash, &long_start, &long_clause);
          data = s.b.data; /* (next_word may grow the buffer) */
          used = s.b.len;
          if (!more)
            break;
          at = long_at;
          hash = long_hash;
          start = long_start;
          word_clause = long_clause;
          p = s.p;
        }
      else
        {
          *out++ = '\0';
          used = (gsize) (out - data);
        }
      if (n == capacity)
        {
          capacity *= 2;
          words = g_renew (CmWord, words, capacity);
        }
      /* The text pointer is set once the buffer stops moving. */
      words[n].text = GSIZE_TO_POINTER (at);
      words[n].offset = (guint) (start - text);
      words[n].length = (guint) (p - start);
      words[n].clause = word_clause;
      words[n].hash = hash;
      n++;
    }

  result->buffer = data;
  result->buffer_size = s.b.size;
  result->buffer_used = used;
  result->words = words;
  result->words_size = capacity;
  result->n = n;
  /* The text pointers are set once the buffer stops moving (next_word
   * may grow it). */
  for (guint i = 0; i < n; i++)
    words[i].text = data + GPOINTER_TO_SIZE (words[i].text);
}

CmWords *
cm_words_split (const char *text)
{
  CmWords *result = g_new0 (CmWords, 1);
  split_into (result, text, 0, FALSE);
  return result;
}

void
cm_words_split_again (CmWords *words, const char *text)
{
  split_into (words, text, 0, FALSE);
}

void
cm_words_extend (CmWords *words, const char *text, gsize *from)
{
  split_into (words, text, *from, TRUE);
  *from = words->n ? words->words[words->n - 1].offset + words->words[words->n - 1].length : 0;
}

/* Word keys (cm_word_keys_into): a word's lower-case bytes read eight at
 * a time, as a little-endian number, each folded in with a multiply.  A
 * word of eight bytes or fewer has a key of its own (no word holds a NUL,
 * and both steps are one to one); longer words share one as good as
 * never. */
#define KEY_OFFSET G_GUINT64_CONSTANT (0x9e3779b97f4a7c15)
#define KEY_PRIME G_GUINT64_CONSTANT (0xff51afd7ed558ccd)
#define BYTES(b) (G_GUINT64_CONSTANT (0x0101010101010101) * (b))

static inline guint64
load8 (const char *p)
{
  guint64 x;
  memcpy (&x, p, 8);
  return x;
}

/* The N bytes at P (N < 8), the rest 0: for the end of a text, where
 * eight bytes cannot be read. */
static guint64
load_some (const char *p, gsize n)
{
  guint64 x = 0;
  memcpy (&x, p, n);
  return x;
}

/* The key of WORD, LENGTH lower-case bytes; LIMIT is where reading must
 * stop (WORD + LENGTH at least).  LOWER is ORed into each chunk before it
 * is folded: 0x20 in each byte when the bytes are an ASCII word not yet
 * lowered (letters, digits, ' and -: the bit makes each lower case and
 * changes no other), else 0. */
static inline guint64
word_key (const char *word, gsize length, const char *limit, guint64 lower)
{
  guint64 key = KEY_OFFSET;
  gsize i = 0;
  for (; i + 8 <= length; i += 8)
    key = (key ^ (load8 (word + i) | lower)) * KEY_PRIME;
  gsize rest = length - i;
  if (rest)
    {
      guint64 last = word + i + 8 <= limit ? load8 (word + i) : load_some (word + i, rest);
      key = (key ^ ((last | lower) & (~G_GUINT64_CONSTANT (0) >> (64 - 8 * rest)))) * KEY_PRIME;
    }
  return key;
}

/* A word read the long way: its key, and where it ends. */
typedef struct {
  guint64 key;
  const char *end;
} SlowWord;

/* The word at P (its first character), read by next_word in SLOW, a
 * scanner of TEXT (LENGTH bytes) made at the first such word: the way of
 * a word with ' or - or a character that is not ASCII.  (Returned, not
 * written through a pointer: the caller's position stays in a register.) */
static G_NO_INLINE SlowWord
slow_word (Scan *slow, const char *text, gsize length, const char *p)
{
  if (slow->b.data == NULL)
    {
      slow->text = text;
      slow->text_len = length;
      slow->b.size = length + 16;
      slow->b.data = g_malloc (slow->b.size);
    }
  slow->p = p;
  slow->b.len = 0; /* the word is not kept */
  gsize at = 0;
  guint64 hash;
  const char *start;
  gboolean clause;
  next_word (slow, FALSE, &at, &hash, &start, &clause); /* P starts a word: never FALSE */
  /* The word is the buffer up to its NUL. */
  SlowWord word = { word_key (slow->b.data + at, slow->b.len - 1 - at, slow->b.data + slow->b.len - 1, 0),
                    slow->p };
  return word;
}

/* The bytes cm_word_keys_into () passes over between words at once: ASCII
 * that is not a letter or digit, but for the bytes that may end the text
 * (NUL, and '<' or '&' in HTML), which stop the loop to be looked at. */
static const guint8 ascii_between[256] = {
  [1 ... '%'] = 1, ['\'' ... '/'] = 1, [':' ... ';'] = 1, ['=' ... '@'] = 1,
  ['[' ... '`'] = 1, ['{' ... 0x7f] = 1,
};

/* The first N bytes of eight, for N from 0 to 8. */
static const guint64 first_bytes[9] = {
  0, 0xff, 0xffff, 0xffffff, 0xffffffff, G_GUINT64_CONSTANT (0xffffffffff), G_GUINT64_CONSTANT (0xffffffffffff),
  G_GUINT64_CONSTANT (0xffffffffffffff), G_GUINT64_CONSTANT (0xffffffffffffffff),
};

/* Each word of TEXT (cm_word_keys_into) as its key, up to TEXT's end, or,
 * when MARKUP, up to its first '<' or '&' (where *STOP is left): the key
 * is added to ADD, unless UNLESS (not NULL) has it.  The number of words.
 * Inlined in its callers, each with its own tests. */
G_ALWAYS_INLINE static inline guint
each_key (const char *text, const char *limit, gboolean markup, CmKeyMap *add, const CmKeyMap *unless,
          const char **stop)
{
  const char *p = text;
  gsize length = (gsize) (limit - text); /* the most a word read the long way may need */
  Scan slow = { 0 };
  guint n_words = 0;
  for (;;)
    {
      while (ascii_between[(guchar) *p])
        p++;
      guint64 key;
      if (!ascii_alnum ((guchar) *p))
        {
          if (*p == '\0' || (markup && (*p == '<' || *p == '&')))
            break;
          if ((guchar) *p < 0x80) /* '<' or '&' in a text without markup: between words like any other */
            {
              p++;
              continue;
            }
          if (!cm_words_is_word_char (g_utf8_get_char (p)))
            {
              p = g_utf8_next_char (p);
              continue;
            }
          SlowWord word = slow_word (&slow, text, length, p);
          key = word.key;
          p = word.end;
        }
      else
        {
          /* Most words are ASCII letters and digits alone, of eight bytes
           * or fewer: the key of such a word is made from one load. */
          const char *start = p;
          while (ascii_alnum ((guchar) *++p))
            ;
          gsize n = (gsize) (p - start);
          if (may_go_on[(guchar) *p])
            {
              SlowWord word = slow_word (&slow, text, length, start);
              key = word.key;
              p = word.end;
            }
          else if (n <= 8 && start + 8 <= limit)
            key = (KEY_OFFSET ^ ((load8 (start) | BYTES (0x20)) & first_bytes[n])) * KEY_PRIME;
          else
            key = word_key (start, n, limit, BYTES (0x20));
        }
      n_words++;
      if (unless == NULL || !cm_key_map_get (unless, key))
        cm_key_map_slot (add, key)->value = 1;
    }
  g_free (slow.b.data);
  if (stop)
    *stop = p;
  return n_words;
}

guint
cm_word_keys_into (CmKeyMap *set, const char *text, const char *limit)
{
  return each_key (text, limit, FALSE, set, NULL, NULL);
}

guint
cm_word_keys_missing (const CmKeyMap *have, CmKeyMap *missing, const char *text, const char *limit)
{
  return each_key (text, limit, FALSE, missing, have, NULL);
}

const char *
cm_word_keys_missing_to_markup (const CmKeyMap *have, CmKeyMap *missing, const char *text, const char *limit,
                                guint *n_words)
{
  const char *stop;
  *n_words += each_key (text, limit, TRUE, missing, have, &stop);
  return stop;
}

void
cm_word_keys_of (CmKeyMap *set, const CmWords *words, guint from, guint to)
{
  if (from >= to)
    return; /* (no words: the buffer may be NULL, and no offset may be added to it) */
  /* Loads may reach past the words into the rest of the buffer (the key
   * keeps only the word's bytes), but not past its end. */
  const char *end = words->buffer + words->buffer_used; /* past the last word's NUL */
  const char *limit = words->buffer + words->buffer_size;
  for (guint i = from; i < to; i++)
    {
      /* The words' texts follow one another in the buffer, each ended by
       * a NUL: a word's length is where the next starts. */
      const char *word = words->words[i].text;
      const char *next = i + 1 < words->n ? words->words[i + 1].text : end;
      gsize n = (gsize) (next - word) - 1;
      guint64 key = n <= 8 && word + 8 <= limit ? (KEY_OFFSET ^ (load8 (word) & first_bytes[n])) * KEY_PRIME
                                                : word_key (word, n, limit, 0);
      cm_key_map_slot (set, key)->value = 1;
    }
}

void
cm_words_clear (CmWords *words)
{
  g_clear_pointer (&words->buffer, g_free);
  g_clear_pointer (&words->words, g_free);
  words->n = words->words_size = 0;
  words->buffer_size = words->buffer_used = 0;
}

void
cm_words_free (CmWords *words)
{
  if (words == NULL)
    return;
  g_free (words->buffer);
  g_free (words->words);
  g_free (words);
}
