/*
 * officer_criticism.c: the rule officer-criticism.
 *
 * South Ribble 16.2: "emails written by one Member which are carbon copied
 * to other Members should not criticise or undermine officers"; South
 * Ribble 4.6, Cambridgeshire 5.5, Runnymede 2.2 and Newton Abbot 6: no
 * officer's conduct or capability raised in public or in the press.
 *
 * Fires when a member's mail goes to other members, the media or the
 * public, and a sentence of the member's own new text refers to an officer
 * (by name, job title, as officers or staff, or as "you" when officers are
 * addressed) and criticises conduct or capability (criticism.txt), not
 * negated.  Criticism of a policy or decision does not name an officer's
 * conduct and is allowed; mail to officers only (the Chief Executive, the
 * Monitoring Officer) is the proper private route.
 */
#include "config.h"

#include <string.h>

#include "refs.h"
#include "model.h"

/* Does SENTENCE criticise, not negated? */
static gboolean
criticises (const CmRuleContext *context, const CmSentence *sentence)
{
  return (sentence->hits & CM_HIT_CRITICISM) != 0;
}

/* "copied to 3 members and sent to the media (northmoorgazette.co.uk)";
 * members through a list by the list: "copied to all-councillors@...
 * (48 members) and 1 other member". */
static char *
describe_audience (const CmAudience *audience)
{
  GPtrArray *parts = g_ptr_array_new_with_free_func (g_free);
  if (audience->lists->len)
    {
      GString *lists = g_string_new ("copied to ");
      for (guint i = 0; i < audience->lists->len; i++)
        {
          const CmList *list = audience->lists->pdata[i];
          g_string_append_printf (lists, "%s%s (%u member%s)", i ? ", " : "", (const char *) list->addresses->pdata[0],
                                  list->n_members, list->n_members == 1 ? "" : "s");
        }
      if (audience->members_direct)
        g_string_append_printf (lists, " and %u other member%s", audience->members_direct,
                                audience->members_direct == 1 ? "" : "s");
      g_ptr_array_add (parts, g_string_free (lists, FALSE));
    }
  else if (audience->members)
    g_ptr_array_add (parts, g_strdup_printf ("copied to %u member%s", audience->members,
                                             audience->members == 1 ? "" : "s"));
  if (audience->media->len)
    {
      g_ptr_array_add (audience->media, NULL);
      g_autofree char *domains = g_strjoinv (", ", (char **) audience->media->pdata);
      g_ptr_array_remove_index (audience->media, audience->media->len - 1);
      g_ptr_array_add (parts, g_strdup_printf ("sent to the media (%s)", domains));
    }
  if (audience->external)
    g_ptr_array_add (parts, g_strdup_printf ("sent to %u address%s outside the council",
                                             audience->external, audience->external == 1 ? "" : "es"));
  g_ptr_array_add (parts, NULL);
  char *text = g_strjoinv (" and ", (char **) parts->pdata);
  g_ptr_array_unref (parts);
  return text;
}

void
cm_rule_officer_criticism (const CmRule *rule, const CmRuleContext *context, GPtrArray *findings)
{
  const CmView *view = context->view;
  if (view->sender->role != CM_ROLE_MEMBER)
    return;

  CmAudience audience;
  cm_refs_audience (view, &audience);
  if (audience.members == 0 && audience.media->len == 0 && audience.external == 0)
    {
      cm_refs_audience_clear (&audience);
      return;
    }

  const char *clause = cm_rule_cite (rule, context, audience.members ? "members"
                                                   : audience.media->len ? "media" : "outside");
  CmFinding *finding = NULL;
  g_autoptr (GPtrArray) named = g_ptr_array_new ();
  gboolean collective = FALSE;
  for (guint i = 0; i < view->sentences->len; i++)
    {
      const CmSentence *sentence = view->sentences->pdata[i];
      CmOfficerRefs refs = { 0 };
      /* Criticism is rare: look for it before looking for officers. */
      if (!criticises (context, sentence) || !cm_refs_officers (context, sentence, &refs))
        {
          cm_refs_clear (&refs);
          continue;
        }
      if (finding == NULL)
        finding = cm_finding_new (rule, clause, "");
      g_autofree char *text = cm_view_sentence_text (view, sentence);
      g_autofree char *evidence = sentence->subject ? g_strdup_printf ("Subject: %s", text)
                                                    : g_steal_pointer (&text);
      cm_finding_add_evidence (finding, evidence);
      for (guint k = 0; refs.named && k < refs.named->len; k++)
        {
          const CmPerson *person = refs.named->pdata[k];
          cm_finding_add_person (finding, person->addresses->pdata[0]);
          if (!g_ptr_array_find (named, person, NULL))
            g_ptr_array_add (named, (gpointer) person);
        }
      if (refs.addressed)
        for (guint k = 0; k < view->to->len; k++)
          {
            const CmParticipant *p = view->to->pdata[k];
            if (p->role == CM_ROLE_OFFICER)
              {
                cm_finding_add_person (finding, p->address);
                if (p->person && !g_ptr_array_find (named, p->person, NULL))
                  g_ptr_array_add (named, (gpointer) p->person);
                collective |= p->person == NULL;
              }
          }
      collective |= refs.generic;
      cm_refs_clear (&refs);
    }

  /* The learned weights, where the word lists found nothing: the people
   * are the officers the evidence refers to, or the officers addressed. */
  CmJudgement judgement;
  CmFinding *learned = cm_model_finding (rule, context, clause, "", finding != NULL, &judgement);
  if (finding == NULL && learned)
    {
      finding = g_steal_pointer (&learned);
      for (guint i = 0; i < judgement.sentences->len; i++)
        {
          CmOfficerRefs refs = { 0 };
          cm_refs_officers (context, judgement.sentences->pdata[i], &refs);
          for (guint k = 0; refs.named && k < refs.named->len; k++)
            {
              const CmPerson *person = refs.named->pdata[k];
              cm_finding_add_person (finding, person->addresses->pdata[0]);
              if (!g_ptr_array_find (named, person, NULL))
                g_ptr_array_add (named, (gpointer) person);
            }
          collective |= refs.generic || refs.named == NULL;
          cm_refs_clear (&refs);
        }
    }
  cm_finding_free (learned);
  cm_judgement_clear (&judgement);

  if (finding)
    {
      GString *whom = g_string_new (NULL);
      for (guint k = 0; k < named->len; k++)
        {
          g_autofree char *label = cm_refs_person_label (named->pdata[k]);
          if (k)
            g_string_append (whom, ", ");
          g_string_append (whom, label);
        }
      if (whom->len == 0 || collective)
        g_string_append (whom, whom->len ? " and officers" : "officers");
      g_autofree char *where = describe_audience (&audience);
      /* "" from the word lists, " (learned cues ...)" from the weights */
      g_autofree char *learned_cues = g_steal_pointer (&finding->summary);
      finding->summary = g_strconcat ("criticism of ", whom->str, " ", where, learned_cues, NULL);
      g_string_free (whom, TRUE);
      g_ptr_array_add (findings, finding);
    }
  cm_refs_audience_clear (&audience);
}
