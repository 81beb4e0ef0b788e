/*
 * refs.c: whom a sentence refers to and who receives the message (refs.h).
 */
#include "config.h"

#include <string.h>

#include "refs.h"

void
cm_refs_clear (CmOfficerRefs *refs)
{
  if (refs->named)
    g_ptr_array_unref (refs->named);
  memset (refs, 0, sizeof *refs);
}

/* The role every To recipient other than the sender has (officer or
 * member, with one recipient at least), or -1: mixed, or none. */
static int
addressed_role (const CmView *view)
{
  int role = -1;
  for (guint i = 0; i < view->to->len; i++)
    {
      const CmParticipant *p = view->to->pdata[i];
      if (cm_view_is_sender (view, p))
        continue;
      if (p->role == CM_ROLE_EXTERNAL || (role >= 0 && (int) p->role != role))
        return -1;
      role = (int) p->role;
    }
  return role;
}

/* Find the officers SENTENCE refers to into MEMO. */
static void
find_officers (const CmRuleContext *context, const CmSentence *sentence, CmOfficerMemo *memo)
{
  const CmView *view = context->view;
  const CmWords *words = &sentence->words;
  const char *source = sentence->subject ? view->subject : view->authored;
  const CmLexicon *names = cm_directory_names (context->directory);
  /* Whom "you" is said to (addressed_role), asked at the first "you"
   * (most sentences have none); -2 until then. */
  int addressed = -2;

  memset (memo, 0, sizeof *memo);
  memo->first_word = G_MAXUINT;
  /* Names are found one after the next (most words start none). */
  CmMatch match;
  guint next_name = cm_lexicon_next_match (names, words, 0, &match);
  for (guint pos = 0; pos < words->n; pos++)
    {
      gboolean hit = FALSE;
      if (pos == next_name)
        {
          /* No person: a title or name shared by several people. */
          const CmPerson *person = match.data;
          if (person == NULL)
            hit = memo->generic = TRUE;
          else if (person->role == CM_ROLE_OFFICER)
            {
              if (memo->named == NULL)
                memo->named = g_ptr_array_new ();
              if (!g_ptr_array_find (memo->named, person, NULL))
                g_ptr_array_add (memo->named, (gpointer) person);
              hit = TRUE;
            }
          else if (person->role == CM_ROLE_MEMBER && person != view->sender->person
                   && g_ascii_isupper (source[words->words[pos].offset]))
            memo->member = TRUE;
          next_name = cm_lexicon_next_match (names, words, pos + 1, &match);
        }
      const char *text = words->words[pos].text;
      if (text[0] == 'c' && (strcmp (text, "cllr") == 0 || strcmp (text, "councillor") == 0))
        memo->member = TRUE;
      /* officer-words.txt, then addressee.txt, in one look (made when the
       * sentence was scanned for its hits). */
      guint refs = hit ? 0
                 : sentence->refs ? sentence->refs[pos]
                 : cm_lexicon_bits_at (context->lexicons->officer_refs, words, pos);
      if (refs & CM_REF_OFFICER)
        hit = memo->generic = TRUE;
      else if (refs & CM_REF_ADDRESSEE)
        {
          if (addressed == -2)
            addressed = addressed_role (context->view);
          if (addressed == CM_ROLE_OFFICER)
            hit = memo->addressed = TRUE;
          else if (addressed == CM_ROLE_MEMBER)
            memo->member_addressed = TRUE;
        }
      if (hit && memo->first_word == G_MAXUINT)
        memo->first_word = pos;
    }
  memo->known = TRUE;
}

gboolean
cm_refs_officers (const CmRuleContext *context, const CmSentence *sentence, CmOfficerRefs *refs)
{
  CmOfficerMemo fresh;
  CmOfficerMemo *memo = sentence->officers ? sentence->officers : &fresh;
  if (!memo->known)
    find_officers (context, sentence, memo);
  /* A kept list is shared; one found for this call alone is handed over. */
  refs->named = memo->named && memo != &fresh ? g_ptr_array_ref (memo->named) : memo->named;
  refs->generic = memo->generic;
  refs->addressed = memo->addressed;
  refs->member = memo->member;
  refs->member_addressed = memo->member_addressed;
  refs->first_word = memo->first_word;
  return refs->named != NULL || refs->generic || refs->addressed;
}

