/*
 * learn.c: fitting the rules' cue weights and thresholds, reading and
 * writing the weights file (learn.h).  A port of tests/eval/train.py.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <glib/gstdio.h>

#include "policy.h"
#include "learn.h"
#include "model.h"
#include "rules.h"

/* Cue hashes are kept as the keys of GLib hash tables themselves. */
G_STATIC_ASSERT (sizeof (gpointer) >= sizeof (guint64));
#define HASH_KEY(h) ((gpointer) (guintptr) (h))

/* The seeds of train.py: the SGD order, and the folds. */
#define SEED_FIT 7
#define SEED_FOLDS 11

/* Cue families a rule is fitted without (train.py's WITHOUT, chosen there
 * by cross-validation): word pairs only add noise to the few examples of
 * abuse.  Only cues whose names are known can be told apart. */
static const struct {
  const char *rule;
  const char *prefix;
} without[] = {
  { "disrespect", "b:" },
};

void
cm_learn_options_init (CmLearnOptions *options)
{
  *options = (CmLearnOptions) { .l2 = 0.03, .l2_general = 0.003, .rate = 0.01, .rate_general = 0.05,
                                .epochs = 10, .min_count = 2, .folds = 5, .precision = 0.90,
                                .recall_spare = 0.88, .keep = 0.02 };
}

/* Is NAME a general cue (train.py's is_general_cue): what the engine's
 * language knowledge found in the text, a word list's hit ("hit:"), a
 * "cue:", a sentence's valence ("val:", "o:val:", "m:val:")?  The others are words,
 * word pairs and the envelope.  A cue whose name is unknown is taken for
 * a word: nearly all cues are. */
static gboolean
is_general_cue (const char *name)
{
  return name && (g_str_has_prefix (name, "hit:") || g_str_has_prefix (name, "cue:")
                  || g_str_has_prefix (name, "val:") || g_str_has_prefix (name, "o:val:")
                  || g_str_has_prefix (name, "m:val:"));
}

/* ---- the examples --------------------------------------------------------- */

typedef struct {
  GArray *cues;          /* guint: indices into the set's cues, each once */
  guint64 gated, labelled, breached; /* bits by index in cm_rules (at most 64 rules) */
  double weight;
  gboolean decision, ordinary;
} Example;

struct _CmLearnSet {
  GArray *examples;      /* Example */
  GHashTable *index;     /* cue hash -> its index + 1 */
  GArray *hashes;        /* guint64 by index */
  GPtrArray *names;      /* char * by index, or NULL when unknown */
};

static void
example_clear (gpointer p)
{
  Example *e = p;
  g_array_unref (e->cues);
}

CmLearnSet *
cm_learn_set_new (void)
{
  g_assert (cm_n_rules <= 64);
  CmLearnSet *set = g_new0 (CmLearnSet, 1);
  set->examples = g_array_new (FALSE, FALSE, sizeof (Example));
  g_array_set_clear_func (set->examples, example_clear);
  set->index = g_hash_table_new (g_direct_hash, g_direct_equal);
  set->hashes = g_array_new (FALSE, FALSE, sizeof (guint64));
  set->names = g_ptr_array_new_with_free_func (g_free);
  return set;
}

void
cm_learn_set_free (CmLearnSet *set)
{
  if (set == NULL)
    return;
  g_array_unref (set->examples);
  g_hash_table_unref (set->index);
  g_array_unref (set->hashes);
  g_ptr_array_unref (set->names);
  g_free (set);
}

guint
cm_learn_set_size (const CmLearnSet *set)
{
  return set->examples->len;
}

static guint
rule_index (const char *id)
{
  const CmRule *rule = cm_rule_find (id);
  return rule ? (guint) (rule - cm_rules) : G_MAXUINT;
}

/* The rules of IDS (NULL-terminated; unknown ids are ignored) as bits. */
static guint64
rule_bits (const char *const *ids)
{
  guint64 bits = 0;
  for (guint i = 0; ids && ids[i]; i++)
    {
      guint r = rule_index (ids[i]);
      if (r != G_MAXUINT)
        bits |= G_GUINT64_CONSTANT (1) << r;
    }
  return bits;
}

