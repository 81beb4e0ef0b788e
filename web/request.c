/*
 * request.c: the request and response pages share, error pages, and the
 * review library's session for the signed-in user (request.h).
 */
#include "config.h"

#include "layout.h"
#include "request.h"

/* A 200 response with an empty body. */
CmWebResponse *
cm_web_response_new (void)
{
  CmWebResponse *response = g_new0 (CmWebResponse, 1);
  response->status = 200;
  response->body = g_string_new (NULL);
  return response;
}

/* Free RESPONSE. */
void
cm_web_response_free (CmWebResponse *response)
{
  if (response == NULL)
    return;
  g_string_free (response->body, TRUE);
  g_free (response->location);
  g_free (response->cookie);
  g_free (response);
}

/* Field NAME of FIELDS, NULL when absent or empty. */
const char *
cm_web_field (GHashTable *fields, const char *name)
{
  const char *value = fields ? g_hash_table_lookup (fields, name) : NULL;
  return value && *value ? value : NULL;
}

/* Make RESPONSE a 303 to LOCATION. */
void
cm_web_redirect (CmWebResponse *response, const char *location)
{
  response->status = 303;
  g_free (response->location);
  response->location = g_strdup (location);
  g_string_truncate (response->body, 0);
}

/* Make RESPONSE an error page. */
void
cm_web_fail (const CmWebRequest *request, CmWebResponse *response, guint status, const char *title,
             const char *message)
{
  response->status = status;
  g_string_truncate (response->body, 0);
  cm_layout_begin (response->body, request, title, NULL);
  g_string_append (response->body, "<p class=\"error\">");
  cm_html (response->body, message);
  g_string_append (response->body, "</p><p><a href=\"/\">Back to the queue</a></p>");
  cm_layout_end (response->body);
}

/* The review session of the signed-in user, or an error page. */
CmReviewSession *
cm_web_review_open (const CmWebContext *context, const CmWebRequest *request, CmWebResponse *response)
{
  g_autoptr (GError) error = NULL;
  CmReviewSession *review = cm_review_session_open (context->config, CM_REVIEW_WEB_USER, request->session->user,
                                                    &error);
  if (review == NULL)
    {
      cm_web_fail (request, response, 503, "The hold spool cannot be read", error->message);
      return NULL;
    }
  cm_review_session_set_now (review, request->now);
  return review;
}

/* May REQUEST's user release and reject? */
gboolean
cm_web_request_decides (const CmWebRequest *request)
{
  return request->session && request->session->user && cm_web_role_decides (request->session->role);
}
