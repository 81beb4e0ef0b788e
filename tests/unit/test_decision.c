/*
 * test_decision.c: deciding a hold by reply.  The tokens of decision
 * addresses (decision.h): the right one verifies, one for another
 * decision, hold or person does not, nor one cut short or too long; the
 * case of the token and of the decider's address does not matter.  The
 * addresses (mailbox.h) are cut apart as made, and nothing else is one.
 * The digest and the deputy's escalation carry each reader's own
 * addresses, and none when [hold] decide-by-reply=no.  A reply
 * (decide-reply.h) decides through the review library with the sender
 * as actor, and is refused when not logged in, not from the Monitoring
 * Officer or the deputy, with a From that is not its sender, with a
 * forged or another's token, without a reason to reject, or once the
 * hold is decided; a release the listener does not take is a tempfail
 * that leaves the hold held.
 */
#include "config.h"

#include <string.h>

#include "decide-reply.h"
#include "decision.h"
#include "reviewfixture.h"
#include "review-notice.h"
#include "settings.h"

static const char mo[] = "peter.ward@northmoor.gov.uk";
static const char deputy[] = "linda.carter@northmoor.gov.uk";
static const char raj[] = "cllr.raj.patel@northmoor.gov.uk";

/* The configuration of ENV, which must load. */
static CmConfig *
load (Env *env)
{
  g_autoptr (GError) error = NULL;
  CmConfig *config = cm_daemon_config_load (env->config, &error);
  ck_assert_msg (config != NULL, "%s", error ? error->message : "");
  return config;
}

/* The first 16 digits of the token of DECISION on ID by WHO. */
static char *
short_token (Env *env, CmDecision decision, const char *id, const char *who)
{
  g_autofree char *token = cm_decision_token (env->store, decision, id, who);
  return g_strndup (token, CM_MAILBOX_TOKEN_DIGITS);
}

START_TEST (test_token_verifies_only_its_own)
{
  g_autoptr (Env) env = env_new (NULL);
  const char *id = "20261123-101500-abcdef", *other = "20261123-101500-abcdee";
  g_autofree char *token = short_token (env, CM_DECISION_RELEASE, id, mo);
  ck_assert_uint_eq (strlen (token), 16);
  ck_assert (cm_decision_token_valid (env->store, CM_DECISION_RELEASE, id, mo, token));
  /* Another decision, hold or decider. */
  ck_assert (!cm_decision_token_valid (env->store, CM_DECISION_REJECT, id, mo, token));
  ck_assert (!cm_decision_token_valid (env->store, CM_DECISION_RELEASE, other, mo, token));
  ck_assert (!cm_decision_token_valid (env->store, CM_DECISION_RELEASE, id, deputy, token));
  ck_assert (!cm_decision_token_valid (env->store, CM_DECISION_RELEASE, id, raj, token));
  /* Cut short, too long, empty, one digit changed. */
  g_autofree char *cut = g_strndup (token, 15);
  g_autofree char *longer = g_strconcat (token, "0", NULL);
  g_autofree char *changed = g_strdup (token);
  changed[7] = changed[7] == '0' ? '1' : '0';
  ck_assert (!cm_decision_token_valid (env->store, CM_DECISION_RELEASE, id, mo, cut));
  ck_assert (!cm_decision_token_valid (env->store, CM_DECISION_RELEASE, id, mo, longer));
  ck_assert (!cm_decision_token_valid (env->store, CM_DECISION_RELEASE, id, mo, ""));
  ck_assert (!cm_decision_token_valid (env->store, CM_DECISION_RELEASE, id, mo, changed));
  ck_assert (!cm_decision_token_valid (env->store, CM_DECISION_RELEASE, id, mo, NULL));
  /* Case: hex digits are the same in either; an address is one address. */
  g_autofree char *upper = g_ascii_strup (token, -1);
  ck_assert (cm_decision_token_valid (env->store, CM_DECISION_RELEASE, id, mo, upper));
  ck_assert (cm_decision_token_valid (env->store, CM_DECISION_RELEASE, id, "Peter.Ward@NORTHMOOR.gov.uk", token));
  /* Not the token of a sender's reply or of a release marker. */
  g_autofree char *reply = cm_holdstore_token (env->store, "reply", id);
  g_autofree char *marker = cm_holdstore_token (env->store, "release", id);
  ck_assert (strncmp (reply, token, 16) != 0 && strncmp (marker, token, 16) != 0);
  /* The Monitoring Officer's and the deputy's tokens differ. */
  g_autofree char *theirs = short_token (env, CM_DECISION_RELEASE, id, deputy);
  ck_assert_str_ne (theirs, token);
}
END_TEST

