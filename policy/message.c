/*
 * message.c: the envelope and a GMime parse of the message become the
 * message view (view.h).
 *
 * Who is the sender: the first of the From mailbox, the envelope sender
 * and the Sender header that the directory knows (a member or officer),
 * else the From mailbox, else the envelope sender.  Recipients are the
 * envelope's; without envelope recipients (a saved draft in council-check)
 * they are To, Cc and Bcc.  Blind recipients are those absent from To/Cc.
 * A distribution list's address stands for the people on it: each is a
 * recipient in the list's place, marked as reached through it.
 *
 * Text: each body part's bytes are decoded (charset.c, html.c) and split
 * (quotes.c).  Of a multipart/alternative the text/plain part is read when
 * there is one: it carries the same words and costs no HTML parse.  A
 * forwarded message/rfc822 part is history; its own parts are listed.
 *
 * Every loop is bounded (caps.h): past [policy] max-headers,
 * max-addresses, max-mime-depth, max-parts, max-html-depth, max-words or
 * max-sentences, or the time budget, reading stops there and the scan
 * records why, so that the verdict can say it was partial.
 */
#include "config.h"

#include <string.h>

#include "view.h"
#include "text.h"

typedef struct {
  CmView *view;
  const CmDirectory *directory;
  const CmLexicons *lexicons;
  GHashTable *by_address; /* address -> CmParticipant * */
  CmTextSplit split;
  /* The words of SPLIT.authored, split as it grows (each text's lines in
   * turn), and where the split stopped: the view's words, and the plain
   * words an HTML alternative is compared with, without splitting the
   * text twice. */
  CmWords *authored_words;
  gsize authored_from;
  CmScan *scan;           /* the caps and what went past them */
  guint addresses;        /* mailboxes of the headers met so far */
  guint parts;            /* MIME parts met so far */
} Builder;

static void
participant_free (gpointer p)
{
  CmParticipant *participant = p;
  g_free (participant->address);
  g_free (participant->display_name);
  g_free (participant);
}

static void
attachment_free (gpointer p)
{
  CmAttachment *attachment = p;
  g_free (attachment->filename);
  g_free (attachment->content_type);
  g_free (attachment);
}

/* ADDRESS as cm_address_normalise () makes it.  An address is nearly
 * always plain ASCII with nothing to trim, lowered here byte by byte:
 * g_utf8_strdown costs a hundred instructions a character.  Anything
 * else goes the long way, 'I' too (a Turkish locale lowers it to a
 * dotless i). */
static char *
normal_address (const char *address)
{
  gsize len = 0;
  for (const char *p = address; p && *p; p++, len++)
    if ((guchar) *p >= 0x80 || *p == 'I' || g_ascii_isspace (*p))
      return cm_address_normalise (address);
  if (address == NULL || (len >= 2 && address[0] == '<' && address[len - 1] == '>'))
    return cm_address_normalise (address);
  /* (g_ascii_strdown calls g_ascii_tolower for each byte.) */
  char *lower = g_malloc (len + 1);
  for (gsize i = 0; i < len; i++)
    lower[i] = address[i] >= 'A' && address[i] <= 'Z' ? (char) (address[i] + ('a' - 'A')) : address[i];
  lower[len] = '\0';
  return lower;
}

/* The participant for ADDRESS, made once per address. */
static CmParticipant *
participant (Builder *b, const char *address, const char *name)
{
  g_autofree char *key = normal_address (address);
  CmParticipant *p = g_hash_table_lookup (b->by_address, key);
  if (p)
    {
      if (p->display_name == NULL && name && *name)
        p->display_name = g_strdup (name);
      return p;
    }
  p = g_new0 (CmParticipant, 1);
  p->address = g_steal_pointer (&key);
  p->display_name = name && *name ? g_strdup (name) : NULL;
  p->role = cm_directory_role (b->directory, p->address, &p->person, &p->media);
  p->list = cm_directory_list (b->directory, p->address);
  g_ptr_array_add (b->view->participants, p);
  g_hash_table_insert (b->by_address, p->address, p);
  return p;
}

/* Add P to OUT, the list called LIST (a CM_IN_ bit), unless it is there:
 * the bit answers at once, where a search of OUT made long lists quadratic. */
static void
add_once (GPtrArray *out, CmParticipant *p, guint list)
{
  if (p->lists & list)
    return;
  p->lists |= list;
  g_ptr_array_add (out, p);
}

