/*
 * review-learn.c: council-review learn (review.h): refit the rules'
 * weights from the shipped labelled corpus and the council's own
 * decisions, as sa-learn trains SpamAssassin.
 *
 * Every decided hold is a label for the rules that held it: released,
 * not a breach; rejected or withdrawn, a breach (an expired hold was
 * decided by no one, and is left out).  The held message is checked
 * again with its original envelope to get its cues; a decision counts
 * DECISION_WEIGHT times as much as a shipped message, because it is
 * this council's own mail and its own judgement.  The new weights go to
 * a new file, never over the live one: the administrator compares the
 * figures printed before and after, then adopts the file with a reload.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <json-glib/json-glib.h>

#include "learn.h"
#include "model.h"
#include "review.h"

#ifndef PKGDATADIR
#define PKGDATADIR "/usr/share/council-milter"
#endif
#define DEFAULT_CORPUS PKGDATADIR "/labelled"

/* How many shipped messages one decision of the council is worth. */
#define DECISION_WEIGHT 3.0

/* The cues of one checked message, as the engine dumped them. */
typedef struct {
  GArray *hashes;       /* guint64 */
  GPtrArray *names;     /* char * */
  GPtrArray *gated;     /* char *, NULL-terminated */
} Cues;

static void
cues_clear (Cues *cues)
{
  g_clear_pointer (&cues->hashes, g_array_unref);
  g_clear_pointer (&cues->names, g_ptr_array_unref);
  g_clear_pointer (&cues->gated, g_ptr_array_unref);
}
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Cues, cues_clear)

static void
add_names (Cues *cues, JsonArray *names)
{
  for (guint i = 0; names && i < json_array_get_length (names); i++)
    {
      const char *name = json_array_get_string_element (names, i);
      guint64 hash = name ? cm_model_cue_hash (name) : 0;
      if (hash == 0)
        continue;
      g_array_append_val (cues->hashes, hash);
      /* "#HASH": the engine kept no name for it. */
      g_ptr_array_add (cues->names, name[0] == '#' ? NULL : g_strdup (name));
    }
}

/* Check MESSAGE (from ENVELOPE, or its headers when NULL) and read its
 * cues from the engine's dump (cm_check_cues, the one council-check
 * --cues prints). */
static gboolean
check_cues (const CmConfig *config, const CmEnvelope *envelope, GMimeStream *message, Cues *cues,
            GError **error)
{
  g_autofree char *text = cm_check_cues (config, envelope, message, error);
  if (text == NULL)
    return FALSE;
  g_autoptr (JsonParser) parser = json_parser_new ();
  if (!json_parser_load_from_data (parser, text, -1, error))
    return FALSE;
  JsonObject *root = json_node_get_object (json_parser_get_root (parser));
  cues->hashes = g_array_new (FALSE, FALSE, sizeof (guint64));
  cues->names = g_ptr_array_new_with_free_func (g_free);
  cues->gated = g_ptr_array_new_with_free_func (g_free);
  JsonArray *gated = json_object_get_array_member (root, "gated");
  for (guint i = 0; i < json_array_get_length (gated); i++)
    g_ptr_array_add (cues->gated, g_strdup (json_array_get_string_element (gated, i)));
  g_ptr_array_add (cues->gated, NULL);
  add_names (cues, json_object_get_array_member (root, "message"));
  JsonArray *sentences = json_object_get_array_member (root, "sentences");
  for (guint i = 0; i < json_array_get_length (sentences); i++)
    add_names (cues, json_array_get_array_element (sentences, i));
  return TRUE;
}

static void
add_example (CmLearnSet *set, const Cues *cues, const char *const *labelled, const char *const *breached,
             double weight, gboolean decision, gboolean ordinary)
{
  CmLearnExample example = {
    .hashes = (const guint64 *) cues->hashes->data,
    .names = (const char *const *) cues->names->pdata,
    .n_cues = cues->hashes->len,
    .gated = (const char *const *) cues->gated->pdata,
    .labelled = labelled,
    .breached = breached,
    .weight = weight,
    .decision = decision,
    .ordinary = ordinary,
  };
  cm_learn_set_add (set, &example);
}

