/*
 * config.c: council-milter.conf, read through one table of keys with
 * their types, defaults and checks, then the directory and the lexicon
 * it names.  A loaded CmConfig never changes; it is reference counted so
 * that a reload can swap in a new one while messages finish with the old.
 */
#include "config.h"

#include <errno.h>
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

typedef enum {
  KEY_STRING,   /* any text */
  KEY_PATH,     /* a file or directory; relative to the configuration file */
  KEY_ENUM,     /* one of choices */
  KEY_INT,      /* a whole number in [min, max] */
  KEY_SIZE,     /* bytes, with an optional K, M or G; in [min, max] */
  KEY_SOCKET,   /* unix:/path, local:/path or inet:PORT@HOST / inet6: */
  KEY_HOSTPORT, /* HOST:PORT */
  KEY_OCTAL,    /* a file mode, e.g. 0660, in [min, max] */
} KeyType;

typedef struct {
  const char *group;
  const char *key;
  KeyType type;
  const char *default_value; /* NULL: no value unless set */
  const char *choices;       /* KEY_ENUM: "a|b|c" */
  gint64 min, max;
} KeySpec;

/* Every key of council-milter.conf.  council-milter.conf(5) describes
 * each; [rule:ID] groups are checked against the rule table. */
static const KeySpec keys[] = {
  { "milter", "socket", KEY_SOCKET, "unix:/run/council-milter/council-milter.sock" },
  { "milter", "mode", KEY_ENUM, "enforce", "enforce|advise|monitor" },
  { "milter", "on-error", KEY_ENUM, "tempfail", "tempfail|accept|reject" },
  { "milter", "directory", KEY_PATH, "directory.conf" },
  { "milter", "user", KEY_STRING, NULL },
  { "milter", "pid-file", KEY_PATH, NULL },
  { "milter", "socket-mode", KEY_OCTAL, "0660", NULL, 0, 0777 },
  { "milter", "temp-dir", KEY_PATH, "/var/tmp" },
  { "milter", "body-memory", KEY_SIZE, "1M", NULL, 4096, G_GINT64_CONSTANT (256) << 20 },
  { "milter", "subject-tag", KEY_STRING, NULL },
  { "milter", "crash-hold-hours", KEY_INT, "24", NULL, 1, 24 * 30 },
  { "policy", "lexicon", KEY_PATH, "lexicon" },
  { "policy", "paragraphs", KEY_PATH, "paragraphs.conf" },
  { "policy", "weights", KEY_PATH, "weights.conf" },
  { "policy", "valence", KEY_PATH, "valence.txt" },
  { "policy", "max-scan-size", KEY_SIZE, "10M", NULL, 64 * 1024, G_GINT64_CONSTANT (1) << 32 },
  /* Bounded work per message (caps.h); the defaults are cm_limits_default's. */
  { "policy", "max-mime-depth", KEY_INT, "32", NULL, 1, 1000 },
  { "policy", "max-parts", KEY_INT, "1000", NULL, 1, 1000000 },
  { "policy", "max-headers", KEY_INT, "2000", NULL, 32, 10000000 },
  { "policy", "max-addresses", KEY_INT, "10000", NULL, 1, 10000000 },
  /* libxml2 reads HTML no deeper than 256 elements. */
  { "policy", "max-html-depth", KEY_INT, "256", NULL, 8, 256 },
  { "policy", "max-sentences", KEY_INT, "50000", NULL, 100, 100000000 },
  { "policy", "max-words", KEY_INT, "1000000", NULL, 1000, 1000000000 },
  { "policy", "time-budget-ms", KEY_INT, "2000", NULL, 1, 600000 },
  { "policy", "partial", KEY_ENUM, "hold", "accept|tag|hold" },
  { "policy", "partial-unauthenticated", KEY_ENUM, "accept", "accept|tag|hold" },
  { "notify", "smtp", KEY_HOSTPORT, "127.0.0.1:10026" },
  { "notify", "from", KEY_STRING, NULL },
  { "notify", "retry-days", KEY_INT, "5", NULL, 1, 30 },
  { "notify", "repeat-hours", KEY_INT, "24", NULL, 0, 24 * 90 },
  { "hold", "spool", KEY_PATH, "/var/spool/council-milter" },
  { "hold", "expire-days", KEY_INT, "5", NULL, 1, 365 },
  { "hold", "expire", KEY_ENUM, "reject", "reject|escalate" },
  { "hold", "monitoring-officer", KEY_STRING, NULL },
  { "hold", "deputy", KEY_STRING, NULL },
  { "hold", "release-smtp", KEY_HOSTPORT, "127.0.0.1:25" },
  /* [directory] (issue 10): where the people come from (directory-config.c,
   * directory-ldap.c); with source=file only [milter] directory counts. */
  { "directory", "source", KEY_ENUM, "file", "file|ldap" },
  { "directory", "uri", KEY_STRING, NULL },
  { "directory", "start-tls", KEY_ENUM, "no", "no|yes" },
  { "directory", "ca-file", KEY_PATH, NULL },
  { "directory", "bind-dn", KEY_STRING, NULL },
  { "directory", "password-file", KEY_PATH, NULL },
  { "directory", "base-dn", KEY_STRING, NULL },
  { "directory", "members-group", KEY_STRING, NULL },
  /* A member's offices: the people of each group (nested too) hold it. */
  { "directory", "office-group-chair", KEY_STRING, NULL },
  { "directory", "office-group-mayor", KEY_STRING, NULL },
  { "directory", "office-group-leader", KEY_STRING, NULL },
  { "directory", "office-group-group-leader", KEY_STRING, NULL },
  { "directory", "office-group-cabinet", KEY_STRING, NULL },
  { "directory", "schema", KEY_ENUM, "ad", "ad|openldap" },
  { "directory", "officer-filter", KEY_STRING, NULL },
  { "directory", "list-filter", KEY_STRING, NULL },
  { "directory", "mail-attribute", KEY_STRING, NULL },
  { "directory", "proxy-attribute", KEY_STRING, NULL },
  { "directory", "name-attribute", KEY_STRING, NULL },
  { "directory", "title-attribute", KEY_STRING, NULL },
  { "directory", "member-attribute", KEY_STRING, NULL },
  { "directory", "page-size", KEY_INT, "500", NULL, 1, 100000 },
  { "directory", "timeout-seconds", KEY_INT, "10", NULL, 1, 600 },
  { "directory", "refresh-minutes", KEY_INT, "60", NULL, 0, 7 * 24 * 60 },
  { "directory", "snapshot", KEY_PATH, "/var/lib/council-milter/directory-snapshot.conf" },
  { "directory", "max-member-drop-percent", KEY_INT, "20", NULL, 0, 100 },
};

