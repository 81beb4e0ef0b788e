/*
 * employment_lobbying.c: the rule employment-lobbying.
 *
 * Runnymede 3.13: officers must not lobby members about their own
 * employment; South Ribble 4.8.  The proper route is the officer's manager,
 * HR or the union.
 *
 * Fires when an officer writes to a member and a sentence of the new text
 * is about the officer's own employment (employment.txt: "my grading", "my
 * grievance", "I have applied for the ... post", "support my appeal").
 */
#include "config.h"

#include "refs.h"
#include "model.h"

void
cm_rule_employment_lobbying (const CmRule *rule, const CmRuleContext *context, GPtrArray *findings)
{
  const CmView *view = context->view;
  if (view->sender->role != CM_ROLE_OFFICER)
    return;
  const CmParticipant *member = NULL;
  for (guint i = 0; i < view->recipients->len && member == NULL; i++)
    {
      const CmParticipant *p = view->recipients->pdata[i];
      if (p->role == CM_ROLE_MEMBER)
        member = p;
    }
  if (member == NULL)
    return;

  CmFinding *finding = NULL;
  for (guint i = 0; i < view->sentences->len; i++)
    {
      const CmSentence *sentence = view->sentences->pdata[i];
      if (!(sentence->hits & CM_HIT_EMPLOYMENT))
        continue;
      if (finding == NULL)
        {
          g_autofree char *label = member->person ? cm_refs_person_label (member->person) : g_strdup (member->address);
          g_autofree char *summary = g_strdup_printf ("an officer lobbying %s about their own employment", label);
          finding = cm_finding_new (rule, cm_rule_cite (rule, context, "lobbying"), summary);
          cm_finding_add_person (finding, member->address);
        }
      g_autofree char *text = cm_view_sentence_text (view, sentence);
      cm_finding_add_evidence (finding, text);
    }
  g_autofree char *label = member->person ? cm_refs_person_label (member->person) : g_strdup (member->address);
  g_autofree char *summary = g_strdup_printf ("an officer lobbying %s about their own employment", label);
  CmFinding *learned = cm_model_finding (rule, context, cm_rule_cite (rule, context, "lobbying"), summary, finding != NULL, NULL);
  if (finding == NULL && learned)
    {
      finding = g_steal_pointer (&learned);
      cm_finding_add_person (finding, member->address);
    }
  cm_finding_free (learned);
  if (finding)
    g_ptr_array_add (findings, finding);
}
