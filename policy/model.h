/*
 * model.h: the learned weights of the rules that weigh cues, and the
 * judgement they give.
 *
 * The weights file ([policy] weights, config/weights.conf) is text, one
 * group per rule, written by the trainer (tests/eval/train.py, and
 * council-review learn) and readable by people:
 *
 *   [officer-criticism]
 *   bias -4.1
 *   threshold 0.70
 *   o:incompet 2.31
 *   aud:media 0.40
 *
 * A group may also give "threshold-when:RULE P": the threshold when RULE,
 * one judged before it, has already found the message broken.
 *
 * A cue whose name is not known is written as its 64-bit hash in hex,
 * "#0123456789abcdef", as council-check --cues prints it; any other line
 * starting with "#" is a comment.
 *
 * A message's score for a rule is bias plus the weights of the distinct
 * cues it has (cues.h), its probability the logistic of that; the rule
 * fires at or above the threshold.  The evidence is the sentences whose
 * own cues weigh most, and the cues that carried them are named.
 */
#ifndef CM_MODEL_H
#define CM_MODEL_H

#include <glib.h>

#include "rules.h"
#include "stems.h"

typedef struct _CmModel CmModel;

/* Load PATH; NULL with an error naming the file and line. */
CmModel *cm_model_load (const char *path, GError **error);
void cm_model_free (CmModel *model);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CmModel, cm_model_free)
/* The hash of a cue as the weights file writes it ("KIND:NAME" or
 * "#HEX"), or 0 if it is neither. */
guint64 cm_model_cue_hash (const char *cue);
/* The weights of the cue HASH, one per rule (by index in cm_rules), or
 * NULL when the model has none for it. */
const double *cm_model_weights (const CmModel *model, guint64 hash);
/* What MODEL weighs of one stem, so that judging looks a word up once
 * rather than once per kind of cue: the weights of its w:, o: and m: cues
 * (NULL when it has none) and whether it is the first or the second word
 * of any b: pair (CM_STEM_FIRST, CM_STEM_SECOND), since a pair is only
 * worth looking up when both of its words are. */
enum { CM_STEM_FIRST = 1, CM_STEM_SECOND = 2 };
typedef struct {
  const double *w, *o, *m;
  guint sides;
} CmStemWeights;
/* The weights of the stem whose cm_words_hash is STEM_HASH, or NULL when
 * the model weighs no cue of it. */
const CmStemWeights *cm_model_stem_weights (const CmModel *model, guint64 stem_hash);
/* Can the cues of MODEL be found through cm_model_stem_weights?  Not when
 * the file gives a word cue as a bare hash, whose stem is unknown. */
gboolean cm_model_by_stems (const CmModel *model);
/* The cache of words' stems that the cues of every message judged with
 * MODEL share (stems.h): the model's cues are stems. */
CmStemCache *cm_model_stems (const CmModel *model);
/* RULE's bias and threshold in MODEL; FALSE when the file has no group
 * for it. */
gboolean cm_model_rule (const CmModel *model, const CmRule *rule, double *bias, double *threshold);
/* RULE's "threshold-when:" line: the rule it names and its threshold;
 * FALSE when it has none. */
gboolean cm_model_rule_when (const CmModel *model, const CmRule *rule, const CmRule **other, double *threshold);
/* Call VISIT with every weight of MODEL: the rule, the cue's hash, its
 * name as the file gave it (KIND:NAME or #HASH), and the weight.  The
 * trainer reads the weights in force this way, so that the file has one
 * reader. */
typedef void (*CmModelVisit) (const CmRule *rule, guint64 hash, const char *name, double weight,
                              gpointer data);
void cm_model_foreach_weight (const CmModel *model, CmModelVisit visit, gpointer data);
/* "3 rules, 1204 weights" */
char *cm_model_describe (const CmModel *model);

typedef struct {
  double probability;
  GPtrArray *sentences; /* const CmSentence *, the evidence, strongest first */
  GPtrArray *cues;      /* char *: the cues that weighed most for it */
} CmJudgement;

void cm_judgement_clear (CmJudgement *judgement);

/* Does the model find RULE broken in CONTEXT's message?  Call it once the
 * rule's gate (sender, audience) has passed: it also records that the
 * gate passed, for the cue dump the trainer reads.  FALSE, with nothing
 * in JUDGEMENT, when the rule has no weights. */
gboolean cm_model_judge (const CmRule *rule, const CmRuleContext *context, CmJudgement *judgement);

/* The finding the weights give for RULE in CONTEXT's message, or NULL:
 * CLAUSE, SUMMARY followed by the probability and the cues that carried
 * it, the evidence sentences, and in *JUDGEMENT (if not NULL) the
 * judgement itself for the rule to add its people.  Call it once the
 * rule's gate has passed, whether or not its word lists fired; when they
 * did (LISTS_FIRED), it only notes the gate and weighs nothing. */
CmFinding *cm_model_finding (const CmRule *rule, const CmRuleContext *context, const char *clause,
                             const char *summary, gboolean lists_fired, CmJudgement *judgement);
/* The same with the summary given as a printf FORMAT and its arguments,
 * made only when there is a finding (most rules of most mail have none). */
CmFinding *cm_model_finding_format (const CmRule *rule, const CmRuleContext *context, const char *clause,
                                    gboolean lists_fired, CmJudgement *judgement, const char *format, ...)
  G_GNUC_PRINTF (6, 7);

#endif
