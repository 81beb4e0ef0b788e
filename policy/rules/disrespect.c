/*
 * disrespect.c: the rule disrespect.
 *
 * Runnymede 2.1: respect, no swearing, sarcasm or shaming; Cambridgeshire
 * 5.8: no discriminatory speech or writing on the protected
 * characteristics (age, disability, gender reassignment, marriage and
 * civil partnership, pregnancy and maternity, race, religion or belief,
 * sex, sexual orientation).
 *
 * Fires when a member's or officer's new text has a sentence with
 * abuse.txt or discriminatory.txt, not negated, that is about a council
 * person: named, by title, officers or councillors generally, or "you"
 * while the mail is addressed to a council person.  Any audience: bullying
 * in private is still bullying.
 */
#include "config.h"

#include "refs.h"
#include "model.h"

void
cm_rule_disrespect (const CmRule *rule, const CmRuleContext *context, GPtrArray *findings)
{
  const CmView *view = context->view;
  if (view->sender->role == CM_ROLE_EXTERNAL)
    return;

  CmFinding *finding = NULL;
  gboolean discriminatory = FALSE;
  g_autoptr (GPtrArray) people = g_ptr_array_new ();
  for (guint i = 0; i < view->sentences->len; i++)
    {
      const CmSentence *sentence = view->sentences->pdata[i];
      gboolean abuse = (sentence->hits & CM_HIT_ABUSE) != 0;
      gboolean bias = (sentence->hits & CM_HIT_DISCRIMINATORY) != 0;
      if ((!abuse && !bias) || !cm_refs_people (context, sentence, people))
        continue;
      if (finding == NULL)
        finding = cm_finding_new (rule, "", "");
      discriminatory |= bias;
      g_autofree char *text = cm_view_sentence_text (view, sentence);
      cm_finding_add_evidence (finding, text);
    }
  CmJudgement judgement;
  CmFinding *learned = cm_model_finding (rule, context, cm_rule_cite (rule, context, "abuse"), "", finding != NULL,
                                         &judgement);
  if (finding == NULL && learned)
    {
      finding = g_steal_pointer (&learned);
      for (guint i = 0; i < judgement.sentences->len; i++)
        cm_refs_people (context, judgement.sentences->pdata[i], people);
    }
  cm_finding_free (learned);
  cm_judgement_clear (&judgement);
  if (finding == NULL)
    return;
  for (guint i = 0; i < people->len; i++)
    cm_finding_add_person (finding, people->pdata[i]);
  g_free (finding->clause);
  g_autofree char *learned_cues = g_steal_pointer (&finding->summary);
  finding->clause = g_strdup (cm_rule_cite (rule, context, discriminatory ? "discriminatory" : "abuse"));
  finding->summary = g_strdup_printf ("%s language about or to %s%s", discriminatory ? "discriminatory" : "abusive or bullying",
                                      people->len ? "a named member or officer" : "members or officers",
                                      learned_cues);
  g_ptr_array_add (findings, finding);
}
