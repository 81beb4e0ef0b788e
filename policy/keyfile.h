/*
 * keyfile.h: GLib key files with line numbers in every error.
 *
 * GKeyFile parses the values; a first pass over the raw lines finds what
 * GKeyFile would accept silently or report without a line (stray text,
 * duplicate groups and keys, bad UTF-8) and remembers where each group and
 * key stands, so later checks can say FILE:LINE too.
 */
#ifndef CM_KEYFILE_H
#define CM_KEYFILE_H

#include <glib.h>

typedef struct _CmKeyFile CmKeyFile;

/* Read and check PATH; errors are CM_ERROR with the given code. */
CmKeyFile *cm_keyfile_load (const char *path, int error_code, GError **error);
void cm_keyfile_free (CmKeyFile *file);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CmKeyFile, cm_keyfile_free)

GKeyFile *cm_keyfile_keys (const CmKeyFile *file);
const char *cm_keyfile_path (const CmKeyFile *file);
/* The line of KEY in GROUP (KEY NULL: of the group header), 0 if absent. */
int cm_keyfile_line (const CmKeyFile *file, const char *group, const char *key);

/* "PATH:LINE: [GROUP] KEY" (KEY, GROUP NULL: shorter), for messages
 * that another module makes about what it read here. */
char *cm_keyfile_where (const CmKeyFile *file, const char *group, const char *key);
/* Set ERROR to "PATH:LINE: [GROUP] KEY: message". */
void cm_keyfile_error (GError **error, const CmKeyFile *file, const char *group,
                       const char *key, const char *format, ...) G_GNUC_PRINTF (5, 6);

#endif
