/*
 * valence.h: how positive or negative English words are ([policy]
 * valence, written at build time by contrib/valence.sh from VADER's
 * lexicon), for the evaluative-language cues (cues.h).
 *
 * The file holds one word a line, WORD<TAB>VALENCE, VALENCE from -4 to
 * +4; '#' starts a comment line.
 */
#ifndef CM_VALENCE_H
#define CM_VALENCE_H

#include <glib.h>

typedef struct _CmValence CmValence;

/* Load PATH; NULL with an error naming the file and line. */
CmValence *cm_valence_load (const char *path, GError **error);
/* Read PATH, of the same form, over VALENCE: its words' valences replace
 * those loaded before (a council's own words over VADER's).  WORDS (if
 * not NULL) gets how many words it set (a neutral word not known
 * before is not one). */
gboolean cm_valence_add (CmValence *valence, const char *path, guint *words, GError **error);
void cm_valence_free (CmValence *valence);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CmValence, cm_valence_free)
guint cm_valence_size (const CmValence *valence);

/* The valence of the lower-case word whose cm_words_hash is HASH; 0 if unknown. */
double cm_valence_of (const CmValence *valence, guint64 hash);

#endif
