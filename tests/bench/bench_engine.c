/*
 * bench_engine.c: how fast the policy engine judges realistic council mail.
 *
 * Three outgoing messages from a councillor are generated in memory, the
 * same bytes on every run (fixed seed, boundaries, dates): a ~3 KB
 * quoted-printable text/plain reply with quoted history and a signature,
 * a ~30 KB multipart/alternative (text/plain + Outlook-style text/html) and
 * a ~300 KB multipart/mixed with a base64 PDF-like attachment.  Each holds
 * an obligation and a criticism of an officer, so rules really fire.
 *
 *   1. engine vs floor: cm_check() on each message against GMime alone
 *      parsing it and decoding its text parts (the least any filter does);
 *   2. directory scaling: the engine with 10 and with 5000 named officers;
 *   3. size scaling: the plain message grown to ~30 KB and ~300 KB.
 *
 * Each figure is the mean of at least 200 runs and -t seconds (1.5), after
 * 20 warm-up runs, on one thread.  Run it with `make bench`, or
 *   tests/bench/bench_engine -c config/council-milter.conf [-t SECONDS] [-q]
 *
 * With -p NAME it only runs the engine on message NAME (with -f, the
 * floor instead) for -t seconds and prints its wall and CPU time per
 * message, for a profiler (perf record, valgrind --tool=callgrind
 * --toggle-collect=engine_once or floor_once) to look at.
 */
#include "config.h"

#include <locale.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <glib.h>
#include <glib/gstdio.h>
#include <gmime/gmime.h>

#include "policy.h"

#define SEED 20240611
#define WARMUP 20
#define MIN_RUNS 200
/* Two things compared are measured in turns, ROUNDS times each, and each
 * figure is the median of its rounds: a drift of the machine's speed (a
 * VM has them) then hits both alike. */
#define ROUNDS 5
#define N_CORPUS 3 /* the three messages; two more for size scaling */

static const char vocabulary_text[] =
  "council committee report budget housing scheme ward residents officer member meeting agenda minutes "
  "consultation highways parking library leisure centre contract procurement tender quarter forecast "
  "capital revenue grant allocation district parish boundary review scrutiny panel cabinet portfolio "
  "decision notice appendix draft final figures update timetable deadline proposal option recommendation "
  "evidence survey response community engagement drainage flooding maintenance repairs waste recycling "
  "collection depot vehicle fleet staffing vacancy";

/* 77 x 75 names (none the example council's) make 5775 distinct officers. */
static const char first_names_text[] =
  "Oliver Amelia George Olivia Harry Isla Jack Ava Jacob Emily Noah Sophie Charlie Grace Thomas Mia Oscar "
  "Poppy William Ella James Lily Leo Evie Alfie Chloe Henry Jessica Joshua Freya Freddie Daisy Archie "
  "Alice Ethan Florence Isaac Ruby Alexander Sienna Joseph Matilda Edward Rosie Samuel Phoebe Max Holly "
  "Daniel Lucy Arthur Millie Lucas Harriet Finley Eleanor Adam Hannah Benjamin Imogen Dylan Charlotte Theo "
  "Zara Callum Niamh Ryan Caitlin Rhys Bethan Owen Megan Liam Fiona Stuart Claire Graham";
static const char surnames_text[] =
  "Taylor Brown Williams Wilson Johnson Davies Robinson Thompson Walker White Edwards Green Hall Wood "
  "Harris Martin Jackson Clark Turner Hill Scott Cooper Morris Moore King Watson Harrison Morgan Young "
  "Allen Mitchell Anderson Bell Roberts Phillips Campbell Parker Bennett Cook Shaw Hughson Richardson "
  "Bailey Collins Chapman Ellis Dixon Marshall Hunt Palmer Mills Barnes Knight Lloyd Butler Russell Barker "
  "Fisher Stevens Jenkins Murphy Dawson Holmes Rogers Stewart Simpson Graham Foster Webb Fox Reid Owen "
  "Mason Gibson Pearson";
