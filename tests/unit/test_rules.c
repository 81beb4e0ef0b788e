/*
 * test_rules.c: each core rule on small messages: what makes it fire,
 * the clause, summary, evidence and people it reports, and the near
 * misses that must not fire.  (tests/messages/ has the MIME shapes.)
 */
#include "config.h"

#include <string.h>

#include "testutil.h"


/* Check a plain message with these headers and body; envelope from headers. */
static CmVerdict *
check (const char *from, const char *to, const char *cc, const char *bcc, const char *body)
{
  GString *text = g_string_new (NULL);
  g_string_append_printf (text, "From: %s\nTo: %s\n", from, to);
  if (cc)
    g_string_append_printf (text, "Cc: %s\n", cc);
  if (bcc)
    g_string_append_printf (text, "Bcc: %s\n", bcc);
  g_string_append_printf (text, "Subject: Test\nContent-Type: text/plain; charset=utf-8\n\n%s\n", body);
  CmVerdict *verdict = test_check (test_config, NULL, text->str);
  g_string_free (text, TRUE);
  return verdict;
}

#define JANE "Cllr Jane Smith <cllr.jane.smith@northmoor.gov.uk>"
#define RAJ "cllr.raj.patel@northmoor.gov.uk"
#define TOM "Tom Baker <tom.baker@northmoor.gov.uk>"

/* ---- bcc-member --------------------------------------------------------- */

START_TEST (test_bcc_fires)
{
  g_autoptr (CmVerdict) v = check (JANE, TOM, NULL, "Raj.Patel@Outlook.com", "Please look at the drains.");
  const CmFinding *f = test_finding (v, "bcc-member");
  ck_assert_ptr_nonnull (f);
  ck_assert_str_eq (f->clause, "Newton Abbot 13");
  ck_assert_int_eq (f->action, CM_ACTION_WARN);
  ck_assert_int_eq (v->action, CM_ACTION_WARN);
  ck_assert (test_has_person (f, "raj.patel@outlook.com"));
  ck_assert_msg (strstr (f->summary, "Councillor Raj Patel"), "%s", f->summary);
  ck_assert (test_has_evidence (f, "receives a blind copy"));
}
END_TEST

START_TEST (test_bcc_officer_sender)
{
  g_autoptr (CmVerdict) v = check (TOM, JANE, NULL, RAJ, "The report is attached.");
  ck_assert_ptr_nonnull (test_finding (v, "bcc-member"));
}
END_TEST

START_TEST (test_bcc_near_misses)
{
  struct { const char *from, *to, *cc, *bcc, *body; } cases[] = {
    /* her own other address */
    { JANE, TOM, NULL, "janesmith1962@gmail.com", "Please look at the drains." },
    /* an officer in Bcc */
    { JANE, TOM, NULL, "helen.price@northmoor.gov.uk", "Please look at the drains." },
    /* copied openly */
    { JANE, TOM, RAJ, NULL, "Please look at the drains." },
    /* disclosed at the foot, by surname or full name, or by address */
    { JANE, TOM, NULL, RAJ, "Please look at the drains.\n\nCC Councillor Patel" },
    { JANE, TOM, NULL, RAJ, "Please look at the drains.\n\nKind regards,\nJane\n\ncc: Cllr Raj Patel" },
    { JANE, TOM, NULL, RAJ, "Please look at the drains. I have copied in Raj Patel." },
    { JANE, TOM, NULL, RAJ, "Please look at the drains.\nBcc: cllr.raj.patel@northmoor.gov.uk" },
    /* not member/officer correspondence */
    { JANE, "resident@example.org", NULL, RAJ, "Thank you for your letter." },
    { JANE, RAJ, NULL, "cllr.emily.wright@northmoor.gov.uk", "See you at group." },
    /* from outside the council: not checked at all */
    { "resident@example.org", TOM, NULL, RAJ, "Please look at the drains." },
  };
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (CmVerdict) v = check (cases[i].from, cases[i].to, cases[i].cc, cases[i].bcc, cases[i].body);
      ck_assert_msg (test_finding (v, "bcc-member") == NULL, "case %u fired", i);
    }
}
END_TEST

