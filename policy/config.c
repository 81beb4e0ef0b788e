/*
 * config.c: council-milter.conf, read through one table of keys with
 * their types, defaults and checks, then the directory and the lexicon
 * it names.  A loaded CmConfig never changes; it is reference counted so
 * that a reload can swap in a new one while messages finish with the old.
 */
#include "config.h"

#include <string.h>

#include "policy.h"
#include "configuration.h"
#include "keyfile.h"
#include "rules.h"
#include "paragraphs.h"
#include "model.h"
#include "valence.h"
#include "caps.h"
#include "directory-config.h"
#include "keytable.h"

#define ENGINE(field) G_STRUCT_OFFSET (CmEngineSettings, field)
#define DIRECTORY(field) G_STRUCT_OFFSET (CmEngineSettings, directory.field)

static const CmKeyChoice modes[] = {
  { "enforce", CM_MODE_ENFORCE }, { "advise", CM_MODE_ADVISE }, { "monitor", CM_MODE_MONITOR }, { NULL },
};
static const CmKeyChoice partial_actions[] = {
  { "accept", CM_ACTION_NONE }, { "tag", CM_ACTION_TAG }, { "hold", CM_ACTION_HOLD }, { NULL },
};
static const CmKeyChoice rule_actions[] = {
  { "off", CM_ACTION_NONE }, { "tag", CM_ACTION_TAG }, { "warn", CM_ACTION_WARN },
  { "disclose", CM_ACTION_DISCLOSE }, { "hold", CM_ACTION_HOLD }, { "reject", CM_ACTION_REJECT }, { NULL },
};
static const CmKeyChoice sources[] = { { "file", CM_DIRECTORY_FILE }, { "ldap", CM_DIRECTORY_LDAP }, { NULL } };
static const CmKeyChoice schemas[] = { { "ad", CM_SCHEMA_AD }, { "openldap", CM_SCHEMA_OPENLDAP }, { NULL } };
static const CmKeyChoice yes_no[] = { { "no", FALSE }, { "yes", TRUE }, { NULL } };

/* The engine's keys of council-milter.conf (the daemon declares its own:
 * milter/settings.c).  council-milter.conf(5) describes each; [rule:ID]
 * groups are checked against the rule table. */