void
cm_learn_set_add (CmLearnSet *set, const CmLearnExample *example)
{
  Example e = {
    .cues = g_array_new (FALSE, FALSE, sizeof (guint)),
    .gated = rule_bits (example->gated),
    .labelled = example->labelled ? rule_bits (example->labelled) : G_MAXUINT64,
    .breached = rule_bits (example->breached),
    .weight = example->weight,
    .decision = example->decision,
    .ordinary = example->ordinary,
  };
  g_autoptr (GHashTable) seen = g_hash_table_new (g_direct_hash, g_direct_equal);
  for (guint i = 0; i < example->n_cues; i++)
    {
      guint64 hash = example->hashes[i];
      const char *name = example->names ? example->names[i] : NULL;
      guint index = GPOINTER_TO_UINT (g_hash_table_lookup (set->index, HASH_KEY (hash)));
      if (index == 0)
        {
          g_array_append_val (set->hashes, hash);
          g_ptr_array_add (set->names, g_strdup (name));
          index = set->hashes->len;
          g_hash_table_insert (set->index, HASH_KEY (hash), GUINT_TO_POINTER (index));
        }
      else if (name && set->names->pdata[index - 1] == NULL)
        set->names->pdata[index - 1] = g_strdup (name);
      /* Each distinct cue counts once in a message, as the engine counts it. */
      if (g_hash_table_add (seen, GUINT_TO_POINTER (index)))
        {
          guint id = index - 1;
          g_array_append_val (e.cues, id);
        }
    }
  g_array_append_val (set->examples, e);
}

/* ---- fitting -------------------------------------------------------------- */

/* One example as a rule's fit sees it. */
typedef struct {
  const GArray *cues;
  gboolean y;
  double weight;
  double hold_cost;      /* what holding it wrongly counts when the threshold is chosen */
  guint example;         /* its index in the set */
} Row;

/* A rule's fitted weights over the set's cue indices. */
typedef struct {
  double bias;
  double *w;             /* by cue index; 0 outside the vocabulary */
  guint8 *vocab;         /* by cue index: seen in at least min-count rows */
} Fit;

static void
fit_clear (Fit *fit)
{
  g_clear_pointer (&fit->w, g_free);
  g_clear_pointer (&fit->vocab, g_free);
}

static double
logistic (double z)
{
  return 1.0 / (1.0 + exp (-CLAMP (z, -30.0, 30.0)));
}

static double
score (const Fit *fit, const GArray *cues, const guint8 *dropped)
{
  double z = fit->bias;
  for (guint i = 0; i < cues->len; i++)
    {
      guint c = g_array_index (cues, guint, i);
      if (!dropped[c])
        z += fit->w[c];
    }
  return z;
}

/* Logistic regression on ROWS[ORDER...] (N of them), cues in DROPPED left
 * out: FALSE when one class has no example (train.py's fit()). */
