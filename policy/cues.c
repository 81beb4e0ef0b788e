/*
 * cues.c: the cues of a message for the learned weights (cues.h).
 */
#include "config.h"

#include <string.h>
#include <libstemmer.h>

#include "cues.h"
#include "model.h"
#include "rules/refs.h"
#include "view.h"
#include "valence.h"
#include "verdict.h"

/* A sentence past this many words adds no more word cues: enough for any
 * real sentence, and a bound on the work a pasted log can cause. */
#define WORDS_PER_SENTENCE 80
/* Cues are read from at most this many sentences of a message. */
#define SENTENCES_READ 400

CmCues *
cm_cues_new (gboolean want_names, const CmModel *only)
{
  CmCues *cues = g_new0 (CmCues, 1);
  cues->want_names = want_names;
  cues->only = only;
  cues->names = g_ptr_array_new_with_free_func (g_free);
  cm_key_map_init (&cues->by_hash, 64);
  cues->gated = g_ptr_array_new ();
  if (only)
    cues->weights_of = only;
  return cues;
}

void
cm_cues_free (CmCues *cues)
{
  if (cues == NULL)
    return;
  cm_key_map_clear (&cues->by_hash);
  g_free (cues->hashes);
  g_free (cues->marks);
  g_ptr_array_unref (cues->names);
  g_free (cues->ids);
  g_free (cues->ends);
  g_ptr_array_unref (cues->gated);
  g_free (cues->weights);
  g_free (cues);
}

static gboolean
is_pronoun (const char *word)
{
  /* Byte by byte, most words told apart by their first or second byte:
   * every word of a sentence may be asked. */
  switch (word[0])
    {
    case 'h':
      if (word[1] == 'e') /* he, her, hers, herself */
        return word[2] == '\0' || (word[2] == 'r' && (word[3] == '\0' || strcmp (word + 3, "s") == 0
                                                       || strcmp (word + 3, "self") == 0));
      if (word[1] == 'i') /* him, his, himself */
        return (word[2] == 'm' && (word[3] == '\0' || strcmp (word + 3, "self") == 0))
            || (word[2] == 's' && word[3] == '\0');
      return FALSE;
    case 's':
      return word[1] == 'h' && word[2] == 'e' && word[3] == '\0';
    case 't':
      /* they, them, their, themselves */
      if (word[1] != 'h' || word[2] != 'e')
        return FALSE;
      return (word[3] == 'y' && word[4] == '\0') || (word[3] == 'm' && word[4] == '\0')
          || (word[3] == 'i' && word[4] == 'r' && word[5] == '\0') || strcmp (word + 3, "mselves") == 0;
    default:
      return FALSE;
    }
}

static gboolean
is_digits (const char *word)
{
  for (const char *p = word; *p; p++)
    if (!g_ascii_isdigit (*p) && *p != '.' && *p != ',')
      return FALSE;
  return TRUE;
}

/* A word's stem: its hash, and its text when names are wanted (in the
 * message's Stems.texts, else NULL). */
typedef struct {
  guint64 hash;
  const char *text;
  const CmStemWeights *weights; /* what the model judged with weighs of it (BY_STEMS only) */
  double valence;               /* the word's own (not its stem's), kept with it: one
                                   lookup a word gives both */
  /* Its w:, o: and m: cues (BY_STEMS only) once added, their ids + 1 (0: not
   * yet): a word met again is put in a list without its cues' hashes
   * made and looked up again. */
  guint w_cue, o_cue, m_cue;
} Stem;

/* The stems of the words of a message (a message repeats most of its
 * words): word hash -> index in STEMS + 1. */
