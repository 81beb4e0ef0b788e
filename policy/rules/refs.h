/*
 * refs.h: what the rules share about people in a message: whom a sentence
 * refers to, and who receives the message.
 */
#ifndef CM_RULES_REFS_H
#define CM_RULES_REFS_H

#include "rules.h"

/* Officers a sentence refers to. */
typedef struct {
  GPtrArray *named;    /* const CmPerson *: officers by name or job title, or NULL for none */
  gboolean generic;    /* "officers", "staff", "your department" */
  gboolean addressed;  /* "you" while an officer is addressed */
  /* A member other than the sender is named: "Cllr", "Councillor", or a
   * member's name from the directory at a capitalised word.  Found in the
   * same look, for the cues (criticism of a member is not criticism of an
   * officer, and belittling one is still disrespect). */
  gboolean member;
  /* "you" while every To recipient is a member: what is said to them is
   * said of a member (belittling one in reply-all is disrespect). */
  gboolean member_addressed;
  guint first_word;    /* where the first reference starts (G_MAXUINT: none) */
} CmOfficerRefs;

/* Fill REFS for SENTENCE; TRUE when it refers to any officer.  A sentence
 * of the view is looked at once: the answer is kept in it (view.h). */
gboolean cm_refs_officers (const CmRuleContext *context, const CmSentence *sentence,
                           CmOfficerRefs *refs);
void cm_refs_clear (CmOfficerRefs *refs);

/* Does SENTENCE refer to a council person (officer or member, by name,
 * title, generic word, or "you" to a council recipient)?  The people named
 * or addressed are added to PEOPLE (const CmParticipant * or CmPerson *
 * addresses as char *, not owned). */
gboolean cm_refs_people (const CmRuleContext *context, const CmSentence *sentence, GPtrArray *people);

/* "Tom Baker (Head of Planning)" */
char *cm_refs_person_label (const CmPerson *person);

/* The message's audience beyond the council's officers. */
typedef struct {
  guint members;        /* other members among the recipients */
  guint members_direct; /* of those, members named on their own, not through a list */
  GPtrArray *lists;     /* const CmList *: distribution lists that brought members */
  GPtrArray *media;     /* char *: media domains */
  guint external;       /* other external recipients */
} CmAudience;

void cm_refs_audience (const CmView *view, CmAudience *audience);
void cm_refs_audience_clear (CmAudience *audience);

#endif