static gboolean
fit_rows (const CmLearnSet *set, const Row *rows, const guint *order, guint n, const guint8 *dropped,
          const guint8 *word, const CmLearnOptions *options, Fit *fit)
{
  guint n_cues = set->hashes->len;
  g_autofree guint *counts = g_new0 (guint, n_cues);
  double pos = 0, neg = 0;
  for (guint k = 0; k < n; k++)
    {
      const Row *row = &rows[order[k]];
      for (guint i = 0; i < row->cues->len; i++)
        counts[g_array_index (row->cues, guint, i)]++;
      if (row->y)
        pos += row->weight;
      else
        neg += row->weight;
    }
  if (pos == 0 || neg == 0)
    return FALSE;
  fit->vocab = g_new0 (guint8, n_cues);
  for (guint c = 0; c < n_cues; c++)
    fit->vocab[c] = !dropped[c] && counts[c] >= options->min_count;
  /* Each row's cues in the vocabulary, gathered once. */
  g_autoptr (GPtrArray) data = g_ptr_array_new_with_free_func ((GDestroyNotify) g_array_unref);
  for (guint k = 0; k < n; k++)
    {
      const Row *row = &rows[order[k]];
      GArray *kept = g_array_new (FALSE, FALSE, sizeof (guint));
      for (guint i = 0; i < row->cues->len; i++)
        if (fit->vocab[g_array_index (row->cues, guint, i)])
          g_array_append_val (kept, g_array_index (row->cues, guint, i));
      g_ptr_array_add (data, kept);
    }
  g_autofree guint *shuffled = g_new (guint, n);
  for (guint k = 0; k < n; k++)
    shuffled[k] = k;
  /* Balance the classes: each side weighs as much as the other in total. */
  double total = pos + neg, wpos = total / (2 * pos), wneg = total / (2 * neg);
  fit->w = g_new0 (double, n_cues);
  fit->bias = 0;
  /* Word cues and general ones are penalised and learn at their own
   * rates (learn.h); the general rate is a multiple of the word rate so
   * that both decay together. */
  double l2_of[2] = { options->l2_general, options->l2 };
  double speed_of[2] = { options->rate > 0 ? options->rate_general / options->rate : 1.0, 1.0 };
  double rate = options->rate;
  g_autoptr (GRand) rand = g_rand_new_with_seed (SEED_FIT);
  for (guint epoch = 0; epoch < options->epochs; epoch++)
    {
      for (guint k = n; k > 1; k--)
        {
          guint j = (guint) g_rand_int_range (rand, 0, (gint32) k);
          guint t = shuffled[k - 1];
          shuffled[k - 1] = shuffled[j];
          shuffled[j] = t;
        }
      for (guint k = 0; k < n; k++)
        {
          const Row *row = &rows[order[shuffled[k]]];
          const GArray *cues = data->pdata[shuffled[k]];
          double z = fit->bias;
          for (guint i = 0; i < cues->len; i++)
            z += fit->w[g_array_index (cues, guint, i)];
          double g = (logistic (z) - (row->y ? 1.0 : 0.0)) * (row->y ? wpos : wneg) * row->weight;
          fit->bias -= rate * g;
          for (guint i = 0; i < cues->len; i++)
            {
              guint c = g_array_index (cues, guint, i);
              double *w = &fit->w[c];
              *w -= rate * speed_of[word[c]] * (g + l2_of[word[c]] * *w);
            }
        }
      rate *= 0.9;
    }
  return TRUE;
}

typedef struct {
  double p, weight, hold_cost;
  gboolean y;
  guint example;         /* its index in the set */
} Scored;

static gint
by_probability_down (gconstpointer a, gconstpointer b)
{
  const Scored *x = a, *y = b;
  /* Highest first; at equal probability a breach first, as train.py's
   * sort of (p, y) pairs in reverse puts it. */
  if (x->p != y->p)
    return x->p < y->p ? 1 : -1;
  return (int) y->y - (int) x->y;
}

/* No threshold below an even chance: a message the weights think more
 * likely compliant than a breach is never held, however clean the
 * examples above it were out of fold (train.py's THRESHOLD_FLOOR). */
#define THRESHOLD_FLOOR 0.5

/* The lowest threshold at which precision over SCORED is at least
 * PRECISION (with a true positive), a wrong hold counted at its hold
 * cost; 0.999 when there is none.  Where that threshold finds more than
 * RECALL_SPARE of the breaches, it is raised to the highest that still
 * finds that share: recall to spare is spent on precision, as train.py's
 * choose_threshold does.  MISSED weighs the breaches the rule's gate
 * stops: missed at every threshold, they count against recall too, or
 * the spare would spend recall the rule does not have. */