typedef struct {
  /* Made at the first word that no cache knows: none, for a message of
   * words seen before. */
  struct sb_stemmer *stemmer;
  const CmValence *valence; /* the words' valence, or NULL */
  CmKeyMap by_word;
  /* Stem, each distinct word's once: room for every word read, made
   * at the start, so that a new stem is stored without a call. */
  Stem *stems;
  guint n_stems;
  GStringChunk *texts;    /* their texts, when names are wanted */
  CmStemCache *shared;    /* the model's, across messages, or NULL */
  /* The model judged with, when its cues can be found by stem
   * (cm_model_by_stems): each word then costs one lookup, not three. */
  const CmModel *by_stems;
  guint64 not_hash; /* cm_words_hash ("not") */
} Stems;

/* The negative forms of the auxiliary verbs, each spelt one way for the
 * cues: "will not", "won't" and phone mail's "wont" are one word to the
 * weights, so that a refusal ("the council will not pay") is not read as
 * the commitment ("the council will pay") with a "not" beside it. */
static const char *const negative_forms[][2] = {
  { "will", "won't" },   { "shall", "shan't" },     { "can", "can't" },   { "would", "wouldn't" },
  { "could", "couldn't" }, { "should", "shouldn't" }, { "must", "mustn't" }, { "do", "don't" },
  { "does", "doesn't" }, { "did", "didn't" },       { "is", "isn't" },    { "are", "aren't" },
  { "was", "wasn't" },   { "were", "weren't" },     { "has", "hasn't" },  { "have", "haven't" },
  { "had", "hadn't" },
};

/* The negative form of VERB, taken with a "not" after it ("won't" for
 * "will"), or NULL. */
static const char *
negative_of_verb (const char *verb)
{
  for (guint i = 0; i < G_N_ELEMENTS (negative_forms); i++)
    if (strcmp (verb, negative_forms[i][0]) == 0)
      return negative_forms[i][1];
  return NULL;
}

/* The negative form that WORD spells without its apostrophe ("dont",
 * "wouldnt") or as one word ("cannot"), or NULL. */
static const char *
negative_spelt_plainly (const char *word)
{
  gsize n = strlen (word);
  if (n < 4 || word[n - 1] != 't' || (word[n - 2] != 'n' && strcmp (word, "cannot") != 0))
    return NULL;
  if (strcmp (word, "cannot") == 0)
    return "can't";
  for (guint i = 0; i < G_N_ELEMENTS (negative_forms); i++)
    {
      const char *form = negative_forms[i][1];
      if (strlen (form) == n + 1 && memcmp (form, word, n - 1) == 0 && form[n - 1] == '\'' && form[n] == 't')
        return form;
    }
  return NULL;
}

/* WORD, met for the first time in the message (its empty SLOT in the
 * message's cache), stemmed ("#" for a number) by the model's cache or
 * Snowball's stemmer, with its valence. */
static G_NO_INLINE Stem *
new_stem (Stems *stems, const CmWord *word, CmKeySlot *slot)
{
  Stem made;
  made.w_cue = made.o_cue = made.m_cue = 0;
  const char *text;
  if (stems->shared && cm_stem_cache_get (stems->shared, word->text, word->hash, &text, &made.hash))
    made.text = stems->texts ? text : NULL;
  else
    {
      text = word->text;
      const char *negative = negative_spelt_plainly (text);
      if (negative)
        text = negative;
      if (stems->stemmer == NULL)
        stems->stemmer = sb_stemmer_new ("english", NULL);
      if (is_digits (text))
        text = "#";
      else if (stems->stemmer)
        {
          const sb_symbol *out = sb_stemmer_stem (stems->stemmer, (const sb_symbol *) text, (int) strlen (text));
          if (out)
            text = (const char *) out;
        }
      made.hash = cm_words_hash (text);
      const char *kept = stems->shared ? cm_stem_cache_add (stems->shared, word->text, word->hash, text, made.hash)
                                       : NULL;
      made.text = !stems->texts ? NULL : kept ? kept : g_string_chunk_insert (stems->texts, text);
    }
  made.weights = stems->by_stems ? cm_model_stem_weights (stems->by_stems, made.hash) : NULL;
  made.valence = stems->valence ? cm_valence_of (stems->valence, word->hash) : 0;
  stems->stems[stems->n_stems++] = made;
  slot->value = stems->n_stems;
  return &stems->stems[stems->n_stems - 1];
}

