/*
 * rules.h: the rule table and what every rule is given.
 *
 * A rule reads the message view and adds findings; it never decides the
 * action (the configuration does, in verdict.c).  Each rule lives in its
 * own file under rules/ and cites the paragraphs it enforces.
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
} CmRuleContext;

typedef struct _CmRule CmRule;
typedef void (*CmRuleCheck) (const CmRule *rule, const CmRuleContext *context, GPtrArray *findings);

struct _CmRule {
  const char *id;            /* "bcc-member" */
  const char *paragraphs;    /* every paragraph it enforces, for the man page and -n */
  CmAction default_action;   /* when the configuration has no [rule:ID] */
  const char *advice;        /* what the sender should do instead */
  CmRuleCheck check;
  gboolean can_disclose;     /* its findings carry a disclosure line (action disclose) */
};

extern const CmRule cm_rules[];
extern const guint cm_n_rules;

const CmRule *cm_rule_find (const char *id);

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