START_TEST (test_address_parsing)
{
  g_autoptr (Env) env = env_new (NULL);
  g_autoptr (CmConfig) config = load (env);
  const char *id = "20261123-101500-abcdef";
  g_autofree char *address = cm_decision_address (config, CM_DECISION_REJECT, id, "0123456789ABCDEF0123");
  ck_assert_str_eq (address, "protocol+reject-20261123-101500-abcdef-0123456789ABCDEF@northmoor.gov.uk");
  CmDecision decision = CM_DECISION_RELEASE;
  g_autofree char *got_id = NULL, *got_token = NULL;
  ck_assert (cm_decision_parse_address (config, address, &decision, &got_id, &got_token));
  ck_assert_int_eq (decision, CM_DECISION_REJECT);
  ck_assert_str_eq (got_id, id);
  ck_assert_str_eq (got_token, "0123456789abcdef");
  g_clear_pointer (&got_id, g_free);
  g_clear_pointer (&got_token, g_free);
  /* Any case; a release address. */
  ck_assert (cm_decision_parse_address (config, "Protocol+RELEASE-20261123-101500-ABCDEF-00ff@Northmoor.GOV.uk",
                                        &decision, &got_id, &got_token));
  ck_assert_int_eq (decision, CM_DECISION_RELEASE);
  ck_assert_str_eq (got_id, id);
  ck_assert_str_eq (got_token, "00ff");
  g_clear_pointer (&got_id, g_free);
  g_clear_pointer (&got_token, g_free);
  /* Malformed, still one (refused later, never delivered to the mailbox). */
  ck_assert (cm_decision_parse_address (config, "protocol+release-garbage@northmoor.gov.uk", &decision, &got_id,
                                        &got_token));
  ck_assert_str_eq (got_id, "garbage");
  ck_assert_str_eq (got_token, "");
  g_clear_pointer (&got_id, g_free);
  g_clear_pointer (&got_token, g_free);
  /* Not one: a sender's reply address, another domain, another mailbox, no tag. */
  const char *others[] = {
    "protocol+hold-20261123-101500-abcdef-0123456789abcdef@northmoor.gov.uk",
    "protocol+release-20261123-101500-abcdef-0123456789abcdef@example.org",
    "someone+release-20261123-101500-abcdef-0123456789abcdef@northmoor.gov.uk",
    "protocol@northmoor.gov.uk", "protocol+released-x-y@northmoor.gov.uk", "", NULL,
  };
  for (guint i = 0; i < G_N_ELEMENTS (others); i++)
    ck_assert_msg (!cm_decision_parse_address (config, others[i], &decision, &got_id, &got_token), "%s",
                   others[i] ? others[i] : "NULL");
  ck_assert_ptr_null (got_id);
}
END_TEST

/* The decision address of DECISION in TEXT (the first), or NULL. */
static char *
address_in (const char *text, CmDecision decision)
{
  g_autofree char *pattern = g_strdup_printf ("protocol\\+%s-[0-9a-f-]+@northmoor\\.gov\\.uk",
                                              cm_decision_name (decision));
  g_autoptr (GRegex) regex = g_regex_new (pattern, 0, 0, NULL);
  g_autoptr (GMatchInfo) match = NULL;
  return g_regex_match (regex, text, 0, &match) ? g_match_info_fetch (match, 0) : NULL;
}

