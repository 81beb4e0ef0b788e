/*
 * test_model.c: the learned weights: the weights file's errors (FILE:LINE),
 * a rule firing on a cue its word lists do not know, with the evidence
 * sentence, the people and the cues that carried it; the gate, the
 * threshold and the protocol's exceptions holding for the weights; and the
 * cue dump the trainer reads, negative forms spelt one way, people the
 * directory does not know.
 */
#include "config.h"

#include <string.h>

#include "testutil.h"

static const char *const bad_files[][2] = {
  { "bias 1\n", ":1: expected" },
  { "[no-such-rule]\nbias 1\n", ":1: no rule is called \"no-such-rule\"" },
  { "[officer-criticism]\nbias 1\n[officer-criticism]\n", ":3: [officer-criticism] a second time" },
  { "[officer-criticism]\nw:x lots\n", ":2: expected" },
  { "[officer-criticism]\nthreshold 1.5\n", ":2: threshold must lie between 0 and 1" },
  { "[officer-criticism\n", ":1: a group is [RULE]" },
  { "# fine so far\n[member-obligation]\nw:pay nan\n", ":3: expected" },
  { "[officer-criticism]\nthreshold-when:disrespect 0.9\n", ":2: \"threshold-when:disrespect\" names no rule judged before" },
  { "[disrespect]\nthreshold-when:no-such-rule 0.9\n", ":2: \"threshold-when:no-such-rule\" names no rule" },
  { "[disrespect]\nthreshold-when:disrespect 0.9\n", ":2: \"threshold-when:disrespect\" names no rule" },
  { "[disrespect]\nthreshold-when:officer-criticism 1\n", ":2: threshold must lie between 0 and 1" },
};

