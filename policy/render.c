/*
 * render.c: a verdict as the JSON object of DESIGN.md (for council-check
 * --json and for tools) and as plain text for people.
 *
 * A message not read whole adds one member to the object, after the
 * contract's four: "scan": {"complete": false, "bytes": N, "truncated":
 * past max-scan-size, "partial": [why reading stopped short of a cap],
 * "partial_action": what [policy] partial made of it}.
 */
#include "config.h"

#include <string.h>

#include "policy.h"
#include "verdict.h"

void
cm_json_string (GString *out, const char *s)
{
  if (s == NULL)
    {
      g_string_append (out, "null");
      return;
    }
  g_string_append_c (out, '"');
  for (const unsigned char *p = (const unsigned char *) s; *p; p++)
    {
      switch (*p)
        {
        case '"': g_string_append (out, "\\\""); break;
        case '\\': g_string_append (out, "\\\\"); break;
        case '\n': g_string_append (out, "\\n"); break;
        case '\r': g_string_append (out, "\\r"); break;
        case '\t': g_string_append (out, "\\t"); break;
        default:
          if (*p < 0x20)
            g_string_append_printf (out, "\\u%04x", *p);
          else
            g_string_append_c (out, (char) *p);
        }
    }
  g_string_append_c (out, '"');
}

void
cm_json_string_array (GString *out, const GPtrArray *items)
{
  g_string_append_c (out, '[');
  for (guint i = 0; i < items->len; i++)
    {
      if (i)
        g_string_append (out, ", ");
      cm_json_string (out, items->pdata[i]);
    }
  g_string_append_c (out, ']');
}

char *
cm_verdict_to_json (const CmVerdict *verdict)
{
  GString *out = g_string_new ("{\"action\": ");
  cm_json_string (out, cm_action_name (verdict->action));
  g_string_append_printf (out, ", \"checked\": %s, \"sender\": {\"address\": ",
                          verdict->checked ? "true" : "false");
  cm_json_string (out, verdict->sender_address);
  g_string_append (out, ", \"role\": ");
  cm_json_string (out, cm_role_name (verdict->sender_role));
  g_string_append (out, ", \"name\": ");
  cm_json_string (out, verdict->sender_name);
  g_string_append (out, "}, \"findings\": [");
  for (guint i = 0; verdict->findings && i < verdict->findings->len; i++)
    {
      const CmFinding *f = verdict->findings->pdata[i];
      g_string_append (out, i ? ", {\"rule\": " : "{\"rule\": ");
      cm_json_string (out, f->rule);
      g_string_append (out, ", \"action\": ");
      cm_json_string (out, cm_rule_action_name (f->action));
      g_string_append (out, ", \"clause\": ");
      cm_json_string (out, f->clause);
      g_string_append (out, ", \"summary\": ");
      cm_json_string (out, f->summary);
      g_string_append (out, ", \"evidence\": ");
      cm_json_string_array (out, f->evidence);
      g_string_append (out, ", \"people\": ");
      cm_json_string_array (out, f->people);
      g_string_append_c (out, '}');
    }
  g_string_append_c (out, ']');
  gboolean partial = verdict->partial && verdict->partial->len > 0;
  if (verdict->truncated || partial)
    {
      g_string_append_printf (out, ", \"scan\": {\"complete\": false, \"bytes\": %zu, \"truncated\": %s, "
                              "\"partial\": ", verdict->scanned, verdict->truncated ? "true" : "false");
      g_autoptr (GPtrArray) none = g_ptr_array_new ();
      cm_json_string_array (out, partial ? verdict->partial : none);
      g_string_append (out, ", \"partial_action\": ");
      cm_json_string (out, cm_action_name (verdict->partial_action));
      g_string_append_c (out, '}');
    }
  g_string_append_c (out, '}');
  return g_string_free (out, FALSE);
}

/* TEXT for a terminal: control characters (an escape sequence in a
 * message, or in a name from LDAP, would otherwise reach the
 * administrator's terminal), C1 codes and line ends shown as \xHH or
 * \u00HH, never sent as they are. */
char *
cm_printable (const char *text)
{
  GString *out = g_string_sized_new (strlen (text));
  const char *p = text;
  while (*p)
    {
      gunichar c = g_utf8_get_char_validated (p, -1);
      if (c == (gunichar) -1 || c == (gunichar) -2)
        {
          /* Not UTF-8 (a name from a directory may be anything): the byte
           * shown, and reading goes on from the next, never past the end
           * as a broken lead byte's length would take it. */
          g_string_append_printf (out, "\\x%02x", (guchar) *p);
          p++;
          continue;
        }
      if (c < 0x20 || c == 0x7f)
        g_string_append_printf (out, "\\x%02x", c);
      else if (c >= 0x80 && c < 0xa0)
        g_string_append_printf (out, "\\u%04x", c);
      else
        g_string_append_unichar (out, c);
      p = g_utf8_next_char (p);
    }
  return g_string_free (out, FALSE);
}

char *
cm_verdict_to_text (const CmVerdict *verdict)
{
  GString *out = g_string_new (NULL);
  g_autofree char *address = cm_printable (*verdict->sender_address ? verdict->sender_address : "<>");
  g_autofree char *name = verdict->sender_name ? cm_printable (verdict->sender_name) : NULL;
  g_string_append_printf (out, "sender:  %s (%s%s%s)\n", address, cm_role_name (verdict->sender_role),
                          name ? ", " : "", name ? name : "");
  if (!verdict->checked)
    {
      g_string_append (out, "verdict: accept (not outgoing council mail: not checked)\n");
      return g_string_free (out, FALSE);
    }
  g_string_append_printf (out, "verdict: %s", cm_action_name (verdict->action));
  if (verdict->mode != CM_MODE_ENFORCE)
    g_string_append_printf (out, " (mode %s)", cm_mode_name (verdict->mode));
  g_string_append_printf (out, ", %u finding%s\n", verdict->findings->len,
                          verdict->findings->len == 1 ? "" : "s");
  if (verdict->truncated)
    g_string_append_printf (out, "note:    only the first %zu bytes were scanned\n", verdict->scanned);
  if (verdict->partial && verdict->partial->len > 0)
    {
      g_string_append (out, "note:    read in part: ");
      for (guint i = 0; i < verdict->partial->len; i++)
        g_string_append_printf (out, "%s%s", i ? "; " : "", (const char *) verdict->partial->pdata[i]);
      g_string_append_printf (out, " ([policy] partial: %s)\n", cm_action_name (verdict->partial_action));
    }
  for (guint i = 0; i < verdict->findings->len; i++)
    {
      const CmFinding *f = verdict->findings->pdata[i];
      g_autofree char *summary = cm_printable (f->summary);
      g_string_append_printf (out, "\n%s [%s], %s\n  %s\n", f->rule, cm_rule_action_name (f->action),
                              f->clause, summary);
      for (guint k = 0; k < f->evidence->len; k++)
        {
          g_autofree char *evidence = cm_printable (f->evidence->pdata[k]);
          g_string_append_printf (out, "  evidence: \"%s\"\n", evidence);
        }
      for (guint k = 0; k < f->people->len; k++)
        {
          g_autofree char *person = cm_printable (f->people->pdata[k]);
          g_string_append_printf (out, "  person:   %s\n", person);
        }
    }
  return g_string_free (out, FALSE);
}
