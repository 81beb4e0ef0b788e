/*
 * test_directory.c: the directory: roles, addresses, names in text, and
 * every kind of bad directory file.
 */
#include "config.h"

#include <string.h>

#include "directory.h"
#include "testutil.h"

static CmDirectory *
example_directory (void)
{
  g_autofree char *path = test_srcdir ("config/directory.conf");
  g_autoptr (GError) error = NULL;
  CmDirectory *directory = cm_directory_load (path, &error);
  ck_assert_msg (directory != NULL, "%s", error ? error->message : "");
  return directory;
}

static char *
directory_error (const char *text)
{
  g_autofree char *dir = test_scratch_dir ();
  g_autofree char *path = test_write (dir, "directory.conf", text);
  g_autoptr (GError) error = NULL;
  g_autoptr (CmDirectory) directory = cm_directory_load (path, &error);
  if (directory)
    return NULL;
  ck_assert_msg (strstr (error->message, path), "no path in %s", error->message);
  return g_strdup (error->message);
}

START_TEST (test_roles)
{
  g_autoptr (CmDirectory) d = example_directory ();
  const CmPerson *person = NULL;
  gboolean media = TRUE;
  ck_assert_int_eq (cm_directory_role (d, "Cllr.Jane.Smith@Northmoor.gov.uk", &person, &media), CM_ROLE_MEMBER);
  ck_assert_str_eq (person->name, "Jane Smith");
  ck_assert (person->offices & CM_OFFICE_CHAIR);
  ck_assert (!media);
  ck_assert_int_eq (cm_directory_role (d, "JANESMITH1962@gmail.com", &person, NULL), CM_ROLE_MEMBER);
  ck_assert_str_eq (person->name, "Jane Smith");
  ck_assert_int_eq (cm_directory_role (d, "tom.baker@northmoor.gov.uk", &person, NULL), CM_ROLE_OFFICER);
  ck_assert_str_eq (person->title, "Head of Planning");
  ck_assert_int_eq (cm_directory_role (d, "parking.team@northmoor.gov.uk", &person, NULL), CM_ROLE_OFFICER);
  ck_assert_ptr_null (person);
  ck_assert_int_eq (cm_directory_role (d, "news@northmoorgazette.co.uk", &person, &media), CM_ROLE_EXTERNAL);
  ck_assert (media);
  ck_assert_int_eq (cm_directory_role (d, "desk@news.bbc.co.uk", NULL, &media), CM_ROLE_EXTERNAL);
  ck_assert (media);
  ck_assert_int_eq (cm_directory_role (d, "resident@example.org", NULL, &media), CM_ROLE_EXTERNAL);
  ck_assert (!media);
  ck_assert_int_eq (cm_directory_role (d, "<Raj.Patel@Outlook.com>", &person, NULL), CM_ROLE_MEMBER);
  ck_assert (person->offices & CM_OFFICE_LEADER);
  ck_assert (person->offices & CM_OFFICE_CABINET);
  ck_assert_str_eq (cm_directory_monitoring_officer (d), "monitoring.officer@northmoor.gov.uk");
  ck_assert_str_eq (cm_directory_council_name (d), "Northmoor District Council");
  ck_assert_uint_eq (cm_directory_count (d, CM_ROLE_MEMBER), 7);
  ck_assert_uint_eq (cm_directory_count (d, CM_ROLE_OFFICER), 7);
}
END_TEST

/* The person named at the start of TEXT, or NULL. */
static const CmPerson *
named (const CmDirectory *d, const char *text)
{
  g_autoptr (CmWords) words = cm_words_split (text);
  CmMatch match;
  for (guint pos = 0; pos < words->n; pos++)
    if (cm_lexicon_match_at (cm_directory_names (d), words, pos, &match))
      return match.data;
  return NULL;
}

