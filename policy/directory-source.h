/*
 * directory-source.h: how a directory is made.  A source reads people,
 * roles, titles, addresses and lists from where the council keeps them
 * and hands each to the one builder (directory.c), which checks and
 * indexes them; cm_directory_builder_finish() then expands the lists and
 * returns the CmDirectory that the engine reads.
 *
 *   the key file    directory-file.c: directory.conf, and the LDAP
 *                   snapshot, which is written in the same form
 *   LDAP            directory-ldap.c: Active Directory or OpenLDAP
 *
 * Every builder call takes an ORIGIN, where the thing was read ("FILE:LINE:
 * [group] key" or an LDAP DN), so that an error says where to look.
 */
#ifndef CM_DIRECTORY_SOURCE_H
#define CM_DIRECTORY_SOURCE_H

#include <glib.h>

#include "directory.h"

typedef struct _CmDirectoryBuilder CmDirectoryBuilder;

CmDirectoryBuilder *cm_directory_builder_new (void);
void cm_directory_builder_free (CmDirectoryBuilder *builder);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CmDirectoryBuilder, cm_directory_builder_free)

/* The council: its name, mail domains (at least one) and media domains,
 * lower case and checked by the caller; MONITORING_OFFICER may be NULL
 * and is checked when the builder finishes (it must be in a council
 * domain or listed), the error then starting with MO_ORIGIN. */
void cm_directory_builder_set_council (CmDirectoryBuilder *builder, const char *name,
                                       const char *const *domains, const char *const *media_domains,
                                       const char *monitoring_officer, const char *mo_origin);

/* Add a person: KEY is how lists name them (the name in the key file, the
 * DN in LDAP); OFFICES CM_OFFICE_* bits; ADDRESSES as read (normalised
 * and checked here; at least one must remain).  An error (a bad or taken
 * address) starts with ORIGIN and nothing is added. */
gboolean cm_directory_builder_add_person (CmDirectoryBuilder *builder, const char *key, CmRole role,
                                          const char *name, const char *title, guint offices,
                                          const char *const *addresses, const char *origin,
                                          GError **error);

/* Add a distribution list: KEY as for people; ADDRESSES its own mail
 * addresses (may be empty: a list used only inside other lists); MEMBERS
 * the keys of people and of other lists on it, resolved when the builder
 * finishes (errors about them start with MEMBERS_ORIGIN, else ORIGIN). */
gboolean cm_directory_builder_add_list (CmDirectoryBuilder *builder, const char *key, const char *name,
                                        const char *const *addresses, const char *const *members,
                                        const char *origin, const char *members_origin, GError **error);

/* Is ADDRESS (normalised) already a person's or a list's? */
gboolean cm_directory_builder_has_address (const CmDirectoryBuilder *builder, const char *address);

/* How names in lists are resolved.  STRICT (the key file): a name that is
 * no person or list, or lists that contain each other, is an error.  Not
 * strict (LDAP, where a group may hold disabled accounts or contacts the
 * filter left out): such a member is skipped, a looping list is left out,
 * and each is counted in the warnings. */
void cm_directory_builder_set_strict (CmDirectoryBuilder *builder, gboolean strict);

/* Note something a lenient source left out (kept for the warnings). */
void cm_directory_builder_warn (CmDirectoryBuilder *builder, const char *format, ...) G_GNUC_PRINTF (2, 3);

/* Expand the lists and index everything; the builder is used up.  The
 * warnings of a lenient build (at most a few, with how many in all) go to
 * WARNINGS when it is not NULL. */
CmDirectory *cm_directory_builder_finish (CmDirectoryBuilder *builder, GPtrArray *warnings, GError **error);

/* A bare mail address (normalised): one @, text each side, a dotted domain. */
gboolean cm_address_valid (const char *address);
/* A domain name, as the [council] domains are. */
gboolean cm_domain_valid (const char *domain);

/* ---- sources ------------------------------------------------------------ */

/* What the key file source reads of a file. */
typedef enum {
  CM_DIRECTORY_FILE_COUNCIL = 1 << 0, /* [council] (then required) */
  CM_DIRECTORY_FILE_PEOPLE = 1 << 1,  /* [member:], [officer:] and [list:] groups */
} CmDirectoryFileParts;

/* Read PARTS of the key file PATH into BUILDER.  A group of another part
 * is an error that says which part the file is for. */
gboolean cm_directory_file_read (CmDirectoryBuilder *builder, const char *path, CmDirectoryFileParts parts,
                                 GError **error);

#endif
