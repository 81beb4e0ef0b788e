/*
 * smtpsink.h: a small SMTP listener on 127.0.0.1 for the tests, run in a
 * thread of the test process.  It keeps every message it takes (the
 * envelope and the data) for the test to look at.
 *
 *   smtpsink_new()     bind a free port of loopback; down (refusing) until
 *   smtpsink_up()      it listens and answers, one session at a time
 *   smtpsink_down()    connections are refused again; the port is kept
 *   smtpsink_set_rcpt_reply()  answer every RCPT with that reply
 *
 * Test assertions (Check's ck_assert) are made only in the test's own
 * thread, never in the listener's.
 */
#ifndef CM_SMTPSINK_H
#define CM_SMTPSINK_H

#include <glib.h>

/* One message the listener took. */
typedef struct {
  char *sender;          /* MAIL FROM, without <>; "" for the null sender */
  GPtrArray *recipients; /* char *: the RCPT TO addresses that were accepted */
  GString *data;         /* dot-stuffing undone, lines ending in LF */
} SmtpSinkMessage;

/* The port is always bound; it listens only while the sink is up, so
 * while it is down a connection is refused and no one else takes it. */
typedef struct {
  int fd;
  guint16 port;
  char *hostport;         /* "127.0.0.1:PORT" */
  int wake[2];            /* written to stop the thread */
  GThread *thread;        /* NULL while down */
  GMutex lock;            /* guards what follows */
  char *rcpt_reply;       /* NULL: "250"; else the reply to every RCPT */
  GPtrArray *received;    /* SmtpSinkMessage *, in the order taken */
} SmtpSink;

/* A listener on a free port of loopback, down until smtpsink_up(). */
SmtpSink *smtpsink_new (void);
/* Start listening and answering. */
void smtpsink_up (SmtpSink *sink);
/* Stop listening (connections are refused), keeping the port. */
void smtpsink_down (SmtpSink *sink);
/* Answer every RCPT with REPLY ("451 4.3.0 Try again later"); NULL: 250. */
void smtpsink_set_rcpt_reply (SmtpSink *sink, const char *reply);
/* How many messages the listener has taken. */
guint smtpsink_count (SmtpSink *sink);
/* Forget the messages taken so far. */
void smtpsink_clear (SmtpSink *sink);
/* Stop the listener if it is up, close the port, free everything. */
void smtpsink_free (SmtpSink *sink);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SmtpSink, smtpsink_free)

#endif
