/*
 * callbacks.h: the libmilter callback table.
 */
#ifndef CM_CALLBACKS_H
#define CM_CALLBACKS_H

#include <libmilter/mfapi.h>

extern struct smfiDesc cm_milter_description;

#endif