static const char titles_text[] =
  "Senior Planning Officer;Planning Officer;Principal Planning Officer;Housing Officer;"
  "Housing Options Officer;Tenancy Sustainment Officer;Environmental Health Officer;Licensing Officer;"
  "Building Control Surveyor;Revenues Officer;Benefits Assessor;Customer Services Adviser;"
  "Waste Services Supervisor;Parks Officer;Leisure Centre Manager;Electoral Services Officer;"
  "Committee Clerk;Legal Assistant;Solicitor;Finance Business Partner;Payroll Officer;HR Adviser;"
  "ICT Support Analyst;Procurement Officer;Estates Surveyor;Conservation Officer;Community Safety Officer;"
  "Economic Development Officer;Project Manager";

static const char *const keywords[] = {
  "The council will pay for the repairs.",
  "Frankly the Head of Planning is incompetent and should have seen this coming.",
  "Ms Jones has been very helpful with the site visit.",
};

static char **vocabulary;        /* the words of vocabulary_text */
static volatile gsize sink;      /* keeps the floor's work observable */
static double min_seconds = 1.5; /* -t: the least time per figure */

typedef struct {
  const char *name;
  GByteArray *bytes;        /* the whole message, never copied */
} Message;

typedef struct {
  const CmConfig *config;
  const CmEnvelope *envelope;
  const Message *message;
} Job;

/* Append a paragraph of N sentences of 8 to 18 random words to OUT. */
static void
paragraph (GRand *rng, GString *out, guint n)
{
  gint32 n_words = (gint32) g_strv_length (vocabulary);
  for (guint s = 0; s < n; s++)
    {
      gsize start = out->len + (s ? 1 : 0);
      for (gint32 i = 0, words = g_rand_int_range (rng, 8, 19); i < words; i++)
        g_string_append_printf (out, "%s%s", s || i ? " " : "", vocabulary[g_rand_int_range (rng, 0, n_words)]);
      out->str[start] = g_ascii_toupper (out->str[start]);
      g_string_append_c (out, '.');
    }
}

/* Append TEXT to OUT wrapped at 72 columns, each line starting with PREFIX. */
static void
wrap (GString *out, const char *text, const char *prefix)
{
  g_auto (GStrv) words = g_strsplit (text, " ", -1);
  gsize line = 0;
  for (guint i = 0; words[i]; i++)
    {
      if (line && line + 1 + strlen (words[i]) > 72)
        {
          g_string_append_c (out, '\n');
          line = 0;
        }
      g_string_append (out, line ? " " : prefix);
      g_string_append (out, words[i]);
      line += strlen (words[i]) + (line ? 1 : strlen (prefix));
    }
  g_string_append_c (out, '\n');
}

/* A reply's text: ~TARGET bytes of paragraphs, each with a keyword, a signature, quoted history. */
static char *
plain_text (GRand *rng, gsize target)
{
  GString *body = g_string_new ("Dear Tom,\n\n");
  for (guint i = 0; body->len < target; i++)
    {
      g_autoptr (GString) p = g_string_new (NULL);
      paragraph (rng, p, (guint) g_rand_int_range (rng, 3, 6));
      g_string_append_printf (p, " %s", keywords[i % G_N_ELEMENTS (keywords)]);
      wrap (body, p->str, "");
      g_string_append_c (body, '\n');
    }
  g_string_append (body, "Kind regards,\n\nJane\n-- \nCllr Jane Smith\n"
                   "Chair, Planning Committee | Northmoor District Council\n"
                   "Tel: 01632 960123 | Ward budget left: \xc2\xa3" "1,250\n\n"
                   "-----Original Message-----\n"
                   "From: Tom Baker <tom.baker@northmoor.gov.uk>\nSent: 10 June 2024 17:02\n"
                   "To: Cllr Jane Smith\nSubject: Planning committee papers\n\n");
  for (guint i = 0; i < 2; i++)
    {
      g_autoptr (GString) p = g_string_new (NULL);
      paragraph (rng, p, 4);
      wrap (body, p->str, "> ");
      g_string_append (body, ">\n");
    }
  return g_string_free (body, FALSE);
}

