/*
 * smtpsink.c: a small SMTP listener on 127.0.0.1 for the tests (smtpsink.h).
 */
#include "config.h"

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <unistd.h>
#include <check.h>

#include "smtpsink.h"

/* Free a message the listener took. */
static void
message_free (SmtpSinkMessage *m)
{
  g_free (m->sender);
  g_ptr_array_unref (m->recipients);
  g_string_free (m->data, TRUE);
  g_free (m);
}

/* A socket bound to 127.0.0.1:PORT (0: any free port). */
static int
bind_port (guint16 port)
{
  int fd = socket (AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  ck_assert_int_ge (fd, 0);
  int one = 1;
  ck_assert_int_eq (setsockopt (fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one), 0);
  struct sockaddr_in addr = { .sin_family = AF_INET, .sin_port = htons (port) };
  addr.sin_addr.s_addr = htonl (INADDR_LOOPBACK);
  ck_assert_msg (bind (fd, (struct sockaddr *) &addr, sizeof addr) == 0, "bind: %s", g_strerror (errno));
  return fd;
}

/* Send REPLY; a client that went away is not an error of the test (and
 * Check's assertions are for the test's own thread). */
static void
say (int fd, const char *reply)
{
  g_autofree char *line = g_strdup_printf ("%s\r\n", reply);
  (void) !send (fd, line, strlen (line), MSG_NOSIGNAL);
}

/* The address inside <...> of a MAIL or RCPT command. */
static char *
path_of (const char *command)
{
  const char *open = strchr (command, '<'), *close = strrchr (command, '>');
  return open && close > open ? g_strndup (open + 1, (gsize) (close - open - 1)) : g_strdup ("?");
}

/* One SMTP session on CLIENT. */
static void
session (SmtpSink *sink, int client)
{
  FILE *in = fdopen (dup (client), "r");
  char *line = NULL;
  size_t size = 0;
  SmtpSinkMessage *current = NULL;
  say (client, "220 test ESMTP");
  while (getline (&line, &size, in) > 0)
    {
      g_strchomp (line);
      if (g_ascii_strncasecmp (line, "EHLO", 4) == 0)
        say (client, "250-test\r\n250 8BITMIME");
      else if (g_ascii_strncasecmp (line, "HELO", 4) == 0)
        say (client, "250 test");
      else if (g_ascii_strncasecmp (line, "MAIL FROM:", 10) == 0)
        {
          g_clear_pointer (&current, message_free);
          current = g_new0 (SmtpSinkMessage, 1);
          current->sender = path_of (line);
          current->recipients = g_ptr_array_new_with_free_func (g_free);
          current->data = g_string_new (NULL);
          say (client, "250 2.1.0 Ok");
        }
      else if (g_ascii_strncasecmp (line, "RCPT TO:", 8) == 0 && current)
        {
          g_mutex_lock (&sink->lock);
          g_autofree char *reply = g_strdup (sink->rcpt_reply ? sink->rcpt_reply : "250 2.1.5 Ok");
          g_mutex_unlock (&sink->lock);
          if (reply[0] == '2')
            g_ptr_array_add (current->recipients, path_of (line));
          say (client, reply);
        }
      else if (g_ascii_strcasecmp (line, "DATA") == 0 && current && current->recipients->len)
        {
          say (client, "354 End data with <CR><LF>.<CR><LF>");
          while (getline (&line, &size, in) > 0)
            {
              g_strchomp (line);
              if (strcmp (line, ".") == 0)
                break;
              g_string_append_printf (current->data, "%s\n", line[0] == '.' ? line + 1 : line);
            }
          g_mutex_lock (&sink->lock);
          g_ptr_array_add (sink->received, g_steal_pointer (&current));
          g_mutex_unlock (&sink->lock);
          say (client, "250 2.0.0 Ok: queued");
        }
      else if (g_ascii_strcasecmp (line, "QUIT") == 0)
        {
          say (client, "221 2.0.0 Bye");
          break;
        }
      else if (g_ascii_strcasecmp (line, "RSET") == 0 || g_ascii_strcasecmp (line, "NOOP") == 0)
        say (client, "250 2.0.0 Ok");
      else
        say (client, "503 5.5.1 Error: bad command or sequence");
    }
  g_clear_pointer (&current, message_free);
  free (line);
  fclose (in);
}

/* The listener's thread: one session at a time until woken to stop. */
static gpointer
serve (gpointer data)
{
  SmtpSink *sink = data;
  for (;;)
    {
      struct pollfd fds[2] = { { sink->fd, POLLIN, 0 }, { sink->wake[0], POLLIN, 0 } };
      if (poll (fds, 2, -1) < 0)
        continue;
      if (fds[1].revents)
        return NULL;
      int client = accept (sink->fd, NULL, NULL);
      if (client < 0)
        continue;
      session (sink, client);
      close (client);
    }
}

/* A listener on a free port of loopback, down until smtpsink_up(). */
SmtpSink *
smtpsink_new (void)
{
  SmtpSink *sink = g_new0 (SmtpSink, 1);
  sink->fd = bind_port (0);
  struct sockaddr_in addr;
  socklen_t length = sizeof addr;
  ck_assert_int_eq (getsockname (sink->fd, (struct sockaddr *) &addr, &length), 0);
  sink->port = ntohs (addr.sin_port);
  sink->hostport = g_strdup_printf ("127.0.0.1:%u", sink->port);
  g_mutex_init (&sink->lock);
  sink->received = g_ptr_array_new_with_free_func ((GDestroyNotify) message_free);
  return sink;
}

/* Start listening and answering. */
void
smtpsink_up (SmtpSink *sink)
{
  ck_assert (sink->thread == NULL);
  ck_assert_int_eq (listen (sink->fd, 64), 0);
  ck_assert_int_eq (pipe (sink->wake), 0);
  sink->thread = g_thread_new ("smtp", serve, sink);
}

/* Stop listening (connections are refused), keeping the port. */
void
smtpsink_down (SmtpSink *sink)
{
  ck_assert (sink->thread != NULL);
  ck_assert_int_eq (write (sink->wake[1], "x", 1), 1);
  g_thread_join (g_steal_pointer (&sink->thread));
  close (sink->wake[0]);
  close (sink->wake[1]);
  close (sink->fd);
  sink->fd = bind_port (sink->port);
}

/* Answer every RCPT with REPLY (NULL: 250). */
void
smtpsink_set_rcpt_reply (SmtpSink *sink, const char *reply)
{
  g_mutex_lock (&sink->lock);
  g_free (sink->rcpt_reply);
  sink->rcpt_reply = g_strdup (reply);
  g_mutex_unlock (&sink->lock);
}

/* How many messages the listener has taken. */
guint
smtpsink_count (SmtpSink *sink)
{
  g_mutex_lock (&sink->lock);
  guint count = sink->received->len;
  g_mutex_unlock (&sink->lock);
  return count;
}

/* Forget the messages taken so far. */
void
smtpsink_clear (SmtpSink *sink)
{
  g_mutex_lock (&sink->lock);
  g_ptr_array_set_size (sink->received, 0);
  g_mutex_unlock (&sink->lock);
}

/* Stop, close and free SINK. */
void
smtpsink_free (SmtpSink *sink)
{
  if (sink->thread)
    smtpsink_down (sink);
  close (sink->fd);
  g_free (sink->hostport);
  g_free (sink->rcpt_reply);
  g_ptr_array_unref (sink->received);
  g_mutex_clear (&sink->lock);
  g_free (sink);
}
