/*
 * mailbox.h: the notices' mailbox ([notify] from) and the sub-addresses
 * under it that the daemon answers itself rather than delivering:
 *
 *   LOCAL+hold-ID-TOKEN@DOMAIN     the sender's reply to a hold notice,
 *                                  to withdraw or explain (replies.h)
 *   LOCAL+release-ID-TOKEN@DOMAIN  the Monitoring Officer's (or the
 *   LOCAL+reject-ID-TOKEN@DOMAIN   deputy's) decision by reply
 *                                  (decision.h, decide-reply.h)
 *
 * TOKEN is the first CM_MAILBOX_TOKEN_DIGITS hex digits of an HMAC
 * under the hold spool's secret; this file only builds and cuts
 * addresses (no store, no secret), so the notices of council-review can
 * use it as well as the daemon's.
 */
#ifndef CM_MAILBOX_H
#define CM_MAILBOX_H

#include <glib.h>

#include "policy.h"

/* Hex digits of a token in an address: 64 bits, plenty against guessing. */
#define CM_MAILBOX_TOKEN_DIGITS 16

/* The local part and domain of the [notify] from mailbox (postmaster at
 * the council's first domain without one). */
void cm_notify_mailbox (const CmConfig *config, char **local, char **domain);

/* The bare address of a configured VALUE ("Name <addr>" gives addr),
 * or NULL when VALUE is NULL or empty. */
char *cm_mailbox_bare (const char *value);

/* The reply address of hold HOLD_ID: [notify] from's local part with
 * "+hold-HOLD_ID-" and the first 16 digits of TOKEN (the hold's "reply"
 * token), at its domain. */
char *cm_notify_reply_address (const CmConfig *config, const char *hold_id, const char *token);

/* Is ADDRESS the sub-address LOCAL+TAG-ID-TOKEN@DOMAIN of the notices'
 * mailbox (compared without regard to case)?  Sets *HOLD_ID and *TOKEN,
 * in lower case, when it is; a malformed ID or TOKEN still makes it one
 * (to be refused later, never delivered to the mailbox). */
gboolean cm_mailbox_parse (const CmConfig *config, const char *address, const char *tag, char **hold_id,
                           char **token);

/* Do the first CM_MAILBOX_TOKEN_DIGITS of EXPECTED (a whole token, in
 * lower case) equal GIVEN (from an address, any case)?  Constant time. */
gboolean cm_mailbox_token_matches (const char *expected, const char *given);

/* What a decision by reply does. */
typedef enum { CM_DECISION_RELEASE, CM_DECISION_REJECT } CmDecision;

/* "release" or "reject": the tag of its address and the word in the log. */
const char *cm_decision_name (CmDecision decision);

/* The address that makes DECISION on hold HOLD_ID: the notices' local
 * part with "+release-HOLD_ID-" (or "+reject-") and the first 16 digits
 * of TOKEN (decision.h), at its domain. */
char *cm_decision_address (const CmConfig *config, CmDecision decision, const char *hold_id,
                           const char *token);

/* Is ADDRESS a decision address?  Sets *DECISION, *HOLD_ID and *TOKEN. */
gboolean cm_decision_parse_address (const CmConfig *config, const char *address, CmDecision *decision,
                                    char **hold_id, char **token);

/* Append, after INDENT, the plain words that tell the decider to reply
 * to RELEASE_TO to release the hold and to REJECT_TO to reject it, and
 * what becomes of the reply's text. */
void cm_decision_append_instructions (GString *out, const char *release_to, const char *reject_to,
                                      const char *indent);

#endif
