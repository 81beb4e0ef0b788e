/*
 * valence.c: the valence lexicon (valence.h).
 */
#include "config.h"

#include <errno.h>
#include <math.h>
#include <string.h>

#include "policy.h"
#include "valence.h"
#include "words.h"

/* A valence is kept as hundredths plus this, so that it is never 0 (NULL). */
#define STORED_ZERO 1000

struct _CmValence {
  GHashTable *words; /* cm_words_hash (word), the key itself -> hundredths + STORED_ZERO */
};

void
cm_valence_free (CmValence *valence)
{
  if (valence == NULL)
    return;
  g_hash_table_unref (valence->words);
  g_free (valence);
}

CmValence *
cm_valence_load (const char *path, GError **error)
{
  g_autofree char *data = NULL;
  g_autoptr (GError) local = NULL;
  if (!g_file_get_contents (path, &data, NULL, &local))
    {
      g_set_error (error, CM_ERROR, CM_ERROR_CONFIG, "%s", local->message);
      return NULL;
    }
  g_autoptr (CmValence) valence = g_new0 (CmValence, 1);
  valence->words = g_hash_table_new (g_direct_hash, g_direct_equal);
  g_auto (GStrv) lines = g_strsplit (data, "\n", -1);
  for (guint n = 0; lines[n]; n++)
    {
      char *line = lines[n];
      g_strchomp (line);
      if (*line == '\0' || *line == '#')
        continue;
      char *tab = strchr (line, '\t');
      char *end = NULL;
      errno = 0;
      double value = tab ? g_ascii_strtod (tab + 1, &end) : NAN;
      if (tab == NULL || tab == line || errno || end == tab + 1 || *end != '\0' || !(fabs (value) <= 4.0))
        {
          g_set_error (error, CM_ERROR, CM_ERROR_CONFIG, "%s:%u: expected WORD<TAB>VALENCE (-4 to 4)", path,
                       n + 1);
          return NULL;
        }
      *tab = '\0';
      g_autofree char *word = g_utf8_strdown (line, -1);
      g_hash_table_insert (valence->words, (gpointer) (guintptr) cm_words_hash (word),
                           GINT_TO_POINTER ((int) lround (value * 100) + STORED_ZERO));
    }
  return g_steal_pointer (&valence);
}

guint
cm_valence_size (const CmValence *valence)
{
  return g_hash_table_size (valence->words);
}

double
cm_valence_of (const CmValence *valence, guint64 hash)
{
  gpointer value = g_hash_table_lookup (valence->words, (gpointer) (guintptr) hash);
  return value ? (GPOINTER_TO_INT (value) - STORED_ZERO) / 100.0 : 0.0;
}