/* Outlook-style HTML of about TARGET bytes with the keywords and tables. */
static char *
html_text (GRand *rng, gsize target)
{
  GString *html = g_string_new (
    "<html xmlns:o=\"urn:schemas-microsoft-com:office:office\">\n<head><meta http-equiv=\"Content-Type\" "
    "content=\"text/html; charset=utf-8\">\n<style><!--\n/* Font Definitions */\n@font-face {font-family:"
    "Calibri;}\np.MsoNormal, li.MsoNormal, div.MsoNormal {margin:0cm; font-size:11.0pt; font-family:"
    "\"Calibri\",sans-serif;}\na:link, span.MsoHyperlink {color:#0563C1; text-decoration:underline;}\n"
    "table.MsoTable {border-collapse:collapse;}\n--></style>\n</head><body lang=EN-GB link=\"#0563C1\">\n"
    "<div class=WordSection1>\n<p class=MsoNormal>Dear Tom,<o:p></o:p></p>\n");
  guint n_words = g_strv_length (vocabulary);
  for (guint i = 0; html->len < target; i++)
    {
      g_autoptr (GString) p = g_string_new (NULL);
      paragraph (rng, p, (guint) g_rand_int_range (rng, 3, 7));
      if (i < G_N_ELEMENTS (keywords))
        g_string_append_printf (p, " %s", keywords[i]);
      g_string_append_printf (html, "<p class=MsoNormal><span style='font-size:11.0pt;color:#1F3864'>"
                              "%s</span><o:p></o:p></p>\n", p->str);
      if (i % 6 != 5)
        continue;
      g_string_append (html, "<table class=MsoTable border=0 cellspacing=0 cellpadding=0>");
      for (guint r = 0; r < 6; r++)
        g_string_append_printf (html, "<tr><td style='border:solid #BFBFBF 1.0pt;padding:0cm 5.4pt'>%s</td>"
                                "<td style='border:solid #BFBFBF 1.0pt;padding:0cm 5.4pt'>&pound;%d</td></tr>",
                                vocabulary[g_rand_int_range (rng, 0, (gint32) n_words)],
                                g_rand_int_range (rng, 1000, 100000));
      g_string_append (html, "</table>\n");
    }
  g_string_append (html, "<p class=MsoNormal>Kind regards,<o:p></o:p></p>\n<p class=MsoNormal>"
                   "<b>Cllr Jane Smith</b><br>Chair, Planning Committee<br>Northmoor District "
                   "Council</p>\n</div></body></html>\n");
  return g_string_free (html, FALSE);
}

/* A mem stream over BYTES that reads or writes them in place. */
static GMimeStream *
borrow_stream (GByteArray *bytes)
{
  GMimeStream *stream = g_mime_stream_mem_new_with_byte_array (bytes);
  g_mime_stream_mem_set_owner (GMIME_STREAM_MEM (stream), FALSE);
  return stream;
}

/* A TYPE/SUBTYPE part holding BYTES (taken), written in ENCODING. */
static GMimeObject *
part_new (const char *type, const char *subtype, GByteArray *bytes, GMimeContentEncoding encoding)
{
  GMimePart *part = g_mime_part_new_with_type (type, subtype);
  g_autoptr (GMimeStream) stream = g_mime_stream_mem_new_with_byte_array (bytes); /* owns BYTES */
  GMimeDataWrapper *content = g_mime_data_wrapper_new_with_stream (stream, GMIME_CONTENT_ENCODING_DEFAULT);
  g_mime_part_set_content (part, content);
  g_object_unref (content);
  g_mime_part_set_content_encoding (part, encoding);
  return GMIME_OBJECT (part);
}

/* A quoted-printable UTF-8 text/SUBTYPE part holding TEXT (taken). */
static GMimeObject *
text_part (const char *subtype, char *text)
{
  GByteArray *bytes = g_byte_array_new_take ((guint8 *) text, strlen (text));
  GMimeObject *part = part_new ("text", subtype, bytes, GMIME_CONTENT_ENCODING_QUOTEDPRINTABLE);
  g_mime_object_set_content_type_parameter (part, "charset", "utf-8");
  return part;
}

