/* libmicrohttpd glue (see server.h): collects a request's body under the size cap,
 * authenticates the bearer token, routes, and sends what the handler built. The answer
 * is queued on the call after the body is complete (never on the first call), which
 * keeps connections alive. Each connection has a thread of its own, and at most --threads
 * requests are answered at once (a semaphore): with libmicrohttpd's pool of threads
 * instead, a connection stays on the thread that accepted it, and two busy connections
 * on one thread wait for each other while a core idles. One log line per request. */
#include <arpa/inet.h>
#include <errno.h>
#include <microhttpd.h>
#include <semaphore.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "auth/token.h"
#include "http/router.h"
#include "http/server.h"
#include "util/log.h"
#include "util/num.h"
#include "util/timeutil.h"

const char *bx_request_header(const struct bx_request *request, const char *name)
{
	return MHD_lookup_connection_value(request->connection, MHD_HEADER_KIND, name);
}

const char *bx_request_query(const struct bx_request *request, const char *name)
{
	return MHD_lookup_connection_value(request->connection, MHD_GET_ARGUMENT_KIND, name);
}

const char *bx_request_cookie(const struct bx_request *request, const char *name)
{
	return MHD_lookup_connection_value(request->connection, MHD_COOKIE_KIND, name);
}

/* Does the client take HTML (a browser)? API clients do not say so, and get JSON. */
static bool accepts_html(const struct bx_request *request)
{
	const char *accept = bx_request_header(request, MHD_HTTP_HEADER_ACCEPT);
	return accept && strstr(accept, "text/html");
}

struct query_walk {
	bx_query_fn fn;
	void *context;
	int rc;
};

static enum MHD_Result visit_query(void *context, enum MHD_ValueKind kind, const char *name,
                                   const char *value)
{
	struct query_walk *walk = context;
	walk->rc = walk->fn(walk->context, name, value);
	return walk->rc ? MHD_NO : MHD_YES;
}

int bx_request_each_query(const struct bx_request *request, bx_query_fn fn, void *context)
{
	struct query_walk walk = {fn, context, 0};
	MHD_get_connection_values(request->connection, MHD_GET_ARGUMENT_KIND, visit_query, &walk);
	return walk.rc;
}

static struct bx_request *request_new(struct bx_server *server, struct MHD_Connection *connection,
                                      const char *method, const char *url)
{
	struct bx_request *request = calloc(1, sizeof *request);
	if (!request)
		return NULL;
	request->connection = connection;
	request->server = server;
	request->node = server->node;
	request->method = method;
	request->path = url;
	request->started = bx_time_micros();
	request->route = -1;
	bx_buf_init(&request->body, server->max_body);
	const union MHD_ConnectionInfo *info =
		MHD_get_connection_info(connection, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	const struct sockaddr *address = info ? info->client_addr : NULL;
	if (address && address->sa_family == AF_INET)
		inet_ntop(AF_INET, &((const struct sockaddr_in *)address)->sin_addr, request->address,
		          sizeof request->address);
	else if (address && address->sa_family == AF_INET6)
		inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)address)->sin6_addr, request->address,
		          sizeof request->address);
	return request;
}

static void on_completed(void *context, struct MHD_Connection *connection, void **request_slot,
                         enum MHD_RequestTerminationCode code)
{
	struct bx_request *request = *request_slot;
	if (!request)
		return;
	bx_buf_free(&request->body);
	free(request);
	*request_slot = NULL;
}

/* Sets request->principal from "Authorization: Bearer TOKEN". Returns BX_EAUTH for a
 * token that is malformed, unknown, expired or of a disabled account. */
static int authenticate(struct bx_request *request)
{
	const char *header = bx_request_header(request, MHD_HTTP_HEADER_AUTHORIZATION);
	if (!header)
		return 0;
	if (strncasecmp(header, "Bearer ", 7) || strlen(header + 7) != BX_TOKEN_SIZE - 1)
		return BX_EAUTH;
	unsigned char hash[BX_TOKEN_HASH_SIZE];
	bx_token_hash(header + 7, hash);
	struct bx_user user;
	int rc = bx_store_token_user(request->node->store, hash, bx_time_now(), &user);
	if (rc) {
		bx_user_clear(&user);
		return rc == BX_ENOTFOUND ? BX_EAUTH : rc;
	}
	bx_principal_from_user(&request->principal, &user);
	memcpy(request->token_hash, hash, sizeof hash);
	request->has_token = true;
	bx_user_clear(&user);
	return 0;
}

