/*
 * pages.h: the pages of council-review-web, one file each.  Each renders
 * REQUEST into RESPONSE; server.c has already made sure that the user is
 * signed in (but for the sign-in page) and that a POST carries the
 * session's CSRF token.
 *
 *   page-queue.c    GET /            the held messages, with filters
 *   page-hold.c     GET /hold/ID     one held message, everything about it
 *                   POST /hold/ID/release, /hold/ID/reject   the decisions
 *   page-report.c   GET /report      the Standards Committee's figures
 *   page-signin.c   GET, POST /signin, POST /signout
 */
#ifndef CM_WEB_PAGES_H
#define CM_WEB_PAGES_H

#include "request.h"

void cm_page_queue (const CmWebContext *context, const CmWebRequest *request, CmWebResponse *response);

void cm_page_hold (const CmWebContext *context, const CmWebRequest *request, CmWebResponse *response,
                   const char *id);
/* ACTION is "release" or "reject". */
void cm_page_hold_decide (const CmWebContext *context, const CmWebRequest *request, CmWebResponse *response,
                          const char *id, const char *action);

void cm_page_report (const CmWebContext *context, const CmWebRequest *request, CmWebResponse *response);

void cm_page_signin (const CmWebContext *context, const CmWebRequest *request, CmWebResponse *response);
void cm_page_signin_post (const CmWebContext *context, const CmWebRequest *request, CmWebResponse *response);
void cm_page_signout (const CmWebContext *context, const CmWebRequest *request, CmWebResponse *response);

#endif
