/*
 * reviewfixture.h: what the council-review tests share: a scratch spool
 * with its configuration and SMTP listener (smtpsink.h), running the
 * built program, putting holds in the store, and reading what the
 * listener took.  test_review.c reads (list, show, audit, report, usage);
 * test_review_decide.c decides (release, reject, expire, digest).
 */
#ifndef CM_REVIEWFIXTURE_H
#define CM_REVIEWFIXTURE_H

#include <gio/gio.h>

#include "holdstore.h"
#include "smtpsink.h"
#include "testutil.h"

#define DAY (24 * 3600)
#define REVIEWER "mo.tester"

/* A scratch spool, its configuration, the listener and the store. */
typedef struct {
  char *spool;
  char *config;
  SmtpSink *sink;
  CmHoldStore *store;
} Env;

void env_free (Env *env);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (Env, env_free)

/* The outcome of one run of council-review. */
typedef struct {
  int status;
  char *out;
  char *err;
} Run;

void run_free (Run *run);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (Run, run_free)

extern const char jane[];
extern const char obligation_message[];

/* A spool, a listener that is up, and a configuration naming both, with
 * the [hold] and [notify] keys of EXTRA (key-file text) added. */
Env *env_new (const char *extra);
/* Start council-review with ARGS (NULL-terminated) as REVIEWER. */
GSubprocess *spawn (Env *env, const char *const *args);
/* Wait for PROCESS and collect what it printed and its exit status. */
Run *finish (GSubprocess *process);
/* Run council-review with the arguments after ENV, NULL-terminated. */
Run *run_review (Env *env, ...) G_GNUC_NULL_TERMINATED;
/* Assert that RUN exited with STATUS, showing what it printed if not. */
void assert_status (const Run *run, int status);
/* Assert that TEXT contains NEEDLE. */
void assert_has (const char *text, const char *needle);
void assert_lacks (const char *text, const char *needle);
/* Hold MESSAGE from SENDER to RECIPIENTS (NULL: builder and Tom Baker),
 * judged by the engine: the verdict, rules and clauses are its own. */
CmHold *hold_message (Env *env, const char *sender, const char *const *recipients, const char *message);
/* Hold a message with a hand-made verdict: SUBJECT, SENDER of ROLE, RULE. */
CmHold *hold_simple (Env *env, const char *sender, const char *role, const char *rule, const char *subject);
/* Run one statement with the integer A and the text B on the spool's index. */
void index_sql (Env *env, const char *sql, gint64 a, const char *b);
/* Make hold ID look held SECONDS earlier than it was. */
void backdate (Env *env, const char *id, gint64 seconds);
/* The stored record of ID. */
CmHold *get (Env *env, const char *id);
/* Does the audit trail of ID have an event WHAT? */
gboolean has_event (Env *env, const char *id, const char *what);
/* The message number I the listener took. */
SmtpSinkMessage *received (Env *env, guint i);
/* The message the listener took, parsed. */
GMimeMessage *parse_received (const SmtpSinkMessage *m);
/* The text of the first text/plain part of MESSAGE. */
char *body_text (GMimeMessage *message);
/* TEXT's lines ending in LF. */
char *lf_only (const char *text);

#endif
