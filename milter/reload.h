/*
 * reload.h: the configuration in force, swapped whole on SIGUSR1.
 *
 * The only global mutable state of the daemon, with the spool's services
 * (services.h) opened for it: a reload to another [hold] spool opens the
 * new spool first and is refused if it cannot.  A message takes a
 * reference at its start and keeps that configuration to its end; a
 * reload builds a complete new configuration and swaps it in only if
 * every step succeeded, else logs why and keeps the old one.
 */
#ifndef CM_RELOAD_H
#define CM_RELOAD_H

#include "policy.h"
#include "services.h"

gboolean cm_reload_init (const char *path, GError **error);
/* Open the spool of the configuration in force (after privileges are
 * dropped, so its files belong to the daemon's user). */
gboolean cm_reload_open_services (GError **error);
/* A new reference to the spool's services, or NULL before they are open. */
CmServices *cm_reload_services (void);
/* A new reference to the configuration in force. */
CmConfig *cm_reload_current (void);
/* Load the file again; swap it in if it is good.  TRUE if swapped. */
gboolean cm_reload_now (void);
/* Start the thread that reloads on SIGUSR1 (blocked in every thread). */
void cm_reload_start_signal_thread (void);
void cm_reload_shutdown (void);

#endif