/* A multipart/SUBTYPE with a fixed BOUNDARY holding A and B (taken). */
static GMimeObject *
multipart (const char *subtype, const char *boundary, GMimeObject *a, GMimeObject *b)
{
  GMimeMultipart *mp = g_mime_multipart_new_with_subtype (subtype);
  g_mime_multipart_set_boundary (mp, boundary);
  g_mime_multipart_add (mp, a);
  g_mime_multipart_add (mp, b);
  g_object_unref (a);
  g_object_unref (b);
  return GMIME_OBJECT (mp);
}

/* A base64 application/pdf attachment of about SIZE bytes before encoding. */
static GMimeObject *
pdf_part (GRand *rng, gsize size)
{
  GByteArray *pdf = g_byte_array_new ();
  g_autofree char *head = g_strdup_printf ("%%PDF-1.4\n%%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog "
                                           "/Pages 2 0 R >>\nendobj\n3 0 obj\n<< /Length %" G_GSIZE_FORMAT
                                           " /Filter /FlateDecode >>\nstream\n", size);
  const char tail[] = "\nendstream\nendobj\nxref\n0 4\n0000000000 65535 f \ntrailer\n"
                      "<< /Size 4 /Root 1 0 R >>\nstartxref\n9\n%%EOF\n";
  g_byte_array_append (pdf, (const guint8 *) head, (guint) strlen (head));
  guint at = pdf->len;
  g_byte_array_set_size (pdf, at + (guint) size);
  for (gsize i = 0; i < size; i++)
    pdf->data[at + i] = (guint8) g_rand_int (rng);
  g_byte_array_append (pdf, (const guint8 *) tail, sizeof tail - 1);
  GMimeObject *part = part_new ("application", "pdf", pdf, GMIME_CONTENT_ENCODING_BASE64);
  g_mime_object_set_disposition (part, "attachment");
  g_mime_part_set_filename (GMIME_PART (part), "site-plan-24-01234.pdf");
  return part;
}

/* Jane Smith's message to Tom Baker, copied to Raj Patel, with BODY (taken). */
static Message
message_new (const char *name, const char *subject, GMimeObject *body)
{
  g_autoptr (GMimeMessage) message = g_mime_message_new (TRUE);
  g_mime_message_add_mailbox (message, GMIME_ADDRESS_TYPE_FROM, "Cllr Jane Smith", "cllr.jane.smith@northmoor.gov.uk");
  g_mime_message_add_mailbox (message, GMIME_ADDRESS_TYPE_TO, "Tom Baker", "tom.baker@northmoor.gov.uk");
  g_mime_message_add_mailbox (message, GMIME_ADDRESS_TYPE_CC, "Cllr Raj Patel", "cllr.raj.patel@northmoor.gov.uk");
  g_mime_message_set_subject (message, subject, NULL);
  g_autoptr (GDateTime) date = g_date_time_new_from_iso8601 ("2024-06-11T09:14:03+01:00", NULL);
  g_mime_message_set_date (message, date);
  g_autofree char *id = g_strdup_printf ("bench-%s@northmoor.gov.uk", name);
  g_mime_message_set_message_id (message, id);
  g_mime_object_set_header (GMIME_OBJECT (message), "X-Mailer", "Microsoft Outlook 16.0", NULL);
  g_mime_message_set_mime_part (message, body);
  g_object_unref (body);

  Message m = { name, g_byte_array_new () };
  g_autoptr (GMimeStream) out = borrow_stream (m.bytes);
  g_mime_object_write_to_stream (GMIME_OBJECT (message), NULL, out);
  return m;
}

/* The reply: PLAIN bytes of text, with HTML bytes of alternative and a PDF if not 0. */
static Message
make_message (const char *name, guint seed, gsize plain, gsize html, gsize pdf)
{
  g_autoptr (GRand) rng = g_rand_new_with_seed (seed);
  GMimeObject *body = text_part ("plain", plain_text (rng, plain));
  if (html)
    body = multipart ("alternative", "----=_NextPart_001_0022_01DABBE1.2F3C4A50", body,
                      text_part ("html", html_text (rng, html)));
  if (pdf)
    body = multipart ("mixed", "----=_NextPart_000_0021_01DABBE1.2F3C4A50", body, pdf_part (rng, pdf));
  return message_new (name, html ? "Budget scrutiny panel - draft figures" : "RE: Planning committee papers", body);
}

