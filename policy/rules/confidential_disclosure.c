/*
 * confidential_disclosure.c: the rule confidential-disclosure.
 *
 * South Ribble 9 (confidential information), 14.3 (Part 2 items never to
 * the media); Cambridgeshire 6.6 (people outside the council are not bound
 * by its confidentiality), 7.1 (confidential briefings); Runnymede 3.6 (a
 * confidential reply is not copied to other members).
 *
 * Material is marked when marking.txt appears in the Subject, an
 * attachment's name (or a forwarded message's subject), or a short line
 * (a marking, not prose) of the new text or of the quoted or forwarded
 * history; a line with a disclaimer.txt phrase (the footers on nearly all
 * council mail) marks nothing.  Fires when marked material goes to the
 * media or outside the council, or when a member copies a briefing someone
 * else marked (history or attachment) to other members.
 */
#include "config.h"

#include <string.h>

#include "refs.h"
#include "model.h"

typedef struct {
  char *where;        /* "Subject: ...", "attachment: NAME", "line: ..." */
  gboolean borrowed;  /* in history or an attachment: someone else's material */
  gboolean part2;     /* exempt or Part 2, not only confidential */
} Marking;

/* Is the match from word START to word END - 1 of WORDS (over TEXT) joined
 * to letters or digits by '-', '_', ':', '.' or '/' on either side: part
 * of a file name, a path or a code identifier ("sparse:restricted-__le32"),
 * not a marking? */
static gboolean
in_identifier (const char *text, const CmWords *words, guint start, guint end)
{
  static const char joiners[] = "-_:./";
  gsize before = words->words[start].offset;
  if (before >= 2 && strchr (joiners, text[before - 1]) && (g_ascii_isalnum (text[before - 2]) || text[before - 2] == '_'))
    return TRUE;
  const CmWord *last = &words->words[end - 1];
  const char *after = text + last->offset + last->length;
  return after[0] && strchr (joiners, after[0]) && (g_ascii_isalnum (after[1]) || after[1] == '_');
}

/* Does TEXT carry a marking (and no disclaimer)?  The marking is looked
 * for first: most lines have none, and then need no disclaimer scan.
 * WORDS is for TEXT's words: one for all the lines of a text, which are
 * many and short, so that a line costs no allocation. */
static gboolean
marked (const CmRuleContext *context, const char *text, guint max_words, gboolean *part2, CmWords *words)
{
  cm_words_split_again (words, text);
  if (words->n == 0 || (max_words && words->n > max_words))
    return FALSE;
  for (guint pos = 0; pos < words->n; pos++)
    {
      CmMatch m;
      if (!cm_lexicon_match_at (context->lexicons->marking, words, pos, &m)
          || cm_lexicons_negated (context->lexicons, words, m.start))
        continue;
      const char *first = words->words[m.start].text;
      gboolean part = strcmp (first, "part") == 0;
      /* "Part 2 of 3", "(part 2 of 2)", "part=2": a piece of a series (a
       * split message, an enclosure, yEnc), not exempt business. */
      if (part && (m.end < words->n && strcmp (words->words[m.end].text, "of") == 0))
        continue;
      if (part && text[words->words[m.start].offset + words->words[m.start].length] == '=')
        continue;
      if (in_identifier (text, words, m.start, m.end))
        continue;
      if (cm_lexicon_matches (context->lexicons->disclaimer, words))
        return FALSE;
      *part2 = part || strcmp (first, "exempt") == 0;
      return TRUE;
    }
  return FALSE;
}

/* What ends a run of non-blanks: a blank, or the end of the line or of
 * the text. */
static const gboolean ends_run[256] = {
  [' '] = TRUE, ['\t'] = TRUE, ['\r'] = TRUE, ['\n'] = TRUE, ['\0'] = TRUE,
};

/* Has the line at P, ended by '\n' or the end of the text, at most
 * MAX_WORDS words?  A cheap count of runs of non-blanks, so that prose
 * lines are never split into words; the line's end stops each loop, so
 * no byte is tested twice. */
static gboolean
short_line (const char *p, guint max_words)
{
  guint runs = 0;
  for (;;)
    {
      while (*p == ' ' || *p == '\t' || *p == '\r')
        p++;
      if (*p == '\n' || *p == '\0')
        break;
      if (++runs > max_words)
        return FALSE;
      while (!ends_run[(guchar) *p])
        p++;
    }
  return runs > 0;
}

/* Is the short line at LINE part of a wrapped disclaimer sentence?  The
 * line before and the two after are read with it. */
static gboolean
in_disclaimer (const CmRuleContext *context, const char *text, const char *line)
{
  const char *start = line;
  if (start > text)
    {
      start--; /* the newline before LINE */
      while (start > text && start[-1] != '\n')
        start--;
    }
  const char *end = line;
  for (guint n = 0; n < 3 && end && *end; n++)
    {
      end = strchr (end, '\n');
      if (end)
        end++;
    }
  g_autofree char *window = end ? g_strndup (start, end - start) : g_strdup (start);
  g_autoptr (CmWords) words = cm_words_split (window);
  return cm_lexicon_matches (context->lexicons->disclaimer, words);
}