static double
choose_threshold (GArray *scored, double precision, double recall_spare, double missed)
{
  g_array_sort (scored, by_probability_down);
  double best = 0.999, tp = 0, fp = 0;
  for (guint i = 0; i < scored->len; i++)
    {
      const Scored *s = &g_array_index (scored, Scored, i);
      if (s->y)
        tp += s->weight;
      else
        fp += s->hold_cost;
      if (tp > 0 && tp / (tp + fp) >= precision)
        best = s->p;
    }
  /* TP now weighs every breach the gate let through. */
  double breaches = tp + missed;
  double found = 0;
  for (guint i = 0; i < scored->len && tp > 0 && recall_spare > 0; i++)
    {
      const Scored *s = &g_array_index (scored, Scored, i);
      if (!s->y)
        continue;
      found += s->weight;
      if (found / breaches >= recall_spare)
        {
          best = MAX (best, s->p);
          break;
        }
    }
  return MAX (MIN (best, 0.999), THRESHOLD_FLOOR);
}

typedef struct {
  gboolean present;
  double bias, threshold;
  /* threshold-when: (model.h): the threshold when the rule of index
   * when_rule - 1 has found the message (0: none). */
  guint when_rule;
  double when_threshold;
  guint8 *found_oof;     /* by example: found out of fold (while fitting) */
  GHashTable *weights;   /* cue hash -> double * */
  CmLearnFit fit;
  gboolean fitted_here;
} RuleModel;

struct _CmLearnModel {
  RuleModel *rules;      /* by index in cm_rules */
  GHashTable *names;     /* cue hash -> its name, where known */
};

static CmLearnModel *
model_new (void)
{
  CmLearnModel *model = g_new0 (CmLearnModel, 1);
  model->rules = g_new0 (RuleModel, cm_n_rules);
  for (guint r = 0; r < cm_n_rules; r++)
    model->rules[r].weights = g_hash_table_new_full (g_direct_hash, g_direct_equal, NULL, g_free);
  model->names = g_hash_table_new_full (g_direct_hash, g_direct_equal, NULL, g_free);
  return model;
}

void
cm_learn_model_free (CmLearnModel *model)
{
  if (model == NULL)
    return;
  for (guint r = 0; r < cm_n_rules; r++)
    {
      g_hash_table_unref (model->rules[r].weights);
      g_free (model->rules[r].found_oof);
    }
  g_free (model->rules);
  g_hash_table_unref (model->names);
  g_free (model);
}

static void
set_weight (RuleModel *rule, guint64 hash, double value)
{
  double *w = g_new (double, 1);
  *w = value;
  g_hash_table_replace (rule->weights, HASH_KEY (hash), w);
}

/* A rule that keeps a higher threshold beside an earlier rule's finding
 * (train.py's WHEN): harsh criticism of an officer is officer-criticism's
 * finding, and abuse as well only when the weights are surer of it. */
static const struct {
  const char *rule, *other;
} when_rules[] = {
  { "disrespect", "officer-criticism" },
};
static const double when_thresholds[] = { 0.8, 0.85, 0.9, 0.95, 0.98 };

/* The index + 1 of the rule whose finding rule R defers to, when MODEL
 * fitted it here before R; else 0. */
static guint
when_other (const CmLearnModel *model, guint r)
{
  for (guint k = 0; k < G_N_ELEMENTS (when_rules); k++)
    if (strcmp (when_rules[k].rule, cm_rules[r].id) == 0)
      {
        guint o = rule_index (when_rules[k].other);
        return o < r && model->rules[o].found_oof ? o + 1 : 0;
      }
  return 0;
}

/* RULE's threshold for EXAMPLE out of fold: THRESHOLD, or its
 * threshold-when where OTHER found the example. */
static double
threshold_of (const RuleModel *rule, double threshold, const RuleModel *other, guint example)
{
  if (rule->when_rule && other && other->found_oof[example])
    return MAX (threshold, rule->when_threshold);
  return threshold;
}

/* train.py's choose_when: for each candidate threshold-when, the own
 * threshold is choose_threshold's over the examples as they would then be
 * found (one OTHER found counts only at or above the candidate); the pair
 * that finds most breaches replaces *THRESHOLD, if it finds more than
 * *THRESHOLD alone.  MISSED is as for choose_threshold. */
