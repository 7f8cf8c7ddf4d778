/* The serve command: opens the node and runs the HTTP server, with the scheduled harvests
 * (federation/scheduler.h), until SIGINT or SIGTERM. */
#include <stdio.h>
#include <stdlib.h>
#include "cli/commands.h"
#include "http/server.h"
#include "search/index.h"
#include "util/timeutil.h"
#include "util/log.h"
#include "util/num.h"

int bx_cmd_serve(const struct bx_command *self, int argc, char **argv)
{
	const char *listen = NULL, *threads = NULL, *max_body = NULL;
	const struct bx_option options[] = {
		{"--listen", "ADDR:PORT", "address to serve on (default $BIOEX_LISTEN or 127.0.0.1:8080)", &listen},
		{"--threads", "N", "requests answered at once (default 4)", &threads},
		{"--max-body", "MIB", "largest request body in MiB (default 16)", &max_body},
		{NULL, NULL, NULL, NULL},
	};
	int n, rc = bx_cli_parse(self, options, argc, argv, &n);
	if (rc)
		return rc < 0 ? 2 : 0;
	if (n)
		return bx_cli_fail("serve: unexpected argument %s", argv[0]);
	if (!listen)
		listen = getenv("BIOEX_LISTEN");
	struct bx_server_config config = {.listen = listen && *listen ? listen : "127.0.0.1:8080", .threads = 4};
	if (threads) {
		int64_t value;
		if (bx_parse_int64(threads, 1, 64, &value))
			return bx_cli_fail("serve: --threads is 1 to 64");
		config.threads = (int)value;
	}
	if (max_body) {
		int64_t mib;
		if (bx_parse_int64(max_body, 1, 4096, &mib))
			return bx_cli_fail("serve: --max-body is 1 to 4096 (MiB)");
		config.max_body = (size_t)mib * 1024 * 1024;
	}
	struct bx_node *node = NULL;
	if (bx_node_open(bx_cli_db(), &node))
		return 1;
	int64_t started = bx_time_micros();
	rc = bx_search_open(node, &config.search);
	if (!rc) {
		struct bx_index_stats stats;
		bx_search_stats(config.search, &stats);
		bx_log(BX_LOG_INFO, "search index: %lld records, %.1f MB of text in %.2f s",
		       (long long)stats.records, (double)stats.text_bytes / 1e6,
		       (double)(bx_time_micros() - started) / 1e6);
		rc = bx_scheduler_start(node, &config.scheduler);
	}
	if (!rc) {
		rc = bx_server_run(node, &config);
		bx_scheduler_stop(config.scheduler);
	}
	bx_search_close(config.search);
	bx_node_close(node);
	return rc ? bx_cli_fail("serve: %s", bx_strerror(rc)) : 0;
}