START_TEST (test_bcc_disclosure_must_name_the_member)
{
  /* Disclosing Khan does not disclose Patel; quoted history discloses nothing. */
  g_autoptr (CmVerdict) a = check (JANE, TOM, NULL, RAJ, "Please look at the drains.\n\nCC Councillor Khan");
  ck_assert_ptr_nonnull (test_finding (a, "bcc-member"));
  g_autoptr (CmVerdict) b = check (JANE, TOM, NULL, RAJ,
                                   "Please look.\n\nOn Mon, 3 Jun 2024, Tom wrote:\n> CC Councillor Patel\n");
  ck_assert_ptr_nonnull (test_finding (b, "bcc-member"));
}
END_TEST

/* ---- officer-criticism ---------------------------------------------------- */

START_TEST (test_criticism_fires)
{
  g_autoptr (CmVerdict) v = check (JANE, TOM, RAJ ", cllr.emily.wright@northmoor.gov.uk", NULL,
                                   "Dear Tom,\n\nThe Head of Planning has been utterly incompetent over this. "
                                   "The decision itself is wrong.");
  const CmFinding *f = test_finding (v, "officer-criticism");
  ck_assert_ptr_nonnull (f);
  ck_assert_str_eq (f->clause, "South Ribble 16.2");
  ck_assert_int_eq (v->action, CM_ACTION_HOLD);
  ck_assert_uint_eq (f->evidence->len, 1);
  ck_assert_str_eq (f->evidence->pdata[0], "The Head of Planning has been utterly incompetent over this.");
  ck_assert (test_has_person (f, "tom.baker@northmoor.gov.uk"));
  ck_assert_str_eq (f->summary, "criticism of Tom Baker (Head of Planning) copied to 2 members");
}
END_TEST

START_TEST (test_criticism_audiences)
{
  g_autoptr (CmVerdict) press = check (JANE, "newsdesk@northmoorgazette.co.uk", NULL, NULL,
                                       "Our planning officers are lazy and useless.");
  const CmFinding *f = test_finding (press, "officer-criticism");
  ck_assert_ptr_nonnull (f);
  ck_assert_str_eq (f->clause, "Cambridgeshire 5.5");
  ck_assert_msg (strstr (f->summary, "sent to the media (northmoorgazette.co.uk)"), "%s", f->summary);

  g_autoptr (CmVerdict) public = check (JANE, "resident@example.org", NULL, NULL,
                                        "Mr Baker misled the committee, frankly.");
  f = test_finding (public, "officer-criticism");
  ck_assert_ptr_nonnull (f);
  ck_assert_str_eq (f->clause, "South Ribble 4.6");

  /* "you" is the addressed officer, with members copied. */
  g_autoptr (CmVerdict) you = check (JANE, TOM, RAJ, NULL, "You have been negligent in handling this.");
  f = test_finding (you, "officer-criticism");
  ck_assert_ptr_nonnull (f);
  ck_assert (test_has_person (f, "tom.baker@northmoor.gov.uk"));

  /* The subject line counts. */
  g_autofree char *msg = g_strdup_printf ("From: %s\nTo: %s\nSubject: Mr Baker's incompetence\n\nSee below.\n", JANE, RAJ);
  g_autoptr (CmVerdict) subject = test_check (test_config, NULL, msg);
  f = test_finding (subject, "officer-criticism");
  ck_assert_ptr_nonnull (f);
  ck_assert (test_has_evidence (f, "Subject: Mr Baker's incompetence"));
}
END_TEST

START_TEST (test_criticism_near_misses)
{
  struct { const char *from, *to, *cc, *body; } cases[] = {
    /* private, to officers only: the proper route */
    { JANE, "Linda Carter <linda.carter@northmoor.gov.uk>", NULL, "Mr Baker has been incompetent and I wish to complain." },
    { JANE, "monitoring.officer@northmoor.gov.uk", "tom.baker@northmoor.gov.uk", "You have been negligent." },
    /* a decision or policy, not an officer's conduct */
    { JANE, RAJ, NULL, "The decision to close the library is wrong and the scheme is flawed." },
    /* negated */
    { JANE, RAJ, NULL, "I am not suggesting the Head of Planning is incompetent." },
    { JANE, RAJ, NULL, "Mr Baker is never lazy." },
    /* praise */
    { JANE, RAJ, NULL, "The planning officers have been excellent throughout." },
    /* criticism with no officer in it */
    { JANE, RAJ, NULL, "The developer was negligent and the contractor useless." },
    /* an officer writing, not a member */
    { TOM, RAJ, NULL, "The contractor has been negligent." },
    /* only in quoted history */
    { JANE, RAJ, NULL, "I disagree.\n\nOn Mon, 3 Jun 2024, Resident wrote:\n> Mr Baker is incompetent.\n" },
    /* "you" to a member, not an officer */
    { JANE, RAJ, "cllr.emily.wright@northmoor.gov.uk", "You have been useless at group meetings." },
  };
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (CmVerdict) v = check (cases[i].from, cases[i].to, cases[i].cc, NULL, cases[i].body);
      ck_assert_msg (test_finding (v, "officer-criticism") == NULL, "case %u fired: %s", i,
                     v->findings->len ? ((CmFinding *) v->findings->pdata[0])->summary : "");
    }
}
END_TEST