/* Does ADDRESS decide DECISION on ID for WHO? */
static gboolean
decides (Env *env, const CmConfig *config, const char *address, CmDecision decision, const char *id,
         const char *who)
{
  CmDecision parsed;
  g_autofree char *got_id = NULL, *token = NULL;
  return address && cm_decision_parse_address (config, address, &parsed, &got_id, &token) && parsed == decision
      && strcmp (got_id, id) == 0 && cm_decision_token_valid (env->store, decision, id, who, token);
}

START_TEST (test_digest_carries_each_holds_addresses)
{
  g_autoptr (Env) env = env_new (NULL);
  g_autoptr (CmConfig) config = load (env);
  g_autoptr (CmHold) hold = hold_simple (env, jane, "member", "member-obligation", "Fence repairs");
  g_autoptr (GPtrArray) holds = g_ptr_array_new ();
  g_ptr_array_add (holds, hold);
  g_autoptr (GMimeMessage) digest = cm_review_digest (config, env->store, holds, mo, "council-review", 5, 0);
  g_autofree char *text = body_text (digest);
  assert_has (text, "To release it, reply to:");
  assert_has (text, "becomes the release note, or the reason");
  g_autofree char *release = address_in (text, CM_DECISION_RELEASE);
  g_autofree char *reject = address_in (text, CM_DECISION_REJECT);
  ck_assert_msg (decides (env, config, release, CM_DECISION_RELEASE, hold->id, mo), "%s", text);
  ck_assert_msg (decides (env, config, reject, CM_DECISION_REJECT, hold->id, mo), "%s", text);
  ck_assert (!decides (env, config, release, CM_DECISION_RELEASE, hold->id, deputy));
  /* Without a store, or with deciding by reply off: the commands only. */
  g_autoptr (GMimeMessage) plain = cm_review_digest (config, NULL, holds, mo, "council-review", 5, 0);
  g_autofree char *plain_text = body_text (plain);
  assert_lacks (plain_text, "reply to:");
  assert_has (plain_text, "council-review release ID");
}
END_TEST

START_TEST (test_escalation_carries_the_deputys_addresses)
{
  g_autoptr (Env) env = env_new ("deputy=Linda Carter <linda.carter@northmoor.gov.uk>\nexpire=escalate");
  g_autoptr (CmConfig) config = load (env);
  g_autoptr (CmHold) hold = hold_simple (env, jane, "member", "member-obligation", "Fence repairs");
  g_autoptr (GMimeMessage) mail = cm_review_escalation (config, env->store, hold, deputy, NULL, "council-review",
                                                        5, 0);
  g_autofree char *text = body_text (mail);
  g_autofree char *release = address_in (text, CM_DECISION_RELEASE);
  g_autofree char *reject = address_in (text, CM_DECISION_REJECT);
  ck_assert_msg (decides (env, config, release, CM_DECISION_RELEASE, hold->id, deputy), "%s", text);
  ck_assert_msg (decides (env, config, reject, CM_DECISION_REJECT, hold->id, deputy), "%s", text);
  ck_assert (!decides (env, config, reject, CM_DECISION_REJECT, hold->id, mo));
  ck_assert (cm_decision_decider (config, "Linda.Carter@northmoor.gov.uk"));
  ck_assert (cm_decision_decider (config, mo));
  ck_assert (!cm_decision_decider (config, raj));
}
END_TEST

START_TEST (test_switched_off)
{
  g_autoptr (Env) env = env_new ("decide-by-reply=no");
  g_autoptr (CmConfig) config = load (env);
  ck_assert (!cm_decision_by_reply (config));
  g_autoptr (CmHold) hold = hold_simple (env, jane, "member", "member-obligation", "Fence repairs");
  g_autoptr (GPtrArray) holds = g_ptr_array_new ();
  g_ptr_array_add (holds, hold);
  g_autoptr (GMimeMessage) digest = cm_review_digest (config, env->store, holds, mo, "council-review", 5, 0);
  g_autofree char *text = body_text (digest);
  assert_lacks (text, "reply to:");
  g_autofree char *release_to = NULL, *reject_to = NULL;
  ck_assert (!cm_decision_addresses (config, env->store, hold->id, mo, &release_to, &reject_to));
  ck_assert_ptr_null (release_to);
  /* A bad value is an error naming the key. */
  g_autoptr (Env) bad = env_new ("decide-by-reply=sometimes");
  g_autoptr (GError) error = NULL;
  g_autoptr (CmConfig) none = cm_daemon_config_load (bad->config, &error);
  ck_assert_ptr_null (none);
  assert_has (error->message, "decide-by-reply");
}
END_TEST

