/*
 * decision.h: the tokens of the decision addresses (mailbox.h) that let
 * the Monitoring Officer or the deputy release or reject a hold by
 * replying.  A token is the HMAC, under the hold spool's secret, of the
 * decision, the hold and the decider's address (lower case), so a
 * release address cannot reject, cannot decide another hold, and works
 * for no one but the person it was written to (the Monitoring Officer's
 * and the deputy's differ).  Used by the notices that carry them (the
 * daemon's notice of a hold, council-review's escalation and digest)
 * and by the daemon when a reply comes (decide-reply.h).
 */
#ifndef CM_DECISION_H
#define CM_DECISION_H

#include <glib.h>

#include "holdstore.h"
#include "mailbox.h"
#include "policy.h"

/* Is deciding by reply on ([hold] decide-by-reply, and a Monitoring
 * Officer to decide)? */
gboolean cm_decision_by_reply (const CmConfig *config);

/* Is ADDRESS (any case) the Monitoring Officer's or the deputy's? */
gboolean cm_decision_decider (const CmConfig *config, const char *address);

/* The whole token (lower-case hex) of DECISION on hold HOLD_ID by DECIDER. */
char *cm_decision_token (CmHoldStore *store, CmDecision decision, const char *hold_id, const char *decider);

/* Does GIVEN (from an address) verify for DECISION, HOLD_ID and DECIDER? */
gboolean cm_decision_token_valid (CmHoldStore *store, CmDecision decision, const char *hold_id,
                                  const char *decider, const char *given);

/* The release and reject addresses of hold HOLD_ID for DECIDER; FALSE,
 * with none, when deciding by reply is off (or STORE is NULL). */
gboolean cm_decision_addresses (const CmConfig *config, CmHoldStore *store, const char *hold_id,
                                const char *decider, char **release_to, char **reject_to);

/* Append to OUT, after INDENT, how DECIDER decides hold HOLD_ID by reply
 * (its two addresses and what the reply's text becomes).  FALSE, with
 * nothing appended, when deciding by reply is off. */
gboolean cm_decision_append (GString *out, const CmConfig *config, CmHoldStore *store, const char *hold_id,
                             const char *decider, const char *indent);

#endif
