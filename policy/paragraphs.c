/*
 * paragraphs.c: the paragraphs file: texts for notices and the clause
 * each rule cites in each of its situations (paragraphs.h).
 */
#include "config.h"

#include <stdarg.h>
#include <string.h>

#include "policy.h"
#include "keyfile.h"
#include "paragraphs.h"

/* The [rule:ID] groups of config/paragraphs.conf as shipped, made into a
 * C string at build time (Makefile.am): the one copy of the shipped
 * citations is that file, not C code. */
static const char shipped_citations[] = ""
#include "policy/shipped-citations.h"
  ;

struct _CmParagraphs {
  GHashTable *texts;  /* clause ("Newton Abbot 13") -> its text */
  GHashTable *cites;  /* "RULE\nSITUATION" -> clause */
  gboolean *shipped;  /* by index in cm_rules: cites the shipped paragraphs */
};

static char *
cite_key (const CmRule *rule, const char *situation)
{
  return g_strconcat (rule->id, "\n", situation, NULL);
}

void
cm_paragraphs_free (CmParagraphs *paragraphs)
{
  if (paragraphs == NULL)
    return;
  g_hash_table_unref (paragraphs->texts);
  g_hash_table_unref (paragraphs->cites);
  g_free (paragraphs->shipped);
  g_free (paragraphs);
}

/* An error in GROUP's KEY: of FILE with its line, or of the built-in
 * citations when FILE is NULL (a build that shipped a broken file). */
static void G_GNUC_PRINTF (5, 6)
group_error (GError **error, const CmKeyFile *file, const char *group, const char *key,
             const char *format, ...)
{
  va_list args;
  va_start (args, format);
  g_autofree char *message = g_strdup_vprintf (format, args);
  va_end (args);
  if (file)
    cm_keyfile_error (error, file, group, key, "%s", message);
  else
    g_set_error (error, CM_ERROR, CM_ERROR_CONFIG,
                 "the shipped citations (config/paragraphs.conf when built): [%s]%s%s: %s", group,
                 key ? " " : "", key ? key : "", message);
}

static char *
situation_keys (const CmRule *rule)
{
  GString *out = g_string_new (NULL);
  for (const CmSituation *s = rule->situations; s->key; s++)
    g_string_append_printf (out, "%s%s", out->len ? ", " : "", s->key);
  return g_string_free (out, FALSE);
}

/* Read the group [rule:ID] of KF: a clause for every situation of the
 * rule, and no other key. */
static gboolean
read_citations (CmParagraphs *paragraphs, GKeyFile *kf, const CmKeyFile *file, const char *group,
                GError **error)
{
  const CmRule *rule = cm_rule_find (group + strlen ("rule:"));
  if (rule == NULL)
    {
      GString *names = g_string_new (NULL);
      for (guint i = 0; i < cm_n_rules; i++)
        g_string_append_printf (names, "%s%s", i ? ", " : "", cm_rules[i].id);
      group_error (error, file, group, NULL, "no rule is called \"%s\" (rules: %s)",
                   group + strlen ("rule:"), names->str);
      g_string_free (names, TRUE);
      return FALSE;
    }
  g_auto (GStrv) keys = g_key_file_get_keys (kf, group, NULL, NULL);
  for (guint k = 0; keys && keys[k]; k++)
    if (cm_rule_situation (rule, keys[k]) == NULL)
      {
        g_autofree char *known = situation_keys (rule);
        group_error (error, file, group, keys[k], "%s tells apart no such situation (its situations: %s)",
                     rule->id, known);
        return FALSE;
      }
  for (const CmSituation *s = rule->situations; s->key; s++)
    {
      g_autofree char *clause = g_key_file_get_string (kf, group, s->key, NULL);
      if (clause == NULL || *g_strstrip (clause) == '\0')
        {
          group_error (error, file, group, s->key,
                       "no clause for %s: name the paragraph it cites", s->about);
          return FALSE;
        }
      g_hash_table_insert (paragraphs->cites, cite_key (rule, s->key), g_steal_pointer (&clause));
    }
  paragraphs->shipped[rule - cm_rules] = FALSE;
  return TRUE;
}

/* The clause groups of FILE: each needs its text. */
static gboolean
read_texts (CmParagraphs *paragraphs, const CmKeyFile *file, GError **error)
{
  GKeyFile *kf = cm_keyfile_keys (file);
  g_auto (GStrv) groups = g_key_file_get_groups (kf, NULL);
  for (guint i = 0; groups[i]; i++)
    {
      if (g_str_has_prefix (groups[i], "rule:"))
        {
          if (!read_citations (paragraphs, kf, file, groups[i], error))
            return FALSE;
          continue;
        }
      char *text = g_key_file_get_string (kf, groups[i], "text", NULL);
      if (text == NULL || *g_strstrip (text) == '\0')
        {
          g_free (text);
          cm_keyfile_error (error, file, groups[i], NULL, "has no text (every paragraph needs text=)");
          return FALSE;
        }
      g_hash_table_insert (paragraphs->texts, g_strdup (groups[i]), text);
    }
  return TRUE;
}

