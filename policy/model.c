/*
 * model.c: the weights file and the judgement of a message (model.h).
 */
#include "config.h"

#include <errno.h>
#include <stdarg.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "policy.h"
#include "lines.h"
#include "cues.h"
#include "keymap.h"
#include "model.h"
#include "stems.h"
#include "view.h"

/* A finding names at most this many sentences and cues. */
#define EVIDENCE_SENTENCES 3
#define NAMED_CUES 6

/* One group of the file: a rule's bias and threshold.  The weights of
 * every rule sit together, one vector per cue, so that a message's cues
 * are looked up once for all the rules. */
typedef struct {
  gboolean present;
  double bias, threshold;
  /* "threshold-when:RULE": the threshold when RULE, judged before, has
   * already found the message broken (when_rule is its index + 1). */
  guint when_rule;
  double when_threshold;
} RuleWeights;

struct _CmModel {
  RuleWeights *rules;  /* by index in cm_rules */
  GHashTable *weights; /* cue hash (cues.h, the key itself) -> double[cm_n_rules] */
  GHashTable *names;   /* cue hash -> its name, for findings */
  /* The same vectors for the engine's lookups, a message's every cue:
   * cue hash -> index in VECTORS + 1. */
  CmKeyMap by_hash;
  GPtrArray *vectors;  /* double *, owned by WEIGHTS */
  CmStemCache *stems;  /* the words' stems, for the cues of every message */
  /* Stem hash -> index in BY_STEM_WEIGHTS + 1 (cm_model_stem_weights);
   * unused when STEMS_UNKNOWN, a word cue given as a bare hash. */
  CmKeyMap by_stem;
  GArray *stem_weights; /* CmStemWeights */
  gboolean stems_unknown;
  guint n_weights;
};

void
cm_model_free (CmModel *model)
{
  if (model == NULL)
    return;
  g_free (model->rules);
  g_hash_table_unref (model->weights);
  g_hash_table_unref (model->names);
  cm_key_map_clear (&model->by_hash);
  cm_key_map_clear (&model->by_stem);
  if (model->stem_weights)
    g_array_unref (model->stem_weights);
  g_ptr_array_unref (model->vectors);
  cm_stem_cache_free (model->stems);
  g_free (model);
}

static gboolean
parse_double (const char *text, double *out)
{
  char *end = NULL;
  errno = 0;
  *out = g_ascii_strtod (text, &end);
  return errno == 0 && end != text && *end == '\0' && isfinite (*out);
}

/* Does LINE start with a cue written as its hash ("#" and 16 hex digits,
 * as council-check --cues prints a cue whose name it did not keep)?  A
 * comment is any other line starting with "#". */
static gboolean
is_hash_form (const char *line)
{
  if (line[0] != '#')
    return FALSE;
  guint i = 1;
  while (g_ascii_isxdigit (line[i]))
    i++;
  return i == 17 && (line[i] == ' ' || line[i] == '\t');
}

guint64
cm_model_cue_hash (const char *cue)
{
  if (cue[0] != '#')
    return cm_cue_hash_of_name (cue);
  char *end = NULL;
  guint64 hash = g_ascii_strtoull (cue + 1, &end, 16);
  return strlen (cue) == 17 && end == cue + 17 ? hash : 0;
}

static guint
rule_index (const CmRule *rule)
{
  return (guint) (rule - cm_rules);
}

/* The entry of the stem TEXT in MODEL's table by stem, made if new. */
static CmStemWeights *
stem_entry (CmModel *model, const char *text, gsize length)
{
  g_autofree char *stem = g_strndup (text, length);
  CmKeySlot *slot = cm_key_map_slot (&model->by_stem, cm_words_hash (stem));
  if (slot->value == 0)
    {
      CmStemWeights none = { NULL, NULL, NULL, 0 };
      g_array_append_val (model->stem_weights, none);
      slot->value = model->stem_weights->len;
    }
  return &g_array_index (model->stem_weights, CmStemWeights, slot->value - 1);
}

/* Fill MODEL's table by stem from the names of its word cues: "w:STEM",
 * "o:STEM", "m:STEM" and "b:FIRST_SECOND" (as cues.c makes them). */
