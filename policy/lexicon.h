/*
 * lexicon.h: phrase patterns and the matcher that finds them in words.
 *
 * A pattern is words separated by spaces; a word may be alternatives
 * ("pay|refund"), each may end in '*' (a prefix), and "..." stands for up
 * to three other words.  Patterns are indexed by their first word, so the
 * cost of a scan grows with the text, not with the number of patterns:
 * the directory's thousands of names use the same matcher.
 */
#ifndef CM_LEXICON_H
#define CM_LEXICON_H

#include <glib.h>

#include "words.h"

typedef struct _CmLexicon CmLexicon;

typedef struct {
  guint start;      /* first word of the match */
  guint end;        /* one past its last word */
  gpointer data;    /* what the pattern was added with */
} CmMatch;

CmLexicon *cm_lexicon_new (void);
/* A lexicon whose patterns' data are bits, OR'd together where several
 * match at a word (cm_lexicon_bits_at). */
CmLexicon *cm_lexicon_new_bits (void);
void cm_lexicon_free (CmLexicon *lexicon);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CmLexicon, cm_lexicon_free)

/* Add PATTERN; the error says what is wrong with it (no file or line). */
gboolean cm_lexicon_add (CmLexicon *lexicon, const char *pattern, gpointer data, GError **error);
/* Load one pattern a line from PATH; errors say PATH:LINE. */
/* Load PATH; when ALSO (ALSO2) is not NULL, add every pattern to it too,
 * with BIT (BIT2) as its data (the combined scans of CmLexicons). */
CmLexicon *cm_lexicon_load_into (const char *path, CmLexicon *also, guint bit, CmLexicon *also2, guint bit2,
                                 GError **error);
CmLexicon *cm_lexicon_load (const char *path, GError **error);
guint cm_lexicon_size (const CmLexicon *lexicon);

/* The first (shortest) match starting at word POS, if any. */
gboolean cm_lexicon_match_at (const CmLexicon *lexicon, const CmWords *words, guint pos,
                              CmMatch *match);
/* The first word at or after FROM where a match starts, with its first
 * (shortest) match in *MATCH; WORDS->n when there is none.  The same as
 * cm_lexicon_match_at () at each word in turn, without a call for each
 * word that starts nothing. */
guint cm_lexicon_next_match (const CmLexicon *lexicon, const CmWords *words, guint from, CmMatch *match);
/* Every match starting anywhere in WORDS, appended to MATCHES (CmMatch). */
void cm_lexicon_scan (const CmLexicon *lexicon, const CmWords *words, GArray *matches);
/* Does some pattern match all of WORDS, first word to last? */
gboolean cm_lexicon_matches_whole (const CmLexicon *lexicon, const CmWords *words);
/* Does any pattern match anywhere in WORDS? */
gboolean cm_lexicon_matches (const CmLexicon *lexicon, const CmWords *words);
/* Of a lexicon of bit sets (CmLexicons' scan and officer_refs): the OR
 * of the data of every pattern matching at word POS. */
guint cm_lexicon_bits_at (const CmLexicon *lexicon, const CmWords *words, guint pos);

/* The lists every sentence is scanned for at once (CmSentence.hits). */
enum {
  CM_HIT_CRITICISM = 1 << 0,
  CM_HIT_OBLIGATION = 1 << 1,
  CM_HIT_POLITICAL = 1 << 2,
  CM_HIT_EMPLOYMENT = 1 << 3,
  CM_HIT_ABUSE = 1 << 4,
  CM_HIT_DISCRIMINATORY = 1 << 5,
  CM_HIT_DECISION_CRITICISM = 1 << 6,
  CM_HIT_BELITTLING = 1 << 7,   /* a cue for the learned weights only */
  CM_HIT_DISPARAGING = 1 << 8,  /* a cue for the learned weights only */
  CM_HIT_INSULT = 1 << 9,       /* a cue for the learned weights only */
  CM_HIT_OUTSIDE = 1 << 10,     /* a cue for the learned weights only */
};

/* The lists of CmLexicons.officer_refs (and of its scan, CM_REF_SHIFT
 * bits up, above the CM_HIT_ ones). */
enum {
  CM_REF_OFFICER = 1 << 0,   /* officer-words.txt */
  CM_REF_ADDRESSEE = 1 << 1, /* addressee.txt */
};
#define CM_REF_SHIFT 16

/* The named word lists of config/lexicon/, one file each. */
typedef struct {
  CmLexicon *criticism;      /* criticism.txt */
  CmLexicon *officer_words;  /* officer-words.txt */
  CmLexicon *addressee;      /* addressee.txt */
  CmLexicon *negation;       /* negation.txt */
  CmLexicon *negation_exceptions; /* negation-exceptions.txt */
  CmLexicon *obligation;     /* obligation.txt */
  CmLexicon *ceremonial;     /* ceremonial.txt */
  CmLexicon *deliberative;   /* deliberative.txt */
  CmLexicon *disclosure;     /* disclosure.txt */
  CmLexicon *signoff;        /* signoff.txt */
  CmLexicon *marking;        /* marking.txt */
  CmLexicon *disclaimer;     /* disclaimer.txt */
  CmLexicon *political;      /* political.txt */
  CmLexicon *employment;     /* employment.txt */
  CmLexicon *abuse;          /* abuse.txt */
  CmLexicon *discriminatory; /* discriminatory.txt */
  CmLexicon *decision_criticism; /* decision-criticism.txt */
  CmLexicon *belittling;     /* belittling.txt */
  CmLexicon *disparaging;    /* disparaging.txt */
  CmLexicon *insults;        /* insults.txt */
  CmLexicon *outside_bodies; /* outside-bodies.txt */
  CmLexicon *endearments;    /* endearments.txt */
  CmLexicon *decision_words; /* decision-words.txt */
  CmLexicon *member_words;   /* member-words.txt */
  /* The CM_HIT_ and the CM_REF_ lists in one, data = their bits (the
   * CM_REF_ ones CM_REF_SHIFT up): every word of every sentence is looked
   * up in them, once for both. */
  CmLexicon *scan;
  CmLexicon *officer_refs;   /* the CM_REF_ lists in one, data = their bits, for a
                                sentence that was not scanned */
} CmLexicons;

CmLexicons *cm_lexicons_load (const char *directory, GError **error);
void cm_lexicons_free (CmLexicons *lexicons);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CmLexicons, cm_lexicons_free)

/* The CM_HIT_ lists with a match in WORDS that is not negated: one pass
 * for all of them, so each rule's test of a sentence costs nothing.  The
 * same pass writes REFS[i] (not NULL): the CM_REF_ lists matching at word
 * i, where a sentence's officers are looked for. */
guint cm_lexicons_sentence_hits (const CmLexicons *lexicons, const CmWords *words, guint8 *refs);

/* Is the match starting at word START negated: a negation word up to eight
 * words before it in the same clause (no , ; : or "but", "and"... between)? */
gboolean cm_lexicons_negated (const CmLexicons *lexicons, const CmWords *words, guint start);
#endif
