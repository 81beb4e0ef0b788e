/*
 * reload.h: the configuration in force, swapped whole on SIGUSR1.
 *
 * The only global mutable state of the daemon.  A message takes a
 * reference at its start and keeps that configuration to its end; a
 * reload builds a complete new configuration and swaps it in only if
 * every step succeeded, else logs why and keeps the old one.
 */
#ifndef CM_RELOAD_H
#define CM_RELOAD_H

#include "policy.h"

gboolean cm_reload_init (const char *path, GError **error);
/* A new reference to the configuration in force. */
CmConfig *cm_reload_current (void);
/* Load the file again; swap it in if it is good.  TRUE if swapped. */
gboolean cm_reload_now (void);
/* Start the thread that reloads on SIGUSR1 (blocked in every thread). */
void cm_reload_start_signal_thread (void);
void cm_reload_shutdown (void);

#endif