/* ---- replies that decide ------------------------------------------- */

typedef struct {
  Env *env;
  CmServices services;
  CmHold *hold;
} Fixture;

static Fixture *
fixture_new (const char *extra)
{
  Fixture *f = g_new0 (Fixture, 1);
  f->env = env_new (extra);
  f->services.refs = 1;
  f->services.store = f->env->store;
  g_autofree char *outbox_dir = g_build_filename (f->env->spool, "outbox", NULL);
  g_autoptr (GError) error = NULL;
  f->services.outbox = cm_outbox_open (outbox_dir, &error);
  ck_assert_msg (f->services.outbox != NULL, "outbox: %s", error ? error->message : "?");
  f->hold = hold_message (f->env, jane, NULL, obligation_message);
  return f;
}

static void
fixture_free (Fixture *f)
{
  cm_outbox_close (f->services.outbox);
  cm_hold_free (f->hold);
  env_free (f->env);
  g_free (f);
}
G_DEFINE_AUTOPTR_CLEANUP_FUNC (Fixture, fixture_free)

/* What a reply did. */
typedef struct {
  CmReplyOutcome outcome;
  char *why;
} Taken;

/* A reply from SENDER (From: FROM) with BODY to the DECISION address
 * of F's hold with TOKEN (NULL: SENDER's own), logged in or not. */
static Taken
take (Fixture *f, const char *sender, const char *from, gboolean authenticated, CmDecision decision,
      const char *token, const char *body)
{
  g_autoptr (CmConfig) config = load (f->env);
  g_autofree char *own = short_token (f->env, decision, f->hold->id, sender);
  g_autofree char *address = cm_decision_address (config, decision, f->hold->id, token ? token : own);
  CmEnvelope *envelope = cm_envelope_new (sender);
  envelope->authenticated = authenticated;
  cm_envelope_add_recipient (envelope, address);
  CmMsgCtx *msg = cm_msgctx_new (cm_config_ref (config), envelope);
  cm_msgctx_add_header (msg, "From", from);
  cm_msgctx_add_header (msg, "To", address);
  cm_msgctx_add_header (msg, "Subject", "Re: Held for review");
  cm_msgctx_end_headers (msg);
  g_autofree char *text = g_strdup_printf ("%s\n\nOn Monday, the filter wrote:\n> A message was held.\n", body);
  gboolean enough = FALSE;
  g_autoptr (GError) error = NULL;
  ck_assert (cm_msgctx_add_body (msg, (const guint8 *) text, strlen (text), &enough, &error));
  CmDecision parsed;
  g_autofree char *id = NULL, *cut = NULL;
  ck_assert (cm_decision_parse_address (config, address, &parsed, &id, &cut));
  Taken taken = { 0 };
  taken.outcome = cm_decide_take (msg, &f->services, parsed, id, cut, &taken.why);
  cm_msgctx_free (msg);
  return taken;
}

/* Assert that TAKEN was OUTCOME, its reason containing NEEDLE. */
static void
assert_taken (Taken taken, CmReplyOutcome outcome, const char *needle)
{
  ck_assert_msg (taken.outcome == outcome, "outcome %d, not %d: %s", taken.outcome, outcome, taken.why);
  assert_has (taken.why, needle);
  g_free (taken.why);
}

/* Assert that F's hold is still held and that nothing was sent. */
static void
assert_undecided (Fixture *f)
{
  g_autoptr (CmHold) now = get (f->env, f->hold->id);
  ck_assert_int_eq (now->state, CM_HOLD_HELD);
  ck_assert_uint_eq (smtpsink_count (f->env->sink), 0);
}

