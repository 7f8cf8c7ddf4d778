/* Every HTTP handler, one line each; the route table in router.c maps paths to them. */
#ifndef BX_HANDLERS_H
#define BX_HANDLERS_H

#include "http/request.h"
#include "http/response.h"

typedef void (*bx_handler)(struct bx_request *request, struct bx_response *response);

void bx_api_healthz(struct bx_request *, struct bx_response *);
void bx_api_metrics(struct bx_request *, struct bx_response *);
void bx_api_openapi(struct bx_request *, struct bx_response *);
void bx_api_login(struct bx_request *, struct bx_response *);
void bx_api_logout(struct bx_request *, struct bx_response *);
void bx_api_records_list(struct bx_request *, struct bx_response *);
void bx_api_records_create(struct bx_request *, struct bx_response *);
void bx_api_records_import(struct bx_request *, struct bx_response *);
void bx_api_record_get(struct bx_request *, struct bx_response *);
void bx_api_record_replace(struct bx_request *, struct bx_response *);
void bx_api_record_withdraw(struct bx_request *, struct bx_response *);
void bx_api_record_revisions(struct bx_request *, struct bx_response *);
void bx_api_record_revision(struct bx_request *, struct bx_response *);
void bx_api_changes(struct bx_request *, struct bx_response *);
void bx_api_nodes_list(struct bx_request *, struct bx_response *);
void bx_api_nodes_create(struct bx_request *, struct bx_response *);
void bx_api_node_get(struct bx_request *, struct bx_response *);
void bx_api_node_harvest(struct bx_request *, struct bx_response *);
void bx_api_oai(struct bx_request *, struct bx_response *);
void bx_api_oai_schema(struct bx_request *, struct bx_response *);
void bx_api_vocabularies(struct bx_request *, struct bx_response *);
void bx_api_vocabulary(struct bx_request *, struct bx_response *);
void bx_api_vocabulary_term(struct bx_request *, struct bx_response *);
void bx_api_country(struct bx_request *, struct bx_response *);
void bx_api_users_list(struct bx_request *, struct bx_response *);
void bx_api_users_create(struct bx_request *, struct bx_response *);
void bx_api_user_get(struct bx_request *, struct bx_response *);
void bx_api_user_update(struct bx_request *, struct bx_response *);
/* The web interface (src/web): the redirect of "/", pages and files, and the HTML 404 the
 * server answers browsers for paths no route has. */
void bx_web_root(struct bx_request *, struct bx_response *);
void bx_web_get(struct bx_request *, struct bx_response *);
void bx_web_post(struct bx_request *, struct bx_response *);
void bx_web_not_found(struct bx_request *, struct bx_response *);
/* The iCalendar feed of the published meetings, /calendar.ics (web/calendar_ics.c). */
void bx_web_calendar_ics(struct bx_request *, struct bx_response *);

#endif
