/*
 * policy.h: the public interface of the policy engine.
 *
 * The engine judges one council message against the Member/Officer
 * Protocol.  It knows nothing of libmilter: the milter and council-check
 * both call it the same way.
 *
 *   cm_policy_init()                   once per process, before anything else
 *   cm_config_load(path)               council-milter.conf with its directory
 *                                      and lexicon: immutable, reference counted
 *   cm_envelope_new(sender) + _add_recipient()
 *   cm_config_in_scope(config, env)    is this outgoing council mail?
 *   cm_check(config, env, stream)      -> CmVerdict (the strongest action,
 *                                      the findings with clause and evidence)
 *   cm_verdict_to_json() / _to_text()  the renderings of DESIGN.md
 */
#ifndef CM_POLICY_H
#define CM_POLICY_H

#include <glib.h>
#include <gmime/gmime.h>

G_BEGIN_DECLS

/* GMime 3.2 declares no g_autoptr() cleanups of its own. */
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GMimeMessage, g_object_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GMimeStream, g_object_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GMimeParser, g_object_unref)

#define CM_ERROR (cm_error_quark ())
GQuark cm_error_quark (void);

typedef enum {
  CM_ERROR_CONFIG,    /* council-milter.conf is wrong */
  CM_ERROR_DIRECTORY, /* the directory file is wrong */
  CM_ERROR_LEXICON,   /* a lexicon file is wrong */
  CM_ERROR_IO,        /* a file could not be read */
  CM_ERROR_MESSAGE,   /* a message could not be read at all */
} CmErrorCode;

/* Actions, weakest first: the verdict is the strongest among the findings. */
typedef enum {
  CM_ACTION_NONE = 0, /* "off" for a rule, "accept" for a verdict */
  CM_ACTION_TAG,
  CM_ACTION_WARN,
  CM_ACTION_DISCLOSE, /* bcc-member only: warn, and say the blind copy at the foot */
  CM_ACTION_HOLD,
  CM_ACTION_REJECT,
} CmAction;

typedef enum {
  CM_MODE_ENFORCE = 0, /* every action as configured */
  CM_MODE_ADVISE,      /* notices only: hold and reject become warn */
  CM_MODE_MONITOR,     /* log and tag only */
} CmMode;

typedef enum {
  CM_ROLE_EXTERNAL = 0,
  CM_ROLE_OFFICER,
  CM_ROLE_MEMBER,
} CmRole;

const char *cm_action_name (CmAction action);      /* "tag", ...; NONE is "accept" */
const char *cm_rule_action_name (CmAction action); /* as in the configuration; NONE is "off" */
const char *cm_mode_name (CmMode mode);
const char *cm_role_name (CmRole role);

void cm_policy_init (void);

/* ---- configuration ---------------------------------------------------- */

typedef struct _CmConfig CmConfig;

CmConfig *cm_config_load (const char *path, GError **error);
/* A program's own keys of the file (keytable.h): with them, cm_config_load
 * checks those keys too and fills each table's structure, which
 * cm_config_settings then gives.  TABLES ends with NULL.  Without a table
 * that owns a group, keys of the groups other programs read ([milter],
 * [notify], [hold]) that the engine does not know are left alone. */
typedef struct _CmKeyTable CmKeyTable;
CmConfig *cm_config_load_with (const char *path, const CmKeyTable *const *tables, GError **error);
/* TABLE's structure as loaded, or NULL when the configuration was loaded without it. */
gconstpointer cm_config_settings (const CmConfig *config, const CmKeyTable *table);
CmConfig *cm_config_ref (CmConfig *config);
void cm_config_unref (CmConfig *config);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CmConfig, cm_config_unref)

CmMode cm_config_mode (const CmConfig *config);
const char *cm_config_path (const CmConfig *config);
/* A key's value as text in its normal form, e.g. ("policy", "weights"),
 * from any table loaded; NULL when unset.  For printing and for the
 * commands; the mail path reads the typed structures instead. */
const char *cm_config_get (const CmConfig *config, const char *group, const char *key);
gint64 cm_config_get_int (const CmConfig *config, const char *group, const char *key);
CmAction cm_config_rule_action (const CmConfig *config, const char *rule_id);
/* [policy] max-scan-size: bytes of a message read, the rest skipped. */
gsize cm_config_max_scan_size (const CmConfig *config);
/* [directory] refresh-minutes: how often a remote directory is read again (0: never). */
gint64 cm_config_refresh_minutes (const CmConfig *config);
/* What becomes of a message read only in part ([policy] partial, for an
 * authenticated client, else partial-unauthenticated): NONE, TAG or HOLD. */
CmAction cm_config_partial_action (const CmConfig *config, gboolean authenticated);
/* The text of a protocol paragraph ("Newton Abbot 13") from [policy]
 * paragraphs, for notices; NULL when the file does not have it. */
const char *cm_config_paragraph (const CmConfig *config, const char *clause);
/* Read the directory again from its source when it is remote (LDAP): on
 * a good read, write the snapshot that the next cm_config_load() uses and
 * return TRUE with OUTCOME (counts and warnings).  FALSE with ERROR when
 * the source failed or the read was refused (nobody, or too few members);
 * FALSE without an error when the source is the key file.  Slow: never
 * on a message's way. */
gboolean cm_config_refresh_directory (const CmConfig *config, char **outcome, GError **error);
/* How old the people of CONFIG are when they came from a remote
 * source's snapshot: "taken 2026-07-01T10:00:00Z, 3 h 20 min ago" (now),
 * "age unknown" when the snapshot does not say; NULL for the key file. */
