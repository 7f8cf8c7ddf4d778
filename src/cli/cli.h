/* The command line: a table of commands (main.c) and the option parsing they share. */
#ifndef BX_CLI_H
#define BX_CLI_H

#include <stdbool.h>
#include <stddef.h>

/* One option of a command. Flags set *(bool *)target; others store the argument in
 * *(const char **)target. A repeatable option appends to a comma list in a static buffer. */
struct bx_option {
	const char *name;        /* "--db" */
	const char *argument;    /* "FILE", or NULL for a flag */
	const char *help;
	void *target;
};

struct bx_command {
	const char *name;
	const char *synopsis;    /* arguments after the name, for usage */
	const char *summary;
	int (*run)(const struct bx_command *self, int argc, char **argv);
};

/* Parses argv[1..] against options (terminated by an entry with name NULL) plus the
 * common --db, --log-level and --help. Positional arguments are moved to the front of
 * argv and counted in *n_positional. Returns 0, 1 when --help was shown (the caller
 * exits 0), or -1 after printing a usage error. */
int bx_cli_parse(const struct bx_command *command, const struct bx_option *options, int argc,
                 char **argv, int *n_positional);
/* The database path: --db, else $BIOEX_DB, else ./var/bioex.db. */
const char *bx_cli_db(void);
/* A path beside the program (for data/ and formats/), else relative to the working
 * directory. Writes into out. */
void bx_cli_resource(const char *name, char *out, size_t size);
/* Reads the first line of path (or standard input, prompting when it is a terminal) as a
 * password into out (size bytes, line end removed): passwords never come from the command
 * line. Returns 0, or 1 after printing why (command names the caller). */
int bx_cli_read_password(const char *command, const char *path, char *out, size_t size);
/* Prints "bioex: message" to stderr; returns 1 (the exit status). */
int bx_cli_fail(const char *format, ...) __attribute__((format(printf, 1, 2)));

#endif
