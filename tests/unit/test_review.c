/*
 * test_review.c: council-review, the built program, run against a hold
 * store in a scratch spool and a small SMTP listener (smtpsink.h) that
 * stands for both [hold] release-smtp and [notify] smtp: list and its
 * filters and JSON; show; release (the original envelope and a release
 * marker whose token verifies; once only; held again when the listener
 * is down); reject (the sender told, never an outside sender; once
 * only); a release and a reject racing; expire (returned, or escalated
 * to the deputy with the message attached); the digest; the audit trail;
 * the report; bad usage and unknown ids.
 */
#include "config.h"

#include <string.h>
#include <gio/gio.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <sqlite3.h>

#include "holdstore.h"
#include "smtpsink.h"
#include "testutil.h"

#define DAY (24 * 3600)
#define REVIEWER "mo.tester"

/* A scratch spool, its configuration, the listener and the store. */
typedef struct {
  char *spool;
  char *config;
  SmtpSink *sink;
  CmHoldStore *store;
} Env;

static void
env_free (Env *env)
{
  cm_holdstore_close (env->store);
  smtpsink_free (env->sink);
  g_free (env->spool);
  g_free (env->config);
  g_free (env);
}
G_DEFINE_AUTOPTR_CLEANUP_FUNC (Env, env_free)

/* The outcome of one run of council-review. */
typedef struct {
  int status;
  char *out;
  char *err;
} Run;

static void
run_free (Run *run)
{
  g_free (run->out);
  g_free (run->err);
  g_free (run);
}
G_DEFINE_AUTOPTR_CLEANUP_FUNC (Run, run_free)

/* A spool, a listener that is up, and a configuration naming both, with
 * the [hold] and [notify] keys of EXTRA (key-file text) added. */
static Env *
env_new (const char *extra)
{
  Env *env = g_new0 (Env, 1);
  g_autofree char *dir = test_scratch_dir ();
  env->spool = g_build_filename (dir, "spool", NULL);
  env->sink = smtpsink_new ();
  smtpsink_up (env->sink);
  g_autofree char *keys = g_strdup_printf ("[hold]\nspool=%s\nrelease-smtp=%s\n"
                                           "monitoring-officer=peter.ward@northmoor.gov.uk\n%s\n"
                                           "[notify]\nsmtp=%s\n",
                                           env->spool, env->sink->hostport, extra ? extra : "",
                                           env->sink->hostport);
  env->config = test_config_variant (keys, NULL);
  g_autoptr (GError) error = NULL;
  env->store = cm_holdstore_open (env->spool, &error);
  ck_assert_msg (env->store != NULL, "%s", error ? error->message : "");
  return env;
}

/* Start council-review with ARGS (NULL-terminated) as REVIEWER. */
static GSubprocess *
spawn (Env *env, const char *const *args)
{
  g_autofree char *binary = g_build_filename (g_getenv ("TOP_BUILDDIR"), "council-review", NULL);
  g_autoptr (GPtrArray) argv = g_ptr_array_new ();
  g_ptr_array_add (argv, binary);
  g_ptr_array_add (argv, (gpointer) "-c");
  g_ptr_array_add (argv, env->config);
  for (guint i = 0; args[i]; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);
  g_autoptr (GSubprocessLauncher) launcher =
    g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_subprocess_launcher_setenv (launcher, "SUDO_USER", REVIEWER, TRUE);
  g_autoptr (GError) error = NULL;
  GSubprocess *process = g_subprocess_launcher_spawnv (launcher, (const char *const *) argv->pdata, &error);
  ck_assert_msg (process != NULL, "%s: %s", binary, error ? error->message : "");
  return process;
}

/* Wait for PROCESS and collect what it printed and its exit status. */
static Run *
finish (GSubprocess *process)
{
  g_autoptr (GBytes) out = NULL, err = NULL;
  g_autoptr (GError) error = NULL;
  ck_assert_msg (g_subprocess_communicate (process, NULL, NULL, &out, &err, &error), "%s",
                 error ? error->message : "");
  ck_assert_msg (g_subprocess_get_if_exited (process), "council-review did not exit normally");
  Run *run = g_new0 (Run, 1);
  run->status = g_subprocess_get_exit_status (process);
  run->out = g_bytes_get_size (out) ? g_strndup (g_bytes_get_data (out, NULL), g_bytes_get_size (out))
                                     : g_strdup ("");
  run->err = g_bytes_get_size (err) ? g_strndup (g_bytes_get_data (err, NULL), g_bytes_get_size (err))
                                     : g_strdup ("");
  return run;
}

/* Run council-review with the arguments after ENV, NULL-terminated. */
static Run *
run_review (Env *env, ...)
{
  g_autoptr (GPtrArray) args = g_ptr_array_new ();
  va_list list;
  va_start (list, env);
  const char *arg;
  while ((arg = va_arg (list, const char *)))
    g_ptr_array_add (args, (gpointer) arg);
  va_end (list);
  g_ptr_array_add (args, NULL);
  g_autoptr (GSubprocess) process = spawn (env, (const char *const *) args->pdata);
  return finish (process);
}

/* Assert that RUN exited with STATUS, showing what it printed if not. */
static void
assert_status (const Run *run, int status)
{
  ck_assert_msg (run->status == status, "exit %d, not %d\nstdout:\n%s\nstderr:\n%s", run->status, status,
                 run->out, run->err);
}

/* Assert that TEXT contains NEEDLE. */
static void
assert_has (const char *text, const char *needle)
{
  ck_assert_msg (strstr (text, needle) != NULL, "\"%s\" not in:\n%s", needle, text);
}

static void
assert_lacks (const char *text, const char *needle)
{
  ck_assert_msg (strstr (text, needle) == NULL, "\"%s\" in:\n%s", needle, text);
}

static const char jane[] = "cllr.jane.smith@northmoor.gov.uk";
static const char obligation_message[] =
  "From: Cllr Jane Smith <cllr.jane.smith@northmoor.gov.uk>\r\n"
  "To: builder@example.org\r\n"
  "Cc: tom.baker@northmoor.gov.uk\r\n"
  "Subject: Fence repairs\r\n"
  "Message-ID: <fence@northmoor.gov.uk>\r\n"
  "\r\n"
  "The council will pay for the fence.\r\n"
  ".A line that starts with a dot.\r\n";

