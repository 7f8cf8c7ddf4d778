/* The commands of the command line, one function each (table in main.c). */
#ifndef BX_COMMANDS_H
#define BX_COMMANDS_H

#include "cli/cli.h"

int bx_cmd_init(const struct bx_command *self, int argc, char **argv);
int bx_cmd_serve(const struct bx_command *self, int argc, char **argv);
int bx_cmd_import(const struct bx_command *self, int argc, char **argv);
int bx_cmd_export(const struct bx_command *self, int argc, char **argv);
int bx_cmd_search(const struct bx_command *self, int argc, char **argv);
int bx_cmd_harvest(const struct bx_command *self, int argc, char **argv);
int bx_cmd_push(const struct bx_command *self, int argc, char **argv);
int bx_cmd_user(const struct bx_command *self, int argc, char **argv);
int bx_cmd_vocab(const struct bx_command *self, int argc, char **argv);
int bx_cmd_backup(const struct bx_command *self, int argc, char **argv);
int bx_cmd_check(const struct bx_command *self, int argc, char **argv);

#endif
