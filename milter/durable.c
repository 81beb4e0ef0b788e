/*
 * durable.c: checked, synced file writes (durable.h).
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>
#include <glib/gstdio.h>

#include "durable.h"

/* Set ERROR to "DOING PATH: the reason for errno SAVED" and return FALSE. */
static gboolean
fail (GError **error, int saved, const char *doing, const char *path)
{
  g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved), "%s %s: %s", doing, path,
               g_strerror (saved));
  return FALSE;
}

gboolean
cm_durable_write_all (int fd, const void *data, gsize length, const char *path, GError **error)
{
  const guint8 *at = data;
  while (length > 0)
    {
      ssize_t n = write (fd, at, length);
      if (n < 0 && errno == EINTR)
        continue;
      /* A write of nothing to a regular file means no space. */
      if (n <= 0)
        return fail (error, n < 0 ? errno : ENOSPC, "writing", path);
      at += n;
      length -= (gsize) n;
    }
  return TRUE;
}

gboolean
cm_durable_finish (int fd, const char *path, gboolean ok, GError **error)
{
  if (ok && fsync (fd) != 0)
    ok = fail (error, errno, "syncing", path);
  if (close (fd) != 0 && ok)
    ok = fail (error, errno, "closing", path);
  return ok;
}

gboolean
cm_durable_sync_dir (const char *path, GError **error)
{
  int fd = open (path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0)
    return fail (error, errno, "opening the directory", path);
  return cm_durable_finish (fd, path, TRUE, error);
}

gboolean
cm_durable_private_dir (const char *path, GError **error)
{
  if (g_mkdir (path, 0700) != 0 && errno != EEXIST)
    return fail (error, errno, "creating the directory", path);
  GStatBuf st;
  if (g_stat (path, &st) != 0)
    return fail (error, errno, "examining", path);
  if (!S_ISDIR (st.st_mode))
    {
      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_NOTDIR, "%s: not a directory", path);
      return FALSE;
    }
  /* Exactly 0700, also against a umask that took the owner's write bit. */
  if ((st.st_mode & 07777) != 0700 && g_chmod (path, 0700) != 0)
    return fail (error, errno, "setting the mode 0700 of", path);
  return TRUE;
}

/* Create the key file PATH in DIR, once however many processes race:
 * written in full to a new file (O_EXCL, 0600), then linked into place,
 * so that no process ever reads a partly written key. */
static gboolean
create_key (const char *dir, const char *path, gsize size, GError **error)
{
  g_autofree guint8 *key = g_malloc (size);
  if (getrandom (key, size, 0) != (ssize_t) size)
    return fail (error, errno, "reading random bytes for", path);
  g_autofree char *temp = g_strconcat (path, ".XXXXXX", NULL);
  int fd = g_mkstemp_full (temp, O_WRONLY | O_CLOEXEC, 0600);
  if (fd < 0)
    return fail (error, errno, "creating", temp);
  gboolean ok = cm_durable_write_all (fd, key, size, temp, error);
  memset (key, 0, size);
  ok = cm_durable_finish (fd, temp, ok, error);
  /* EEXIST: another process was first, and its key is the one. */
  if (ok && link (temp, path) != 0 && errno != EEXIST)
    ok = fail (error, errno, "creating", path);
  g_unlink (temp);
  return ok && cm_durable_sync_dir (dir, error);
}

gboolean
cm_durable_key (const char *dir, const char *name, guint8 *key, gsize size, GError **error)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  if (!g_file_test (path, G_FILE_TEST_EXISTS) && !create_key (dir, path, size, error))
    return FALSE;
  g_autofree char *data = NULL;
  gsize length = 0;
  if (!g_file_get_contents (path, &data, &length, error))
    return FALSE;
  if (length == size)
    memcpy (key, data, size);
  memset (data, 0, length);
  if (length != size)
    {
      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_INVAL,
                   "%s: the secret has %" G_GSIZE_FORMAT " bytes, not %" G_GSIZE_FORMAT
                   "; refusing to use it (a new one would void the tokens given out)", path, length,
                   size);
      return FALSE;
    }
  return TRUE;
}

gboolean
cm_durable_private_db (const char *path, GError **error)
{
  /* SQLite makes a database 0644 less the umask, and its -wal and -shm
   * files with the database's own mode: so the database is made here.
   * One that exists is never opened here: closing a descriptor drops
   * every POSIX lock this process holds on the file, so it would pull
   * the locks from under a connection already open in this process
   * (the daemon's, when it decides a reply through the review library). */
  struct stat st;
  gboolean ok;
  if (lstat (path, &st) == 0)
    ok = S_ISREG (st.st_mode) ? (chmod (path, 0600) == 0 || fail (error, errno, "making private", path))
                              : fail (error, S_ISLNK (st.st_mode) ? ELOOP : EINVAL, "opening", path);
  else
    {
      int fd = errno == ENOENT ? open (path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600) : -1;
      if (fd < 0)
        return fail (error, errno, "creating", path);
      ok = fchmod (fd, 0600) == 0 || fail (error, errno, "making private", path);
      close (fd);
    }
  /* Those an earlier start made under a looser umask. */
  static const char *const suffixes[] = { "-wal", "-shm", "-journal" };
  for (guint i = 0; ok && i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *other = g_strconcat (path, suffixes[i], NULL);
      if (g_chmod (other, 0600) != 0 && errno != ENOENT)
        ok = fail (error, errno, "making private", other);
    }
  return ok;
}