/* Hold MESSAGE from SENDER to RECIPIENTS (NULL: builder and Tom Baker),
 * judged by the engine: the verdict, rules and clauses are its own. */
static CmHold *
hold_message (Env *env, const char *sender, const char *const *recipients, const char *message)
{
  static const char *const two[] = { "builder@example.org", "tom.baker@northmoor.gov.uk", NULL };
  if (recipients == NULL)
    recipients = two;
  g_autoptr (CmConfig) config = cm_config_load (env->config, NULL);
  ck_assert (config != NULL);
  g_autoptr (CmEnvelope) envelope = cm_envelope_new (sender);
  for (guint i = 0; recipients[i]; i++)
    cm_envelope_add_recipient (envelope, recipients[i]);
  g_autoptr (CmVerdict) verdict = test_check (config, envelope, message);
  g_autoptr (GPtrArray) rules = g_ptr_array_new ();
  g_autoptr (GString) clauses = g_string_new (NULL);
  for (guint i = 0; i < verdict->findings->len; i++)
    {
      const CmFinding *f = verdict->findings->pdata[i];
      g_ptr_array_add (rules, (gpointer) f->rule);
      g_string_append_printf (clauses, "%s%s", i ? "; " : "", f->clause);
    }
  if (rules->len == 0)
    g_ptr_array_add (rules, (gpointer) "member-obligation");
  g_ptr_array_add (rules, NULL);
  g_autofree char *json = cm_verdict_to_json (verdict);
  g_autoptr (GMimeStream) stream = g_mime_stream_mem_new_with_buffer (message, strlen (message));
  g_autoptr (GMimeMessage) parsed = NULL;
  {
    g_autoptr (GMimeStream) copy = g_mime_stream_mem_new_with_buffer (message, strlen (message));
    g_autoptr (GMimeParser) parser = g_mime_parser_new_with_stream (copy);
    parsed = g_mime_parser_construct_message (parser, NULL);
  }
  CmHold record = {
    .queue_id = (char *) "4Xyz1AbC",
    .sender = (char *) sender,
    .recipients = (char **) recipients,
    .sender_role = (char *) cm_role_name (verdict->sender_role),
    .subject = parsed ? (char *) g_mime_message_get_subject (parsed) : NULL,
    .rules = (char **) rules->pdata,
    .clauses = clauses->str,
    .verdict_json = json,
  };
  g_autoptr (GError) error = NULL;
  CmHold *hold = cm_holdstore_put (env->store, &record, stream, &error);
  ck_assert_msg (hold != NULL, "put: %s", error ? error->message : "");
  return hold;
}

/* Hold a message with a hand-made verdict: SUBJECT, SENDER of ROLE, RULE. */
static CmHold *
hold_simple (Env *env, const char *sender, const char *role, const char *rule, const char *subject)
{
  static const char *const one[] = { "editor@northmoorgazette.co.uk", NULL };
  const char *const rules[] = { rule, NULL };
  g_autofree char *json = g_strdup_printf (
    "{\"action\": \"hold\", \"checked\": true, \"sender\": {\"address\": \"%s\", \"role\": \"%s\", "
    "\"name\": null}, \"findings\": [{\"rule\": \"%s\", \"action\": \"hold\", \"clause\": "
    "\"South Ribble 16.2\", \"summary\": \"criticism of Tom Baker (Head of Planning) sent to the "
    "press\", \"evidence\": [\"Tom Baker has made a mess of it.\"], \"people\": "
    "[\"tom.baker@northmoor.gov.uk\"]}]}", sender, role, rule);
  g_autofree char *message = g_strdup_printf ("From: %s\nTo: %s\nSubject: %s\n\nTom Baker has made "
                                              "a mess of it.\n", sender, one[0], subject);
  CmHold record = {
    .sender = (char *) sender,
    .recipients = (char **) one,
    .sender_role = (char *) role,
    .subject = (char *) subject,
    .rules = (char **) rules,
    .clauses = (char *) "South Ribble 16.2",
    .verdict_json = json,
  };
  g_autoptr (GMimeStream) stream = g_mime_stream_mem_new_with_buffer (message, strlen (message));
  g_autoptr (GError) error = NULL;
  CmHold *hold = cm_holdstore_put (env->store, &record, stream, &error);
  ck_assert_msg (hold != NULL, "put: %s", error ? error->message : "");
  return hold;
}

/* Run one statement with the integer A and the text B on the spool's index. */
static void
index_sql (Env *env, const char *sql, gint64 a, const char *b)
{
  g_autofree char *path = g_build_filename (env->spool, "index.sqlite", NULL);
  sqlite3 *db = NULL;
  ck_assert_int_eq (sqlite3_open (path, &db), SQLITE_OK);
  sqlite3_busy_timeout (db, 5000);
  sqlite3_stmt *stmt = NULL;
  ck_assert_msg (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL) == SQLITE_OK, "%s", sqlite3_errmsg (db));
  sqlite3_bind_int64 (stmt, 1, a);
  sqlite3_bind_text (stmt, 2, b, -1, SQLITE_TRANSIENT);
  ck_assert_int_eq (sqlite3_step (stmt), SQLITE_DONE);
  sqlite3_finalize (stmt);
  sqlite3_close (db);
}

/* Make hold ID look held SECONDS earlier than it was. */
static void
backdate (Env *env, const char *id, gint64 seconds)
{
  index_sql (env, "UPDATE holds SET held_at = held_at - ?1 WHERE id = ?2", seconds, id);
}

/* The stored record of ID. */
static CmHold *
get (Env *env, const char *id)
{
  g_autoptr (GError) error = NULL;
  CmHold *hold = cm_holdstore_get (env->store, id, &error);
  ck_assert_msg (hold != NULL, "%s", error ? error->message : "");
  return hold;
}

/* Does the audit trail of ID have an event WHAT? */
static gboolean
has_event (Env *env, const char *id, const char *what)
{
  g_autoptr (GPtrArray) events = cm_holdstore_events (env->store, id, 0, NULL);
  ck_assert (events != NULL);
  for (guint i = 0; i < events->len; i++)
    if (strcmp (((CmHoldEvent *) events->pdata[i])->what, what) == 0)
      return TRUE;
  return FALSE;
}

/* The message number I the listener took. */
static SmtpSinkMessage *
received (Env *env, guint i)
{
  ck_assert_uint_gt (smtpsink_count (env->sink), i);
  return env->sink->received->pdata[i];
}

