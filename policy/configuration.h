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