static const CmKeySpec engine_keys[] = {
  { "milter", "mode", CM_KEY_ENUM, "enforce", modes, 0, 0, ENGINE (mode) },
  { "milter", "directory", CM_KEY_PATH, "directory.conf", NULL, 0, 0, ENGINE (directory_file) },
  { "policy", "lexicon", CM_KEY_PATH, "lexicon", NULL, 0, 0, ENGINE (lexicon) },
  { "policy", "paragraphs", CM_KEY_PATH, "paragraphs.conf", NULL, 0, 0, ENGINE (paragraphs) },
  { "policy", "weights", CM_KEY_PATH, "weights.conf", NULL, 0, 0, ENGINE (weights) },
  { "policy", "valence", CM_KEY_PATH, "valence.txt", NULL, 0, 0, ENGINE (valence) },
  { "policy", "max-scan-size", CM_KEY_SIZE, "10M", NULL, 64 * 1024, G_GINT64_CONSTANT (1) << 32, ENGINE (max_scan_size) },
  /* Bounded work per message (caps.h); the defaults are cm_limits_default's. */
  { "policy", "max-mime-depth", CM_KEY_INT, "32", NULL, 1, 1000, ENGINE (max_mime_depth) },
  { "policy", "max-parts", CM_KEY_INT, "1000", NULL, 1, 1000000, ENGINE (max_parts) },
  { "policy", "max-headers", CM_KEY_INT, "2000", NULL, 32, 10000000, ENGINE (max_headers) },
  { "policy", "max-addresses", CM_KEY_INT, "10000", NULL, 1, 10000000, ENGINE (max_addresses) },
  /* libxml2 reads HTML no deeper than 256 elements. */
  { "policy", "max-html-depth", CM_KEY_INT, "256", NULL, 8, 256, ENGINE (max_html_depth) },
  { "policy", "max-sentences", CM_KEY_INT, "50000", NULL, 100, 100000000, ENGINE (max_sentences) },
  { "policy", "max-words", CM_KEY_INT, "1000000", NULL, 1000, 1000000000, ENGINE (max_words) },
  { "policy", "time-budget-ms", CM_KEY_INT, "2000", NULL, 1, 600000, ENGINE (time_budget_ms) },
  { "policy", "partial", CM_KEY_ENUM, "hold", partial_actions, 0, 0, ENGINE (partial) },
  { "policy", "partial-unauthenticated", CM_KEY_ENUM, "accept", partial_actions, 0, 0, ENGINE (partial_unauthenticated) },
  /* [directory] (issue 10): where the people come from (directory-config.c,
   * directory-ldap.c); with source=file only [milter] directory counts. */
  { "directory", "source", CM_KEY_ENUM, "file", sources, 0, 0, DIRECTORY (source) },
  { "directory", "uri", CM_KEY_STRING, NULL, NULL, 0, 0, DIRECTORY (uri) },
  { "directory", "start-tls", CM_KEY_ENUM, "no", yes_no, 0, 0, DIRECTORY (start_tls) },
  { "directory", "ca-file", CM_KEY_PATH, NULL, NULL, 0, 0, DIRECTORY (ca_file) },
  { "directory", "bind-dn", CM_KEY_STRING, NULL, NULL, 0, 0, DIRECTORY (bind_dn) },
  { "directory", "password-file", CM_KEY_PATH, NULL, NULL, 0, 0, DIRECTORY (password_file) },
  { "directory", "base-dn", CM_KEY_STRING, NULL, NULL, 0, 0, DIRECTORY (base_dn) },
  { "directory", "members-group", CM_KEY_STRING, NULL, NULL, 0, 0, DIRECTORY (members_group) },
  /* A member's offices: the people of each group (nested too) hold it.
   * The index is the office's number (directory.h: its bit is 1 << I). */
  { "directory", "office-group-chair", CM_KEY_STRING, NULL, NULL, 0, 0, DIRECTORY (office_groups[0]) },
  { "directory", "office-group-mayor", CM_KEY_STRING, NULL, NULL, 0, 0, DIRECTORY (office_groups[1]) },
  { "directory", "office-group-leader", CM_KEY_STRING, NULL, NULL, 0, 0, DIRECTORY (office_groups[2]) },
  { "directory", "office-group-group-leader", CM_KEY_STRING, NULL, NULL, 0, 0, DIRECTORY (office_groups[3]) },
  { "directory", "office-group-cabinet", CM_KEY_STRING, NULL, NULL, 0, 0, DIRECTORY (office_groups[4]) },
  { "directory", "schema", CM_KEY_ENUM, "ad", schemas, 0, 0, DIRECTORY (schema) },
  { "directory", "officer-filter", CM_KEY_STRING, NULL, NULL, 0, 0, DIRECTORY (officer_filter) },
  { "directory", "list-filter", CM_KEY_STRING, NULL, NULL, 0, 0, DIRECTORY (list_filter) },
  { "directory", "mail-attribute", CM_KEY_STRING, NULL, NULL, 0, 0, DIRECTORY (mail_attribute) },
  { "directory", "proxy-attribute", CM_KEY_STRING, NULL, NULL, 0, 0, DIRECTORY (proxy_attribute) },
  { "directory", "name-attribute", CM_KEY_STRING, NULL, NULL, 0, 0, DIRECTORY (name_attribute) },
  { "directory", "title-attribute", CM_KEY_STRING, NULL, NULL, 0, 0, DIRECTORY (title_attribute) },
  { "directory", "member-attribute", CM_KEY_STRING, NULL, NULL, 0, 0, DIRECTORY (member_attribute) },
  { "directory", "page-size", CM_KEY_INT, "500", NULL, 1, 100000, DIRECTORY (page_size) },
  { "directory", "timeout-seconds", CM_KEY_INT, "10", NULL, 1, 600, DIRECTORY (timeout_seconds) },
  { "directory", "refresh-minutes", CM_KEY_INT, "60", NULL, 0, 7 * 24 * 60, DIRECTORY (refresh_minutes) },
  { "directory", "snapshot", CM_KEY_PATH, "/var/lib/council-milter/directory-snapshot.conf", NULL, 0, 0,
    DIRECTORY (snapshot) },
  { "directory", "max-member-drop-percent", CM_KEY_INT, "20", NULL, 0, 100, DIRECTORY (max_member_drop_percent) },
};

