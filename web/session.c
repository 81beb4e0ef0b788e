/*
 * session.c: sessions, CSRF tokens, the sign-in rate limit and the
 * session cookie of council-review-web (session.h).
 */
#include "config.h"

#include <errno.h>
#include <string.h>
#include <sys/random.h>

#include "session.h"

#define ID_BYTES 32
/* How many client addresses the rate limit remembers (those with an
 * attempt in the last minute): past it, a new address waits for the
 * minute to pass, so a flood of addresses cannot grow the table. */
#define ADDRESSES_MAX CM_WEB_ADDRESSES_MAX

struct _CmWebSessions {
  GMutex lock;
  GHashTable *by_id;      /* char * id -> Entry * */
  GHashTable *attempts;   /* char * address -> GArray of gint64, the attempts of the last minute */
  gint64 lifetime;        /* seconds, of a signed-in session */
  guint per_minute;
};

/* What the store keeps of a session. */
typedef struct {
  CmWebSession session;
  char *flash;
} Entry;

/* Free a caller's copy of a session. */
void
cm_web_session_free (CmWebSession *session)
{
  if (session == NULL)
    return;
  g_free (session->id);
  g_free (session->user);
  g_free (session->csrf);
  g_free (session);
}

/* Free what the store keeps of a session. */
static void
entry_free (Entry *entry)
{
  g_free (entry->session.id);
  g_free (entry->session.user);
  g_free (entry->session.csrf);
  g_free (entry->flash);
  g_free (entry);
}

/* A copy of ENTRY's session for the caller. */
static CmWebSession *
session_copy (const Entry *entry)
{
  CmWebSession *copy = g_new0 (CmWebSession, 1);
  copy->id = g_strdup (entry->session.id);
  copy->user = g_strdup (entry->session.user);
  copy->role = entry->session.role;
  copy->csrf = g_strdup (entry->session.csrf);
  copy->expires = entry->session.expires;
  copy->signed_in = entry->session.signed_in;
  return copy;
}

/* An empty store of sessions. */
CmWebSessions *
cm_web_sessions_new (guint minutes, guint attempts)
{
  CmWebSessions *sessions = g_new0 (CmWebSessions, 1);
  g_mutex_init (&sessions->lock);
  sessions->by_id = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, (GDestroyNotify) entry_free);
  sessions->attempts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) g_array_unref);
  sessions->lifetime = (gint64) MAX (minutes, 1) * 60;
  sessions->per_minute = MAX (attempts, 1);
  return sessions;
}

/* Free the store and every session in it. */
void
cm_web_sessions_free (CmWebSessions *sessions)
{
  if (sessions == NULL)
    return;
  g_hash_table_unref (sessions->by_id);
  g_hash_table_unref (sessions->attempts);
  g_mutex_clear (&sessions->lock);
  g_free (sessions);
}

/* Fill BYTES from the kernel's random source, which (unlike g_random)
 * is fit for secrets. */
gboolean
cm_web_random (guint8 *bytes, gsize length, GError **error)
{
  gsize done = 0;
  while (done < length)
    {
      ssize_t got = getrandom (bytes + done, length - done, 0);
      if (got < 0 && errno == EINTR)
        continue;
      if (got <= 0)
        {
          int saved = errno;
          g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved),
                       "Reading random bytes for a session failed: %s.", g_strerror (saved));
          return FALSE;
        }
      done += (gsize) got;
    }
  return TRUE;
}

/* A random token of ID_BYTES as hex digits, or NULL with ERROR. */
static char *
random_token (GError **error)
{
  guint8 bytes[ID_BYTES];
  if (!cm_web_random (bytes, sizeof bytes, error))
    return NULL;
  GString *hex = g_string_sized_new (2 * ID_BYTES);
  for (gsize i = 0; i < sizeof bytes; i++)
    g_string_append_printf (hex, "%02x", bytes[i]);
  explicit_bzero (bytes, sizeof bytes);
  return g_string_free (hex, FALSE);
}

/* Is ID shaped like one of ours (so nothing else is looked up)? */
static gboolean
id_shaped (const char *id)
{
  if (id == NULL || strlen (id) != 2 * ID_BYTES)
    return FALSE;
  for (const char *p = id; *p; p++)
    if (!g_ascii_isxdigit (*p) || g_ascii_isupper (*p))
      return FALSE;
  return TRUE;
}

/* Make room for one more session at NOW: the expired go, then, while
 * the store is full, the one nearest its end, anonymous ones first (a
 * flood of visitors must not sign anyone out).  Called locked. */
static void
make_room (CmWebSessions *sessions, gint64 now)
{
  if (g_hash_table_size (sessions->by_id) < CM_WEB_SESSIONS_MAX)
    return;
  GHashTableIter iter;
  gpointer value;
  g_hash_table_iter_init (&iter, sessions->by_id);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    if (((Entry *) value)->session.expires <= now)
      g_hash_table_iter_remove (&iter);
  while (g_hash_table_size (sessions->by_id) >= CM_WEB_SESSIONS_MAX)
    {
      Entry *victim = NULL;
      g_hash_table_iter_init (&iter, sessions->by_id);
      while (g_hash_table_iter_next (&iter, NULL, &value))
        {
          Entry *entry = value;
          gboolean anonymous = entry->session.user == NULL;
          if (victim == NULL || (anonymous && victim->session.user != NULL)
              || ((anonymous == (victim->session.user == NULL)) && entry->session.expires < victim->session.expires))
            victim = entry;
        }
      g_hash_table_remove (sessions->by_id, victim->session.id);
    }
}

