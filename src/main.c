/*
 * main.c - the patchline binary: everything lives in the CLI library.
 */
#include "patchline/cli.h"

int main(int argc, char **argv)
{
    return pl_cli_main(argc, argv);
}
