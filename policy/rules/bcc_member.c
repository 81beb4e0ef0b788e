/*
 * bcc_member.c: the rule bcc-member.
 *
 * Newton Abbot 13: "there should be no 'blind' copies ... it should be
 * made clear at the foot of any e-mails if another councillor has received
 * an e-mail by adding 'CC councillor X'."
 *
 * Fires when member/officer correspondence (a member writing to an officer
 * or an officer to a member, in To or Cc) reaches a councillor as a blind
 * copy: an envelope recipient absent from To and Cc.  Not a breach: a
 * blind copy to the sender's own addresses or to officers, or one that the
 * new text discloses on a line such as "CC Councillor Patel".  The finding
 * carries the line that would disclose it, for the action disclose.
 */
#include "config.h"

#include <string.h>

#include "refs.h"

/* Is this member/officer correspondence, by its visible recipients? */
static gboolean
member_officer_correspondence (const CmView *view)
{
  CmRole want = view->sender->role == CM_ROLE_MEMBER ? CM_ROLE_OFFICER
              : view->sender->role == CM_ROLE_OFFICER ? CM_ROLE_MEMBER : CM_ROLE_EXTERNAL;
  if (want == CM_ROLE_EXTERNAL)
    return FALSE;
  const GPtrArray *lists[] = { view->to, view->cc };
  for (guint l = 0; l < G_N_ELEMENTS (lists); l++)
    for (guint i = 0; i < lists[l]->len; i++)
      {
        const CmParticipant *p = lists[l]->pdata[i];
        if (p->role == want && !cm_view_is_sender (view, p))
          return TRUE;
      }
  return FALSE;
}

/* Is MEMBER named on LINE (words), by a directory name or surname? */
static gboolean
line_names (const CmRuleContext *context, const CmWords *line, const CmPerson *member)
{
  const CmLexicon *names = cm_directory_names (context->directory);
  for (guint pos = 0; pos < line->n; pos++)
    {
      CmMatch match;
      if (cm_lexicon_match_at (names, line, pos, &match) && match.data == member)
        return TRUE;
      if (strcmp (line->words[pos].text, member->surname) == 0)
        return TRUE;
    }
  return FALSE;
}

/* A line of the sender's new text or signature that discloses a copy
 * ("CC Councillor Patel"): its words, and its text in lower case. */
typedef struct {
  CmWords words; /* a range of the view's words */
  char *text;
} Disclosure;

static void
disclosure_free (gpointer p)
{
  Disclosure *d = p;
  g_free (d->text);
  g_free (d);
}

/* The disclosure lines of TEXT, already split into ALL. */
static void
find_disclosures (const CmRuleContext *context, const char *text, const CmWords *all,
                  GPtrArray *found)
{
  for (guint from = 0; from < all->n;)
    {
      CmWords line;
      guint next = cm_view_line (text, all, from, &line);
      if (cm_lexicon_matches (context->lexicons->disclosure, &line))
        {
          const CmWord *last = &line.words[line.n - 1];
          Disclosure *d = g_new0 (Disclosure, 1);
          d->words = line;
          d->text = g_utf8_strdown (text + line.words[0].offset,
                                    (gssize) (last->offset + last->length - line.words[0].offset));
          g_ptr_array_add (found, d);
        }
      from = next;
    }
}

/* Does a disclosure line name MEMBER or give ADDRESS? */
static gboolean
disclosed (const CmRuleContext *context, const GPtrArray *found, const CmPerson *member,
           const char *address)
{
  for (guint i = 0; i < found->len; i++)
    {
      const Disclosure *d = found->pdata[i];
      if (line_names (context, &d->words, member) || strstr (d->text, address))
        return TRUE;
    }
  return FALSE;
}

void
cm_rule_bcc_member (const CmRule *rule, const CmRuleContext *context, GPtrArray *findings)
{
  const CmView *view = context->view;
  if (view->blind->len == 0 || !member_officer_correspondence (view))
    return;

  CmFinding *finding = NULL;
  g_autoptr (GPtrArray) named = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GPtrArray) councillors = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GPtrArray) found = g_ptr_array_new_with_free_func (disclosure_free);
  find_disclosures (context, view->authored, view->authored_words, found);
  find_disclosures (context, view->signature, view->signature_words, found);
  for (guint i = 0; i < view->blind->len; i++)
    {
      const CmParticipant *p = view->blind->pdata[i];
      if (p->role != CM_ROLE_MEMBER || p->person == NULL || cm_view_is_sender (view, p))
        continue;
      if (disclosed (context, found, p->person, p->address))
        continue;
      if (finding == NULL)
        finding = cm_finding_new (rule, cm_rule_cite (rule, context, "blind-copy"), "");
      g_autofree char *label = cm_refs_person_label (p->person);
      g_autofree char *fact = g_strdup_printf (
          "%s <%s> receives a blind copy: not in To or Cc, and not disclosed with "
          "\"CC Councillor %s\" at the foot", label, p->address, p->person->name);
      cm_finding_add_evidence (finding, fact);
      cm_finding_add_person (finding, p->address);
      g_ptr_array_add (named, g_steal_pointer (&label));
      g_ptr_array_add (councillors, g_strdup_printf ("Councillor %s", p->person->name));
    }
  if (finding == NULL)
    return;
  g_ptr_array_add (named, NULL);
  g_autofree char *who = g_strjoinv (", ", (char **) named->pdata);
  g_free (finding->summary);
  finding->summary = g_strdup_printf ("blind copy of member/officer correspondence to %s", who);
  /* The line the protocol asks for, naming every blind-copied councillor. */
  g_ptr_array_add (councillors, NULL);
  g_autofree char *all = g_strjoinv (", ", (char **) councillors->pdata);
  finding->disclosure = g_strdup_printf ("CC %s", all);
  g_ptr_array_add (findings, finding);
}