/* A new session with a random id and CSRF token. */
CmWebSession *
cm_web_sessions_create (CmWebSessions *sessions, const char *user, CmWebRole role, gint64 now, GError **error)
{
  Entry *entry = g_new0 (Entry, 1);
  entry->session.id = random_token (error);
  entry->session.csrf = entry->session.id ? random_token (error) : NULL;
  if (entry->session.csrf == NULL)
    {
      entry_free (entry);
      return NULL;
    }
  entry->session.user = g_strdup (user);
  entry->session.role = role;
  entry->session.expires = now + (user ? sessions->lifetime : CM_WEB_ANONYMOUS_SECONDS);
  entry->session.signed_in = now;
  CmWebSession *copy = session_copy (entry);
  g_mutex_lock (&sessions->lock);
  make_room (sessions, now);
  g_hash_table_replace (sessions->by_id, entry->session.id, entry);
  g_mutex_unlock (&sessions->lock);
  return copy;
}

/* A copy of the live session ID, or NULL. */
CmWebSession *
cm_web_sessions_lookup (CmWebSessions *sessions, const char *id, gint64 now)
{
  if (!id_shaped (id))
    return NULL;
  CmWebSession *copy = NULL;
  g_mutex_lock (&sessions->lock);
  Entry *entry = g_hash_table_lookup (sessions->by_id, id);
  if (entry && entry->session.expires <= now)
    g_hash_table_remove (sessions->by_id, id);
  else if (entry)
    {
      if (entry->session.user)
        entry->session.expires = MIN (now + sessions->lifetime,
                                      entry->session.signed_in + MAX (sessions->lifetime, CM_WEB_SIGNIN_MAX_SECONDS));
      copy = session_copy (entry);
    }
  g_mutex_unlock (&sessions->lock);
  return copy;
}

/* Forget session ID. */
void
cm_web_sessions_end (CmWebSessions *sessions, const char *id)
{
  if (id == NULL)
    return;
  g_mutex_lock (&sessions->lock);
  g_hash_table_remove (sessions->by_id, id);
  g_mutex_unlock (&sessions->lock);
}

/* Keep a one-time message for session ID. */
void
cm_web_sessions_set_flash (CmWebSessions *sessions, const char *id, const char *message)
{
  g_mutex_lock (&sessions->lock);
  Entry *entry = id ? g_hash_table_lookup (sessions->by_id, id) : NULL;
  if (entry)
    {
      g_free (entry->flash);
      entry->flash = g_strdup (message);
    }
  g_mutex_unlock (&sessions->lock);
}

/* Take session ID's one-time message. */
char *
cm_web_sessions_take_flash (CmWebSessions *sessions, const char *id)
{
  g_mutex_lock (&sessions->lock);
  Entry *entry = id ? g_hash_table_lookup (sessions->by_id, id) : NULL;
  char *flash = entry ? g_steal_pointer (&entry->flash) : NULL;
  g_mutex_unlock (&sessions->lock);
  return flash;
}

/* Drop from TIMES the attempts before SINCE. */
static void
forget_before (GArray *times, gint64 since)
{
  guint old = 0;
  while (old < times->len && g_array_index (times, gint64, old) < since)
    old++;
  g_array_remove_range (times, 0, old);
}

/* Count a sign-in attempt from ADDRESS, unless it is over the limit. */
gboolean
cm_web_sessions_signin_allowed (CmWebSessions *sessions, const char *address, gint64 now)
{
  gint64 since = now - 60;
  g_mutex_lock (&sessions->lock);
  if (g_hash_table_size (sessions->attempts) >= ADDRESSES_MAX)
    {
      GHashTableIter iter;
      gpointer value;
      g_hash_table_iter_init (&iter, sessions->attempts);
      while (g_hash_table_iter_next (&iter, NULL, &value))
        {
          forget_before (value, since);
          if (((GArray *) value)->len == 0)
            g_hash_table_iter_remove (&iter);
        }
    }
  GArray *times = g_hash_table_lookup (sessions->attempts, address);
  if (times == NULL && g_hash_table_size (sessions->attempts) >= ADDRESSES_MAX)
    {
      g_mutex_unlock (&sessions->lock);
      return FALSE;
    }
  if (times == NULL)
    {
      times = g_array_new (FALSE, FALSE, sizeof (gint64));
      g_hash_table_insert (sessions->attempts, g_strdup (address), times);
    }
  forget_before (times, since);
  gboolean allowed = times->len < sessions->per_minute;
  if (allowed)
    g_array_append_val (times, now);
  g_mutex_unlock (&sessions->lock);
  return allowed;
}

/* Compare two tokens in constant time. */
gboolean
cm_web_token_equal (const char *a, const char *b)
{
  if (a == NULL || b == NULL)
    return FALSE;
  gsize length = strlen (a);
  if (strlen (b) != length)
    return FALSE;
  guint8 difference = 0;
  for (gsize i = 0; i < length; i++)
    difference |= (guint8) a[i] ^ (guint8) b[i];
  return difference == 0;
}

/* Is TOKEN SESSION's CSRF token? */
gboolean
cm_web_session_csrf_valid (const CmWebSession *session, const char *token)
{
  return session != NULL && cm_web_token_equal (session->csrf, token);
}

/* The Set-Cookie value for SESSION. */
char *
cm_web_cookie (const CmWebSession *session, gint64 now, gboolean secure)
{
  const char *attributes = secure ? "; Path=/; HttpOnly; Secure; SameSite=Strict"
                                  : "; Path=/; HttpOnly; SameSite=Strict";
  if (session == NULL || session->id == NULL)
    return g_strdup_printf (CM_WEB_COOKIE "=; Max-Age=0%s", attributes);
  return g_strdup_printf (CM_WEB_COOKIE "=%s; Max-Age=%" G_GINT64_FORMAT "%s", session->id,
                          MAX (session->expires - now, 0), attributes);
}
