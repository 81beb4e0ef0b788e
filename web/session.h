/*
 * session.h: who is signed in to council-review-web, and the defences
 * that go with it.
 *
 *   CmWebSessions        the sessions of one daemon (thread-safe): each a
 *                        random id (256 bits from getrandom(), never
 *                        GLib's g_random), the user and role, a CSRF token
 *                        of its own, an expiry, and a one-time message
 *                        for the next page ("Released ...")
 *   cm_web_sessions_signin_allowed()
 *                        sign-in attempts per client address per minute
 *   cm_web_cookie()      the Set-Cookie value: HttpOnly, Secure (unless
 *                        told otherwise for a plain-HTTP test on loopback),
 *                        SameSite=Strict, Max-Age
 *   cm_web_token_equal() tokens compared in constant time
 *
 * A visitor who has not signed in gets an anonymous session (no user)
 * so that the sign-in form has a CSRF token too; signing in makes a new
 * session (a new id), so an id seen before sign-in is worth nothing
 * after it.  A signed-in session ends after session-minutes unused, or
 * CM_WEB_SIGNIN_MAX_SECONDS after its sign-in.  The store is bounded:
 * past CM_WEB_SESSIONS_MAX live sessions the oldest anonymous ones go
 * first.  Nothing here knows HTTP beyond the cookie's text.
 */
#ifndef CM_WEB_SESSION_H
#define CM_WEB_SESSION_H

#include <glib.h>

#include "accounts.h"

#define CM_WEB_COOKIE "cm_session"
#define CM_WEB_SESSIONS_MAX 10000
/* The sign-in limit remembers at most this many client addresses at once;
 * past it a new address waits until the minute is over. */
#define CM_WEB_ADDRESSES_MAX 10000
/* An anonymous session (the sign-in form's) lasts this long. */
#define CM_WEB_ANONYMOUS_SECONDS (15 * 60)
/* A signed-in session lasts [web] session-minutes from its last use,
 * but never longer than this (or session-minutes, if longer) from the
 * sign-in: a reviewer working through the queue is not signed out in
 * the middle of it, and a session left open on a shared desk still ends
 * the same day. */
#define CM_WEB_SIGNIN_MAX_SECONDS (12 * 60 * 60)

/* One session, as a copy the caller owns (the store keeps its own). */
typedef struct {
  char *id;          /* 64 hex digits */
  char *user;        /* NULL: not signed in */
  CmWebRole role;
  char *csrf;        /* 64 hex digits, for every form of this session */
  gint64 expires;    /* Unix seconds */
  gint64 signed_in;  /* Unix seconds: when it was made */
} CmWebSession;

void cm_web_session_free (CmWebSession *session);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CmWebSession, cm_web_session_free)

typedef struct _CmWebSessions CmWebSessions;

/* Sessions of signed-in users lasting MINUTES; at most ATTEMPTS sign-in
 * attempts per client address in any minute. */
CmWebSessions *cm_web_sessions_new (guint minutes, guint attempts);
void cm_web_sessions_free (CmWebSessions *sessions);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CmWebSessions, cm_web_sessions_free)

/* A new session at NOW for USER of ROLE (NULL: anonymous); NULL with
 * ERROR only when no random bytes could be read. */
CmWebSession *cm_web_sessions_create (CmWebSessions *sessions, const char *user, CmWebRole role, gint64 now,
                                      GError **error);
/* The live session ID, or NULL (unknown, malformed or expired).  A
 * signed-in session is used by this, so it lasts another
 * session-minutes from NOW (up to CM_WEB_SIGNIN_MAX_SECONDS from its
 * sign-in): send the caller's copy back as the cookie to say so. */
CmWebSession *cm_web_sessions_lookup (CmWebSessions *sessions, const char *id, gint64 now);
/* End session ID (signing out); nothing when there is none. */
void cm_web_sessions_end (CmWebSessions *sessions, const char *id);
/* Keep MESSAGE for session ID's next page; take it (NULL: none). */
void cm_web_sessions_set_flash (CmWebSessions *sessions, const char *id, const char *message);
char *cm_web_sessions_take_flash (CmWebSessions *sessions, const char *id);

/* Is ADDRESS allowed one more sign-in attempt at NOW?  Counts it when so. */
gboolean cm_web_sessions_signin_allowed (CmWebSessions *sessions, const char *address, gint64 now);

/* Does TOKEN (may be NULL) equal SESSION's CSRF token?  Constant time. */
gboolean cm_web_session_csrf_valid (const CmWebSession *session, const char *token);
/* Are A and B (NULL: never) the same, compared in time independent of
 * where they differ? */
gboolean cm_web_token_equal (const char *a, const char *b);

/* Fill BYTES with LENGTH random bytes from the kernel (getrandom()). */
gboolean cm_web_random (guint8 *bytes, gsize length, GError **error);

/* The Set-Cookie value for SESSION at NOW (an id of NULL: clear the cookie). */
char *cm_web_cookie (const CmWebSession *session, gint64 now, gboolean secure);

#endif
