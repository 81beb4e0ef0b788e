/*
 * index.h: an open-addressing table from 64-bit keys (word and phrase
 * hashes) to lists of items.  Keys may collide: callers check the items
 * they get.  Built at load time, then only read, by any thread.
 */
#ifndef CM_INDEX_H
#define CM_INDEX_H

#include <glib.h>

typedef struct _CmIndex CmIndex;

CmIndex *cm_index_new (void);
void cm_index_free (CmIndex *index);
void cm_index_add (CmIndex *index, guint64 key, gpointer item);
/* The items added with KEY, or NULL. */
const GPtrArray *cm_index_get (const CmIndex *index, guint64 key);

#endif
