/*
 * reviewlib.c: the review library's session and errors (reviewlib.h).
 *
 * A session is what every call works in: the configuration (a
 * reference, so that the daemon's reload cannot pull it away), its own
 * connection to the hold store, the outbox (opened only when a call
 * sends mail: reading needs no write access to it), the acting person
 * and the time.  Nothing is global: front ends open as many sessions as
 * they have people acting, in threads or processes.
 */
#include "config.h"

#include "outbox.h"
#include "reviewlib.h"
#include "reviewlib-private.h"
#include "settings.h"

#define DEFAULT_INVOCATION "sudo -u council-milter council-review"

G_DEFINE_QUARK (cm-review-error-quark, cm_review_error)

/* The audit trail's words, in the order of CmReviewActorKind. */
static const char *const kind_names[] = {
  CM_HOLD_ACTOR_SHELL, CM_HOLD_ACTOR_MAIL, CM_HOLD_ACTOR_WEB, CM_HOLD_ACTOR_SYSTEM,
};

/* The audit trail's word for KIND. */
const char *
cm_review_actor_kind_name (CmReviewActorKind kind)
{
  return (guint) kind < G_N_ELEMENTS (kind_names) ? kind_names[kind] : CM_HOLD_ACTOR_SYSTEM;
}

/* Open a session for NAME of KIND under CONFIG. */
CmReviewSession *
cm_review_session_open (CmConfig *config, CmReviewActorKind kind, const char *name, GError **error)
{
  g_return_val_if_fail (config != NULL && name != NULL, NULL);
  g_autoptr (CmReviewSession) session = g_new0 (CmReviewSession, 1);
  session->config = cm_config_ref (config);
  session->kind = kind;
  /* A web login or a mail address is written by someone else: the audit
   * trail and every terminal that shows it get it without control codes. */
  session->who = cm_review_safe (name, FALSE);
  session->now = g_get_real_time () / G_USEC_PER_SEC;
  session->invocation = g_strdup (DEFAULT_INVOCATION);
  GError *local = NULL;
  session->store = cm_holdstore_open (cm_daemon_settings (config)->spool, &local);
  if (session->store == NULL)
    {
      cm_review_propagate (error, local, "opening the hold store: ");
      return NULL;
    }
  return g_steal_pointer (&session);
}

/* Close what the session opened. */
void
cm_review_session_close (CmReviewSession *session)
{
  if (session == NULL)
    return;
  g_clear_pointer (&session->outbox, cm_outbox_close);
  g_clear_pointer (&session->store, cm_holdstore_close);
  g_clear_pointer (&session->config, cm_config_unref);
  g_free (session->who);
  g_free (session->invocation);
  g_free (session);
}

void
cm_review_session_set_now (CmReviewSession *session, gint64 now)
{
  session->now = now;
}

gint64
cm_review_session_now (const CmReviewSession *session)
{
  return session->now;
}

void
cm_review_session_set_invocation (CmReviewSession *session, const char *invocation)
{
  g_free (session->invocation);
  session->invocation = g_strdup (invocation ? invocation : DEFAULT_INVOCATION);
}

CmConfig *
cm_review_session_config (const CmReviewSession *session)
{
  return session->config;
}

const char *
cm_review_session_who (const CmReviewSession *session)
{
  return session->who;
}

CmReviewActorKind
cm_review_session_kind (const CmReviewSession *session)
{
  return session->kind;
}

/* The session's actor as the store records it. */
CmHoldActor
cm_review_actor (const CmReviewSession *session)
{
  return (CmHoldActor) { session->who, cm_review_actor_kind_name (session->kind) };
}

/* The outbox, opened on first use; NULL with ERROR when it cannot be. */
CmOutbox *
cm_review_outbox (CmReviewSession *session, GError **error)
{
  if (session->outbox)
    return session->outbox;
  g_autofree char *dir = g_build_filename (cm_daemon_settings (session->config)->spool, "outbox", NULL);
  GError *local = NULL;
  session->outbox = cm_outbox_open (dir, &local);
  if (session->outbox == NULL)
    cm_review_propagate (error, local, "opening the outbox: ");
  return session->outbox;
}

/* The library's code for LOCAL, an error of the store or of another module. */
static CmReviewErrorCode
code_of (const GError *local)
{
  if (local->domain == CM_REVIEW_ERROR)
    return (CmReviewErrorCode) local->code;
  if (local->domain == CM_HOLD_ERROR)
    switch ((CmHoldErrorCode) local->code)
      {
      case CM_HOLD_ERROR_NOT_FOUND:
        return CM_REVIEW_ERROR_NOT_FOUND;
      case CM_HOLD_ERROR_DECIDED:
        return CM_REVIEW_ERROR_DECIDED;
      case CM_HOLD_ERROR_TOKEN:
        return CM_REVIEW_ERROR_INVALID;
      case CM_HOLD_ERROR_IO:
      default:
        return cm_hold_error_busy (local) ? CM_REVIEW_ERROR_BUSY : CM_REVIEW_ERROR_STORE;
      }
  if (local->domain == G_IO_ERROR && local->code == G_IO_ERROR_INVALID_ARGUMENT)
    return CM_REVIEW_ERROR_INVALID;
  return CM_REVIEW_ERROR_STORE;
}

/* Set ERROR to LOCAL (taken) in CM_REVIEW_ERROR, its message after PREFIX. */
void
cm_review_propagate (GError **error, GError *local, const char *prefix)
{
  if (local == NULL)
    return;
  g_set_error (error, CM_REVIEW_ERROR, code_of (local), "%s%s", prefix ? prefix : "", local->message);
  g_error_free (local);
}

/* The record of hold ID. */
CmHold *
cm_review_find (CmReviewSession *session, const char *id, GError **error)
{
  g_return_val_if_fail (session != NULL, NULL);
  /* The same words as for an id that is not there: nothing more to learn
   * by trying names (and an id is never a path). */
  if (!cm_holdstore_id_valid (id))
    {
      g_set_error (error, CM_REVIEW_ERROR, CM_REVIEW_ERROR_BAD_ID, "no held message has the id %s",
                   id ? id : "");
      return NULL;
    }
  GError *local = NULL;
  CmHold *hold = cm_holdstore_get (session->store, id, &local);
  cm_review_propagate (error, local, NULL);
  return hold;
}