START_TEST (test_release_by_reply)
{
  g_autoptr (Fixture) f = fixture_new (NULL);
  assert_taken (take (f, mo, "Peter Ward <Peter.Ward@northmoor.gov.uk>", TRUE, CM_DECISION_RELEASE, NULL,
                      "Fine: a ward matter, not a council obligation."),
                CM_REPLY_RECORDED, "Released hold");
  g_autoptr (CmHold) now = get (f->env, f->hold->id);
  ck_assert_int_eq (now->state, CM_HOLD_RELEASED);
  ck_assert_str_eq (now->decided_by, mo);
  /* The reply's own words, without the quoted notice. */
  ck_assert_str_eq (now->decision_note, "Fine: a ward matter, not a council obligation.");
  g_autoptr (GPtrArray) events = cm_holdstore_events (f->env->store, f->hold->id, 0, NULL);
  CmHoldEvent *last = NULL;
  for (guint i = 0; i < events->len; i++)
    if (strcmp (((CmHoldEvent *) events->pdata[i])->what, "released") == 0)
      last = events->pdata[i];
  ck_assert_ptr_nonnull (last);
  ck_assert_str_eq (last->who, mo);
  ck_assert_str_eq (last->who_kind, CM_HOLD_ACTOR_MAIL);
  /* The released message, then the one-line confirmation to the decider. */
  ck_assert_uint_eq (smtpsink_count (f->env->sink), 2);
  SmtpSinkMessage *confirmation = received (f->env, 1);
  ck_assert_str_eq (confirmation->recipients->pdata[0], mo);
  g_autofree char *line = g_strdup_printf ("Released hold %s (Fence repairs) to 2 recipients.", f->hold->id);
  assert_has (confirmation->data->str, line);
  /* Replayed: refused, saying by whom. */
  assert_taken (take (f, mo, mo, TRUE, CM_DECISION_REJECT, NULL, "No, after all."), CM_REPLY_REFUSED,
                "already released by peter.ward@northmoor.gov.uk");
}
END_TEST

START_TEST (test_reject_by_reply)
{
  g_autoptr (Fixture) f = fixture_new (NULL);
  assert_taken (take (f, mo, mo, TRUE, CM_DECISION_REJECT, NULL, ""), CM_REPLY_REFUSED, "needs a reason");
  assert_undecided (f);
  assert_taken (take (f, mo, mo, TRUE, CM_DECISION_REJECT, NULL, "Only the Leader may commit the council."),
                CM_REPLY_RECORDED, "the sender was told: Only the Leader may commit the council.");
  g_autoptr (CmHold) now = get (f->env, f->hold->id);
  ck_assert_int_eq (now->state, CM_HOLD_REJECTED);
  ck_assert_str_eq (now->decision_note, "Only the Leader may commit the council.");
  /* The sender's notice with the reason, then the confirmation. */
  ck_assert_uint_eq (smtpsink_count (f->env->sink), 2);
  ck_assert_str_eq (received (f->env, 0)->recipients->pdata[0], jane);
  assert_has (received (f->env, 0)->data->str, "Only the Leader may commit the council.");
  ck_assert_str_eq (received (f->env, 1)->recipients->pdata[0], mo);
  assert_has (received (f->env, 1)->data->str, "; the sender was told: Only the Leader");
}
END_TEST