/* Add P to OUT once, or, for a distribution list, each person on it
 * (by their main address) in its place. */
static void
add_recipient (Builder *b, GPtrArray *out, CmParticipant *p, guint list)
{
  if (p->list == NULL)
    {
      if (!(p->lists & list))
        p->via = NULL; /* named on its own as well */
      add_once (out, p, list);
      return;
    }
  for (guint i = 0; i < p->list->people->len; i++)
    {
      const CmPerson *person = p->list->people->pdata[i];
      CmParticipant *member = participant (b, person->addresses->pdata[0], person->name);
      if (member->lists == 0)
        member->via = p->list;
      add_once (out, member, list);
    }
}

/* Add each mailbox of LIST (groups flattened) to OUT, once. */
static void
add_addresses (Builder *b, InternetAddressList *list, GPtrArray *out, guint bit)
{
  for (int i = 0; list && i < internet_address_list_length (list); i++)
    {
      InternetAddress *ia = internet_address_list_get_address (list, i);
      if (INTERNET_ADDRESS_IS_GROUP (ia))
        {
          add_addresses (b, internet_address_group_get_members (INTERNET_ADDRESS_GROUP (ia)), out, bit);
          continue;
        }
      const char *addr = internet_address_mailbox_get_addr (INTERNET_ADDRESS_MAILBOX (ia));
      if (addr == NULL || strchr (addr, '@') == NULL)
        continue;
      if (cm_scan_over (b->scan, "addresses", ++b->addresses, b->scan->limits->addresses))
        return;
      CmParticipant *p = participant (b, addr, internet_address_get_name (ia));
      if (bit & (CM_IN_FROM | CM_IN_SENDER))
        add_once (out, p, bit);
      else
        add_recipient (b, out, p, bit);
    }
}

static gboolean
known (const CmParticipant *p)
{
  return p && p->role != CM_ROLE_EXTERNAL;
}

static void
read_participants (Builder *b, const CmEnvelope *envelope, GMimeMessage *message)
{
  CmView *view = b->view;
  g_autoptr (GPtrArray) from = g_ptr_array_new ();
  g_autoptr (GPtrArray) sender_header = g_ptr_array_new ();
  g_autoptr (GPtrArray) bcc = g_ptr_array_new ();

  if (message)
    {
      add_addresses (b, g_mime_message_get_from (message), from, CM_IN_FROM);
      add_addresses (b, g_mime_message_get_sender (message), sender_header, CM_IN_SENDER);
      add_addresses (b, g_mime_message_get_to (message), view->to, CM_IN_TO);
      add_addresses (b, g_mime_message_get_cc (message), view->cc, CM_IN_CC);
      add_addresses (b, g_mime_message_get_bcc (message), bcc, CM_IN_BCC);
    }
  view->from = from->len ? from->pdata[0] : NULL;
  CmParticipant *envelope_sender = envelope && envelope->sender && strchr (envelope->sender, '@')
                                 ? participant (b, envelope->sender, NULL) : NULL;
  CmParticipant *sender = sender_header->len ? sender_header->pdata[0] : NULL;

  if (known (view->from))
    view->sender = view->from;
  else if (known (envelope_sender))
    view->sender = envelope_sender;
  else if (known (sender))
    view->sender = sender;
  else
    view->sender = view->from ? view->from : envelope_sender ? envelope_sender : sender;
  if (view->sender == NULL)
    view->sender = participant (b, "", NULL);

  if (envelope && envelope->recipients->len > 0)
    {
      for (guint i = 0; i < envelope->recipients->len; i++)
        add_recipient (b, view->recipients, participant (b, envelope->recipients->pdata[i], NULL),
                       CM_IN_RECIPIENTS);
    }
  else
    {
      GPtrArray *lists[] = { view->to, view->cc, bcc };
      for (guint l = 0; l < G_N_ELEMENTS (lists); l++)
        for (guint i = 0; i < lists[l]->len; i++)
          add_once (view->recipients, lists[l]->pdata[i], CM_IN_RECIPIENTS);
    }
  for (guint i = 0; i < view->recipients->len; i++)
    {
      CmParticipant *p = view->recipients->pdata[i];
      if (!(p->lists & (CM_IN_TO | CM_IN_CC)))
        g_ptr_array_add (view->blind, p);
    }
}

