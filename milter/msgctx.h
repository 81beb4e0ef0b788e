/*
 * msgctx.h: one message's state in the daemon: its configuration (pinned
 * at MAIL FROM), envelope, queue id, headers, and the message spool
 * (memory up to [milter] body-memory, then a private temporary file, so
 * a 50 MB message does not cost 50 MB of memory).  Header fields go into
 * the spool as they come, so that 350,000 small ones cost no more memory
 * than a large body (issue 9, F6); only the first CM_HEADERS_COPY_MAX
 * bytes of them are also kept as text, for notices.
 */
#ifndef CM_MSGCTX_H
#define CM_MSGCTX_H

#include <glib.h>
#include <gmime/gmime.h>

#include "policy.h"

/* The headers the filter adds: copies arriving with a message are removed. */
#define CM_HEADER_VERDICT "X-Council-Protocol"
#define CM_HEADER_SCAN "X-Council-Protocol-Scan"
/* council-review's mark on a released message: "ID TOKEN"; always removed. */
#define CM_HEADER_RELEASE "X-Council-Protocol-Release"
/* How much of the header block is kept as text (whole fields only). */
#define CM_HEADERS_COPY_MAX (64 * 1024)

typedef struct {
  CmConfig *config;       /* reference pinned at MAIL FROM */
  CmEnvelope *envelope;
  char *queue_id;         /* {i}, or "NOQUEUE" until known */
  GString *headers;       /* "Name: value\r\n"..., our own headers left out: the
                           * first CM_HEADERS_COPY_MAX bytes of whole fields, then
                           * the blank line; all of them are in the spool */
  gsize headers_size;     /* bytes of the whole header block in the spool */
  guint header_count;     /* header fields kept (ours left out) */
  gboolean headers_cut;   /* the text copy holds only the first fields */
  guint forged_verdict;   /* X-Council-Protocol headers that came with it */
  guint forged_scan;      /* X-Council-Protocol-Scan headers that came with it */
  guint release_marks;    /* X-Council-Protocol-Release headers that came with it */
  char *release_mark;     /* the first one's value, or NULL */
  char *subject;          /* the Subject header's value, or NULL */
  char *from;             /* the From header's value, or NULL */
  char *message_id;       /* the Message-ID header's value, or NULL */
  char *references;       /* the References header's value, or NULL */
  char *in_reply_to;      /* the In-Reply-To header's value, or NULL */
  char *thread;           /* at the end of the headers: the first id of
                           * References, else In-Reply-To, else Message-ID */
  gboolean auto_submitted; /* Auto-Submitted other than "no": never send a notice */
  GByteArray *body;       /* the whole message (headers, then body) while small */
  int body_fd;            /* then a temporary file, already unlinked; -1 if none */
  gsize body_size;        /* bytes of the body kept */
  gsize body_received;    /* bytes of the body the MTA sent */
  gsize body_memory;      /* [milter] body-memory */
  gsize scan_limit;       /* [policy] max-scan-size: no need to keep more */
  gboolean skipped;       /* the MTA was asked to skip the rest of the body */
  guint64 declared_size;  /* MAIL FROM's SIZE= (RFC 1870), 0 if none */
  char *failure;          /* why the spool failed, answered at end of message */
  gint64 started;         /* monotonic time at MAIL FROM */
  GChecksum *digest;      /* SHA-256 of the headers but Received and of the
                           * body as the MTA sent it, for the fingerprint */
} CmMsgCtx;

CmMsgCtx *cm_msgctx_new (CmConfig *config, CmEnvelope *envelope);
void cm_msgctx_free (CmMsgCtx *msg);

void cm_msgctx_add_header (CmMsgCtx *msg, const char *name, const char *value);
void cm_msgctx_end_headers (CmMsgCtx *msg);
/* Spool a piece of the body; fails (with errno's reason) on a full disk.
 * Past [policy] max-scan-size nothing more is kept (the engine would not
 * read it): *ENOUGH says so, and the MTA may skip the rest. */
gboolean cm_msgctx_add_body (CmMsgCtx *msg, const guint8 *data, gsize length, gboolean *enough,
                             GError **error);
/* The size of the message for people and headers: "N bytes" when known
 * (the whole body came, or SIZE= at MAIL FROM said it), else "at least
 * N bytes" (the MTA skipped the rest of the body). */
char *cm_msgctx_size_text (const CmMsgCtx *msg);
/* X-Council-Protocol-Scan's value when the engine read only SCANNED bytes:
 * "partial, SCANNED of M bytes" (or "of at least M bytes"). */
char *cm_msgctx_scan_note (const CmMsgCtx *msg, gsize scanned);
/* X-Council-Protocol-Scan's value for a message VERDICT says was not
 * read whole: "partial, SCANNED of M bytes" for one cut at
 * max-scan-size, "partial, mime-depth 33 > 32; ..." for one read short
 * of a cap, both (the size first) when both. */
char *cm_msgctx_scan_value (const CmMsgCtx *msg, const CmVerdict *verdict);
/* The whole message (headers and body) as one stream for the engine: one
 * memory or file stream, which GMime's parser can cut into parts without
 * copying them. */
GMimeStream *cm_msgctx_stream (CmMsgCtx *msg, GError **error);
/* The message's fingerprint for the crash journal (journal.h): SHA-256,
 * in hexadecimal, over the headers as received (but Received, which the
 * MTA writes anew on every attempt, and the filter's own), the body as
 * sent (past [policy] max-scan-size too, up to where the MTA was asked
 * to skip the rest), the envelope sender and the recipients, so that
 * the MTA's retry of a message has the same fingerprint. */
char *cm_msgctx_fingerprint (const CmMsgCtx *msg);

#endif