/* ---- member-obligation ---------------------------------------------------- */

START_TEST (test_obligation_fires)
{
  g_autoptr (CmVerdict) v = check ("Raj Patel <raj.patel@outlook.com>", "builder@example.org", NULL, NULL,
                                   "Thank you for the quote. The council will pay for the new fence in full.");
  const CmFinding *f = test_finding (v, "member-obligation");
  ck_assert_ptr_nonnull (f);
  ck_assert_str_eq (f->clause, "South Ribble 13.2");
  ck_assert_str_eq (f->evidence->pdata[0], "The council will pay for the new fence in full.");
  ck_assert (test_has_person (f, "cllr.raj.patel@northmoor.gov.uk"));
  ck_assert_msg (strstr (f->summary, "Councillor Raj Patel"), "%s", f->summary);

  const char *bodies[] = {
    "I hereby instruct you to stop all work on the site.",
    "On behalf of the council I agree to your terms.",
    "Please proceed with the contract as discussed.",
    "You are authorised to proceed with the works.",
  };
  for (guint i = 0; i < G_N_ELEMENTS (bodies); i++)
    {
      g_autoptr (CmVerdict) w = check (JANE, "builder@example.org", NULL, NULL, bodies[i]);
      ck_assert_msg (test_finding (w, "member-obligation") != NULL, "body %u did not fire", i);
    }
}
END_TEST

START_TEST (test_obligation_officer_in_members_name)
{
  g_autoptr (CmVerdict) v = check ("Gary Lewis <gary.lewis@northmoor.gov.uk>", "builder@example.org", NULL, NULL,
                                   "The council will pay for the repairs.\n\nYours sincerely,\n\nCllr Raj Patel\nLeader of the Council");
  const CmFinding *f = test_finding (v, "member-obligation");
  ck_assert_ptr_nonnull (f);
  ck_assert_msg (strstr (f->summary, "Raj Patel"), "%s", f->summary);
}
END_TEST

START_TEST (test_obligation_near_misses)
{
  struct { const char *from, *to, *body; } cases[] = {
    { JANE, "resident@example.org", "The council will consider your claim at its next meeting." },
    { JANE, "resident@example.org", "As your ward councillor I will raise this with officers." },
    { JANE, "resident@example.org", "I cannot authorise any payment; that is for officers." },
    { JANE, "resident@example.org", "The council will not pay for private repairs." },
    /* an officer in their own name */
    { TOM, "builder@example.org", "The council will pay the invoice within 30 days.\n\nRegards,\nTom Baker\nHead of Planning" },
    /* the chair's ceremonial letter */
    { JANE, "guest@example.org", "I am delighted to invite you to the civic reception, and the council will pay for your travel." },
    /* only in quoted history */
    { JANE, "builder@example.org", "Noted.\n\n-----Original Message-----\nFrom: Tom\nThe council will pay for the fence.\n" },
    /* an officer's signature with a member only in a CC line */
    { TOM, "builder@example.org", "The council will pay on receipt.\n\nRegards,\nTom Baker\ncc Cllr Raj Patel" },
  };
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (CmVerdict) v = check (cases[i].from, cases[i].to, NULL, NULL, cases[i].body);
      ck_assert_msg (test_finding (v, "member-obligation") == NULL, "case %u fired", i);
    }
  /* The ceremonial exception is the chair's only. */
  g_autoptr (CmVerdict) raj = check ("cllr.raj.patel@northmoor.gov.uk", "guest@example.org", NULL, NULL,
                                     "I am delighted to invite you to the civic reception, and the council will pay for your travel.");
  ck_assert_ptr_nonnull (test_finding (raj, "member-obligation"));
}
END_TEST