char *
cm_refs_person_label (const CmPerson *person)
{
  /* Joined, not formatted (a finding's summary names people each time);
   * a person without a name as printf has it, "(null)". */
  const char *name = person->name ? person->name : "(null)";
  if (person->title)
    return g_strconcat (name, " (", person->title, ")", NULL);
  if (person->role == CM_ROLE_MEMBER)
    return g_strconcat ("Councillor ", name, NULL);
  return g_strdup (person->name);
}

void
cm_refs_audience (const CmView *view, CmAudience *audience)
{
  memset (audience, 0, sizeof *audience);
  audience->media = g_ptr_array_new_with_free_func (g_free);
  audience->lists = g_ptr_array_new ();
  g_autoptr (GPtrArray) members = g_ptr_array_new ();
  for (guint i = 0; i < view->recipients->len; i++)
    {
      const CmParticipant *p = view->recipients->pdata[i];
      if (cm_view_is_sender (view, p))
        continue;
      if (p->media)
        {
          const char *domain = strrchr (p->address, '@');
          domain = domain ? domain + 1 : p->address;
          gboolean seen = FALSE;
          for (guint k = 0; k < audience->media->len; k++)
            seen |= strcmp (audience->media->pdata[k], domain) == 0;
          if (!seen)
            g_ptr_array_add (audience->media, g_strdup (domain));
        }
      else if (p->role == CM_ROLE_MEMBER && p->person && !g_ptr_array_find (members, p->person, NULL))
        {
          g_ptr_array_add (members, (gpointer) p->person);
          if (p->via == NULL)
            audience->members_direct++;
          else if (!g_ptr_array_find (audience->lists, p->via, NULL))
            g_ptr_array_add (audience->lists, (gpointer) p->via);
        }
      else if (p->role == CM_ROLE_EXTERNAL)
        audience->external++;
    }
  audience->members = members->len;
}

void
cm_refs_audience_clear (CmAudience *audience)
{
  if (audience->media)
    g_ptr_array_unref (audience->media);
  if (audience->lists)
    g_ptr_array_unref (audience->lists);
  memset (audience, 0, sizeof *audience);
}

/* Is some To recipient (not the sender) a council person? */
static gboolean
addresses_council (const CmView *view)
{
  for (guint i = 0; i < view->to->len; i++)
    {
      const CmParticipant *p = view->to->pdata[i];
      if (!cm_view_is_sender (view, p) && p->role != CM_ROLE_EXTERNAL)
        return TRUE;
    }
  return FALSE;
}

static void
add_address (GPtrArray *people, const char *address)
{
  for (guint i = 0; i < people->len; i++)
    if (strcmp (people->pdata[i], address) == 0)
      return;
  g_ptr_array_add (people, (gpointer) address);
}

gboolean
cm_refs_people (const CmRuleContext *context, const CmSentence *sentence, GPtrArray *people)
{
  const CmView *view = context->view;
  const CmWords *words = &sentence->words;
  const CmLexicon *names = cm_directory_names (context->directory);
  gboolean found = FALSE, you = FALSE;
  gboolean to_council = addresses_council (view);
  for (guint pos = 0; pos < words->n; pos++)
    {
      CmMatch match;
      if (cm_lexicon_match_at (names, words, pos, &match))
        {
          const CmPerson *person = match.data;
          if (person && !(view->sender->person == person))
            add_address (people, person->addresses->pdata[0]);
          found = TRUE;
        }
      else if (cm_lexicon_match_at (context->lexicons->officer_words, words, pos, &match)
               || cm_lexicon_match_at (context->lexicons->member_words, words, pos, &match))
        found = TRUE;
      else if (to_council && cm_lexicon_match_at (context->lexicons->addressee, words, pos, &match))
        found = you = TRUE;
    }
  for (guint i = 0; you && i < view->to->len; i++)
    {
      const CmParticipant *p = view->to->pdata[i];
      if (!cm_view_is_sender (view, p) && p->role != CM_ROLE_EXTERNAL)
        add_address (people, p->address);
    }
  return found;
}
