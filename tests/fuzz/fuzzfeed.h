/*
 * fuzzfeed.h: a message given to the daemon's per-message context
 * (milter/msgctx.h) as an MTA gives it to libmilter's callbacks, for the
 * harnesses of the daemon's paths.
 */
#ifndef CM_FUZZFEED_H
#define CM_FUZZFEED_H

#include "msgctx.h"

/* Give MSG the message DATA (SIZE bytes, headers and body as a client
 * sent them): the header section cut into headers as an MTA does (a
 * folded header is one, its value without the leading space; a line
 * that is no header ends the section), each given to
 * cm_msgctx_add_header; the end of the headers; then the body, its bare
 * LF line ends made CRLF as an MTA sends it, in pieces of CHUNK bytes to
 * cm_msgctx_add_body, stopping as on_body does at a spool failure
 * (msg->failure) or where the MTA would be told to skip the rest
 * (msg->skipped). */
void fuzz_feed (CmMsgCtx *msg, const char *data, gsize size, gsize chunk);

#endif
