/*
 * cues.c: the cues of a message for the learned weights (cues.h).
 */
#include "config.h"

#include <string.h>
#include <libstemmer.h>

#include "cues.h"
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
cm_cues_new (gboolean want_names)
{
  CmCues *cues = g_new0 (CmCues, 1);
  cues->want_names = want_names;
  cues->names = g_ptr_array_new_with_free_func (g_free);
  /* The hashes are the keys themselves (64 bits in a pointer here). */
  cues->ids = g_hash_table_new (g_direct_hash, g_direct_equal);
  cues->hashes = g_array_new (FALSE, FALSE, sizeof (guint64));
  cues->message = g_array_new (FALSE, FALSE, sizeof (guint));
  cues->sentences = g_ptr_array_new_with_free_func ((GDestroyNotify) g_array_unref);
  cues->gated = g_ptr_array_new ();
  cues->last_sentence = g_array_new (FALSE, TRUE, sizeof (guint));
  return cues;
}

void
cm_cues_free (CmCues *cues)
{
  if (cues == NULL)
    return;
  g_hash_table_unref (cues->ids);
  g_array_unref (cues->hashes);
  g_ptr_array_unref (cues->names);
  g_array_unref (cues->message);
  g_ptr_array_unref (cues->sentences);
  g_ptr_array_unref (cues->gated);
  g_array_unref (cues->last_sentence);
  if (cues->weights)
    g_ptr_array_unref (cues->weights);
  g_free (cues);
}

static gboolean
is_pronoun (const char *word)
{
  static const char *const pronouns[] = { "he", "she", "him", "her", "his", "hers", "they", "them",
                                          "their", "himself", "herself", "themselves", NULL };
  return g_strv_contains (pronouns, word);
}

static gboolean
is_digits (const char *word)
{
  for (const char *p = word; *p; p++)
    if (!g_ascii_isdigit (*p) && *p != '.' && *p != ',')
      return FALSE;
  return TRUE;
}

/* A word's stem, and the stem's hash. */
typedef struct {
  char *text;
  guint64 hash;
} Stem;

static void
stem_free (gpointer p)
{
  Stem *s = p;
  g_free (s->text);
  g_free (s);
}

/* WORD stemmed ("#" for a number), from the message's cache STEMS (a
 * message repeats most of its words) or Snowball's stemmer. */
static const Stem *
stem (struct sb_stemmer *stemmer, GHashTable *stems, const CmWord *word)
{
  gpointer key = (gpointer) (guintptr) word->hash;
  Stem *known = g_hash_table_lookup (stems, key);
  if (known)
    return known;
  const char *text = word->text;
  if (is_digits (text))
    text = "#";
  else
    {
      const sb_symbol *out = sb_stemmer_stem (stemmer, (const sb_symbol *) text, (int) strlen (text));
      if (out)
        text = (const char *) out;
    }
  Stem *made = g_new (Stem, 1);
  made->text = g_strdup (text);
  made->hash = cm_words_hash (made->text);
  g_hash_table_insert (stems, key, made);
  return made;
}

/* Does TEXT (LENGTH bytes) put a few words in quotation marks ("another
 * 'update'")? */