static void
choose_when (RuleModel *rule, const RuleModel *other, guint other_index, GArray *scored,
             const CmLearnOptions *options, double missed, double *threshold)
{
  double best_tp = 0;
  for (guint i = 0; i < scored->len; i++)
    {
      const Scored *s = &g_array_index (scored, Scored, i);
      best_tp += s->y && s->p >= *threshold ? s->weight : 0;
    }
  g_autoptr (GArray) seen = g_array_sized_new (FALSE, FALSE, sizeof (Scored), scored->len);
  for (guint k = 0; k < G_N_ELEMENTS (when_thresholds); k++)
    {
      g_array_set_size (seen, 0);
      g_array_append_vals (seen, scored->data, scored->len);
      for (guint i = 0; i < seen->len; i++)
        {
          Scored *s = &g_array_index (seen, Scored, i);
          if (other->found_oof[s->example] && s->p < when_thresholds[k])
            s->p = -1;
        }
      double own = choose_threshold (seen, options->precision, options->recall_spare, missed);
      double tp = 0;
      for (guint i = 0; i < seen->len; i++)
        {
          const Scored *s = &g_array_index (seen, Scored, i);
          tp += s->y && s->p >= own ? s->weight : 0;
        }
      if (tp > best_tp)
        {
          best_tp = tp;
          *threshold = own;
          rule->when_rule = other_index + 1;
          rule->when_threshold = MAX (own, when_thresholds[k]);
        }
    }
}

