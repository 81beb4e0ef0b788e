/*
 * fuzz_milter.c: libFuzzer harness for the daemon's message path, fed as
 * libmilter's callbacks feed it (milter/callbacks.c) but with no MTA and
 * no libmilter event loop: the per-message context (msgctx.h) is driven
 * directly.
 *
 * Input: byte 0 chooses the envelope (bits 0-2: the sender among a
 * councillor, a councillor's personal address, a named officer, an
 * unnamed council address, a journalist and a resident; bit 3: SMTP
 * authentication; bits 4-7: the recipients among a councillor, an
 * officer, the press and a resident, none meaning a councillor); byte 1
 * chooses the size of the body chunks (13 bytes to 64 KB); the rest is
 * the message as the client sent it.
 *
 * What is done with it, as on_envfrom .. on_eom do: mail out of scope is
 * left at MAIL FROM; the header section is cut into headers the way an
 * MTA does (a folded header is one, its value without the leading
 * space; a line that is no header ends the section) and given one by one
 * to cm_msgctx_add_header; end of headers; the body, its line ends made
 * CRLF as an MTA sends them, given in chunks to cm_msgctx_add_body
 * (stopping where the MTA would be told to skip the rest); the
 * fingerprint for the crash journal; the engine's verdict on the
 * spooled message (cm_check); and then what actions.c builds from it:
 * the verdict as JSON and text, the scan note, the sender's notice for
 * warn and above (with a hold id and reply address for a hold), the
 * Monitoring Officer's notice with the held message attached, and the
 * disclosed body for disclose.  The notices are composed and written
 * out, never sent; libmilter's own calls (smfi_*) are not made.
 *
 * The configuration is the example's with [milter] body-memory at its
 * least (4 KB, so that larger bodies go to a spool file) and [policy]
 * max-scan-size at its least (64 KB, so that the partial scan is
 * reached), loaded once (file-scope, as libFuzzer forces).
 */
#include "config.h"

#include <string.h>

#include "fuzzfeed.h"
#include "fuzzutil.h"
#include "msgctx.h"
#include "notify.h"
#include "settings.h"

/* Loaded once in LLVMFuzzerInitialize, then only read. */
static CmConfig *config;

static const char *const senders[] = {
  "cllr.jane.smith@northmoor.gov.uk", "janesmith1962@gmail.com", "linda.carter@northmoor.gov.uk",
  "planning.enquiries@northmoor.gov.uk", "reporter@northmoorgazette.co.uk", "resident@example.org",
  "cllr.raj.patel@northmoor.gov.uk", "mark.evans@northmoor.gov.uk",
};
static const char *const recipients[] = {
  "cllr.david.hughes@northmoor.gov.uk", "tom.baker@northmoor.gov.uk", "news@bbc.co.uk",
  "a.resident@example.com",
};
static const gsize chunk_sizes[] = { 13, 512, 4096, 65535 };

int
LLVMFuzzerInitialize (int *argc, char ***argv)
{
  cm_policy_init ();
  g_autofree char *extra = g_strdup_printf ("[milter]\nbody-memory=4096\ntemp-dir=%s\n"
                                            "[policy]\nmax-scan-size=65536\n", fuzz_scratch_dir ());
  config = fuzz_config_variant ("council-milter.conf", extra);
  return 0;
}

/* Write MESSAGE out, as the outbox would, and drop it. */
static void
write_out (GMimeMessage *message)
{
  if (message == NULL)
    return;
  g_autoptr (GMimeStream) sink = g_mime_stream_null_new ();
  g_mime_object_write_to_stream (GMIME_OBJECT (message), NULL, sink);
  g_object_unref (message);
}

/* What actions.c makes of VERDICT on MSG, but the libmilter calls. */
static void
act (CmMsgCtx *msg, const CmVerdict *verdict)
{
  g_free (cm_verdict_to_json (verdict));
  g_free (cm_verdict_to_text (verdict));
  g_free (cm_msgctx_size_text (msg));
  if (verdict->truncated)
    g_free (cm_msgctx_scan_note (msg, verdict->scanned));
  if (verdict->action < CM_ACTION_WARN || !cm_notify_wanted (msg))
    return;
  gboolean held = verdict->action == CM_ACTION_HOLD && !cm_notify_quarantined (verdict);
  const char *hold_id = held ? "20260101-000000-abcdef" : NULL;
  g_autofree char *reply_to = held ? cm_notify_reply_address (msg->config, hold_id, "0123456789abcdef0123")
                                   : NULL;
  if (held)
    {
      /* The subject as the hold store keeps it. */
      if (msg->subject)
        g_free (g_mime_utils_header_decode_text (NULL, msg->subject));
      g_autoptr (GError) error = NULL;
      g_autoptr (GMimeStream) stream = cm_msgctx_stream (msg, &error);
      const char *mo = cm_config_monitoring_officer (msg->config);
      if (stream && mo)
        write_out (cm_notify_compose_hold (msg, verdict, hold_id, mo, NULL, NULL, stream));
    }
  write_out (cm_notify_compose (msg, verdict, hold_id, reply_to));
  if (verdict->action == CM_ACTION_DISCLOSE)
    {
      g_autoptr (GError) error = NULL;
      g_autoptr (GMimeStream) source = cm_msgctx_stream (msg, &error);
      g_autoptr (GMimeStream) out = g_mime_stream_null_new ();
      if (source)
        cm_disclose_body (source, verdict->disclosure, out, &error);
    }
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  if (size < 2)
    return 0;
  guint8 choice = data[0];
  gsize chunk = chunk_sizes[data[1] % G_N_ELEMENTS (chunk_sizes)];
  const char *p = (const char *) data + 2, *end = (const char *) data + size;

  /* MAIL FROM and RCPT TO. */
  CmEnvelope *envelope = cm_envelope_new (senders[choice & 7]);
  envelope->authenticated = (choice & 8) != 0;
  for (guint i = 0; i < G_N_ELEMENTS (recipients); i++)
    if ((choice >> 4) & (1u << i))
      cm_envelope_add_recipient (envelope, recipients[i]);
  if (envelope->recipients->len == 0)
    cm_envelope_add_recipient (envelope, recipients[0]);
  if (!cm_config_in_scope (config, envelope))
    {
      cm_envelope_free (envelope);
      return 0;
    }
  CmMsgCtx *msg = cm_msgctx_new (cm_config_ref (config), envelope);

  fuzz_feed (msg, p, (gsize) (end - p), chunk);

  /* End of message: the fingerprint, the verdict, the actions. */
  if (msg->failure == NULL)
    {
      g_free (cm_msgctx_fingerprint (msg));
      g_autoptr (GError) error = NULL;
      g_autoptr (GMimeStream) stream = cm_msgctx_stream (msg, &error);
      g_autoptr (CmVerdict) verdict = stream ? cm_check (msg->config, msg->envelope, stream, &error) : NULL;
      if (verdict)
        act (msg, verdict);
    }
  cm_msgctx_free (msg);
  return 0;
}
