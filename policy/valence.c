/*
 * valence.c: the valence lexicon (valence.h).
 */
#include "config.h"

#include <errno.h>
#include <math.h>
#include <string.h>

#include "keymap.h"
#include "policy.h"
#include "lines.h"
#include "valence.h"
#include "words.h"

/* A valence is kept as hundredths plus this, so that it is never 0 (an
 * empty slot of the map). */
#define STORED_ZERO 1000

struct _CmValence {
  /* cm_words_hash (word) -> hundredths + STORED_ZERO: looked up for every
   * word of every sentence, so a probe, not a GHashTable's call. */
  CmKeyMap words;
};

void
cm_valence_free (CmValence *valence)
{
  if (valence == NULL)
    return;
  cm_key_map_clear (&valence->words);
  g_free (valence);
}

CmValence *
cm_valence_load (const char *path, GError **error)
{
  g_autoptr (CmValence) valence = g_new0 (CmValence, 1);
  cm_key_map_init (&valence->words, 8192);
  if (!cm_valence_add (valence, path, NULL, error))
    return NULL;
  return g_steal_pointer (&valence);
}

gboolean
cm_valence_add (CmValence *valence, const char *path, guint *words, GError **error)
{
  guint given = 0;
  g_autofree char *data = NULL;
  g_autoptr (GError) local = NULL;
  if (!g_file_get_contents (path, &data, NULL, &local))
    {
      g_set_error (error, CM_ERROR, CM_ERROR_CONFIG, "%s", local->message);
      return FALSE;
    }
  g_auto (GStrv) lines = cm_lines_split (data);
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
          return FALSE;
        }
      *tab = '\0';
      g_autofree char *word = g_utf8_strdown (line, -1);
      /* The last line of a word wins, as it always has; a neutral word
       * not known before stays unknown (a council's list of them does not
       * add to the words). */
      guint64 hash = cm_words_hash (word);
      if (value == 0 && cm_key_map_get (&valence->words, hash) == 0)
        continue;
      given++;
      cm_key_map_slot (&valence->words, hash)->value = (guint) (lround (value * 100) + STORED_ZERO);
    }
  if (words)
    *words = given;
  return TRUE;
}

guint
cm_valence_size (const CmValence *valence)
{
  return (guint) valence->words.used;
}

double
cm_valence_of (const CmValence *valence, guint64 hash)
{
  guint value = cm_key_map_get (&valence->words, hash);
  return value ? ((int) value - STORED_ZERO) / 100.0 : 0.0;
}