static void
index_stems (CmModel *model)
{
  cm_key_map_init (&model->by_stem, 1024);
  model->stem_weights = g_array_new (FALSE, FALSE, sizeof (CmStemWeights));
  GHashTableIter iter;
  gpointer key, value;
  g_hash_table_iter_init (&iter, model->names);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      const char *name = value;
      const double *vector = g_hash_table_lookup (model->weights, key);
      if (name[0] == '#')
        {
          model->stems_unknown = TRUE; /* it may be any word's */
          continue;
        }
      const char *colon = strchr (name, ':');
      const char *rest = colon ? colon + 1 : NULL;
      /* "o:val:neg" is not a word's cue: a stem holds no ':'. */
      if (rest == NULL || strchr (rest, ':'))
        continue;
      gsize kind = (gsize) (colon - name);
      if (kind == 1 && name[0] == 'w')
        stem_entry (model, rest, strlen (rest))->w = vector;
      else if (kind == 1 && name[0] == 'o')
        stem_entry (model, rest, strlen (rest))->o = vector;
      else if (kind == 1 && name[0] == 'm')
        stem_entry (model, rest, strlen (rest))->m = vector;
      else if (kind == 1 && name[0] == 'b')
        {
          const char *join = strchr (rest, '_');
          if (join == NULL)
            continue;
          stem_entry (model, rest, (gsize) (join - rest))->sides |= CM_STEM_FIRST;
          stem_entry (model, join + 1, strlen (join + 1))->sides |= CM_STEM_SECOND;
        }
    }
}

const CmStemWeights *
cm_model_stem_weights (const CmModel *model, guint64 stem_hash)
{
  guint index = cm_key_map_get (&model->by_stem, stem_hash);
  return index ? &g_array_index (model->stem_weights, CmStemWeights, index - 1) : NULL;
}

gboolean
cm_model_by_stems (const CmModel *model)
{
  return !model->stems_unknown;
}

