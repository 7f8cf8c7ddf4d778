/* bioex: the program's entry point and its table of commands. */
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include "cli/commands.h"

static const struct bx_command commands[] = {
	{"init", "--node SLUG [--name NAME]", "Create a database and load the vocabularies and formats.", bx_cmd_init},
	{"serve", "[--listen ADDR:PORT]", "Serve the HTTP API.", bx_cmd_serve},
	{"import", "FILE...", "Import records from NDJSON or JSON array files, all or nothing.", bx_cmd_import},
	{"export", "[--format ndjson|csv] [--out FILE]", "Export every published record.", bx_cmd_export},
	{"search", "QUERY [--type T] [--country ISO] ...", "Search as the API does, and print the results.", bx_cmd_search},
	{"harvest", "[URL] [--peer SLUG] [--set S] [--from D] [--page-size N]",
	 "Harvest a bioex node or an OAI-PMH endpoint now (a registered peer resumes from its cursor).", bx_cmd_harvest},
	{"push", "URL --user NAME [--password-file FILE]",
	 "Send this node's changes since the last push to a central node (an account of role node there).", bx_cmd_push},
	{"user", "add NAME --role ROLE [--country CC] [--instrument X] | list | disable NAME | enable NAME | password NAME",
	 "Manage accounts. Passwords are read from standard input or --password-file.", bx_cmd_user},
	{"vocab", "load [DIR]", "Reload the vocabularies (DIR/data/vocab) and formats (DIR/formats); DIR defaults to\n"
	 "           where the program is.", bx_cmd_vocab},
	{"backup", "OUT", "Write a consistent copy of the database to OUT, while it serves.", bx_cmd_backup},
	{"check", "", "Check the database's integrity and bioex's invariants.", bx_cmd_check},
};

static void usage(FILE *out)
{
	fprintf(out, "usage: bioex COMMAND [OPTIONS]\n\ncommands:\n");
	for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
		fprintf(out, "  %-8s %s\n", commands[i].name, commands[i].summary);
	fprintf(out, "\nbioex COMMAND --help shows a command's options.\n");
}

int main(int argc, char **argv)
{
	if (sodium_init() < 0) {
		fprintf(stderr, "bioex: cannot initialize libsodium\n");
		return 1;
	}
	if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "help")) {
		usage(argc < 2 ? stderr : stdout);
		return argc < 2 ? 2 : 0;
	}
	for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
		if (!strcmp(argv[1], commands[i].name))
			return commands[i].run(&commands[i], argc - 1, argv + 1);
	fprintf(stderr, "bioex: unknown command '%s'\n", argv[1]);
	usage(stderr);
	return 2;
}
