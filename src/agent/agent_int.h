/*
 * agent_int.h - private to src/agent (patchline-agent): its state folder,
 * the HTTP client with the pinned server key, and the loop.
 */
#ifndef PATCHLINE_AGENT_INT_H
#define PATCHLINE_AGENT_INT_H

#include <stdbool.h>
#include <stdint.h>

#include "patchline/buf.h"
#include "patchline/error.h"
#include "patchline/fleet.h"

#define PL_AGENT_STATE_DEFAULT  "/var/lib/patchline-agent"
#define PL_AGENT_CONFIG_DEFAULT "/etc/patchline/agent.conf"
#define PL_AGENT_REPLY_MAX      ((size_t)4 * 1024 * 1024)
#define PL_AGENT_PIN_MAX        128
#define PL_AGENT_BACKOFF_MAX_S  3600

/* Exit statuses, as the patchline CLI's: 0 done, 1 failed, 2 bad arguments. */
#define PL_AGENT_EXIT_OK    0
#define PL_AGENT_EXIT_ERROR 1
#define PL_AGENT_EXIT_USAGE 2

/* What enrolment leaves in STATE/credential (0600, the agent's own user). */
struct pl__agent_cred {
    char server[512];
    char host[PL_FLEET_HOST_MAX + 1];
    char credential[PL_FLEET_TOKEN_LEN + 1];
    char pin[PL_AGENT_PIN_MAX]; /* "sha256//BASE64" of the server's key; "" for loopback http */
    char ca_file[512];          /* the CA bundle enrolment trusted ("" : the system's) */
};

/* ---- http.c ----------------------------------------------------------------- */

struct pl__agent_http {
    const char *server; /* base URL */
    const char *bearer;
    const char *pin;     /* NULL or "": no pin */
    const char *ca_file; /* NULL or "": the system's CA store */
};

/*
 * One request: method GET or POST (body JSON), path under the server.
 * *status gets the HTTP status; out the reply. PL_E_IO when the server could
 * not be reached (nothing was answered), naming curl's reason.
 */
PL_NODISCARD pl_status pl__agent_http(const struct pl__agent_http *h, const char *method,
                                      const char *path, const char *body, long *status,
                                      struct pl_buf *out, struct pl_error *err);
/*
 * Reach the server once and read the public key of its certificate as a
 * curl pin ("sha256//BASE64", pin PL_AGENT_PIN_MAX bytes). http URLs give "".
 * Refuses http to anything but loopback.
 */
PL_NODISCARD pl_status pl__agent_http_pin(const char *server, const char *ca_file, char *pin,
                                          struct pl_error *err);
/* The server URL is acceptable: https, or http on loopback. */
PL_NODISCARD pl_status pl__agent_url_check(const char *server, struct pl_error *err);

/* ---- state.c ---------------------------------------------------------------- */

/* Write STATE/credential (0600) atomically. */
PL_NODISCARD pl_status pl__agent_cred_save(const char *state, const struct pl__agent_cred *c,
                                           struct pl_error *err);
/* Read it back; refuses a file others may read or write, or another owner. */
PL_NODISCARD pl_status pl__agent_cred_load(const char *state, struct pl__agent_cred *c,
                                           struct pl_error *err);
/* Make the state folder (0700) when missing; refuse one others may write or read. */
PL_NODISCARD pl_status pl__agent_state_dir(const char *state, struct pl_error *err);
/* Write path (mode 0600) atomically: a temporary file renamed over it. */
PL_NODISCARD pl_status pl__agent_write(const char *path, const char *data, size_t len,
                                       struct pl_error *err);

/* ---- run.c ------------------------------------------------------------------ */

struct pl__agent_run_opts {
    const char *state, *root, *config;
    bool once;
    long interval_s;
};
int pl__agent_run(const struct pl__agent_run_opts *o);

#endif /* PATCHLINE_AGENT_INT_H */