static void
add_attachment (Builder *b, GMimeObject *part, const char *filename, gsize size)
{
  CmAttachment *attachment = g_new0 (CmAttachment, 1);
  GMimeContentType *type = g_mime_object_get_content_type (part);
  attachment->filename = filename ? g_strdup (filename) : NULL;
  attachment->content_type = type ? g_mime_content_type_get_mime_type (type)
                                  : g_strdup ("application/octet-stream");
  attachment->size = size;
  g_ptr_array_add (b->view->attachments, attachment);
}

/* The decoded bytes of PART's content (transfer encoding undone). */
static GByteArray *
part_bytes (GMimePart *part)
{
  GMimeDataWrapper *content = g_mime_part_get_content (part);
  if (content == NULL)
    return g_byte_array_new ();
  /* Room for all of it at once, and the NUL the text will end with:
   * growing as it is written moved it from one block to the next.
   * Undoing a transfer encoding shortens a part; should one come out
   * longer, the array still grows. */
  GMimeStream *encoded = g_mime_data_wrapper_get_stream (content);
  gint64 length = encoded ? g_mime_stream_length (encoded) : -1;
  GByteArray *bytes = g_byte_array_sized_new (length > 0 ? (guint) MIN (length + 1, (gint64) G_MAXUINT) : 0);
  GMimeStream *mem = g_mime_stream_mem_new_with_byte_array (bytes);
  g_mime_stream_mem_set_owner (GMIME_STREAM_MEM (mem), FALSE);
  g_mime_data_wrapper_write_to_stream (content, mem);
  g_object_unref (mem);
  return bytes;
}

/* Approximate decoded size without decoding (base64 is 3/4 of its text). */
static gsize
part_size (GMimePart *part)
{
  GMimeDataWrapper *content = g_mime_part_get_content (part);
  GMimeStream *stream = content ? g_mime_data_wrapper_get_stream (content) : NULL;
  gint64 length = stream ? g_mime_stream_length (stream) : 0;
  if (length < 0)
    length = 0;
  if (g_mime_part_get_content_encoding (part) == GMIME_CONTENT_ENCODING_BASE64)
    length = length * 3 / 4;
  return (gsize) length;
}

/* The text of HTML (UTF-8), read no deeper than [policy] max-html-depth:
 * deeper elements are left out and the scan says so. */
static char *
html_text (Builder *b, const char *html)
{
  guint cap = b->scan->limits->html_depth;
  guint too_deep = 0;
  char *text = cm_html_to_text_capped (html, strlen (html), cap, &too_deep);
  if (too_deep)
    cm_scan_over (b->scan, "html-depth", too_deep, cap);
  return text;
}

/* The text of a text/plain or text/html PART, in UTF-8. */
static char *
part_text (Builder *b, GMimePart *part)
{
  GMimeObject *object = GMIME_OBJECT (part);
  GByteArray *bytes = part_bytes (part);
  const char *charset = g_mime_object_get_content_type_parameter (object, "charset");
  char *utf8 = cm_charset_to_utf8_owned (bytes, charset);
  GMimeContentType *type = g_mime_object_get_content_type (object);
  if (g_mime_content_type_is_type (type, "text", "html"))
    {
      char *text = html_text (b, utf8);
      g_free (utf8);
      utf8 = text;
    }
  return utf8;
}

/* Append TEXT to the split, as history or as the sender's own. */
static void
read_text (Builder *b, const char *utf8, gboolean history)
{
  if (history)
    {
      g_string_append (b->split.history, utf8);
      g_string_append_c (b->split.history, '\n');
    }
  else
    {
      cm_text_split (utf8, b->lexicons, &b->split);
      cm_words_extend (b->authored_words, b->split.authored->str, &b->authored_from);
    }
}

static void
read_text_part (Builder *b, GMimePart *part, gboolean history)
{
  g_autofree char *utf8 = part_text (b, part);
  read_text (b, utf8, history);
}

static gboolean
is_body_text (GMimeObject *object)
{
  GMimeContentType *type = g_mime_object_get_content_type (object);
  if (!g_mime_content_type_is_type (type, "text", "plain")
      && !g_mime_content_type_is_type (type, "text", "html"))
    return FALSE;
  const char *disposition = g_mime_object_get_disposition (object);
  if (disposition && g_ascii_strcasecmp (disposition, "attachment") == 0)
    return FALSE;
  return g_mime_part_get_filename (GMIME_PART (object)) == NULL;
}

