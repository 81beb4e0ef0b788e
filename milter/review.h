/*
 * review.h: what the commands of council-review share.  The commands are
 * a front end over the review library (reviewlib.h): they parse their
 * options, call it, and print what it returns; the library does the
 * work and prints nothing.
 *
 *   council-review.c  main(): the options, the table of commands, and the
 *                     context every command opens (configuration, a
 *                     review session acting as the sudo user)
 *   review-inspect.c  the commands that only read: list, show, audit, report
 *   review-decide.c   the commands that decide and send mail: release,
 *                     reject, expire, digest
 *   review-learn.c    learn: refit the weights from the corpus and the
 *                     council's decisions
 *   review-user.c     user: the accounts of the web review page
 *
 * A command parses its own options first (a usage error needs no
 * configuration), then opens the context with cm_review_open().  Each
 * returns the exit status: REVIEW_OK, REVIEW_FAILED (the action failed:
 * already decided, not found, SMTP...) or REVIEW_USAGE (bad usage or an
 * unusable configuration), having said why on standard error.
 */
#ifndef CM_REVIEW_H
#define CM_REVIEW_H

#include <glib.h>

#include "policy.h"
#include "reviewlib.h"

enum { REVIEW_OK = 0, REVIEW_FAILED = 1, REVIEW_USAGE = 2 };

/* The context of one run, filled by cm_review_open(). */
typedef struct {
  const char *config_path;
  gboolean config_given;  /* -c was used: the commands suggested in mail name it */
  gint64 now;             /* Unix seconds at the start */
  CmConfig *config;
  CmReviewSession *session; /* acting as the sudo user (or the login name) */
} CmReview;

typedef struct _CmReviewCommand CmReviewCommand;
struct _CmReviewCommand {
  const char *name;
  int (*run) (CmReview *review, const CmReviewCommand *command, int argc, char **argv);
  const char *usage;    /* what follows the name */
  const char *summary;
};

/* Print "council-review: MESSAGE" (made safe) on standard error. */
void cm_review_complain (const char *format, ...) G_GNUC_PRINTF (1, 2);
/* Report a usage error of COMMAND (WHAT, and its usage line); REVIEW_USAGE. */
int cm_review_usage (const CmReviewCommand *command, const char *what);
/* Parse COMMAND's options ENTRIES from ARGC and ARGV (ARGV[0] is the
 * command's name), leaving between MIN and MAX arguments; FALSE, having
 * reported the usage error, otherwise. */
gboolean cm_review_parse_options (const CmReviewCommand *command, GOptionEntry *entries, int *argc,
                                  char ***argv, int min, int max);
/* Load the configuration only (a command that needs no hold spool):
 * REVIEW_OK, or REVIEW_USAGE having said why. */
int cm_review_load_config (CmReview *review);
/* Load the configuration and open the review session as the person
 * acting (the sudo user): REVIEW_OK, or the status to exit with. */
int cm_review_open (CmReview *review);
/* Report "DOING: ERROR's message"; REVIEW_FAILED. */
int cm_review_failed (const char *doing, const GError *error);
/* Report ERROR, one of the review library's (its message says it all); REVIEW_FAILED. */
int cm_review_error (const GError *error);

/* The commands (review-inspect.c). */
int cm_review_cmd_list (CmReview *review, const CmReviewCommand *command, int argc, char **argv);
int cm_review_cmd_show (CmReview *review, const CmReviewCommand *command, int argc, char **argv);
int cm_review_cmd_audit (CmReview *review, const CmReviewCommand *command, int argc, char **argv);
int cm_review_cmd_report (CmReview *review, const CmReviewCommand *command, int argc, char **argv);
/* The commands (review-decide.c). */
int cm_review_cmd_release (CmReview *review, const CmReviewCommand *command, int argc, char **argv);
int cm_review_cmd_reject (CmReview *review, const CmReviewCommand *command, int argc, char **argv);
int cm_review_cmd_expire (CmReview *review, const CmReviewCommand *command, int argc, char **argv);
int cm_review_cmd_digest (CmReview *review, const CmReviewCommand *command, int argc, char **argv);
/* The command (review-learn.c). */
int cm_review_cmd_learn (CmReview *review, const CmReviewCommand *command, int argc, char **argv);
/* The command (review-user.c). */
int cm_review_cmd_user (CmReview *review, const CmReviewCommand *command, int argc, char **argv);

#endif
