/*
 * test_holddecide.c: decisions on held mail (holdstore.h): made exactly
 * once however many reviewers (threads with their own stores) race;
 * undoing a failed release; the tokens of release marks and reply
 * addresses, honoured once and only on the message held; a locked index
 * is an I/O error, not a forgery; explanations and the audit trail.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <glib/gstdio.h>
#include <sqlite3.h>

#include "holdfixture.h"
#include "holdmark.h"

START_TEST (test_decide)
{
  g_autofree char *spool = new_spool ();
  g_autoptr (CmHoldStore) store = open_store (spool);
  g_autoptr (CmHold) hold = put_message (store, "a@example.org", NULL, NULL);
  g_autoptr (GError) error = NULL;
  gint64 before = g_get_real_time () / G_USEC_PER_SEC;
  ck_assert_msg (cm_holdstore_decide (store, hold->id, CM_HOLD_RELEASED, "alice", "fair comment", &error),
                 "%s", error ? error->message : "?");
  g_autoptr (CmHold) got = get_hold (store, hold->id);
  ck_assert_int_eq (got->state, CM_HOLD_RELEASED);
  ck_assert_str_eq (got->decided_by, "alice");
  ck_assert_str_eq (got->decision_note, "fair comment");
  ck_assert_int_ge (got->decided_at, before);
  ck_assert_int_le (got->decided_at, g_get_real_time () / G_USEC_PER_SEC);

  /* A second decision is refused and says what happened, by whom and when. */
  ck_assert (!cm_holdstore_decide (store, hold->id, CM_HOLD_REJECTED, "bob", "no", &error));
  ck_assert_msg (g_error_matches (error, CM_HOLD_ERROR, CM_HOLD_ERROR_DECIDED), "%s", error->message);
  g_autoptr (GDateTime) when = g_date_time_new_from_unix_utc (got->decided_at);
  g_autofree char *at = g_date_time_format (when, "%Y-%m-%d %H:%M UTC");
  g_autofree char *expected = g_strdup_printf ("%s was already released by alice at %s", hold->id, at);
  ck_assert_str_eq (error->message, expected);
  g_clear_error (&error);
  g_autoptr (CmHold) still = get_hold (store, hold->id);
  assert_hold_eq (still, got);

  ck_assert (!cm_holdstore_decide (store, "20000101-000000-000000", CM_HOLD_REJECTED, "bob", NULL, &error));
  ck_assert (g_error_matches (error, CM_HOLD_ERROR, CM_HOLD_ERROR_NOT_FOUND));
  ck_assert_str_eq (error->message, "no held message has the id 20000101-000000-000000");
  g_clear_error (&error);
  ck_assert_ptr_null (cm_holdstore_get (store, "20000101-000000-000000", &error));
  ck_assert (g_error_matches (error, CM_HOLD_ERROR, CM_HOLD_ERROR_NOT_FOUND));
  g_clear_error (&error);

  /* HELD is no decision; the other three are. */
  g_autoptr (CmHold) other = put_message (store, "b@example.org", NULL, NULL);
  ck_assert (!cm_holdstore_decide (store, other->id, CM_HOLD_HELD, "bob", NULL, &error));
  ck_assert_ptr_nonnull (error);
  g_clear_error (&error);
  ck_assert (!cm_holdstore_decide (store, other->id, (CmHoldState) 42, "bob", NULL, &error));
  g_clear_error (&error);
  g_autoptr (CmHold) unchanged = get_hold (store, other->id);
  ck_assert_int_eq (unchanged->state, CM_HOLD_HELD);
  g_autofree char *other_trail = trail (store, other->id);
  ck_assert_str_eq (other_trail, "held/council-milter/officer-criticism, bcc-member");
  CmHoldState finals[] = { CM_HOLD_REJECTED, CM_HOLD_WITHDRAWN, CM_HOLD_EXPIRED };
  for (guint i = 0; i < G_N_ELEMENTS (finals); i++)
    {
      g_autoptr (CmHold) h = put_message (store, "c@example.org", NULL, NULL);
      ck_assert (cm_holdstore_decide (store, h->id, finals[i], "council-milter", NULL, NULL));
      g_autoptr (CmHold) g = get_hold (store, h->id);
      ck_assert_int_eq (g->state, finals[i]);
      ck_assert_ptr_null (g->decision_note);
    }
  g_autofree char *decided_trail = trail (store, hold->id);
  ck_assert_str_eq (decided_trail,
                    "held/council-milter/officer-criticism, bcc-member|released/alice/fair comment");
}
END_TEST