static const char *const engine_groups[] = { "policy", "directory", NULL };

static const CmKeyTable engine_table = {
  "the filter's engine", engine_groups, engine_keys, G_N_ELEMENTS (engine_keys), sizeof (CmEngineSettings),
};

/* Groups the other programs of council-milter read: without their
 * tables (council-check -c, a test), unknown keys there are theirs. */
static const char *const others_groups[] = { "milter", "notify", "hold", "web", NULL };

/* The tables a configuration was loaded with, and their structures;
 * the engine's is first. */
typedef struct {
  const CmKeyTable *table;
  gpointer settings;
} Loaded;

struct _CmConfig {
  gint refcount;
  char *path;
  GHashTable *values; /* "group\nkey" -> the value's normal text, for cm_config_get */
  GArray *tables;     /* Loaded */
  const CmEngineSettings *engine; /* the first table's structure */
  CmAction *actions;  /* by index in cm_rules */
  CmDirectory *directory;
  char *directory_origin; /* where the people came from, and how old they are */
  gint64 directory_taken; /* when a remote source's snapshot was taken (Unix seconds), else 0 */
  gboolean directory_read_now; /* the remote source was read by this load (no snapshot yet) */
  CmLexicons *lexicons;
  CmParagraphs *paragraphs; /* the texts for notices, and what each rule cites */
  CmModel *model;         /* the learned weights, or NULL */
  CmValence *valence;     /* the words' valence, or NULL */
  guint council_valence;  /* words council-valence.txt gives over it */
  CmLimits limits;        /* [policy] max-* and time-budget-ms */
};

GQuark
cm_error_quark (void)
{
  return g_quark_from_static_string ("cm-error-quark");
}

static char *
value_key (const char *group, const char *key)
{
  return g_strconcat (group, "\n", key, NULL);
}

/* The spec of GROUP and KEY (KEY NULL: any of GROUP) in the tables loaded, and its structure. */
static const CmKeySpec *
find_spec (const CmConfig *config, const char *group, const char *key, gpointer *settings)
{
  for (guint t = 0; t < config->tables->len; t++)
    {
      const Loaded *loaded = &g_array_index (config->tables, Loaded, t);
      const CmKeySpec *spec = cm_settings_find (loaded->table, group, key);
      if (spec)
        {
          if (settings)
            *settings = loaded->settings;
          return spec;
        }
    }
  return NULL;
}

static gboolean
owned (const CmConfig *config, const char *group)
{
  for (guint t = 0; t < config->tables->len; t++)
    if (cm_settings_owns (g_array_index (config->tables, Loaded, t).table, group))
      return TRUE;
  return FALSE;
}

static gboolean
in_list (const char *const *list, const char *name)
{
  for (; *list; list++)
    if (strcmp (*list, name) == 0)
      return TRUE;
  return FALSE;
}

static char *
known_keys (const CmConfig *config, const char *group)
{
  GString *out = g_string_new (NULL);
  for (guint t = 0; t < config->tables->len; t++)
    {
      const CmKeyTable *table = g_array_index (config->tables, Loaded, t).table;
      for (guint i = 0; i < table->n_keys; i++)
        if (strcmp (table->keys[i].group, group) == 0)
          g_string_append_printf (out, "%s%s", out->len ? ", " : "", table->keys[i].key);
    }
  return g_string_free (out, FALSE);
}

