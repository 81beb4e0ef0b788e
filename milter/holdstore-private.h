/*
 * holdstore-private.h: the inside of a hold store, shared by the files
 * that make up the store (holdstore.c: the index and decisions;
 * holdmessage.c: the held messages' files).  No other file includes it:
 * callers see only holdstore.h, never the spool's paths.
 */
#ifndef CM_HOLDSTORE_PRIVATE_H
#define CM_HOLDSTORE_PRIVATE_H

#include <glib.h>
#include <sqlite3.h>

#define SECRET_SIZE 32

struct _CmHoldStore {
  GMutex lock;       /* serialises the use of db */
  sqlite3 *db;
  char *spool;       /* absolute */
  char *held_dir, *tmp_dir, *index_path;
  guint8 secret[SECRET_SIZE];
};

#endif
