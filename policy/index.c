/*
 * index.c: an open-addressing table from 64-bit keys to lists (index.h).
 * Linear probing; the table is kept at most half full.
 */
#include "config.h"

#include "index.h"

typedef struct {
  guint64 key;
  GPtrArray *items; /* NULL: an empty slot */
} Slot;

struct _CmIndex {
  Slot *slots;
  gsize size; /* a power of two */
  gsize used;
};

CmIndex *
cm_index_new (void)
{
  CmIndex *index = g_new0 (CmIndex, 1);
  index->size = 16;
  index->slots = g_new0 (Slot, index->size);
  return index;
}

void
cm_index_free (CmIndex *index)
{
  if (index == NULL)
    return;
  for (gsize i = 0; i < index->size; i++)
    if (index->slots[i].items)
      g_ptr_array_unref (index->slots[i].items);
  g_free (index->slots);
  g_free (index);
}

static Slot *
find_slot (Slot *slots, gsize size, guint64 key)
{
  gsize mask = size - 1;
  for (gsize i = (gsize) (key ^ (key >> 29)) & mask;; i = (i + 1) & mask)
    if (slots[i].items == NULL || slots[i].key == key)
      return &slots[i];
}

static void
grow (CmIndex *index)
{
  gsize size = index->size * 2;
  Slot *slots = g_new0 (Slot, size);
  for (gsize i = 0; i < index->size; i++)
    if (index->slots[i].items)
      *find_slot (slots, size, index->slots[i].key) = index->slots[i];
  g_free (index->slots);
  index->slots = slots;
  index->size = size;
}

void
cm_index_add (CmIndex *index, guint64 key, gpointer item)
{
  if ((index->used + 1) * 2 > index->size)
    grow (index);
  Slot *slot = find_slot (index->slots, index->size, key);
  if (slot->items == NULL)
    {
      slot->key = key;
      slot->items = g_ptr_array_new ();
      index->used++;
    }
  g_ptr_array_add (slot->items, item);
}

const GPtrArray *
cm_index_get (const CmIndex *index, guint64 key)
{
  return find_slot (index->slots, index->size, key)->items;
}