/* WORD stemmed, with its valence; valid while STEMS is.  The message's
 * cache is looked in inline: most words of a message are met again. */
static inline Stem *
stem (Stems *stems, const CmWord *word)
{
  CmKeySlot *slot = cm_key_map_slot (&stems->by_word, word->hash);
  return slot->value ? &stems->stems[slot->value - 1] : new_stem (stems, word, slot);
}

/* The first NEEDLE (N bytes) in TEXT (LENGTH bytes), or NULL: memchr
 * finds its last byte (memmem and g_strstr_len cost far more on a
 * sentence).  The last, not the first: " '" starts with a space, so a
 * search by its first byte stopped at every word. */
static const char *
find (const char *text, gsize length, const char *needle, gsize n)
{
  if (length < n)
    return NULL;
  const char *end = text + length;
  guchar last = (guchar) needle[n - 1];
  for (const char *p = text + n - 1; (p = memchr (p, last, (gsize) (end - p))); p++)
    if (memcmp (p - (n - 1), needle, n - 1) == 0)
      return p - (n - 1);
  return NULL;
}

/* Does TEXT (LENGTH bytes) put a few words in quotation marks ("another
 * 'update'")? */
static gboolean
has_scare_quotes (const char *text, gsize length)
{
  const char *end = text + length;
  static const struct {
    const char *open, *close;
    gsize open_length, close_length;
  } quotes[] = {
    { "\xe2\x80\x9c", "\xe2\x80\x9d", 3, 3 }, { "\xe2\x80\x98", "\xe2\x80\x99", 3, 3 },
    { "\"", "\"", 1, 1 }, { " '", "'", 2, 1 },
  };
  /* Curly quotes start with the byte 0xe2: a sentence without one needs
   * no search for either. */
  gboolean curly = memchr (text, 0xe2, length) != NULL;
  /* (The text holds no NUL, so this finds what g_strstr_len did.) */
  for (guint i = curly ? 0 : 2; i < G_N_ELEMENTS (quotes); i++)
    {
      const char *open = find (text, length, quotes[i].open, quotes[i].open_length);
      if (open == NULL)
        continue;
      const char *inside = open + quotes[i].open_length;
      const char *close = find (inside, (gsize) (end - inside), quotes[i].close, quotes[i].close_length);
      /* A short quoted phrase, not a whole quoted sentence. */
      if (close && close > inside && close - inside <= 30 && g_ascii_isalpha (*inside))
        return TRUE;
    }
  return FALSE;
}

/* Does WORDS end with a term of endearment set off by a comma ("Sit down,
 * dear.")?  Spoken to a colleague it talks down; at least two words
 * before it keep out a greeting or a sign-off ("Thanks, love"). */
static gboolean
ends_with_vocative (const CmLexicon *endearments, const CmWords *words)
{
  for (guint back = 1; back <= 2 && back + 2 <= words->n; back++)
    {
      guint pos = words->n - back;
      CmMatch match;
      if (words->words[pos].clause && cm_lexicon_match_at (endearments, words, pos, &match)
          && match.end == words->n)
        return TRUE;
    }
  return FALSE;
}

/* Cue hashes are kept as the keys of GLib hash tables themselves. */
G_STATIC_ASSERT (sizeof (gpointer) >= sizeof (guint64));

guint64
cm_cue_hash (const char *prefix, const char *name, const char *second)
{
  guint64 h = cm_words_hash_sequence (cm_words_hash (prefix), cm_words_hash (name));
  return second ? cm_words_hash_sequence (h, cm_words_hash (second)) : h;
}