/* Where the parts of the split and the words of the new text stood
 * before a text was read: its words are those after. */
typedef struct {
  guint words;
  gsize signature, history;
} SplitMark;

/* Read the HTML alternatives of MULTIPART beside PLAIN, the text/plain one
 * read last (from BEFORE in the split), that say more than it: a harmless
 * text/plain beside an offending text/html must not hide it (mail clients
 * show the HTML). */
static void
read_other_alternatives (Builder *b, GMimeMultipart *multipart, GMimeObject *plain, const SplitMark *before,
                         gboolean history)
{
  CmPlainWords plain_words = { { 0 } }; /* made when there is an HTML part to compare */
  for (int i = 0; i < g_mime_multipart_get_count (multipart); i++)
    {
      GMimeObject *child = g_mime_multipart_get_part (multipart, i);
      GMimeContentType *type = g_mime_object_get_content_type (child);
      if (child == plain || !GMIME_IS_PART (child) || !g_mime_content_type_is_type (type, "text", "html")
          || !is_body_text (child))
        continue;
      /* A rough look first; only an HTML part that may say more is read
       * properly (libxml2) and compared again. */
      GByteArray *bytes = part_bytes (GMIME_PART (child));
      const char *charset = g_mime_object_get_content_type_parameter (child, "charset");
      g_autofree char *html = cm_charset_to_utf8_owned (bytes, charset);
      if (plain_words.words.slots == NULL)
        cm_plain_words_init (&plain_words, b->authored_words, before->words, &b->split, before->signature,
                             before->history);
      if (!cm_html_may_say_more (html, &plain_words))
        continue;
      g_autofree char *text = html_text (b, html);
      if (cm_text_says_more (text, &plain_words))
        read_text (b, text, history);
    }
  cm_plain_words_clear (&plain_words);
}


static void walk (Builder *b, GMimeObject *object, gboolean history, int depth);

/* Of a multipart/alternative, the part to read: text/plain, else the last. */
static GMimeObject *
pick_alternative (GMimeMultipart *multipart)
{
  int n = g_mime_multipart_get_count (multipart);
  for (int i = 0; i < n; i++)
    {
      GMimeObject *child = g_mime_multipart_get_part (multipart, i);
      GMimeContentType *type = g_mime_object_get_content_type (child);
      if (GMIME_IS_PART (child) && g_mime_content_type_is_type (type, "text", "plain"))
        return child;
    }
  return n > 0 ? g_mime_multipart_get_part (multipart, n - 1) : NULL;
}

static void
walk_message (Builder *b, GMimeMessage *inner, int depth)
{
  g_autofree char *from = NULL;
  InternetAddressList *list = g_mime_message_get_from (inner);
  if (list)
    from = internet_address_list_to_string (list, NULL, FALSE);
  const char *subject = g_mime_message_get_subject (inner);
  g_string_append_printf (b->split.history, "From: %s\nSubject: %s\n\n", from ? from : "",
                          subject ? subject : "");
  if (inner->mime_part)
    walk (b, inner->mime_part, TRUE, depth + 1);
}

