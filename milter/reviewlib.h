/*
 * reviewlib.h: the review library: what can be done with the messages
 * council-milter holds, as functions that return structures and errors.
 * Its front ends print, answer or render them: council-review (the
 * command), decide-by-reply (in the daemon) and the web page.  Nothing
 * here prints, exits or writes to standard error; decisions are logged to
 * syslog, as the daemon's are.
 *
 *   reviewlib.c          the session (configuration, hold store, outbox,
 *                        who is acting and when), the errors, one hold
 *   reviewlib-query.c    list, get (everything about one hold), audit,
 *                        and reading a held message
 *   reviewlib-report.c   report: counts by month, rule, outcome, sender
 *   reviewlib-decide.c   release, reject, explain
 *   reviewlib-expire.c   expire (to the deputy, or back to the sender), digest
 *
 * Every decision happens once, in the store (holdstore.h), however many
 * front ends act at the same moment; the loser gets
 * CM_REVIEW_ERROR_DECIDED saying who won.  Every decision and notice is
 * recorded in the audit trail with the session's actor: a name and the
 * kind of name it is (a login on the relay, a mail sender, a web user).
 * A held message is read through the store, never by its path.
 *
 * Error messages are whole sentences for people, already naming the hold
 * (made safe by the front end before it shows them).
 */
#ifndef CM_REVIEWLIB_H
#define CM_REVIEWLIB_H

#include <glib.h>
#include <gmime/gmime.h>

#include "holdstore.h"
#include "policy.h"
#include "review-format.h"

/* A day in seconds, for ages and periods. */
#define CM_REVIEW_DAY (24 * 3600)

/* ---- errors ------------------------------------------------------------ */

#define CM_REVIEW_ERROR (cm_review_error_quark ())
GQuark cm_review_error_quark (void);

typedef enum {
  CM_REVIEW_ERROR_NOT_FOUND, /* no hold has that id, or its message has gone */
  CM_REVIEW_ERROR_BAD_ID,    /* not shaped like a hold id: nothing was looked up */
  CM_REVIEW_ERROR_DECIDED,   /* decided already: the message says how, by whom, when */
  CM_REVIEW_ERROR_BUSY,      /* the index was locked by another process: try again */
  CM_REVIEW_ERROR_SMTP,      /* the released message could not be handed over (held again,
                              * unless the message says the release could not be undone) */
  CM_REVIEW_ERROR_STORE,     /* the spool, the index or the outbox failed */
  CM_REVIEW_ERROR_MAIL,      /* a notice or digest could neither be sent nor kept */
  CM_REVIEW_ERROR_INVALID,   /* unfit for the action: no reason, an envelope that cannot be reused */
  CM_REVIEW_ERROR_CONFIG,    /* the configuration lacks what the action needs */
} CmReviewErrorCode;

/* ---- the session ----------------------------------------------------- */

/* What kind of name the acting person has. */
typedef enum {
  CM_REVIEW_SHELL_USER,  /* a login on the relay: the sudo user */
  CM_REVIEW_MAIL_SENDER, /* a mail address: the sender of a reply */
  CM_REVIEW_WEB_USER,    /* a user signed in to the web page */
  CM_REVIEW_SCHEDULED,   /* a job, not a person: the daily expire */
} CmReviewActorKind;

/* The audit trail's word for KIND (CM_HOLD_ACTOR_*: "shell", "mail", ...). */
const char *cm_review_actor_kind_name (CmReviewActorKind kind);

typedef struct _CmReviewSession CmReviewSession;

/* Open a session for the person NAME of KIND under CONFIG (a reference is
 * taken): the hold store of [hold] spool; the outbox is opened when a
 * call first sends mail.  NAME is recorded made safe (no control
 * characters).  NULL with CM_REVIEW_ERROR_STORE when the store cannot be
 * opened. */
CmReviewSession *cm_review_session_open (CmConfig *config, CmReviewActorKind kind, const char *name,
                                         GError **error);
void cm_review_session_close (CmReviewSession *session);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CmReviewSession, cm_review_session_close)

/* The time the session acts at (Unix seconds; default: when it opened). */
void cm_review_session_set_now (CmReviewSession *session, gint64 now);
gint64 cm_review_session_now (const CmReviewSession *session);
/* How mail written for the Monitoring Officer or the deputy tells them to
 * run a command ("sudo -u council-milter council-review"; the default). */