guint64
cm_cue_hash_of_name (const char *cue)
{
  const char *colon = strchr (cue, ':');
  if (colon == NULL || colon == cue || colon[1] == '\0')
    return 0;
  g_autofree char *prefix = g_strndup (cue, (gsize) (colon - cue) + 1);
  const char *name = colon + 1;
  /* Only a word pair has a second part: words never hold '_'. */
  const char *join = strcmp (prefix, "b:") == 0 ? strchr (name, '_') : NULL;
  if (join == NULL)
    return cm_cue_hash (prefix, name, NULL);
  g_autofree char *first = g_strndup (name, (gsize) (join - name));
  return cm_cue_hash (prefix, first, join + 1);
}

/* Where the cues being added go: a sentence's list (SENTENCE is its
 * number + 1) or the message's (0), at the end of CUES->ids. */
typedef struct {
  CmCues *cues;
  guint sentence;
  guint64 prefix_w, prefix_o, prefix_m, prefix_b; /* the hashes of "w:", "o:", "m:", "b:" */
} Adding;

/* Put cue ID in the list being added to, unless this sentence put it
 * there already. */
static inline void
list_once (Adding *a, guint id)
{
  /* The cue's mark: the sentence that last added it + 1. */
  CmCues *cues = a->cues;
  if (a->sentence && cues->marks[id] == a->sentence)
    return;
  cues->marks[id] = a->sentence;
  if (cues->n_ids == cues->ids_size)
    {
      cues->ids_size = MAX (256, cues->ids_size * 2);
      cues->ids = g_renew (guint, cues->ids, cues->ids_size);
    }
  cues->ids[cues->n_ids++] = id;
}

/* Make HASH the next distinct cue (its WEIGHTS kept when judging) and
 * SLOT its slot: the arrays double when full, so an append is two stores. */
static inline void
new_cue (CmCues *cues, CmKeySlot *slot, guint64 hash, const double *weights)
{
  if (cues->n_cues == cues->cues_size)
    {
      cues->cues_size = MAX (256, cues->cues_size * 2);
      cues->hashes = g_renew (guint64, cues->hashes, cues->cues_size);
      cues->marks = g_renew (guint, cues->marks, cues->cues_size);
      if (cues->only)
        cues->weights = g_renew (const double *, cues->weights, cues->cues_size);
    }
  cues->hashes[cues->n_cues] = hash;
  cues->marks[cues->n_cues] = 0;
  if (cues->only)
    cues->weights[cues->n_cues] = weights;
  slot->value = ++cues->n_cues;
}

/* Add the cue HASH (named PREFIX NAME [_ SECOND]) to the list, once. */
static void
add_hash (Adding *a, guint64 hash, const char *prefix, const char *name, const char *second)
{
  const double *weights = NULL;
  if (a->cues->only && (weights = cm_model_weights (a->cues->only, hash)) == NULL)
    return; /* it weighs nothing */
  CmKeySlot *slot = cm_key_map_slot (&a->cues->by_hash, hash);
  if (slot->value == 0)
    {
      new_cue (a->cues, slot, hash, weights);
      if (a->cues->want_names)
        g_ptr_array_add (a->cues->names, second ? g_strconcat (prefix, name, "_", second, NULL)
                                                : g_strconcat (prefix, name, NULL));
    }
  list_once (a, slot->value - 1);
}

/* Add the cue HASH of a word pair when the model judged with (judging
 * only: no name is kept) weighs it: add_hash without the names, inline
 * for the many pairs of a message. */
static inline void
add_pair (Adding *a, guint64 hash)
{
  const double *weights = cm_model_weights (a->cues->only, hash);
  if (weights == NULL)
    return; /* it weighs nothing */
  CmKeySlot *slot = cm_key_map_slot (&a->cues->by_hash, hash);
  if (slot->value == 0)
    new_cue (a->cues, slot, hash, weights);
  list_once (a, slot->value - 1);
}

/* Add the cue HASH of a word, whose WEIGHTS the model's table by stem
 * gave (judging only: no name is kept, no lookup needed); its id + 1,
 * for the word's stem to keep. */
