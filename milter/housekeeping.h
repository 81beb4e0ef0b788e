/*
 * housekeeping.h: the daemon's background work, one thread, apart from
 * mail in flight: retry the outbox every half minute.  (The daily digest
 * and expiry of holds are council-review's, run by a timer.)
 */
#ifndef CM_HOUSEKEEPING_H
#define CM_HOUSEKEEPING_H

#include <glib.h>

typedef struct _CmHousekeeping CmHousekeeping;

CmHousekeeping *cm_housekeeping_start (void);
/* Wake the thread, wait for its round to end, and free it. */
void cm_housekeeping_stop (CmHousekeeping *keeper);

#endif