static const char *const rule_actions = "off|tag|warn|disclose|hold|reject";

struct _CmConfig {
  gint refcount;
  char *path;
  GHashTable *values; /* "group\nkey" -> string, after defaults and checks */
  CmMode mode;
  CmAction *actions;  /* by index in cm_rules */
  CmDirectory *directory;
  char *directory_origin; /* where the people came from, and how old they are */
  gint64 directory_taken; /* when a remote source's snapshot was taken (Unix seconds), else 0 */
  gboolean directory_read_now; /* the remote source was read by this load (no snapshot yet) */
  CmLexicons *lexicons;
  CmParagraphs *paragraphs; /* the texts for notices, and what each rule cites */
  CmModel *model;         /* the learned weights, or NULL */
  CmValence *valence;     /* the words' valence, or NULL */
  CmLimits limits;        /* [policy] max-* and time-budget-ms */
  CmAction partial;       /* [policy] partial: a partial scan of an authenticated client's mail */
  CmAction partial_unauthenticated; /* [policy] partial-unauthenticated: of other checked mail */
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

static int
enum_index (const char *choices, const char *value)
{
  g_auto (GStrv) list = g_strsplit (choices, "|", -1);
  for (int i = 0; list[i]; i++)
    if (strcmp (list[i], value) == 0)
      return i;
  return -1;
}

static gboolean
parse_int (const char *text, gint64 *out)
{
  char *end = NULL;
  errno = 0;
  gint64 v = g_ascii_strtoll (text, &end, 10);
  if (errno || end == text || *end)
    return FALSE;
  *out = v;
  return TRUE;
}

static gboolean
parse_size (const char *text, gint64 *out)
{
  char *end = NULL;
  errno = 0;
  gint64 v = g_ascii_strtoll (text, &end, 10);
  if (errno || end == text || v < 0)
    return FALSE;
  gint64 unit = 1;
  switch (g_ascii_toupper (*end))
    {
    case '\0': break;
    case 'K': unit = 1024; end++; break;
    case 'M': unit = 1024 * 1024; end++; break;
    case 'G': unit = 1024 * 1024 * 1024; end++; break;
    default: return FALSE;
    }
  if (*end && !(g_ascii_toupper (*end) == 'B' && end[1] == '\0'))
    return FALSE;
  if (v > G_MAXINT64 / unit)
    return FALSE;
  *out = v * unit;
  return TRUE;
}

static gboolean
parse_port (const char *text)
{
  gint64 port;
  return parse_int (text, &port) && port > 0 && port < 65536;
}

static gboolean
valid_socket (const char *value)
{
  if (g_str_has_prefix (value, "unix:") || g_str_has_prefix (value, "local:"))
    return strchr (value, ':')[1] == '/';
  if (g_str_has_prefix (value, "inet:") || g_str_has_prefix (value, "inet6:"))
    {
      g_autofree char *port = g_strdup (strchr (value, ':') + 1);
      char *at = strchr (port, '@');
      if (at)
        *at = '\0';
      return parse_port (port) && (at == NULL || at[1] != '\0');
    }
  return FALSE;
}

static gboolean
valid_hostport (const char *value)
{
  const char *colon = strrchr (value, ':');
  return colon && colon != value && parse_port (colon + 1);
}

/* Check VALUE of SPEC and store its normal form; the error says why not. */
static gboolean
store_value (CmConfig *config, const CmKeyFile *file, const KeySpec *spec, const char *value,
             GError **error)
{
  char *normal = NULL;
  gint64 number;

  switch (spec->type)
    {
    case KEY_STRING:
      normal = g_strdup (value);
      break;
    case KEY_PATH:
      if (*value == '\0')
        goto bad;
      if (g_path_is_absolute (value))
        normal = g_strdup (value);
      else
        {
          g_autofree char *base = g_path_get_dirname (config->path);
          normal = g_canonicalize_filename (value, base);
        }
      break;
    case KEY_ENUM:
      if (enum_index (spec->choices, value) < 0)
        {
          g_auto (GStrv) choices = g_strsplit (spec->choices, "|", -1);
          g_autofree char *shown = g_strjoinv (", ", choices);
          cm_keyfile_error (error, file, spec->group, spec->key,
                            "\"%s\" is not one of %s (comments go on their own line)",
                            value, shown);
          return FALSE;
        }
      normal = g_strdup (value);
      break;
    case KEY_INT:
      if (!parse_int (value, &number) || number < spec->min || number > spec->max)
        {
          cm_keyfile_error (error, file, spec->group, spec->key,
                            "\"%s\" is not a whole number from %" G_GINT64_FORMAT " to %" G_GINT64_FORMAT,
                            value, spec->min, spec->max);
          return FALSE;
        }
      normal = g_strdup_printf ("%" G_GINT64_FORMAT, number);
      break;
    case KEY_SIZE:
      if (!parse_size (value, &number) || number < spec->min || number > spec->max)
        {
          cm_keyfile_error (error, file, spec->group, spec->key,
                            "\"%s\" is not a size from %" G_GINT64_FORMAT "K to %" G_GINT64_FORMAT "M "
                            "(bytes, or a number followed by K, M or G)",
                            value, spec->min / 1024, spec->max / (1024 * 1024));
          return FALSE;
        }
      normal = g_strdup_printf ("%" G_GINT64_FORMAT, number);
      break;
    case KEY_SOCKET:
      if (!valid_socket (value))
        {
          cm_keyfile_error (error, file, spec->group, spec->key,
                            "\"%s\" is not a milter socket (unix:/path or inet:PORT@HOST)", value);
          return FALSE;
        }
      normal = g_strdup (value);
      break;
    case KEY_OCTAL:
      {
        char *end = NULL;
        number = g_ascii_strtoll (value, &end, 8);
        if (end == value || *end || number < spec->min || number > spec->max)
          {
            cm_keyfile_error (error, file, spec->group, spec->key,
                              "\"%s\" is not a file mode in octal, e.g. 0660", value);
            return FALSE;
          }
        normal = g_strdup_printf ("%" G_GINT64_FORMAT, number);
      }
      break;
    case KEY_HOSTPORT:
      if (!valid_hostport (value))
        {
          cm_keyfile_error (error, file, spec->group, spec->key,
                            "\"%s\" is not HOST:PORT", value);
          return FALSE;
        }
      normal = g_strdup (value);
      break;
    }
  g_hash_table_insert (config->values, value_key (spec->group, spec->key), normal);
  return TRUE;

bad:
  cm_keyfile_error (error, file, spec->group, spec->key, "an empty value is not allowed");
  return FALSE;
}

static const KeySpec *
find_spec (const char *group, const char *key)
{
  for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
    if (strcmp (keys[i].group, group) == 0 && (key == NULL || strcmp (keys[i].key, key) == 0))
      return &keys[i];
  return NULL;
}

static char *
known_keys (const char *group)
{
  GString *out = g_string_new (NULL);
  for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
    if (strcmp (keys[i].group, group) == 0)
      g_string_append_printf (out, "%s%s", out->len ? ", " : "", keys[i].key);
  return g_string_free (out, FALSE);
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
      int index = value ? enum_index (rule_actions, g_strstrip (value)) : -1;
      if (index < 0)
        {
          cm_keyfile_error (error, file, group, "action",
                            "\"%s\" is not one of off, tag, warn, disclose, hold, reject",
                            value ? value : "");
          return FALSE;
        }
      if (index == CM_ACTION_DISCLOSE && !rule->can_disclose)
        {
          cm_keyfile_error (error, file, group, "action",
                            "disclose is only for bcc-member (it adds \"CC Councillor X\" at the foot)");
          return FALSE;
        }
      config->actions[rule - cm_rules] = (CmAction) index;
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
      if (find_spec (group, NULL) == NULL)
        {
          cm_keyfile_error (error, file, group, NULL,
                            "unknown group (expected [milter], [policy], [notify], [hold] or [rule:ID])");
          return FALSE;
        }
      g_auto (GStrv) names = g_key_file_get_keys (kf, group, NULL, NULL);
      for (guint k = 0; names && names[k]; k++)
        {
          const KeySpec *spec = find_spec (group, names[k]);
          if (spec == NULL)
            {
              g_autofree char *known = known_keys (group);
              cm_keyfile_error (error, file, group, names[k], "unknown key (known: %s)", known);
              return FALSE;
            }
          g_autofree char *value = g_key_file_get_string (kf, group, names[k], NULL);
          if (!store_value (config, file, spec, g_strstrip (value), error))
            return FALSE;
        }
    }
  return TRUE;
}