void cm_review_session_set_invocation (CmReviewSession *session, const char *invocation);
CmConfig *cm_review_session_config (const CmReviewSession *session);
/* The acting person's name as recorded, and its kind. */
const char *cm_review_session_who (const CmReviewSession *session);
CmReviewActorKind cm_review_session_kind (const CmReviewSession *session);

/* The record of hold ID: CM_REVIEW_ERROR_BAD_ID, _NOT_FOUND, _BUSY or _STORE otherwise. */
CmHold *cm_review_find (CmReviewSession *session, const char *id, GError **error);

/* ---- reading (reviewlib-query.c) ----------------------------------- */

/* The Unix time DAYS days before the session's now, for held_before. */
gint64 cm_review_days_ago (const CmReviewSession *session, guint days);

/* The holds FILTER selects (NULL: every one), CmHold *, oldest first. */
GPtrArray *cm_review_list (CmReviewSession *session, const CmHoldFilter *filter, GError **error);

/* One part of a held message, a leaf of its MIME tree, in order. */
typedef struct {
  char *content_type;  /* "text/plain", lower case */
  char *filename;      /* as the sender named it (made safe), or NULL */
  gsize size;          /* bytes of its content as sent (still encoded) */
  gboolean attachment; /* Content-Disposition: attachment, or named, or a message/rfc822 */
  guint depth;         /* 0 for the message's own body */
} CmReviewPart;

/* A paragraph of the protocols a hold cites. */
typedef struct {
  char *clause;  /* "South Ribble 16.2" */
  char *text;    /* from [policy] paragraphs, or NULL when the file lacks it */
} CmReviewParagraph;

/* Everything about one hold, for show and for the web page. */
typedef struct {
  CmHold *record;
  GPtrArray *findings;     /* CmReviewFinding * (review-format.h), with their evidence */
  char *findings_error;    /* why the recorded verdict could not be read, or NULL */
  GPtrArray *paragraphs;   /* CmReviewParagraph *: each clause cited, once, in order */
  char *file;              /* where the store keeps the message, for administrators; may be NULL */
  gboolean missing;        /* the message's file has gone */
  char *message_error;     /* why the message could not be read, or NULL */
  char *text;              /* its readable text (plain, else HTML as text), made safe;
                            * "" without a text part; NULL when it could not be read */
  GPtrArray *parts;        /* CmReviewPart *: empty when it could not be read */
  GPtrArray *events;       /* CmHoldEvent *: the audit trail, oldest first */
} CmReviewHold;

void cm_review_hold_free (CmReviewHold *hold);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CmReviewHold, cm_review_hold_free)

/* Everything about hold ID.  A message that has gone or cannot be read
 * is said in the result (missing, message_error), not as an error. */
CmReviewHold *cm_review_get (CmReviewSession *session, const char *id, GError **error);

/* The audit trail (CmHoldEvent *, oldest first) of hold ID, or of every
 * hold when ID is NULL; only events at or after SINCE (0: all). */
GPtrArray *cm_review_audit (CmReviewSession *session, const char *id, gint64 since, GError **error);

/* The held message ID as it came, a stream at its start. */
GMimeStream *cm_review_open_message (CmReviewSession *session, const char *id, GError **error);

/* ---- the report (reviewlib-report.c) ------------------------------- */

typedef struct {
  char *name;
  guint count;
} CmReviewCount;

/* The holds of a period, counted, for the Standards Committee. */
typedef struct {
  gint64 since, before;  /* held_at in [since, before); before 0: up to now */
  guint total;
  GPtrArray *by_month;   /* CmReviewCount *: "YYYY-MM" (UTC), every month of the period, in order */
  GPtrArray *by_rule;    /* a hold held under two rules counts under each; most first, then by name */
  GPtrArray *by_outcome; /* held, released, rejected, withdrawn, expired (even at 0), then others */
  GPtrArray *by_role;    /* member, officer, external (even at 0), then others ("unknown") */
} CmReviewReport;

void cm_review_report_free (CmReviewReport *report);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CmReviewReport, cm_review_report_free)

