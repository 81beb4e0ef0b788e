/*
 * rules.h: the rule table and what every rule is given.
 *
 * A rule reads the message view and adds findings; it never decides the
 * action (the configuration does, in verdict.c).  Each rule lives in its
 * own file under rules/; its entry in cm_rules[] (rules.c) declares
 * everything else about it: its default action and advice, the situations
 * it tells apart, the word lists and cues it reads, and its parameters.
 * A rule's code names a situation ("members"), never a paragraph number:
 * which paragraph each situation cites comes from the paragraphs file
 * (paragraphs.h), so that a council with other numbers edits a file.
 */
#ifndef CM_RULES_H
#define CM_RULES_H

#include "policy.h"
#include "directory.h"
#include "lexicon.h"
#include "view.h"

typedef struct {
  const CmDirectory *directory;
  const CmLexicons *lexicons;
  const CmView *view;
  const struct _CmModel *model; /* the learned weights, or NULL */
  const struct _CmValence *valence; /* the words' valence, or NULL */
  struct _CmCues *cues;         /* the message's cues, built on first use (cues.h) */
  const struct _CmParagraphs *paragraphs; /* what each situation cites (paragraphs.h) */
  const GPtrArray *findings;    /* CmFinding *: those of the rules judged before, or NULL */
} CmRuleContext;

typedef struct _CmRule CmRule;
typedef void (*CmRuleCheck) (const CmRule *rule, const CmRuleContext *context, GPtrArray *findings);

/* A situation a rule tells apart, each citing its own paragraph: the
 * paragraphs file's [rule:ID] group gives KEY the clause. */
typedef struct {
  const char *key;           /* "members", as the rule's code names it */
  const char *about;         /* "a member's mail copied to other members", for -n and errors */
} CmSituation;

/* A fixed number a rule's code reads through cm_rule_param(). */
typedef struct {
  const char *name;          /* "marking-max-words" */
  gint64 value;
  const char *about;         /* why it is this number */
} CmRuleParam;

struct _CmRule {
  const char *id;            /* "bcc-member" */
  CmAction default_action;   /* when council-milter.conf has no [rule:ID] action */
  const char *advice;        /* what the sender should do instead */
  CmRuleCheck check;
  gboolean can_disclose;     /* its findings carry a disclosure line (action disclose) */
  const CmSituation *situations; /* ends with { NULL }: the clauses it cites */
  guint hits;                /* the CM_HIT_ lists (lexicon.h) its sentences are tested against */
  const char *const *lists;  /* ends with NULL: the other files of config/lexicon/ it reads */
  gboolean weighs;           /* also asks the learned weights ([ID] of weights.conf, cues.h) */
  const CmRuleParam *params; /* ends with { NULL }, or NULL: its fixed numbers */
};

extern const CmRule cm_rules[];
extern const guint cm_n_rules;

const CmRule *cm_rule_find (const char *id);
/* The situation of RULE called KEY, or NULL. */
const CmSituation *cm_rule_situation (const CmRule *rule, const char *key);
/* The clause RULE cites in SITUATION (one of its situations' keys), as the
 * configuration says: "South Ribble 16.2". */
const char *cm_rule_cite (const CmRule *rule, const CmRuleContext *context, const char *situation);
/* The value of RULE's parameter NAME (one of its params). */
gint64 cm_rule_param (const CmRule *rule, const char *name);

/* A new finding of RULE with its clause and summary; evidence and people
 * are added by the rule. */
CmFinding *cm_finding_new (const CmRule *rule, const char *clause, const char *summary);
void cm_finding_free (CmFinding *finding);
void cm_finding_add_evidence (CmFinding *finding, const char *text);
void cm_finding_add_person (CmFinding *finding, const char *address);

void cm_rule_bcc_member (const CmRule *rule, const CmRuleContext *context, GPtrArray *findings);
void cm_rule_officer_criticism (const CmRule *rule, const CmRuleContext *context, GPtrArray *findings);
void cm_rule_member_obligation (const CmRule *rule, const CmRuleContext *context, GPtrArray *findings);
void cm_rule_confidential_disclosure (const CmRule *rule, const CmRuleContext *context, GPtrArray *findings);
void cm_rule_political_use (const CmRule *rule, const CmRuleContext *context, GPtrArray *findings);
void cm_rule_employment_lobbying (const CmRule *rule, const CmRuleContext *context, GPtrArray *findings);
void cm_rule_disrespect (const CmRule *rule, const CmRuleContext *context, GPtrArray *findings);
void cm_rule_officer_political (const CmRule *rule, const CmRuleContext *context, GPtrArray *findings);

#endif
