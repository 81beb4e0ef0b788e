/*
 * political_use.c: the rule political-use.
 *
 * Cambridgeshire 4.2: council ICT is not for party-political or
 * campaigning work; South Ribble 12.1; Newton Abbot 15: council resources
 * and staff are not for party politics, and members must not press staff
 * to provide support they may not give.
 *
 * Fires when a member has a sentence of political.txt in the new text and
 * the mail goes to an officer (asking staff for party business, from any
 * of the member's addresses: the staff are the council's resource), or
 * goes outside the council from a council address (campaigning with
 * council mail; from a personal address that is the member's own
 * business).  Member-to-member talk of a party meeting is not political
 * use of the council or its staff.
 */
#include "config.h"

#include <string.h>

#include "refs.h"
#include "model.h"

void
cm_rule_political_use (const CmRule *rule, const CmRuleContext *context, GPtrArray *findings)
{
  const CmView *view = context->view;
  const CmParticipant *sender = view->sender;
  if (sender->role != CM_ROLE_MEMBER)
    return;
  gboolean council_address = cm_directory_in_council_domain (context->directory, sender->address);

  const CmParticipant *officer = NULL;
  guint outside = 0;
  for (guint i = 0; i < view->recipients->len; i++)
    {
      const CmParticipant *p = view->recipients->pdata[i];
      if (cm_view_is_sender (view, p))
        continue;
      if (p->role == CM_ROLE_OFFICER && officer == NULL)
        officer = p;
      outside += p->role == CM_ROLE_EXTERNAL && council_address;
    }
  if (officer == NULL && outside == 0)
    return;

  CmFinding *finding = NULL;
  for (guint i = 0; i < view->sentences->len; i++)
    {
      const CmSentence *sentence = view->sentences->pdata[i];
      if (!(sentence->hits & CM_HIT_POLITICAL))
        continue;
      if (finding == NULL)
        {
          g_autofree char *summary = officer
              ? g_strdup_printf ("party-political or campaigning work asked of council staff (%s)", officer->address)
              : g_strdup_printf ("party-political or campaigning work sent from a council address to %u "
                                 "address%s outside the council", outside, outside == 1 ? "" : "es");
          finding = cm_finding_new (rule, cm_rule_cite (rule, context, officer ? "staff" : "outside"), summary);
          if (officer)
            cm_finding_add_person (finding, officer->address);
        }
      g_autofree char *text = cm_view_sentence_text (view, sentence);
      cm_finding_add_evidence (finding, text);
    }
  const char *clause = cm_rule_cite (rule, context, officer ? "staff" : "outside");
  CmFinding *learned = officer
      ? cm_model_finding_format (rule, context, clause, finding != NULL, NULL,
                                 "party-political or campaigning work asked of council staff (%s)", officer->address)
      : cm_model_finding_format (rule, context, clause, finding != NULL, NULL,
                                 "party-political or campaigning work sent from a council address to %u "
                                 "address%s outside the council", outside, outside == 1 ? "" : "es");
  if (finding == NULL && learned)
    {
      finding = g_steal_pointer (&learned);
      if (officer)
        cm_finding_add_person (finding, officer->address);
    }
  cm_finding_free (learned);
  if (finding)
    g_ptr_array_add (findings, finding);
}