/* Check VALUE of SPEC, store it typed in SETTINGS and as text. */
static gboolean
store_value (CmConfig *config, const CmKeyFile *file, const CmKeySpec *spec, gpointer settings,
             const char *value, GError **error)
{
  g_autofree char *base = g_path_get_dirname (config->path);
  char *normal = cm_settings_store (spec, settings, base, file, value, error);
  if (normal == NULL)
    return FALSE;
  g_hash_table_insert (config->values, value_key (spec->group, spec->key), normal);
  return TRUE;
}

static const CmKeyChoice *
rule_action_named (const char *name)
{
  for (const CmKeyChoice *c = rule_actions; c->name; c++)
    if (strcmp (c->name, name) == 0)
      return c;
  return NULL;
}

static gboolean
read_rule_group (CmConfig *config, const CmKeyFile *file, const char *group, GError **error)
{
  GKeyFile *kf = cm_keyfile_keys (file);
  const char *id = group + strlen ("rule:");
  const CmRule *rule = cm_rule_find (id);
  if (rule == NULL)
    {
      GString *names = g_string_new (NULL);
      for (guint i = 0; i < cm_n_rules; i++)
        g_string_append_printf (names, "%s%s", i ? ", " : "", cm_rules[i].id);
      cm_keyfile_error (error, file, group, NULL, "no rule is called \"%s\" (rules: %s)", id,
                        names->str);
      g_string_free (names, TRUE);
      return FALSE;
    }
  g_auto (GStrv) names = g_key_file_get_keys (kf, group, NULL, NULL);
  for (guint i = 0; names && names[i]; i++)
    {
      if (strcmp (names[i], "action") != 0)
        {
          cm_keyfile_error (error, file, group, names[i], "unknown key (known: action)");
          return FALSE;
        }
      g_autofree char *value = g_key_file_get_string (kf, group, "action", NULL);
      const CmKeyChoice *action = value ? rule_action_named (g_strstrip (value)) : NULL;
      if (action == NULL)
        {
          cm_keyfile_error (error, file, group, "action",
                            "\"%s\" is not one of off, tag, warn, disclose, hold, reject",
                            value ? value : "");
          return FALSE;
        }
      if (action->value == CM_ACTION_DISCLOSE && !rule->can_disclose)
        {
          cm_keyfile_error (error, file, group, "action",
                            "disclose is only for bcc-member (it adds \"CC Councillor X\" at the foot)");
          return FALSE;
        }
      config->actions[rule - cm_rules] = (CmAction) action->value;
    }
  return TRUE;
}

static gboolean
read_groups (CmConfig *config, const CmKeyFile *file, GError **error)
{
  GKeyFile *kf = cm_keyfile_keys (file);
  g_auto (GStrv) groups = g_key_file_get_groups (kf, NULL);
  for (guint g = 0; groups[g]; g++)
    {
      const char *group = groups[g];
      if (g_str_has_prefix (group, "rule:"))
        {
          if (!read_rule_group (config, file, group, error))
            return FALSE;
          continue;
        }
      gboolean strict = owned (config, group);
      if (!strict && !in_list (others_groups, group) && find_spec (config, group, NULL, NULL) == NULL)
        {
          cm_keyfile_error (error, file, group, NULL,
                            "unknown group (expected [milter], [policy], [directory], [notify], [hold], [web] or [rule:ID])");
          return FALSE;
        }
      g_auto (GStrv) names = g_key_file_get_keys (kf, group, NULL, NULL);
      for (guint k = 0; names && names[k]; k++)
        {
          gpointer settings = NULL;
          const CmKeySpec *spec = find_spec (config, group, names[k], &settings);
          if (spec == NULL)
            {
              if (!strict)
                continue; /* another program's key */
              g_autofree char *known = known_keys (config, group);
              cm_keyfile_error (error, file, group, names[k], "unknown key (known: %s)", known);
              return FALSE;
            }
          g_autofree char *value = g_key_file_get_string (kf, group, names[k], NULL);
          if (!store_value (config, file, spec, settings, g_strstrip (value), error))
            return FALSE;
        }
    }
  return TRUE;
}