/* The message the listener took, parsed. */
static GMimeMessage *
parse_received (const SmtpSinkMessage *m)
{
  g_autoptr (GMimeStream) stream = g_mime_stream_mem_new_with_buffer (m->data->str, m->data->len);
  g_autoptr (GMimeParser) parser = g_mime_parser_new_with_stream (stream);
  GMimeMessage *message = g_mime_parser_construct_message (parser, NULL);
  ck_assert (message != NULL);
  return message;
}

/* The text of the first text/plain part of MESSAGE. */
static char *
body_text (GMimeMessage *message)
{
  GMimeObject *body = g_mime_message_get_body (message);
  ck_assert (body != NULL && GMIME_IS_TEXT_PART (body));
  return g_mime_text_part_get_text (GMIME_TEXT_PART (body));
}

/* TEXT's lines ending in LF. */
static char *
lf_only (const char *text)
{
  g_auto (GStrv) parts = g_strsplit (text, "\r\n", -1);
  return g_strjoinv ("\n", parts);
}

/* ---- tests --------------------------------------------------------------- */

START_TEST (test_list)
{
  g_autoptr (Env) env = env_new (NULL);
  g_autoptr (Run) empty = run_review (env, "list", NULL);
  assert_status (empty, 0);
  ck_assert_str_eq (empty->out, "nothing held\n");

  g_autoptr (CmHold) a = hold_simple (env, jane, "member", "officer-criticism", "Planning \x1b[31mred");
  g_autoptr (CmHold) b = hold_simple (env, "cllr.raj.patel@northmoor.gov.uk", "member", "disrespect", "Budget");
  g_autoptr (CmHold) c = hold_simple (env, "tom.baker@northmoor.gov.uk", "officer", "officer-political", "Cuts");
  ck_assert (cm_holdstore_decide (env->store, c->id, CM_HOLD_REJECTED, "someone", "no", NULL));
  backdate (env, a->id, 3 * DAY + 4 * 3600 + 60);

  g_autoptr (Run) held = run_review (env, "list", NULL);
  assert_status (held, 0);
  g_auto (GStrv) lines = g_strsplit (held->out, "\n", -1);
  ck_assert_uint_eq (g_strv_length (lines), 4); /* header, two holds, "" */
  ck_assert (g_str_has_prefix (lines[0], "ID"));
  ck_assert (g_str_has_prefix (lines[1], a->id)); /* oldest first */
  assert_has (lines[1], "3d 4h");
  assert_has (lines[1], "held");
  assert_has (lines[1], jane);
  assert_has (lines[1], "editor@northmoorgazette.co.uk");
  assert_has (lines[1], "officer-criticism");
  assert_has (lines[1], "Planning ?[31mred"); /* the escape character replaced */
  assert_lacks (held->out, "\x1b");
  ck_assert (g_str_has_prefix (lines[2], b->id));
  assert_lacks (held->out, c->id);

  g_autoptr (Run) all = run_review (env, "list", "--state", "all", NULL);
  assert_status (all, 0);
  assert_has (all->out, c->id);
  assert_has (all->out, "rejected");
  g_autoptr (Run) rejected = run_review (env, "list", "--state=rejected", NULL);
  assert_has (rejected->out, c->id);
  assert_lacks (rejected->out, a->id);
  g_autoptr (Run) by_sender = run_review (env, "list", "--sender", "RAJ.PATEL", NULL);
  assert_has (by_sender->out, b->id);
  assert_lacks (by_sender->out, a->id);
  g_autoptr (Run) by_rule = run_review (env, "list", "--rule", "officer-criticism", NULL);
  assert_has (by_rule->out, a->id);
  assert_lacks (by_rule->out, b->id);
  g_autoptr (Run) old = run_review (env, "list", "--older-than", "2", NULL);
  assert_has (old->out, a->id);
  assert_lacks (old->out, b->id);
  g_autoptr (Run) none = run_review (env, "list", "--older-than", "4", NULL);
  assert_status (none, 0);
  ck_assert_str_eq (none->out, "no held messages match\n");

  g_autoptr (Run) json = run_review (env, "list", "--state", "all", "--json", NULL);
  assert_status (json, 0);
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (GError) error = NULL;
  ck_assert_msg (json_parser_load_from_data (parser, json->out, -1, &error), "%s", json->out);
  JsonArray *array = json_node_get_array (json_parser_get_root (parser));
  ck_assert_uint_eq (json_array_get_length (array), 3);
  JsonObject *first = json_array_get_object_element (array, 0);
  ck_assert_str_eq (json_object_get_string_member (first, "id"), a->id);
  ck_assert_str_eq (json_object_get_string_member (first, "state"), "held");
  ck_assert_str_eq (json_object_get_string_member (first, "subject"), "Planning \x1b[31mred");
  ck_assert_int_eq (json_object_get_int_member (first, "held_at"), a->held_at - 3 * DAY - 4 * 3600 - 60);
  ck_assert_str_eq (json_object_get_string_member (first, "sender_role"), "member");
  ck_assert_str_eq (json_array_get_string_element (json_object_get_array_member (first, "recipients"), 0),
                    "editor@northmoorgazette.co.uk");
  ck_assert_str_eq (json_array_get_string_element (json_object_get_array_member (first, "rules"), 0),
                    "officer-criticism");
  JsonObject *verdict = json_object_get_object_member (first, "verdict");
  ck_assert_str_eq (json_object_get_string_member (verdict, "action"), "hold");
  ck_assert (!json_object_get_boolean_member (first, "escalated"));
  ck_assert (!json_object_get_boolean_member (first, "release_used"));
  ck_assert (json_object_get_null_member (first, "decided_at"));
  JsonObject *third = json_array_get_object_element (array, 2);
  ck_assert_str_eq (json_object_get_string_member (third, "decided_by"), "someone");
  ck_assert_str_eq (json_object_get_string_member (third, "decision_note"), "no");
  const char *const fields[] = { "queue_id", "sender", "clauses", "explanation", "explained_at", NULL };
  for (guint i = 0; fields[i]; i++)
    ck_assert_msg (json_object_has_member (first, fields[i]), "no %s", fields[i]);

  g_autoptr (Run) empty_json = run_review (env, "list", "--rule", "nothing-such", "--json", NULL);
  assert_status (empty_json, 0);
  ck_assert_str_eq (g_strstrip (empty_json->out), "[]");

  g_autoptr (Run) bad_state = run_review (env, "list", "--state", "lost", NULL);
  assert_status (bad_state, 2);
  assert_has (bad_state->err, "council-review: list: --state");
  g_autoptr (Run) bad_days = run_review (env, "list", "--older-than", "-3", NULL);
  assert_status (bad_days, 2);
}
END_TEST