static guint
add_weighed (Adding *a, guint64 hash, const double *weights)
{
  CmKeySlot *slot = cm_key_map_slot (&a->cues->by_hash, hash);
  if (slot->value == 0)
    new_cue (a->cues, slot, hash, weights);
  guint id = slot->value - 1;
  list_once (a, id);
  return id + 1;
}

static void
add (Adding *a, const char *prefix, const char *name)
{
  add_hash (a, cm_cue_hash (prefix, name, NULL), prefix, name, NULL);
}

/* The text SENTENCE's offsets are in: the subject or the authored text. */
static const char *
sentence_source (const CmView *view, const CmSentence *sentence)
{
  return sentence->subject ? view->subject : view->authored;
}

/* Does SENTENCE name an officer by first name alone ("each time it has
 * been Gary's pack")?  Only a capitalised word counts ("Mark" the officer,
 * not "mark the date"), and only a first name that one officer has and no
 * member (the directory says which).  A cue, not a reference the word
 * lists act on: a first name is weaker evidence than a full name. */
static gboolean
officer_by_first_name (const CmRuleContext *context, const CmSentence *sentence)
{
  const char *source = sentence_source (context->view, sentence);
  for (guint i = 0; i < sentence->words.n && i < WORDS_PER_SENTENCE; i++)
    {
      const CmWord *word = &sentence->words.words[i];
      if (g_ascii_isupper (source[word->offset])
          && cm_directory_officer_by_first_name (context->directory, word->hash))
        return TRUE;
    }
  return FALSE;
}

/* What names a person the directory does not know in SENTENCE: a post
 * ("Head of Libraries", "the Director of Place"), or a courtesy title
 * before a capitalised name ("Mr Fenwick").  Councils' mail names
 * officers so, and the directory holds only some of them. */
typedef enum { UNKNOWN_NONE, UNKNOWN_POST, UNKNOWN_TITLED } Unknown;

static Unknown
unknown_person (const CmRuleContext *context, const CmSentence *sentence)
{
  static const char *const titles[] = { "mr", "mrs", "ms", "miss", "dr" };
  const char *source = sentence_source (context->view, sentence);
  const CmWords *words = &sentence->words;
  const CmLexicon *names = cm_directory_names (context->directory);
  guint n = MIN (words->n, WORDS_PER_SENTENCE);
  Unknown found = UNKNOWN_NONE;
  for (guint i = 0; i + 1 < n && found != UNKNOWN_POST; i++)
    {
      const CmWord *word = &words->words[i];
      if (!g_ascii_isupper (source[word->offset]))
        continue;
      if ((strcmp (word->text, "head") == 0 || strcmp (word->text, "director") == 0) && i + 2 < n
          && strcmp (word[1].text, "of") == 0 && g_ascii_isupper (source[word[2].offset]))
        found = UNKNOWN_POST;
      else if (found == UNKNOWN_NONE && g_ascii_isupper (source[word[1].offset]))
        {
          CmMatch match;
          for (guint t = 0; t < G_N_ELEMENTS (titles); t++)
            if (strcmp (word->text, titles[t]) == 0 && !cm_lexicon_match_at (names, words, i, &match)
                && !cm_lexicon_match_at (names, words, i + 1, &match))
              found = UNKNOWN_TITLED;
        }
    }
  return found;
}

static void
message_cues (const CmRuleContext *context, Adding *features)
{
  const CmView *view = context->view;
  add (features, "role:", cm_role_name (view->sender->role));
  CmAudience audience;
  cm_refs_audience (view, &audience);
  if (audience.members)
    add (features, "aud:", "members");
  if (audience.media->len)
    add (features, "aud:", "media");
  if (audience.external)
    add (features, "aud:", "external");
  cm_refs_audience_clear (&audience);
  for (guint i = 0; i < view->to->len; i++)
    if (((const CmParticipant *) view->to->pdata[i])->role == CM_ROLE_OFFICER)
      {
        add (features, "to:", "officer");
        break;
      }
  if (view->sender->role == CM_ROLE_MEMBER && view->sender->person
      && !g_str_has_suffix (view->sender->address, cm_directory_domain (context->directory)))
    add (features, "from:", "personal");
  if (view->attachments->len)
    add (features, "att:", "any");
}

