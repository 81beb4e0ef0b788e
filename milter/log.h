/*
 * log.h: the daemon's log: syslog (facility mail), and standard error too
 * when it runs in the foreground.
 */
#ifndef CM_LOG_H
#define CM_LOG_H

#include <syslog.h>
#include <glib.h>

void cm_log_open (gboolean foreground);
void cm_log (int priority, const char *format, ...) G_GNUC_PRINTF (2, 3);

#endif