START_TEST (test_bad_weights)
{
  g_autofree char *dir = test_scratch_dir ();
  g_autofree char *path = test_write (dir, "weights.conf", bad_files[_i][0]);
  g_autofree char *extra = g_strdup_printf ("[policy]\nweights=%s", path);
  g_autofree char *conf = test_config_variant (extra, NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (CmConfig) config = cm_config_load (conf, &error);
  ck_assert_ptr_null (config);
  ck_assert_msg (strstr (error->message, path) && strstr (error->message, bad_files[_i][1]), "%s",
                 error->message);
  ck_assert_ptr_nonnull (strstr (error->message, "[policy] weights"));
}
END_TEST

/* The example configuration with WEIGHTS as its weights file. */
static CmConfig *
config_with (const char *weights)
{
  g_autofree char *dir = test_scratch_dir ();
  g_autofree char *path = test_write (dir, "weights.conf", weights);
  g_autofree char *extra = g_strdup_printf ("[policy]\nweights=%s", path);
  g_autofree char *conf = test_config_variant (extra, NULL);
  g_autoptr (GError) error = NULL;
  CmConfig *config = cm_config_load (conf, &error);
  ck_assert_msg (config != NULL, "%s", error ? error->message : "");
  return config;
}

static CmVerdict *
check (const CmConfig *config, const char *from, const char *to, const char *body)
{
  g_autofree char *text = g_strdup_printf ("From: %s\nTo: %s\nSubject: Update\n"
                                           "Content-Type: text/plain; charset=utf-8\n\n%s\n",
                                           from, to, body);
  return test_check (config, NULL, text);
}

#define JANE "Cllr Jane Smith <cllr.jane.smith@northmoor.gov.uk>"
#define KHAN "cllr.ahmed.khan@northmoor.gov.uk"
#define MEMBERS_AND_TOM "cllr.raj.patel@northmoor.gov.uk, tom.baker@northmoor.gov.uk"

/* The cues council-check --cues prints for BODY, from Jane to a member
 * and an officer. */
static char *
cues_of_body (const CmConfig *config, const char *body)
{
  g_autofree char *text = g_strdup_printf ("From: %s\nTo: %s\nSubject: x\n\n%s\n", JANE, MEMBERS_AND_TOM, body);
  g_autoptr (GMimeStream) stream = g_mime_stream_mem_new_with_buffer (text, strlen (text));
  char *json = cm_check_cues (config, NULL, stream, NULL);
  ck_assert_ptr_nonnull (json);
  return json;
}
static const char *const floundering = "Mr Baker has been floundering since the spring. Thanks for the cake.";

START_TEST (test_learned_finding)
{
  g_autoptr (CmConfig) config = config_with ("[officer-criticism]\nbias -2\nthreshold 0.9\n"
                                             "o:flounder 6\nw:cake -0.5\n");
  g_autoptr (CmVerdict) v = check (config, JANE, MEMBERS_AND_TOM, floundering);
  const CmFinding *f = test_finding (v, "officer-criticism");
  ck_assert_ptr_nonnull (f);
  ck_assert_str_eq (f->clause, "South Ribble 16.2");
  ck_assert_ptr_nonnull (strstr (f->summary, "criticism of Tom Baker (Head of Planning) copied to 1 member"));
  ck_assert_ptr_nonnull (strstr (f->summary, "learned cues, 97%: o:flounder)"));
  ck_assert_uint_eq (f->evidence->len, 1);
  ck_assert_str_eq (f->evidence->pdata[0], "Mr Baker has been floundering since the spring.");
  ck_assert (test_has_person (f, "tom.baker@northmoor.gov.uk"));

  /* The gate: mail to the officer alone is the proper private route. */
  g_autoptr (CmVerdict) privately = check (config, JANE, "tom.baker@northmoor.gov.uk", floundering);
  ck_assert_ptr_null (test_finding (privately, "officer-criticism"));
  /* Below the threshold: nothing. */
  g_autoptr (CmConfig) timid = config_with ("[officer-criticism]\nbias -2\nthreshold 0.9\no:flounder 3\n");
  g_autoptr (CmVerdict) under = check (timid, JANE, MEMBERS_AND_TOM, floundering);
  ck_assert_ptr_null (test_finding (under, "officer-criticism"));
  /* The word must be about the officer (o:), not anywhere. */
  g_autoptr (CmVerdict) elsewhere = check (config, JANE, MEMBERS_AND_TOM, "The fish was floundering in the pond.");
  ck_assert_ptr_null (test_finding (elsewhere, "officer-criticism"));
  /* Carried by a pronoun to the sentence after the officer's name. */
  g_autoptr (CmVerdict) pronoun = check (config, JANE, MEMBERS_AND_TOM,
                                         "I spoke to Tom Baker on Monday. Frankly he is floundering.");
  ck_assert_ptr_nonnull (test_finding (pronoun, "officer-criticism"));
}
END_TEST

/* threshold-when: a rule keeps a higher threshold for a message that an
 * earlier rule has already found broken.  The same cue gives disrespect
 * 73%: enough alone, not beside officer-criticism's finding. */
START_TEST (test_threshold_when)
{
#define WHEN_WEIGHTS(when) \
  "[officer-criticism]\nbias -2\nthreshold 0.9\no:flounder 6\n[disrespect]\nbias -2\nthreshold 0.5\n" when \
  "w:flounder 3\n"
  const char *plain_text = WHEN_WEIGHTS ("");
  const char *when_text = WHEN_WEIGHTS ("threshold-when:officer-criticism 0.95\n");
#undef WHEN_WEIGHTS
  g_autoptr (CmConfig) plain = config_with (plain_text);
  g_autoptr (CmConfig) when = config_with (when_text);
  const char *officer = "Mr Baker has been floundering since the spring.";
  const char *fish = "The fish was floundering in the pond.";

  g_autoptr (CmVerdict) both = check (plain, JANE, MEMBERS_AND_TOM, officer);
  ck_assert_ptr_nonnull (test_finding (both, "officer-criticism"));
  ck_assert_ptr_nonnull (test_finding (both, "disrespect"));
  g_autoptr (CmVerdict) one = check (when, JANE, MEMBERS_AND_TOM, officer);
  ck_assert_ptr_nonnull (test_finding (one, "officer-criticism"));
  ck_assert_ptr_null (test_finding (one, "disrespect"));
  /* No officer-criticism finding: the rule's own threshold. */
  g_autoptr (CmVerdict) alone = check (when, JANE, MEMBERS_AND_TOM, fish);
  ck_assert_ptr_null (test_finding (alone, "officer-criticism"));
  ck_assert_ptr_nonnull (test_finding (alone, "disrespect"));
  /* Nor when officer-criticism is switched off. */
  g_autofree char *dir = test_scratch_dir ();
  g_autofree char *path = test_write (dir, "weights.conf", when_text);
  g_autofree char *extra = g_strdup_printf ("[policy]\nweights=%s\n[rule:officer-criticism]\naction=off", path);
  g_autofree char *conf = test_config_variant (extra, NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (CmConfig) off = cm_config_load (conf, &error);
  ck_assert_msg (off != NULL, "%s", error ? error->message : "");
  g_autoptr (CmVerdict) unjudged = check (off, JANE, MEMBERS_AND_TOM, officer);
  ck_assert_ptr_null (test_finding (unjudged, "officer-criticism"));
  ck_assert_ptr_nonnull (test_finding (unjudged, "disrespect"));
}
END_TEST

START_TEST (test_exceptions_hold)
{
  g_autoptr (CmConfig) config = config_with ("[member-obligation]\nbias -2\nthreshold 0.9\n"
                                             "w:consid 8\nw:refund 8\nw:reception 8\n");
  g_autoptr (CmVerdict) deliberative = check (config, KHAN, "resident@example.org",
                                              "The council will consider your claim next month.");
  ck_assert_ptr_null (test_finding (deliberative, "member-obligation"));
  g_autoptr (CmVerdict) ceremonial = check (config, JANE, "guest@example.org",
                                            "You are warmly invited to the reception at the town hall.");
  ck_assert_ptr_null (test_finding (ceremonial, "member-obligation"));
  g_autoptr (CmVerdict) obliges = check (config, KHAN, "resident@example.org",
                                         "The council is going to refund you in full.");
  const CmFinding *f = test_finding (obliges, "member-obligation");
  ck_assert_ptr_nonnull (f);
  ck_assert (test_has_person (f, KHAN));
  ck_assert_ptr_nonnull (strstr (f->summary, "w:refund"));
}
END_TEST

START_TEST (test_cue_dump)
{
  g_autoptr (CmConfig) config = config_with ("# no rule has weights\n");
  g_autofree char *text = g_strdup_printf ("From: %s\nTo: %s\nSubject: Update\n\n%s\n", JANE, MEMBERS_AND_TOM,
                                           floundering);
  g_autoptr (GMimeStream) stream = g_mime_stream_mem_new_with_buffer (text, strlen (text));
  g_autoptr (GError) error = NULL;
  g_autofree char *json = cm_check_cues (config, NULL, stream, &error);
  ck_assert_ptr_nonnull (json);
  ck_assert_ptr_nonnull (strstr (json, "\"gated\":[\"officer-criticism\", \"member-obligation\""));
  const char *wanted[] = { "\"o:flounder\"", "\"w:flounder\"", "\"b:^_mr\"", "\"cue:officer\"",
                           "\"aud:members\"", "\"role:member\"", "\"to:officer\"", "\"b:^subject_updat\"" };
  for (guint i = 0; i < G_N_ELEMENTS (wanted); i++)
    ck_assert_msg (strstr (json, wanted[i]), "%s missing from %s", wanted[i], json);
  /* Nothing of the thanks is about the officer. */
  ck_assert_ptr_null (strstr (json, "\"o:cake\""));
}
END_TEST

/* A verb and the "not" after it are one word to the cues, spelt as its
 * negative form is, however the mail spells it: a refusal is not the
 * commitment with a "not" beside it. */
START_TEST (test_negative_forms)
{
  g_autoptr (CmConfig) config = config_with ("# no rule has weights\n");
  const char *const bodies[] = { "The council will not pay.", "The council won't pay.", "The council wont pay.",
                                 "The council won\xe2\x80\x99t pay." };
  for (guint i = 0; i < G_N_ELEMENTS (bodies); i++)
    {
      g_autofree char *text = g_strdup_printf ("From: %s\nTo: %s\nSubject: x\nContent-Type: text/plain; "
                                               "charset=utf-8\n\n%s\n", JANE, MEMBERS_AND_TOM, bodies[i]);
      g_autoptr (GMimeStream) stream = g_mime_stream_mem_new_with_buffer (text, strlen (text));
      g_autofree char *json = cm_check_cues (config, NULL, stream, NULL);
      ck_assert_ptr_nonnull (json);
      ck_assert_msg (strstr (json, "\"b:council_won't\"") && strstr (json, "\"b:won't_pay\""), "%s: %s",
                     bodies[i], json);
      ck_assert_msg (!strstr (json, "\"b:council_will\"") && !strstr (json, "\"w:not\""), "%s: %s", bodies[i],
                     json);
    }
  /* "cannot", "can not" and "cant" are one word; "not" after a word
   * that has no negative form stays a word of its own. */
  g_autofree char *text = g_strdup_printf ("From: %s\nTo: %s\nSubject: x\n\nWe cannot. We can not. We cant. "
                                           "Certainly not.\n", JANE, MEMBERS_AND_TOM);
  g_autoptr (GMimeStream) stream = g_mime_stream_mem_new_with_buffer (text, strlen (text));
  g_autofree char *json = cm_check_cues (config, NULL, stream, NULL);
  ck_assert_ptr_nonnull (json);
  ck_assert_msg (strstr (json, "\"w:can't\"") && strstr (json, "\"b:certain_not\""), "%s", json);
  ck_assert_msg (!strstr (json, "\"w:cannot\"") && !strstr (json, "\"w:cant\"") && !strstr (json, "\"b:can_not\""),
                 "%s", json);
}
END_TEST

/* People the directory does not know, named by a post or a courtesy
 * title: a post is an officer; a titled name is a cue of its own; a
 * person the directory knows, or "head of" before a small word, is
 * neither. */
START_TEST (test_unknown_people)
{
  g_autoptr (CmConfig) config = config_with ("# no rule has weights\n");
  const char *const bodies[][3] = {
    { "The Head of Libraries has no grip on this.", "\"cue:officer-post\"", "\"o:grip\"" },
    { "Ask the Head of Place where the money went.", "\"cue:officer-post\"", "\"o:money\"" },
    { "Ask Mr Fenwick where the pump was.", "\"cue:titled-name\"", NULL },
    { "Mr Baker said so.", "\"cue:officer\"", NULL },
    { "The head of steam is up.", NULL, NULL },
    { "Dr who?", NULL, NULL },
  };
  for (guint i = 0; i < G_N_ELEMENTS (bodies); i++)
    {
      g_autofree char *json = cues_of_body (config, bodies[i][0]);
      for (guint k = 1; k < 3; k++)
        if (bodies[i][k])
          ck_assert_msg (strstr (json, bodies[i][k]), "%s: %s", bodies[i][0], json);
      if (bodies[i][1] == NULL)
        ck_assert_msg (!strstr (json, "\"cue:officer") && !strstr (json, "\"cue:titled-name\""), "%s: %s",
                       bodies[i][0], json);
      if (bodies[i][1] && strstr (bodies[i][1], "titled"))
        ck_assert_msg (!strstr (json, "\"cue:officer"), "%s: %s", bodies[i][0], json);
    }
}
END_TEST

/* Staff named by the service they work in (officer-words.txt): a
 * service with a person or group in it, or a service that is only a team
 * as the subject of a plural verb, is an officer; a service that is also
 * a topic ("housing is"), a building or a management of something is not. */
START_TEST (test_service_staff)
{
  g_autoptr (CmConfig) config = config_with ("# no rule has weights\n");
  const struct { const char *body; gboolean officer; } cases[] = {
    { "Legal took five months to answer.", TRUE },
    { "The highways chap never came back to me.", TRUE },
    { "Finance are sitting on the figures.", TRUE },
    { "Ask the depot lads when the bins go out.", TRUE },
    { "Housing is a crisis in this town.", FALSE },
    { "We met the management of the park trust at the town hall.", FALSE },
    { "Parking took an hour on Saturday.", FALSE },
  };
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *json = cues_of_body (config, cases[i].body);
      ck_assert_msg ((strstr (json, "\"cue:officer\"") != NULL) == cases[i].officer, "%s: %s", cases[i].body,
                     json);
    }
}
END_TEST

/* hit:outside: a body that is not the council (the NHS, a contractor,
 * the county, a minister), and o:hit:outside when the sentence is about
 * an officer too, so the weights can tell the trust's chief executive
 * from the council's.  The council's own staff and services are not
 * outside bodies. */
START_TEST (test_outside_body)
{
  g_autoptr (CmConfig) config = config_with ("# no rule has weights\n");
  const struct { const char *body; gboolean outside, officer; } cases[] = {
    { "The managing director of the bus company has ignored every letter.", TRUE, TRUE },
    { "The contractor's site manager was useless again.", TRUE, TRUE },
    /* "property services have" reads as the council's service; the NHS says whose */
    { "NHS Property Services have sat on the lease for a year.", TRUE, TRUE },
    { "The minister's answer was an insult to the town.", TRUE, FALSE },
    { "The county council let the verges grow waist high.", TRUE, FALSE },
    { "The planning team was useless again.", FALSE, TRUE },
    { "Tom Baker has ignored every letter.", FALSE, TRUE },
    { "I was firm with him about the deadline.", FALSE, FALSE },
  };
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *json = cues_of_body (config, cases[i].body);
      ck_assert_msg ((strstr (json, "\"hit:outside\"") != NULL) == cases[i].outside, "%s: %s", cases[i].body,
                     json);
      ck_assert_msg ((strstr (json, "\"o:hit:outside\"") != NULL) == (cases[i].outside && cases[i].officer),
                     "%s: %s", cases[i].body, json);
    }
}
END_TEST

