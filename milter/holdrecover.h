/*
 * holdrecover.h: the hold spool put right after the daemon was killed
 * (kill -9, a power cut) in the middle of keeping a message.
 *
 * Keeping a message is: write tmp/ID.eml, link it into held/, index it,
 * remove tmp/ID.eml.  Killed between two steps, the daemon leaves
 *   tmp/ID.eml alone    the MTA was not told DISCARD and sends the message
 *                       again: the file is swept;
 *   held/ID.eml without its record
 *                       not listed, never expired: it is indexed as held,
 *                       its envelope read from its header (From; To, Cc,
 *                       Bcc), as nothing else was written with it, and
 *                       logged loudly for the Monitoring Officer to check.
 * Only files older than a minute are touched, so that a hold being kept
 * by another process at that moment is never taken for a leftover.
 */
#ifndef CM_HOLDRECOVER_H
#define CM_HOLDRECOVER_H

#include <glib.h>

#include "holdstore.h"

typedef struct {
  guint swept;        /* files removed from tmp/ */
  guint indexed;      /* held/ID.eml without a record, indexed */
  guint failed;       /* leftovers that could not be dealt with (logged) */
} CmHoldRecovery;

/* Put right the spool SPOOL of STORE at NOW (Unix seconds); each step and
 * the counts are logged. */
CmHoldRecovery cm_holdrecover_run (CmHoldStore *store, const char *spool, gint64 now);

#endif
