/*
 * officer_political.c: the rule officer-political.
 *
 * Cambridgeshire 5.1: criticism is fair, but officers must not publicly
 * criticise council decisions; South Ribble 4.9: officers must not
 * undermine members; Runnymede 3.12: staff must not impugn members.
 *
 * Fires when an officer writes to the media or outside the council and a
 * sentence of the new text judges (decision-criticism.txt, not negated) a
 * decision or the members (decision-words.txt, or a member by name).
 * Explaining a decision, or criticising it privately inside the council,
 * is not a breach.
 */
#include "config.h"

#include "refs.h"
#include "model.h"

/* Does SENTENCE name a decision, the council's bodies or a member? */
static gboolean
about_decision_or_member (const CmRuleContext *context, const CmSentence *sentence, gboolean *member)
{
  const CmWords *words = &sentence->words;
  const CmLexicon *names = cm_directory_names (context->directory);
  gboolean found = FALSE;
  for (guint pos = 0; pos < words->n; pos++)
    {
      CmMatch match;
      if (cm_lexicon_match_at (names, words, pos, &match) && match.data
          && ((const CmPerson *) match.data)->role == CM_ROLE_MEMBER)
        found = *member = TRUE;
      else if (cm_lexicon_match_at (context->lexicons->decision_words, words, pos, &match))
        found = TRUE;
    }
  return found;
}

void
cm_rule_officer_political (const CmRule *rule, const CmRuleContext *context, GPtrArray *findings)
{
  const CmView *view = context->view;
  if (view->sender->role != CM_ROLE_OFFICER)
    return;
  gboolean media = FALSE;
  g_autoptr (GPtrArray) outside = g_ptr_array_new ();
  for (guint i = 0; i < view->recipients->len; i++)
    {
      const CmParticipant *p = view->recipients->pdata[i];
      if (p->role == CM_ROLE_EXTERNAL)
        {
          g_ptr_array_add (outside, p->address);
          media |= p->media;
        }
    }
  if (outside->len == 0)
    return;

  CmFinding *finding = NULL;
  gboolean member = FALSE;
  for (guint i = 0; i < view->sentences->len; i++)
    {
      const CmSentence *sentence = view->sentences->pdata[i];
      if (!(sentence->hits & CM_HIT_DECISION_CRITICISM) || !about_decision_or_member (context, sentence, &member))
        continue;
      if (finding == NULL)
        finding = cm_finding_new (rule, "", "");
      g_autofree char *text = cm_view_sentence_text (view, sentence);
      cm_finding_add_evidence (finding, text);
    }
  CmFinding *learned = cm_model_finding (rule, context, "", "", finding != NULL, NULL);
  if (finding == NULL && learned)
    finding = g_steal_pointer (&learned);
  cm_finding_free (learned);
  if (finding == NULL)
    return;
  for (guint i = 0; i < outside->len; i++)
    cm_finding_add_person (finding, outside->pdata[i]);
  g_free (finding->clause);
  g_autofree char *learned_cues = g_steal_pointer (&finding->summary);
  finding->clause = g_strdup (cm_rule_cite (rule, context, media ? "media" : member ? "member" : "decision"));
  finding->summary = g_strdup_printf ("an officer publicly criticising %s, %s%s",
                                      member ? "a member" : "a council decision",
                                      media ? "to the media" : "outside the council", learned_cues);
  g_ptr_array_add (findings, finding);
}
