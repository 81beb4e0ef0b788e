/*
 * housekeeping.h: the daemon's background work, one thread, apart from
 * mail in flight: retry the outbox every half minute, and once a day
 * (at [hold] digest-hour) send the Monitoring Officer the digest of what
 * is still held and deal with holds older than [hold] expire-days.
 */
#ifndef CM_HOUSEKEEPING_H
#define CM_HOUSEKEEPING_H

#include <glib.h>

typedef struct _CmHousekeeping CmHousekeeping;

CmHousekeeping *cm_housekeeping_start (void);
/* Wake the thread, wait for its round to end, and free it. */
void cm_housekeeping_stop (CmHousekeeping *keeper);

#endif