START_TEST (test_evidence_is_bounded)
{
  GString *body = g_string_new (NULL);
  for (int i = 0; i < 25; i++)
    g_string_append_printf (body, "Item %d: the council will pay for repair number %d.\n\n", i, i);
  g_autoptr (CmVerdict) v = check (JANE, "builder@example.org", NULL, NULL, body->str);
  g_string_free (body, TRUE);
  const CmFinding *f = test_finding (v, "member-obligation");
  ck_assert_ptr_nonnull (f);
  ck_assert_uint_eq (f->evidence->len, 10);
  ck_assert_uint_eq (f->evidence_omitted, 15);
  ck_assert_msg (g_str_has_suffix (f->summary, "(15 more sentences like these)"), "%s", f->summary);
}
END_TEST

/* ---- the further rules ---------------------------------------------------- */

#define TOM_ADDR "tom.baker@northmoor.gov.uk"
#define PRESS "newsdesk@northmoorgazette.co.uk"
#define FOOTER "\n\nThis email and any attachments are confidential and intended solely for the addressee."

START_TEST (test_confidential_disclosure)
{
  /* A marking line, to the press. */
  g_autoptr (CmVerdict) press = check (JANE, PRESS, NULL, NULL, "CONFIDENTIAL\n\nHere are the figures you asked for.");
  const CmFinding *f = test_finding (press, "confidential-disclosure");
  ck_assert_ptr_nonnull (f);
  ck_assert_str_eq (f->clause, "Cambridgeshire 6.6");
  ck_assert (test_has_person (f, PRESS));
  ck_assert (test_has_evidence (f, "CONFIDENTIAL"));
  /* Part 2 in the subject, to the media: South Ribble 14.3. */
  g_autofree char *part2 = g_strdup_printf ("From: %s\nTo: %s\nSubject: Part 2 - Mill Lane valuation\n\nSee below.\n", JANE, PRESS);
  g_autoptr (CmVerdict) p2 = test_check (test_config, NULL, part2);
  f = test_finding (p2, "confidential-disclosure");
  ck_assert_ptr_nonnull (f);
  ck_assert_str_eq (f->clause, "South Ribble 14.3");
  /* A forwarded briefing, marked, copied to other members. */
  g_autoptr (CmVerdict) brief = check (JANE, RAJ, NULL, NULL,
      "For your information.\n\n-----Original Message-----\nFrom: Linda Carter\nCONFIDENTIAL BRIEFING\nThe figures are low.\n");
  f = test_finding (brief, "confidential-disclosure");
  ck_assert_ptr_nonnull (f);
  ck_assert_str_eq (f->clause, "Runnymede 3.6");

  /* Near misses: the footer; a long sentence; inside the council only. */
  g_autoptr (CmVerdict) footer = check (JANE, "resident@example.org", NULL, NULL, "Thank you for your letter." FOOTER);
  ck_assert_ptr_null (test_finding (footer, "confidential-disclosure"));
  g_autoptr (CmVerdict) prose = check (JANE, "resident@example.org", NULL, NULL,
      "I will of course treat everything you have told me about your neighbour as confidential.");
  ck_assert_ptr_null (test_finding (prose, "confidential-disclosure"));
  g_autoptr (CmVerdict) inside = check (TOM, JANE, NULL, NULL, "CONFIDENTIAL\n\nThe valuation is attached.");
  ck_assert_ptr_null (test_finding (inside, "confidential-disclosure"));
  /* A marking word inside a file name or a code identifier is none. */
  g_autoptr (CmVerdict) code = check (JANE, PRESS, NULL, NULL,
      "The build reports:\n\n|   |-- fs-index.c:sparse:restricted-__le32-degrades-to-integer\n");
  ck_assert_ptr_null (test_finding (code, "confidential-disclosure"));
  g_autoptr (CmVerdict) named = check (JANE, PRESS, NULL, NULL, "RESTRICTED\n\nThe plan is attached.");
  ck_assert_ptr_nonnull (test_finding (named, "confidential-disclosure"));
}
END_TEST