/* cue:member: a sentence naming a member other than the sender, by the
 * directory's name or as Cllr or Councillor; not the sender herself, not
 * an officer, not "members" in general.  Its words are m: cues, weighed
 * (found by stem) only in such a sentence. */
START_TEST (test_member_cue)
{
  g_autoptr (CmConfig) config = config_with ("# no rule has weights\n");
  const struct { const char *body; gboolean member; } cases[] = {
    { "Ahmed Khan has no idea what the budget is.", TRUE },
    { "As Cllr Hughes said at committee, the scheme is late.", TRUE },
    { "I gather the councillor for Eastfield disagrees.", TRUE },
    { "Jane Smith will be at the meeting.", FALSE },   /* the sender */
    { "Tom Baker wrote the report.", FALSE },          /* an officer */
    { "Members will note the report.", FALSE },
  };
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *json = cues_of_body (config, cases[i].body);
      ck_assert_msg ((strstr (json, "\"cue:member\"") != NULL) == cases[i].member, "%s: %s", cases[i].body, json);
      ck_assert_msg ((strstr (json, "\"m:") != NULL) == cases[i].member, "%s: %s", cases[i].body, json);
    }
  g_autofree char *text = g_strdup_printf ("From: %s\nTo: %s\nSubject: x\n\nAhmed Khan has no idea.\n", JANE,
                                           MEMBERS_AND_TOM);
  g_autoptr (GMimeStream) stream = g_mime_stream_mem_new_with_buffer (text, strlen (text));
  g_autofree char *json = cm_check_cues (config, NULL, stream, NULL);
  ck_assert_msg (strstr (json, "\"m:idea\"") && strstr (json, "\"m:khan\""), "%s", json);

  g_autoptr (CmConfig) weighed = config_with ("[disrespect]\nbias -3\nthreshold 0.9\nm:idea 6\n");
  g_autoptr (CmVerdict) member = check (weighed, JANE, MEMBERS_AND_TOM, "Ahmed Khan has no idea.");
  ck_assert_ptr_nonnull (test_finding (member, "disrespect"));
  g_autoptr (CmVerdict) officer = check (weighed, JANE, MEMBERS_AND_TOM, "Tom Baker has no idea.");
  ck_assert_ptr_null (test_finding (officer, "disrespect"));
  g_autoptr (CmConfig) timid = config_with ("[disrespect]\nbias -3\nthreshold 0.9\nm:idea 1\n");
  g_autoptr (CmVerdict) under = check (timid, JANE, MEMBERS_AND_TOM, "Ahmed Khan has no idea.");
  ck_assert_ptr_null (test_finding (under, "disrespect"));
}
END_TEST