/* One run of the engine on the job's message; the verdict, or NULL. */
static CmVerdict *
engine_verdict (const Job *job)
{
  g_autoptr (GMimeStream) stream = borrow_stream (job->message->bytes);
  g_autoptr (GError) error = NULL;
  CmVerdict *verdict = cm_check (job->config, job->envelope, stream, &error);
  if (verdict == NULL)
    g_printerr ("bench_engine: %s: %s\n", job->message->name, error->message);
  return verdict;
}

/* One run of the engine, the verdict freed. */
static void
engine_once (const Job *job)
{
  cm_verdict_free (engine_verdict (job));
}

/* g_mime_message_foreach() callback: decode a text part into a buffer. */
static void
decode_text (GMimeObject *parent G_GNUC_UNUSED, GMimeObject *part, gpointer data G_GNUC_UNUSED)
{
  if (!GMIME_IS_PART (part) || !g_mime_content_type_is_type (g_mime_object_get_content_type (part), "text", "*"))
    return;
  GMimeDataWrapper *content = g_mime_part_get_content (GMIME_PART (part));
  if (content == NULL)
    return;
  g_autoptr (GByteArray) text = g_byte_array_new ();
  g_autoptr (GMimeStream) out = borrow_stream (text);
  g_mime_data_wrapper_write_to_stream (content, out);
  sink += text->len;
}

/* The floor: GMime parses the message and decodes its text parts. */
static void
floor_once (const Job *job)
{
  g_autoptr (GMimeStream) stream = borrow_stream (job->message->bytes);
  g_autoptr (GMimeParser) parser = g_mime_parser_new_with_stream (stream);
  g_autoptr (GMimeMessage) message = g_mime_parser_construct_message (parser, NULL);
  if (message)
    g_mime_message_foreach (message, decode_text, NULL);
}

/* Mean µs per call of FN over at least RUNS calls and SECONDS. */
static double
measure_for (void (*fn) (const Job *), const Job *job, guint runs_wanted, double seconds)
{
  gint64 budget = (gint64) (seconds * G_USEC_PER_SEC), start = g_get_monotonic_time (), elapsed;
  guint runs = 0;
  do
    {
      fn (job);
      runs++;
      elapsed = g_get_monotonic_time () - start;
    }
  while (runs < runs_wanted || elapsed < budget);
  return (double) elapsed / runs;
}

/* Mean µs per call of FN: WARMUP calls, then MIN_RUNS calls and min_seconds. */
static double
measure (void (*fn) (const Job *), const Job *job)
{
  for (guint i = 0; i < WARMUP; i++)
    fn (job);
  return measure_for (fn, job, MIN_RUNS, min_seconds);
}

static int
compare_doubles (const void *a, const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;
  return x < y ? -1 : x > y;
}

/* FA on JA and FB on JB in turns, ROUNDS rounds; the median µs of each. */
static void
measure_pair (void (*fa) (const Job *), const Job *ja, void (*fb) (const Job *), const Job *jb,
              double *a, double *b)
{
  double ra[ROUNDS], rb[ROUNDS];
  for (guint i = 0; i < WARMUP; i++)
    {
      fa (ja);
      fb (jb);
    }
  for (guint r = 0; r < ROUNDS; r++)
    {
      ra[r] = measure_for (fa, ja, MIN_RUNS / ROUNDS, min_seconds / ROUNDS);
      rb[r] = measure_for (fb, jb, MIN_RUNS / ROUNDS, min_seconds / ROUNDS);
    }
  qsort (ra, ROUNDS, sizeof ra[0], compare_doubles);
  qsort (rb, ROUNDS, sizeof rb[0], compare_doubles);
  *a = ra[ROUNDS / 2];
  *b = rb[ROUNDS / 2];
}