CmModel *
cm_model_load (const char *path, GError **error)
{
  g_autofree char *data = NULL;
  g_autoptr (GError) local = NULL;
  if (!g_file_get_contents (path, &data, NULL, &local))
    {
      g_set_error (error, CM_ERROR, CM_ERROR_CONFIG, "%s", local->message);
      return NULL;
    }
  g_autoptr (CmModel) model = g_new0 (CmModel, 1);
  model->rules = g_new0 (RuleWeights, cm_n_rules);
  model->weights = g_hash_table_new_full (g_direct_hash, g_direct_equal, NULL, g_free);
  model->names = g_hash_table_new_full (g_direct_hash, g_direct_equal, NULL, g_free);
  cm_key_map_init (&model->by_hash, 1024);
  model->vectors = g_ptr_array_new ();
  model->stems = cm_stem_cache_new ();
  RuleWeights *current = NULL;
  guint current_index = 0;
  g_auto (GStrv) lines = cm_lines_split (data);
  for (guint n = 0; lines[n]; n++)
    {
      char *line = g_strstrip (lines[n]);
      if (*line == '\0' || (*line == '#' && !is_hash_form (line)))
        continue;
      if (*line == '[')
        {
          char *end = strchr (line, ']');
          if (end == NULL || end[1] != '\0' || end == line + 1)
            {
              g_set_error (error, CM_ERROR, CM_ERROR_CONFIG, "%s:%u: a group is [RULE]", path, n + 1);
              return NULL;
            }
          *end = '\0';
          const CmRule *rule = cm_rule_find (line + 1);
          if (rule == NULL)
            {
              g_set_error (error, CM_ERROR, CM_ERROR_CONFIG, "%s:%u: no rule is called \"%s\"", path, n + 1,
                           line + 1);
              return NULL;
            }
          current_index = rule_index (rule);
          current = &model->rules[current_index];
          if (current->present)
            {
              g_set_error (error, CM_ERROR, CM_ERROR_CONFIG, "%s:%u: [%s] a second time", path, n + 1, line + 1);
              return NULL;
            }
          current->present = TRUE;
          current->threshold = 0.5;
          continue;
        }
      char *space = strpbrk (line, " \t");
      double value;
      if (current == NULL || space == NULL || !parse_double (g_strchug (space + 1), &value))
        {
          g_set_error (error, CM_ERROR, CM_ERROR_CONFIG, "%s:%u: expected \"CUE WEIGHT\" inside a [RULE] group",
                       path, n + 1);
          return NULL;
        }
      *space = '\0';
      if (strcmp (line, "bias") == 0)
        current->bias = value;
      else if (g_str_has_prefix (line, "threshold-when:"))
        {
          const CmRule *other = cm_rule_find (line + strlen ("threshold-when:"));
          if (other == NULL || rule_index (other) >= current_index)
            {
              g_set_error (error, CM_ERROR, CM_ERROR_CONFIG,
                           "%s:%u: \"%s\" names no rule judged before this one", path, n + 1, line);
              return NULL;
            }
          if (value <= 0 || value >= 1)
            {
              g_set_error (error, CM_ERROR, CM_ERROR_CONFIG, "%s:%u: threshold must lie between 0 and 1",
                           path, n + 1);
              return NULL;
            }
          current->when_rule = rule_index (other) + 1;
          current->when_threshold = value;
        }
      else if (strcmp (line, "threshold") == 0)
        {
          if (value <= 0 || value >= 1)
            {
              g_set_error (error, CM_ERROR, CM_ERROR_CONFIG, "%s:%u: threshold must lie between 0 and 1",
                           path, n + 1);
              return NULL;
            }
          current->threshold = value;
        }
      else
        {
          guint64 hash = cm_model_cue_hash (line);
          if (hash == 0)
            {
              g_set_error (error, CM_ERROR, CM_ERROR_CONFIG, "%s:%u: \"%s\" is not a cue (KIND:NAME or #HASH)", path,
                           n + 1, line);
              return NULL;
            }
          gpointer key = (gpointer) (guintptr) hash;
          double *vector = g_hash_table_lookup (model->weights, key);
          if (vector == NULL)
            {
              vector = g_new0 (double, cm_n_rules);
              g_hash_table_insert (model->weights, key, vector);
              g_hash_table_insert (model->names, key, g_strdup (line));
              g_ptr_array_add (model->vectors, vector);
              cm_key_map_slot (&model->by_hash, hash)->value = model->vectors->len;
            }
          vector[current_index] = value;
          model->n_weights++;
        }
    }
  index_stems (model);
  return g_steal_pointer (&model);
}

const double *
cm_model_weights (const CmModel *model, guint64 hash)
{
  guint row = cm_key_map_get (&model->by_hash, hash);
  return row ? model->vectors->pdata[row - 1] : NULL;
}

CmStemCache *
cm_model_stems (const CmModel *model)
{
  return model->stems;
}

gboolean
cm_model_rule (const CmModel *model, const CmRule *rule, double *bias, double *threshold)
{
  const RuleWeights *weights = &model->rules[rule_index (rule)];
  if (!weights->present)
    return FALSE;
  if (bias)
    *bias = weights->bias;
  if (threshold)
    *threshold = weights->threshold;
  return TRUE;
}

gboolean
cm_model_rule_when (const CmModel *model, const CmRule *rule, const CmRule **other, double *threshold)
{
  const RuleWeights *weights = &model->rules[rule_index (rule)];
  if (!weights->present || weights->when_rule == 0)
    return FALSE;
  *other = &cm_rules[weights->when_rule - 1];
  *threshold = weights->when_threshold;
  return TRUE;
}

void
cm_model_foreach_weight (const CmModel *model, CmModelVisit visit, gpointer data)
{
  GHashTableIter iter;
  gpointer key, value;
  g_hash_table_iter_init (&iter, model->weights);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      const double *vector = value;
      const char *name = g_hash_table_lookup (model->names, key);
      for (guint r = 0; r < cm_n_rules; r++)
        if (vector[r] != 0 && model->rules[r].present)
          visit (&cm_rules[r], (guint64) (guintptr) key, name, vector[r], data);
    }
}

char *
cm_model_describe (const CmModel *model)
{
  guint rules = 0;
  for (guint i = 0; i < cm_n_rules; i++)
    rules += model->rules[i].present;
  return g_strdup_printf ("%u rules, %u weights", rules, model->n_weights);
}

