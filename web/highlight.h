/*
 * highlight.h: a held message's text with the evidence sentences of its
 * findings marked (<mark>), for the hold page.  A sentence is found
 * however its spaces and line breaks were folded in the message; every
 * byte around and inside the marks is escaped.
 */
#ifndef CM_WEB_HIGHLIGHT_H
#define CM_WEB_HIGHLIGHT_H

#include <glib.h>

/* Past this many bytes of text the evidence is not looked for (the
 * search is linear in the text times the evidence). */
#define CM_HIGHLIGHT_TEXT_MAX (1024 * 1024)

/* Append TEXT escaped to OUT, each occurrence of a sentence of EVIDENCE
 * (char *) inside <mark>; return how many were marked. */
guint cm_highlight (GString *out, const char *text, const GPtrArray *evidence);

#endif