/* cue:you-member: "you" in mail whose To recipients are all members is
 * said to a member, and its words are m: cues; to an officer it is
 * cue:you, and to a resident or a mixed To line neither. */
START_TEST (test_member_addressed)
{
  g_autoptr (CmConfig) config = config_with ("# no rule has weights\n");
  const struct { const char *to; gboolean member, officer; } cases[] = {
    { "cllr.raj.patel@northmoor.gov.uk", TRUE, FALSE },
    { "cllr.raj.patel@northmoor.gov.uk, " KHAN, TRUE, FALSE },
    { "tom.baker@northmoor.gov.uk", FALSE, TRUE },
    { MEMBERS_AND_TOM, FALSE, FALSE },
    { "resident@example.org", FALSE, FALSE },
  };
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *text = g_strdup_printf ("From: %s\nTo: %s\nSubject: x\n\nYou have no idea what you are doing.\n",
                                               JANE, cases[i].to);
      g_autoptr (GMimeStream) stream = g_mime_stream_mem_new_with_buffer (text, strlen (text));
      g_autofree char *json = cm_check_cues (config, NULL, stream, NULL);
      ck_assert_msg ((strstr (json, "\"cue:you-member\"") != NULL) == cases[i].member, "%s: %s", cases[i].to, json);
      ck_assert_msg ((strstr (json, "\"m:idea\"") != NULL) == cases[i].member, "%s: %s", cases[i].to, json);
      ck_assert_msg ((strstr (json, "\"cue:you\"") != NULL) == cases[i].officer, "%s: %s", cases[i].to, json);
    }
  /* A sentence with no "you" in the same mail is not said to the member. */
  g_autofree char *text = g_strdup_printf ("From: %s\nTo: %s\nSubject: x\n\nThe agenda is out.\n", JANE,
                                           "cllr.raj.patel@northmoor.gov.uk");
  g_autoptr (GMimeStream) stream = g_mime_stream_mem_new_with_buffer (text, strlen (text));
  g_autofree char *json = cm_check_cues (config, NULL, stream, NULL);
  ck_assert_msg (!strstr (json, "cue:you-member") && !strstr (json, "\"m:"), "%s", json);
}
END_TEST