static gboolean
apply_defaults (CmConfig *config, const CmKeyFile *file, GError **error)
{
  for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
    {
      g_autofree char *where = value_key (keys[i].group, keys[i].key);
      if (keys[i].default_value && !g_hash_table_contains (config->values, where)
          && !store_value (config, file, &keys[i], keys[i].default_value, error))
        return FALSE;
    }
  return TRUE;
}

/* The partial= values, accept|tag|hold, as actions. */
static CmAction
partial_action (const char *value)
{
  static const CmAction actions[] = { CM_ACTION_NONE, CM_ACTION_TAG, CM_ACTION_HOLD };
  return actions[enum_index ("accept|tag|hold", value)];
}

/* The caps and the partial actions, typed once: the mail path reads them
 * for every message. */
static void
read_limits (CmConfig *config)
{
  CmLimits *l = &config->limits;
  l->mime_depth = (guint) cm_config_get_int (config, "policy", "max-mime-depth");
  l->parts = (guint) cm_config_get_int (config, "policy", "max-parts");
  l->headers = (guint) cm_config_get_int (config, "policy", "max-headers");
  l->addresses = (guint) cm_config_get_int (config, "policy", "max-addresses");
  l->html_depth = (guint) cm_config_get_int (config, "policy", "max-html-depth");
  l->sentences = (guint) cm_config_get_int (config, "policy", "max-sentences");
  l->words = (guint) cm_config_get_int (config, "policy", "max-words");
  l->budget_us = cm_config_get_int (config, "policy", "time-budget-ms") * 1000;
  config->partial = partial_action (cm_config_get (config, "policy", "partial"));
  config->partial_unauthenticated = partial_action (cm_config_get (config, "policy", "partial-unauthenticated"));
}