static gboolean
apply_defaults (CmConfig *config, const CmKeyFile *file, GError **error)
{
  for (guint t = 0; t < config->tables->len; t++)
    {
      const Loaded *loaded = &g_array_index (config->tables, Loaded, t);
      for (guint i = 0; i < loaded->table->n_keys; i++)
        {
          const CmKeySpec *spec = &loaded->table->keys[i];
          g_autofree char *where = value_key (spec->group, spec->key);
          if (spec->default_value && !g_hash_table_contains (config->values, where)
              && !store_value (config, file, spec, loaded->settings, spec->default_value, error))
            return FALSE;
        }
    }
  return TRUE;
}

/* The caps, as the scan reads them for every message. */
static void
read_limits (CmConfig *config)
{
  const CmEngineSettings *e = config->engine;
  CmLimits *l = &config->limits;
  l->mime_depth = (guint) e->max_mime_depth;
  l->parts = (guint) e->max_parts;
  l->headers = (guint) e->max_headers;
  l->addresses = (guint) e->max_addresses;
  l->html_depth = (guint) e->max_html_depth;
  l->sentences = (guint) e->max_sentences;
  l->words = (guint) e->max_words;
  l->budget_us = e->time_budget_ms * 1000;
}

const CmLimits *
cm_config_limits (const CmConfig *config)
{
  return &config->limits;
}

CmAction
cm_config_partial_action (const CmConfig *config, gboolean authenticated)
{
  return (CmAction) (authenticated ? config->engine->partial : config->engine->partial_unauthenticated);
}

const char *
cm_config_paragraph (const CmConfig *config, const char *clause)
{
  return cm_paragraphs_text (config->paragraphs, clause);
}

CmConfig *
cm_config_load (const char *path, GError **error)
{
  return cm_config_load_with (path, NULL, error);
}

CmConfig *
cm_config_load_with (const char *path, const CmKeyTable *const *tables, GError **error)
{
  g_autoptr (CmKeyFile) file = cm_keyfile_load (path, CM_ERROR_CONFIG, error);
  if (file == NULL)
    return NULL;

  g_autoptr (CmConfig) config = g_new0 (CmConfig, 1);
  config->refcount = 1;
  config->path = g_canonicalize_filename (path, NULL);
  config->values = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  config->tables = g_array_new (FALSE, FALSE, sizeof (Loaded));
  Loaded engine = { &engine_table, g_malloc0 (engine_table.size) };
  g_array_append_val (config->tables, engine);
  config->engine = engine.settings;
  for (guint t = 0; tables && tables[t]; t++)
    {
      Loaded extra = { tables[t], g_malloc0 (tables[t]->size) };
      g_array_append_val (config->tables, extra);
    }
  config->actions = g_new0 (CmAction, cm_n_rules);
  for (guint i = 0; i < cm_n_rules; i++)
    config->actions[i] = cm_rules[i].default_action;

  if (!read_groups (config, file, error) || !apply_defaults (config, file, error))
    return NULL;
  read_limits (config);

  g_autoptr (GError) local = NULL;
  config->directory = cm_directory_for_config (config, &config->directory_origin, &config->directory_taken,
                                               &config->directory_read_now, &local);
  if (config->directory == NULL)
    {
      g_set_error (error, CM_ERROR, local->code, "directory (%s [milter] directory): %s",
                   path, local->message);
      return NULL;
    }
  config->lexicons = cm_lexicons_load (config->engine->lexicon, &local);
  if (config->lexicons == NULL)
    {
      g_set_error (error, CM_ERROR, local->code, "lexicon (%s [policy] lexicon): %s",
                   path, local->message);
      return NULL;
    }
  /* Optional: without the file notices give the paragraph's number only
   * and the rules cite the shipped paragraphs; a file there must be right. */
  config->paragraphs = cm_paragraphs_load (config->engine->paragraphs, &local);
  if (config->paragraphs == NULL)
    {
      g_set_error (error, CM_ERROR, local->code, "paragraphs (%s [policy] paragraphs): %s", path, local->message);
      return NULL;
    }
  /* Optional, as the paragraphs are: without the file the rules use their
   * word lists only (cm_config_describe says so); a file there must be right. */
  const char *weights = config->engine->weights;
  if (g_file_test (weights, G_FILE_TEST_EXISTS))
    {
      config->model = cm_model_load (weights, &local);
      if (config->model == NULL)
        {
          g_set_error (error, CM_ERROR, local->code, "weights (%s [policy] weights): %s", path, local->message);
          return NULL;
        }
    }
  /* Optional too: written at build time (contrib/valence.sh). */
  const char *valence = config->engine->valence;
  if (g_file_test (valence, G_FILE_TEST_EXISTS))
    {
      config->valence = cm_valence_load (valence, &local);
      if (config->valence == NULL)
        {
          g_set_error (error, CM_ERROR, local->code, "valence (%s [policy] valence): %s", path, local->message);
          return NULL;
        }
      /* The lexicon's council-valence.txt over it: words of council
       * business that VADER reads as evaluation.  Optional, as the
       * cue-only lists are (an older lexicon directory has none). */
      g_autofree char *council = g_build_filename (config->engine->lexicon, "council-valence.txt", NULL);
      if (g_file_test (council, G_FILE_TEST_EXISTS) && !cm_valence_add (config->valence, council, &config->council_valence, &local))
        {
          g_set_error (error, CM_ERROR, local->code, "valence (%s [policy] lexicon): %s", path, local->message);
          return NULL;
        }
    }
  return g_steal_pointer (&config);
}

