/*
 * decision.c: the tokens of decision addresses (decision.h).
 */
#include "config.h"

#include "decision.h"
#include "settings.h"

gboolean
cm_decision_by_reply (const CmConfig *config)
{
  return cm_daemon_settings (config)->decide_by_reply && cm_config_monitoring_officer (config) != NULL;
}

gboolean
cm_decision_decider (const CmConfig *config, const char *address)
{
  g_autofree char *mo = cm_mailbox_bare (cm_config_monitoring_officer (config));
  g_autofree char *deputy = cm_mailbox_bare (cm_daemon_settings (config)->deputy);
  return address && *address
      && ((mo && g_ascii_strcasecmp (mo, address) == 0) || (deputy && g_ascii_strcasecmp (deputy, address) == 0));
}

char *
cm_decision_token (CmHoldStore *store, CmDecision decision, const char *hold_id, const char *decider)
{
  /* "decide-release:ADDRESS" as the purpose: never the purpose of a
   * release marker ("release") or a sender's reply ("reply"). */
  g_autofree char *lower = g_ascii_strdown (decider, -1);
  g_autofree char *purpose = g_strdup_printf ("decide-%s:%s", cm_decision_name (decision), lower);
  return cm_holdstore_token (store, purpose, hold_id);
}

gboolean
cm_decision_token_valid (CmHoldStore *store, CmDecision decision, const char *hold_id, const char *decider,
                         const char *given)
{
  if (hold_id == NULL || decider == NULL || given == NULL)
    return FALSE;
  g_autofree char *expected = cm_decision_token (store, decision, hold_id, decider);
  return cm_mailbox_token_matches (expected, given);
}

gboolean
cm_decision_addresses (const CmConfig *config, CmHoldStore *store, const char *hold_id, const char *decider,
                       char **release_to, char **reject_to)
{
  if (store == NULL || decider == NULL || !cm_decision_by_reply (config))
    return FALSE;
  /* The token is bound to the bare address, as the reply's sender will be. */
  g_autofree char *bare = cm_mailbox_bare (decider);
  g_autofree char *release_token = cm_decision_token (store, CM_DECISION_RELEASE, hold_id, bare);
  g_autofree char *reject_token = cm_decision_token (store, CM_DECISION_REJECT, hold_id, bare);
  *release_to = cm_decision_address (config, CM_DECISION_RELEASE, hold_id, release_token);
  *reject_to = cm_decision_address (config, CM_DECISION_REJECT, hold_id, reject_token);
  return TRUE;
}

gboolean
cm_decision_append (GString *out, const CmConfig *config, CmHoldStore *store, const char *hold_id,
                    const char *decider, const char *indent)
{
  g_autofree char *release_to = NULL, *reject_to = NULL;
  if (!cm_decision_addresses (config, store, hold_id, decider, &release_to, &reject_to))
    return FALSE;
  cm_decision_append_instructions (out, release_to, reject_to, indent);
  return TRUE;
}
