/*
 * holdmessage.c: the held messages' files, held/ID.eml (holdstore.h).
 * Only the store names them: an id is checked for its shape before it
 * becomes a path, so that no id can name another file, and everyone
 * else reads a held message with cm_holdstore_open_message().
 */
#include "config.h"

#include <gmime/gmime.h>

#include "holdstore.h"
#include "holdstore-private.h"

/* Is ID of the form of a hold id (new_id()), so that it can name no other file? */
gboolean
cm_holdstore_id_valid (const char *id)
{
  return id && g_regex_match_simple ("^[0-9]{8}-[0-9]{6}-[0-9a-f]{6}$", id, G_REGEX_DOLLAR_ENDONLY, 0);
}

/* The path of hold ID's message; NULL when ID is not of the form of an
 * id, so that no id can name another file. */
char *
cm_holdstore_message_path (CmHoldStore *store, const char *id)
{
  g_return_val_if_fail (store != NULL, NULL);
  if (!cm_holdstore_id_valid (id))
    return NULL;
  g_autofree char *name = g_strconcat (id, ".eml", NULL);
  return g_build_filename (store->held_dir, name, NULL);
}

/* The held message ID as it came, read whole into memory: callers (the
 * trainer, council-review learn) never build held/ID.eml paths. */
GMimeStream *
cm_holdstore_open_message (CmHoldStore *store, const char *id, GError **error)
{
  g_return_val_if_fail (store != NULL, NULL);
  g_autofree char *path = cm_holdstore_message_path (store, id);
  if (path == NULL)
    {
      g_set_error (error, CM_HOLD_ERROR, CM_HOLD_ERROR_NOT_FOUND, "\"%s\" is not a hold id", id ? id : "");
      return NULL;
    }
  g_autofree char *data = NULL;
  gsize length = 0;
  g_autoptr (GError) local = NULL;
  if (!g_file_get_contents (path, &data, &length, &local))
    {
      g_set_error (error, CM_HOLD_ERROR,
                   g_error_matches (local, G_FILE_ERROR, G_FILE_ERROR_NOENT) ? CM_HOLD_ERROR_NOT_FOUND
                                                                             : CM_HOLD_ERROR_IO,
                   "the held message of %s: %s", id, local->message);
      return NULL;
    }
  GByteArray *bytes = g_byte_array_new_take ((guint8 *) g_steal_pointer (&data), length);
  GMimeStream *stream = g_mime_stream_mem_new_with_byte_array (bytes);
  return stream;
}
