/*
 * directory-ldap.h: the LDAP source (Active Directory, OpenLDAP) of the
 * directory; its settings are the [directory] keys of council-milter.conf.
 */
#ifndef CM_DIRECTORY_LDAP_H
#define CM_DIRECTORY_LDAP_H

#include "policy.h"
#include "directory-source.h"

/* Read the people and lists of the LDAP directory CONFIG names into
 * BUILDER (made lenient: bad entries are warnings).  FALSE with ERROR
 * when the server cannot be reached, secured, bound to or searched. */
gboolean cm_directory_ldap_read (const CmConfig *config, CmDirectoryBuilder *builder, GError **error);

#endif
