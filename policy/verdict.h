/*
 * verdict.h: findings to action (verdict.c), and the engine's run over a
 * message (engine.c).
 */
#ifndef CM_VERDICT_H
#define CM_VERDICT_H

#include "policy.h"

/* The strongest action of FINDINGS under MODE. */
CmAction cm_verdict_decide (CmMode mode, const GPtrArray *findings);

/* A verdict of disclose gets its line, or, when the body of MESSAGE may
 * not be changed (or was not read whole), falls back to warn and says why. */
void cm_verdict_disclose (CmVerdict *verdict, GMimeMessage *message);

/* Append S as a JSON string (UTF-8 kept, controls escaped; NULL is null),
 * and ITEMS (char *) as an array of them (render.c). */
void cm_json_string (GString *out, const char *s);
void cm_json_string_array (GString *out, const GPtrArray *items);
/* TEXT made safe for a terminal (render.c): control characters, DEL and
 * C1 codes shown as \xHH or \u00HH, never sent as they are. */
char *cm_printable (const char *text);

#endif
