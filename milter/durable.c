/*
 * durable.c: checked, synced file writes (durable.h).
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
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