const CmLimits *
cm_config_limits (const CmConfig *config)
{
  return &config->limits;
}

CmAction
cm_config_partial_action (const CmConfig *config, gboolean authenticated)
{
  return authenticated ? config->partial : config->partial_unauthenticated;
}

const char *
cm_config_paragraph (const CmConfig *config, const char *clause)
{
  return cm_paragraphs_text (config->paragraphs, clause);
}

CmConfig *
cm_config_load (const char *path, GError **error)
{
  g_autoptr (CmKeyFile) file = cm_keyfile_load (path, CM_ERROR_CONFIG, error);
  if (file == NULL)
    return NULL;

  g_autoptr (CmConfig) config = g_new0 (CmConfig, 1);
  config->refcount = 1;
  config->path = g_canonicalize_filename (path, NULL);
  config->values = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  config->actions = g_new0 (CmAction, cm_n_rules);
  for (guint i = 0; i < cm_n_rules; i++)
    config->actions[i] = cm_rules[i].default_action;

  if (!read_groups (config, file, error) || !apply_defaults (config, file, error))
    return NULL;
  config->mode = (CmMode) enum_index ("enforce|advise|monitor", cm_config_get (config, "milter", "mode"));
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
  const char *lexicon = cm_config_get (config, "policy", "lexicon");
  config->lexicons = cm_lexicons_load (lexicon, &local);
  if (config->lexicons == NULL)
    {
      g_set_error (error, CM_ERROR, local->code, "lexicon (%s [policy] lexicon): %s",
                   path, local->message);
      return NULL;
    }
  /* Optional: without the file notices give the paragraph's number only
   * and the rules cite the shipped paragraphs; a file there must be right. */
  const char *paragraphs = cm_config_get (config, "policy", "paragraphs");
  config->paragraphs = cm_paragraphs_load (paragraphs, &local);
  if (config->paragraphs == NULL)
    {
      g_set_error (error, CM_ERROR, local->code, "paragraphs (%s [policy] paragraphs): %s", path, local->message);
      return NULL;
    }
  /* Optional, as the paragraphs are: without the file the rules use their
   * word lists only (cm_config_describe says so); a file there must be right. */
  const char *weights = cm_config_get (config, "policy", "weights");
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
  const char *valence = cm_config_get (config, "policy", "valence");
  if (g_file_test (valence, G_FILE_TEST_EXISTS))
    {
      config->valence = cm_valence_load (valence, &local);
      if (config->valence == NULL)
        {
          g_set_error (error, CM_ERROR, local->code, "valence (%s [policy] valence): %s", path, local->message);
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
  return config->mode;
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
  g_string_append_printf (out, "configuration %s: mode %s\n", config->path, cm_mode_name (config->mode));
  g_string_append_printf (out, "directory %s: %s, %u members, %u named officers, %u lists\n",
                          config->directory_origin, cm_directory_council_name (config->directory),
                          cm_directory_count (config->directory, CM_ROLE_MEMBER),
                          cm_directory_count (config->directory, CM_ROLE_OFFICER),
                          cm_directory_n_lists (config->directory));
  g_string_append_printf (out, "lexicon %s\n", cm_config_get (config, "policy", "lexicon"));
  g_string_append_printf (out, "paragraphs %s: %u to quote\n", cm_config_get (config, "policy", "paragraphs"),
                          cm_paragraphs_count (config->paragraphs));
  g_autofree char *model = config->model ? cm_model_describe (config->model) : NULL;
  g_string_append_printf (out, "weights %s: %s\n", cm_config_get (config, "policy", "weights"),
                          model ? model : "none (not there): the rules use their word lists only");
  g_string_append_printf (out, "valence %s: ", cm_config_get (config, "policy", "valence"));
  if (config->valence)
    g_string_append_printf (out, "%u words\n", cm_valence_size (config->valence));
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
cm_config_monitoring_officer (const CmConfig *config)
{
  const char *configured = cm_config_get (config, "hold", "monitoring-officer");
  return configured && *configured ? configured : cm_directory_monitoring_officer (config->directory);
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
