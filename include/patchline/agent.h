/*
 * agent.h - patchline-agent (docs/agent.md): a separate small binary that
 * enrols a host with a server and runs its jobs with the local executor.
 * It links collection, the executor and the fleet wire format, never the
 * server.
 */
#ifndef PATCHLINE_AGENT_H
#define PATCHLINE_AGENT_H

#define PL_AGENT_VERSION "0.1.0"

/* The whole program: `enroll` or `run`; returns the exit status. */
int pl_agent_main(int argc, char **argv);

#endif /* PATCHLINE_AGENT_H */