/* The threads racing for one hold, each with its own store. */
typedef struct {
  const char *spool;
  const char *id;
  gboolean claim;      /* claim the release instead of deciding */
  const char *token;
  const CmHold *seen;  /* the message claiming the release */
  GMutex lock;
  GCond cond;
  guint ready;
  gboolean go;
} Race;

typedef struct {
  Race *race;
  guint number;
  gboolean opened;
  gboolean won;
  GError *error;
  char *who;
} Racer;

/* One reviewer (or daemon): open a store, wait for the start, act once. */
static gpointer
racer_thread (gpointer data)
{
  Racer *racer = data;
  Race *race = racer->race;
  CmHoldStore *store = cm_holdstore_open (race->spool, &racer->error);
  racer->opened = store != NULL;
  g_mutex_lock (&race->lock);
  race->ready++;
  g_cond_broadcast (&race->cond);
  while (!race->go)
    g_cond_wait (&race->cond, &race->lock);
  g_mutex_unlock (&race->lock);
  if (store == NULL)
    return NULL;
  racer->who = g_strdup_printf ("reviewer-%u", racer->number);
  if (race->claim)
    racer->won = cm_holdstore_claim_release (store, race->id, race->token, race->seen, &racer->error);
  else
    racer->won = cm_holdstore_decide (store, race->id, racer->number % 2 ? CM_HOLD_REJECTED : CM_HOLD_RELEASED,
                                      racer->who, NULL, &racer->error);
  cm_holdstore_close (store);
  return NULL;
}

/* Run N racers for RACE; return the number of the one that won (asserting there is exactly one). */
static guint
run_race (Race *race, guint n, gint expected_code)
{
  g_mutex_init (&race->lock);
  g_cond_init (&race->cond);
  Racer *racers = g_new0 (Racer, n);
  GThread **threads = g_new0 (GThread *, n);
  for (guint i = 0; i < n; i++)
    {
      racers[i].race = race;
      racers[i].number = i;
      threads[i] = g_thread_new ("racer", racer_thread, &racers[i]);
    }
  g_mutex_lock (&race->lock);
  while (race->ready < n)
    g_cond_wait (&race->cond, &race->lock);
  race->go = TRUE;
  g_cond_broadcast (&race->cond);
  g_mutex_unlock (&race->lock);
  for (guint i = 0; i < n; i++)
    g_thread_join (threads[i]);

  guint winners = 0, winner = n;
  for (guint i = 0; i < n; i++)
    {
      ck_assert_msg (racers[i].opened, "open: %s", racers[i].error ? racers[i].error->message : "?");
      if (racers[i].won)
        {
          winners++;
          winner = i;
          ck_assert_ptr_null (racers[i].error);
        }
      else
        ck_assert_msg (g_error_matches (racers[i].error, CM_HOLD_ERROR, expected_code), "racer %u: %s", i,
                       racers[i].error ? racers[i].error->message : "no error");
    }
  ck_assert_uint_eq (winners, 1);
  /* The losers were told who won. */
  for (guint i = 0; i < n && !race->claim; i++)
    if (i != winner)
      ck_assert_msg (strstr (racers[i].error->message, racers[winner].who), "%s", racers[i].error->message);
  for (guint i = 0; i < n; i++)
    {
      g_clear_error (&racers[i].error);
      g_free (racers[i].who);
    }
  g_free (racers);
  g_free (threads);
  g_mutex_clear (&race->lock);
  g_cond_clear (&race->cond);
  return winner;
}

START_TEST (test_decide_concurrent)
{
  g_autofree char *spool = new_spool ();
  g_autoptr (CmHoldStore) store = open_store (spool);
  for (guint round = 0; round < 5; round++)
    {
      g_autoptr (CmHold) hold = put_message (store, "a@example.org", NULL, NULL);
      guint n = round == 0 ? 2 : 8;
      Race race = { .spool = spool, .id = hold->id };
      guint winner = run_race (&race, n, CM_HOLD_ERROR_DECIDED);
      g_autoptr (CmHold) got = get_hold (store, hold->id);
      g_autofree char *who = g_strdup_printf ("reviewer-%u", winner);
      ck_assert_str_eq (got->decided_by, who);
      ck_assert_int_eq (got->state, winner % 2 ? CM_HOLD_REJECTED : CM_HOLD_RELEASED);
      /* Exactly one decision in the audit trail. */
      g_autofree char *events = trail (store, hold->id);
      g_autofree char *expected = g_strdup_printf ("held/council-milter/officer-criticism, bcc-member|%s/%s/-",
                                                   cm_hold_state_name (got->state), who);
      ck_assert_str_eq (events, expected);
    }
}
END_TEST