static void
walk (Builder *b, GMimeObject *object, gboolean history, int depth)
{
  if (object == NULL)
    return;
  /* depth counts the containers around OBJECT: the message's own body is 0. */
  if (cm_scan_over (b->scan, "mime-depth", (guint64) depth, b->scan->limits->mime_depth)
      || cm_scan_over (b->scan, "parts", ++b->parts, b->scan->limits->parts)
      || cm_scan_out_of_time (b->scan))
    return;
  if (GMIME_IS_MESSAGE_PART (object))
    {
      GMimeMessage *inner = g_mime_message_part_get_message (GMIME_MESSAGE_PART (object));
      const char *subject = inner ? g_mime_message_get_subject (inner) : NULL;
      add_attachment (b, object, subject, 0);
      if (inner)
        walk_message (b, inner, depth);
      return;
    }
  if (GMIME_IS_MULTIPART_ENCRYPTED (object))
    {
      add_attachment (b, object, NULL, 0);
      return;
    }
  if (GMIME_IS_MULTIPART (object))
    {
      GMimeMultipart *multipart = GMIME_MULTIPART (object);
      GMimeContentType *type = g_mime_object_get_content_type (object);
      if (g_mime_content_type_is_type (type, "multipart", "alternative"))
        {
          GMimeObject *picked = pick_alternative (multipart);
          if (picked && GMIME_IS_PART (picked) && is_body_text (picked)
              && g_mime_content_type_is_type (g_mime_object_get_content_type (picked), "text", "plain"))
            {
              /* The plain text, decoded once: read, then compared. */
              g_autofree char *plain_text = part_text (b, GMIME_PART (picked));
              SplitMark before = { b->authored_words->n, b->split.signature->len, b->split.history->len };
              read_text (b, plain_text, history);
              read_other_alternatives (b, multipart, picked, &before, history);
            }
          else
            walk (b, picked, history, depth + 1);
          return;
        }
      for (int i = 0; i < g_mime_multipart_get_count (multipart); i++)
        walk (b, g_mime_multipart_get_part (multipart, i), history, depth + 1);
      return;
    }
  if (GMIME_IS_PART (object))
    {
      GMimePart *part = GMIME_PART (object);
      if (is_body_text (object))
        read_text_part (b, part, history);
      else
        add_attachment (b, object, g_mime_part_get_filename (part), part_size (part));
      return;
    }
  add_attachment (b, object, NULL, 0); /* message/partial and the like */
}

/* Split the subject into words, take the authored text's (AUTHORED_WORDS,
 * split as it was read), and give each sentence its range of them. */
static void
make_sentences (CmView *view, CmWords *authored_words, const CmLexicons *lexicons, CmScan *scan)
{
  view->subject_words = cm_words_split (view->subject ? view->subject : "");
  view->authored_words = authored_words;
  /* Past max-words the rest of the text is not judged: the words after
   * the cap belong to no sentence and no matcher sees them. */
  gboolean words_cut = cm_scan_over (scan, "words", view->authored_words->n, scan->limits->words);
  if (words_cut)
    view->authored_words->n = scan->limits->words;
  view->signature_words = cm_words_split (view->signature);
  g_autoptr (GArray) spans = cm_sentences_split (view->authored);
  guint n_spans = spans->len;
  if (cm_scan_over (scan, "sentences", n_spans, scan->limits->sentences))
    n_spans = scan->limits->sentences;
  /* The sentences (the subject and at most one a span) and their memos
   * in two allocations, not one a sentence; each sentence and memo used
   * is written whole below (clearing all of them cost more). */
  view->sentence_block = g_new (CmSentence, n_spans + 1);
  view->officer_memos = g_new (CmOfficerMemo, n_spans + 1);
  view->sentences = g_ptr_array_sized_new (n_spans + 1);
  const CmWords *all = view->authored_words;
  /* The refs of every word that a sentence may hold: the subject's, then
   * the authored text's. */
  guint n_subject = view->subject_words->n;
  view->refs = g_new (guint8, n_subject + all->n + 1);
  CmSentence *next = view->sentence_block;
  if (n_subject > 0)
    {
      CmSentence *s = next++;
      *s = (CmSentence) { .end = strlen (view->subject), .words = *view->subject_words, .subject = TRUE,
                          .refs = view->refs };
      s->hits = cm_lexicons_sentence_hits (lexicons, &s->words, view->refs);
    }

  guint word = 0;
  for (guint i = 0; i < n_spans; i++)
    {
      CmSpan span = g_array_index (spans, CmSpan, i);
      /* Past max-words, or out of time: no more sentences. */
      if ((words_cut && word >= all->n) || cm_scan_out_of_time_often (scan))
        break;
      while (word < all->n && all->words[word].offset < span.start)
        word++;
      guint first = word;
      while (word < all->n && all->words[word].offset < span.end)
        word++;
      CmSentence *s = next++;
      *s = (CmSentence) { .start = span.start, .end = span.end,
                          .words = { .words = all->words + first, .n = word - first },
                          .refs = view->refs + n_subject + first };
      s->hits = cm_lexicons_sentence_hits (lexicons, &s->words, view->refs + n_subject + first);
    }
  /* The array of the sentences, written in place. */
  guint n_sentences = (guint) (next - view->sentence_block);
  g_ptr_array_set_size (view->sentences, n_sentences);
  for (guint i = 0; i < n_sentences; i++)
    {
      CmSentence *s = &view->sentence_block[i];
      view->officer_memos[i] = (CmOfficerMemo) { .known = FALSE, .named = NULL };
      s->officers = &view->officer_memos[i];
      view->sentences->pdata[i] = s;
    }
}