/* Fit rule R of MODEL from SET (train.py's loop body). */
static void
fit_rule (CmLearnModel *model, const CmLearnSet *set, guint r, const CmLearnOptions *options)
{
  RuleModel *rule = &model->rules[r];
  rule->fitted_here = TRUE;
  guint64 bit = G_GUINT64_CONSTANT (1) << r;
  g_autoptr (GArray) rows = g_array_new (FALSE, FALSE, sizeof (Row));
  for (guint i = 0; i < set->examples->len; i++)
    {
      const Example *e = &g_array_index (set->examples, Example, i);
      if (!(e->labelled & bit) || e->weight <= 0)
        continue;
      if (!(e->gated & bit))
        {
          rule->fit.missed += (e->breached & bit) ? e->weight : 0; /* choose_threshold */
          continue;
        }
      Row row = { e->cues, (e->breached & bit) != 0, e->weight,
                  e->weight * (e->ordinary ? CM_LEARN_ORDINARY_WEIGHT : 1), i };
      g_array_append_val (rows, row);
      rule->fit.examples++;
      rule->fit.breaches += row.y;
      rule->fit.decisions += e->decision;
    }
  guint n = rows->len;
  g_autofree guint8 *dropped = g_new0 (guint8, set->hashes->len);
  for (guint k = 0; k < G_N_ELEMENTS (without); k++)
    if (strcmp (without[k].rule, cm_rules[r].id) == 0)
      for (guint c = 0; c < set->hashes->len; c++)
        dropped[c] |= set->names->pdata[c] && g_str_has_prefix (set->names->pdata[c], without[k].prefix);
  g_autofree guint8 *word = g_new (guint8, set->hashes->len);
  for (guint c = 0; c < set->hashes->len; c++)
    word[c] = !is_general_cue (set->names->pdata[c]);
  if (n == 0)
    return;

  /* Out-of-fold probabilities over every example: fold k holds out
   * positions k, k + folds, ... of a seeded shuffle. */
  g_autofree guint *order = g_new (guint, n);
  for (guint k = 0; k < n; k++)
    order[k] = k;
  g_autoptr (GRand) rand = g_rand_new_with_seed (SEED_FOLDS);
  for (guint k = n; k > 1; k--)
    {
      guint j = (guint) g_rand_int_range (rand, 0, (gint32) k);
      guint t = order[k - 1];
      order[k - 1] = order[j];
      order[j] = t;
    }
  g_autofree guint8 *fold_of = g_new (guint8, n);
  for (guint k = 0; k < n; k++)
    fold_of[order[k]] = (guint8) (k % options->folds);
  const Row *data = (const Row *) rows->data;
  g_autoptr (GArray) scored = g_array_new (FALSE, FALSE, sizeof (Scored));
  g_autofree guint *train = g_new (guint, n);
  /* The written model is the mean of the fold models (train.py's
   * mean_model: it keeps the scale the threshold was chosen at). */
  guint n_cues = set->hashes->len;
  double mean_bias = 0;
  g_autofree double *mean_w = g_new0 (double, n_cues);
  g_autofree guint8 *in_any = g_new0 (guint8, n_cues);
  for (guint fold = 0; fold < options->folds; fold++)
    {
      guint m = 0;
      for (guint i = 0; i < n; i++)
        if (fold_of[i] != fold)
          train[m++] = i;
      Fit fit = { 0 };
      if (!fit_rows (set, data, train, m, dropped, word, options, &fit))
        return;
      for (guint k = fold; k < n; k += options->folds)
        {
          const Row *row = &data[order[k]];
          Scored s = { logistic (score (&fit, row->cues, dropped)), row->weight, row->hold_cost, row->y,
                       row->example };
          g_array_append_val (scored, s);
        }
      mean_bias += fit.bias / options->folds;
      for (guint c = 0; c < n_cues; c++)
        if (fit.vocab[c])
          {
            mean_w[c] += fit.w[c] / options->folds;
            in_any[c] = TRUE;
          }
      fit_clear (&fit);
    }
  double threshold = choose_threshold (scored, options->precision, options->recall_spare, rule->fit.missed);
  guint other_index = when_other (model, r);
  const RuleModel *other = other_index ? &model->rules[other_index - 1] : NULL;
  if (other)
    choose_when (rule, other, other_index - 1, scored, options, rule->fit.missed, &threshold);
  rule->found_oof = g_new0 (guint8, set->examples->len);
  for (guint i = 0; i < scored->len; i++)
    {
      const Scored *s = &g_array_index (scored, Scored, i);
      gboolean found = s->p >= threshold_of (rule, threshold, other, s->example);
      rule->found_oof[s->example] = (guint8) found;
      if (found && s->y)
        rule->fit.oof_tp += s->weight;
      else if (found)
        rule->fit.oof_fp += s->weight;
      else if (s->y)
        rule->fit.oof_fn += s->weight;
    }

  rule->present = TRUE;
  rule->bias = mean_bias;
  rule->threshold = threshold;
  for (guint c = 0; c < n_cues; c++)
    if (in_any[c] && fabs (mean_w[c]) >= options->keep)
      {
        guint64 hash = g_array_index (set->hashes, guint64, c);
        set_weight (rule, hash, mean_w[c]);
        if (set->names->pdata[c])
          g_hash_table_replace (model->names, HASH_KEY (hash), g_strdup (set->names->pdata[c]));
      }
  rule->fit.fitted = TRUE;
  rule->fit.bias = rule->bias;
  rule->fit.threshold = threshold;
  rule->fit.weights = g_hash_table_size (rule->weights);
}

CmLearnModel *
cm_learn_fit (const CmLearnSet *set, const CmLearnOptions *options)
{
  CmLearnOptions defaults;
  if (options == NULL)
    {
      cm_learn_options_init (&defaults);
      options = &defaults;
    }
  CmLearnModel *model = model_new ();
  for (guint r = 0; r < cm_n_rules; r++)
    if (strcmp (cm_rules[r].id, "bcc-member") != 0) /* decided by the envelope alone */
      fit_rule (model, set, r, options);
  return model;
}

/* ---- reading, asking, weighing -------------------------------------------- */

/* Each weight in force, into the trainer's model (cm_model_foreach_weight). */
static void
take_weight (const CmRule *rule, guint64 hash, const char *name, double weight, gpointer data)
{
  CmLearnModel *model = data;
  set_weight (&model->rules[rule - cm_rules], hash, weight);
  if (name[0] != '#')
    g_hash_table_replace (model->names, HASH_KEY (hash), g_strdup (name));
}

