/*
 * main.c - the `embargo` command: dispatch to subcommands.
 *
 * Exit status, for every command: 0 success (warnings allowed); 1 when input errors
 * lost records or a file could not be read; 2 for a wrong command line.
 */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"

static void usage(FILE *out) {
  fputs("usage: embargo <command> [options]\n"
        "\n"
        "Commands:\n"
        "  lists inspect [--json] PATH...       counts and problems of list files\n"
        "  lists export --format ftm|csv [-o FILE] PATH...\n"
        "                                       write normalised entities\n"
        "  lists diff [--json] OLD NEW          entities added, removed and changed\n"
        "  lists formats                        the list formats embargo reads\n"
        "  match --list PATH... [--limit N] [--threshold T] [--schema S]\n"
        "        [--birth-date D] [--nationality C] [--gender G] NAME\n"
        "  match --list PATH... --queries FILE.csv\n"
        "                                       screen names against lists (JSON lines)\n"
        "  compare [--list PATH...] --pairs FILE.csv\n"
        "                                       score name pairs (CSV with score, match)\n"
        "  screen [--list PATH...] [--controls FILE...] [--rules FILE] [--map FILE]\n"
        "         [--format jsonl|csv] [--report FILE.html] [--on-error skip|keep|stop]\n"
        "         RECORDS                       screen trade records: parties, goods, routes\n"
        "  generate [--list PATH...] [--records N] [--seed S] [--violations RATE]\n"
        "           [--format csv|jsonl] [-o FILE] [--truth FILE]\n"
        "                                       synthetic trade records with planted violations\n"
        "  version                              print the version\n"
        "  help                                 this text\n"
        "\n"
        "PATH is a file or a directory (a file set), optionally FORMAT:PATH to force\n"
        "a format; --list PATH may be used instead of a bare PATH. .gz and .zip are\n"
        "read as published.\n"
        "\n"
        "Exit status: 0 success, 1 input errors, 2 wrong command line.\n",
        out);
}

int main(int argc, char **argv) {
  if (argc < 2)
    return usage(stderr), EXIT_USAGE;
  const char *cmd = argv[1];
  if (!strcmp(cmd, "help") || !strcmp(cmd, "--help") || !strcmp(cmd, "-h")) {
    usage(stdout);
    return EXIT_OK;
  }
  if (!strcmp(cmd, "version") || !strcmp(cmd, "--version")) {
    printf("embargo %s\n", EMB_VERSION);
    return EXIT_OK;
  }
  if (!strcmp(cmd, "lists"))
    return cmd_lists(argc - 2, argv + 2);
  if (!strcmp(cmd, "match"))
    return cmd_match(argc - 2, argv + 2);
  if (!strcmp(cmd, "compare"))
    return cmd_compare(argc - 2, argv + 2);
  if (!strcmp(cmd, "screen"))
    return cmd_screen(argc - 2, argv + 2);
  if (!strcmp(cmd, "generate"))
    return cmd_generate(argc - 2, argv + 2);
  return cli_usage_error("unknown command '%s'", cmd);
}