START_TEST (test_refusals)
{
  g_autoptr (Fixture) f = fixture_new ("deputy=linda.carter@northmoor.gov.uk");
  const char *words = "Release it.";
  /* Not logged in, with the Monitoring Officer's own address and token. */
  assert_taken (take (f, mo, mo, FALSE, CM_DECISION_RELEASE, NULL, words), CM_REPLY_REFUSED,
                "must be sent logged in");
  /* Another member, with the Monitoring Officer's token, and with one for themself. */
  g_autofree char *mos = short_token (f->env, CM_DECISION_RELEASE, f->hold->id, mo);
  assert_taken (take (f, raj, raj, TRUE, CM_DECISION_RELEASE, mos, words), CM_REPLY_REFUSED,
                "Only the Monitoring Officer or the deputy");
  assert_taken (take (f, raj, raj, TRUE, CM_DECISION_RELEASE, NULL, words), CM_REPLY_REFUSED,
                "not <cllr.raj.patel@northmoor.gov.uk>");
  /* The deputy with the Monitoring Officer's token. */
  assert_taken (take (f, deputy, deputy, TRUE, CM_DECISION_RELEASE, mos, words), CM_REPLY_REFUSED,
                "does not belong to a held message");
  /* A From that is not the sender. */
  assert_taken (take (f, mo, "Jane <cllr.jane.smith@northmoor.gov.uk>", TRUE, CM_DECISION_RELEASE, NULL, words),
                CM_REPLY_REFUSED, "From of a decision by reply");
  assert_taken (take (f, mo, "peter.ward@northmoor.gov.uk, cllr.jane.smith@northmoor.gov.uk", TRUE,
                      CM_DECISION_RELEASE, NULL, words), CM_REPLY_REFUSED, "From of a decision by reply");
  /* Forged, cut short, and the release token sent to the reject address. */
  assert_taken (take (f, mo, mo, TRUE, CM_DECISION_RELEASE, "0000000000000000", words), CM_REPLY_REFUSED,
                "does not belong to a held message");
  g_autofree char *cut = g_strndup (mos, 15);
  assert_taken (take (f, mo, mo, TRUE, CM_DECISION_RELEASE, cut, words), CM_REPLY_REFUSED,
                "does not belong to a held message");
  assert_taken (take (f, mo, mo, TRUE, CM_DECISION_REJECT, mos, words), CM_REPLY_REFUSED,
                "That reject address does not belong");
  assert_undecided (f);
  /* The deputy's own token decides. */
  assert_taken (take (f, deputy, deputy, TRUE, CM_DECISION_REJECT, NULL, "Not in the council's name."),
                CM_REPLY_RECORDED, "Rejected hold");
}
END_TEST

START_TEST (test_switched_off_refuses)
{
  g_autoptr (Fixture) f = fixture_new ("decide-by-reply=no");
  assert_taken (take (f, mo, mo, TRUE, CM_DECISION_RELEASE, NULL, "Release it."), CM_REPLY_REFUSED,
                "not decided by reply here");
  assert_undecided (f);
}
END_TEST

START_TEST (test_failed_hand_off_is_a_tempfail)
{
  g_autoptr (Fixture) f = fixture_new (NULL);
  smtpsink_down (f->env->sink);
  assert_taken (take (f, mo, mo, TRUE, CM_DECISION_RELEASE, NULL, "Release it."), CM_REPLY_FAILED,
                f->hold->id);
  /* Held again: the MTA's retry decides it, once. */
  g_autoptr (CmHold) now = get (f->env, f->hold->id);
  ck_assert_int_eq (now->state, CM_HOLD_HELD);
  smtpsink_up (f->env->sink);
  assert_taken (take (f, mo, mo, TRUE, CM_DECISION_RELEASE, NULL, "Release it."), CM_REPLY_RECORDED,
                "Released hold");
}
END_TEST

int
main (void)
{
  g_mime_init ();
  Suite *suite = suite_create ("decision");
  TCase *tc = tcase_create ("core");
  tcase_add_test (tc, test_token_verifies_only_its_own);
  tcase_add_test (tc, test_address_parsing);
  tcase_add_test (tc, test_digest_carries_each_holds_addresses);
  tcase_add_test (tc, test_escalation_carries_the_deputys_addresses);
  tcase_add_test (tc, test_switched_off);
  tcase_add_test (tc, test_release_by_reply);
  tcase_add_test (tc, test_reject_by_reply);
  tcase_add_test (tc, test_refusals);
  tcase_add_test (tc, test_switched_off_refuses);
  tcase_add_test (tc, test_failed_hand_off_is_a_tempfail);
  tcase_set_timeout (tc, 60);
  suite_add_tcase (suite, tc);
  int status = test_run (suite);
  g_mime_shutdown ();
  return status;
}