START_TEST (test_claim_concurrent)
{
  g_autofree char *spool = new_spool ();
  g_autoptr (CmHoldStore) store = open_store (spool);
  for (guint round = 0; round < 3; round++)
    {
      g_autoptr (CmHold) hold = put_message (store, "a@example.org", NULL, NULL);
      ck_assert (cm_holdstore_decide (store, hold->id, CM_HOLD_RELEASED, "alice", NULL, NULL));
      g_autofree char *token = cm_holdstore_token (store, "release", hold->id);
      Race race = { .spool = spool, .id = hold->id, .claim = TRUE, .token = token, .seen = hold };
      run_race (&race, 8, CM_HOLD_ERROR_TOKEN);
      g_autofree char *events = trail (store, hold->id);
      ck_assert_str_eq (events, "held/council-milter/officer-criticism, bcc-member|released/alice/-|"
                                "release-delivered/council-milter/-");
    }
}
END_TEST

START_TEST (test_unrelease)
{
  g_autofree char *spool = new_spool ();
  g_autoptr (CmHoldStore) store = open_store (spool);
  g_autoptr (CmHold) hold = put_message (store, "a@example.org", NULL, NULL);
  g_autoptr (GError) error = NULL;
  ck_assert (!cm_holdstore_unrelease (store, hold->id, "no reason", &error));
  ck_assert_msg (g_error_matches (error, CM_HOLD_ERROR, CM_HOLD_ERROR_DECIDED), "%s", error->message);
  ck_assert_msg (strstr (error->message, "still held"), "%s", error->message);
  g_clear_error (&error);

  ck_assert (cm_holdstore_decide (store, hold->id, CM_HOLD_RELEASED, "alice", "ok", NULL));
  ck_assert_msg (cm_holdstore_unrelease (store, hold->id, "the MTA said 451", &error), "%s",
                 error ? error->message : "?");
  g_autoptr (CmHold) got = get_hold (store, hold->id);
  ck_assert_int_eq (got->state, CM_HOLD_HELD);
  ck_assert_int_eq (got->decided_at, 0);
  ck_assert_ptr_null (got->decided_by);
  ck_assert_ptr_null (got->decision_note);
  ck_assert (!got->release_used);
  /* Held again, it can be decided again. */
  ck_assert (cm_holdstore_decide (store, hold->id, CM_HOLD_REJECTED, "bob", "on reflection", NULL));
  g_autofree char *events = trail (store, hold->id);
  ck_assert_str_eq (events, "held/council-milter/officer-criticism, bcc-member|released/alice/ok|"
                            "release-failed/council-milter/the MTA said 451|rejected/bob/on reflection");
  ck_assert (!cm_holdstore_unrelease (store, hold->id, "x", &error));
  ck_assert (g_error_matches (error, CM_HOLD_ERROR, CM_HOLD_ERROR_DECIDED));
  g_clear_error (&error);

  /* Not once the release marker was honoured. */
  g_autoptr (CmHold) used = put_message (store, "a@example.org", NULL, NULL);
  ck_assert (cm_holdstore_decide (store, used->id, CM_HOLD_RELEASED, "alice", NULL, NULL));
  g_autofree char *token = cm_holdstore_token (store, "release", used->id);
  ck_assert (cm_holdstore_claim_release (store, used->id, token, used, NULL));
  ck_assert (!cm_holdstore_unrelease (store, used->id, "too late", &error));
  ck_assert_msg (g_error_matches (error, CM_HOLD_ERROR, CM_HOLD_ERROR_DECIDED), "%s", error->message);
  ck_assert_msg (strstr (error->message, "delivered"), "%s", error->message);
  g_clear_error (&error);
  g_autoptr (CmHold) still = get_hold (store, used->id);
  ck_assert_int_eq (still->state, CM_HOLD_RELEASED);
  ck_assert (still->release_used);

  ck_assert (!cm_holdstore_unrelease (store, "20000101-000000-000000", "x", &error));
  ck_assert (g_error_matches (error, CM_HOLD_ERROR, CM_HOLD_ERROR_NOT_FOUND));
}
END_TEST

