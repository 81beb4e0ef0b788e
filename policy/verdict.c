/*
 * verdict.c: the findings become one action, the strongest configured
 * among them, with the mode applied (advise: hold and reject become warn;
 * monitor: anything becomes tag).  Also the names of actions, modes and
 * roles as the configuration and the outputs spell them.
 */
#include "config.h"

#include "policy.h"
#include "rules.h"
#include "verdict.h"

const char *
cm_action_name (CmAction action)
{
  static const char *const names[] = { "accept", "tag", "warn", "hold", "reject" };
  return action <= CM_ACTION_REJECT ? names[action] : "accept";
}

const char *
cm_rule_action_name (CmAction action)
{
  return action == CM_ACTION_NONE ? "off" : cm_action_name (action);
}

const char *
cm_mode_name (CmMode mode)
{
  static const char *const names[] = { "enforce", "advise", "monitor" };
  return mode <= CM_MODE_MONITOR ? names[mode] : "enforce";
}

const char *
cm_role_name (CmRole role)
{
  static const char *const names[] = { "external", "officer", "member" };
  return role <= CM_ROLE_MEMBER ? names[role] : "external";
}

CmAction
cm_verdict_decide (CmMode mode, const GPtrArray *findings)
{
  CmAction action = CM_ACTION_NONE;
  for (guint i = 0; i < findings->len; i++)
    {
      const CmFinding *finding = findings->pdata[i];
      action = MAX (action, finding->action);
    }
  if (action == CM_ACTION_NONE)
    return action;
  if (mode == CM_MODE_MONITOR)
    return CM_ACTION_TAG;
  if (mode == CM_MODE_ADVISE && action > CM_ACTION_WARN)
    return CM_ACTION_WARN;
  return action;
}

void
cm_verdict_free (CmVerdict *verdict)
{
  if (verdict == NULL)
    return;
  g_free (verdict->sender_address);
  g_free (verdict->sender_name);
  if (verdict->findings)
    g_ptr_array_unref (verdict->findings);
  g_free (verdict);
}