char *cm_config_directory_age (const CmConfig *config);
/* A one-paragraph summary for `-n` and logs: files, counts of people. */
char *cm_config_describe (const CmConfig *config);
/* What CONFIG's directory holds (directory-show.c), for council-check
 * --directory and --who.  With WHOLE: where the people came from (and,
 * from LDAP, how old they are), counts by role and office, the lists
 * and their sizes; then, for each of ADDRESSES (NULL-terminated, may be
 * NULL), whom it resolves to.  Plain text for people, or with JSON one
 * object {"directory": {...}, "who": [...]} on one line.  UNLISTED is
 * set to how many ADDRESSES no person or list of the directory has
 * (malformed ones included). */
char *cm_config_show_directory (const CmConfig *config, gboolean whole, const char *const *addresses,
                                gboolean json, guint *unlisted);

/* ---- envelope ---------------------------------------------------------- */

typedef struct {
  char *sender;          /* MAIL FROM, "" for the null sender; NULL: take From */
  GPtrArray *recipients; /* RCPT TO, char * */
  gboolean authenticated;
} CmEnvelope;

CmEnvelope *cm_envelope_new (const char *sender);
void cm_envelope_add_recipient (CmEnvelope *envelope, const char *recipient);
void cm_envelope_free (CmEnvelope *envelope);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CmEnvelope, cm_envelope_free)

/* Is ADDRESS the council's: in a council domain or the directory? */
gboolean cm_config_is_council_address (const CmConfig *config, const char *address);
/* The council's first mail domain ("northmoor.gov.uk"). */
const char *cm_config_council_domain (const CmConfig *config);
/* The directory's Monitoring Officer ([council] monitoring-officer), or
 * NULL; the daemon's [hold] monitoring-officer comes first (milter/settings.h). */
const char *cm_config_directory_monitoring_officer (const CmConfig *config);
/* The council's name from the directory. */
const char *cm_config_council_name (const CmConfig *config);

/* Outgoing council mail: an authenticated client, or an envelope sender in
 * a council domain or the directory.  Everything else is not checked. */
gboolean cm_config_in_scope (const CmConfig *config, const CmEnvelope *envelope);

/* ---- verdict ------------------------------------------------------------ */

typedef struct {
  const char *rule;      /* static: the rule's id */
  const char *advice;    /* static: what to do instead, for notices and replies */
  CmAction action;       /* the rule's configured action */
  char *clause;          /* "South Ribble 16.2" */
  char *summary;         /* one line for people */
  GPtrArray *evidence;   /* char *: the sentences (or facts) that made it fire, at most 10 */
  guint evidence_omitted; /* more such sentences, not kept */
  GPtrArray *people;     /* char *: addresses of the people concerned */
  char *disclosure;      /* a line that would make it open ("CC Councillor Raj Patel"), or NULL */
} CmFinding;

typedef struct {
  CmAction action;       /* after the mode is applied */
  CmMode mode;
  gboolean checked;      /* FALSE: not outgoing council mail, not judged */
  char *sender_address;
  CmRole sender_role;
  char *sender_name;     /* from the directory, or NULL */
  GPtrArray *findings;   /* CmFinding * */
  gsize scanned;         /* bytes of the message the engine read */
  gboolean truncated;    /* the message was larger than max-scan-size */
  GPtrArray *partial;    /* char *: why the engine stopped reading short of a cap
                          * ("mime-depth 33 > 32", "time-budget > 2000 ms"); empty
                          * when it read all it was given */
  CmAction partial_action; /* what [policy] partial made of that (NONE when read whole) */
  char *disclosure;      /* action disclose: the line to add to every text part */
  char *undisclosed;     /* a disclose that fell back to warn: why the body was not changed */
} CmVerdict;

void cm_verdict_free (CmVerdict *verdict);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CmVerdict, cm_verdict_free)

/* Judge a whole message (headers and body) read from a stream.  The
 * envelope may be NULL: the sender is then the From header and the
 * recipients the To, Cc and Bcc headers.  Fails only when the stream
 * cannot be read; any message that can be read gets a verdict. */
CmVerdict *cm_check (const CmConfig *config, const CmEnvelope *envelope,
                     GMimeStream *message, GError **error);

/* The cues that the learned weights read in a message, as one JSON object
 * ({"gated": rules whose gate passed, "message": [...], "sentences":
 * [[...]]}), for the trainer; NULL only when the stream cannot be read. */
char *cm_check_cues (const CmConfig *config, const CmEnvelope *envelope, GMimeStream *message,
                     GError **error);

char *cm_verdict_to_json (const CmVerdict *verdict);
char *cm_verdict_to_text (const CmVerdict *verdict);

/* ---- disclosure (disclose.c) -------------------------------------------- */

/* Why LINE may not be added to MESSAGE's text parts (signed, encrypted,
 * DKIM-signed, no text part, a charset that cannot hold it), or NULL. */
char *cm_disclose_refusal (GMimeMessage *message, const char *line);
/* Write the body of the message in SOURCE (from its position: everything
 * after the header block) to OUT, with LINE at the foot of every text
 * part in that part's charset and transfer encoding, and every other
 * byte as it was.  Fails, writing nothing useful, when the body may not
 * be changed (the error says why) or OUT cannot be written. */
gboolean cm_disclose_body (GMimeStream *source, const char *line, GMimeStream *out, GError **error);

G_END_DECLS

#endif