/* "hold: member-obligation, officer-criticism" for one engine run. */
static char *
describe_verdict (const Job *job)
{
  g_autoptr (CmVerdict) verdict = engine_verdict (job);
  if (verdict == NULL)
    return g_strdup ("error");
  GString *out = g_string_new (verdict->checked ? cm_action_name (verdict->action) : "not checked");
  for (guint i = 0; i < verdict->findings->len; i++)
    g_string_append_printf (out, "%s%s", i ? ", " : ": ", ((CmFinding *) verdict->findings->pdata[i])->rule);
  return g_string_free (out, FALSE);
}

/* Load PATH, timed in ms (the best of three loads); NULL if it fails. */
static CmConfig *
load_config (const char *path, double *ms, GError **error)
{
  CmConfig *config = NULL;
  *ms = G_MAXDOUBLE;
  for (guint i = 0; i < 3; i++)
    {
      g_clear_pointer (&config, cm_config_unref);
      gint64 start = g_get_monotonic_time ();
      if (!(config = cm_config_load (path, error)))
        return NULL;
      *ms = MIN (*ms, (double) (g_get_monotonic_time () - start) / 1000.0);
    }
  return config;
}

/* Write DIR/directory-N.conf (the example + officers up to N) and a config using it; its path. */
static char *
write_council (const char *dir, guint n, const char *config, const CmConfig *example,
               GPtrArray *files, GError **error)
{
  g_autofree char *text = NULL;
  if (!g_file_get_contents (cm_config_get (example, "milter", "directory"), &text, NULL, error))
    return NULL;
  g_autoptr (GString) out = g_string_new (text);
  g_auto (GStrv) firsts = g_strsplit (first_names_text, " ", -1);
  g_auto (GStrv) surnames = g_strsplit (surnames_text, " ", -1);
  g_auto (GStrv) titles = g_strsplit (titles_text, ";", -1);
  guint nf = g_strv_length (firsts), pairs = nf * g_strv_length (surnames), have = 0;
  for (const char *p = text; (p = strstr (p, "\n[officer:")); p++)
    have++;
  g_assert (n <= have + pairs && pairs % 2749 != 0);
  g_autoptr (GRand) rng = g_rand_new_with_seed (SEED);
  for (guint i = 0; have + i < n; i++)
    {
      guint pair = (guint) (((guint64) i * 2749) % pairs); /* 2749 is prime: every pair once */
      g_autofree char *first = g_ascii_strdown (firsts[pair % nf], -1);
      g_autofree char *last = g_ascii_strdown (surnames[pair / nf], -1);
      g_string_append_printf (out, "\n[officer:%s %s]\naddresses=%s.%s.%u@northmoor.gov.uk\ntitle=%s\n",
                              firsts[pair % nf], surnames[pair / nf], first, last, i + 1,
                              titles[g_rand_int_range (rng, 0, (gint32) g_strv_length (titles))]);
    }
  g_autofree char *directory = g_strdup_printf ("%s/directory-%u.conf", dir, n);
  if (!g_file_set_contents (directory, out->str, (gssize) out->len, error))
    return NULL;
  g_ptr_array_add (files, g_strdup (directory));

  g_autoptr (GKeyFile) keys = g_key_file_new ();
  if (!g_key_file_load_from_file (keys, config, G_KEY_FILE_KEEP_COMMENTS, error))
    return NULL;
  /* The copy lives in another directory: it names the example's data
   * files by the paths the example resolved them to. */
  static const char *const data_keys[] = { "lexicon", "paragraphs", "weights", "valence", NULL };
  for (guint i = 0; data_keys[i]; i++)
    {
      g_autofree char *cwd = g_get_current_dir ();
      g_autofree char *absolute = g_canonicalize_filename (cm_config_get (example, "policy", data_keys[i]), cwd);
      g_key_file_set_string (keys, "policy", data_keys[i], absolute);
    }
  g_key_file_set_string (keys, "milter", "directory", directory);
  char *path = g_strdup_printf ("%s/council-milter-%u.conf", dir, n);
  if (!g_key_file_save_to_file (keys, path, error))
    g_clear_pointer (&path, g_free);
  else
    g_ptr_array_add (files, g_strdup (path));
  return path;
}