void
cm_judgement_clear (CmJudgement *judgement)
{
  g_clear_pointer (&judgement->sentences, g_ptr_array_unref);
  g_clear_pointer (&judgement->cues, g_ptr_array_unref);
}

/* The weight vector of each of the message's cues, looked up once. */
static const double *const *
weights_of (const CmModel *model, CmCues *cues)
{
  if (cues->weights && cues->weights_of == model)
    return cues->weights;
  g_free (cues->weights);
  cues->weights = g_new (const double *, MAX (cues->cues_size, 1));
  for (guint i = 0; i < cues->n_cues; i++)
    cues->weights[i] = cm_model_weights (model, cues->hashes[i]);
  cues->weights_of = model;
  return cues->weights;
}

static double
weight (const double *const *weights, guint id, guint rule)
{
  const double *vector = weights[id];
  return vector ? vector[rule] : 0.0;
}

typedef struct {
  guint index;
  double weight;
} Scored;

static gint
by_weight (gconstpointer a, gconstpointer b)
{
  double x = ((const Scored *) a)->weight, y = ((const Scored *) b)->weight;
  return x < y ? 1 : x > y ? -1 : 0;
}

/* R's threshold for the message of CONTEXT: its own, or the higher one
 * it keeps for a message that the rule it names has already found broken
 * (disrespect beside officer-criticism: harsh criticism of an officer is
 * that rule's finding, and is abuse as well only when the weights are
 * surer of it). */
static double
threshold_for (const RuleWeights *r, const CmRuleContext *context)
{
  if (r->when_rule == 0 || context->findings == NULL)
    return r->threshold;
  const char *id = cm_rules[r->when_rule - 1].id;
  for (guint i = 0; i < context->findings->len; i++)
    if (strcmp (((const CmFinding *) context->findings->pdata[i])->rule, id) == 0)
      return MAX (r->threshold, r->when_threshold);
  return r->threshold;
}

gboolean
cm_model_judge (const CmRule *rule, const CmRuleContext *context, CmJudgement *judgement)
{
  memset (judgement, 0, sizeof *judgement);
  CmCues *holder = context->cues;
  if (holder)
    g_ptr_array_add (holder->gated, (gpointer) rule->id);
  guint index = rule_index (rule);
  const CmModel *model = context->model;
  if (model == NULL || holder == NULL || !model->rules[index].present)
    return FALSE;
  const RuleWeights *r = &model->rules[index];
  const CmCues *cues = cm_cues_of (context);
  const double *const *weights = weights_of (model, holder);

  /* Each distinct cue counts once in the message: the score is the sum
   * of the weights of the cues in the order of their ids.  (That is the
   * order in which the lists, the message's then each sentence's, first
   * hold them: a cue gets its id when it is first put in a list.) */
  double score = r->bias;
  for (guint id = 0; id < cues->n_cues; id++)
    score += weight (weights, id, index);
  double probability = 1.0 / (1.0 + exp (-score));
  /* Below the threshold no sentence is weighed: most rules of most mail. */
  if (probability < threshold_for (r, context))
    return FALSE;

  /* Room for every sentence at once, written in place: an append a
   * sentence cost more than the sentence's cues. */
  guint n_sentences = cues->n_lists - 1, kept = 0;
  g_autoptr (GArray) sentences = g_array_sized_new (FALSE, FALSE, sizeof (Scored), n_sentences);
  g_array_set_size (sentences, n_sentences);
  Scored *scores = (Scored *) (gpointer) sentences->data;
  for (guint s = 0; s < n_sentences; s++)
    {
      guint n;
      const guint *ids = cm_cues_list (cues, s + 1, &n);
      Scored scored = { s, 0 };
      for (guint i = 0; i < n; i++)
        {
          double w = weight (weights, ids[i], index);
          if (w > 0)
            scored.weight += w;
        }
      if (scored.weight > 0)
        scores[kept++] = scored;
    }
  g_array_set_size (sentences, kept);
  if (sentences->len == 0)
    return FALSE;

  judgement->probability = probability;
  judgement->sentences = g_ptr_array_new ();
  judgement->cues = g_ptr_array_new_with_free_func (g_free);
  g_array_sort (sentences, by_weight);
  const Scored *best = &g_array_index (sentences, Scored, 0);
  for (guint k = 0; k < sentences->len && k < EVIDENCE_SENTENCES; k++)
    {
      const Scored *this = &g_array_index (sentences, Scored, k);
      if (k > 0 && this->weight < best->weight / 2)
        break;
      g_ptr_array_add (judgement->sentences, context->view->sentences->pdata[this->index]);
    }
  /* The cues that carried the strongest sentence. */
  guint n;
  const guint *ids = cm_cues_list (cues, best->index + 1, &n);
  g_autoptr (GArray) named = g_array_new (FALSE, FALSE, sizeof (Scored));
  for (guint i = 0; i < n; i++)
    {
      guint id = ids[i];
      Scored c = { id, weight (weights, id, index) };
      if (c.weight > 0)
        g_array_append_val (named, c);
    }
  g_array_sort (named, by_weight);
  for (guint k = 0; k < named->len && k < NAMED_CUES; k++)
    {
      guint64 hash = cues->hashes[g_array_index (named, Scored, k).index];
      g_ptr_array_add (judgement->cues, g_strdup (g_hash_table_lookup (model->names, (gpointer) (guintptr) hash)));
    }
  return TRUE;
}