CmLearnModel *
cm_learn_model_load (const char *path, GError **error)
{
  /* The engine's reader is the only reader of the file. */
  g_autoptr (CmModel) weights = cm_model_load (path, error);
  if (weights == NULL)
    return NULL;
  CmLearnModel *model = model_new ();
  for (guint r = 0; r < cm_n_rules; r++)
    {
      RuleModel *rule = &model->rules[r];
      rule->present = cm_model_rule (weights, &cm_rules[r], &rule->bias, &rule->threshold);
      const CmRule *other;
      if (cm_model_rule_when (weights, &cm_rules[r], &other, &rule->when_threshold))
        rule->when_rule = (guint) (other - cm_rules) + 1;
    }
  cm_model_foreach_weight (weights, take_weight, model);
  return model;
}

static const RuleModel *
rule_of (const CmLearnModel *model, const char *rule)
{
  guint r = rule_index (rule);
  return r == G_MAXUINT ? NULL : &model->rules[r];
}

const CmLearnFit *
cm_learn_model_fit (const CmLearnModel *model, const char *rule)
{
  const RuleModel *m = rule_of (model, rule);
  return m && m->fitted_here ? &m->fit : NULL;
}

gboolean
cm_learn_model_rule (const CmLearnModel *model, const char *rule, double *bias, double *threshold)
{
  const RuleModel *m = rule_of (model, rule);
  if (m == NULL || !m->present)
    return FALSE;
  if (bias)
    *bias = m->bias;
  if (threshold)
    *threshold = m->threshold;
  return TRUE;
}

double
cm_learn_model_weight (const CmLearnModel *model, const char *rule, guint64 hash)
{
  const RuleModel *m = rule_of (model, rule);
  const double *w = m ? g_hash_table_lookup (m->weights, HASH_KEY (hash)) : NULL;
  return w ? *w : 0.0;
}

double
cm_learn_probability (const CmLearnModel *model, const CmLearnSet *set, guint i, const char *rule)
{
  const RuleModel *m = rule_of (model, rule);
  if (m == NULL || !m->present || i >= set->examples->len)
    return -1;
  const Example *e = &g_array_index (set->examples, Example, i);
  double z = m->bias;
  for (guint k = 0; k < e->cues->len; k++)
    {
      guint64 hash = g_array_index (set->hashes, guint64, g_array_index (e->cues, guint, k));
      const double *w = g_hash_table_lookup (m->weights, HASH_KEY (hash));
      if (w)
        z += *w;
    }
  /* As the engine weighs it (model.c), without train.py's clamp. */
  return 1.0 / (1.0 + exp (-z));
}

void
cm_learn_evaluate (const CmLearnModel *model, const CmLearnSet *set, const char *rule, CmLearnCounts *counts)
{
  memset (counts, 0, sizeof *counts);
  guint r = rule_index (rule);
  if (r == G_MAXUINT)
    return;
  guint64 bit = G_GUINT64_CONSTANT (1) << r;
  const RuleModel *m = &model->rules[r];
  for (guint i = 0; i < set->examples->len; i++)
    {
      const Example *e = &g_array_index (set->examples, Example, i);
      if (!e->decision || !(e->gated & bit) || !(e->labelled & bit))
        continue;
      gboolean breach = (e->breached & bit) != 0;
      double threshold = m->threshold;
      if (m->when_rule)
        {
          /* The rule named found it: the engine's threshold-when. */
          const RuleModel *other = &model->rules[m->when_rule - 1];
          const char *other_id = cm_rules[m->when_rule - 1].id;
          guint64 other_bit = G_GUINT64_CONSTANT (1) << (m->when_rule - 1);
          if (other->present && (e->gated & other_bit)
              && cm_learn_probability (model, set, i, other_id) >= other->threshold)
            threshold = MAX (threshold, m->when_threshold);
        }
      gboolean found = m->present && cm_learn_probability (model, set, i, rule) >= threshold;
      counts->examples++;
      counts->breaches += breach;
      counts->tp += breach && found;
      counts->fp += !breach && found;
      counts->fn += breach && !found;
    }
}

/* ---- writing ---------------------------------------------------------------- */