START_TEST (test_tokens)
{
  g_autofree char *spool = new_spool ();
  g_autoptr (CmHoldStore) store = open_store (spool);
  const char *id = "20261123-031500-7f3a9c";
  g_autofree char *token = cm_holdstore_token (store, "release", id);
  ck_assert_msg (g_regex_match_simple ("^[0-9a-f]{64}$", token, 0, 0), "%s", token);
  ck_assert (cm_holdstore_token_valid (store, "release", id, token));

  /* Every other token fails. */
  g_autofree char *changed = g_strdup (token);
  changed[20] = changed[20] == '0' ? '1' : '0';
  ck_assert (!cm_holdstore_token_valid (store, "release", id, changed));
  g_autofree char *changed_last = g_strdup (token);
  changed_last[63] = changed_last[63] == 'a' ? 'b' : 'a';
  ck_assert (!cm_holdstore_token_valid (store, "release", id, changed_last));
  g_autofree char *upper = g_ascii_strup (token, -1);
  if (strcmp (upper, token) != 0)
    ck_assert (!cm_holdstore_token_valid (store, "release", id, upper));
  g_autofree char *shorter = g_strndup (token, 63);
  ck_assert (!cm_holdstore_token_valid (store, "release", id, shorter));
  g_autofree char *longer = g_strconcat (token, "0", NULL);
  ck_assert (!cm_holdstore_token_valid (store, "release", id, longer));
  ck_assert (!cm_holdstore_token_valid (store, "release", "20261123-031500-7f3a9d", token));
  ck_assert (!cm_holdstore_token_valid (store, "reply", id, token));
  ck_assert (!cm_holdstore_token_valid (store, "release", id, ""));
  ck_assert (!cm_holdstore_token_valid (store, "release", id, NULL));
  g_autofree char *reply = cm_holdstore_token (store, "reply", id);
  ck_assert_str_ne (reply, token);
  ck_assert (cm_holdstore_token_valid (store, "reply", id, reply));

  /* It is HMAC-SHA256 of "PURPOSE:ID" under the spool's 32-byte secret. */
  g_autofree char *secret_path = g_build_filename (spool, "secret", NULL);
  g_autofree char *secret = NULL;
  gsize length = 0;
  ck_assert (g_file_get_contents (secret_path, &secret, &length, NULL));
  ck_assert_uint_eq (length, 32);
  g_autofree char *hmac = g_compute_hmac_for_string (G_CHECKSUM_SHA256, (const guchar *) secret, length,
                                                     "release:20261123-031500-7f3a9c", -1);
  ck_assert_str_eq (hmac, token);

  /* The secret persists: another store on the spool, or a reopened one, agrees. */
  CmHoldStore *second = open_store (spool);
  ck_assert (cm_holdstore_token_valid (second, "release", id, token));
  g_autofree char *again = cm_holdstore_token (second, "release", id);
  ck_assert_str_eq (again, token);
  cm_holdstore_close (second);

  /* Another spool has another secret. */
  g_autofree char *other_spool = new_spool ();
  CmHoldStore *other = open_store (other_spool);
  g_autofree char *foreign = cm_holdstore_token (other, "release", id);
  ck_assert_str_ne (foreign, token);
  ck_assert (!cm_holdstore_token_valid (other, "release", id, token));
  cm_holdstore_close (other);
}
END_TEST

