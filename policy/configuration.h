/*
 * configuration.h: what the engine's own modules read from a loaded
 * configuration (the public part is in policy.h).
 */
#ifndef CM_CONFIGURATION_H
#define CM_CONFIGURATION_H

#include "policy.h"
#include "directory.h"
#include "lexicon.h"
#include "caps.h"

/* [directory]: where the people come from (directory-config.c, directory-ldap.c). */
typedef enum { CM_DIRECTORY_FILE = 0, CM_DIRECTORY_LDAP } CmDirectorySource;
typedef enum { CM_SCHEMA_AD = 0, CM_SCHEMA_OPENLDAP } CmDirectorySchema;

typedef struct {
  int source;                        /* CmDirectorySource */
  char *uri;
  int start_tls;                     /* boolean */
  char *ca_file;
  char *bind_dn;
  char *password_file;
  char *base_dn;
  char *members_group;
  char *office_groups[CM_N_OFFICES]; /* by office number (cm_office_name) */
  int schema;                        /* CmDirectorySchema */
  char *officer_filter;              /* NULL: the schema's */
  char *list_filter;
  char *mail_attribute;
  char *proxy_attribute;
  char *name_attribute;
  char *title_attribute;
  char *member_attribute;
  gint64 page_size;
  gint64 timeout_seconds;
  gint64 refresh_minutes;
  char *snapshot;
  gint64 max_member_drop_percent;
} CmDirectorySettings;

/* The engine's keys of council-milter.conf, typed once at load (the
 * table is in config.c; council-milter.conf(5) describes each). */
typedef struct {
  int mode;                /* [milter] mode: CmMode */
  char *directory_file;    /* [milter] directory */
  char *lexicon;           /* [policy] lexicon ... valence: paths */
  char *paragraphs;
  char *weights;
  char *valence;
  gint64 max_scan_size;
  gint64 max_mime_depth, max_parts, max_headers, max_addresses, max_html_depth;
  gint64 max_sentences, max_words, time_budget_ms;
  int partial;             /* CmAction */
  int partial_unauthenticated;
  CmDirectorySettings directory;
} CmEngineSettings;

/* The engine's keys, typed. */
const CmEngineSettings *cm_config_engine (const CmConfig *config);

typedef struct _CmModel CmModel;
typedef struct _CmValence CmValence;
typedef struct _CmParagraphs CmParagraphs;

const CmDirectory *cm_config_directory (const CmConfig *config);
/* When a remote source's snapshot that CONFIG's people came from was
 * taken (Unix seconds; 0 for the key file, or when it does not say). */
gint64 cm_config_directory_taken (const CmConfig *config);
/* Did loading CONFIG read the remote source itself (no snapshot yet)? */
gboolean cm_config_directory_read_now (const CmConfig *config);
const CmLexicons *cm_config_lexicons (const CmConfig *config);
/* The learned weights ([policy] weights), or NULL when there are none. */
const CmModel *cm_config_model (const CmConfig *config);
/* The valence of words ([policy] valence), or NULL when there is none. */
const CmValence *cm_config_valence (const CmConfig *config);
/* The paragraphs file ([policy] paragraphs): texts and what each rule cites. */
const CmParagraphs *cm_config_paragraphs (const CmConfig *config);

/* The caps on the work done for one message ([policy] max-*, time-budget-ms). */
const CmLimits *cm_config_limits (const CmConfig *config);

#endif