/* cue:vocative: a term of endearment closing a sentence after a comma
 * (endearments.txt), not a greeting, a sign-off or the word elsewhere. */
START_TEST (test_vocative)
{
  g_autoptr (CmConfig) config = config_with ("# no rule has weights\n");
  const struct { const char *body; gboolean vocative; } cases[] = {
    { "Oh do sit down, dear.", TRUE },
    { "I think you need to keep up, my dear!", TRUE },
    { "Leave the sums to the grown-ups, young man.", TRUE },
    { "Thanks, love", FALSE },                        /* a sign-off */
    { "Dear Tom, the report is out.", FALSE },        /* a greeting */
    { "I would love to come, dear as it is.", FALSE }, /* not at the end */
    { "The scheme is too dear.", FALSE },             /* no comma */
    { "Thank you for your letter, madam.", FALSE },   /* polite address */
  };
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *json = cues_of_body (config, cases[i].body);
      ck_assert_msg ((strstr (json, "\"cue:vocative\"") != NULL) == cases[i].vocative, "%s: %s", cases[i].body, json);
    }
}
END_TEST

/* The valence lexicon: its errors, and the cues it gives, a negation
 * turning a word's sign. */
START_TEST (test_valence)
{
  g_autofree char *dir = test_scratch_dir ();
  const char *const bad[] = { "woeful\n", "woeful\tvery\n", "woeful\t-9\n", "\t-2\n" };
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autofree char *path = test_write (dir, "bad.txt", bad[i]);
      g_autofree char *extra = g_strdup_printf ("[policy]\nvalence=%s", path);
      g_autofree char *conf = test_config_variant (extra, NULL);
      g_autoptr (GError) error = NULL;
      g_autoptr (CmConfig) config = cm_config_load (conf, &error);
      ck_assert_ptr_null (config);
      ck_assert_msg (strstr (error->message, ":1: expected WORD<TAB>VALENCE"), "%s", error->message);
    }
  g_autofree char *path = test_write (dir, "valence.txt", "# test\nwoeful\t-2.8\nsplendid\t2.9\nrefused\t-1.2\n");
  g_autofree char *extra = g_strdup_printf ("[policy]\nvalence=%s\nweights=%s/none", path, dir);
  g_autofree char *conf = test_config_variant (extra, NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (CmConfig) config = cm_config_load (conf, &error);
  ck_assert_msg (config != NULL, "%s", error ? error->message : "");
  g_autofree char *described = cm_config_describe (config);
  /* Of the lexicon's council words only "refused" is known to this file. */
  ck_assert_msg (strstr (described, "3 words, 1 of them as the lexicon's council-valence.txt sets them"), "%s", described);
  ck_assert_ptr_nonnull (strstr (described, "weights " ));

  const char *bodies[][2] = {
    { "Mr Baker was woeful at committee.", "\"o:val:neg\"" },
    { "Mr Baker was not woeful at committee.", "\"o:val:pos\"" },
    { "The weather was woeful.", "\"val:neg\"" },
    { "Mr Baker was splendid and woeful.", NULL },
    /* council-valence.txt of the lexicon: "refused" names a decision */
    { "The committee refused the application.", NULL },
  };
  for (guint i = 0; i < G_N_ELEMENTS (bodies); i++)
    {
      g_autofree char *json = cues_of_body (config, bodies[i][0]);
      if (bodies[i][1])
        ck_assert_msg (strstr (json, bodies[i][1]), "%s: %s", bodies[i][0], json);
      else
        ck_assert_msg (!strstr (json, "val:"), "%s: %s", bodies[i][0], json);
    }
  /* About the weather, not an officer: no o:val cue. */
  g_autofree char *weather = g_strdup_printf ("From: %s\nTo: %s\nSubject: x\n\nThe weather was woeful.\n", JANE,
                                              MEMBERS_AND_TOM);
  g_autoptr (GMimeStream) stream = g_mime_stream_mem_new_with_buffer (weather, strlen (weather));
  g_autofree char *json = cm_check_cues (config, NULL, stream, NULL);
  ck_assert_ptr_null (strstr (json, "o:val:"));
}
END_TEST