START_TEST (test_show)
{
  g_autoptr (Env) env = env_new (NULL);
  g_autoptr (CmHold) hold = hold_message (env, jane, NULL, obligation_message);
  ck_assert_msg (hold->clauses && *hold->clauses, "the engine found nothing to hold");
  /* The paragraph's text, from [policy] paragraphs beside the configuration. */
  g_autofree char *first_clause = g_strndup (hold->clauses, strcspn (hold->clauses, ";"));
  g_autofree char *dir = g_path_get_dirname (env->config);
  g_autofree char *paragraphs = g_strdup_printf ("[%s]\ntext=Members must not commit the council "
                                                 "to spending.\n", first_clause);
  g_free (test_write (dir, "paragraphs.conf", paragraphs));
  ck_assert (cm_holdstore_explain (env->store, hold->id, "The leader asked me to\x07 write.", NULL));

  g_autoptr (Run) run = run_review (env, "show", hold->id, NULL);
  assert_status (run, 0);
  assert_has (run->out, hold->id);
  assert_has (run->out, "held, waiting for review");
  assert_has (run->out, "cllr.jane.smith@northmoor.gov.uk (member)");
  assert_has (run->out, "builder@example.org");
  assert_has (run->out, "tom.baker@northmoor.gov.uk");
  assert_has (run->out, "Fence repairs");
  assert_has (run->out, "4Xyz1AbC");
  assert_has (run->out, first_clause);
  assert_has (run->out, "member-obligation");
  assert_has (run->out, "> The council will pay for the fence.");
  assert_has (run->out, "Members must not commit the council to spending.");
  assert_has (run->out, "The leader asked me to? write.");
  assert_has (run->out, "The message's text\n  The council will pay for the fence.\n");
  g_autofree char *path = cm_holdstore_message_path (env->store, hold->id);
  assert_has (run->out, path);
  assert_lacks (run->out, "(missing)");
  assert_has (run->out, "council-milter  held");
  assert_has (run->out, "explained");
  assert_lacks (run->out, "\x07");

  /* An HTML-only message is shown as text; a missing file is said. */
  const char html[] = "From: cllr.jane.smith@northmoor.gov.uk\nTo: builder@example.org\n"
                      "Subject: HTML\nContent-Type: text/html; charset=utf-8\n\n"
                      "<html><body><p>The council will pay for the <b>fence</b>.</p>"
                      "<script>alert(1)</script></body></html>\n";
  g_autoptr (CmHold) other = hold_message (env, jane, NULL, html);
  g_autoptr (Run) shown = run_review (env, "show", other->id, NULL);
  assert_status (shown, 0);
  assert_has (shown->out, "  The council will pay for the fence.\n");
  assert_lacks (shown->out, "<b>");
  assert_lacks (shown->out, "alert");
  g_autofree char *other_path = cm_holdstore_message_path (env->store, other->id);
  ck_assert_int_eq (g_unlink (other_path), 0);
  g_autoptr (Run) missing = run_review (env, "show", other->id, NULL);
  assert_status (missing, 0);
  assert_has (missing->out, "(missing)");
  assert_has (missing->out, "the message file is missing");
}
END_TEST

START_TEST (test_release)
{
  g_autoptr (Env) env = env_new (NULL);
  g_autoptr (CmHold) hold = hold_message (env, jane, NULL, obligation_message);
  g_autoptr (Run) run = run_review (env, "release", hold->id, "--note", "Agreed with the leader", NULL);
  assert_status (run, 0);
  assert_has (run->out, "released");
  assert_has (run->out, "2 recipients");

  ck_assert_uint_eq (smtpsink_count (env->sink), 1);
  SmtpSinkMessage *m = received (env, 0);
  ck_assert_str_eq (m->sender, jane);
  ck_assert_uint_eq (m->recipients->len, 2);
  ck_assert_str_eq (m->recipients->pdata[0], "builder@example.org");
  ck_assert_str_eq (m->recipients->pdata[1], "tom.baker@northmoor.gov.uk");
  /* The marker first, then the message exactly as held. */
  const char *newline = strchr (m->data->str, '\n');
  ck_assert (newline != NULL);
  g_autofree char *marker = g_strndup (m->data->str, (gsize) (newline - m->data->str));
  g_autofree char *prefix = g_strdup_printf ("X-Council-Protocol-Release: %s ", hold->id);
  ck_assert_msg (g_str_has_prefix (marker, prefix), "%s", marker);
  ck_assert (cm_holdstore_token_valid (env->store, "release", hold->id, marker + strlen (prefix)));
  g_autofree char *expected = lf_only (obligation_message);
  g_autofree char *with_extra_line = g_strconcat (expected, "\n", NULL);
  ck_assert_msg (strcmp (newline + 1, expected) == 0 || strcmp (newline + 1, with_extra_line) == 0,
                 "%s", newline + 1);

  g_autoptr (CmHold) after = get (env, hold->id);
  ck_assert_int_eq (after->state, CM_HOLD_RELEASED);
  ck_assert_str_eq (after->decided_by, REVIEWER);
  ck_assert_str_eq (after->decision_note, "Agreed with the leader");
  /* The daemon honours the marker once. */
  ck_assert (cm_holdstore_claim_release (env->store, hold->id, marker + strlen (prefix), NULL));

  g_autoptr (Run) again = run_review (env, "release", hold->id, NULL);
  assert_status (again, 1);
  assert_has (again->err, "already released by " REVIEWER);
  ck_assert_uint_eq (smtpsink_count (env->sink), 1);

  /* A message whose file has gone is not released at all. */
  g_autoptr (CmHold) lost = hold_message (env, jane, NULL, obligation_message);
  g_autofree char *path = cm_holdstore_message_path (env->store, lost->id);
  ck_assert_int_eq (g_unlink (path), 0);
  g_autoptr (Run) missing = run_review (env, "release", lost->id, NULL);
  assert_status (missing, 1);
  assert_has (missing->err, "is missing");
  g_autoptr (CmHold) still = get (env, lost->id);
  ck_assert_int_eq (still->state, CM_HOLD_HELD);
  ck_assert (!has_event (env, lost->id, "released"));
}
END_TEST

