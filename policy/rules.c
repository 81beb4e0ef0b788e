/*
 * rules.c: the rule table, and the findings rules make.
 *
 * The order here is the order of findings in a verdict.  Each rule's
 * default action is what applies when council-milter.conf has no
 * [rule:ID] group for it.
 */
#include "config.h"

#include <string.h>

#include "rules.h"

/* Evidence longer than this is cut, with an ellipsis. */
#define EVIDENCE_MAX 400
/* A finding keeps this many evidence sentences; the rest are counted. */
#define EVIDENCE_ITEMS 10

const CmRule cm_rules[] = {
  { "bcc-member", "Newton Abbot 13", CM_ACTION_WARN,
    "Copy the councillor openly (in Cc), or add \"CC Councillor\" and their name at the foot "
    "of the message, so that everyone who receives it knows who else has it.",
    cm_rule_bcc_member, TRUE },
  { "officer-criticism", "South Ribble 16.2, 4.6; Cambridgeshire 5.5; Runnymede 2.2; Newton Abbot 6",
    CM_ACTION_HOLD,
    "Raise a concern about an officer's conduct or capability privately, with the Chief "
    "Executive or the Monitoring Officer, not in mail copied to other members, the press or the "
    "public. Criticism of a policy or a decision is fine.",
    cm_rule_officer_criticism },
  { "member-obligation", "South Ribble 13.1-13.2; Newton Abbot 13", CM_ACTION_HOLD,
    "Ask the relevant officer to write on the council's behalf: letters and emails that create "
    "obligations or give instructions for the council go in an officer's name, never a "
    "councillor's. As a ward councillor, say that you write in that capacity.",
    cm_rule_member_obligation },
  /* Hold: a disclosure cannot be taken back once the mail has gone. */
  { "confidential-disclosure", "South Ribble 9, 14.3; Cambridgeshire 6.6, 7.1; Runnymede 3.6",
    CM_ACTION_HOLD,
    "Do not send confidential, exempt or Part 2 material outside the council or to the press; a "
    "briefing given to one member or group stays with them. Ask the Monitoring Officer if in doubt.",
    cm_rule_confidential_disclosure },
  /* Warn: often a slip of the wrong account; the notice is the remedy. */
  { "political-use", "Cambridgeshire 4.2; South Ribble 12.1; Newton Abbot 15", CM_ACTION_WARN,
    "Use your own (party or personal) email for party-political and campaigning work, and do "
    "not ask council staff to help with party business.",
    cm_rule_political_use },
  /* Warn: the officer is pointed to the proper route; nothing is disclosed. */
  { "employment-lobbying", "Runnymede 3.13; South Ribble 4.8", CM_ACTION_WARN,
    "Raise your own pay, grading, grievance or application with your manager, HR or your union, "
    "not with a councillor.",
    cm_rule_employment_lobbying },
  /* Hold: abuse and discrimination harm the person they reach. */
  { "disrespect", "Runnymede 2.1; Cambridgeshire 5.8", CM_ACTION_HOLD,
    "Write with courtesy and respect; criticise decisions, not people, and never by reference to "
    "age, sex, race, religion, disability, pregnancy or sexual orientation.",
    cm_rule_disrespect },
  /* Hold: public criticism by an officer cannot be recalled. */
  { "officer-political", "Cambridgeshire 5.1; South Ribble 4.9; Runnymede 3.12", CM_ACTION_HOLD,
    "Officers do not criticise council decisions or members in public or to the press; raise "
    "concerns with your manager or the Monitoring Officer, and leave statements to the media team.",
    cm_rule_officer_political },
};
const guint cm_n_rules = G_N_ELEMENTS (cm_rules);

const CmRule *
cm_rule_find (const char *id)
{
  for (guint i = 0; i < cm_n_rules; i++)
    if (strcmp (cm_rules[i].id, id) == 0)
      return &cm_rules[i];
  return NULL;
}

CmFinding *
cm_finding_new (const CmRule *rule, const char *clause, const char *summary)
{
  CmFinding *finding = g_new0 (CmFinding, 1);
  finding->rule = rule->id;
  finding->advice = rule->advice;
  finding->clause = g_strdup (clause);
  finding->summary = g_strdup (summary);
  finding->evidence = g_ptr_array_new_with_free_func (g_free);
  finding->people = g_ptr_array_new_with_free_func (g_free);
  return finding;
}

void
cm_finding_free (CmFinding *finding)
{
  if (finding == NULL)
    return;
  g_free (finding->clause);
  g_free (finding->summary);
  g_ptr_array_unref (finding->evidence);
  g_ptr_array_unref (finding->people);
  g_free (finding->disclosure);
  g_free (finding);
}

void
cm_finding_add_evidence (CmFinding *finding, const char *text)
{
  for (guint i = 0; i < finding->evidence->len; i++)
    if (strcmp (finding->evidence->pdata[i], text) == 0)
      return;
  if (finding->evidence->len >= EVIDENCE_ITEMS)
    {
      finding->evidence_omitted++;
      return;
    }
  if (g_utf8_strlen (text, -1) <= EVIDENCE_MAX)
    {
      g_ptr_array_add (finding->evidence, g_strdup (text));
      return;
    }
  const char *cut = g_utf8_offset_to_pointer (text, EVIDENCE_MAX);
  g_ptr_array_add (finding->evidence, g_strdup_printf ("%.*s…", (int) (cut - text), text));
}

void
cm_finding_add_person (CmFinding *finding, const char *address)
{
  if (address == NULL || *address == '\0')
    return;
  for (guint i = 0; i < finding->people->len; i++)
    if (strcmp (finding->people->pdata[i], address) == 0)
      return;
  g_ptr_array_add (finding->people, g_strdup (address));
}
