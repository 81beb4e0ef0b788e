/*
 * stems.h: the Snowball stems of words already seen, shared by every
 * message judged with one configuration.
 *
 * Stemming costs about a microsecond a word, the most of any step of the
 * cues, and mail repeats its vocabulary from message to message: a word
 * stemmed once is looked up after that.  A stem depends on the word alone,
 * so the cache changes no result.  It is the one thing a loaded
 * configuration changes after loading, behind its own lock (the milter
 * judges on several threads), and it stops growing at a bound.
 */
#ifndef CM_STEMS_H
#define CM_STEMS_H

#include <glib.h>

typedef struct _CmStemCache CmStemCache;

CmStemCache *cm_stem_cache_new (void);
void cm_stem_cache_free (CmStemCache *cache);

/* The stem of WORD (whose cm_words_hash is WORD_HASH) if it is cached:
 * its text (valid while the cache is) in *STEM and its hash in
 * *STEM_HASH. */
gboolean cm_stem_cache_get (CmStemCache *cache, const char *word, guint64 word_hash, const char **stem,
                            guint64 *stem_hash);
/* Remember that WORD stems to STEM (hashed STEM_HASH); its copy of STEM,
 * or NULL when the cache is full. */
const char *cm_stem_cache_add (CmStemCache *cache, const char *word, guint64 word_hash, const char *stem,
                               guint64 stem_hash);

#endif
