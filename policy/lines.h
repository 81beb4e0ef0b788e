/*
 * lines.h: a text's lines, for the loaders of configuration and data files.
 *
 * The same result as g_strsplit (TEXT, "\n", -1), found with memchr over
 * the known length.  g_strsplit looks for each newline with strstr, which
 * AddressSanitizer's interceptor checks by reading the whole rest of the
 * string: loading a weights file of 47,000 lines took minutes in the
 * sanitizer build, and every test that loads a configuration paid it.
 */
#ifndef CM_LINES_H
#define CM_LINES_H

#include <glib.h>

/* TEXT's lines, without their '\n' (a '\r' before it stays), each a copy;
 * a text that ends in '\n' has an empty last line and an empty text has
 * none, as with g_strsplit.
 * Free with g_strfreev. */
GStrv cm_lines_split (const char *text);

#endif