/* The lexicon's council-valence.txt: without it (an older lexicon
 * directory) the VADER value stands; a bad line in it stops the load
 * with the file and line named, as a bad line in [policy] valence does. */
START_TEST (test_council_valence)
{
  g_autofree char *dir = test_scratch_dir ();
  g_autofree char *valence = test_write (dir, "valence.txt", "refused\t-1.2\n");
  g_autofree char *lexicon = test_lexicon_copy ("council-valence.txt");
  g_autofree char *extra = g_strdup_printf ("[policy]\nvalence=%s\nlexicon=%s\nweights=%s/none", valence, lexicon, dir);
  g_autofree char *conf = test_config_variant (extra, NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (CmConfig) config = cm_config_load (conf, &error);
  ck_assert_msg (config != NULL, "%s", error ? error->message : "");
  g_autofree char *json = cues_of_body (config, "The committee refused the application.");
  ck_assert_msg (strstr (json, "\"val:neg\""), "%s", json);

  g_autofree char *bad = test_write (lexicon, "council-valence.txt", "# council words\nrefused\tneutral\n");
  g_autoptr (CmConfig) none = cm_config_load (conf, &error);
  ck_assert_ptr_null (none);
  ck_assert_msg (strstr (error->message, "[policy] lexicon") && strstr (error->message, "council-valence.txt:2: expected WORD<TAB>VALENCE"),
                 "%s", error->message);
}
END_TEST

int
main (void)
{
  cm_policy_init ();
  Suite *suite = suite_create ("model");
  TCase *tc = tcase_create ("model");
  tcase_add_checked_fixture (tc, test_config_setup, test_config_teardown);
  tcase_add_loop_test (tc, test_bad_weights, 0, G_N_ELEMENTS (bad_files));
  tcase_add_test (tc, test_learned_finding);
  tcase_add_test (tc, test_exceptions_hold);
  tcase_add_test (tc, test_cue_dump);
  tcase_add_test (tc, test_negative_forms);
  tcase_add_test (tc, test_unknown_people);
  tcase_add_test (tc, test_service_staff);
  tcase_add_test (tc, test_outside_body);
  tcase_add_test (tc, test_member_cue);
  tcase_add_test (tc, test_threshold_when);
  tcase_add_test (tc, test_member_addressed);
  tcase_add_test (tc, test_vocative);
  tcase_add_test (tc, test_valence);
  tcase_add_test (tc, test_council_valence);
  suite_add_tcase (suite, tc);
  return test_run (suite);
}