char *
cm_view_sentence_text (const CmView *view, const CmSentence *sentence)
{
  CmSpan span = { sentence->start, sentence->end };
  return cm_sentences_text (sentence->subject ? view->subject : view->authored, span);
}

guint
cm_view_line (const char *text, const CmWords *all, guint from, CmWords *line)
{
  guint end = from;
  while (++end < all->n)
    {
      const CmWord *previous = &all->words[end - 1];
      const char *gap = text + previous->offset + previous->length;
      if (memchr (gap, '\n', all->words[end].offset - (previous->offset + previous->length)))
        break;
    }
  line->buffer = NULL;
  line->words = all->words + from;
  line->n = MIN (end, all->n) - from;
  return MIN (end, all->n);
}

/* The header block of STREAM, read from START up to its blank line (or
 * END): how many fields it has, and where the field after the first MAX
 * starts (CUT) and where the blank line starts (BLANK).  One pass, the
 * stream left where it was. */
static guint
count_header_fields (GMimeStream *stream, gint64 start, gint64 end, guint max, gint64 *cut, gint64 *blank)
{
  /* Read a little at a time: the header block is a few KB, and a read
   * copies the whole of what it asks for (all of a 300 KB message). */
  char buffer[2048];
  guint fields = 0;
  gboolean line_start = TRUE;
  gint64 cr_at = -1; /* a line that began with CR: perhaps the blank one */
  gint64 at = start;
  *cut = *blank = end;
  g_mime_stream_seek (stream, start, GMIME_STREAM_SEEK_SET);
  gssize n;
  while (at < end && (n = g_mime_stream_read (stream, buffer, (gsize) MIN ((gint64) sizeof buffer, end - at))) > 0)
    for (gssize i = 0; i < n; i++, at++)
      {
        char c = buffer[i];
        if (!line_start && cr_at < 0)
          {
            /* Inside a line only its end matters: on to it at once. */
            const char *nl = memchr (buffer + i, '\n', (gsize) (n - i));
            gssize skip = nl ? nl - (buffer + i) : n - i - 1;
            i += skip;
            at += skip;
            line_start = nl != NULL;
            continue;
          }
        if (cr_at >= 0)
          {
            if (c == '\n')
              {
                *blank = cr_at;
                goto done;
              }
            cr_at = -1;
          }
        else if (line_start)
          {
            if (c == '\n')
              {
                *blank = at;
                goto done;
              }
            if (c == '\r')
              {
                cr_at = at;
                continue;
              }
            /* A line that does not start with white space starts a field. */
            if (c != ' ' && c != '\t' && ++fields == max + 1)
              *cut = at;
          }
        line_start = c == '\n';
      }
done:
  g_mime_stream_seek (stream, start, GMIME_STREAM_SEEK_SET);
  return fields;
}

/* STREAM [START, END) with the header fields past [policy] max-headers
 * left out (the first ones and the body kept), or a new reference to it
 * when there are not so many.  GMime would otherwise make an object of
 * every field: 350,000 small ones cost 200 MB. */
static GMimeStream *
without_excess_headers (GMimeStream *stream, gint64 start, gint64 end, CmScan *scan)
{
  gint64 cut, blank;
  guint cap = scan->limits->headers;
  guint fields = count_header_fields (stream, start, end, cap, &cut, &blank);
  if (!cm_scan_over (scan, "headers", fields, cap))
    return g_object_ref (stream);
  GMimeStream *cat = g_mime_stream_cat_new ();
  g_autoptr (GMimeStream) head = g_mime_stream_substream (stream, start, cut);
  g_autoptr (GMimeStream) rest = g_mime_stream_substream (stream, blank, end);
  g_mime_stream_cat_add_source (GMIME_STREAM_CAT (cat), head);
  g_mime_stream_cat_add_source (GMIME_STREAM_CAT (cat), rest);
  return cat;
}

