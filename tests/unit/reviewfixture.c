/*
 * reviewfixture.c: the council-review tests' shared fixtures
 * (reviewfixture.h).
 */
#include "config.h"

#include <string.h>
#include <gio/gio.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <sqlite3.h>

#include "reviewfixture.h"
#include "settings.h"

void
env_free (Env *env)
{
  cm_holdstore_close (env->store);
  smtpsink_free (env->sink);
  g_free (env->spool);
  g_free (env->config);
  g_free (env);
}

void
run_free (Run *run)
{
  g_free (run->out);
  g_free (run->err);
  g_free (run);
}

/* A spool, a listener that is up, and a configuration naming both, with
 * the [hold] and [notify] keys of EXTRA (key-file text) added. */
Env *
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
GSubprocess *
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
Run *
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
Run *
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
void
assert_status (const Run *run, int status)
{
  ck_assert_msg (run->status == status, "exit %d, not %d\nstdout:\n%s\nstderr:\n%s", run->status, status,
                 run->out, run->err);
}

/* Assert that TEXT contains NEEDLE. */
void
assert_has (const char *text, const char *needle)
{
  ck_assert_msg (strstr (text, needle) != NULL, "\"%s\" not in:\n%s", needle, text);
}

void
assert_lacks (const char *text, const char *needle)
{
  ck_assert_msg (strstr (text, needle) == NULL, "\"%s\" in:\n%s", needle, text);
}

const char jane[] = "cllr.jane.smith@northmoor.gov.uk";
const char obligation_message[] =
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
CmHold *
hold_message (Env *env, const char *sender, const char *const *recipients, const char *message)
{
  static const char *const two[] = { "builder@example.org", "tom.baker@northmoor.gov.uk", NULL };
  if (recipients == NULL)
    recipients = two;
  g_autoptr (CmConfig) config = cm_daemon_config_load (env->config, NULL);
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
CmHold *
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
void
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
void
backdate (Env *env, const char *id, gint64 seconds)
{
  index_sql (env, "UPDATE holds SET held_at = held_at - ?1 WHERE id = ?2", seconds, id);
}

/* The stored record of ID. */
CmHold *
get (Env *env, const char *id)
{
  g_autoptr (GError) error = NULL;
  CmHold *hold = cm_holdstore_get (env->store, id, &error);
  ck_assert_msg (hold != NULL, "%s", error ? error->message : "");
  return hold;
}

/* Does the audit trail of ID have an event WHAT? */
gboolean
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
SmtpSinkMessage *
received (Env *env, guint i)
{
  ck_assert_uint_gt (smtpsink_count (env->sink), i);
  return env->sink->received->pdata[i];
}

/* The message the listener took, parsed. */
GMimeMessage *
parse_received (const SmtpSinkMessage *m)
{
  g_autoptr (GMimeStream) stream = g_mime_stream_mem_new_with_buffer (m->data->str, m->data->len);
  g_autoptr (GMimeParser) parser = g_mime_parser_new_with_stream (stream);
  GMimeMessage *message = g_mime_parser_construct_message (parser, NULL);
  ck_assert (message != NULL);
  return message;
}

/* The text of the first text/plain part of MESSAGE. */
char *
body_text (GMimeMessage *message)
{
  GMimeObject *body = g_mime_message_get_body (message);
  ck_assert (body != NULL && GMIME_IS_TEXT_PART (body));
  return g_mime_text_part_get_text (GMIME_TEXT_PART (body));
}

/* TEXT's lines ending in LF. */
char *
lf_only (const char *text)
{
  g_auto (GStrv) parts = g_strsplit (text, "\r\n", -1);
  return g_strjoinv ("\n", parts);
}