START_TEST (test_claim_release)
{
  g_autofree char *spool = new_spool ();
  g_autoptr (CmHoldStore) store = open_store (spool);
  g_autoptr (CmHold) hold = put_message (store, "a@example.org", NULL, NULL);
  g_autoptr (CmHold) other = put_message (store, "a@example.org", NULL, NULL);
  g_autofree char *token = cm_holdstore_token (store, "release", hold->id);
  g_autofree char *other_token = cm_holdstore_token (store, "release", other->id);
  g_autoptr (GError) error = NULL;

  ck_assert (!cm_holdstore_claim_release (store, hold->id, token, hold, &error));
  ck_assert (g_error_matches (error, CM_HOLD_ERROR, CM_HOLD_ERROR_TOKEN));
  ck_assert_msg (strstr (error->message, "not released"), "%s", error->message);
  g_clear_error (&error);

  ck_assert (cm_holdstore_decide (store, hold->id, CM_HOLD_RELEASED, "alice", NULL, NULL));
  ck_assert (cm_holdstore_decide (store, other->id, CM_HOLD_RELEASED, "alice", NULL, NULL));
  /* A token for another hold, or none, is a forgery. */
  ck_assert (!cm_holdstore_claim_release (store, hold->id, other_token, hold, &error));
  ck_assert (g_error_matches (error, CM_HOLD_ERROR, CM_HOLD_ERROR_TOKEN));
  ck_assert_msg (strstr (error->message, "forged"), "%s", error->message);
  g_clear_error (&error);
  ck_assert (!cm_holdstore_claim_release (store, hold->id, NULL, hold, &error));
  ck_assert (g_error_matches (error, CM_HOLD_ERROR, CM_HOLD_ERROR_TOKEN));
  g_clear_error (&error);

  ck_assert_msg (cm_holdstore_claim_release (store, hold->id, token, hold, &error), "%s",
                 error ? error->message : "?");
  ck_assert (!cm_holdstore_claim_release (store, hold->id, token, hold, &error));
  ck_assert (g_error_matches (error, CM_HOLD_ERROR, CM_HOLD_ERROR_TOKEN));
  ck_assert_msg (strstr (error->message, "used already"), "%s", error->message);
  g_clear_error (&error);
  g_autoptr (CmHold) got = get_hold (store, hold->id);
  ck_assert (got->release_used);
  g_autoptr (CmHold) untouched = get_hold (store, other->id);
  ck_assert (!untouched->release_used);
  g_autofree char *events = trail (store, hold->id);
  ck_assert_str_eq (events, "held/council-milter/officer-criticism, bcc-member|released/alice/-|"
                            "release-delivered/council-milter/-");

  /* A rejected hold's marker is refused too; so is an unknown hold's. */
  g_autoptr (CmHold) rejected = put_message (store, "a@example.org", NULL, NULL);
  ck_assert (cm_holdstore_decide (store, rejected->id, CM_HOLD_REJECTED, "bob", NULL, NULL));
  g_autofree char *rejected_token = cm_holdstore_token (store, "release", rejected->id);
  ck_assert (!cm_holdstore_claim_release (store, rejected->id, rejected_token, rejected, &error));
  ck_assert (g_error_matches (error, CM_HOLD_ERROR, CM_HOLD_ERROR_TOKEN));
  ck_assert_msg (strstr (error->message, "rejected by bob"), "%s", error->message);
  g_clear_error (&error);
  g_autofree char *unknown_token = cm_holdstore_token (store, "release", "20000101-000000-000000");
  ck_assert (!cm_holdstore_claim_release (store, "20000101-000000-000000", unknown_token, hold, &error));
  ck_assert (g_error_matches (error, CM_HOLD_ERROR, CM_HOLD_ERROR_TOKEN));
}
END_TEST

