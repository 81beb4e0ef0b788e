/*
 * test_config.c: council-milter.conf: defaults, checks, errors with
 * FILE:LINE, rule actions, scope, reference counting; the typed
 * structures of the engine's keys and the daemon's (keytable.h).
 */
#include "config.h"

#include <string.h>

#include "configuration.h"
#include "testutil.h"
#include "settings.h"

/* Load a variant of the example with EXTRA appended; return its error. */
static char *
variant_error (const char *extra)
{
  g_autofree char *path = test_config_variant (extra, NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (CmConfig) config = cm_daemon_config_load (path, &error);
  if (config)
    return NULL;
  return g_strdup (error->message);
}

/* An addition to the example and the error it must give. */
typedef struct {
  const char *extra;
  const char *expected;
} VariantCase;

/* Each case's addition makes the load fail with its error, at FILE:LINE. */
static void
expect_variant_errors (const VariantCase *cases, guint n)
{
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *message = variant_error (cases[i].extra);
      ck_assert_msg (message && strstr (message, cases[i].expected), "case %u: %s", i,
                     message ? message : "(loaded)");
      ck_assert_msg (strstr (message, "council-milter.conf:"), "no file:line in %s", message);
    }
}

START_TEST (test_example_loads)
{
  g_autoptr (CmConfig) config = test_example_config ();
  ck_assert_int_eq (cm_config_mode (config), CM_MODE_ENFORCE);
  ck_assert_str_eq (cm_config_get (config, "milter", "on-error"), "tempfail");
  ck_assert_int_eq (cm_config_get_int (config, "milter", "crash-hold-hours"), 24);
  ck_assert_int_eq (cm_config_get_int (config, "policy", "max-scan-size"), 10485760);
  ck_assert_int_eq (cm_config_get_int (config, "hold", "expire-days"), 5);
  ck_assert_int_eq (cm_config_rule_action (config, "bcc-member"), CM_ACTION_WARN);
  ck_assert_int_eq (cm_config_rule_action (config, "officer-criticism"), CM_ACTION_HOLD);
  ck_assert_int_eq (cm_config_rule_action (config, "member-obligation"), CM_ACTION_HOLD);
  /* Relative paths are taken from the configuration file's directory. */
  const char *directory = cm_config_get (config, "milter", "directory");
  ck_assert (g_path_is_absolute (directory));
  ck_assert (g_str_has_suffix (directory, "/config/directory.conf"));
  g_autofree char *described = cm_config_describe (config);
  ck_assert_msg (strstr (described, "7 members, 7 named officers"), "%s", described);
}
END_TEST

START_TEST (test_defaults_without_keys)
{
  g_autofree char *dir = test_scratch_dir ();
  g_autofree char *example_dir = test_srcdir ("config/directory.conf");
  g_autofree char *lexicon = test_srcdir ("config/lexicon");
  g_autofree char *text = g_strdup_printf ("[milter]\ndirectory=%s\n[policy]\nlexicon=%s\n",
                                           example_dir, lexicon);
  g_autofree char *path = test_write (dir, "minimal.conf", text);
  g_autoptr (GError) error = NULL;
  g_autoptr (CmConfig) config = cm_daemon_config_load (path, &error);
  ck_assert_msg (config != NULL, "%s", error ? error->message : "");
  ck_assert_str_eq (cm_config_get (config, "milter", "socket"), "unix:/run/council-milter/council-milter.sock");
  ck_assert_str_eq (cm_config_get (config, "milter", "mode"), "enforce");
  ck_assert_int_eq (cm_config_get_int (config, "milter", "crash-hold-hours"), 24);
  ck_assert_str_eq (cm_config_get (config, "notify", "smtp"), "127.0.0.1:10026");
  ck_assert_ptr_null (cm_config_get (config, "notify", "from"));
  ck_assert_int_eq (cm_config_rule_action (config, "bcc-member"), CM_ACTION_WARN);
}
END_TEST