static void
sentence_cues (const CmRuleContext *context, Stems *stems, const CmSentence *sentence,
               gboolean *after_officer, Adding *features)
{
  const CmView *view = context->view;
  CmOfficerRefs refs = { 0 };
  gboolean officer = cm_refs_officers (context, sentence, &refs);
  gboolean addressed = refs.addressed;
  /* A member named: what is said of them is read apart, as of an
   * officer (abuse of a member, against criticism of an officer). */
  gboolean about_member = refs.member || refs.member_addressed;
  if (refs.member_addressed)
    add (features, "cue:", "you-member");
  cm_refs_clear (&refs);
  if (!officer && officer_by_first_name (context, sentence))
    {
      officer = TRUE;
      add (features, "cue:", "officer-first-name");
    }
  if (!officer)
    switch (unknown_person (context, sentence))
      {
      case UNKNOWN_POST:
        officer = TRUE;
        add (features, "cue:", "officer-post");
        break;
      case UNKNOWN_TITLED:
        add (features, "cue:", "titled-name");
        break;
      case UNKNOWN_NONE:
        break;
      }
  gboolean pronoun = FALSE;
  for (guint i = 0; i < sentence->words.n && !officer && !pronoun; i++)
    pronoun = is_pronoun (sentence->words.words[i].text);
  gboolean about_officer = officer || (pronoun && *after_officer);
  if (officer)
    add (features, "cue:", "officer");
  else if (about_officer)
    add (features, "cue:", "officer-pronoun");
  if (addressed)
    add (features, "cue:", "you");
  if (about_member)
    add (features, "cue:", "member");
  /* A paragraph about an officer goes on while sentences refer back. */
  *after_officer = about_officer;

  static const struct { guint bit; const char *name; } lists[] = {
    { CM_HIT_CRITICISM, "criticism" }, { CM_HIT_OBLIGATION, "obligation" },
    { CM_HIT_POLITICAL, "political" }, { CM_HIT_EMPLOYMENT, "employment" },
    { CM_HIT_ABUSE, "abuse" }, { CM_HIT_DISCRIMINATORY, "discriminatory" },
    { CM_HIT_DECISION_CRITICISM, "decision-criticism" }, { CM_HIT_BELITTLING, "belittling" },
    { CM_HIT_DISPARAGING, "disparaging" }, { CM_HIT_INSULT, "insult" }, { CM_HIT_OUTSIDE, "outside" },
  };
  for (guint i = 0; i < G_N_ELEMENTS (lists); i++)
    if (sentence->hits & lists[i].bit)
      add (features, "hit:", lists[i].name);
  /* A post of an outside body ("the trust's chief executive", "the
   * contractor's site manager") reads as an officer's; the weights learn
   * what an outside body in an officer's sentence is worth. */
  if (about_officer && (sentence->hits & CM_HIT_OUTSIDE))
    add (features, "o:", "hit:outside");

  /* Punctuation from the sentence's own bytes, read in place. */
  const char *source = sentence_source (view, sentence);
  gsize end = sentence->end;
  while (end > sentence->start && g_ascii_isspace (source[end - 1]))
    end--;
  const char *text = source + sentence->start;
  gsize length = MIN (end - sentence->start, 2000);
  if (length && text[length - 1] == '?')
    add (features, "cue:", "question");
  if (memchr (text, '!', length))
    add (features, "cue:", "exclaim");
  if (has_scare_quotes (text, length))
    add (features, "cue:", "quote");
  if (ends_with_vocative (context->lexicons->endearments, &sentence->words))
    add (features, "cue:", "vocative");

  /* Evaluative language: the sum of the words' valence, a word's sign
   * turned (and damped, as VADER does) by a negation before it in its
   * clause; the band is a cue, and again when the sentence is about an
   * officer. */
  guint n = MIN (sentence->words.n, WORDS_PER_SENTENCE);
  /* Each word's stem and valence, looked up once for both loops below. */
  Stem *known[WORDS_PER_SENTENCE];
  gboolean all_known = FALSE;
  if (context->valence)
    {
      double total = 0;
      for (guint i = 0; i < n; i++)
        {
          known[i] = stem (stems, &sentence->words.words[i]);
          double v = known[i]->valence;
          if (v != 0 && cm_lexicons_negated (context->lexicons, &sentence->words, i))
            v *= -0.74;
          total += v;
        }
      /* The band, and its name with "val:" for the o: cue (no string
       * joined a sentence). */
      static const char *const bands[][2] = { { "neg2", "val:neg2" }, { "neg", "val:neg" }, { "pos2", "val:pos2" },
                                               { "pos", "val:pos" } };
      int band = total <= -3 ? 0 : total <= -1 ? 1 : total >= 3 ? 2 : total >= 1 ? 3 : -1;
      if (band >= 0)
        {
          add (features, "val:", bands[band][0]);
          if (about_officer)
            add (features, "o:", bands[band][1]);
          if (about_member)
            add (features, "m:", bands[band][1]);
        }
      all_known = TRUE;
    }

  /* The words as the cues read them: a verb and the "not" after it are
   * one word, its negative form. */
  Stem *read[WORDS_PER_SENTENCE];
  guint n_read = 0;
  for (guint i = 0; i < n; i++)
    {
      const CmWord *word = &sentence->words.words[i];
      const char *negative;
      if (i + 1 < n && word[1].hash == stems->not_hash && !word[1].clause
          && (negative = negative_of_verb (word->text)) != NULL)
        {
          CmWord joined = { negative, word->offset, 0, word->clause, cm_words_hash (negative) };
          read[n_read++] = stem (stems, &joined);
          i++;
          continue;
        }
      read[n_read++] = all_known ? known[i] : stem (stems, word);
    }

  const char *start = sentence->subject ? "^subject" : "^";
  Stem first = { cm_words_hash (start), start, NULL, 0, 0, 0 };
  const Stem *previous = &first;
  if (stems->by_stems)
    {
      /* The same cues as below, each word looked up once in the model's
       * table by stem, and a pair only when both its words can be one. */
      first.weights = cm_model_stem_weights (stems->by_stems, first.hash);
      for (guint i = 0; i < n_read; i++)
        {
          Stem *word = read[i];
          const CmStemWeights *w = word->weights;
          if (w && w->w)
            {
              if (word->w_cue)
                list_once (features, word->w_cue - 1);
              else
                word->w_cue = add_weighed (features, cm_words_hash_sequence (features->prefix_w, word->hash), w->w);
            }
          if (w && w->o && about_officer)
            {
              if (word->o_cue)
                list_once (features, word->o_cue - 1);
              else
                word->o_cue = add_weighed (features, cm_words_hash_sequence (features->prefix_o, word->hash), w->o);
            }
          if (w && w->m && about_member)
            {
              if (word->m_cue)
                list_once (features, word->m_cue - 1);
              else
                word->m_cue = add_weighed (features, cm_words_hash_sequence (features->prefix_m, word->hash), w->m);
            }
          if (w && (w->sides & CM_STEM_SECOND) && previous->weights && (previous->weights->sides & CM_STEM_FIRST))
            {
              guint64 pair = cm_words_hash_sequence (features->prefix_b, previous->hash);
              add_pair (features, cm_words_hash_sequence (pair, word->hash));
            }
          previous = word;
        }
      return;
    }
  for (guint i = 0; i < n_read; i++)
    {
      const Stem *word = read[i];
      add_hash (features, cm_words_hash_sequence (features->prefix_w, word->hash), "w:", word->text, NULL);
      if (about_officer)
        add_hash (features, cm_words_hash_sequence (features->prefix_o, word->hash), "o:", word->text, NULL);
      if (about_member)
        add_hash (features, cm_words_hash_sequence (features->prefix_m, word->hash), "m:", word->text, NULL);
      guint64 pair = cm_words_hash_sequence (features->prefix_b, previous->hash);
      add_hash (features, cm_words_hash_sequence (pair, word->hash), "b:", previous->text, word->text);
      previous = word;
    }
}

