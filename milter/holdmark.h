/*
 * holdmark.h: what binds a release mark to the message it released.
 *
 * A hold records the SHA-256 of its message's body; the daemon computes
 * the same digest of a message carrying a release mark and honours the
 * mark only when the two agree (and the envelope is the held one), so a
 * copy of the mark carries no other content.  The body is read as a
 * mail transport may pass it on: CRLF and LF line ends count alike, and
 * line ends at the very end are not counted, since SMTP may add one.
 */
#ifndef CM_HOLDMARK_H
#define CM_HOLDMARK_H

#include <glib.h>

#include "holdstore.h"

typedef struct _CmBodyDigest CmBodyDigest;

/* A new digest.  WHOLE_MESSAGE: what follows is the whole message and
 * its header (up to the first empty line) is skipped; otherwise only the
 * body follows. */
CmBodyDigest *cm_body_digest_new (gboolean whole_message);
void cm_body_digest_update (CmBodyDigest *digest, const guint8 *data, gsize length);
/* The digest in lower-case hex; DIGEST is freed. */
char *cm_body_digest_finish (CmBodyDigest *digest);
void cm_body_digest_free (CmBodyDigest *digest);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CmBodyDigest, cm_body_digest_free)

/* The body digest of the message in the file PATH (header and body). */
char *cm_body_digest_file (const char *path, GError **error);

/* Is SEEN (its sender, recipients and body_digest) the message HOLD was
 * kept with, whose body digest is KEPT: the same body, from the same
 * sender, to none but its recipients (fewer is fine: the MTA may have
 * refused some)?  Otherwise CM_HOLD_ERROR_TOKEN says how it differs. */
gboolean cm_holdmark_matches (const CmHold *hold, const char *kept, const CmHold *seen, GError **error);

#endif