START_TEST (test_bad_values_name_line)
{
  VariantCase cases[] = {
    { "[rule:bcc-member]\naction=maybe", "[rule:bcc-member] action: \"maybe\" is not one of off, tag, warn, disclose, hold, reject" },
    { "[rule:officer-criticism]\naction=disclose", "[rule:officer-criticism] action: disclose is only for bcc-member" },
    { "[rule:no-such-rule]\naction=warn", "[rule:no-such-rule]: no rule is called \"no-such-rule\"" },
    { "[rule:bcc-member]\nlevel=3", "[rule:bcc-member] level: unknown key (known: action)" },
    { "[frobnicate]\nx=1", "[frobnicate]: unknown group" },
    { "[milter]\nsocket-mode=0999", "[milter] socket-mode: \"0999\" is not a file mode in octal" },
    { "[milter]\nbody-memory=12", "[milter] body-memory: \"12\" is not a size" },
    { "[milter]\ntemp-dir=", "[milter] temp-dir: an empty value is not allowed" },
  };
  expect_variant_errors (cases, G_N_ELEMENTS (cases));
}
END_TEST

/* Replace KEY's line in a copy of the example and return the error. */
static char *
replaced_error (const char *key, const char *line)
{
  g_autofree char *path = test_config_variant (NULL, NULL);
  g_autofree char *text = NULL;
  ck_assert (g_file_get_contents (path, &text, NULL, NULL));
  GString *out = g_string_new (NULL);
  g_auto (GStrv) lines = g_strsplit (text, "\n", -1);
  for (guint i = 0; lines[i]; i++)
    g_string_append_printf (out, "%s\n", g_str_has_prefix (lines[i], key) ? line : lines[i]);
  ck_assert (g_file_set_contents (path, out->str, -1, NULL));
  g_string_free (out, TRUE);
  g_autoptr (GError) error = NULL;
  g_autoptr (CmConfig) config = cm_daemon_config_load (path, &error);
  return config ? NULL : g_strdup (error->message);
}

START_TEST (test_typed_keys)
{
  struct { const char *key; const char *line; const char *expected; } cases[] = {
    { "mode=", "mode=enforce   ; enforce | advise", "is not one of enforce, advise, monitor (comments go on their own line)" },
    { "on-error=", "on-error=explode", "[milter] on-error: \"explode\" is not one of" },
    { "socket=", "socket=tcp:8893", "is not a milter socket" },
    { "socket=", "socket=inet:99999@127.0.0.1", "is not a milter socket" },
    { "max-scan-size=", "max-scan-size=lots", "[policy] max-scan-size: \"lots\" is not a size" },
    { "max-scan-size=", "max-scan-size=1K", "is not a size" },
    { "crash-hold-hours=", "crash-hold-hours=24h", "[milter] crash-hold-hours: \"24h\" is not a whole number from 1 to 720" },
    { "crash-hold-hours=", "crash-hold-hours=0", "[milter] crash-hold-hours: \"0\" is not a whole number from 1 to 720" },
    { "expire-days=", "expire-days=0", "[hold] expire-days: \"0\" is not a whole number from 1 to 365" },
    { "smtp=", "smtp=localhost", "[notify] smtp: \"localhost\" is not HOST:PORT" },
    { "directory=", "directory=/nonexistent/directory.conf", "/nonexistent/directory.conf" },
    { "lexicon=", "lexicon=/nonexistent/lexicon", "/nonexistent/lexicon/criticism.txt" },
    { "socket=", "sockett=unix:/x", "[milter] sockett: unknown key (known: mode, directory, socket, on-error, user, pid-file" },
  };
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *message = replaced_error (cases[i].key, cases[i].line);
      ck_assert_msg (message && strstr (message, cases[i].expected), "case %u: %s", i,
                     message ? message : "(loaded)");
    }
}
END_TEST

