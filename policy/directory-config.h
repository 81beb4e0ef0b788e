/*
 * directory-config.h: the directory a configuration names, from the key
 * file or from LDAP through its snapshot (directory-config.c).  The
 * public refresh is cm_config_refresh_directory() in policy.h.
 */
#ifndef CM_DIRECTORY_CONFIG_H
#define CM_DIRECTORY_CONFIG_H

#include "policy.h"
#include "directory-source.h"

/* The directory of CONFIG (its [milter] directory and [directory] keys);
 * ORIGIN is set to where it came from and, for a snapshot, its age,
 * TAKEN to when the snapshot was taken (Unix seconds; 0 for the key file
 * or when the snapshot does not say), and READ_NOW to whether the remote
 * source was read during this load (there was no snapshot yet). */
CmDirectory *cm_directory_for_config (const CmConfig *config, char **origin, gint64 *taken, gboolean *read_now,
                                      GError **error);
/* Does CONFIG's directory come from a source that refreshes (LDAP)? */
gboolean cm_directory_source_remote (const CmConfig *config);
/* TAKEN (Unix seconds, 0: unknown) as "taken ISO-TIME, H h M min ago". */
char *cm_directory_age_text (gint64 taken);

#endif