static void handle(struct bx_request *request, struct bx_response *response)
{
	char allow[64];
	int error;
	if (request->body_too_big) {
		char message[128];
		snprintf(message, sizeof message, "the body is larger than %zu bytes", request->server->max_body);
		bx_reply_error(response, BX_ETOOBIG, message, NULL);
		return;
	}
	bx_handler handler = bx_route(request, &error, allow, sizeof allow);
	if (!handler && error == BX_ENOTFOUND && accepts_html(request)) {
		bx_web_not_found(request, response);
		return;
	}
	if (!handler) {
		snprintf(response->allow, sizeof response->allow, "%s", allow);
		bx_reply_error(response, error, error == BX_EMETHOD ? "this resource does not answer that method"
		               : "no such resource", NULL);
		return;
	}
	if ((error = authenticate(request))) {
		bx_reply_error(response, error, error == BX_EAUTH ? "the bearer token is not valid (sign in again)"
		               : NULL, NULL);
		return;
	}
	handler(request, response);
}

static enum MHD_Result send_response(struct MHD_Connection *connection, struct bx_request *request,
                                     struct bx_response *response)
{
	size_t length = response->body.len;
	char *body = bx_buf_steal(&response->body);
	struct MHD_Response *reply = MHD_create_response_from_buffer(length, body ? body : "",
	                             body ? MHD_RESPMEM_MUST_FREE : MHD_RESPMEM_PERSISTENT);
	if (!reply) {
		free(body);
		return MHD_NO;
	}
	MHD_add_response_header(reply, MHD_HTTP_HEADER_CONTENT_TYPE, response->content_type);
	MHD_add_response_header(reply, "X-Content-Type-Options", "nosniff");
	if (response->etag[0])
		MHD_add_response_header(reply, MHD_HTTP_HEADER_ETAG, response->etag);
	if (response->location[0])
		MHD_add_response_header(reply, MHD_HTTP_HEADER_LOCATION, response->location);
	if (response->retry_after[0])
		MHD_add_response_header(reply, MHD_HTTP_HEADER_RETRY_AFTER, response->retry_after);
	if (response->allow[0])
		MHD_add_response_header(reply, MHD_HTTP_HEADER_ALLOW, response->allow);
	for (int i = 0; i < response->n_headers; i++)
		MHD_add_response_header(reply, response->headers[i].name, response->headers[i].value);
	if (response->authenticate)
		MHD_add_response_header(reply, MHD_HTTP_HEADER_WWW_AUTHENTICATE, "Bearer realm=\"bioex\"");
	enum MHD_Result result = MHD_queue_response(connection, (unsigned)response->status, reply);
	MHD_destroy_response(reply);

	int64_t micros = bx_time_micros() - request->started;
	bx_metrics_observe(request->server->metrics, request->method, request->route, response->status, micros);
	bx_log(BX_LOG_INFO, "%s %s %d %zu %lldus", request->method, request->path, response->status,
	       length, (long long)micros);
	return result;
}

static enum MHD_Result on_request(void *context, struct MHD_Connection *connection, const char *url,
                                  const char *method, const char *version, const char *upload,
                                  size_t *upload_size, void **request_slot)
{
	struct bx_server *server = context;
	struct bx_request *request = *request_slot;
	if (!request) {
		if (!(request = request_new(server, connection, method, url)))
			return MHD_NO;
		*request_slot = request;
		return MHD_YES;
	}
	if (*upload_size) {
		/* Past the cap the rest of the body is read and dropped, then 413 is answered. */
		if (!request->body_too_big && bx_buf_append(&request->body, upload, *upload_size))
			request->body_too_big = true;
		*upload_size = 0;
		return MHD_YES;
	}
	struct bx_response response;
	bx_response_init(&response);
	while (sem_wait(&server->answering) && errno == EINTR)
		;
	handle(request, &response);
	sem_post(&server->answering);
	enum MHD_Result result = send_response(connection, request, &response);
	bx_response_free(&response);
	return result;
}