/* Each key's value, typed once at load: the enumerations by name. */
START_TEST (test_typed_structures)
{
  g_autoptr (CmConfig) config = test_example_config ();
  const CmDaemonSettings *d = cm_daemon_settings (config);
  const CmEngineSettings *e = cm_config_engine (config);
  ck_assert_int_eq (d->on_error, CM_ON_ERROR_TEMPFAIL);
  ck_assert_int_eq (d->crash_hold_hours, 24);
  ck_assert_int_eq (d->body_memory, 1 << 20);
  ck_assert_int_eq (d->socket_mode, 0660);
  ck_assert_int_eq (d->expire, CM_EXPIRE_REJECT);
  ck_assert_str_eq (d->notify_smtp, cm_config_get (config, "notify", "smtp"));
  ck_assert (g_path_is_absolute (d->spool));
  ck_assert_int_eq (e->mode, CM_MODE_ENFORCE);
  ck_assert_int_eq (e->max_scan_size, 10 << 20);
  ck_assert_int_eq (cm_config_max_scan_size (config), 10 << 20);
  ck_assert_int_eq (e->partial, CM_ACTION_HOLD);
  ck_assert_int_eq (e->partial_unauthenticated, CM_ACTION_NONE);
  ck_assert_int_eq (e->directory.source, CM_DIRECTORY_FILE);
  ck_assert_int_eq (e->directory.schema, CM_SCHEMA_AD);
  ck_assert_int_eq (e->directory.page_size, 500);
  ck_assert (g_str_has_suffix (e->directory_file, "/config/directory.conf"));

  g_autofree char *path = test_config_variant ("[milter]\non-error=reject\nmode=monitor\n"
                                               "[hold]\nexpire=escalate\nmonitoring-officer=mo@northmoor.gov.uk\n"
                                               "[policy]\npartial=tag\npartial-unauthenticated=hold\n"
                                               "[directory]\nschema=openldap\noffice-group-cabinet=cn=Cabinet\n",
                                               NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (CmConfig) changed = cm_daemon_config_load (path, &error);
  ck_assert_msg (changed != NULL, "%s", error ? error->message : "");
  ck_assert_int_eq (cm_daemon_settings (changed)->on_error, CM_ON_ERROR_REJECT);
  ck_assert_str_eq (cm_on_error_name (CM_ON_ERROR_REJECT), "reject");
  ck_assert_int_eq (cm_daemon_settings (changed)->expire, CM_EXPIRE_ESCALATE);
  ck_assert_str_eq (cm_config_monitoring_officer (changed), "mo@northmoor.gov.uk");
  ck_assert_int_eq (cm_config_mode (changed), CM_MODE_MONITOR);
  ck_assert_int_eq (cm_config_partial_action (changed, TRUE), CM_ACTION_TAG);
  ck_assert_int_eq (cm_config_partial_action (changed, FALSE), CM_ACTION_HOLD);
  ck_assert_int_eq (cm_config_engine (changed)->directory.schema, CM_SCHEMA_OPENLDAP);
  /* office-group-cabinet is office number 4: its bit is CM_OFFICE_CABINET. */
  ck_assert_uint_eq (1u << 4, CM_OFFICE_CABINET);
  ck_assert_str_eq (cm_config_engine (changed)->directory.office_groups[4], "cn=Cabinet");
  ck_assert_str_eq (cm_office_name (4), "cabinet");
}
END_TEST

/* The engine alone (council-check's library, a test) leaves the daemon's
 * keys to the daemon, but still refuses its own unknown keys and groups;
 * with the daemon's table, every key is checked. */
START_TEST (test_keys_of_other_programs)
{
  struct { const char *extra; const char *engine_error; const char *daemon_error; } cases[] = {
    { "[notify]\nsmtp=localhost", NULL, "[notify] smtp: \"localhost\" is not HOST:PORT" },
    { "[hold]\nfrobnicate=1", NULL, "[hold] frobnicate: unknown key (known: spool, expire-days" },
    { "[milter]\nsockett=unix:/x", NULL, "[milter] sockett: unknown key" },
    { "[policy]\nfrobnicate=1", "[policy] frobnicate: unknown key", "[policy] frobnicate: unknown key" },
    { "[directory]\nsource=ftp", "[directory] source: \"ftp\" is not one of file, ldap",
      "[directory] source: \"ftp\" is not one of file, ldap" },
    { "[frobnicate]\nx=1", "[frobnicate]: unknown group", "[frobnicate]: unknown group" },
  };
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *path = test_config_variant (cases[i].extra, NULL);
      g_autoptr (GError) engine_error = NULL;
      g_autoptr (GError) daemon_error = NULL;
      g_autoptr (CmConfig) engine = cm_config_load (path, &engine_error);
      g_autoptr (CmConfig) daemon = cm_daemon_config_load (path, &daemon_error);
      if (cases[i].engine_error)
        ck_assert_msg (engine_error && strstr (engine_error->message, cases[i].engine_error), "case %u engine: %s", i,
                       engine_error ? engine_error->message : "(loaded)");
      else
        {
          ck_assert_msg (engine != NULL, "case %u engine: %s", i, engine_error ? engine_error->message : "");
          ck_assert_ptr_null (cm_config_settings (engine, &cm_daemon_settings_table));
        }
      ck_assert_msg (daemon_error && strstr (daemon_error->message, cases[i].daemon_error), "case %u daemon: %s", i,
                     daemon_error ? daemon_error->message : "(loaded)");
    }
}
END_TEST

