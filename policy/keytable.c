/*
 * keytable.c: one configuration value checked against its key's type and
 * stored, typed, in the structure of the table that declares it
 * (keytable.h).
 */
#include "config.h"

#include <errno.h>
#include <string.h>
#include <gio/gio.h>

#include "policy.h"
#include "keytable.h"

#define FIELD(settings, spec, type) ((type *) ((char *) (settings) + (spec)->offset))

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

static const CmKeyChoice *
find_choice (const CmKeyChoice *choices, const char *name)
{
  for (const CmKeyChoice *c = choices; c->name; c++)
    if (strcmp (c->name, name) == 0)
      return c;
  return NULL;
}

const char *
cm_settings_choice_name (const CmKeyChoice *choices, int value)
{
  for (const CmKeyChoice *c = choices; c->name; c++)
    if (c->value == value)
      return c->name;
  return "?";
}

static void
set_string (const CmKeySpec *spec, gpointer settings, const char *value)
{
  char **field = FIELD (settings, spec, char *);
  g_free (*field);
  *field = g_strdup (value);
}

char *
cm_settings_store (const CmKeySpec *spec, gpointer settings, const char *base, const CmKeyFile *file,
                   const char *value, GError **error)
{
  gint64 number;

  switch (spec->type)
    {
    case CM_KEY_STRING:
      set_string (spec, settings, value);
      return g_strdup (value);
    case CM_KEY_PATH:
      {
        if (*value == '\0')
          {
            cm_keyfile_error (error, file, spec->group, spec->key, "an empty value is not allowed");
            return NULL;
          }
        char *path = g_path_is_absolute (value) ? g_strdup (value) : g_canonicalize_filename (value, base);
        set_string (spec, settings, path);
        return path;
      }
    case CM_KEY_ENUM:
      {
        const CmKeyChoice *choice = find_choice (spec->choices, value);
        if (choice == NULL)
          {
            GString *shown = g_string_new (NULL);
            for (const CmKeyChoice *c = spec->choices; c->name; c++)
              g_string_append_printf (shown, "%s%s", shown->len ? ", " : "", c->name);
            cm_keyfile_error (error, file, spec->group, spec->key,
                              "\"%s\" is not one of %s (comments go on their own line)", value, shown->str);
            g_string_free (shown, TRUE);
            return NULL;
          }
        *FIELD (settings, spec, int) = choice->value;
        return g_strdup (choice->name);
      }
    case CM_KEY_INT:
      if (!parse_int (value, &number) || number < spec->min || number > spec->max)
        {
          cm_keyfile_error (error, file, spec->group, spec->key,
                            "\"%s\" is not a whole number from %" G_GINT64_FORMAT " to %" G_GINT64_FORMAT,
                            value, spec->min, spec->max);
          return NULL;
        }
      break;
    case CM_KEY_SIZE:
      if (!parse_size (value, &number) || number < spec->min || number > spec->max)
        {
          cm_keyfile_error (error, file, spec->group, spec->key,
                            "\"%s\" is not a size from %" G_GINT64_FORMAT "K to %" G_GINT64_FORMAT "M "
                            "(bytes, or a number followed by K, M or G)",
                            value, spec->min / 1024, spec->max / (1024 * 1024));
          return NULL;
        }
      break;
    case CM_KEY_OCTAL:
      {
        char *end = NULL;
        number = g_ascii_strtoll (value, &end, 8);
        if (end == value || *end || number < spec->min || number > spec->max)
          {
            cm_keyfile_error (error, file, spec->group, spec->key,
                              "\"%s\" is not a file mode in octal, e.g. 0660", value);
            return NULL;
          }
      }
      break;
    case CM_KEY_SOCKET:
      if (!valid_socket (value))
        {
          cm_keyfile_error (error, file, spec->group, spec->key,
                            "\"%s\" is not a milter socket (unix:/path or inet:PORT@HOST)", value);
          return NULL;
        }
      set_string (spec, settings, value);
      return g_strdup (value);
    case CM_KEY_HOSTPORT:
      if (!valid_hostport (value))
        {
          cm_keyfile_error (error, file, spec->group, spec->key, "\"%s\" is not HOST:PORT", value);
          return NULL;
        }
      set_string (spec, settings, value);
      return g_strdup (value);
    case CM_KEY_ADDRESS:
      if (!g_hostname_is_ip_address (value))
        {
          cm_keyfile_error (error, file, spec->group, spec->key,
                            "\"%s\" is not an IP address (such as 127.0.0.1 or ::1; not a host name)", value);
          return NULL;
        }
      set_string (spec, settings, value);
      return g_strdup (value);
    default:
      g_assert_not_reached ();
    }
  /* The numbers. */
  *FIELD (settings, spec, gint64) = number;
  return g_strdup_printf ("%" G_GINT64_FORMAT, number);
}

static gboolean
is_text (CmKeyType type)
{
  return type == CM_KEY_STRING || type == CM_KEY_PATH || type == CM_KEY_SOCKET || type == CM_KEY_HOSTPORT
         || type == CM_KEY_ADDRESS;
}

void
cm_settings_free (const CmKeyTable *table, gpointer settings)
{
  if (settings == NULL)
    return;
  for (guint i = 0; i < table->n_keys; i++)
    if (is_text (table->keys[i].type))
      g_free (*FIELD (settings, &table->keys[i], char *));
  g_free (settings);
}

const CmKeySpec *
cm_settings_find (const CmKeyTable *table, const char *group, const char *key)
{
  for (guint i = 0; i < table->n_keys; i++)
    if (strcmp (table->keys[i].group, group) == 0 && (key == NULL || strcmp (table->keys[i].key, key) == 0))
      return &table->keys[i];
  return NULL;
}

gboolean
cm_settings_owns (const CmKeyTable *table, const char *group)
{
  for (const char *const *g = table->groups; g && *g; g++)
    if (strcmp (*g, group) == 0)
      return TRUE;
  return FALSE;
}