START_TEST (test_names_in_text)
{
  g_autoptr (CmDirectory) d = example_directory ();
  const CmPerson *p;
  p = named (d, "I spoke to the Head of Planning yesterday");
  ck_assert (p && strcmp (p->name, "Tom Baker") == 0);
  p = named (d, "Mr Baker said so");
  ck_assert (p && strcmp (p->name, "Tom Baker") == 0);
  p = named (d, "as tom baker told me");
  ck_assert (p && strcmp (p->name, "Tom Baker") == 0);
  p = named (d, "CC Councillor Patel");
  ck_assert (p && strcmp (p->name, "Raj Patel") == 0);
  p = named (d, "cllr Mary O\xe2\x80\x99" "Connor agreed");
  ck_assert (p && strcmp (p->name, "Mary O'Connor") == 0);
  p = named (d, "The Senior Planning Officer will reply");
  ck_assert (p && strcmp (p->name, "Sarah Jones") == 0);
  /* A surname alone, or a first name alone, names nobody. */
  ck_assert_ptr_null (named (d, "the baker on the high street"));
  ck_assert_ptr_null (named (d, "Tom said hello"));
}
END_TEST

/* A first name is an officer's only when one officer and no member has it. */
START_TEST (test_officer_first_names)
{
  g_autoptr (CmDirectory) example = example_directory ();
  const CmPerson *p = cm_directory_officer_by_first_name (example, cm_words_hash ("gary"));
  ck_assert (p && strcmp (p->name, "Gary Lewis") == 0);
  ck_assert_ptr_null (cm_directory_officer_by_first_name (example, cm_words_hash ("jane"))); /* a member */
  ck_assert_ptr_null (cm_directory_officer_by_first_name (example, cm_words_hash ("baker"))); /* a surname */

  g_autofree char *dir = test_scratch_dir ();
  g_autofree char *path = test_write (dir, "directory.conf",
                                      "[council]\nname=Anytown\ndomains=anytown.gov.uk\n"
                                      "[officer:Sam Field]\naddresses=sam.field@anytown.gov.uk\n"
                                      "[officer:Sam Brook]\naddresses=sam.brook@anytown.gov.uk\n"
                                      "[officer:Ann Lee]\naddresses=ann.lee@anytown.gov.uk\n"
                                      "[member:Ann Moss]\naddresses=cllr.moss@anytown.gov.uk\n"
                                      "[officer:Joe Hart]\naddresses=joe.hart@anytown.gov.uk\n"
                                      "[officer:Prince]\naddresses=prince@anytown.gov.uk\n");
  g_autoptr (GError) error = NULL;
  g_autoptr (CmDirectory) d = cm_directory_load (path, &error);
  ck_assert_msg (d != NULL, "%s", error ? error->message : "");
  ck_assert_ptr_null (cm_directory_officer_by_first_name (d, cm_words_hash ("sam")));  /* two officers */
  ck_assert_ptr_null (cm_directory_officer_by_first_name (d, cm_words_hash ("ann")));  /* a member too */
  ck_assert_ptr_null (cm_directory_officer_by_first_name (d, cm_words_hash ("prince"))); /* one word: no first name */
  p = cm_directory_officer_by_first_name (d, cm_words_hash ("joe"));
  ck_assert (p && strcmp (p->name, "Joe Hart") == 0);
}
END_TEST

