/*
 * keymap.h: a small open-addressing map from 64-bit keys (word and cue
 * hashes, already well mixed) to non-zero numbers, for the per-message
 * work that looks up thousands of hashes: a GHashTable costs a call, a
 * hash function and an allocation per entry, this a probe or two.
 */
#ifndef CM_KEYMAP_H
#define CM_KEYMAP_H

#include <glib.h>

typedef struct {
  guint64 key;
  guint value; /* 0: an empty slot */
  guint mark;  /* the caller's, kept with the key (0 when it is added) */
} CmKeySlot;

typedef struct _CmKeyMap {
  CmKeySlot *slots;
  gsize mask;  /* size - 1, the size a power of two */
  gsize used;
} CmKeyMap;

/* Make MAP empty, with room for about EXPECTED keys before it grows. */
void cm_key_map_init (CmKeyMap *map, gsize expected);
void cm_key_map_clear (CmKeyMap *map);

CmKeySlot *cm_key_map_add (CmKeyMap *map, guint64 key);

/* The slot of KEY: its value, or 0 if KEY is not there (set the value,
 * not 0, to add it; no other call may come between).  A key that is
 * there is found inline: the callers look up far more than they add. */
static inline CmKeySlot *
cm_key_map_slot (CmKeyMap *map, guint64 key)
{
  for (gsize i = (gsize) (key ^ (key >> 29)) & map->mask;; i = (i + 1) & map->mask)
    {
      CmKeySlot *slot = &map->slots[i];
      if (slot->value == 0)
        {
          /* The empty slot found is the new key's, unless the map must
           * grow first (cm_key_map_add): no second probe, no call. */
          if ((map->used + 1) * 2 > map->mask + 1)
            return cm_key_map_add (map, key);
          map->used++;
          slot->key = key;
          slot->mark = 0;
          return slot;
        }
      if (slot->key == key)
        return slot;
    }
}

/* The value of KEY, or 0. */
static inline guint
cm_key_map_get (const CmKeyMap *map, guint64 key)
{
  for (gsize i = (gsize) (key ^ (key >> 29)) & map->mask;; i = (i + 1) & map->mask)
    if (map->slots[i].value == 0 || map->slots[i].key == key)
      return map->slots[i].value;
}

#endif