const CmCues *
cm_cues_of (const CmRuleContext *context)
{
  CmCues *cues = context->cues;
  if (cues->built)
    return cues;
  cues->built = TRUE;
  /* Room from the start for a cue a word: the map grows once or twice
   * at most (a larger one costs more to clear than growing does). */
  const GPtrArray *sentences = context->view->sentences;
  gsize words = 0;
  for (guint i = 0; i < sentences->len && i < SENTENCES_READ; i++)
    words += MIN (((const CmSentence *) sentences->pdata[i])->words.n, WORDS_PER_SENTENCE);
  if (cues->n_cues == 0)
    {
      cm_key_map_clear (&cues->by_hash);
      cm_key_map_init (&cues->by_hash, MIN (words + 64, 1u << 20));
    }
  Adding adding = { cues, 0, cm_words_hash ("w:"), cm_words_hash ("o:"), cm_words_hash ("m:"), cm_words_hash ("b:") };
  message_cues (context, &adding);
  cues->ends = g_new (guint, sentences->len + 1);
  cues->ends[cues->n_lists++] = (guint) cues->n_ids;
  /* Room for a stem a word, and one for each negative form. */
  Stems stems = { NULL, context->valence, { 0 }, g_new (Stem, words + 1 + G_N_ELEMENTS (negative_forms)), 0,
                  cues->want_names ? g_string_chunk_new (4096) : NULL,
                  context->model ? cm_model_stems (context->model) : NULL,
                  cues->only && !cues->want_names && cm_model_by_stems (cues->only) ? cues->only : NULL,
                  cm_words_hash ("not") };
  cm_key_map_init (&stems.by_word, 64);
  gboolean after_officer = FALSE;
  for (guint i = 0; i < sentences->len; i++)
    {
      adding.sentence = i + 1;
      if (i < SENTENCES_READ)
        sentence_cues (context, &stems, sentences->pdata[i], &after_officer, &adding);
      cues->ends[cues->n_lists++] = (guint) cues->n_ids;
    }
  if (stems.stemmer)
    sb_stemmer_delete (stems.stemmer);
  cm_key_map_clear (&stems.by_word);
  g_free (stems.stems);
  if (stems.texts)
    g_string_chunk_free (stems.texts);
  return cues;
}

static void
json_ids (GString *out, const CmCues *cues, guint list)
{
  guint n;
  const guint *ids = cm_cues_list (cues, list, &n);
  g_string_append_c (out, '[');
  for (guint i = 0; i < n; i++)
    {
      if (i)
        g_string_append_c (out, ',');
      guint id = ids[i];
      if (cues->want_names)
        cm_json_string (out, cues->names->pdata[id]);
      else
        g_string_append_printf (out, "\"#%016" G_GINT64_MODIFIER "x\"", cues->hashes[id]);
    }
  g_string_append_c (out, ']');
}

char *
cm_cues_to_json (const CmCues *cues)
{
  GString *out = g_string_new ("{\"gated\":");
  cm_json_string_array (out, cues->gated);
  g_string_append (out, ",\"message\":");
  json_ids (out, cues, 0);
  g_string_append (out, ",\"sentences\":[");
  for (guint i = 1; i < cues->n_lists; i++)
    {
      if (i > 1)
        g_string_append_c (out, ',');
      json_ids (out, cues, i);
    }
  g_string_append (out, "]}");
  return g_string_free (out, FALSE);
}