START_TEST (test_bad_directories)
{
  struct { const char *text; const char *expected; } cases[] = {
    { "[member:A B]\naddresses=a@b.org\n", "there is no [council] group" },
    { "[council]\nname=X\n", "[council] domains: at least one domain is needed" },
    { "[council]\nname=X\ndomains=x.gov.uk\n[member:Ann Lee]\naddresses=not-an-address\n",
      ":5: [member:Ann Lee] addresses: \"not-an-address\" is not a mail address" },
    { "[council]\nname=X\ndomains=x.gov.uk\n[member:Ann Lee]\naddresses=a@x.gov.uk\n[officer:Bob Day]\naddresses=A@X.gov.uk\n",
      ":7: [officer:Bob Day] addresses: a@x.gov.uk is already listed for Ann Lee" },
    { "[council]\nname=X\ndomains=x.gov.uk\n[member:Ann Lee]\naddresses=a@x.gov.uk\noffices=chair;emperor\n",
      ":6: [member:Ann Lee] offices: \"emperor\" is not an office" },
    { "[council]\nname=X\ndomains=x.gov.uk\n[member:Ann Lee]\n\n", ":4: [member:Ann Lee] addresses: every person needs at least one address" },
    { "[council]\nname=X\ndomains=x.gov.uk\n[member:Ann Lee]\naddresses=a@x.gov.uk\ntitle=Boss\n",
      ":6: [member:Ann Lee] title: unknown key (known: addresses, offices)" },
    { "[council]\nname=X\ndomains=x.gov.uk\n[staff:Ann Lee]\naddresses=a@x.gov.uk\n", ":4: [staff:Ann Lee]: unknown group" },
    { "[council]\nname=X\ndomains=x.gov.uk\nmonitoring-officer=mo@elsewhere.org\n",
      ":4: [council] monitoring-officer: mo@elsewhere.org is neither in a council domain nor listed" },
    { "[council]\nname=X\ndomains=x gov uk\n", ":3: [council] domains: \"x gov uk\" is not a domain name" },
    { "[council]\nname=\ndomains=x.gov.uk\n", "[council] name: the council's name is needed" },
    { "[council]\nname=X\ndomains=x.gov.uk\n[member: ]\naddresses=a@x.gov.uk\n", "the group needs a name" },
  };
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *message = directory_error (cases[i].text);
      ck_assert_msg (message && strstr (message, cases[i].expected), "case %u: %s", i,
                     message ? message : "(loaded)");
    }
}
END_TEST

START_TEST (test_many_officers_index)
{
  GString *text = g_string_new ("[council]\nname=Big\ndomains=big.gov.uk\n");
  for (int i = 0; i < 5000; i++)
    g_string_append_printf (text, "[officer:Person%d Surname%d]\naddresses=p%d@big.gov.uk\ntitle=Officer Number %d\n",
                            i, i, i, i);
  g_autofree char *dir = test_scratch_dir ();
  g_autofree char *path = test_write (dir, "big.conf", text->str);
  g_string_free (text, TRUE);
  g_autoptr (GError) error = NULL;
  g_autoptr (CmDirectory) d = cm_directory_load (path, &error);
  ck_assert_msg (d != NULL, "%s", error ? error->message : "");
  ck_assert_uint_eq (cm_directory_count (d, CM_ROLE_OFFICER), 5000);
  const CmPerson *p = named (d, "ask person4321 surname4321 about it");
  ck_assert (p && strcmp (p->addresses->pdata[0], "p4321@big.gov.uk") == 0);
  p = named (d, "the officer number 17 said");
  ck_assert (p && strcmp (p->addresses->pdata[0], "p17@big.gov.uk") == 0);
}
END_TEST

/* Lists: nested lists expanded, each person once, lookups in any case. */
START_TEST (test_lists)
{
  g_autoptr (CmDirectory) d = example_directory ();
  ck_assert_uint_eq (cm_directory_n_lists (d), 2);
  const CmList *all = cm_directory_list (d, "All-Councillors@Northmoor.gov.uk");
  ck_assert_ptr_nonnull (all);
  ck_assert_str_eq (all->name, "all-councillors");
  ck_assert_uint_eq (all->people->len, 7);
  ck_assert_uint_eq (all->n_members, 7);
  const CmList *cabinet = cm_directory_list (d, "cabinet@northmoor.gov.uk");
  ck_assert_uint_eq (cabinet->people->len, 2);
  ck_assert_ptr_null (cm_directory_list (d, "tom.baker@northmoor.gov.uk"));
  /* A list's address is no person's: an unnamed council address. */
  const CmPerson *person = NULL;
  ck_assert_int_eq (cm_directory_role (d, "cabinet@northmoor.gov.uk", &person, NULL), CM_ROLE_OFFICER);
  ck_assert_ptr_null (person);

  g_autofree char *dir = test_scratch_dir ();
  g_autofree char *path = test_write (dir, "directory.conf",
                                      "[council]\nname=X\ndomains=x.gov.uk\n"
                                      "[member:Ann Lee]\naddresses=ann@x.gov.uk\n"
                                      "[officer:Bob Day]\naddresses=bob@x.gov.uk\n"
                                      "[list:outer]\naddresses=outer@x.gov.uk\nmembers=inner;ann lee\n"
                                      "[list:inner]\nmembers=Bob Day;Ann Lee\n");
  g_autoptr (GError) error = NULL;
  g_autoptr (CmDirectory) nested = cm_directory_load (path, &error);
  ck_assert_msg (nested != NULL, "%s", error ? error->message : "");
  const CmList *outer = cm_directory_list (nested, "outer@x.gov.uk");
  ck_assert_uint_eq (outer->people->len, 2); /* Ann once */
  ck_assert_uint_eq (outer->n_members, 1);
}
END_TEST

