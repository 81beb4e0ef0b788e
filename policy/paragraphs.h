/*
 * paragraphs.h: the paragraphs file ([policy] paragraphs): the text of
 * each protocol paragraph, quoted in notices, and which paragraph each
 * rule cites in each situation it tells apart.
 *
 *   [South Ribble 16.2]          a clause, as findings cite it
 *   text=...                     its words, for notices
 *
 *   [rule:officer-criticism]     a rule's citations: one key per situation
 *   members=South Ribble 16.2    (rules.c declares the situations)
 *   media=Cambridgeshire 5.5
 *   outside=South Ribble 4.6
 *
 * A [rule:ID] group names a clause for every situation of the rule, and
 * every clause it names has a group with text= in the same file; either
 * mistake is a load error naming the file, line and key.  A rule with no
 * group in the file (or no file at all) cites the paragraphs of the file
 * shipped with council-milter, built into the program: files written
 * before rules had groups keep working, and their notices give the
 * paragraph's number only, as they always did for a clause with no text.
 */
#ifndef CM_PARAGRAPHS_H
#define CM_PARAGRAPHS_H

#include <glib.h>

#include "rules.h"

typedef struct _CmParagraphs CmParagraphs;

/* Load PATH (a file that is not there has no texts, and every rule cites
 * the shipped paragraphs); errors are CM_ERROR_CONFIG with PATH:LINE. */
CmParagraphs *cm_paragraphs_load (const char *path, GError **error);
void cm_paragraphs_free (CmParagraphs *paragraphs);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CmParagraphs, cm_paragraphs_free)

/* The text of CLAUSE, or NULL when the file does not quote it. */
const char *cm_paragraphs_text (const CmParagraphs *paragraphs, const char *clause);
/* How many clauses the file quotes. */
guint cm_paragraphs_count (const CmParagraphs *paragraphs);
/* The clause RULE cites in SITUATION (a key of rule->situations). */
const char *cm_paragraphs_cite (const CmParagraphs *paragraphs, const CmRule *rule, const char *situation);
/* Does RULE cite the shipped paragraphs (no [rule:ID] group in the file)? */
gboolean cm_paragraphs_shipped (const CmParagraphs *paragraphs, const CmRule *rule);

#endif
