/*
 * durable.h: files that must outlive a crash once written (held mail,
 * kept notices, the body spool): every write checked, through
 * interruptions and short writes; fsync before close; the directory
 * fsync'd after a rename or link; private directories exactly 0700;
 * secret keys created once, whole.
 * Errors are G_FILE_ERROR, naming the path and the reason.
 */
#ifndef CM_DURABLE_H
#define CM_DURABLE_H

#include <glib.h>

/* Write all LENGTH bytes of DATA to FD (the file PATH, for errors). */
gboolean cm_durable_write_all (int fd, const void *data, gsize length, const char *path, GError **error);
/* Finish writing FD (the file PATH): fsync it when OK so far, and close
 * it in any case.  Returns OK, made FALSE by a failed fsync or close. */
gboolean cm_durable_finish (int fd, const char *path, gboolean ok, GError **error);
/* Make the entries of the directory PATH durable. */
gboolean cm_durable_sync_dir (const char *path, GError **error);
/* Make PATH a directory of mode 0700: create it, or tighten it. */
gboolean cm_durable_private_dir (const char *path, GError **error);
/* Read the secret key DIR/NAME of SIZE bytes (at most 256) into KEY,
 * creating it (random, 0600) when missing; one of another size is
 * refused, never replaced, as that would void what was signed with it. */
gboolean cm_durable_key (const char *dir, const char *name, guint8 *key, gsize size, GError **error);
/* Make the SQLite database PATH and its -wal, -shm and -journal files
 * private (0600) whatever the umask, creating PATH empty when missing.
 * An existing PATH is changed by name, never opened: closing it would
 * drop the POSIX locks of this process's open connections to it. */
gboolean cm_durable_private_db (const char *path, GError **error);

#endif
