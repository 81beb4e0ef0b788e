/*
 * refresh.h: the daemon's directory refresh, one thread apart from mail
 * in flight.  When the configuration in force takes its people from a
 * remote source (LDAP), the thread reads it again at start and then every
 * [directory] refresh-minutes; a good read is written to the snapshot and
 * swapped in whole as a reload (reload.h), a failed or refused one is
 * logged with the age of the directory still deciding.
 */
#ifndef CM_REFRESH_H
#define CM_REFRESH_H

#include <glib.h>

typedef struct _CmRefresh CmRefresh;

CmRefresh *cm_refresh_start (void);
/* Wake the thread, wait for a read in progress to end, and free it. */
void cm_refresh_stop (CmRefresh *refresh);

#endif