START_TEST (test_explain_and_events)
{
  g_autofree char *spool = new_spool ();
  g_autoptr (CmHoldStore) store = open_store (spool);
  g_autoptr (CmHold) hold = put_message (store, "cllr.jane.smith@northmoor.gov.uk", NULL, NULL);
  g_autoptr (CmHold) other = put_message (store, "", NULL, NULL);
  g_autoptr (GError) error = NULL;
  gint64 before = g_get_real_time () / G_USEC_PER_SEC;

  ck_assert_msg (cm_holdstore_explain (store, hold->id, "It was a joke.", &error), "%s",
                 error ? error->message : "?");
  ck_assert (cm_holdstore_explain (store, hold->id, "It was a quotation.", NULL));
  g_autoptr (CmHold) got = get_hold (store, hold->id);
  ck_assert_str_eq (got->explanation, "It was a quotation.");
  ck_assert_int_ge (got->explained_at, before);
  ck_assert_int_eq (got->state, CM_HOLD_HELD);
  ck_assert (cm_holdstore_add_event (store, hold->id, "council-milter", "notified", "to the MO", NULL));
  ck_assert (cm_holdstore_escalate (store, hold->id, "council-milter", "5 days", NULL));
  g_autoptr (CmHold) escalated = get_hold (store, hold->id);
  ck_assert (escalated->escalated);
  ck_assert (cm_holdstore_explain (store, other->id, "From the null sender.", NULL));
  ck_assert (cm_holdstore_decide (store, hold->id, CM_HOLD_REJECTED, "deputy", "not acceptable", NULL));

  /* Once decided, no more explanations or escalations. */
  ck_assert (!cm_holdstore_explain (store, hold->id, "Late.", &error));
  ck_assert_msg (g_error_matches (error, CM_HOLD_ERROR, CM_HOLD_ERROR_DECIDED), "%s", error->message);
  ck_assert_msg (strstr (error->message, "rejected by deputy"), "%s", error->message);
  g_clear_error (&error);
  ck_assert (!cm_holdstore_escalate (store, hold->id, "council-milter", NULL, &error));
  ck_assert (g_error_matches (error, CM_HOLD_ERROR, CM_HOLD_ERROR_DECIDED));
  g_clear_error (&error);
  g_autoptr (CmHold) final = get_hold (store, hold->id);
  ck_assert_str_eq (final->explanation, "It was a quotation.");
  ck_assert (cm_holdstore_add_event (store, hold->id, "council-milter", "notified", NULL, NULL));

  /* Unknown holds. */
  ck_assert (!cm_holdstore_explain (store, "20000101-000000-000000", "x", &error));
  ck_assert (g_error_matches (error, CM_HOLD_ERROR, CM_HOLD_ERROR_NOT_FOUND));
  g_clear_error (&error);
  ck_assert (!cm_holdstore_add_event (store, "20000101-000000-000000", "x", "notified", NULL, &error));
  ck_assert (g_error_matches (error, CM_HOLD_ERROR, CM_HOLD_ERROR_NOT_FOUND));
  g_clear_error (&error);
  ck_assert (!cm_holdstore_escalate (store, "20000101-000000-000000", "x", NULL, &error));
  ck_assert (g_error_matches (error, CM_HOLD_ERROR, CM_HOLD_ERROR_NOT_FOUND));
  g_clear_error (&error);

  g_autofree char *events = trail (store, hold->id);
  ck_assert_str_eq (events,
                    "held/council-milter/officer-criticism, bcc-member"
                    "|explained/cllr.jane.smith@northmoor.gov.uk/It was a joke."
                    "|explained/cllr.jane.smith@northmoor.gov.uk/It was a quotation."
                    "|notified/council-milter/to the MO"
                    "|escalated/council-milter/5 days"
                    "|rejected/deputy/not acceptable"
                    "|notified/council-milter/-");
  g_autofree char *other_events = trail (store, other->id);
  ck_assert_str_eq (other_events, "held/council-milter/officer-criticism, bcc-member"
                                  "|explained/<>/From the null sender.");

  /* Every hold's events, oldest first; and none after now. */
  g_autoptr (GPtrArray) all = cm_holdstore_events (store, NULL, 0, &error);
  ck_assert_uint_eq (all->len, 9);
  const CmHoldEvent *first = all->pdata[0], *second = all->pdata[1], *last = all->pdata[8];
  ck_assert_str_eq (first->hold_id, hold->id);
  ck_assert_str_eq (second->hold_id, other->id);
  ck_assert_str_eq (last->what, "notified");
  for (guint i = 1; i < all->len; i++)
    ck_assert_int_ge (((CmHoldEvent *) all->pdata[i])->at, ((CmHoldEvent *) all->pdata[i - 1])->at);
  g_autoptr (GPtrArray) later = cm_holdstore_events (store, NULL, g_get_real_time () / G_USEC_PER_SEC + 10, &error);
  ck_assert_uint_eq (later->len, 0);
  g_autoptr (GPtrArray) since = cm_holdstore_events (store, hold->id, last->at, &error);
  ck_assert_uint_ge (since->len, 1);
  ck_assert_uint_le (since->len, 7);
  for (guint i = 0; i < since->len; i++)
    ck_assert_int_ge (((CmHoldEvent *) since->pdata[i])->at, last->at);
}
END_TEST

/* The digest of TEXT (a whole message) fed in pieces of at most CHUNK bytes. */
static char *
digest_of (const char *text, gsize length, gsize chunk)
{
  CmBodyDigest *digest = cm_body_digest_new (TRUE);
  for (gsize at = 0; at < length; at += chunk)
    cm_body_digest_update (digest, (const guint8 *) text + at, MIN (chunk, length - at));
  return cm_body_digest_finish (digest);
}