/* Print engine µs/msg and load time with 10 and 5000 named officers, from a temporary dir. */
static gboolean
directory_scaling (const char *config_path, const CmConfig *example, const CmEnvelope *envelope,
                   const Message *messages)
{
  static const guint officers[] = { 10, 5000 };
  double load[2] = { 0, 0 }, us[2][N_CORPUS] = { { 0 } }, total[2] = { 0, 0 };
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) files = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *dir = g_dir_make_tmp ("bench_engine-XXXXXX", &error);
  CmConfig *configs[2] = { NULL, NULL };
  for (guint k = 0; dir && k < 2 && !error; k++)
    {
      g_autofree char *path = write_council (dir, officers[k], config_path,
                                             example, files, &error);
      configs[k] = path ? load_config (path, &load[k], &error) : NULL;
    }
  for (guint i = 0; configs[0] && configs[1] && i < N_CORPUS; i++)
    {
      Job small = { configs[0], envelope, &messages[i] }, large = { configs[1], envelope, &messages[i] };
      measure_pair (engine_once, &small, engine_once, &large, &us[0][i], &us[1][i]);
      total[0] += us[0][i];
      total[1] += us[1][i];
    }
  for (guint k = 0; k < 2; k++)
    g_clear_pointer (&configs[k], cm_config_unref);
  for (guint i = 0; i < files->len; i++)
    g_unlink (files->pdata[i]);
  if (dir)
    g_rmdir (dir);
  if (error)
    {
      g_printerr ("bench_engine: directory scaling: %s\n", error->message);
      return FALSE;
    }
  printf ("\ndirectory scaling  N=10 µs/msg  N=5000 µs/msg  ratio 5000/10\n");
  for (guint i = 0; i < N_CORPUS; i++)
    printf ("%-17s %12.1f %14.1f %14.2f\n", messages[i].name, us[0][i], us[1][i], us[1][i] / us[0][i]);
  printf ("%-17s %12.1f %14.1f %14.2f\n", "all three", total[0], total[1], total[1] / total[0]);
  printf ("%-17s %9.1f ms %11.1f ms %14.2f\n", "config load", load[0], load[1], load[1] / load[0]);
  return TRUE;
}