static gboolean
has_scare_quotes (const char *text, gsize length)
{
  const char *end = text + length;
  static const char *const opens[] = { "\xe2\x80\x9c", "\xe2\x80\x98", "\"", " '", NULL };
  static const char *const closes[] = { "\xe2\x80\x9d", "\xe2\x80\x99", "\"", "'", NULL };
  for (guint i = 0; opens[i]; i++)
    {
      const char *open = g_strstr_len (text, (gssize) length, opens[i]);
      if (open == NULL)
        continue;
      const char *inside = open + strlen (opens[i]);
      const char *close = g_strstr_len (inside, end - inside, closes[i]);
      /* A short quoted phrase, not a whole quoted sentence. */
      if (close && close > inside && close - inside <= 30 && g_ascii_isalpha (*inside))
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
 * number + 1) or the message's (0). */
typedef struct {
  CmCues *cues;
  GArray *list;
  guint sentence;
  guint64 prefix_w, prefix_o, prefix_b; /* the hashes of "w:", "o:", "b:" */
} Adding;

/* Add the cue HASH (named PREFIX NAME [_ SECOND]) to the list, once. */
static void
add_hash (Adding *a, guint64 hash, const char *prefix, const char *name, const char *second)
{
  gpointer key = (gpointer) (guintptr) hash;
  guint id = GPOINTER_TO_UINT (g_hash_table_lookup (a->cues->ids, key));
  if (id == 0)
    {
      g_array_append_val (a->cues->hashes, hash);
      id = a->cues->hashes->len;
      g_hash_table_insert (a->cues->ids, key, GUINT_TO_POINTER (id));
      g_array_set_size (a->cues->last_sentence, id);
      if (a->cues->want_names)
        g_ptr_array_add (a->cues->names, second ? g_strconcat (prefix, name, "_", second, NULL)
                                                : g_strconcat (prefix, name, NULL));
    }
  guint *last = &g_array_index (a->cues->last_sentence, guint, id - 1);
  if (a->sentence && *last == a->sentence)
    return;
  *last = a->sentence;
  guint index = id - 1;
  g_array_append_val (a->list, index);
}

static void
add (Adding *a, const char *prefix, const char *name)
{
  add_hash (a, cm_cue_hash (prefix, name, NULL), prefix, name, NULL);
}

/* Does SENTENCE name an officer by first name alone ("each time it has
 * been Gary's pack")?  Only a capitalised word counts ("Mark" the officer,
 * not "mark the date"), and only a first name that one officer has and no
 * member (the directory says which).  A cue, not a reference the word
 * lists act on: a first name is weaker evidence than a full name. */
static gboolean
officer_by_first_name (const CmRuleContext *context, const CmSentence *sentence)
{
  const char *source = sentence->subject ? context->view->subject : context->view->authored;
  for (guint i = 0; i < sentence->words.n && i < WORDS_PER_SENTENCE; i++)
    {
      const CmWord *word = &sentence->words.words[i];
      if (g_ascii_isupper (source[word->offset])
          && cm_directory_officer_by_first_name (context->directory, word->hash))
        return TRUE;
    }
  return FALSE;
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
sentence_cues (const CmRuleContext *context, struct sb_stemmer *stemmer, GHashTable *stems,
               const CmSentence *sentence, gboolean *after_officer, Adding *features)
{
  const CmView *view = context->view;
  CmOfficerRefs refs = { 0 };
  gboolean officer = cm_refs_officers (context, sentence, &refs);
  gboolean addressed = refs.addressed;
  cm_refs_clear (&refs);
  if (!officer && officer_by_first_name (context, sentence))
    {
      officer = TRUE;
      add (features, "cue:", "officer-first-name");
    }
  gboolean pronoun = FALSE;
  for (guint i = 0; i < sentence->words.n && !officer; i++)
    pronoun |= is_pronoun (sentence->words.words[i].text);
  gboolean about_officer = officer || (pronoun && *after_officer);
  if (officer)
    add (features, "cue:", "officer");
  else if (about_officer)
    add (features, "cue:", "officer-pronoun");
  if (addressed)
    add (features, "cue:", "you");
  /* A paragraph about an officer goes on while sentences refer back. */
  *after_officer = about_officer;

  static const struct { guint bit; const char *name; } lists[] = {
    { CM_HIT_CRITICISM, "criticism" }, { CM_HIT_OBLIGATION, "obligation" },
    { CM_HIT_POLITICAL, "political" }, { CM_HIT_EMPLOYMENT, "employment" },
    { CM_HIT_ABUSE, "abuse" }, { CM_HIT_DISCRIMINATORY, "discriminatory" },
    { CM_HIT_DECISION_CRITICISM, "decision-criticism" }, { CM_HIT_BELITTLING, "belittling" },
  };
  for (guint i = 0; i < G_N_ELEMENTS (lists); i++)
    if (sentence->hits & lists[i].bit)
      add (features, "hit:", lists[i].name);

  /* Punctuation from the sentence's own bytes, read in place. */
  const char *source = sentence->subject ? view->subject : view->authored;
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

  /* Evaluative language: the sum of the words' valence, a word's sign
   * turned (and damped, as VADER does) by a negation before it in its
   * clause; the band is a cue, and again when the sentence is about an
   * officer. */
  if (context->valence)
    {
      double total = 0;
      for (guint i = 0; i < sentence->words.n && i < WORDS_PER_SENTENCE; i++)
        {
          double v = cm_valence_of (context->valence, sentence->words.words[i].hash);
          if (v != 0 && cm_lexicons_negated (context->lexicons, &sentence->words, i))
            v *= -0.74;
          total += v;
        }
      const char *band = total <= -3 ? "neg2" : total <= -1 ? "neg" : total >= 3 ? "pos2" : total >= 1 ? "pos" : NULL;
      if (band)
        {
          add (features, "val:", band);
          if (about_officer)
            {
              g_autofree char *name = g_strconcat ("val:", band, NULL);
              add (features, "o:", name);
            }
        }
    }

  const Stem *previous = NULL;
  const char *start = sentence->subject ? "^subject" : "^";
  guint64 start_hash = cm_words_hash (start);
  guint n = MIN (sentence->words.n, WORDS_PER_SENTENCE);
  for (guint i = 0; i < n; i++)
    {
      const Stem *word = stem (stemmer, stems, &sentence->words.words[i]);
      add_hash (features, cm_words_hash_sequence (features->prefix_w, word->hash), "w:", word->text, NULL);
      if (about_officer)
        add_hash (features, cm_words_hash_sequence (features->prefix_o, word->hash), "o:", word->text, NULL);
      guint64 pair = cm_words_hash_sequence (features->prefix_b, previous ? previous->hash : start_hash);
      add_hash (features, cm_words_hash_sequence (pair, word->hash), "b:", previous ? previous->text : start,
                word->text);
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
  Adding adding = { cues, cues->message, 0, cm_words_hash ("w:"), cm_words_hash ("o:"), cm_words_hash ("b:") };
  message_cues (context, &adding);
  struct sb_stemmer *stemmer = sb_stemmer_new ("english", NULL);
  g_autoptr (GHashTable) stems = g_hash_table_new_full (g_direct_hash, g_direct_equal, NULL, stem_free);
  const GPtrArray *sentences = context->view->sentences;
  gboolean after_officer = FALSE;
  for (guint i = 0; i < sentences->len; i++)
    {
      GArray *ids = g_array_new (FALSE, FALSE, sizeof (guint));
      adding.list = ids;
      adding.sentence = i + 1;
      if (stemmer && i < SENTENCES_READ)
        sentence_cues (context, stemmer, stems, sentences->pdata[i], &after_officer, &adding);
      g_ptr_array_add (cues->sentences, ids);
    }
  if (stemmer)
    sb_stemmer_delete (stemmer);
  return cues;
}

static void
json_ids (GString *out, const CmCues *cues, const GArray *ids)
{
  g_string_append_c (out, '[');
  for (guint i = 0; i < ids->len; i++)
    {
      if (i)
        g_string_append_c (out, ',');
      guint id = g_array_index (ids, guint, i);
      if (cues->want_names)
        cm_json_string (out, cues->names->pdata[id]);
      else
        g_string_append_printf (out, "\"#%016" G_GINT64_MODIFIER "x\"", g_array_index (cues->hashes, guint64, id));
    }
  g_string_append_c (out, ']');
}

char *
cm_cues_to_json (const CmCues *cues)
{
  GString *out = g_string_new ("{\"gated\":");
  cm_json_string_array (out, cues->gated);
  g_string_append (out, ",\"message\":");
  json_ids (out, cues, cues->message);
  g_string_append (out, ",\"sentences\":[");
  for (guint i = 0; i < cues->sentences->len; i++)
    {
      if (i)
        g_string_append_c (out, ',');
      json_ids (out, cues, cues->sentences->pdata[i]);
    }
  g_string_append (out, "]}");
  return g_string_free (out, FALSE);
}
