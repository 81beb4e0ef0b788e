/*
 * review-format.h: what council-review shows people, and the mail it
 * writes, is made of these pieces:
 *
 *   cm_review_safe()         message data fit for a terminal or a notice:
 *                            valid UTF-8, no control characters
 *   cm_review_wrap()         a paragraph folded to a width, indented
 *   cm_review_age(), _time() how long ago, and when (UTC)
 *   cm_review_findings()     the findings of a hold's verdict_json
 *   cm_review_message_text() the readable text of a held message
 *
 * Nothing here writes to the spool or sends mail.
 */
#ifndef CM_REVIEW_FORMAT_H
#define CM_REVIEW_FORMAT_H

#include <glib.h>
#include <gmime/gmime.h>

#include "policy.h"

/* TEXT (NULL: "") as valid UTF-8 with every control character (C0, DEL,
 * C1) and every bidirectional override replaced by '?'.  With MULTILINE,
 * line ends are kept (CRLF becomes LF) and tabs too; without, a line end
 * or a tab becomes a space. */
char *cm_review_safe (const char *text, gboolean multiline);

/* Append TEXT (made safe) to OUT folded at WIDTH columns (0: not
 * folded), every line starting with INDENT; the text's own line breaks
 * are kept. */
void cm_review_wrap (GString *out, const char *text, const char *indent, guint width);
/* The same with a hanging indent: each line of TEXT starts after FIRST
 * and continues after INDENT. */
void cm_review_wrap_hanging (GString *out, const char *text, const char *first, const char *indent,
                             guint width);

/* How long from THEN to NOW, for people: "3d 4h", "4h 12m", "12m". */
char *cm_review_age (gint64 then, gint64 now);
/* AT as "2026-11-23 03:15 UTC" ("-" for 0). */
char *cm_review_time (gint64 at);
/* AT as ISO 8601 in UTC: "2026-11-23T03:15:00Z". */
char *cm_review_iso_time (gint64 at);
/* A date "YYYY-MM-DD" as the Unix time of its midnight, UTC; FALSE when
 * it is not a real date in that form. */
gboolean cm_review_parse_date (const char *text, gint64 *at);

/* One finding of a held verdict (cm_verdict_to_json's "findings"). */
typedef struct {
  char *rule;
  char *action;
  char *clause;
  char *summary;
  GPtrArray *evidence;   /* char * */
  GPtrArray *people;     /* char * */
} CmReviewFinding;

void cm_review_finding_free (CmReviewFinding *finding);

/* The findings in VERDICT_JSON, as CmReviewFinding *: empty for NULL;
 * NULL with ERROR when the text is not such a verdict. */
GPtrArray *cm_review_findings (const char *verdict_json, GError **error);

/* What cm_review_append_findings() adds to each finding besides its
 * paragraph, rule, summary, evidence and the paragraph's text. */
typedef enum {
  CM_REVIEW_FINDINGS_PLAIN = 0,
  CM_REVIEW_FINDINGS_PEOPLE = 1 << 0, /* the addresses of the people concerned */
  CM_REVIEW_FINDINGS_ADVICE = 1 << 1, /* the rule's "what to do instead", for the sender */
} CmReviewFindingsFlags;

/* Append to OUT, for people, the findings of VERDICT_JSON: for each its
 * paragraph, rule and summary, the evidence, what FLAGS asks for, and the
 * paragraph's text from CONFIG when there is one; every line starts with
 * INDENT, folded at WIDTH (0: not folded).  When the verdict cannot be
 * read, the record's RULES and CLAUSES stand in, with a line saying so. */
void cm_review_append_findings (GString *out, const CmConfig *config, const char *verdict_json,
                                char **rules, const char *clauses, CmReviewFindingsFlags flags,
                                const char *indent, guint width);

/* The readable text of the message in the file PATH: its first text/plain
 * part, else its first text/html part as rough text, decoded to UTF-8 and
 * made safe.  NULL with ERROR when the file cannot be read; "" when the
 * message has no text part. */
char *cm_review_message_text (const char *path, GError **error);
/* The same of a MESSAGE already parsed (a held message read through the
 * hold store). */
char *cm_review_message_text_of (GMimeMessage *message);

#endif
