/*
 * caps.h: bounded work per message.
 *
 * CmLimits are the caps of council-milter.conf's [policy] group, read
 * once when the configuration is loaded: MIME depth, parts, headers,
 * addresses, HTML depth, sentences and words, and the engine's time
 * budget.  CmScan is one message's account against them: past a cap (or
 * the deadline) the engine stops reading that kind of thing and records
 * why ("mime-depth 33 > 32"); the verdict then says the scan was partial
 * and [policy] partial decides what becomes of the message.
 */
#ifndef CM_CAPS_H
#define CM_CAPS_H

#include <glib.h>

typedef struct {
  guint mime_depth; /* [policy] max-mime-depth: nesting of multiparts and attached messages */
  guint parts;      /* [policy] max-parts: MIME parts read */
  guint headers;    /* [policy] max-headers: header fields of the message read */
  guint addresses;  /* [policy] max-addresses: mailboxes of From, Sender, To, Cc and Bcc */
  guint html_depth; /* [policy] max-html-depth: element nesting of an HTML part */
  guint sentences;  /* [policy] max-sentences: sentences of the sender's text judged */
  guint words;      /* [policy] max-words: words of the sender's text judged */
  gint64 budget_us; /* [policy] time-budget, in microseconds of engine time */
} CmLimits;

/* The caps of a configuration without any [policy] limit keys. */
extern const CmLimits cm_limits_default;
/* Only the guards the engine always had (MIME depth 32, libxml2's HTML
 * depth 256): no count or time is capped. */
extern const CmLimits cm_limits_loose;

typedef struct {
  const CmLimits *limits;
  gint64 deadline;    /* monotonic microseconds */
  guint ticks;        /* calls of cm_scan_out_of_time since the clock was read */
  gboolean late;      /* the deadline has passed */
  GPtrArray *reasons; /* char *: why reading stopped short, one per cap, first first */
} CmScan;

/* Start the account of one message against LIMITS, its clock now. */
void cm_scan_init (CmScan *scan, const CmLimits *limits);
void cm_scan_clear (CmScan *scan);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (CmScan, cm_scan_clear)
/* Take the reasons (a GPtrArray of char *) out of SCAN. */
GPtrArray *cm_scan_steal_reasons (CmScan *scan);

/* Is SEEN past CAP?  The first time for WHAT, say so ("WHAT SEEN > CAP"). */
gboolean cm_scan_over (CmScan *scan, const char *what, guint64 seen, guint64 cap);
/* Record that reading of WHAT stopped for a reason given as text. */
void cm_scan_stop (CmScan *scan, const char *what, const char *reason);
/* Has the time budget run out?  Reads the clock: for coarse steps (a
 * part, a rule).  The first time it has, the reason is recorded. */
gboolean cm_scan_out_of_time (CmScan *scan);
/* The same for loops over words and sentences, which may call it for
 * every item: the clock is read only once in so many calls. */
gboolean cm_scan_out_of_time_often (CmScan *scan);

#endif
