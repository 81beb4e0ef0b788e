/*
 * directory.h: the council's people, their roles, addresses, names and
 * job titles, and the lookups the engine makes of them.
 *
 * This is the one interface behind which a directory lives.  Sources
 * (directory-source.h: the key file, LDAP) hand what they read to one
 * builder (directory.c), which checks and indexes it; callers see only
 * the CmDirectory it makes.
 */
#ifndef CM_DIRECTORY_H
#define CM_DIRECTORY_H

#include <glib.h>

#include "policy.h"
#include "lexicon.h"

enum {
  CM_OFFICE_CHAIR = 1 << 0,
  CM_OFFICE_MAYOR = 1 << 1,
  CM_OFFICE_LEADER = 1 << 2,
  CM_OFFICE_GROUP_LEADER = 1 << 3,
  CM_OFFICE_CABINET = 1 << 4,
};
#define CM_N_OFFICES 5

/* The office named NAME ("chair", "group-leader"; any case), 0 if none. */
guint cm_office_from_name (const char *name);
/* The name of office number I (0 to CM_N_OFFICES - 1, its bit 1 << I) as
 * the key file writes it. */
const char *cm_office_name (guint i);

typedef struct {
  char *name;          /* "Jane Smith" */
  CmRole role;         /* CM_ROLE_MEMBER or CM_ROLE_OFFICER */
  char *title;         /* an officer's job title, or NULL */
  guint offices;       /* CM_OFFICE_* of a member */
  GPtrArray *addresses;/* char *, lower case; the first is the main one */
  char *surname;       /* last word of the name, lower case */
} CmPerson;

/* A distribution list: mail to one of its addresses is mail to each
 * person on it, nested lists expanded. */
typedef struct {
  char *name;            /* "all-councillors" */
  GPtrArray *addresses;  /* char *, lower case; the first is the main one */
  GPtrArray *people;     /* const CmPerson *, each once, nested lists expanded */
  guint n_members;       /* of people: members */
} CmList;

typedef struct _CmDirectory CmDirectory;

CmDirectory *cm_directory_load (const char *path, GError **error);
void cm_directory_free (CmDirectory *directory);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CmDirectory, cm_directory_free)

const char *cm_directory_council_name (const CmDirectory *directory);
const char *cm_directory_monitoring_officer (const CmDirectory *directory);
guint cm_directory_count (const CmDirectory *directory, CmRole role);
/* The council's first mail domain. */
const char *cm_directory_domain (const CmDirectory *directory);
/* The council's mail domains and its media domains (char *, lower case). */
const GPtrArray *cm_directory_domains (const CmDirectory *directory);
const GPtrArray *cm_directory_media_domains (const CmDirectory *directory);

/* Every person (CmPerson *) and every list (CmList *), for a snapshot. */
const GPtrArray *cm_directory_people (const CmDirectory *directory);
const GPtrArray *cm_directory_lists (const CmDirectory *directory);
/* The number of distribution lists. */
guint cm_directory_n_lists (const CmDirectory *directory);
/* The distribution list with ADDRESS (any case), or NULL. */
const CmList *cm_directory_list (const CmDirectory *directory, const char *address);

/* The listed person with ADDRESS (any case), or NULL. */
const CmPerson *cm_directory_person (const CmDirectory *directory, const char *address);
/* The role of ADDRESS: a listed person's, an officer for any other address
 * in a council domain, else external.  MEDIA is set for media domains. */
CmRole cm_directory_role (const CmDirectory *directory, const char *address,
                          const CmPerson **person, gboolean *media);
gboolean cm_directory_in_council_domain (const CmDirectory *directory, const char *address);

/* Patterns of people's names in text: officers by full name, honorific and
 * surname, and job title; members by full name and "Councillor"/"Cllr" with
 * the surname.  Each match's data is the CmPerson. */
const CmLexicon *cm_directory_names (const CmDirectory *directory);

/* The one officer whose first name has the word hash WORD_HASH
 * (cm_words_hash of the lower-case word), or NULL when no officer has it
 * or a member or another officer shares it: "Gary" alone in "each time it
 * has been Gary's pack" is Gary Lewis only when nobody else is Gary. */
const CmPerson *cm_directory_officer_by_first_name (const CmDirectory *directory, guint64 word_hash);

/* Lower-case ADDRESS and strip surrounding <> and spaces. */
char *cm_address_normalise (const char *address);

#endif
