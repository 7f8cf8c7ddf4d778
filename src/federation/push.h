/* Push (DESIGN 8, 9): a national node sends its changes to a central node through the
 * central node's POST /api/v1/records:import, signed in with a node credential, so they
 * arrive as a pull would bring them (replicas keeping their meta, withdrawals included).
 * The cursor, the last change the central node accepted, is kept in the store's settings
 * under "push:<url>". */
#ifndef BX_PUSH_H
#define BX_PUSH_H

#include <stdint.h>
#include "node/node.h"

#define BX_PUSH_BATCH 500

struct bx_push_options {
	const char *url;          /* the central node's base URL */
	const char *user;         /* an account of role node there */
	const char *password;
	int batch;                /* changes per request (0: BX_PUSH_BATCH) */
};

struct bx_push_result {
	int64_t sent, batches;
	int64_t created, updated, withdrawn, unchanged, refused;   /* as the central node counted */
	int64_t cursor;           /* the last change accepted */
	char error[512];
};

/* Signs in, sends every change after the cursor in batches (each one all or nothing at the
 * other end; the cursor moves only after a batch was accepted), and signs out. Returns 0,
 * or an error code with the reason in result->error. */
BX_MUST_USE int bx_push(struct bx_node *node, const struct bx_push_options *options,
                        struct bx_push_result *result);

/* Signs in at url as user: sets token (at most token_size bytes). 0, or an error code with
 * the reason in message. */
BX_MUST_USE int bx_push_login(const char *url, const char *user, const char *password,
                              char *token, size_t token_size, char *message, size_t message_size);

#endif