START_TEST (test_release_listener_down)
{
  g_autoptr (Env) env = env_new (NULL);
  g_autoptr (CmHold) hold = hold_message (env, jane, NULL, obligation_message);
  smtpsink_down (env->sink);
  g_autoptr (Run) run = run_review (env, "release", hold->id, NULL);
  assert_status (run, 1);
  assert_has (run->err, "not released");
  assert_has (run->err, "held again");
  g_autoptr (CmHold) after = get (env, hold->id);
  ck_assert_int_eq (after->state, CM_HOLD_HELD);
  ck_assert (has_event (env, hold->id, "released"));
  ck_assert (has_event (env, hold->id, "release-failed"));

  /* A 5xx for a recipient: the same. */
  smtpsink_up (env->sink);
  smtpsink_set_rcpt_reply (env->sink, "550 5.1.1 No such user");
  g_autoptr (Run) refused = run_review (env, "release", hold->id, NULL);
  assert_status (refused, 1);
  assert_has (refused->err, "5.1.1 No such user");
  g_autoptr (CmHold) still = get (env, hold->id);
  ck_assert_int_eq (still->state, CM_HOLD_HELD);

  /* The listener back: released after all. */
  smtpsink_set_rcpt_reply (env->sink, NULL);
  g_autoptr (Run) ok = run_review (env, "release", hold->id, NULL);
  assert_status (ok, 0);
  ck_assert_uint_eq (smtpsink_count (env->sink), 1);
}
END_TEST

START_TEST (test_reject)
{
  g_autoptr (Env) env = env_new (NULL);
  g_autoptr (CmHold) hold = hold_message (env, jane, NULL, obligation_message);
  g_autoptr (Run) no_reason = run_review (env, "reject", hold->id, NULL);
  assert_status (no_reason, 2);
  assert_has (no_reason->err, "--reason is required");

  g_autoptr (Run) run = run_review (env, "reject", hold->id, "--reason",
                                    "Only the Director of Finance may agree to pay for repairs.", NULL);
  assert_status (run, 0);
  assert_has (run->out, "rejected");
  assert_has (run->out, "notice sent to " "cllr.jane.smith@northmoor.gov.uk");
  ck_assert_uint_eq (smtpsink_count (env->sink), 1);
  SmtpSinkMessage *m = received (env, 0);
  ck_assert_str_eq (m->sender, "");
  ck_assert_uint_eq (m->recipients->len, 1);
  ck_assert_str_eq (m->recipients->pdata[0], jane);
  /* The reason as written, on one line of the mail as sent (searchable). */
  assert_has (m->data->str, "\n  Only the Director of Finance may agree to pay for repairs.\n");
  g_autoptr (GMimeMessage) notice = parse_received (m);
  ck_assert_str_eq (g_mime_message_get_subject (notice),
                    "Member/Officer Protocol: your message \"Fence repairs\" was not sent");
  ck_assert_str_eq (g_mime_object_get_header (GMIME_OBJECT (notice), "Auto-Submitted"), "auto-generated");
  g_autofree char *from = internet_address_list_to_string (g_mime_message_get_from (notice), NULL, FALSE);
  ck_assert_str_eq (from, "Member/Officer Protocol <protocol@northmoor.gov.uk>");
  g_autofree char *text = body_text (notice);
  g_autofree char *unfolded = g_strdelimit (g_strdup (text), "\n", ' ');
  assert_has (unfolded, "Only the Director of Finance may agree to pay for repairs.");
  assert_has (unfolded, "Fence repairs");
  assert_has (text, "  builder@example.org\n");
  assert_has (text, "member-obligation");
  assert_has (unfolded, "The council will pay for the fence.");
  assert_has (unfolded, "None of the recipients has received this message.");

  g_autoptr (CmHold) after = get (env, hold->id);
  ck_assert_int_eq (after->state, CM_HOLD_REJECTED);
  ck_assert_str_eq (after->decided_by, REVIEWER);
  ck_assert (has_event (env, hold->id, "notified"));

  g_autoptr (Run) again = run_review (env, "reject", hold->id, "--reason", "again", NULL);
  assert_status (again, 1);
  assert_has (again->err, "already rejected by " REVIEWER);
  ck_assert_uint_eq (smtpsink_count (env->sink), 1);

  /* Never a notice outside the council (no backscatter). */
  g_autoptr (CmHold) outside = hold_simple (env, "someone@example.org", "external", "disrespect", "Hi");
  g_autoptr (Run) quiet = run_review (env, "reject", outside->id, "--reason", "Abusive.", NULL);
  assert_status (quiet, 0);
  assert_has (quiet->out, "outside the council");
  ck_assert_uint_eq (smtpsink_count (env->sink), 1);
  g_autoptr (CmHold) outside_after = get (env, outside->id);
  ck_assert_int_eq (outside_after->state, CM_HOLD_REJECTED);
}
END_TEST

START_TEST (test_reject_notice_kept)
{
  g_autoptr (Env) env = env_new (NULL);
  g_autoptr (CmHold) hold = hold_message (env, jane, NULL, obligation_message);
  smtpsink_down (env->sink);
  g_autoptr (Run) run = run_review (env, "reject", hold->id, "--reason", "No.", NULL);
  assert_status (run, 0);
  assert_has (run->out, "kept in the outbox");
  g_autofree char *outbox = g_build_filename (env->spool, "outbox", NULL);
  g_autoptr (GDir) dir = g_dir_open (outbox, 0, NULL);
  guint files = 0;
  const char *name;
  while ((name = g_dir_read_name (dir)))
    {
      g_autofree char *path = g_build_filename (outbox, name, NULL);
      files += g_file_test (path, G_FILE_TEST_IS_REGULAR);
    }
  ck_assert_uint_eq (files, 1);
}
END_TEST

