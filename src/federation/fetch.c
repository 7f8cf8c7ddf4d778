/* HTTP requests to other nodes (see fetch.h). One easy handle per request: harvests make
 * a request per page, so connection reuse would save little next to applying the page. */
#include <curl/curl.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include "federation/fetch.h"

#define CONNECT_TIMEOUT 10L
#define DEFAULT_TIMEOUT 120L

static void init_curl(void)
{
	curl_global_init(CURL_GLOBAL_DEFAULT);
}

struct receiving {
	struct bx_buf *body;
	bool too_big;
};

static size_t on_data(char *data, size_t size, size_t n, void *context)
{
	struct receiving *receiving = context;
	if (bx_buf_append(receiving->body, data, size * n)) {
		receiving->too_big = true;
		return 0;   /* stops the transfer */
	}
	return size * n;
}

static int on_progress(void *context, curl_off_t total_down, curl_off_t now_down,
                       curl_off_t total_up, curl_off_t now_up)
{
	const atomic_bool *cancel = context;
	return cancel && atomic_load(cancel) ? 1 : 0;
}

static bool cancelled(const struct bx_fetch *request)
{
	return request->cancel && atomic_load(request->cancel);
}

/* Sleeps for milliseconds, waking early when the request is cancelled. */
static void pause_for(const struct bx_fetch *request, long milliseconds)
{
	for (long slept = 0; slept < milliseconds && !cancelled(request); slept += 50) {
		struct timespec step = {0, 50 * 1000 * 1000};
		nanosleep(&step, NULL);
	}
}

static void set_options(CURL *curl, const struct bx_fetch *request, struct receiving *receiving,
                        struct curl_slist *headers, char *curl_error)
{
	curl_easy_setopt(curl, CURLOPT_URL, request->url);
	curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(curl, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(curl, CURLOPT_FOLLOWLOCATION, 1L);
	curl_easy_setopt(curl, CURLOPT_MAXREDIRS, 5L);
	curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT, CONNECT_TIMEOUT);
	curl_easy_setopt(curl, CURLOPT_TIMEOUT, request->timeout ? request->timeout : DEFAULT_TIMEOUT);
	curl_easy_setopt(curl, CURLOPT_USERAGENT, "bioex-harvester");
	curl_easy_setopt(curl, CURLOPT_ACCEPT_ENCODING, "");   /* the cap applies to decoded bytes */
	curl_easy_setopt(curl, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)receiving->body->max);
	curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, on_data);
	curl_easy_setopt(curl, CURLOPT_WRITEDATA, receiving);
	curl_easy_setopt(curl, CURLOPT_NOPROGRESS, 0L);
	curl_easy_setopt(curl, CURLOPT_XFERINFOFUNCTION, on_progress);
	curl_easy_setopt(curl, CURLOPT_XFERINFODATA, (void *)request->cancel);
	curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, curl_error);
	curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
	if (request->body) {
		curl_easy_setopt(curl, CURLOPT_POSTFIELDS, request->body);
		curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)request->body_length);
	}
}

static struct curl_slist *make_headers(const struct bx_fetch *request)
{
	struct curl_slist *headers = curl_slist_append(NULL, "Expect:");
	char line[1024];
	if (request->content_type) {
		snprintf(line, sizeof line, "Content-Type: %s", request->content_type);
		headers = curl_slist_append(headers, line);
	}
	if (request->token) {
		snprintf(line, sizeof line, "Authorization: Bearer %s", request->token);
		headers = curl_slist_append(headers, line);
	}
	return headers;
}

/* One attempt. Returns the curl code; sets *retry when another attempt may succeed. */
static CURLcode attempt(CURL *curl, const struct bx_fetch *request, struct receiving *receiving,
                        long *status, bool *retry)
{
	bx_buf_reset(receiving->body);
	receiving->too_big = false;
	*status = 0;
	CURLcode code = curl_easy_perform(curl);
	if (code == CURLE_OK)
		curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, status);
	bool fatal = receiving->too_big || code == CURLE_FILESIZE_EXCEEDED ||
	             code == CURLE_ABORTED_BY_CALLBACK || code == CURLE_URL_MALFORMAT ||
	             code == CURLE_UNSUPPORTED_PROTOCOL || cancelled(request);
	*retry = !fatal && (code != CURLE_OK || *status == 429 || *status >= 500);
	return code;
}

int bx_fetch(const struct bx_fetch *request, long *status, struct bx_buf *body, char *message,
             size_t message_size)
{
	static pthread_once_t once = PTHREAD_ONCE_INIT;
	pthread_once(&once, init_curl);
	bx_buf_init(body, request->max_bytes ? request->max_bytes : BX_FETCH_MAX_BYTES);
	CURL *curl = curl_easy_init();
	struct curl_slist *headers = make_headers(request);
	if (!curl || !headers) {
		curl_easy_cleanup(curl);
		curl_slist_free_all(headers);
		snprintf(message, message_size, "cannot set up an HTTP request");
		return BX_ENOMEM;
	}
	char curl_error[CURL_ERROR_SIZE] = "";
	struct receiving receiving = {.body = body};
	set_options(curl, request, &receiving, headers, curl_error);
	int tries = request->tries > 0 ? request->tries : BX_FETCH_TRIES, attempts = 0;
	CURLcode code;
	bool retry;
	do {
		if (attempts)
			pause_for(request, 500L << (attempts - 1));
		code = attempt(curl, request, &receiving, status, &retry);
		attempts++;
	} while (retry && attempts < tries && !cancelled(request));
	int rc = 0;
	if (receiving.too_big || code == CURLE_FILESIZE_EXCEEDED) {
		snprintf(message, message_size, "%s: the answer is larger than %zu bytes", request->url,
		         body->max);
		rc = BX_ETOOBIG;
	} else if (code != CURLE_OK) {
		snprintf(message, message_size, "%s: %s (%d %s)", request->url,
		         cancelled(request) ? "stopped" : curl_error[0] ? curl_error : curl_easy_strerror(code),
		         attempts, attempts == 1 ? "try" : "tries");
		rc = BX_EIO;
	}
	if (rc)
		bx_buf_reset(body);
	curl_slist_free_all(headers);
	curl_easy_cleanup(curl);
	return rc;
}

int bx_fetch_escape(struct bx_buf *url, const char *text)
{
	static const char hex[] = "0123456789ABCDEF";
	int rc = 0;
	for (const unsigned char *c = (const unsigned char *)text; *c && !rc; c++) {
		bool plain = (*c >= 'A' && *c <= 'Z') || (*c >= 'a' && *c <= 'z') || (*c >= '0' && *c <= '9') ||
		             *c == '-' || *c == '_' || *c == '.' || *c == '~';
		char escaped[3] = {'%', hex[*c >> 4], hex[*c & 15]};
		rc = plain ? bx_buf_append(url, c, 1) : bx_buf_append(url, escaped, 3);
	}
	return rc;
}