/* The rules a shipped message breaches: its directory's rule when it
 * lies under RULE/breach/, and any named in an X-Test-Also header (as
 * tests/eval/eval.py's truth() reads them). */
static GPtrArray *
shipped_truth (const char *relative, const char *data, gsize length)
{
  GPtrArray *rules = g_ptr_array_new_with_free_func (g_free);
  g_auto (GStrv) parts = g_strsplit (relative, "/", -1);
  if (g_strv_length (parts) >= 3 && strcmp (parts[1], "breach") == 0)
    g_ptr_array_add (rules, g_strdup (parts[0]));
  const char *end = data + length;
  for (const char *line = data; line < end;)
    {
      const char *next = memchr (line, '\n', (gsize) (end - line));
      gsize n = next ? (gsize) (next - line) : (gsize) (end - line);
      if (n == 0 || (n == 1 && line[0] == '\r'))
        break; /* the end of the header */
      if (n > 12 && g_ascii_strncasecmp (line, "X-Test-Also:", 12) == 0)
        g_ptr_array_add (rules, g_strstrip (g_strndup (line + 12, n - 12)));
      line = next ? next + 1 : end;
    }
  g_ptr_array_add (rules, NULL);
  return rules;
}

/* The train and dev splits of the labelled corpus in DIR (its SPLIT
 * file), as tests/eval/train.py takes them: the test split is kept for
 * measuring, never fitted. */
static gboolean
add_corpus (CmLearnSet *set, const CmConfig *config, const char *dir, guint *count, GError **error)
{
  g_autofree char *split_path = g_build_filename (dir, "SPLIT", NULL);
  g_autofree char *split = NULL;
  if (!g_file_get_contents (split_path, &split, NULL, error))
    {
      g_prefix_error (error, "the labelled corpus (--corpus): ");
      return FALSE;
    }
  g_auto (GStrv) lines = g_strsplit (split, "\n", -1);
  for (guint i = 0; lines[i]; i++)
    {
      g_auto (GStrv) fields = g_strsplit_set (g_strstrip (lines[i]), " \t", 2);
      if (fields[0] == NULL || fields[0][0] == '#' || fields[1] == NULL)
        continue;
      if (strcmp (fields[0], "train") != 0 && strcmp (fields[0], "dev") != 0)
        continue;
      const char *relative = g_strstrip (fields[1]);
      g_autofree char *path = g_build_filename (dir, relative, NULL);
      g_autofree char *data = NULL;
      gsize length = 0;
      if (!g_file_get_contents (path, &data, &length, error))
        {
          g_prefix_error (error, "the labelled corpus: ");
          return FALSE;
        }
      g_autoptr (GPtrArray) breached = shipped_truth (relative, data, length);
      g_autoptr (GMimeStream) stream = g_mime_stream_mem_new_with_buffer (data, length);
      g_auto (Cues) cues = { 0 };
      if (!check_cues (config, NULL, stream, &cues, error))
        {
          g_prefix_error (error, "%s: ", path);
          return FALSE;
        }
      /* Everyday mail that breaks no rule (eval.py's is_ordinary). */
      gboolean ordinary = g_str_has_prefix (relative, "ordinary/");
      add_example (set, &cues, NULL, (const char *const *) breached->pdata, 1.0, FALSE, ordinary);
      (*count)++;
    }
  return TRUE;
}

/* Every decided hold of the store (expired ones are no one's decision);
 * a held message that cannot be read is skipped with a warning. */
