/*
 * agent_main.c - the patchline-agent binary: everything lives in src/agent.
 */
#include "patchline/agent.h"

int main(int argc, char **argv)
{
    return pl_agent_main(argc, argv);
}
