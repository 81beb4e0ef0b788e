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
  static const char *const names[] = { "accept", "tag", "warn", "disclose", "hold", "reject" };
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
cm_verdict_disclose (CmVerdict *verdict, GMimeMessage *message)
{
  if (verdict->action != CM_ACTION_DISCLOSE)
    return;
  g_autoptr (GPtrArray) lines = g_ptr_array_new ();
  for (guint i = 0; i < verdict->findings->len; i++)
    {
      const CmFinding *finding = verdict->findings->pdata[i];
      if (finding->action == CM_ACTION_DISCLOSE && finding->disclosure)
        g_ptr_array_add (lines, finding->disclosure);
    }
  g_ptr_array_add (lines, NULL);
  g_autofree char *line = g_strjoinv ("; ", (char **) lines->pdata);

  char *refusal = verdict->truncated ? g_strdup ("it is larger than [policy] max-scan-size, so only part of it was read")
                : *line == '\0' ? g_strdup ("no rule gave a line to add")
                : cm_disclose_refusal (message, line);
  if (refusal == NULL)
    {
      verdict->disclosure = g_steal_pointer (&line);
      return;
    }
  verdict->undisclosed = refusal;
  for (guint i = 0; i < verdict->findings->len; i++)
    {
      CmFinding *finding = verdict->findings->pdata[i];
      if (finding->action != CM_ACTION_DISCLOSE)
        continue;
      finding->action = CM_ACTION_WARN;
      char *summary = g_strdup_printf ("%s (not disclosed at the foot: %s)", finding->summary, refusal);
      g_free (finding->summary);
      finding->summary = summary;
    }
  verdict->action = cm_verdict_decide (verdict->mode, verdict->findings);
}

void
cm_verdict_free (CmVerdict *verdict)
{
  if (verdict == NULL)
    return;
  g_free (verdict->sender_address);
  g_free (verdict->sender_name);
  g_free (verdict->disclosure);
  g_free (verdict->undisclosed);
  if (verdict->findings)
    g_ptr_array_unref (verdict->findings);
  if (verdict->partial)
    g_ptr_array_unref (verdict->partial);
  g_free (verdict);
}