START_TEST (test_body_digest)
{
  /* The body only: other headers, LF for CRLF, a final line end added,
   * and any cut between chunks give the same digest; a changed byte does not. */
  g_autofree char *whole = digest_of (message_bytes, message_length, message_length);
  for (gsize chunk = 1; chunk < 8; chunk++)
    {
      g_autofree char *cut = digest_of (message_bytes, message_length, chunk);
      ck_assert_str_eq (cut, whole);
    }
  const char lf[] = "Received: from relay\nFrom: x\n\nThe planning officer is useless.\n"
                    "\0binary \xe2\x9c\x93 tail\n\n";
  g_autofree char *relayed = digest_of (lf, sizeof lf - 1, 3);
  ck_assert_str_eq (relayed, whole);
  const char changed[] = "From: x\r\n\r\nThe planning officer is useful.\r\n\0binary \xe2\x9c\x93 tail\r\n";
  g_autofree char *other = digest_of (changed, sizeof changed - 1, 64);
  ck_assert_str_ne (other, whole);
  /* A bare CR is part of the text; a blank line inside the body counts. */
  g_autofree char *cr = digest_of ("H: v\r\n\r\na\rb", 11, 1);
  g_autofree char *no_cr = digest_of ("H: v\r\n\r\nab", 10, 1);
  ck_assert_str_ne (cr, no_cr);
  g_autofree char *gap = digest_of ("H: v\n\na\n\nb\n", 11, 2);
  g_autofree char *no_gap = digest_of ("H: v\n\na\nb\n", 10, 2);
  ck_assert_str_ne (gap, no_gap);
}
END_TEST

/* F8: a copy of a genuine release mark on another message (another body,
 * another sender, another recipient) is refused as forged and leaves the
 * mark unused; the held message itself, as relayed (its recipients or
 * fewer), is let through once. */
START_TEST (test_claim_bound)
{
  g_autofree char *spool = new_spool ();
  g_autoptr (CmHoldStore) store = open_store (spool);
  g_autoptr (CmHold) hold = put_message (store, "a@example.org", NULL, NULL);
  ck_assert_ptr_nonnull (hold->body_digest);
  g_autofree char *whole = digest_of (message_bytes, message_length, 4096);
  ck_assert_str_eq (hold->body_digest, whole);
  ck_assert (cm_holdstore_decide (store, hold->id, CM_HOLD_RELEASED, "alice", NULL, NULL));
  g_autofree char *token = cm_holdstore_token (store, "release", hold->id);
  g_autoptr (GError) error = NULL;

  const char forged_body[] = "From: a@example.org\r\n\r\nPay the invoice to account 12345678.\r\n";
  g_autofree char *forged_digest = digest_of (forged_body, sizeof forged_body - 1, 4096);
  char *outsider[] = { (char *) "builder@example.org", (char *) "press@example.net", NULL };
  char *one[] = { (char *) "CLERK@northmoor.gov.uk", NULL };
  const struct { CmHold seen; const char *says; } copies[] = {
    { { .sender = (char *) "a@example.org", .recipients = hold->recipients, .body_digest = forged_digest },
      "its body is not the one held" },
    { { .sender = (char *) "a@example.org", .recipients = hold->recipients }, "its body is not the one held" },
    { { .sender = (char *) "b@example.org", .recipients = hold->recipients, .body_digest = whole },
      "came from <b@example.org>" },
    { { .sender = (char *) "a@example.org", .recipients = outsider, .body_digest = whole },
      "<press@example.net>, not a recipient" },
  };
  for (guint i = 0; i < G_N_ELEMENTS (copies); i++)
    {
      ck_assert (!cm_holdstore_claim_release (store, hold->id, token, &copies[i].seen, &error));
      ck_assert_msg (g_error_matches (error, CM_HOLD_ERROR, CM_HOLD_ERROR_TOKEN), "%s", error->message);
      ck_assert_msg (strstr (error->message, copies[i].says), "copy %u: %s", i, error->message);
      g_clear_error (&error);
      g_autoptr (CmHold) unused = get_hold (store, hold->id);
      ck_assert (!unused->release_used);
    }
  CmHold genuine = { .sender = (char *) "A@example.org", .recipients = one, .body_digest = whole };
  ck_assert_msg (cm_holdstore_claim_release (store, hold->id, token, &genuine, &error), "%s",
                 error ? error->message : "?");
  ck_assert (!cm_holdstore_claim_release (store, hold->id, token, &genuine, &error));
  ck_assert_msg (strstr (error->message, "used already"), "%s", error->message);
  g_clear_error (&error);

  /* A hold kept before digests were recorded is bound to its file. */
  g_autoptr (CmHold) old = put_message (store, "a@example.org", NULL, NULL);
  g_autofree char *index = g_build_filename (spool, "index.sqlite", NULL);
  g_autofree char *forget = g_strdup_printf ("UPDATE holds SET body_digest = NULL WHERE id = '%s'", old->id);
  sqlite3 *db = NULL;
  ck_assert_int_eq (sqlite3_open (index, &db), SQLITE_OK);
  ck_assert_int_eq (sqlite3_exec (db, forget, NULL, NULL, NULL), SQLITE_OK);
  sqlite3_close (db);
  ck_assert (cm_holdstore_decide (store, old->id, CM_HOLD_RELEASED, "alice", NULL, NULL));
  g_autofree char *old_token = cm_holdstore_token (store, "release", old->id);
  CmHold other = { .sender = (char *) "a@example.org", .recipients = old->recipients, .body_digest = forged_digest };
  ck_assert (!cm_holdstore_claim_release (store, old->id, old_token, &other, &error));
  ck_assert_msg (g_error_matches (error, CM_HOLD_ERROR, CM_HOLD_ERROR_TOKEN), "%s", error->message);
  g_clear_error (&error);
  CmHold same = { .sender = (char *) "a@example.org", .recipients = old->recipients, .body_digest = whole };
  ck_assert_msg (cm_holdstore_claim_release (store, old->id, old_token, &same, &error), "%s",
                 error ? error->message : "?");
}
END_TEST