/* Every clause the file's own [rule:ID] groups name is quoted in the same
 * file: a citation that names no paragraph is a typo or a forgotten
 * renumbering, and would send notices that quote nothing. */
static gboolean
check_cited (const CmParagraphs *paragraphs, const CmKeyFile *file, GError **error)
{
  for (guint i = 0; i < cm_n_rules; i++)
    {
      if (paragraphs->shipped[i])
        continue;
      for (const CmSituation *s = cm_rules[i].situations; s->key; s++)
        {
          const char *clause = cm_paragraphs_cite (paragraphs, &cm_rules[i], s->key);
          if (g_hash_table_contains (paragraphs->texts, clause))
            continue;
          g_autofree char *group = g_strconcat ("rule:", cm_rules[i].id, NULL);
          cm_keyfile_error (error, file, group, s->key,
                            "\"%s\" has no paragraph in this file (add a [%s] group with its text=)",
                            clause, clause);
          return FALSE;
        }
    }
  return TRUE;
}

/* The shipped citations of the rules the file gives none for. */
static gboolean
read_shipped (CmParagraphs *paragraphs, GError **error)
{
  g_autoptr (GKeyFile) kf = g_key_file_new ();
  g_autoptr (GError) local = NULL;
  if (!g_key_file_load_from_data (kf, shipped_citations, -1, G_KEY_FILE_NONE, &local))
    {
      g_set_error (error, CM_ERROR, CM_ERROR_CONFIG, "the shipped citations: %s", local->message);
      return FALSE;
    }
  for (guint i = 0; i < cm_n_rules; i++)
    {
      if (!paragraphs->shipped[i])
        continue;
      g_autofree char *group = g_strconcat ("rule:", cm_rules[i].id, NULL);
      if (!g_key_file_has_group (kf, group))
        {
          group_error (error, NULL, group, NULL, "missing: every rule cites its paragraphs there");
          return FALSE;
        }
      if (!read_citations (paragraphs, kf, NULL, group, error))
        return FALSE;
      paragraphs->shipped[i] = TRUE;
    }
  return TRUE;
}

CmParagraphs *
cm_paragraphs_load (const char *path, GError **error)
{
  g_autoptr (CmParagraphs) paragraphs = g_new0 (CmParagraphs, 1);
  paragraphs->texts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  paragraphs->cites = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  paragraphs->shipped = g_new (gboolean, cm_n_rules);
  for (guint i = 0; i < cm_n_rules; i++)
    paragraphs->shipped[i] = TRUE;

  if (path && g_file_test (path, G_FILE_TEST_EXISTS))
    {
      g_autoptr (CmKeyFile) file = cm_keyfile_load (path, CM_ERROR_CONFIG, error);
      if (file == NULL || !read_texts (paragraphs, file, error)
          || !check_cited (paragraphs, file, error))
        return NULL;
    }
  if (!read_shipped (paragraphs, error))
    return NULL;
  return g_steal_pointer (&paragraphs);
}

const char *
cm_paragraphs_text (const CmParagraphs *paragraphs, const char *clause)
{
  return clause ? g_hash_table_lookup (paragraphs->texts, clause) : NULL;
}

guint
cm_paragraphs_count (const CmParagraphs *paragraphs)
{
  return g_hash_table_size (paragraphs->texts);
}

const char *
cm_paragraphs_cite (const CmParagraphs *paragraphs, const CmRule *rule, const char *situation)
{
  g_return_val_if_fail (paragraphs != NULL, "");
  /* The key (cite_key) in a buffer of the stack when it fits: every rule
   * cites once a message or more, and a copy cost more than the lookup. */
  char buffer[128];
  gsize id_length = strlen (rule->id), situation_length = strlen (situation);
  g_autofree char *long_key = NULL;
  char *key = buffer;
  if (id_length + situation_length + 2 <= sizeof buffer)
    {
      memcpy (buffer, rule->id, id_length);
      buffer[id_length] = '\n';
      memcpy (buffer + id_length + 1, situation, situation_length + 1);
    }
  else
    key = long_key = cite_key (rule, situation);
  const char *clause = g_hash_table_lookup (paragraphs->cites, key);
  return clause ? clause : "";
}

gboolean
cm_paragraphs_shipped (const CmParagraphs *paragraphs, const CmRule *rule)
{
  return paragraphs->shipped[rule - cm_rules];
}