static gboolean
add_decisions (CmLearnSet *set, CmReview *review, guint *breaches, guint *not_breaches, guint *skipped,
               GError **error)
{
  CmHoldFilter filter = { .any_state = TRUE };
  g_autoptr (GPtrArray) holds = cm_review_list (review->session, &filter, error);
  if (holds == NULL)
    return FALSE;
  for (guint i = 0; i < holds->len; i++)
    {
      const CmHold *hold = holds->pdata[i];
      gboolean breach = hold->state == CM_HOLD_REJECTED || hold->state == CM_HOLD_WITHDRAWN;
      if (!breach && hold->state != CM_HOLD_RELEASED)
        continue;
      g_autoptr (GError) local = NULL;
      g_autoptr (GMimeStream) stream = cm_review_open_message (review->session, hold->id, &local);
      g_autoptr (CmEnvelope) envelope = cm_envelope_new (hold->sender);
      for (guint k = 0; hold->recipients && hold->recipients[k]; k++)
        cm_envelope_add_recipient (envelope, hold->recipients[k]);
      g_auto (Cues) cues = { 0 };
      if (stream == NULL || !check_cues (review->config, envelope, stream, &cues, &local))
        {
          cm_review_complain ("warning: hold %s (%s) skipped: %s", hold->id, cm_hold_state_name (hold->state),
                              local->message);
          (*skipped)++;
          continue;
        }
      const char *const none[] = { NULL };
      add_example (set, &cues, (const char *const *) hold->rules,
                   breach ? (const char *const *) hold->rules : none, DECISION_WEIGHT, TRUE, FALSE);
      (*(breach ? breaches : not_breaches))++;
    }
  return TRUE;
}

/* "0.67", or "-" when nothing was counted (precision with nothing found). */
static char *
ratio (guint a, guint b)
{
  char buffer[G_ASCII_DTOSTR_BUF_SIZE];
  return b ? g_strdup (g_ascii_formatd (buffer, sizeof buffer, "%.2f", (double) a / b)) : g_strdup ("-");
}

static char *
figures (const CmLearnCounts *c)
{
  g_autofree char *precision = ratio (c->tp, c->tp + c->fp);
  g_autofree char *recall = ratio (c->tp, c->tp + c->fn);
  return g_strdup_printf ("precision %s recall %s (tp %u fp %u fn %u)", precision, recall, c->tp, c->fp,
                          c->fn);
}

/* One line per rule: what it was fitted on, and its figures on the
 * council's decisions with the weights in force and with the new ones. */
static void
print_rules (const CmLearnModel *before, const CmLearnModel *after, const CmLearnSet *set)
{
  char buffer[G_ASCII_DTOSTR_BUF_SIZE];
  for (guint r = 0; r < cm_n_rules; r++)
    {
      const char *rule = cm_rules[r].id;
      const CmLearnFit *fit = cm_learn_model_fit (after, rule);
      if (fit == NULL)
        continue;
      printf ("%s: %u examples (%u breach), %u of them decisions", rule, fit->examples, fit->breaches,
              fit->decisions);
      if (fit->fitted)
        /* The five folds' figures, a decision counting as DECISION_WEIGHT messages. */
        {
          printf ("; threshold %s (out of fold: tp %.0f fp %.0f fn %.0f), %u weights",
                  g_ascii_formatd (buffer, sizeof buffer, "%.3f", fit->threshold), fit->oof_tp, fit->oof_fp,
                  fit->oof_fn, fit->weights);
          /* Breaches the rule never sees (its gate stopped them) are misses
           * the out-of-fold figures do not count. */
          if (fit->missed > 0)
            printf ("; %.0f breaches not judged (the rule's gate stopped them)", fit->missed);
          printf ("\n");
        }
      else
        printf ("; too few of one class: no weights (its word lists only)\n");
      CmLearnCounts was, now;
      cm_learn_evaluate (before, set, rule, &was);
      cm_learn_evaluate (after, set, rule, &now);
      if (was.examples == 0)
        continue;
      g_autofree char *was_text = figures (&was);
      g_autofree char *now_text = figures (&now);
      printf ("  on the council's %u decisions (%u breach): before %s; after %s\n", was.examples, was.breaches,
              was_text, now_text);
    }
}

