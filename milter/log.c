/*
 * log.c: syslog, and standard error in the foreground (log.h).
 */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>

#include "log.h"

/* Set once at start, before any thread: read-only afterwards. */
static gboolean to_stderr;

void
cm_log_open (gboolean foreground)
{
  to_stderr = foreground;
  openlog ("council-milter", LOG_PID | LOG_NDELAY, LOG_MAIL);
}

void
cm_log (int priority, const char *format, ...)
{
  va_list args;
  va_start (args, format);
  g_autofree char *message = g_strdup_vprintf (format, args);
  va_end (args);
  syslog (priority, "%s", message);
  if (to_stderr)
    fprintf (stderr, "council-milter: %s\n", message);
}