START_TEST (test_release_and_reject_race)
{
  g_autoptr (Env) env = env_new (NULL);
  for (guint round = 0; round < 3; round++)
    {
      g_autoptr (CmHold) hold = hold_message (env, jane, NULL, obligation_message);
      const char *const release[] = { "release", hold->id, NULL };
      const char *const reject[] = { "reject", hold->id, "--reason", "No.", NULL };
      g_autoptr (GSubprocess) one = spawn (env, release);
      g_autoptr (GSubprocess) two = spawn (env, reject);
      g_autoptr (Run) released = finish (one);
      g_autoptr (Run) rejected = finish (two);
      ck_assert_msg ((released->status == 0) != (rejected->status == 0),
                     "release %d (%s), reject %d (%s)", released->status, released->err,
                     rejected->status, rejected->err);
      ck_assert_int_eq (released->status + rejected->status, 1);
      g_autoptr (CmHold) after = get (env, hold->id);
      ck_assert_int_eq (after->state, released->status == 0 ? CM_HOLD_RELEASED : CM_HOLD_REJECTED);
      assert_has (released->status ? released->err : rejected->err, "already");
    }
}
END_TEST

START_TEST (test_expire_returns)
{
  g_autoptr (Env) env = env_new ("expire-days=1");
  g_autoptr (CmHold) old = hold_message (env, jane, NULL, obligation_message);
  g_autoptr (CmHold) recent = hold_message (env, jane, NULL, obligation_message);
  g_autoptr (CmHold) outside = hold_simple (env, "someone@example.org", "external", "disrespect", "Hi");
  backdate (env, old->id, DAY + 60);
  backdate (env, outside->id, 2 * DAY);

  g_autoptr (Run) dry = run_review (env, "expire", "--dry-run", NULL);
  assert_status (dry, 0);
  g_autofree char *would = g_strdup_printf ("would expire %s\n", old->id);
  assert_has (dry->out, would);
  assert_lacks (dry->out, recent->id);
  g_autoptr (CmHold) unchanged = get (env, old->id);
  ck_assert_int_eq (unchanged->state, CM_HOLD_HELD);
  ck_assert_uint_eq (smtpsink_count (env->sink), 0);

  g_autoptr (Run) run = run_review (env, "expire", NULL);
  assert_status (run, 0);
  g_autofree char *line = g_strdup_printf ("expired %s: not reviewed within 1 day", old->id);
  assert_has (run->out, line);
  assert_has (run->out, outside->id);
  assert_lacks (run->out, recent->id);
  g_autoptr (CmHold) after = get (env, old->id);
  ck_assert_int_eq (after->state, CM_HOLD_EXPIRED);
  ck_assert_str_eq (after->decided_by, "council-review expire");
  ck_assert_str_eq (after->decision_note, "not reviewed within 1 day");
  g_autoptr (CmHold) still = get (env, recent->id);
  ck_assert_int_eq (still->state, CM_HOLD_HELD);
  /* One notice: to the council sender, none outside. */
  ck_assert_uint_eq (smtpsink_count (env->sink), 1);
  SmtpSinkMessage *m = received (env, 0);
  ck_assert_str_eq (m->recipients->pdata[0], jane);
  g_autoptr (GMimeMessage) notice = parse_received (m);
  g_autofree char *text = body_text (notice);
  g_autofree char *unfolded = g_strdelimit (g_strdup (text), "\n", ' ');
  assert_has (unfolded, "not reviewed within 1 day");

  g_autoptr (Run) nothing = run_review (env, "expire", NULL);
  assert_status (nothing, 0);
  ck_assert_str_eq (nothing->out, "");
}
END_TEST

START_TEST (test_expire_escalates)
{
  g_autoptr (Env) env = env_new ("expire-days=2\nexpire=escalate\ndeputy=Linda Carter <linda.carter@northmoor.gov.uk>");
  g_autoptr (CmHold) hold = hold_message (env, jane, NULL, obligation_message);
  backdate (env, hold->id, 3 * DAY);
  g_autoptr (Run) run = run_review (env, "expire", NULL);
  assert_status (run, 0);
  g_autofree char *line = g_strdup_printf ("escalated %s", hold->id);
  assert_has (run->out, line);
  g_autoptr (CmHold) after = get (env, hold->id);
  ck_assert_int_eq (after->state, CM_HOLD_HELD);
  ck_assert (after->escalated);

  ck_assert_uint_eq (smtpsink_count (env->sink), 1);
  SmtpSinkMessage *m = received (env, 0);
  ck_assert_str_eq (m->sender, "");
  ck_assert_str_eq (m->recipients->pdata[0], "linda.carter@northmoor.gov.uk");
  g_autoptr (GMimeMessage) mail = parse_received (m);
  assert_has (g_mime_message_get_subject (mail), "Fence repairs");
  GMimeObject *top = g_mime_message_get_mime_part (mail);
  ck_assert (GMIME_IS_MULTIPART (top));
  ck_assert_int_eq (g_mime_multipart_get_count (GMIME_MULTIPART (top)), 2);
  GMimeObject *text_part = g_mime_multipart_get_part (GMIME_MULTIPART (top), 0);
  g_autofree char *text = g_mime_text_part_get_text (GMIME_TEXT_PART (text_part));
  g_autofree char *unfolded = g_strdelimit (g_strdup (text), "\n", ' ');
  assert_has (text, hold->id);
  assert_has (unfolded, "passed to you as deputy");
  assert_has (text, "member-obligation");
  assert_has (text, "> The council will pay for the fence.");
  g_autofree char *release_command = g_strdup_printf ("council-review -c %s release %s", env->config, hold->id);
  assert_has (text, release_command);
  GMimeObject *attached = g_mime_multipart_get_part (GMIME_MULTIPART (top), 1);
  ck_assert (GMIME_IS_MESSAGE_PART (attached));
  GMimeMessage *inner = g_mime_message_part_get_message (GMIME_MESSAGE_PART (attached));
  ck_assert_str_eq (g_mime_message_get_subject (inner), "Fence repairs");

  /* The deputy has as many days again: nothing now ... */
  g_autoptr (Run) soon = run_review (env, "expire", NULL);
  assert_status (soon, 0);
  ck_assert_str_eq (soon->out, "");
  ck_assert_uint_eq (smtpsink_count (env->sink), 1);
  /* ... and when they have passed, it is returned. */
  index_sql (env, "UPDATE events SET at = at - ?1 WHERE hold_id = ?2", 3 * DAY, hold->id);
  g_autoptr (Run) late = run_review (env, "expire", NULL);
  assert_status (late, 0);
  g_autofree char *expired = g_strdup_printf ("expired %s", hold->id);
  assert_has (late->out, expired);
  g_autoptr (CmHold) final = get (env, hold->id);
  ck_assert_int_eq (final->state, CM_HOLD_EXPIRED);
  ck_assert_uint_eq (smtpsink_count (env->sink), 2);
  ck_assert_str_eq (received (env, 1)->recipients->pdata[0], jane);
}
END_TEST

