/*
 * mailbox.c: the notices' mailbox and its sub-addresses (mailbox.h).
 *
 * Addresses are compared in lower case: mail systems may change the
 * case of a local part, and the tokens are hexadecimal.
 */
#include "config.h"

#include <string.h>

#include <gmime/gmime.h>

#include "mailbox.h"
#include "settings.h"

void
cm_notify_mailbox (const CmConfig *config, char **local, char **domain)
{
  const char *from = cm_daemon_settings (config)->notify_from;
  g_autofree char *address = NULL;
  InternetAddressList *list = from ? internet_address_list_parse (NULL, from) : NULL;
  if (list && internet_address_list_length (list) > 0
      && INTERNET_ADDRESS_IS_MAILBOX (internet_address_list_get_address (list, 0)))
    address = g_strdup (internet_address_mailbox_get_addr (
        INTERNET_ADDRESS_MAILBOX (internet_address_list_get_address (list, 0))));
  g_clear_object (&list);
  const char *at = address ? strchr (address, '@') : NULL;
  if (at == NULL || at == address)
    {
      *local = g_strdup ("postmaster");
      *domain = g_strdup (cm_config_council_domain (config));
      return;
    }
  *local = g_strndup (address, (gsize) (at - address));
  *domain = g_strdup (at + 1);
}

char *
cm_mailbox_bare (const char *value)
{
  g_autofree char *trimmed = value ? g_strstrip (g_strdup (value)) : NULL;
  if (trimmed == NULL || *trimmed == '\0')
    return NULL;
  InternetAddressList *list = internet_address_list_parse (NULL, trimmed);
  InternetAddress *first = list && internet_address_list_length (list) > 0
                               ? internet_address_list_get_address (list, 0) : NULL;
  char *address = first && INTERNET_ADDRESS_IS_MAILBOX (first)
                      ? g_strdup (internet_address_mailbox_get_addr (INTERNET_ADDRESS_MAILBOX (first)))
                      : g_steal_pointer (&trimmed);
  g_clear_object (&list);
  return address;
}

/* LOCAL+TAG-ID-TOKEN@DOMAIN of the notices' mailbox. */
static char *
sub_address (const CmConfig *config, const char *tag, const char *hold_id, const char *token)
{
  g_autofree char *local = NULL, *domain = NULL;
  cm_notify_mailbox (config, &local, &domain);
  return g_strdup_printf ("%s+%s-%s-%.*s@%s", local, tag, hold_id, CM_MAILBOX_TOKEN_DIGITS, token, domain);
}

char *
cm_notify_reply_address (const CmConfig *config, const char *hold_id, const char *token)
{
  return sub_address (config, "hold", hold_id, token);
}

gboolean
cm_mailbox_parse (const CmConfig *config, const char *address, const char *tag, char **hold_id, char **token)
{
  g_autofree char *lower = address ? g_ascii_strdown (address, -1) : NULL;
  g_autofree char *marker = g_strdup_printf ("+%s-", tag);
  /* Almost no recipient is one: look before parsing [notify] from. */
  if (lower == NULL || strstr (lower, marker) == NULL)
    return FALSE;
  g_autofree char *mailbox_local = NULL, *mailbox_domain = NULL;
  cm_notify_mailbox (config, &mailbox_local, &mailbox_domain);
  g_autofree char *local = g_ascii_strdown (mailbox_local, -1);
  g_autofree char *domain = g_ascii_strdown (mailbox_domain, -1);
  g_autofree char *prefix = g_strconcat (local, marker, NULL);
  char *at = strrchr (lower, '@');
  if (at == NULL || strcmp (at + 1, domain) != 0 || !g_str_has_prefix (lower, prefix))
    return FALSE;
  *at = '\0';
  /* ID-TOKEN: the token is after the last '-'. */
  char *id = lower + strlen (prefix);
  char *dash = strrchr (id, '-');
  if (dash)
    *dash = '\0';
  *hold_id = g_strdup (id);
  *token = g_strdup (dash ? dash + 1 : "");
  return TRUE;
}

gboolean
cm_mailbox_token_matches (const char *expected, const char *given)
{
  if (expected == NULL || given == NULL || strlen (expected) < CM_MAILBOX_TOKEN_DIGITS
      || strlen (given) != CM_MAILBOX_TOKEN_DIGITS)
    return FALSE;
  guint difference = 0;
  for (guint i = 0; i < CM_MAILBOX_TOKEN_DIGITS; i++)
    difference |= (guint) (expected[i] ^ g_ascii_tolower (given[i]));
  return difference == 0;
}

const char *
cm_decision_name (CmDecision decision)
{
  return decision == CM_DECISION_REJECT ? "reject" : "release";
}

char *
cm_decision_address (const CmConfig *config, CmDecision decision, const char *hold_id, const char *token)
{
  return sub_address (config, cm_decision_name (decision), hold_id, token);
}

gboolean
cm_decision_parse_address (const CmConfig *config, const char *address, CmDecision *decision, char **hold_id,
                           char **token)
{
  const CmDecision each[] = { CM_DECISION_RELEASE, CM_DECISION_REJECT };
  for (guint i = 0; i < G_N_ELEMENTS (each); i++)
    if (cm_mailbox_parse (config, address, cm_decision_name (each[i]), hold_id, token))
      {
        *decision = each[i];
        return TRUE;
      }
  return FALSE;
}

void
cm_decision_append_instructions (GString *out, const char *release_to, const char *reject_to,
                                 const char *indent)
{
  g_string_append_printf (out,
                          "%sTo release it, reply to:  %s\n"
                          "%sTo reject it, reply to:   %s\n"
                          "%sWhat you write in the reply becomes the release note, or the reason\n"
                          "%sthe sender is told for a rejection (a rejection needs one).  Only\n"
                          "%syour own address, logged in, can use these, and only once.\n",
                          indent, release_to, indent, reject_to, indent, indent, indent);
}