/* Options, the messages, then the three tables. */
int
main (int argc, char **argv)
{
  g_autofree char *config_path = NULL;
  gboolean quick = FALSE;
  g_autofree char *profile = NULL;
  gboolean profile_floor = FALSE;
  setlocale (LC_ALL, "");
  GOptionEntry entries[] = {
    { "config", 'c', 0, G_OPTION_ARG_FILENAME, &config_path, "council-milter.conf (required)", "CONFIG" },
    { "time", 't', 0, G_OPTION_ARG_DOUBLE, &min_seconds, "least time per figure (1.5)", "SECONDS" },
    { "quick", 'q', 0, G_OPTION_ARG_NONE, &quick, "a smoke run: 0.3 s per figure", NULL },
    { "profile", 'p', 0, G_OPTION_ARG_STRING, &profile, "only run the engine on message NAME, for a profiler",
      "NAME" },
    { "floor", 'f', 0, G_OPTION_ARG_NONE, &profile_floor, "with -p: run the floor, not the engine", NULL },
    { NULL, 0, 0, 0, NULL, NULL, NULL },
  };
  g_autoptr (GOptionContext) options = g_option_context_new ("- benchmark the policy engine");
  g_option_context_add_main_entries (options, entries, NULL);
  g_autoptr (GError) error = NULL;
  if (!g_option_context_parse (options, &argc, &argv, &error) || config_path == NULL || min_seconds <= 0)
    {
      g_printerr ("bench_engine: %s\nusage: bench_engine -c CONFIG [-t SECONDS] [-q]\n",
                  error ? error->message : config_path ? "-t needs a positive number" : "-c CONFIG is required");
      return 2;
    }
  if (quick)
    min_seconds = 0.3;

  cm_policy_init ();
  vocabulary = g_strsplit (vocabulary_text, " ", -1);
  double load_ms;
  g_autoptr (CmConfig) config = load_config (config_path, &load_ms, &error);
  if (config == NULL)
    {
      g_printerr ("bench_engine: %s\n", error->message);
      return 2;
    }
  g_autoptr (CmEnvelope) envelope = cm_envelope_new ("cllr.jane.smith@northmoor.gov.uk");
  cm_envelope_add_recipient (envelope, "tom.baker@northmoor.gov.uk");
  cm_envelope_add_recipient (envelope, "cllr.raj.patel@northmoor.gov.uk");

  /* The three messages, then the plain one grown for size scaling. */
  Message messages[] = {
    make_message ("plain-3k", SEED, 1400, 0, 0),
    make_message ("html-30k", SEED + 1, 5000, 21000, 0),
    make_message ("attach-300k", SEED + 2, 2500, 12000, 210000),
    make_message ("plain-30k", SEED, 29000, 0, 0),
    make_message ("plain-300k", SEED, 296000, 0, 0),
  };

  if (profile)
    {
      for (guint i = 0; i < G_N_ELEMENTS (messages); i++)
        if (strcmp (messages[i].name, profile) == 0)
          {
            Job job = { config, envelope, &messages[i] };
            void (*run) (const Job *) = profile_floor ? floor_once : engine_once;
            /* CPU time as well as wall time: on a busy machine the first
             * counts what the engine did, the second what it waited too. */
            struct timespec cpu0, cpu1;
            clock_gettime (CLOCK_THREAD_CPUTIME_ID, &cpu0);
            guint runs = 0;
            gint64 start = g_get_monotonic_time (), budget = (gint64) (min_seconds * G_USEC_PER_SEC);
            while (runs < MIN_RUNS || g_get_monotonic_time () - start < budget)
              {
                run (&job);
                runs++;
              }
            gint64 wall = g_get_monotonic_time () - start;
            clock_gettime (CLOCK_THREAD_CPUTIME_ID, &cpu1);
            double cpu = (double) (cpu1.tv_sec - cpu0.tv_sec) * 1e6 + (double) (cpu1.tv_nsec - cpu0.tv_nsec) / 1e3;
            printf ("%s: %u runs, %.1f µs/msg wall, %.1f µs/msg CPU\n", profile, runs, (double) wall / runs,
                    cpu / runs);
            return 0;
          }
      g_printerr ("bench_engine: no message named %s\n", profile);
      return 2;
    }

  printf ("council-milter engine benchmark: %s (loaded in %.1f ms)\n"
          "each figure compared with another: median of %u rounds taken in turns with it,\n"
          "%u runs and >= %.1f s in all after %u warm-up runs\n\n",
          config_path, load_ms, ROUNDS, MIN_RUNS, min_seconds, WARMUP);
  printf ("message          size  engine µs/msg     msg/s  floor µs/msg     msg/s  ratio\n");
  for (guint i = 0; i < N_CORPUS; i++)
    {
      Job job = { config, envelope, &messages[i] };
      double engine, base;
      measure_pair (engine_once, &job, floor_once, &job, &engine, &base);
      printf ("%-12s %8.1f KB %13.1f %9.0f %13.1f %9.0f %6.2f\n", messages[i].name,
              messages[i].bytes->len / 1024.0, engine, 1e6 / engine, base, 1e6 / base, engine / base);
    }
  printf ("\nverdicts (example directory):\n");
  for (guint i = 0; i < N_CORPUS; i++)
    {
      Job job = { config, envelope, &messages[i] };
      g_autofree char *verdict = describe_verdict (&job);
      printf ("  %-12s %s\n", messages[i].name, verdict);
    }

  gboolean ok = directory_scaling (config_path, config, envelope, messages);

  printf ("\nsize scaling (text/plain)     size  engine µs/msg   µs/KB\n");
  for (guint i = 0; i < G_N_ELEMENTS (messages); i++)
    {
      if (i > 0 && i < N_CORPUS)
        continue;
      Job job = { config, envelope, &messages[i] };
      double engine = measure (engine_once, &job), kb = messages[i].bytes->len / 1024.0;
      printf ("%-22s %8.1f KB %14.1f %7.2f\n", messages[i].name, kb, engine, engine / kb);
    }

  for (guint i = 0; i < G_N_ELEMENTS (messages); i++)
    g_byte_array_unref (messages[i].bytes);
  g_strfreev (vocabulary);
  return ok ? 0 : 1;
}