START_TEST (test_political_use)
{
  g_autoptr (CmVerdict) staff = check (JANE, TOM, NULL, NULL,
      "Could your team print 500 election leaflets for the ward party before Friday?");
  const CmFinding *f = test_finding (staff, "political-use");
  ck_assert_ptr_nonnull (f);
  ck_assert_str_eq (f->clause, "Newton Abbot 15");
  ck_assert (test_has_person (f, TOM_ADDR));
  g_autoptr (CmVerdict) residents = check (JANE, "resident@example.org", NULL, NULL,
      "Please vote for me on 2 May: I need your support for my re-election campaign.");
  ck_assert_ptr_nonnull (test_finding (residents, "political-use"));
  /* Staff asked from a member's personal address are still the council's. */
  g_autoptr (CmVerdict) staff_personal = check ("janesmith1962@gmail.com", TOM, NULL, NULL,
      "Could your team print 500 election leaflets for the ward party before Friday?");
  f = test_finding (staff_personal, "political-use");
  ck_assert_ptr_nonnull (f);
  ck_assert (test_has_person (f, TOM_ADDR));
  /* Near misses: member to member; a personal address; an officer. */
  g_autoptr (CmVerdict) members = check (JANE, RAJ, NULL, NULL, "See you at the ward party meeting on Tuesday.");
  ck_assert_ptr_null (test_finding (members, "political-use"));
  g_autoptr (CmVerdict) personal = check ("janesmith1962@gmail.com", "resident@example.org", NULL, NULL,
      "Please vote for me on 2 May.");
  ck_assert_ptr_null (test_finding (personal, "political-use"));
  g_autoptr (CmVerdict) officer = check ("gary.lewis@northmoor.gov.uk", "resident@example.org", NULL, NULL,
      "Polling day arrangements: your polling station is the village hall.");
  ck_assert_ptr_null (test_finding (officer, "political-use"));
}
END_TEST

START_TEST (test_employment_lobbying)
{
  g_autoptr (CmVerdict) v = check ("Sarah Jones <sarah.jones@northmoor.gov.uk>", RAJ, NULL, NULL,
      "I would be grateful if you could support my appeal against the regrading of my post.");
  const CmFinding *f = test_finding (v, "employment-lobbying");
  ck_assert_ptr_nonnull (f);
  ck_assert_str_eq (f->clause, "Runnymede 3.13");
  ck_assert (test_has_person (f, RAJ));
  /* Near misses: to the manager; about a resident; about the restructure in general. */
  g_autoptr (CmVerdict) manager = check ("sarah.jones@northmoor.gov.uk", TOM, NULL, NULL,
      "I would like to discuss my grievance at our next one-to-one.");
  ck_assert_ptr_null (test_finding (manager, "employment-lobbying"));
  g_autoptr (CmVerdict) general = check ("sarah.jones@northmoor.gov.uk", RAJ, NULL, NULL,
      "The planning team restructure will be reported to cabinet in March.");
  ck_assert_ptr_null (test_finding (general, "employment-lobbying"));
}
END_TEST

START_TEST (test_disrespect)
{
  g_autoptr (CmVerdict) you = check (JANE, TOM, NULL, NULL, "Well done for nothing, as usual.\n\nYou are pathetic.");
  const CmFinding *f = test_finding (you, "disrespect");
  ck_assert_ptr_nonnull (f);
  ck_assert_str_eq (f->clause, "Runnymede 2.1");
  ck_assert (test_has_person (f, TOM_ADDR));
  g_autoptr (CmVerdict) bias = check (TOM, RAJ, NULL, NULL, "Councillor Khan is too old to understand planning law.");
  f = test_finding (bias, "disrespect");
  ck_assert_ptr_nonnull (f);
  ck_assert_str_eq (f->clause, "Cambridgeshire 5.8");
  ck_assert (test_has_person (f, "cllr.ahmed.khan@northmoor.gov.uk"));
  /* Near misses: civil disagreement; negated; neutral mention. */
  g_autoptr (CmVerdict) civil = check (JANE, TOM, NULL, NULL, "I profoundly disagree with your recommendation.");
  ck_assert_ptr_null (test_finding (civil, "disrespect"));
  g_autoptr (CmVerdict) negated = check (JANE, TOM, NULL, NULL, "I would never call you pathetic.");
  ck_assert_ptr_null (test_finding (negated, "disrespect"));
  g_autoptr (CmVerdict) neutral = check (TOM, JANE, NULL, NULL, "Sarah Jones is on maternity leave until May.");
  ck_assert_ptr_null (test_finding (neutral, "disrespect"));
}
END_TEST