CmReviewReport *cm_review_report (CmReviewSession *session, gint64 since, gint64 before, GError **error);

/* ---- deciding (reviewlib-decide.c) --------------------------------- */

/* What a decision did besides deciding. */
typedef struct {
  CmHold *hold;          /* the record as it was decided */
  char *handed_to;       /* release: the listener (host:port) that took the message */
  guint recipients;      /* release: how many recipients it went to */
  char *notice;          /* reject: what became of the sender's notice ("notice sent to ...",
                          * "no notice: ..."), NULL when it failed */
  GError *notice_error;  /* reject: the decision stands, but the notice could neither be sent
                          * nor kept (CM_REVIEW_ERROR_MAIL) */
  GPtrArray *warnings;   /* char *: lesser failures after the decision (recording the notice) */
} CmReviewOutcome;

void cm_review_outcome_free (CmReviewOutcome *outcome);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CmReviewOutcome, cm_review_outcome_free)

/* Release hold ID with NOTE (may be NULL): decided first, then the
 * message re-injected by SMTP with its original envelope and the release
 * marker the daemon honours once ([hold] release-smtp; [notify] smtp for
 * a sender outside the filter's scope).  When the hand-off fails the
 * hold is held again and the error is CM_REVIEW_ERROR_SMTP. */
CmReviewOutcome *cm_review_release (CmReviewSession *session, const char *id, const char *note,
                                    GError **error);
/* Reject hold ID with REASON (required: the sender is told it), then
 * tell a sender in the council why (never one outside, nor an automatic
 * message's).  A notice that fails leaves the rejection standing: see
 * the outcome's notice_error. */
CmReviewOutcome *cm_review_reject (CmReviewSession *session, const char *id, const char *reason,
                                   GError **error);
/* Record TEXT as the sender's explanation of hold ID while it is held. */
gboolean cm_review_explain (CmReviewSession *session, const char *id, const char *text, GError **error);

/* ---- expiry and the digest (reviewlib-expire.c) -------------------- */

typedef enum {
  CM_REVIEW_EXPIRED,    /* returned to the sender unsent */
  CM_REVIEW_ESCALATED,  /* passed to the deputy */
  CM_REVIEW_SKIPPED,    /* decided by someone else meanwhile */
} CmReviewExpiryAction;

/* What expire did (or, in a dry run, would do) with one hold. */
typedef struct {
  char *id;
  CmReviewExpiryAction action;
  char *note;     /* expired: why, as recorded; escalated: where the deputy's mail went;
                   * skipped: what became of it */
  char *notice;   /* expired: what became of the sender's notice, or NULL */
  GError *error;  /* this step failed; the message says what stands */
} CmReviewExpiry;

typedef struct {
  gboolean dry_run;
  char *warning;    /* about the configuration (escalate without a deputy), or NULL */
  GPtrArray *items; /* CmReviewExpiry *, oldest hold first */
} CmReviewExpiryRun;

void cm_review_expiry_run_free (CmReviewExpiryRun *run);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CmReviewExpiryRun, cm_review_expiry_run_free)

/* Every hold held past [hold] expire-days: passed to [hold] deputy once
 * when [hold] expire=escalate (and returned when the deputy lets as many
 * days again pass), else returned to its sender as expired.  Recorded as
 * the scheduled job "council-review expire".  NULL only when the holds
 * could not be listed; a failed step is in its item. */
CmReviewExpiryRun *cm_review_expire (CmReviewSession *session, gboolean dry_run, GError **error);

/* The Monitoring Officer's daily list of what is still held. */
typedef struct {
  guint count;   /* holds listed; 0: nothing held, nothing sent */
  char *to;      /* the Monitoring Officer's address */
  gboolean kept; /* kept in the outbox for a retry (WHY says why), not sent now */
  char *why;
} CmReviewDigest;

void cm_review_digest_free (CmReviewDigest *digest);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CmReviewDigest, cm_review_digest_free)

/* Send the Monitoring Officer the list of the holds still held:
 * CM_REVIEW_ERROR_CONFIG without a Monitoring Officer, _MAIL when the
 * list could neither be sent nor kept. */
CmReviewDigest *cm_review_send_digest (CmReviewSession *session, GError **error);

#endif