START_TEST (test_sizes_and_modes)
{
  g_autofree char *a = replaced_error ("max-scan-size=", "max-scan-size=2M");
  ck_assert_ptr_null (a);
  g_autofree char *path = test_config_variant ("[rule:member-obligation]\naction=off", NULL);
  g_autoptr (CmConfig) config = cm_daemon_config_load (path, NULL);
  ck_assert_ptr_nonnull (config);
  ck_assert_int_eq (cm_config_rule_action (config, "member-obligation"), CM_ACTION_NONE);
  ck_assert_str_eq (cm_rule_action_name (CM_ACTION_NONE), "off");
  ck_assert_str_eq (cm_action_name (CM_ACTION_NONE), "accept");
}
END_TEST

/* Issue 9 item 2: the caps of bounded work, typed once, with safe
 * defaults, and a bad value named with its file and line. */
START_TEST (test_caps)
{
  g_autoptr (CmConfig) example = test_example_config ();
  const CmLimits *limits = cm_config_limits (example);
  ck_assert_uint_eq (limits->mime_depth, 32);
  ck_assert_uint_eq (limits->parts, 1000);
  ck_assert_uint_eq (limits->headers, 2000);
  ck_assert_uint_eq (limits->addresses, 10000);
  ck_assert_uint_eq (limits->html_depth, 256);
  ck_assert_uint_eq (limits->sentences, 50000);
  ck_assert_uint_eq (limits->words, 1000000);
  ck_assert_int_eq (limits->budget_us, 2 * G_USEC_PER_SEC);
  ck_assert_int_eq (cm_config_partial_action (example, TRUE), CM_ACTION_HOLD);
  ck_assert_int_eq (cm_config_partial_action (example, FALSE), CM_ACTION_NONE);

  g_autofree char *path = test_config_variant ("[policy]\nmax-mime-depth=4\nmax-parts=7\nmax-headers=40\n"
                                               "max-addresses=3\nmax-html-depth=9\nmax-sentences=100\n"
                                               "max-words=1000\ntime-budget-ms=5\npartial=tag\n"
                                               "partial-unauthenticated=hold\n", NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (CmConfig) config = cm_daemon_config_load (path, &error);
  ck_assert_msg (config != NULL, "%s", error ? error->message : "");
  limits = cm_config_limits (config);
  ck_assert_uint_eq (limits->mime_depth, 4);
  ck_assert_uint_eq (limits->parts, 7);
  ck_assert_uint_eq (limits->headers, 40);
  ck_assert_uint_eq (limits->addresses, 3);
  ck_assert_uint_eq (limits->html_depth, 9);
  ck_assert_uint_eq (limits->sentences, 100);
  ck_assert_uint_eq (limits->words, 1000);
  ck_assert_int_eq (limits->budget_us, 5000);
  ck_assert_int_eq (cm_config_partial_action (config, TRUE), CM_ACTION_TAG);
  ck_assert_int_eq (cm_config_partial_action (config, FALSE), CM_ACTION_HOLD);

  VariantCase cases[] = {
    { "[policy]\nmax-mime-depth=0", "[policy] max-mime-depth: \"0\" is not a whole number from 1 to 1000" },
    { "[policy]\nmax-mime-depth=deep", "[policy] max-mime-depth: \"deep\" is not a whole number" },
    { "[policy]\nmax-parts=-1", "[policy] max-parts: \"-1\" is not a whole number from 1 to 1000000" },
    { "[policy]\nmax-headers=10", "[policy] max-headers: \"10\" is not a whole number from 32 to 10000000" },
    { "[policy]\nmax-addresses=1e6", "[policy] max-addresses: \"1e6\" is not a whole number" },
    /* libxml2 reads no deeper than 256: a cap past it could not be kept. */
    { "[policy]\nmax-html-depth=1000", "[policy] max-html-depth: \"1000\" is not a whole number from 8 to 256" },
    { "[policy]\nmax-sentences=99", "[policy] max-sentences: \"99\" is not a whole number from 100" },
    { "[policy]\nmax-words=", "[policy] max-words: \"\" is not a whole number from 1000" },
    { "[policy]\ntime-budget-ms=0", "[policy] time-budget-ms: \"0\" is not a whole number from 1 to 600000" },
    { "[policy]\ntime-budget-ms=2s", "[policy] time-budget-ms: \"2s\" is not a whole number" },
    { "[policy]\npartial=reject", "[policy] partial: \"reject\" is not one of accept, tag, hold" },
    { "[policy]\npartial-unauthenticated=warn", "[policy] partial-unauthenticated: \"warn\" is not one of accept, tag, hold" },
  };
  expect_variant_errors (cases, G_N_ELEMENTS (cases));
}
END_TEST

START_TEST (test_scope)
{
  g_autoptr (CmConfig) config = test_example_config ();
  g_autoptr (CmEnvelope) council = cm_envelope_new ("Someone@NorthMoor.gov.uk");
  g_autoptr (CmEnvelope) personal = cm_envelope_new ("JaneSmith1962@gmail.com");
  g_autoptr (CmEnvelope) outside = cm_envelope_new ("resident@example.org");
  g_autoptr (CmEnvelope) bounce = cm_envelope_new ("");
  g_autoptr (CmEnvelope) sub = cm_envelope_new ("x@mail.northmoor.gov.uk");
  g_autoptr (CmEnvelope) lookalike = cm_envelope_new ("x@evilnorthmoor.gov.uk");
  ck_assert (cm_config_in_scope (config, council));
  ck_assert (cm_config_in_scope (config, personal));
  ck_assert (cm_config_in_scope (config, sub));
  ck_assert (!cm_config_in_scope (config, outside));
  ck_assert (!cm_config_in_scope (config, bounce));
  ck_assert (!cm_config_in_scope (config, lookalike));
  outside->authenticated = TRUE;
  ck_assert (cm_config_in_scope (config, outside));
}
END_TEST

START_TEST (test_refcount)
{
  CmConfig *config = test_example_config ();
  CmConfig *second = cm_config_ref (config);
  ck_assert_ptr_eq (config, second);
  cm_config_unref (config);
  /* Still usable through the second reference. */
  ck_assert_int_eq (cm_config_mode (second), CM_MODE_ENFORCE);
  cm_config_unref (second);
}
END_TEST

int
main (void)
{
  cm_policy_init ();
  Suite *suite = suite_create ("config");
  TCase *tc = tcase_create ("config");
  tcase_add_test (tc, test_example_loads);
  tcase_add_test (tc, test_defaults_without_keys);
  tcase_add_test (tc, test_bad_values_name_line);
  tcase_add_test (tc, test_typed_keys);
  tcase_add_test (tc, test_sizes_and_modes);
  tcase_add_test (tc, test_typed_structures);
  tcase_add_test (tc, test_keys_of_other_programs);
  tcase_add_test (tc, test_caps);
  tcase_add_test (tc, test_scope);
  tcase_add_test (tc, test_refcount);
  suite_add_tcase (suite, tc);
  return test_run (suite);
}
