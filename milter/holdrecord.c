/*
 * holdrecord.c: the hold store's records as values (holdstore.h): the
 * names of their states, what became of a hold, freeing them, and what
 * kind of failure an error was.  Nothing here touches the spool or the
 * index.
 */
#include "config.h"

#include <string.h>
#include <sqlite3.h>

#include "holdstore.h"

/* In the order of CmHoldState; the index keeps these names. */
static const char *const state_names[] = { "held", "released", "rejected", "withdrawn", "expired" };

/* The name of STATE, as kept in the index and the audit trail. */
const char *
cm_hold_state_name (CmHoldState state)
{
  return (guint) state < G_N_ELEMENTS (state_names) ? state_names[state] : "unknown";
}

/* The state called NAME, into *STATE; FALSE for an unknown name. */
gboolean
cm_hold_state_parse (const char *name, CmHoldState *state)
{
  for (guint i = 0; name && i < G_N_ELEMENTS (state_names); i++)
    if (strcmp (name, state_names[i]) == 0)
      {
        *state = (CmHoldState) i;
        return TRUE;
      }
  return FALSE;
}

/* Free HOLD and everything it owns. */
void
cm_hold_free (CmHold *hold)
{
  if (hold == NULL)
    return;
  g_free (hold->id);
  g_free (hold->queue_id);
  g_free (hold->sender);
  g_strfreev (hold->recipients);
  g_free (hold->sender_role);
  g_free (hold->subject);
  g_strfreev (hold->rules);
  g_free (hold->clauses);
  g_free (hold->verdict_json);
  g_free (hold->explanation);
  g_free (hold->decided_by);
  g_free (hold->decision_note);
  g_free (hold->body_digest);
  g_free (hold);
}

/* Free EVENT and its strings. */
void
cm_hold_event_free (CmHoldEvent *event)
{
  if (event == NULL)
    return;
  g_free (event->hold_id);
  g_free (event->who);
  g_free (event->what);
  g_free (event->note);
  g_free (event->who_kind);
  g_free (event);
}

/* What has become of HOLD, for an error message. */
char *
cm_hold_describe (const CmHold *hold)
{
  if (hold->state == CM_HOLD_HELD)
    return g_strdup_printf ("%s is still held", hold->id);
  g_autoptr (GDateTime) when = g_date_time_new_from_unix_utc (hold->decided_at);
  g_autofree char *at = when ? g_date_time_format (when, "%Y-%m-%d %H:%M UTC") : g_strdup ("?");
  return g_strdup_printf ("%s was already %s%s%s at %s%s", hold->id, cm_hold_state_name (hold->state),
                          hold->decided_by ? " by " : "", hold->decided_by ? hold->decided_by : "", at,
                          hold->release_used ? ", and has been delivered" : "");
}

/* Was ERROR, an I/O error of the store, a locked index (SQLite gave up
 * waiting after BUSY_TIMEOUT_MS)?  The error keeps CM_HOLD_ERROR_IO, which
 * the daemon already answers with a tempfail; a reviewer may just retry. */
gboolean
cm_hold_error_busy (const GError *error)
{
  return g_error_matches (error, CM_HOLD_ERROR, CM_HOLD_ERROR_IO)
         && (strstr (error->message, sqlite3_errstr (SQLITE_BUSY)) != NULL
             || strstr (error->message, sqlite3_errstr (SQLITE_LOCKED)) != NULL);
}