int
cm_review_cmd_learn (CmReview *review, const CmReviewCommand *command, int argc, char **argv)
{
  g_autofree char *corpus = NULL, *out = NULL;
  GOptionEntry entries[] = {
    { "corpus", 0, 0, G_OPTION_ARG_FILENAME, &corpus, "the labelled corpus (default " DEFAULT_CORPUS ")", "DIR" },
    { "out", 0, 0, G_OPTION_ARG_FILENAME, &out, "where to write the new weights (default: [policy] weights + .new)", "FILE" },
    { NULL }
  };
  if (!cm_review_parse_options (command, entries, &argc, &argv, 0, 0))
    return REVIEW_USAGE;
  int status = cm_review_open (review);
  if (status != REVIEW_OK)
    return status;
  const char *weights = cm_config_get (review->config, "policy", "weights");
  if (out == NULL)
    out = g_strconcat (weights, ".new", NULL);
  g_autofree char *out_full = g_canonicalize_filename (out, NULL);
  g_autofree char *weights_full = g_canonicalize_filename (weights, NULL);
  if (strcmp (out_full, weights_full) == 0)
    return cm_review_usage (command, "--out names the weights in force: write a new file, then move it over them");
  /* Fail before the work, not after it. */
  g_autofree char *out_dir = g_path_get_dirname (out_full);
  if (access (out_dir, W_OK) != 0)
    {
      cm_review_complain ("cannot write the new weights in %s: %s", out_dir, g_strerror (errno));
      return REVIEW_FAILED;
    }

  g_autoptr (GError) error = NULL;
  g_autoptr (CmLearnSet) set = cm_learn_set_new ();
  guint shipped = 0, breaches = 0, not_breaches = 0, skipped = 0;
  const char *corpus_dir = corpus ? corpus : DEFAULT_CORPUS;
  if (!add_corpus (set, review->config, corpus_dir, &shipped, &error))
    return cm_review_failed ("reading the corpus", error);
  if (!add_decisions (set, review, &breaches, &not_breaches, &skipped, &error))
    return cm_review_error (error);

  printf ("Labelled corpus: %u messages (train and dev splits of %s).\n", shipped, corpus_dir);
  if (breaches + not_breaches == 0)
    printf ("No decided holds%s: refitting from the shipped corpus alone.\n",
            skipped ? " that could be read" : " in the store");
  else
    printf ("Council's decisions: %u holds (%u rejected or withdrawn: breach; %u released: not), "
            "each counted %.0f times.\n", breaches + not_breaches, breaches, not_breaches, DECISION_WEIGHT);
  if (skipped)
    printf ("Skipped: %u decided holds whose message could not be read (see the warnings).\n", skipped);

  /* The weights in force, weighed the same way as the new ones. */
  g_autoptr (CmLearnModel) before = NULL;
  if (g_file_test (weights, G_FILE_TEST_EXISTS) && (before = cm_learn_model_load (weights, &error)) == NULL)
    return cm_review_failed ("reading the weights in force", error);
  g_autoptr (CmLearnModel) after = cm_learn_fit (set, NULL);
  if (before == NULL)
    {
      /* No weights in force: the rules used their word lists alone. */
      g_autoptr (CmLearnSet) empty = cm_learn_set_new ();
      before = cm_learn_fit (empty, NULL);
    }
  printf ("\nPer rule (figures on the council's decisions: the weights alone, before = %s):\n", weights);
  print_rules (before, after, set);

  g_autoptr (GDateTime) now = g_date_time_new_from_unix_utc (review->now);
  g_autofree char *when = g_date_time_format (now, "%Y-%m-%d %H:%M UTC");
  g_autofree char *header = g_strdup_printf (
    "weights.conf: the learned weights of the rules' cues (see council-milter.conf(5)).\n"
    "Written by council-review learn on %s by %s; do not edit by hand, retrain instead.\n"
    "Fitted on %u labelled messages (%s) and %u decided holds, each counted %.0f times.",
    when, cm_review_session_who (review->session), shipped, corpus_dir, breaches + not_breaches, DECISION_WEIGHT);
  if (!cm_learn_write (after, out, header, &error))
    return cm_review_failed ("writing the new weights", error);
  printf ("\nWrote %s.\nTo adopt it: mv %s %s, then systemctl reload council-milter\n"
          "(the reload checks it first, with council-milter -n).\n", out, out, weights);
  return REVIEW_OK;
}
