/*
 * holdstore.h: held mail, kept durably for the Monitoring Officer.
 *
 * The spool ([hold] spool, 0700) holds:
 *   held/ID.eml     each held message as it came (0600): written to tmp/,
 *                   fsync'd, linked into held/ (never over another file)
 *                   and the directory fsync'd,
 *                   before the record is indexed; the MTA is told to
 *                   discard the message only after all of that succeeded
 *   index.sqlite    the records and the audit trail (SQLite, WAL journal),
 *                   so holds can be listed and searched; each event says
 *                   who acted and what kind of name that is (CmHoldActor)
 *   secret          a random key (0600) for the tokens of release markers
 *                   and reply addresses: they cannot be forged without it
 *
 * A release marker is bound to its message: the index keeps a digest of
 * each held body, and the marker is honoured only on that body, from its
 * sender, to its recipients.
 *
 * holdstore.c keeps the index and makes the decisions, holdmessage.c
 * names and reads the held files, holdrecord.c has the records as values.
 *
 * Both the daemon and council-review open the store; SQLite's locking and
 * a conditional UPDATE make every decision happen exactly once, however
 * many reviewers act at the same moment.
 */
#ifndef CM_HOLDSTORE_H
#define CM_HOLDSTORE_H

#include <glib.h>
#include <gmime/gmime.h>

#define CM_HOLD_ERROR (cm_hold_error_quark ())
GQuark cm_hold_error_quark (void);

typedef enum {
  CM_HOLD_ERROR_IO,       /* the spool or the index could not be read or written */
  CM_HOLD_ERROR_NOT_FOUND, /* no hold has that id */
  CM_HOLD_ERROR_DECIDED,  /* the hold was already decided (the message says by whom, when) */
  CM_HOLD_ERROR_TOKEN,    /* a token did not verify, or was used already */
} CmHoldErrorCode;

typedef enum {
  CM_HOLD_HELD = 0,   /* waiting for the Monitoring Officer */
  CM_HOLD_RELEASED,   /* re-injected with its original envelope */
  CM_HOLD_REJECTED,   /* not delivered; the sender was told why */
  CM_HOLD_WITHDRAWN,  /* the sender withdrew it by replying to the notice */
  CM_HOLD_EXPIRED,    /* held past [hold] expire-days and rejected */
} CmHoldState;

const char *cm_hold_state_name (CmHoldState state); /* "held", "released", ... */
gboolean cm_hold_state_parse (const char *name, CmHoldState *state);

typedef struct {
  char *id;               /* "20261123-031500-7f3a9c": time held and 24 random bits */
  CmHoldState state;
  gint64 held_at;         /* Unix seconds */
  char *queue_id;         /* the MTA's, for its logs; may be NULL */
  char *sender;           /* envelope sender, "" for the null sender */
  char **recipients;      /* envelope recipients, NULL-terminated */
  char *sender_role;      /* "member", "officer" or "external" */
  char *subject;          /* decoded, may be NULL */
  char **rules;           /* ids of the rules that held it, NULL-terminated */
  char *clauses;          /* "South Ribble 16.2; Runnymede 2.1" */
  char *verdict_json;     /* cm_verdict_to_json() of the verdict that held it */
  char *explanation;      /* the sender's explanation, or NULL */
  gint64 explained_at;    /* 0 without one */
  gint64 decided_at;      /* 0 while held */
  char *decided_by;       /* who decided (a login name, or "council-milter"), or NULL */
  char *decision_note;    /* the note or reason given, or NULL */
  gboolean escalated;     /* sent on to the deputy after expire-days */
  gboolean release_used;  /* the release marker has been honoured once */
  char *body_digest;      /* of the held message's body (holdmark.h); NULL
                           * for one kept before digests were recorded */
} CmHold;

/* What has become of HOLD, for a message: "ID is still held", or "ID
 * was already released by WHO at WHEN[, and has been delivered]". */
char *cm_hold_describe (const CmHold *hold);
void cm_hold_free (CmHold *hold);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CmHold, cm_hold_free)

/* Was ERROR a CM_HOLD_ERROR_IO that met a locked index (another
 * process held it past the busy timeout)?  Trying again may work. */
gboolean cm_hold_error_busy (const GError *error);

/* The kinds of who in the audit trail (CmHoldActor). */
#define CM_HOLD_ACTOR_SHELL "shell"    /* a login on the relay (the sudo user) */
#define CM_HOLD_ACTOR_MAIL "mail"      /* a mail address: a reply's sender */
#define CM_HOLD_ACTOR_WEB "web"        /* a user signed in to the web page */
#define CM_HOLD_ACTOR_SYSTEM "system"  /* the filter itself, or a scheduled job */

/* Who did something, for the audit trail: NAME and the KIND of name it is
 * (one of CM_HOLD_ACTOR_*; NULL: not recorded). */
typedef struct {
  const char *name;
  const char *kind;
} CmHoldActor;

typedef struct {
  gint64 at;              /* Unix seconds */
  char *hold_id;
  char *who;
  char *who_kind;         /* CM_HOLD_ACTOR_*, or NULL when not recorded */
  char *what;             /* "held", "explained", "withdrawn", "released", "rejected",
                           * "expired", "escalated", "release-failed", "release-delivered",
                           * "notified" */
  char *note;             /* may be NULL */
} CmHoldEvent;

void cm_hold_event_free (CmHoldEvent *event);

/* Which holds cm_holdstore_list() returns: only those in STATE unless
 * ANY_STATE; the other fields match all when zero or NULL. */