CmConfig *
cm_config_ref (CmConfig *config)
{
  g_atomic_int_inc (&config->refcount);
  return config;
}

void
cm_config_unref (CmConfig *config)
{
  if (config == NULL || !g_atomic_int_dec_and_test (&config->refcount))
    return;
  g_free (config->path);
  g_hash_table_unref (config->values);
  for (guint t = 0; config->tables && t < config->tables->len; t++)
    {
      Loaded *loaded = &g_array_index (config->tables, Loaded, t);
      cm_settings_free (loaded->table, loaded->settings);
    }
  if (config->tables)
    g_array_unref (config->tables);
  g_free (config->actions);
  cm_directory_free (config->directory);
  g_free (config->directory_origin);
  cm_lexicons_free (config->lexicons);
  cm_paragraphs_free (config->paragraphs);
  cm_model_free (config->model);
  cm_valence_free (config->valence);
  g_free (config);
}

CmMode
cm_config_mode (const CmConfig *config)
{
  return (CmMode) config->engine->mode;
}

gsize
cm_config_max_scan_size (const CmConfig *config)
{
  return (gsize) config->engine->max_scan_size;
}

gint64
cm_config_refresh_minutes (const CmConfig *config)
{
  return config->engine->directory.refresh_minutes;
}

const CmEngineSettings *
cm_config_engine (const CmConfig *config)
{
  return config->engine;
}

gconstpointer
cm_config_settings (const CmConfig *config, const CmKeyTable *table)
{
  for (guint t = 0; t < config->tables->len; t++)
    if (g_array_index (config->tables, Loaded, t).table == table)
      return g_array_index (config->tables, Loaded, t).settings;
  return NULL;
}

const char *
cm_config_path (const CmConfig *config)
{
  return config->path;
}

const char *
cm_config_get (const CmConfig *config, const char *group, const char *key)
{
  g_autofree char *where = value_key (group, key);
  return g_hash_table_lookup (config->values, where);
}

gint64
cm_config_get_int (const CmConfig *config, const char *group, const char *key)
{
  const char *value = cm_config_get (config, group, key);
  return value ? g_ascii_strtoll (value, NULL, 10) : 0;
}

CmAction
cm_config_rule_action (const CmConfig *config, const char *rule_id)
{
  const CmRule *rule = cm_rule_find (rule_id);
  return rule ? config->actions[rule - cm_rules] : CM_ACTION_NONE;
}

const CmDirectory *
cm_config_directory (const CmConfig *config)
{
  return config->directory;
}