typedef struct {
  char *key;             /* the cue's name, or #HASH */
  double weight;
} Written;

static gint
by_weight_down (gconstpointer a, gconstpointer b)
{
  const Written *x = a, *y = b;
  if (x->weight != y->weight)
    return x->weight < y->weight ? 1 : -1;
  return strcmp (x->key, y->key);
}

static char *
format_number (const char *format, double value)
{
  char buffer[G_ASCII_DTOSTR_BUF_SIZE];
  /* Not printf: council-review runs under the user's locale, and the
   * file is read with a decimal point whatever it is. */
  return g_strdup (g_ascii_formatd (buffer, sizeof buffer, format, value));
}

static void
write_rule (GString *out, const CmLearnModel *model, guint r)
{
  const RuleModel *m = &model->rules[r];
  g_autofree char *bias = format_number ("%.4f", m->bias);
  g_autofree char *threshold = format_number ("%.3f", m->threshold);
  g_string_append_printf (out, "[%s]\nbias %s\nthreshold %s\n", cm_rules[r].id, bias, threshold);
  if (m->when_rule)
    {
      g_autofree char *when = format_number ("%.3f", m->when_threshold);
      g_string_append_printf (out, "threshold-when:%s %s\n", cm_rules[m->when_rule - 1].id, when);
    }
  g_autoptr (GArray) cues = g_array_new (FALSE, FALSE, sizeof (Written));
  GHashTableIter iter;
  gpointer key, value;
  g_hash_table_iter_init (&iter, m->weights);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      guint64 hash = (guint64) (guintptr) key;
      const char *name = g_hash_table_lookup (model->names, key);
      /* A name the file could not hold (a space) or read back as this
       * cue is written as the hash. */
      Written w = {
        name && !strpbrk (name, " \t") && name[0] != '#' && cm_model_cue_hash (name) == hash
          ? g_strdup (name) : g_strdup_printf ("#%016" G_GINT64_MODIFIER "x", hash),
        *(const double *) value,
      };
      g_array_append_val (cues, w);
    }
  g_array_sort (cues, by_weight_down);
  for (guint i = 0; i < cues->len; i++)
    {
      Written *w = &g_array_index (cues, Written, i);
      g_autofree char *number = format_number ("%.4f", w->weight);
      g_string_append_printf (out, "%s %s\n", w->key, number);
      g_free (w->key);
    }
  g_string_append_c (out, '\n');
}

static gboolean
io_error (GError **error, int code, const char *doing, const char *path)
{
  g_set_error (error, CM_ERROR, CM_ERROR_IO, "%s %s: %s", doing, path, g_strerror (code));
  return FALSE;
}

gboolean
cm_learn_write (const CmLearnModel *model, const char *path, const char *header, GError **error)
{
  g_autoptr (GString) out = g_string_new (NULL);
  g_auto (GStrv) lines = g_strsplit (header ? header : "", "\n", -1);
  for (guint i = 0; lines[i]; i++)
    if (lines[i][0] || lines[i + 1])
      g_string_append_printf (out, "#%s%s\n", lines[i][0] ? " " : "", lines[i]);
  g_string_append_c (out, '\n');
  for (guint r = 0; r < cm_n_rules; r++)
    if (model->rules[r].present)
      write_rule (out, model, r);

  /* A reader (or the daemon's reload) sees the old file or the whole new
   * one, never a part: GLib writes beside it, syncs and renames; then the
   * directory is synced so that the rename itself survives a crash. */
  if (!g_file_set_contents_full (path, out->str, (gssize) out->len,
                                 G_FILE_SET_CONTENTS_CONSISTENT | G_FILE_SET_CONTENTS_DURABLE, 0644, error))
    return FALSE;
  g_autofree char *dir = g_path_get_dirname (path);
  int dfd = open (dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dfd < 0 || fsync (dfd) != 0)
    {
      int code = errno;
      if (dfd >= 0)
        close (dfd);
      return io_error (error, code, "syncing", dir);
    }
  close (dfd);
  return TRUE;
}
