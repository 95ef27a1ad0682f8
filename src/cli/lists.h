/*
 * lists.h - the `lists` subcommands.
 */
#ifndef EMB_CLI_LISTS_H
#define EMB_CLI_LISTS_H

int cmd_lists_inspect(int argc, char **argv);
int cmd_lists_export(int argc, char **argv);
int cmd_lists_diff(int argc, char **argv);

#endif