START_TEST (test_bad_lists)
{
  const char *council = "[council]\nname=X\ndomains=x.gov.uk\n[member:Ann Lee]\naddresses=ann@x.gov.uk\n";
  struct { const char *text; const char *expected; } cases[] = {
    { "[list:a]\naddresses=a@x.gov.uk\nmembers=b\n[list:b]\nmembers=c\n[list:c]\nmembers=a\n",
      ":8: [list:a] members: lists contain each other: a -> b -> c -> a" },
    { "[list:a]\nmembers=a\n", ":7: [list:a] members: lists contain each other: a -> a" },
    { "[list:a]\naddresses=a@x.gov.uk\nmembers=Ann Lee;Nobody\n",
      ":8: [list:a] members: \"Nobody\" is neither a person nor a list" },
    { "[list:a]\naddresses=ANN@x.gov.uk\nmembers=Ann Lee\n",
      ":7: [list:a] addresses: ann@x.gov.uk is already listed for Ann Lee" },
    { "[list:a]\naddresses=not-an-address\n", ":7: [list:a] addresses: \"not-an-address\" is not a mail address" },
    { "[list:a]\naddresses=a@x.gov.uk\ntitle=Boss\n", ":8: [list:a] title: unknown key (known: addresses, members)" },
    { "[list: ]\naddresses=a@x.gov.uk\n", "the group needs a name, e.g. [list: Jane Smith]" },
  };
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *text = g_strconcat (council, cases[i].text, NULL);
      g_autofree char *message = directory_error (text);
      ck_assert_msg (message && strstr (message, cases[i].expected), "case %u: %s", i,
                     message ? message : "(loaded)");
    }
}
END_TEST

/* Office names both ways: the key file reads them, a snapshot writes them. */
START_TEST (test_office_names)
{
  for (guint i = 0; i < CM_N_OFFICES; i++)
    ck_assert_uint_eq (cm_office_from_name (cm_office_name (i)), 1u << i);
  ck_assert_uint_eq (cm_office_from_name ("Group-Leader"), CM_OFFICE_GROUP_LEADER);
  ck_assert_uint_eq (cm_office_from_name ("chair"), CM_OFFICE_CHAIR);
  ck_assert_uint_eq (cm_office_from_name ("cabinet"), CM_OFFICE_CABINET);
  ck_assert_uint_eq (cm_office_from_name ("treasurer"), 0);
  ck_assert_uint_eq (cm_office_from_name (""), 0);
}
END_TEST

int
main (void)
{
  cm_policy_init ();
  Suite *suite = suite_create ("directory");
  TCase *tc = tcase_create ("directory");
  tcase_set_timeout (tc, 60);
  tcase_add_test (tc, test_roles);
  tcase_add_test (tc, test_names_in_text);
  tcase_add_test (tc, test_officer_first_names);
  tcase_add_test (tc, test_bad_directories);
  tcase_add_test (tc, test_many_officers_index);
  tcase_add_test (tc, test_lists);
  tcase_add_test (tc, test_bad_lists);
  tcase_add_test (tc, test_office_names);
  suite_add_tcase (suite, tc);
  return test_run (suite);
}
