/* Option parsing shared by every command (see cli.h). */
#include <libgen.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "cli/cli.h"
#include "util/log.h"

static const char *db_option;
static const char *log_level_option;
static bool help_option;

static const struct bx_option common_options[] = {
	{"--db", "FILE", "database file (default $BIOEX_DB or ./var/bioex.db)", &db_option},
	{"--log-level", "LEVEL", "debug, info, warn, error or off", &log_level_option},
	{"--help", NULL, "show this help", &help_option},
	{NULL, NULL, NULL, NULL},
};

int bx_cli_fail(const char *format, ...)
{
	va_list args;
	va_start(args, format);
	fputs("bioex: ", stderr);
	vfprintf(stderr, format, args);
	fputc('\n', stderr);
	va_end(args);
	return 1;
}

static void usage(const struct bx_command *command, const struct bx_option *options, FILE *out)
{
	fprintf(out, "usage: bioex %s %s\n%s\n\noptions:\n", command->name, command->synopsis,
	        command->summary);
	const struct bx_option *lists[] = {options, common_options};
	for (size_t l = 0; l < 2; l++)
		for (const struct bx_option *o = lists[l]; o && o->name; o++)
			fprintf(out, "  %s%s%-*s %s\n", o->name, o->argument ? " " : "",
			        (int)(22 - strlen(o->name)), o->argument ? o->argument : "", o->help);
}

static const struct bx_option *find(const struct bx_option *options, const char *name)
{
	for (const struct bx_option *o = options; o && o->name; o++)
		if (!strcmp(o->name, name))
			return o;
	for (const struct bx_option *o = common_options; o->name; o++)
		if (!strcmp(o->name, name))
			return o;
	return NULL;
}

int bx_cli_parse(const struct bx_command *command, const struct bx_option *options, int argc,
                 char **argv, int *n_positional)
{
	int positional = 0;
	for (int i = 1; i < argc; i++) {
		char *arg = argv[i];
		if (arg[0] != '-' || !strcmp(arg, "-")) {
			argv[positional++] = arg;
			continue;
		}
		char *value = strchr(arg, '=');
		if (value)
			*value++ = '\0';
		const struct bx_option *option = find(options, arg);
		if (!option) {
			bx_cli_fail("%s: unknown option %s (see bioex %s --help)", command->name, arg, command->name);
			return -1;
		}
		if (!option->argument) {
			*(bool *)option->target = true;
			continue;
		}
		if (!value && i + 1 < argc && strncmp(argv[i + 1], "--", 2))
			value = argv[++i];
		if (!value) {
			bx_cli_fail("%s: %s needs a value (%s)", command->name, arg, option->argument);
			return -1;
		}
		*(const char **)option->target = value;
	}
	*n_positional = positional;
	if (help_option) {
		usage(command, options, stdout);
		return 1;
	}
	if (log_level_option) {
		enum bx_log_level level;
		if (bx_log_parse_level(log_level_option, &level)) {
			bx_cli_fail("--log-level: expected debug, info, warn, error or off");
			return -1;
		}
		bx_log_set_level(level);
	}
	return 0;
}

const char *bx_cli_db(void)
{
	if (db_option)
		return db_option;
	const char *env = getenv("BIOEX_DB");
	return env && *env ? env : "./var/bioex.db";
}

void bx_cli_resource(const char *name, char *out, size_t size)
{
	char exe[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
	if (n > 0) {
		exe[n] = '\0';
		snprintf(out, size, "%s/%s", dirname(exe), name);
		if (access(out, F_OK) == 0)
			return;
	}
	snprintf(out, size, "%s", name);
}

int bx_cli_read_password(const char *command, const char *path, char *out, size_t size)
{
	FILE *in = path ? fopen(path, "r") : stdin;
	if (!in)
		return bx_cli_fail("%s: cannot read %s", command, path);
	if (!path && isatty(STDIN_FILENO))
		fprintf(stderr, "password: ");
	bool ok = fgets(out, (int)size, in) != NULL;
	if (in != stdin)
		fclose(in);
	if (!ok)
		return bx_cli_fail("%s: no password given (standard input or --password-file)", command);
	out[strcspn(out, "\r\n")] = '\0';
	if (strlen(out) >= size - 1)
		return bx_cli_fail("%s: a password has at most %zu bytes", command, size - 2);
	return 0;
}
