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
 * ORIGIN is set to where it came from and, for a snapshot, its age. */
CmDirectory *cm_directory_for_config (const CmConfig *config, char **origin, GError **error);

#endif
