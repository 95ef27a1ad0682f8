/*
 * lists.c - `embargo lists ...`: dispatch, and `lists formats`.
 */
#include <string.h>

#include "cli/cli.h"
#include "cli/lists.h"

static int cmd_formats(void) {
  for (const emb_format_info *f = emb_formats(); f->name; f++)
    printf("%-18s %s\n", f->name, f->description);
  return EXIT_OK;
}

int cmd_lists(int argc, char **argv) {
  if (argc < 1)
    return cli_usage_error("'lists' needs a subcommand: inspect, export, diff or formats");
  const char *sub = argv[0];
  if (!strcmp(sub, "inspect"))
    return cmd_lists_inspect(argc - 1, argv + 1);
  if (!strcmp(sub, "export"))
    return cmd_lists_export(argc - 1, argv + 1);
  if (!strcmp(sub, "diff"))
    return cmd_lists_diff(argc - 1, argv + 1);
  if (!strcmp(sub, "formats"))
    return cmd_formats();
  return cli_usage_error("unknown subcommand 'lists %s'", sub);
}
