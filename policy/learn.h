/*
 * learn.h: the trainer in C: fit each rule's cue weights and threshold
 * from labelled examples, and write the weights file (model.h) that the
 * engine loads.  It knows nothing of the milter or the hold store:
 * council-review learn gives it the shipped corpus and the council's
 * decided holds; tests give it toy sets.
 *
 * The algorithm is tests/eval/train.py's, with the same defaults: per
 * rule (not bcc-member, which the envelope decides), the examples are
 * those whose gate for the rule passed and that carry a label for it;
 * logistic regression over their distinct cues (a cue seen in fewer
 * than min-count examples is left out), classes balanced, an L2 penalty,
 * stochastic gradient descent (rate 0.01, times 0.9 each epoch, 10
 * epochs, shuffled by a seeded GRand), the few general cues (hit:, cue:,
 * val:, o:val:, m:val:: what the word lists and grammar found) penalised by
 * l2_general at rate_general, the others (words, pairs, the envelope, any
 * cue whose name is unknown) by l2 at rate; the threshold is the lowest at
 * which the out-of-fold probabilities of 5 folds give precision >= 0.90,
 * raised while their recall stays >= 0.88 when there is recall to spare
 * (disrespect's with a threshold-when beside officer-criticism's finding,
 * model.h, where that finds more), and the model written is the mean of the 5 fold models (whose scale the
 * threshold was chosen at).  An example's weight multiplies its
 * gradient and its count in the balance and the threshold's precision,
 * so a council's decision can count for more than a shipped message.
 */
#ifndef CM_LEARN_H
#define CM_LEARN_H

#include <glib.h>

typedef struct {
  double l2;         /* 0.03: the penalty on word and envelope cues */
  double l2_general; /* 0.003: on the general cues */
  double rate;       /* 0.01, times 0.9 after each epoch: of the others */
  double rate_general; /* 0.05: of the general cues, decaying with rate */
  guint epochs;      /* 10 */
  guint min_count;   /* 2: a cue in fewer examples gets no weight */
  guint folds;       /* 5: out-of-fold probabilities for the threshold */
  double precision;  /* 0.90: the threshold is the lowest that keeps it */
  double recall_spare; /* 0.88: and is raised while recall stays at least this */
  double keep;       /* 0.02: smaller weights are not written */
} CmLearnOptions;

/* train.py's defaults. */
void cm_learn_options_init (CmLearnOptions *options);

/* One labelled message. */
typedef struct {
  const guint64 *hashes;      /* its cues (cues.h), N_CUES of them, repeats allowed */
  const char *const *names;   /* the name of each, or NULL (all or one) when unknown */
  guint n_cues;
  const char *const *gated;   /* NULL-terminated: the rules whose gate passed */
  const char *const *labelled; /* NULL-terminated: the rules it is a label for; NULL: every rule */
  const char *const *breached; /* NULL-terminated: those it breaches (the others are not breaches) */
  double weight;              /* 1 for a shipped message */
  gboolean decision;          /* a council's decision (the figures before and after are on these) */
  gboolean ordinary;          /* everyday mail that breaks no rule (labelled/ordinary) */
} CmLearnExample;

/* An ordinary message held counts this many times as a wrong hold when a
 * threshold is chosen (train.py's ORDINARY_WEIGHT): in a council's real
 * traffic such mail outnumbers breaches and near misses many times over. */
#define CM_LEARN_ORDINARY_WEIGHT 5

typedef struct _CmLearnSet CmLearnSet;

CmLearnSet *cm_learn_set_new (void);
void cm_learn_set_free (CmLearnSet *set);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CmLearnSet, cm_learn_set_free)
/* Add a copy of EXAMPLE. */
void cm_learn_set_add (CmLearnSet *set, const CmLearnExample *example);
guint cm_learn_set_size (const CmLearnSet *set);

/* What fitting a rule found, for the report. */
typedef struct {
  gboolean fitted;      /* FALSE: too few examples of one class */
  guint examples;       /* gated and labelled for the rule */
  guint breaches;
  guint decisions;      /* of them, the council's decisions */
  double bias, threshold;
  guint weights;        /* written (|w| >= keep) */
  double oof_tp, oof_fp, oof_fn; /* out of fold, at the threshold (weighted) */
  double missed;        /* labelled breaches the rule's gate stopped (weighted) */
} CmLearnFit;

/* The weights of every rule, fitted or read from a weights file. */
typedef struct _CmLearnModel CmLearnModel;

void cm_learn_model_free (CmLearnModel *model);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CmLearnModel, cm_learn_model_free)

/* Fit every rule that weighs cues on SET; never NULL (a rule with too few
 * examples has no weights, and its CmLearnFit says so). */
CmLearnModel *cm_learn_fit (const CmLearnSet *set, const CmLearnOptions *options);
/* Read a weights file (model.h's format) as cm_model_load() does, so
 * that the figures before can be weighed the same way as after. */
CmLearnModel *cm_learn_model_load (const char *path, GError **error);

/* How RULE was fitted, or NULL (not fitted here: read from a file, or
 * no such rule). */
const CmLearnFit *cm_learn_model_fit (const CmLearnModel *model, const char *rule);
/* Does MODEL have weights for RULE?  Its bias and threshold then. */
gboolean cm_learn_model_rule (const CmLearnModel *model, const char *rule, double *bias, double *threshold);
/* The weight of the cue HASH for RULE (0 when it has none). */
double cm_learn_model_weight (const CmLearnModel *model, const char *rule, guint64 hash);

/* Precision and recall of MODEL for RULE on the examples of SET that are
 * decisions, gated and labelled for RULE: positive when the weights'
 * probability reaches the threshold (the weights alone, as they judge a
 * message in which the word lists found nothing). */
typedef struct {
  guint examples, breaches;
  guint tp, fp, fn;
} CmLearnCounts;

void cm_learn_evaluate (const CmLearnModel *model, const CmLearnSet *set, const char *rule,
                        CmLearnCounts *counts);
/* The probability MODEL gives example I of SET for RULE; -1 without weights. */
double cm_learn_probability (const CmLearnModel *model, const CmLearnSet *set, guint i, const char *rule);

/* Write MODEL to PATH in model.h's format, atomically (a temporary file in
 * the same directory, fsync'd, renamed over PATH, the directory fsync'd),
 * HEADER's lines first as comments.  Cues are written by name where it is
 * known, else as "#HASH". */
gboolean cm_learn_write (const CmLearnModel *model, const char *path, const char *header, GError **error);

#endif