static void
find_in_lines (const CmRuleContext *context, const CmRule *rule, const char *text, gboolean borrowed,
               GArray *found)
{
  /* A marking is a heading (rules.c, the rule's parameters). */
  guint max_words = (guint) cm_rule_param (rule, "marking-max-words");
  gsize max_line = (gsize) cm_rule_param (rule, "marking-max-line");
  const char *line = text;
  /* One copy of a line and one set of words for all the lines. */
  g_autoptr (GString) copy = g_string_new (NULL);
  CmWords words = { 0 };
  while (line && *line)
    {
      const char *end = strchr (line, '\n');
      gsize len = end ? (gsize) (end - line) : strlen (line);
      /* Markings are short lines: skip long ones without splitting them. */
      if (len > 0 && len < max_line && short_line (line, max_words))
        {
          g_string_truncate (copy, 0);
          g_string_append_len (copy, line, (gssize) len);
          char *body = copy->str; /* the line without its quoting */
          while (*body == '>' || *body == ' ' || *body == '\t')
            body++;
          Marking m = { NULL, borrowed, FALSE };
          if (marked (context, body, max_words, &m.part2, &words) && !in_disclaimer (context, text, line))
            {
              m.where = g_strdup_printf ("marked: \"%s\"", g_strstrip (body));
              g_array_append_val (found, m);
            }
        }
      line = end ? end + 1 : NULL;
    }
  cm_words_clear (&words);
}

/* The markings of the message; the new text's only when OWN_TOO (a
 * briefing copied to members is someone else's marked material). */
static void
find_markings (const CmRuleContext *context, const CmRule *rule, gboolean own_too, GArray *found)
{
  const CmView *view = context->view;
  Marking m = { NULL, FALSE, FALSE };
  CmWords words = { 0 };
  if (own_too && view->subject && marked (context, view->subject, 0, &m.part2, &words))
    {
      m.where = g_strdup_printf ("Subject: %s", view->subject);
      g_array_append_val (found, m);
    }
  for (guint i = 0; i < view->attachments->len; i++)
    {
      const CmAttachment *a = view->attachments->pdata[i];
      Marking am = { NULL, TRUE, FALSE };
      /* "CONFIDENTIAL-briefing.docx": the name's separators are spaces. */
      g_autofree char *name = g_strdup (a->filename ? a->filename : "");
      g_strdelimit (name, "-_.", ' ');
      if (a->filename && marked (context, name, 0, &am.part2, &words))
        {
          am.where = g_strdup_printf ("attachment: %s", a->filename);
          g_array_append_val (found, am);
        }
    }
  cm_words_clear (&words);
  if (own_too)
    find_in_lines (context, rule, view->authored, FALSE, found);
  find_in_lines (context, rule, view->history, TRUE, found);
}

static void
marking_clear (gpointer p)
{
  g_free (((Marking *) p)->where);
}

void
cm_rule_confidential_disclosure (const CmRule *rule, const CmRuleContext *context, GPtrArray *findings)
{
  const CmView *view = context->view;
  if (view->sender->role == CM_ROLE_EXTERNAL)
    return;

  /* Who receives it first: most mail stays inside and needs no reading. */
  g_autoptr (GPtrArray) outside = g_ptr_array_new ();
  g_autoptr (GPtrArray) members = g_ptr_array_new ();
  gboolean media = FALSE;
  for (guint i = 0; i < view->recipients->len; i++)
    {
      const CmParticipant *p = view->recipients->pdata[i];
      if (cm_view_is_sender (view, p))
        continue;
      if (p->role == CM_ROLE_EXTERNAL)
        {
          g_ptr_array_add (outside, (gpointer) p);
          media |= p->media;
        }
      else if (p->role == CM_ROLE_MEMBER)
        g_ptr_array_add (members, (gpointer) p);
    }
  gboolean briefing_possible = view->sender->role == CM_ROLE_MEMBER && members->len > 0;
  if (outside->len == 0 && !briefing_possible)
    return;

  g_autoptr (GArray) found = g_array_new (FALSE, FALSE, sizeof (Marking));
  g_array_set_clear_func (found, marking_clear);
  find_markings (context, rule, outside->len > 0, found);
  const char *learned_clause = cm_rule_cite (rule, context, media ? "media" : outside->len ? "outside" : "briefing");
  CmFinding *learned = outside->len
      ? cm_model_finding_format (rule, context, learned_clause, found->len > 0, NULL,
                                 "confidential or exempt material sent %s (%u address%s)",
                                 media ? "to the media" : "outside the council", outside->len,
                                 outside->len == 1 ? "" : "es")
      : cm_model_finding_format (rule, context, learned_clause, found->len > 0, NULL,
                                 "a confidential briefing copied to %u other member%s", members->len,
                                 members->len == 1 ? "" : "s");
  if (found->len == 0)
    {
      if (learned)
        {
          GPtrArray *to = outside->len ? outside : members;
          for (guint i = 0; i < to->len; i++)
            cm_finding_add_person (learned, ((const CmParticipant *) to->pdata[i])->address);
          g_ptr_array_add (findings, learned);
        }
      return;
    }
  cm_finding_free (learned);
  gboolean part2 = FALSE;
  for (guint i = 0; i < found->len; i++)
    part2 |= g_array_index (found, Marking, i).part2;

  const char *clause = cm_rule_cite (rule, context, media ? (part2 ? "media-part2" : "media")
                                                   : outside->len ? "outside" : "briefing");
  g_autofree char *summary = NULL;
  if (outside->len)
    summary = g_strdup_printf ("material marked %s sent %s (%u address%s)",
                               part2 ? "Part 2 or exempt" : "confidential",
                               media ? "to the media" : "outside the council", outside->len,
                               outside->len == 1 ? "" : "es");
  else
    summary = g_strdup_printf ("a confidential briefing copied to %u other member%s", members->len,
                               members->len == 1 ? "" : "s");
  CmFinding *finding = cm_finding_new (rule, clause, summary);
  for (guint i = 0; i < found->len; i++)
    cm_finding_add_evidence (finding, g_array_index (found, Marking, i).where);
  GPtrArray *people = outside->len ? outside : members;
  for (guint i = 0; i < people->len; i++)
    cm_finding_add_person (finding, ((const CmParticipant *) people->pdata[i])->address);
  g_ptr_array_add (findings, finding);
}
