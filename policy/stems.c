/*
 * stems.c: a bounded, locked cache of words' stems (stems.h).
 */
#include "config.h"

#include <string.h>

#include "keymap.h"
#include "stems.h"

/* Enough for the vocabulary of a council's mail many times over; a few MB
 * at most, whatever the mail (random tokens stop being added). */
#define STEMS_MAX 200000

typedef struct {
  const char *word; /* in TEXTS */
  const char *stem; /* in TEXTS */
  guint64 stem_hash;
} Entry;

struct _CmStemCache {
  GMutex lock;
  CmKeyMap by_word;  /* word hash -> index in ENTRIES + 1 */
  GArray *entries;   /* Entry */
  GStringChunk *texts;
};

CmStemCache *
cm_stem_cache_new (void)
{
  CmStemCache *cache = g_new0 (CmStemCache, 1);
  g_mutex_init (&cache->lock);
  cm_key_map_init (&cache->by_word, 4096);
  cache->entries = g_array_new (FALSE, FALSE, sizeof (Entry));
  cache->texts = g_string_chunk_new (65536);
  return cache;
}

void
cm_stem_cache_free (CmStemCache *cache)
{
  if (cache == NULL)
    return;
  g_mutex_clear (&cache->lock);
  cm_key_map_clear (&cache->by_word);
  g_array_unref (cache->entries);
  g_string_chunk_free (cache->texts);
  g_free (cache);
}

gboolean
cm_stem_cache_get (CmStemCache *cache, const char *word, guint64 word_hash, const char **stem,
                   guint64 *stem_hash)
{
  g_autoptr (GMutexLocker) locker = g_mutex_locker_new (&cache->lock);
  guint index = cm_key_map_get (&cache->by_word, word_hash);
  if (index == 0)
    return FALSE;
  const Entry *entry = &g_array_index (cache->entries, Entry, index - 1);
  /* Two words with one 64-bit hash: the first one cached keeps it. */
  if (strcmp (entry->word, word) != 0)
    return FALSE;
  *stem = entry->stem;
  *stem_hash = entry->stem_hash;
  return TRUE;
}

const char *
cm_stem_cache_add (CmStemCache *cache, const char *word, guint64 word_hash, const char *stem,
                   guint64 stem_hash)
{
  g_autoptr (GMutexLocker) locker = g_mutex_locker_new (&cache->lock);
  if (cache->entries->len >= STEMS_MAX)
    return NULL;
  CmKeySlot *slot = cm_key_map_slot (&cache->by_word, word_hash);
  if (slot->value)
    {
      /* Added by another thread meanwhile, or another word with this hash. */
      const Entry *entry = &g_array_index (cache->entries, Entry, slot->value - 1);
      return strcmp (entry->word, word) == 0 ? entry->stem : NULL;
    }
  Entry entry = { g_string_chunk_insert (cache->texts, word), g_string_chunk_insert_const (cache->texts, stem),
                  stem_hash };
  g_array_append_val (cache->entries, entry);
  slot->value = cache->entries->len;
  return entry.stem;
}
