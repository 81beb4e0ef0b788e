/*
 * keymap.c: an open-addressing map from 64-bit keys to numbers (keymap.h).
 * Linear probing; the table is kept at most half full.
 */
#include "config.h"

#include "keymap.h"

/* SIZE empty slots.  Only the values are cleared: an empty slot's key and
 * mark are never read, and a quarter of the bytes cost less to clear than
 * calloc's memset of them all (every message makes maps of a thousand
 * slots for its cues). */
static CmKeySlot *
new_slots (gsize size)
{
  CmKeySlot *slots = g_new (CmKeySlot, size);
  /* Four a turn (SIZE is a power of two, at least 16). */
  for (gsize i = 0; i < size; i += 4)
    {
      slots[i].value = 0;
      slots[i + 1].value = 0;
      slots[i + 2].value = 0;
      slots[i + 3].value = 0;
    }
  return slots;
}

void
cm_key_map_init (CmKeyMap *map, gsize expected)
{
  gsize size = 16;
  while (size < expected * 2)
    size *= 2;
  map->slots = new_slots (size);
  map->mask = size - 1;
  map->used = 0;
}

void
cm_key_map_clear (CmKeyMap *map)
{
  g_clear_pointer (&map->slots, g_free);
  map->mask = 0;
  map->used = 0;
}

static CmKeySlot *
find (CmKeySlot *slots, gsize mask, guint64 key)
{
  for (gsize i = (gsize) (key ^ (key >> 29)) & mask;; i = (i + 1) & mask)
    if (slots[i].value == 0 || slots[i].key == key)
      return &slots[i];
}

static void
grow (CmKeyMap *map)
{
  gsize size = (map->mask + 1) * 2;
  CmKeySlot *slots = new_slots (size);
  for (gsize i = 0; i <= map->mask; i++)
    if (map->slots[i].value)
      *find (slots, size - 1, map->slots[i].key) = map->slots[i];
  g_free (map->slots);
  map->slots = slots;
  map->mask = size - 1;
}

/* The slot for KEY, not in MAP: after growing MAP if it would pass half full. */
CmKeySlot *
cm_key_map_add (CmKeyMap *map, guint64 key)
{
  CmKeySlot *slot = find (map->slots, map->mask, key);
  if ((map->used + 1) * 2 > map->mask + 1)
    {
      grow (map);
      slot = find (map->slots, map->mask, key);
    }
  map->used++;
  slot->key = key;
  slot->mark = 0;
  return slot;
}