/* Does the model find RULE broken (cm_model_finding)?  JUDGEMENT is
 * filled when it does. */
static gboolean
fires (const CmRule *rule, const CmRuleContext *context, gboolean lists_fired, CmJudgement *judgement)
{
  if (lists_fired && context->cues)
    g_ptr_array_add (context->cues->gated, (gpointer) rule->id);
  return !lists_fired && cm_model_judge (rule, context, judgement);
}

/* The finding of JUDGEMENT (cm_model_finding), which it takes over: into
 * *OUT when OUT is not NULL. */
static CmFinding *
finding_of (const CmRule *rule, const CmRuleContext *context, const char *clause, const char *summary,
            CmJudgement *judgement, CmJudgement *out)
{
  g_autofree char *cues = NULL;
  g_ptr_array_add (judgement->cues, NULL);
  cues = g_strjoinv (", ", (char **) judgement->cues->pdata);
  g_ptr_array_remove_index (judgement->cues, judgement->cues->len - 1);
  g_autofree char *full = g_strdup_printf ("%s (learned cues, %.0f%%: %s)", summary,
                                           judgement->probability * 100, cues);
  CmFinding *finding = cm_finding_new (rule, clause, full);
  for (guint i = 0; i < judgement->sentences->len; i++)
    {
      const CmSentence *sentence = judgement->sentences->pdata[i];
      g_autofree char *text = cm_view_sentence_text (context->view, sentence);
      g_autofree char *evidence = sentence->subject ? g_strdup_printf ("Subject: %s", text)
                                                    : g_steal_pointer (&text);
      cm_finding_add_evidence (finding, evidence);
    }
  if (out)
    *out = *judgement;
  else
    cm_judgement_clear (judgement);
  return finding;
}

CmFinding *
cm_model_finding (const CmRule *rule, const CmRuleContext *context, const char *clause,
                  const char *summary, gboolean lists_fired, CmJudgement *out)
{
  CmJudgement judgement;
  if (!fires (rule, context, lists_fired, &judgement))
    {
      if (out)
        memset (out, 0, sizeof *out);
      return NULL;
    }
  return finding_of (rule, context, clause, summary, &judgement, out);
}

CmFinding *
cm_model_finding_format (const CmRule *rule, const CmRuleContext *context, const char *clause,
                         gboolean lists_fired, CmJudgement *out, const char *format, ...)
{
  CmJudgement judgement;
  if (!fires (rule, context, lists_fired, &judgement))
    {
      if (out)
        memset (out, 0, sizeof *out);
      return NULL;
    }
  va_list args;
  va_start (args, format);
  g_autofree char *summary = g_strdup_vprintf (format, args);
  va_end (args);
  return finding_of (rule, context, clause, summary, &judgement, out);
}
