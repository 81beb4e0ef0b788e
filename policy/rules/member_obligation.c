/*
 * member_obligation.c: the rule member-obligation.
 *
 * South Ribble 13.2: "Letters or e-mails which create obligations or give
 * instructions on behalf of the Council should never be sent out in the
 * name of a Member" (13.1: official letters go in an officer's name);
 * Newton Abbot 13 likewise, and "The Chairperson may initiate
 * correspondence in his/her own name."
 *
 * Fires when mail in a member's name (the sender or From is a member, or
 * the signature names one) has a sentence in its new text that creates an
 * obligation or gives an instruction on the council's behalf
 * (obligation.txt), not negated.  Deliberative words and ward-capacity
 * promises are not in the list; a chair or mayor writing a ceremonial
 * sentence (ceremonial.txt) is allowed.
 */
#include "config.h"

#include <string.h>

#include "refs.h"
#include "model.h"

/* The member whose name the mail is in, or NULL. */
static const CmPerson *
member_in_name (const CmRuleContext *context)
{
  const CmView *view = context->view;
  if (view->sender->role == CM_ROLE_MEMBER && view->sender->person)
    return view->sender->person;
  if (view->from && view->from->role == CM_ROLE_MEMBER && view->from->person)
    return view->from->person;

  /* An officer writing in a member's name signs with the member's name. */
  const CmLexicon *names = cm_directory_names (context->directory);
  const CmWords *all = view->signature_words;
  for (guint from = 0; from < all->n;)
    {
      CmWords line;
      guint next = cm_view_line (view->signature, all, from, &line);
      from = next;
      if (cm_lexicon_matches (context->lexicons->disclosure, &line))
        continue; /* "CC Councillor Patel" names a copy, not the author */
      for (guint pos = 0; pos < line.n; pos++)
        {
          CmMatch match;
          const CmPerson *person = cm_lexicon_match_at (names, &line, pos, &match) ? match.data : NULL;
          if (person && person->role == CM_ROLE_MEMBER)
            return person;
        }
    }
  return NULL;
}

/* Does SENTENCE oblige or instruct, not negated? */
static gboolean
obliges (const CmRuleContext *context, const CmSentence *sentence)
{
  return (sentence->hits & CM_HIT_OBLIGATION) != 0;
}

void
cm_rule_member_obligation (const CmRule *rule, const CmRuleContext *context, GPtrArray *findings)
{
  const CmView *view = context->view;
  const CmPerson *member = member_in_name (context);
  if (member == NULL)
    return;
  gboolean ceremonial_office = (member->offices & (CM_OFFICE_CHAIR | CM_OFFICE_MAYOR)) != 0;

  CmFinding *finding = NULL;
  for (guint i = 0; i < view->sentences->len; i++)
    {
      const CmSentence *sentence = view->sentences->pdata[i];
      if (sentence->subject || !obliges (context, sentence))
        continue;
      if (ceremonial_office && cm_lexicon_matches (context->lexicons->ceremonial, &sentence->words))
        continue;
      if (finding == NULL)
        {
          g_autofree char *summary = g_strdup_printf (
              "obligation or instruction on behalf of the council in the name of Councillor %s",
              member->name);
          finding = cm_finding_new (rule, cm_rule_cite (rule, context, "obligation"), summary);
          cm_finding_add_person (finding, member->addresses->pdata[0]);
        }
      g_autofree char *text = cm_view_sentence_text (view, sentence);
      cm_finding_add_evidence (finding, text);
    }
  CmJudgement judgement;
  CmFinding *learned = cm_model_finding_format (rule, context, cm_rule_cite (rule, context, "obligation"), finding != NULL,
                                                &judgement, "obligation or instruction on behalf of the council in "
                                                "the name of Councillor %s", member->name);
  /* The protocol's own exceptions hold for the weights as for the word
   * lists: the chair's ceremonial letters, and deliberative sentences. */
  gboolean excepted = learned != NULL;
  for (guint i = 0; learned && i < judgement.sentences->len; i++)
    {
      const CmSentence *sentence = judgement.sentences->pdata[i];
      if (!(ceremonial_office && cm_lexicon_matches (context->lexicons->ceremonial, &sentence->words))
          && !cm_lexicon_matches (context->lexicons->deliberative, &sentence->words))
        excepted = FALSE;
    }
  cm_judgement_clear (&judgement);
  if (finding == NULL && learned && !excepted)
    {
      finding = g_steal_pointer (&learned);
      cm_finding_add_person (finding, member->addresses->pdata[0]);
    }
  cm_finding_free (learned);
  if (finding)
    g_ptr_array_add (findings, finding);
}