START_TEST (test_digest)
{
  g_autoptr (Env) env = env_new (NULL);
  g_autoptr (Run) empty = run_review (env, "digest", NULL);
  assert_status (empty, 0);
  ck_assert_str_eq (empty->out, "nothing held\n");
  ck_assert_uint_eq (smtpsink_count (env->sink), 0);

  g_autoptr (CmHold) first = hold_message (env, jane, NULL, obligation_message);
  g_autoptr (CmHold) second = hold_simple (env, "cllr.raj.patel@northmoor.gov.uk", "member", "disrespect", "Budget");
  g_autoptr (CmHold) decided = hold_simple (env, jane, "member", "disrespect", "Decided");
  ck_assert (cm_holdstore_decide (env->store, decided->id, CM_HOLD_RELEASED, "x", NULL, NULL));
  ck_assert (cm_holdstore_explain (env->store, second->id, "Because.", NULL));
  backdate (env, first->id, 2 * DAY);
  g_autoptr (Run) run = run_review (env, "digest", NULL);
  assert_status (run, 0);
  assert_has (run->out, "2 held messages sent to peter.ward@northmoor.gov.uk");
  ck_assert_uint_eq (smtpsink_count (env->sink), 1);
  SmtpSinkMessage *m = received (env, 0);
  ck_assert_str_eq (m->recipients->pdata[0], "peter.ward@northmoor.gov.uk");
  g_autoptr (GMimeMessage) mail = parse_received (m);
  assert_has (g_mime_message_get_subject (mail), "2 messages held for your review");
  ck_assert_str_eq (g_mime_object_get_header (GMIME_OBJECT (mail), "Auto-Submitted"), "auto-generated");
  g_autofree char *text = body_text (mail);
  const char *at_first = strstr (text, first->id), *at_second = strstr (text, second->id);
  ck_assert (at_first && at_second && at_first < at_second);
  assert_lacks (text, decided->id);
  assert_has (text, "Fence repairs");
  assert_has (text, "(+1 more)");
  assert_has (text, "The sender has explained");
  assert_has (text, "release ID");

  /* Without [hold] monitoring-officer: the directory's. */
  g_autofree char *keys = g_strdup_printf ("[hold]\nspool=%s\n[notify]\nsmtp=%s\n", env->spool,
                                           env->sink->hostport);
  g_free (env->config);
  env->config = test_config_variant (keys, NULL);
  g_autoptr (Run) directory = run_review (env, "digest", NULL);
  assert_status (directory, 0);
  ck_assert_uint_eq (smtpsink_count (env->sink), 2);
  ck_assert_str_eq (received (env, 1)->recipients->pdata[0], "monitoring.officer@northmoor.gov.uk");

  /* Nobody at all: said, and nothing sent. */
  g_autofree char *example = test_srcdir ("config/directory.conf");
  g_autofree char *people = NULL;
  ck_assert (g_file_get_contents (example, &people, NULL, NULL));
  g_autoptr (GRegex) line = g_regex_new ("^monitoring-officer=.*$", G_REGEX_MULTILINE, 0, NULL);
  g_autofree char *without = g_regex_replace_literal (line, people, -1, 0, "", 0, NULL);
  g_free (env->config);
  env->config = test_config_variant (keys, without);
  g_autoptr (Run) nobody = run_review (env, "digest", NULL);
  assert_status (nobody, 1);
  assert_has (nobody->err, "no Monitoring Officer is set");
  ck_assert_uint_eq (smtpsink_count (env->sink), 2);
}
END_TEST

START_TEST (test_audit)
{
  g_autoptr (Env) env = env_new (NULL);
  g_autoptr (CmHold) a = hold_message (env, jane, NULL, obligation_message);
  g_autoptr (CmHold) b = hold_simple (env, "cllr.raj.patel@northmoor.gov.uk", "member", "disrespect", "Budget");
  g_autoptr (Run) rejected = run_review (env, "reject", b->id, "--reason", "Too\nrude.", NULL);
  assert_status (rejected, 0);

  g_autoptr (Run) all = run_review (env, "audit", NULL);
  assert_status (all, 0);
  g_auto (GStrv) lines = g_strsplit (g_strchomp (all->out), "\n", -1);
  ck_assert_uint_eq (g_strv_length (lines), 4); /* held, held, rejected, notified */
  ck_assert (g_regex_match_simple ("^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z  ", lines[0], 0, 0));
  g_autofree char *held = g_strdup_printf ("  %s  council-milter  held  ", a->id);
  assert_has (lines[0], held);
  g_autofree char *decision = g_strdup_printf ("  %s  " REVIEWER "  rejected  Too rude.", b->id);
  assert_has (lines[2], decision);
  assert_has (lines[3], "notified");

  g_autoptr (Run) one = run_review (env, "audit", b->id, NULL);
  assert_status (one, 0);
  assert_lacks (one->out, a->id);
  assert_has (one->out, "rejected");
  g_autoptr (Run) later = run_review (env, "audit", "--since", "2999-01-01", NULL);
  assert_status (later, 0);
  ck_assert_str_eq (later->out, "");
  g_autoptr (Run) since = run_review (env, "audit", "--since", "2000-01-01", a->id, NULL);
  assert_has (since->out, a->id);
  g_autoptr (Run) bad_date = run_review (env, "audit", "--since", "2026-02-30", NULL);
  assert_status (bad_date, 2);
  g_autoptr (Run) unknown = run_review (env, "audit", "20000101-000000-abcdef", NULL);
  assert_status (unknown, 1);
}
END_TEST

