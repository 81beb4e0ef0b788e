/*
 * noticelog.h: which notices went to whom, so that a sender who breaks
 * the same rule again in the same thread (a reply, a reply to the reply)
 * within [notify] repeat-hours gets one notice, not one per message.
 * Kept in SPOOL/notices.sqlite (WAL), shared by the daemon's threads.
 */
#ifndef CM_NOTICELOG_H
#define CM_NOTICELOG_H

#include <glib.h>

typedef struct _CmNoticeLog CmNoticeLog;

CmNoticeLog *cm_noticelog_open (const char *path, GError **error);
void cm_noticelog_close (CmNoticeLog *log);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CmNoticeLog, cm_noticelog_close)

/* Of RULES (NULL-terminated ids), those SENDER has had no notice about in
 * THREAD since NOW - WINDOW seconds; each of them is recorded as noticed
 * at NOW.  A NULL THREAD or a WINDOW of 0 makes every rule new.  On an
 * error every rule counts as new (a second notice is better than none). */
GPtrArray *cm_noticelog_claim (CmNoticeLog *log, const char *sender, const char *thread,
                               const char *const *rules, gint64 now, gint64 window);

#endif
