/*
 * keytable.h: tables of typed configuration keys.
 *
 * A program declares the keys it reads as a table: each key's group,
 * name, type, default, bounds and the offset of its field in the
 * program's own structure (G_STRUCT_OFFSET).  The configuration loader
 * (config.c) checks every key of council-milter.conf against the tables
 * it is given and fills each table's structure once, at load; the mail
 * path then reads fields, never strings looked up by name.  The engine's
 * table is in config.c, the daemon's in milter/settings.c.
 */
#ifndef CM_KEYTABLE_H
#define CM_KEYTABLE_H

#include <glib.h>

#include "keyfile.h"

typedef enum {
  CM_KEY_STRING,   /* any text; a char * field */
  CM_KEY_PATH,     /* a file or directory, relative to the configuration file; char * */
  CM_KEY_ENUM,     /* one of the choices, by name; an int field holding the choice's value */
  CM_KEY_INT,      /* a whole number in [min, max]; gint64 */
  CM_KEY_SIZE,     /* bytes, with an optional K, M or G, in [min, max]; gint64 */
  CM_KEY_SOCKET,   /* unix:/path, local:/path, inet:PORT@HOST or inet6:...; char * */
  CM_KEY_HOSTPORT, /* HOST:PORT; char * */
  CM_KEY_OCTAL,    /* a file mode such as 0660, in [min, max]; gint64 */
  CM_KEY_ADDRESS,  /* an IPv4 or IPv6 address, no name (a name could resolve elsewhere later); char * */
} CmKeyType;

/* One choice of an enumerated key: its name in the file and its value in
 * the program.  A table of them ends with { NULL }. */
typedef struct {
  const char *name;
  int value;
} CmKeyChoice;

typedef struct {
  const char *group;
  const char *key;
  CmKeyType type;
  const char *default_value; /* NULL: unset (NULL or 0) unless the file sets it */
  const CmKeyChoice *choices; /* CM_KEY_ENUM only */
  gint64 min, max;           /* CM_KEY_INT, CM_KEY_SIZE, CM_KEY_OCTAL */
  glong offset;              /* of the field in the table's structure */
} CmKeySpec;

struct _CmKeyTable {
  const char *owner;          /* who reads these keys, for messages: "the daemon" */
  const char *const *groups;  /* the groups this table owns whole (NULL-terminated) */
  const CmKeySpec *keys;
  guint n_keys;
  gsize size;                 /* of the structure the keys fill */
};

/* Check VALUE (already stripped) against SPEC, the file's directory BASE
 * resolving a relative path; store the typed value in SETTINGS (a
 * structure of SPEC's table) and return its normal text, or NULL with
 * ERROR saying why, at the line of FILE where the key is. */
char *cm_settings_store (const CmKeySpec *spec, gpointer settings, const char *base, const CmKeyFile *file,
                         const char *value, GError **error);

/* Free the strings that TABLE's keys put in SETTINGS, and SETTINGS. */
void cm_settings_free (const CmKeyTable *table, gpointer settings);

/* SPEC's entry in TABLE for GROUP and KEY (KEY NULL: any key of GROUP), or NULL. */
const CmKeySpec *cm_settings_find (const CmKeyTable *table, const char *group, const char *key);

/* Whether TABLE owns GROUP whole (an unknown key there is an error). */
gboolean cm_settings_owns (const CmKeyTable *table, const char *group);

/* The name of VALUE among CHOICES, or "?". */
const char *cm_settings_choice_name (const CmKeyChoice *choices, int value);

#endif