START_TEST (test_officer_political)
{
  g_autoptr (CmVerdict) press = check (TOM, PRESS, NULL, NULL,
      "Frankly the committee's decision to approve Mill Lane was a disgrace.");
  const CmFinding *f = test_finding (press, "officer-political");
  ck_assert_ptr_nonnull (f);
  ck_assert_str_eq (f->clause, "Cambridgeshire 5.1");
  ck_assert (test_has_person (f, PRESS));
  g_autoptr (CmVerdict) member = check ("planning.team@northmoor.gov.uk", "resident@example.org", NULL, NULL,
      "Councillor Patel got it wrong on the flood defences.");
  f = test_finding (member, "officer-political");
  ck_assert_ptr_nonnull (f);
  ck_assert_str_eq (f->clause, "South Ribble 4.9");
  /* Near misses: explaining; privately; a member to the press. */
  g_autoptr (CmVerdict) factual = check (TOM, "resident@example.org", NULL, NULL,
      "The committee decided to refuse the application because of the flood risk.");
  ck_assert_ptr_null (test_finding (factual, "officer-political"));
  g_autoptr (CmVerdict) inside = check (TOM, "monitoring.officer@northmoor.gov.uk", NULL, NULL,
      "I think the committee's decision was a mistake.");
  ck_assert_ptr_null (test_finding (inside, "officer-political"));
  g_autoptr (CmVerdict) politics = check (JANE, PRESS, NULL, NULL, "The cabinet's decision is a mistake.");
  ck_assert_ptr_null (test_finding (politics, "officer-political"));
}
END_TEST

/* ---- configuration of rules ---------------------------------------------- */

START_TEST (test_rule_off_and_actions)
{
  g_autofree char *path = test_config_variant ("[rule:officer-criticism]\naction=off\n"
                                               "[rule:bcc-member]\naction=reject\n", NULL);
  g_autoptr (CmConfig) custom = cm_config_load (path, NULL);
  ck_assert_ptr_nonnull (custom);
  g_autofree char *text = g_strdup_printf ("From: %s\nTo: %s\nCc: %s\nBcc: raj.patel@outlook.com\n\n"
                                           "Mr Baker is incompetent.\n", JANE, TOM, "cllr.emily.wright@northmoor.gov.uk");
  g_autoptr (CmVerdict) v = test_check (custom, NULL, text);
  ck_assert_ptr_null (test_finding (v, "officer-criticism"));
  const CmFinding *f = test_finding (v, "bcc-member");
  ck_assert_ptr_nonnull (f);
  ck_assert_int_eq (f->action, CM_ACTION_REJECT);
  ck_assert_int_eq (v->action, CM_ACTION_REJECT);
}
END_TEST

int
main (void)
{
  cm_policy_init ();
  Suite *suite = suite_create ("rules");
  TCase *tc = tcase_create ("rules");
  tcase_add_checked_fixture (tc, test_config_setup, test_config_teardown);
  tcase_add_test (tc, test_bcc_fires);
  tcase_add_test (tc, test_bcc_officer_sender);
  tcase_add_test (tc, test_bcc_near_misses);
  tcase_add_test (tc, test_bcc_disclosure_must_name_the_member);
  tcase_add_test (tc, test_criticism_fires);
  tcase_add_test (tc, test_criticism_audiences);
  tcase_add_test (tc, test_criticism_near_misses);
  tcase_add_test (tc, test_obligation_fires);
  tcase_add_test (tc, test_obligation_officer_in_members_name);
  tcase_add_test (tc, test_obligation_near_misses);
  tcase_add_test (tc, test_evidence_is_bounded);
  tcase_add_test (tc, test_confidential_disclosure);
  tcase_add_test (tc, test_political_use);
  tcase_add_test (tc, test_employment_lobbying);
  tcase_add_test (tc, test_disrespect);
  tcase_add_test (tc, test_officer_political);
  tcase_add_test (tc, test_rule_off_and_actions);
  suite_add_tcase (suite, tc);
  return test_run (suite);
}