/* Parses "HOST:PORT" or "[V6]:PORT" into address. */
static int parse_listen(const char *listen, struct sockaddr_storage *address, bool *ipv6)
{
	char host[128];
	const char *colon = strrchr(listen, ':');
	int64_t port;
	if (!colon || (size_t)(colon - listen) >= sizeof host || bx_parse_int64(colon + 1, 0, 65535, &port))
		return BX_EINVAL;
	snprintf(host, sizeof host, "%.*s", (int)(colon - listen), listen);
	memset(address, 0, sizeof *address);
	size_t n = strlen(host);
	*ipv6 = n > 2 && host[0] == '[' && host[n - 1] == ']';
	if (*ipv6) {
		struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)address;
		host[n - 1] = '\0';
		in6->sin6_family = AF_INET6;
		in6->sin6_port = htons((uint16_t)port);
		return inet_pton(AF_INET6, host + 1, &in6->sin6_addr) == 1 ? 0 : BX_EINVAL;
	}
	struct sockaddr_in *in4 = (struct sockaddr_in *)address;
	in4->sin_family = AF_INET;
	in4->sin_port = htons((uint16_t)port);
	return inet_pton(AF_INET, host, &in4->sin_addr) == 1 ? 0 : BX_EINVAL;
}

int bx_server_run(struct bx_node *node, const struct bx_server_config *config)
{
	struct sockaddr_storage address;
	bool ipv6;
	if (parse_listen(config->listen, &address, &ipv6)) {
		bx_log(BX_LOG_ERROR, "cannot listen on '%s': expected ADDRESS:PORT such as 127.0.0.1:8080",
		       config->listen);
		return BX_EINVAL;
	}
	struct bx_server server = {
		.node = node,
		.search = config->search,
		.scheduler = config->scheduler,
		.metrics = bx_metrics_new(),
		.logins_by_address = bx_ratelimit_new(20, 60),
		.failures_by_account = bx_ratelimit_new(5, 900),
		.max_body = config->max_body ? config->max_body : BX_DEFAULT_MAX_BODY,
	};
	int rc = server.metrics && server.logins_by_address && server.failures_by_account ? 0 : BX_ENOMEM;
	if (!rc && sem_init(&server.answering, 0, (unsigned)config->threads))
		rc = BX_EINVAL;
	if (!rc)
		rc = bx_web_open(&server.web);

	sigset_t stop_signals;
	sigemptyset(&stop_signals);
	sigaddset(&stop_signals, SIGINT);
	sigaddset(&stop_signals, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &stop_signals, NULL);
	signal(SIGPIPE, SIG_IGN);

	struct MHD_Daemon *daemon = NULL;
	if (!rc) {
		unsigned flags = MHD_USE_THREAD_PER_CONNECTION | MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_AUTO |
		                 (ipv6 ? MHD_USE_IPv6 : 0);
		daemon = MHD_start_daemon(flags, 0, NULL, NULL, on_request, &server,
		                          MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&address,
		                          MHD_OPTION_NOTIFY_COMPLETED, on_completed, &server,
		                          MHD_OPTION_CONNECTION_TIMEOUT, 60u,
		                          MHD_OPTION_CONNECTION_LIMIT, 2000u,
		                          MHD_OPTION_LISTEN_BACKLOG_SIZE, 1024u,
		                          MHD_OPTION_END);
		if (!daemon) {
			bx_log(BX_LOG_ERROR, "cannot listen on %s (address in use?)", config->listen);
			rc = BX_EIO;
		}
	}
	if (!rc) {
		const union MHD_DaemonInfo *info = MHD_get_daemon_info(daemon, MHD_DAEMON_INFO_BIND_PORT);
		char host[64];
		snprintf(host, sizeof host, "%.*s", (int)(strrchr(config->listen, ':') - config->listen), config->listen);
		printf("listening on http://%s:%u\n", host, info ? info->port : 0);
		fflush(stdout);
		int signal_number;
		sigwait(&stop_signals, &signal_number);
		bx_log(BX_LOG_INFO, "stopping on signal %d", signal_number);
		MHD_stop_daemon(daemon);
	}
	bx_metrics_free(server.metrics);
	bx_ratelimit_free(server.logins_by_address);
	bx_ratelimit_free(server.failures_by_account);
	bx_web_close(server.web);
	sem_destroy(&server.answering);
	return rc;
}