GMimeMessage *
cm_message_parse_capped (GMimeStream *stream, gsize max_scan, CmScan *scan, gsize *scanned,
                         gboolean *truncated)
{
  /* Read at most max_scan bytes: a bounded substream of the message. */
  gint64 start = g_mime_stream_tell (stream);
  gint64 length = g_mime_stream_length (stream);
  *truncated = length < 0 || (guint64) length > max_scan;
  *scanned = *truncated ? max_scan : (gsize) length;
  gint64 end = start + (gint64) *scanned;
  g_autoptr (GMimeStream) bounded = *truncated ? g_mime_stream_substream (stream, start, end)
                                               : g_object_ref (stream);
  g_autoptr (GMimeStream) capped = without_excess_headers (bounded, start, end, scan);

  GMimeParser *parser = g_mime_parser_new_with_stream (capped);
  g_mime_parser_set_format (parser, GMIME_FORMAT_MESSAGE);
  /* Parts refer to the stream instead of being copied (the default, said). */
  g_mime_parser_set_persist_stream (parser, TRUE);
  GMimeMessage *message = g_mime_parser_construct_message (parser, NULL);
  g_object_unref (parser);
  return message;
}

GMimeMessage *
cm_message_parse (GMimeStream *stream, gsize max_scan, gsize *scanned, gboolean *truncated)
{
  CmScan scan;
  cm_scan_init (&scan, &cm_limits_loose);
  GMimeMessage *message = cm_message_parse_capped (stream, max_scan, &scan, scanned, truncated);
  cm_scan_clear (&scan);
  return message;
}

CmView *
cm_view_new_capped (const CmDirectory *directory, const CmLexicons *lexicons,
                    const CmEnvelope *envelope, GMimeMessage *message, CmScan *scan)
{
  CmView *view = g_new0 (CmView, 1);
  view->participants = g_ptr_array_new_with_free_func (participant_free);
  view->to = g_ptr_array_new ();
  view->cc = g_ptr_array_new ();
  view->recipients = g_ptr_array_new ();
  view->blind = g_ptr_array_new ();
  view->attachments = g_ptr_array_new_with_free_func (attachment_free);

  Builder b = { view, directory, lexicons, g_hash_table_new (g_str_hash, g_str_equal),
                { g_string_new (NULL), g_string_new (NULL), g_string_new (NULL) }, g_new0 (CmWords, 1), 0, scan,
                0, 0 };

  read_participants (&b, envelope, message);
  if (message)
    {
      const char *subject = g_mime_message_get_subject (message);
      if (subject)
        view->subject = g_utf8_validate (subject, -1, NULL) ? g_strdup (subject)
                      : cm_charset_to_utf8 (subject, strlen (subject), NULL);
      walk (&b, message->mime_part, FALSE, 0);
    }
  view->authored = g_string_free (b.split.authored, FALSE);
  view->signature = g_string_free (b.split.signature, FALSE);
  view->history = g_string_free (b.split.history, FALSE);
  g_hash_table_unref (b.by_address);
  make_sentences (view, g_steal_pointer (&b.authored_words), lexicons, scan);
  return view;
}

CmView *
cm_view_new (const CmDirectory *directory, const CmLexicons *lexicons,
             const CmEnvelope *envelope, GMimeMessage *message)
{
  CmScan scan;
  cm_scan_init (&scan, &cm_limits_loose);
  CmView *view = cm_view_new_capped (directory, lexicons, envelope, message, &scan);
  cm_scan_clear (&scan);
  return view;
}

void
cm_view_free (CmView *view)
{
  if (view == NULL)
    return;
  g_ptr_array_unref (view->to);
  g_ptr_array_unref (view->cc);
  g_ptr_array_unref (view->recipients);
  g_ptr_array_unref (view->blind);
  g_ptr_array_unref (view->participants);
  for (guint i = 0; view->officer_memos && i < view->sentences->len; i++)
    g_clear_pointer (&view->officer_memos[i].named, g_ptr_array_unref);
  g_free (view->officer_memos);
  g_ptr_array_unref (view->sentences);
  g_free (view->sentence_block);
  g_free (view->refs);
  g_ptr_array_unref (view->attachments);
  cm_words_free (view->subject_words);
  cm_words_free (view->authored_words);
  cm_words_free (view->signature_words);
  g_free (view->subject);
  g_free (view->authored);
  g_free (view->signature);
  g_free (view->history);
  g_free (view);
}

gboolean
cm_view_is_sender (const CmView *view, const CmParticipant *p)
{
  if (p == view->sender)
    return TRUE;
  return p->person != NULL && p->person == view->sender->person;
}