START_TEST (test_report)
{
  g_autoptr (Env) env = env_new (NULL);
  g_autoptr (CmHold) a = hold_simple (env, jane, "member", "officer-criticism", "A");
  g_autoptr (CmHold) b = hold_simple (env, "cllr.raj.patel@northmoor.gov.uk", "member", "officer-criticism", "B");
  g_autoptr (CmHold) c = hold_simple (env, "tom.baker@northmoor.gov.uk", "officer", "officer-political", "C");
  g_autoptr (CmHold) d = hold_simple (env, jane, "member", "disrespect", "D");
  ck_assert (cm_holdstore_decide (env->store, b->id, CM_HOLD_RELEASED, "x", NULL, NULL));
  ck_assert (cm_holdstore_decide (env->store, c->id, CM_HOLD_REJECTED, "x", "no", NULL));
  backdate (env, d->id, 400 * DAY); /* before the period */
  g_autoptr (GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr (GDateTime) month_ago = g_date_time_add_days (now, -30);
  g_autofree char *since = g_date_time_format (month_ago, "%Y-%m-%d");
  g_autofree char *until = g_date_time_format (now, "%Y-%m-%d");

  g_autoptr (Run) json = run_review (env, "report", "--since", since, "--until", until, "--json", NULL);
  assert_status (json, 0);
  g_autoptr (JsonParser) parser = json_parser_new ();
  ck_assert_msg (json_parser_load_from_data (parser, json->out, -1, NULL), "%s", json->out);
  JsonObject *report = json_node_get_object (json_parser_get_root (parser));
  ck_assert_int_eq (json_object_get_int_member (report, "total"), 3);
  ck_assert_str_eq (json_object_get_string_member (report, "since"), since);
  JsonObject *by_rule = json_object_get_object_member (report, "by_rule");
  ck_assert_int_eq (json_object_get_int_member (by_rule, "officer-criticism"), 2);
  ck_assert_int_eq (json_object_get_int_member (by_rule, "officer-political"), 1);
  ck_assert (!json_object_has_member (by_rule, "disrespect"));
  JsonObject *by_outcome = json_object_get_object_member (report, "by_outcome");
  ck_assert_int_eq (json_object_get_int_member (by_outcome, "held"), 1);
  ck_assert_int_eq (json_object_get_int_member (by_outcome, "released"), 1);
  ck_assert_int_eq (json_object_get_int_member (by_outcome, "rejected"), 1);
  ck_assert_int_eq (json_object_get_int_member (by_outcome, "expired"), 0);
  JsonObject *by_role = json_object_get_object_member (report, "by_role");
  ck_assert_int_eq (json_object_get_int_member (by_role, "member"), 2);
  ck_assert_int_eq (json_object_get_int_member (by_role, "officer"), 1);
  ck_assert_int_eq (json_object_get_int_member (by_role, "external"), 0);

  g_autoptr (Run) text = run_review (env, "report", "--since", since, NULL);
  assert_status (text, 0);
  assert_has (text->out, ": 3\n");
  ck_assert (g_regex_match_simple ("officer-criticism +2\n", text->out, 0, 0));
  ck_assert (g_regex_match_simple ("withdrawn +0\n", text->out, 0, 0));
  g_autoptr (Run) all_time = run_review (env, "report", "--since", "2000-01-01", "--json", NULL);
  assert_status (all_time, 0);
  g_autoptr (JsonParser) all_parser = json_parser_new ();
  ck_assert_msg (json_parser_load_from_data (all_parser, all_time->out, -1, NULL), "%s", all_time->out);
  JsonObject *all_report = json_node_get_object (json_parser_get_root (all_parser));
  ck_assert_int_eq (json_object_get_int_member (all_report, "total"), 4);
  ck_assert (json_object_get_null_member (all_report, "until"));

  g_autoptr (Run) no_since = run_review (env, "report", NULL);
  assert_status (no_since, 2);
  g_autoptr (Run) backwards = run_review (env, "report", "--since", until, "--until", "2000-01-01", NULL);
  assert_status (backwards, 2);
  g_autoptr (Run) bad = run_review (env, "report", "--since", "yesterday", NULL);
  assert_status (bad, 2);
}
END_TEST

START_TEST (test_usage)
{
  g_autoptr (Env) env = env_new (NULL);
  const char *const *cases[] = {
    (const char *const[]) { NULL },
    (const char *const[]) { "frobnicate", NULL },
    (const char *const[]) { "show", NULL },
    (const char *const[]) { "show", "a", "b", NULL },
    (const char *const[]) { "release", NULL },
    (const char *const[]) { "list", "extra", NULL },
    (const char *const[]) { "list", "--bogus", NULL },
    (const char *const[]) { "reject", "20000101-000000-abcdef", "--reason", "  ", NULL },
    (const char *const[]) { "digest", "now", NULL },
    (const char *const[]) { "--bogus", "list", NULL },
  };
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (GSubprocess) process = spawn (env, cases[i]);
      g_autoptr (Run) run = finish (process);
      ck_assert_msg (run->status == 2, "case %u: exit %d: %s", i, run->status, run->err);
      ck_assert_msg (g_str_has_prefix (run->err, "council-review: "), "case %u: %s", i, run->err);
      ck_assert_str_eq (run->out, "");
    }
  g_autoptr (Run) unknown = run_review (env, "show", "20000101-000000-abcdef", NULL);
  assert_status (unknown, 1);
  assert_has (unknown->err, "council-review: no held message has the id 20000101-000000-abcdef");
  g_autoptr (Run) malformed = run_review (env, "release", "../../etc/passwd", NULL);
  assert_status (malformed, 1);
  g_autoptr (Run) unknown_reject = run_review (env, "reject", "20000101-000000-abcdef", "--reason", "x", NULL);
  assert_status (unknown_reject, 1);

  g_free (env->config);
  env->config = g_strdup ("/nonexistent/council-milter.conf");
  g_autoptr (Run) no_config = run_review (env, "list", NULL);
  assert_status (no_config, 2);
  assert_has (no_config->err, "/nonexistent/council-milter.conf");
}
END_TEST

int
main (void)
{
  cm_policy_init ();
  Suite *suite = suite_create ("review");
  TCase *tc = tcase_create ("review");
  tcase_set_timeout (tc, 60);
  tcase_add_test (tc, test_list);
  tcase_add_test (tc, test_show);
  tcase_add_test (tc, test_release);
  tcase_add_test (tc, test_release_listener_down);
  tcase_add_test (tc, test_reject);
  tcase_add_test (tc, test_reject_notice_kept);
  tcase_add_test (tc, test_release_and_reject_race);
  tcase_add_test (tc, test_expire_returns);
  tcase_add_test (tc, test_expire_escalates);
  tcase_add_test (tc, test_digest);
  tcase_add_test (tc, test_audit);
  tcase_add_test (tc, test_report);
  tcase_add_test (tc, test_usage);
  suite_add_tcase (suite, tc);
  return test_run (suite);
}