/* F7: a claim that meets a locked index fails as I/O (the daemon answers
 * 451), never as a forged token, and leaves the mark for the retry. */
START_TEST (test_claim_locked)
{
  g_autofree char *spool = new_spool ();
  g_autoptr (CmHoldStore) store = open_store (spool);
  g_autoptr (CmHold) hold = put_message (store, "a@example.org", NULL, NULL);
  ck_assert (cm_holdstore_decide (store, hold->id, CM_HOLD_RELEASED, "alice", NULL, NULL));
  g_autofree char *token = cm_holdstore_token (store, "release", hold->id);
  g_autofree char *index = g_build_filename (spool, "index.sqlite", NULL);
  sqlite3 *db = NULL;
  ck_assert_int_eq (sqlite3_open (index, &db), SQLITE_OK);
  ck_assert_int_eq (sqlite3_exec (db, "BEGIN IMMEDIATE", NULL, NULL, NULL), SQLITE_OK);
  g_autoptr (GError) error = NULL;
  ck_assert (!cm_holdstore_claim_release (store, hold->id, token, hold, &error));
  ck_assert_msg (g_error_matches (error, CM_HOLD_ERROR, CM_HOLD_ERROR_IO), "%s", error->message);
  g_clear_error (&error);
  ck_assert_int_eq (sqlite3_exec (db, "COMMIT", NULL, NULL, NULL), SQLITE_OK);
  sqlite3_close (db);
  ck_assert_msg (cm_holdstore_claim_release (store, hold->id, token, hold, &error), "%s",
                 error ? error->message : "?");
}
END_TEST

int
main (void)
{
  g_mime_init ();
  Suite *suite = suite_create ("holddecide");
  TCase *tc = tcase_create ("holddecide");
  tcase_set_timeout (tc, 60);
  tcase_add_test (tc, test_decide);
  tcase_add_test (tc, test_decide_concurrent);
  tcase_add_test (tc, test_claim_concurrent);
  tcase_add_test (tc, test_unrelease);
  tcase_add_test (tc, test_tokens);
  tcase_add_test (tc, test_claim_release);
  tcase_add_test (tc, test_body_digest);
  tcase_add_test (tc, test_claim_bound);
  tcase_add_test (tc, test_claim_locked);
  tcase_add_test (tc, test_explain_and_events);
  suite_add_tcase (suite, tc);
  int status = test_run (suite);
  g_mime_shutdown ();
  return status;
}