const CmLexicons *
cm_config_lexicons (const CmConfig *config)
{
  return config->lexicons;
}

const CmModel *
cm_config_model (const CmConfig *config)
{
  return config->model;
}

const CmParagraphs *
cm_config_paragraphs (const CmConfig *config)
{
  return config->paragraphs;
}

const CmValence *
cm_config_valence (const CmConfig *config)
{
  return config->valence;
}

gint64
cm_config_directory_taken (const CmConfig *config)
{
  return config->directory_taken;
}

gboolean
cm_config_directory_read_now (const CmConfig *config)
{
  return config->directory_read_now;
}

char *
cm_config_directory_age (const CmConfig *config)
{
  return cm_directory_source_remote (config) ? cm_directory_age_text (config->directory_taken) : NULL;
}

char *
cm_config_describe (const CmConfig *config)
{
  GString *out = g_string_new (NULL);
  g_string_append_printf (out, "configuration %s: mode %s\n", config->path, cm_mode_name (cm_config_mode (config)));
  g_string_append_printf (out, "directory %s: %s, %u members, %u named officers, %u lists\n",
                          config->directory_origin, cm_directory_council_name (config->directory),
                          cm_directory_count (config->directory, CM_ROLE_MEMBER),
                          cm_directory_count (config->directory, CM_ROLE_OFFICER),
                          cm_directory_n_lists (config->directory));
  g_string_append_printf (out, "lexicon %s\n", config->engine->lexicon);
  g_string_append_printf (out, "paragraphs %s: %u to quote\n", config->engine->paragraphs,
                          cm_paragraphs_count (config->paragraphs));
  g_autofree char *model = config->model ? cm_model_describe (config->model) : NULL;
  g_string_append_printf (out, "weights %s: %s\n", config->engine->weights,
                          model ? model : "none (not there): the rules use their word lists only");
  g_string_append_printf (out, "valence %s: ", config->engine->valence);
  if (config->valence)
    g_string_append_printf (out, "%u words, %u of them as the lexicon's council-valence.txt sets them\n",
                            cm_valence_size (config->valence), config->council_valence);
  else
    g_string_append (out, "none (not there): no evaluative-language cues\n");
  for (guint i = 0; i < cm_n_rules; i++)
    {
      /* "rule officer-criticism: hold (members South Ribble 16.2; ...)",
       * marking the shipped citations a file without texts for them gets. */
      const CmRule *rule = &cm_rules[i];
      g_string_append_printf (out, "rule %s: %s (", rule->id, cm_rule_action_name (config->actions[i]));
      for (const CmSituation *s = rule->situations; s->key; s++)
        {
          const char *clause = cm_paragraphs_cite (config->paragraphs, rule, s->key);
          g_string_append_printf (out, "%s%s %s%s", s == rule->situations ? "" : "; ", s->key, clause,
                                  cm_paragraphs_text (config->paragraphs, clause) ? "" : " [number only]");
        }
      g_string_append_printf (out, ")%s\n", cm_paragraphs_shipped (config->paragraphs, rule)
                                              ? ", as shipped: the paragraphs file has no [rule:ID] group" : "");
    }
  return g_string_free (out, FALSE);
}

gboolean
cm_config_is_council_address (const CmConfig *config, const char *address)
{
  return address && *address
      && (cm_directory_in_council_domain (config->directory, address)
          || cm_directory_person (config->directory, address) != NULL);
}

const char *
cm_config_directory_monitoring_officer (const CmConfig *config)
{
  return cm_directory_monitoring_officer (config->directory);
}

const char *
cm_config_council_name (const CmConfig *config)
{
  return cm_directory_council_name (config->directory);
}

const char *
cm_config_council_domain (const CmConfig *config)
{
  return cm_directory_domain (config->directory);
}

gboolean
cm_config_in_scope (const CmConfig *config, const CmEnvelope *envelope)
{
  if (envelope == NULL)
    return FALSE;
  if (envelope->authenticated)
    return TRUE;
  return cm_config_is_council_address (config, envelope->sender);
}