typedef struct {
  gboolean any_state;     /* FALSE: only holds in STATE */
  CmHoldState state;
  const char *sender;     /* substring of the sender address, case-insensitive */
  const char *rule;       /* a rule id among the hold's rules */
  gint64 held_before;     /* held_at < this (0: no bound) */
  gint64 held_since;      /* held_at >= this (0: no bound) */
} CmHoldFilter;

typedef struct _CmHoldStore CmHoldStore;

/* Open (creating when missing) the spool at SPOOL: directories 0700,
 * index in WAL mode, secret.  Safe to call from several processes. */
CmHoldStore *cm_holdstore_open (const char *spool, GError **error);
void cm_holdstore_close (CmHoldStore *store);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CmHoldStore, cm_holdstore_close)

/* Keep MESSAGE (read from its current position to its end) with the
 * record RECORD (id, state and held_at are assigned here and the others
 * copied).  Returns the stored record, or NULL, with nothing left behind,
 * when any step failed: a full disk, an unwritable spool, a locked index. */
CmHold *cm_holdstore_put (CmHoldStore *store, const CmHold *record, GMimeStream *message,
                          GError **error);

/* After a crash between keeping a message and indexing it: index the
 * message already in held/ as ID with RECORD (its held_at kept, its body
 * digest read from the file), with a "held" event and a "recovered" one
 * saying WHY.  Fails when ID has a record already. */
CmHold *cm_holdstore_adopt (CmHoldStore *store, const char *id, const CmHold *record, const char *why,
                            GError **error);

CmHold *cm_holdstore_get (CmHoldStore *store, const char *id, GError **error);
/* Is ID shaped like a hold id ("20261123-031500-7f3a9c")? */
gboolean cm_holdstore_id_valid (const char *id);
/* CmHold *, oldest first. */
GPtrArray *cm_holdstore_list (CmHoldStore *store, const CmHoldFilter *filter, GError **error);
/* The path of the held message's file (it may have been removed), to
 * show administrators where it is; NULL for anything that is not shaped
 * like a hold id.  Read it with cm_holdstore_open_message(). */
char *cm_holdstore_message_path (CmHoldStore *store, const char *id);

/* The held message ID as it came (a memory stream at its start), or
 * NULL: CM_HOLD_ERROR_NOT_FOUND when its file has gone, CM_HOLD_ERROR_IO
 * when it cannot be read. */
GMimeStream *cm_holdstore_open_message (CmHoldStore *store, const char *id, GError **error);

/* Decide a held message: HELD becomes STATE (released, rejected,
 * withdrawn or expired), recorded with WHO and NOTE in the audit trail.
 * Exactly once: when the hold is not HELD any more the error is
 * CM_HOLD_ERROR_DECIDED and says what happened to it, by whom and when. */
gboolean cm_holdstore_decide (CmHoldStore *store, const char *id, CmHoldState state,
                              const char *who, const char *note, GError **error);
/* The same, with the kind of WHO recorded too. */
gboolean cm_holdstore_decide_by (CmHoldStore *store, const char *id, CmHoldState state,
                                 const CmHoldActor *who, const char *note, GError **error);
/* Undo a release whose re-injection failed: RELEASED (marker unused)
 * becomes HELD again, with a "release-failed" event giving WHY. */
gboolean cm_holdstore_unrelease (CmHoldStore *store, const char *id, const char *why,
                                 GError **error);
/* Record the sender's explanation (replacing an earlier one) and an
 * "explained" event (by the sender, a CM_HOLD_ACTOR_MAIL).  Only while
 * the hold is HELD. */
gboolean cm_holdstore_explain (CmHoldStore *store, const char *id, const char *text,
                               GError **error);
/* Mark a held message as escalated to the deputy, with an event. */
gboolean cm_holdstore_escalate (CmHoldStore *store, const char *id, const char *who,
                                const char *note, GError **error);
gboolean cm_holdstore_escalate_by (CmHoldStore *store, const char *id, const CmHoldActor *who,
                                   const char *note, GError **error);
/* Any other event for the audit trail ("notified", "release-delivered"). */
gboolean cm_holdstore_add_event (CmHoldStore *store, const char *id, const char *who,
                                 const char *what, const char *note, GError **error);
gboolean cm_holdstore_add_event_by (CmHoldStore *store, const char *id, const CmHoldActor *who,
                                    const char *what, const char *note, GError **error);
/* CmHoldEvent *, oldest first: of hold ID, or of every hold when ID is
 * NULL; only events at or after SINCE (0: all). */
GPtrArray *cm_holdstore_events (CmHoldStore *store, const char *id, gint64 since, GError **error);

/* A token for PURPOSE ("release", "reply") and hold ID: lower-case hex of
 * HMAC-SHA256 over "PURPOSE:ID" with the spool's secret. */
char *cm_holdstore_token (CmHoldStore *store, const char *purpose, const char *id);
/* Does TOKEN verify for PURPOSE and ID?  Compared in constant time. */
gboolean cm_holdstore_token_valid (CmHoldStore *store, const char *purpose, const char *id,
                                   const char *token);
/* The daemon meets a release marker for hold ID with TOKEN on a message
 * SEEN: its envelope (sender and recipients) and body_digest
 * (holdmark.h) are read, nothing else.  TRUE exactly once for a
 * RELEASED hold whose release token verifies and whose message SEEN is:
 * the body it was held with, from its sender, to none but its recipients.
 * The hold is then marked used (a "release-delivered" event).  Otherwise
 * FALSE with CM_HOLD_ERROR_TOKEN (forged, replayed, not released, or a
 * copy of the marker on another message: checked as any other), or
 * CM_HOLD_ERROR_IO when the index or the held file could not be read or
 * written (a locked index): the MTA is to try again later. */
gboolean cm_holdstore_claim_release (CmHoldStore *store, const char *id, const char *token,
                                     const CmHold *seen, GError **error);

#endif
