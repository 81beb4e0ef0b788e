/*
 * rules.c: the rule table, and the findings rules make.
 *
 * The order here is the order of findings in a verdict.  Each rule's
 * default action is what applies when council-milter.conf has no
 * [rule:ID] group for it.  Adding a rule touches its file in rules/, its
 * entry here, its data (word lists, the [rule:ID] group of
 * paragraphs.conf, its weights) and its tests.
 */
#include "config.h"

#include <string.h>

#include "rules.h"
#include "paragraphs.h"

/* Evidence longer than this is cut, with an ellipsis. */
#define EVIDENCE_MAX 400
/* A finding keeps this many evidence sentences; the rest are counted. */
#define EVIDENCE_ITEMS 10

/* The lists of an entry, ended for the loops that read them. */
#define SITUATIONS(...) ((const CmSituation[]) { __VA_ARGS__, { NULL } })
#define LISTS(...) ((const char *const[]) { __VA_ARGS__, NULL })
#define PARAMS(...) ((const CmRuleParam[]) { __VA_ARGS__, { NULL } })

/* Every rule, and all there is to know about it but its code.  The
 * clause each situation cites is in the paragraphs file's [rule:ID]
 * group (config/paragraphs.conf), not here: councils number their
 * protocols differently.  hits and lists name the word lists of
 * config/lexicon/ (the CM_HIT_ lists are scanned once for every sentence;
 * negation.txt and negation-exceptions.txt qualify them all). */
const CmRule cm_rules[] = {
  { .id = "bcc-member",
    .default_action = CM_ACTION_WARN,
    .situations = SITUATIONS ({ "blind-copy", "a councillor blind-copied on member/officer correspondence" }),
    .lists = LISTS ("disclosure.txt"),
    .weighs = FALSE,
    .advice = "Copy the councillor openly (in Cc), or add \"CC Councillor\" and their name at the foot "
      "of the message, so that everyone who receives it knows who else has it.",
    .check = cm_rule_bcc_member, .can_disclose = TRUE },
  { .id = "officer-criticism",
    .default_action = CM_ACTION_HOLD,
    .situations = SITUATIONS ({ "members", "a member's criticism of an officer copied to other members" },
                              { "media", "a member's criticism of an officer sent to the media" },
                              { "outside", "a member's criticism of an officer sent outside the council" }),
    .hits = CM_HIT_CRITICISM,
    .lists = LISTS ("officer-words.txt", "addressee.txt"),
    .weighs = TRUE,
    .advice = "Raise a concern about an officer's conduct or capability privately, with the Chief "
      "Executive or the Monitoring Officer, not in mail copied to other members, the press or the "
      "public. Criticism of a policy or a decision is fine.",
    .check = cm_rule_officer_criticism },
  { .id = "member-obligation",
    .default_action = CM_ACTION_HOLD,
    .situations = SITUATIONS ({ "obligation", "an obligation or instruction for the council in a member's name" }),
    .hits = CM_HIT_OBLIGATION,
    .lists = LISTS ("disclosure.txt", "ceremonial.txt", "deliberative.txt"),
    .weighs = TRUE,
    .advice = "Ask the relevant officer to write on the council's behalf: letters and emails that create "
      "obligations or give instructions for the council go in an officer's name, never a "
      "councillor's. As a ward councillor, say that you write in that capacity.",
    .check = cm_rule_member_obligation },
  /* Hold: a disclosure cannot be taken back once the mail has gone. */
  { .id = "confidential-disclosure",
    .default_action = CM_ACTION_HOLD,
    .situations = SITUATIONS ({ "media", "confidential material sent to the media" },
                              { "media-part2", "Part 2 or exempt material sent to the media" },
                              { "outside", "confidential material sent outside the council" },
                              { "briefing", "a confidential briefing copied to other members" }),
    .lists = LISTS ("marking.txt", "disclaimer.txt", "negation.txt"),
    .weighs = TRUE,
    .params = PARAMS ({ "marking-max-words", 8, "a marking is a heading of at most this many words, not a sentence" },
                      { "marking-max-line", 120, "a longer line is prose, passed over without splitting it into words" }),
    .advice = "Do not send confidential, exempt or Part 2 material outside the council or to the press; a "
      "briefing given to one member or group stays with them. Ask the Monitoring Officer if in doubt.",
    .check = cm_rule_confidential_disclosure },
  /* Warn: often a slip of the wrong account; the notice is the remedy. */
  { .id = "political-use",
    .default_action = CM_ACTION_WARN,
    .situations = SITUATIONS ({ "staff", "party-political work asked of council staff" },
                              { "outside", "campaigning sent from a council address outside the council" }),
    .hits = CM_HIT_POLITICAL,
    .weighs = TRUE,
    .advice = "Use your own (party or personal) email for party-political and campaigning work, and do "
      "not ask council staff to help with party business.",
    .check = cm_rule_political_use },
  /* Warn: the officer is pointed to the proper route; nothing is disclosed. */
  { .id = "employment-lobbying",
    .default_action = CM_ACTION_WARN,
    .situations = SITUATIONS ({ "lobbying", "an officer lobbying a member about their own employment" }),
    .hits = CM_HIT_EMPLOYMENT,
    .weighs = TRUE,
    .advice = "Raise your own pay, grading, grievance or application with your manager, HR or your union, "
      "not with a councillor.",
    .check = cm_rule_employment_lobbying },
  /* Hold: abuse and discrimination harm the person they reach. */
  { .id = "disrespect",
    .default_action = CM_ACTION_HOLD,
    .situations = SITUATIONS ({ "abuse", "abusive or bullying language about or to a council person" },
                              { "discriminatory", "discriminatory language about or to a council person" }),
    .hits = CM_HIT_ABUSE | CM_HIT_DISCRIMINATORY,
    .lists = LISTS ("officer-words.txt", "member-words.txt", "addressee.txt"),
    .weighs = TRUE,
    .advice = "Write with courtesy and respect; criticise decisions, not people, and never by reference to "
      "age, sex, race, religion, disability, pregnancy or sexual orientation.",
    .check = cm_rule_disrespect },
  /* Hold: public criticism by an officer cannot be recalled. */
  { .id = "officer-political",
    .default_action = CM_ACTION_HOLD,
    .situations = SITUATIONS ({ "media", "an officer criticising a decision or a member to the media" },
                              { "member", "an officer criticising a member outside the council" },
                              { "decision", "an officer criticising a council decision outside the council" }),
    .hits = CM_HIT_DECISION_CRITICISM,
    .lists = LISTS ("decision-words.txt"),
    .weighs = TRUE,
    .advice = "Officers do not criticise council decisions or members in public or to the press; raise "
      "concerns with your manager or the Monitoring Officer, and leave statements to the media team.",
    .check = cm_rule_officer_political },
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

const CmSituation *
cm_rule_situation (const CmRule *rule, const char *key)
{
  for (const CmSituation *s = rule->situations; s && s->key; s++)
    if (strcmp (s->key, key) == 0)
      return s;
  return NULL;
}

const char *
cm_rule_cite (const CmRule *rule, const CmRuleContext *context, const char *situation)
{
  /* A key the table does not declare is a bug in the rule's code. */
  g_return_val_if_fail (cm_rule_situation (rule, situation) != NULL, "");
  return cm_paragraphs_cite (context->paragraphs, rule, situation);
}

gint64
cm_rule_param (const CmRule *rule, const char *name)
{
  for (const CmRuleParam *p = rule->params; p && p->name; p++)
    if (strcmp (p->name, name) == 0)
      return p->value;
  g_return_val_if_reached (0);
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
