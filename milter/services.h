/*
 * services.h: what the daemon keeps on disk beside its configuration,
 * under [hold] spool: the hold store (held/, index.sqlite), the outbox
 * of notices waiting to be sent (outbox/) and the log of notices sent
 * (notices.sqlite), and the crash journal (journal/, journal.h).
 * Opened once per spool,
 * reference counted, and swapped with the configuration on reload
 * (reload.c) when the spool changes.
 */
#ifndef CM_SERVICES_H
#define CM_SERVICES_H

#include "policy.h"
#include "holdstore.h"
#include "journal.h"
#include "noticelog.h"
#include "outbox.h"

typedef struct {
  gint refs;
  char *spool;          /* [hold] spool as opened */
  CmHoldStore *store;
  CmOutbox *outbox;
  CmNoticeLog *notices;
  CmJournal *journal;
} CmServices;

/* Open the spool of CONFIG (creating what is missing). */
CmServices *cm_services_open (const CmConfig *config, GError **error);
CmServices *cm_services_ref (CmServices *services);
void cm_services_unref (CmServices *services);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CmServices, cm_services_unref)

#endif
