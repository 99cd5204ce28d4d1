/*
 * cli.h - the `patchline` command, as a library so that tests can link it.
 */
#ifndef PATCHLINE_CLI_H
#define PATCHLINE_CLI_H

/* Exit codes of every command. */
#define PL_EXIT_OK    0 /* success */
#define PL_EXIT_ERROR 1 /* the tool itself failed */
#define PL_EXIT_USAGE 2 /* bad arguments */
#define PL_EXIT_CHECK 3 /* it worked, and a check the user asked for failed */

/* Run the command line; returns the exit code. Writes to stdout and stderr. */
int pl_cli_main(int argc, char **argv);

#endif /* PATCHLINE_CLI_H */
