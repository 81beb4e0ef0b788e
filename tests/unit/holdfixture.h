/*
 * holdfixture.h: the shared fixtures of test_holdstore.c (keeping,
 * reading, listing) and test_holddecide.c (decisions, races, tokens).
 */
#ifndef CM_HOLDFIXTURE_H
#define CM_HOLDFIXTURE_H

#include "holdstore.h"
#include "testutil.h"

/* A message with a NUL and 8-bit bytes, so the copy must be exact. */
extern const char message_bytes[];
extern const gsize message_length;
extern const char *const two_recipients[];
extern const char *const two_rules[];

/* A new spool directory's path (not created) in a scratch directory. */
char *new_spool (void);
/* Open the store at SPOOL, which must work. */
CmHoldStore *open_store (const char *spool);
/* The number of entries in SPOOL/SUB. */
guint count_entries (const char *spool, const char *sub);
/* Put a hold from SENDER for RULES (message TEXT, or message_bytes). */
CmHold *put_message (CmHoldStore *store, const char *sender, const char *const *rules, const char *text);
void assert_strv_eq (char **a, const char *const *b);
void assert_hold_eq (const CmHold *a, const CmHold *b);
/* The hold ID, which must exist. */
CmHold *get_hold (CmHoldStore *store, const char *id);
/* The permission bits of PATH. */
guint mode_of (const char *path);
/* The events of ID as "who:what" words. */
char *trail (CmHoldStore *store, const char *id);
/* The ids FILTER lists, space-separated. */
char *listed (CmHoldStore *store, const CmHoldFilter *filter, char **ids);

#endif
