/*
 * verdict.h: findings to action (verdict.c), and the engine's run over a
 * message (engine.c).
 */
#ifndef CM_VERDICT_H
#define CM_VERDICT_H

#include "policy.h"

/* The strongest action of FINDINGS under MODE. */
CmAction cm_verdict_decide (CmMode mode, const GPtrArray *findings);

#endif
