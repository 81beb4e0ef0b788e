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

#endif
