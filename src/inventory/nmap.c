/*
 * nmap.c - Nmap XML (`nmap -oX`): one asset per host that was up (hosts
 * that were down are counted as skipped), with its addresses (private ones
 * in the --scope network scope), MAC, hostnames, open ports and the
 * services behind them with their CPEs (stored for matching), and the best
 * OS guess. Hosts are streamed one <host> tree at a time.
 */
#include <stdlib.h>
#include <string.h>

#include "patchline/log.h"
#include "patchline/parse.h"
#include "patchline/xml.h"

#include "import_int.h"

#define NMAP_MAX_SERVICES 65536
#define NMAP_MAX_CPES     64

struct nmap_ctx {
    struct pl_store *s;
    const struct pl_inv_import_opts *opts;
    struct pl_inv_import_stats *stats;
    const char *path;
    struct pl__obs b;
    struct pl_service *svc;
    size_t n_svc;
    const char *os_cpes[NMAP_MAX_CPES];
    size_t n_os_cpes;
    const char *public_ip;
    const char *first_ip;
};

static const char *kind_of_class(const char *type)
{
    static const char *const net[] = {
        "router",           "switch",          "firewall", "WAP",
        "broadband router", "bridge",          "hub",      "load balancer",
        "proxy server",     "terminal server", "printer"};

    for (size_t i = 0; type && i < PL_ARRAY_LEN(net); i++)
        if (pl_strcasecmp(type, net[i]) == 0)
            return "network-device";
    return NULL;
}

static pl_status host_addresses(struct nmap_ctx *c, const struct pl_xml_node *h,
                                struct pl_error *err)
{
    const char *scope = c->opts ? c->opts->scope : NULL;

    for (const struct pl_xml_node *a = pl_xml_child(h, "address"); a;
         a = pl_xml_sibling(a, "address")) {
        const char *addr = pl_xml_node_attr(a, "addr"), *type = pl_xml_node_attr(a, "addrtype");
        int pub;

        if (addr == NULL || type == NULL)
            return pl_error_set(err, PL_E_PARSE,
                                "%s:%lu: element 'address': attribute '%s' missing", c->path,
                                a->line, addr ? "addrtype" : "addr");
        if (strcmp(type, "mac") == 0) {
            pl__inventory_obs_id(&c->b, "mac", addr, NULL);
            pl__inventory_obs_tag(&c->b, "mac-vendor", pl_xml_node_attr(a, "vendor"));
            continue;
        }
        if ((pub = pl__inventory_obs_ip(&c->b, addr, scope)) < 0) /* e.g. a redacted "IP" */
            pl_log(PL_LOG_WARN, "nmap",
                   "%s:%lu: element 'address': %s address '%.64s' is no IP "
                   "address; not used to match",
                   c->path, a->line, type, addr);
        if (strlen(addr) > 255)
            return pl_error_set(err, PL_E_TOOBIG,
                                "%s:%lu: element 'address': longer than 255 bytes", c->path,
                                a->line);
        if (c->first_ip == NULL)
            c->first_ip = pl__inventory_obs_printf(&c->b, "%s", addr);
        if (pub == 1 && c->public_ip == NULL)
            c->public_ip = pl__inventory_obs_printf(&c->b, "%s", addr);
    }
    return PL_OK;
}

static pl_status host_names(struct nmap_ctx *c, const struct pl_xml_node *h, struct pl_error *err)
{
    const struct pl_xml_node *hn = pl_xml_child(h, "hostnames");
    pl_status rc = PL_OK;

    for (const struct pl_xml_node *n = pl_xml_child(hn, "hostname"); rc == PL_OK && n;
         n = pl_xml_sibling(n, "hostname")) {
        const char *name = NULL;

        if ((rc = pl__inventory_obs_str(&c->b, "hostname", pl_xml_node_attr(n, "name"), &name,
                                        err)) != PL_OK)
            break;
        pl__inventory_obs_id(&c->b, "fqdn", name, NULL);
        if (name && c->b.o.fallback_name == NULL)
            c->b.o.fallback_name = name;
    }
    return rc;
}

/* CPE children of n into out[*n_out] (bounded). */
static pl_status cpes_of(struct nmap_ctx *c, const struct pl_xml_node *n, const char **out,
                         size_t *n_out, struct pl_error *err)
{
    for (const struct pl_xml_node *e = pl_xml_child(n, "cpe"); e; e = pl_xml_sibling(e, "cpe")) {
        const char *v = NULL;
        pl_status rc = pl__inventory_obs_str(&c->b, "cpe", e->text, &v, err);

        if (rc != PL_OK)
            return rc;
        if (v && v[0] && *n_out < NMAP_MAX_CPES)
            out[(*n_out)++] = v;
    }
    return PL_OK;
}

static pl_status one_port(struct nmap_ctx *c, const struct pl_xml_node *p, struct pl_error *err)
{
    const char *portid = pl_xml_node_attr(p, "portid");
    const char *state = pl_xml_node_attr(pl_xml_child(p, "state"), "state");
    const struct pl_xml_node *sv = pl_xml_child(p, "service");
    struct pl_service *v;
    const char **cpes;
    size_t n_cpes = 0;
    int64_t port = -1;
    pl_status rc;

    if (portid == NULL || pl_parse_i64(portid, &port, NULL) != PL_OK || port < 0 || port > 65535)
        return pl_error_set(err, PL_E_PARSE, "%s:%lu: element 'port': bad portid '%.32s'", c->path,
                            p->line, portid ? portid : "");
    if (state == NULL || strcmp(state, "open") != 0)
        return PL_OK;
    if (c->n_svc == NMAP_MAX_SERVICES)
        return pl_error_set(err, PL_E_TOOBIG, "%s:%lu: more than %d open ports", c->path, p->line,
                            NMAP_MAX_SERVICES);
    v = &c->svc[c->n_svc];
    memset(v, 0, sizeof(*v));
    v->port = (int)port;
    v->state = "open";
    cpes = pl_arena_alloc(&c->b.arena, NMAP_MAX_CPES * sizeof(*cpes));
    if (cpes == NULL)
        return pl_error_set(err, PL_E_TOOBIG, "%s:%lu: host too large", c->path, p->line);
    if ((rc = pl__inventory_obs_str(&c->b, "protocol", pl_xml_node_attr(p, "protocol"),
                                    &v->protocol, err)) != PL_OK ||
        (rc = pl__inventory_obs_str(&c->b, "service", pl_xml_node_attr(sv, "name"), &v->service,
                                    err)) != PL_OK ||
        (rc = pl__inventory_obs_str(&c->b, "product", pl_xml_node_attr(sv, "product"), &v->product,
                                    err)) != PL_OK ||
        (rc = pl__inventory_obs_str(&c->b, "version", pl_xml_node_attr(sv, "version"), &v->version,
                                    err)) != PL_OK ||
        (rc = pl__inventory_obs_str(&c->b, "extrainfo", pl_xml_node_attr(sv, "extrainfo"),
                                    &v->extrainfo, err)) != PL_OK ||
        (rc = cpes_of(c, sv, cpes, &n_cpes, err)) != PL_OK)
        return rc;
    if (v->protocol == NULL)
        v->protocol = "tcp";
    v->cpes = cpes;
    v->n_cpes = n_cpes;
    c->n_svc++;
    return PL_OK;
}

static pl_status host_ports(struct nmap_ctx *c, const struct pl_xml_node *h, struct pl_error *err)
{
    const struct pl_xml_node *ports = pl_xml_child(h, "ports");
    pl_status rc = PL_OK;

    for (const struct pl_xml_node *p = pl_xml_child(ports, "port"); rc == PL_OK && p;
         p = pl_xml_sibling(p, "port"))
        rc = one_port(c, p, err);
    return rc;
}

/* The osclass with the highest accuracy among n's children. */
static const struct pl_xml_node *best_of(const struct pl_xml_node *n, const char *name)
{
    const struct pl_xml_node *best = NULL;
    int64_t best_acc = -1, acc;

    for (const struct pl_xml_node *m = pl_xml_child(n, name); m; m = pl_xml_sibling(m, name)) {
        const char *a = pl_xml_node_attr(m, "accuracy");

        if (a == NULL || pl_parse_i64(a, &acc, NULL) != PL_OK)
            acc = 0;
        if (acc > best_acc) {
            best = m;
            best_acc = acc;
        }
    }
    return best;
}

static pl_status host_os(struct nmap_ctx *c, const struct pl_xml_node *h, struct pl_error *err)
{
    const struct pl_xml_node *os = pl_xml_child(h, "os");
    const struct pl_xml_node *match = best_of(os, "osmatch");
    const struct pl_xml_node *cls = best_of(match, "osclass");
    const char *family = NULL, *gen = NULL, *name = NULL;
    pl_status rc;

    if (cls == NULL)
        cls = best_of(os, "osclass"); /* nmap 5: osclass beside osmatch */
    if ((rc = pl__inventory_obs_str(&c->b, "osmatch", pl_xml_node_attr(match, "name"), &name,
                                    err)) != PL_OK ||
        (rc = pl__inventory_obs_str(&c->b, "osfamily", pl_xml_node_attr(cls, "osfamily"), &family,
                                    err)) != PL_OK ||
        (rc = pl__inventory_obs_str(&c->b, "osgen", pl_xml_node_attr(cls, "osgen"), &gen, err)) !=
            PL_OK ||
        (rc = cpes_of(c, cls, c->os_cpes, &c->n_os_cpes, err)) != PL_OK)
        return rc;
    if (family) {
        char *f = pl__inventory_obs_printf(&c->b, "%s", family);

        for (char *p = f; p && *p; p++)
            if (*p >= 'A' && *p <= 'Z')
                *p = (char)(*p - 'A' + 'a');
        c->b.o.os_family = f;
    }
    c->b.o.os_name = name;
    c->b.o.os_version = gen;
    c->b.o.kind = kind_of_class(pl_xml_node_attr(cls, "type"));
    return PL_OK;
}

static void host_exposure(struct nmap_ctx *c)
{
    struct pl_buf ports = PL_BUF_INIT(200);

    if (c->public_ip == NULL || c->n_svc == 0)
        return;
    for (size_t i = 0; i < c->n_svc && i < 8; i++)
        pl_buf_addf(&ports, "%s%d/%s", i ? ", " : "", c->svc[i].port, c->svc[i].protocol);
    if (c->n_svc > 8)
        pl_buf_adds(&ports, ", ...");
    c->b.o.exposure = "yes";
    c->b.o.exposure_evidence = pl__inventory_obs_printf(
        &c->b, "public IP %s with open ports %s (nmap)", c->public_ip, pl_buf_cstr(&ports));
    pl_buf_release(&ports);
}

static pl_status on_host(const struct pl_xml_node *h, uint64_t index, void *data,
                         struct pl_error *err)
{
    struct nmap_ctx *c = data;
    const char *state = pl_xml_node_attr(pl_xml_child(h, "status"), "state");
    const char *scope = c->opts && c->opts->scope ? c->opts->scope : "default";
    int64_t asset;
    pl_status rc;

    (void)index;
    c->stats->records++;
    pl__inventory_obs_reset(&c->b, pl_clock_now(), "%s:%lu: host: ", c->path, h->line);
    c->n_svc = c->n_os_cpes = 0;
    c->public_ip = c->first_ip = NULL;
    if (state == NULL || strcmp(state, "up") != 0) {
        c->stats->skipped++;
        return PL_OK;
    }
    if ((rc = host_addresses(c, h, err)) != PL_OK || (rc = host_names(c, h, err)) != PL_OK ||
        (rc = host_ports(c, h, err)) != PL_OK || (rc = host_os(c, h, err)) != PL_OK)
        return rc;
    if (c->first_ip == NULL && c->b.o.n_ids == 0)
        return pl_error_set(err, PL_E_PARSE, "%sno address", c->b.where);
    c->b.o.source_key = c->first_ip ? pl__inventory_obs_printf(&c->b, "%s/%s", scope, c->first_ip)
                                    : c->b.ids[0].value;
    if (c->b.o.fallback_name == NULL)
        c->b.o.fallback_name = c->first_ip ? c->first_ip : c->b.ids[0].value;
    host_exposure(c);
    if ((rc = pl__inventory_obs_commit(c->s, &c->b, c->stats, &asset, err)) != PL_OK)
        return rc;
    rc = pl_store_asset_services_sync(c->s, asset, "nmap", c->svc, c->n_svc, c->os_cpes,
                                      c->n_os_cpes, c->b.o.seen, err);
    return rc == PL_OK ? PL_OK : pl_error_prefix(err, "%s:%lu: host", c->path, h->line);
}

pl_status pl__inventory_import_nmap(struct pl_store *s, struct pl_reader *r,
                                    const struct pl_inv_import_opts *opts,
                                    struct pl_inv_import_stats *stats, struct pl_error *err)
{
    struct nmap_ctx c = {.s = s, .opts = opts, .stats = stats, .path = pl_reader_path(r)};
    struct pl_xml *x = NULL;
    bool found = false;
    pl_status rc;

    if ((rc = pl_xml_open(r, NULL, &x, err)) != PL_OK)
        return rc;
    rc = pl_xml_next(x, NULL, &found, err);
    if (rc == PL_OK && (!found || strcmp(pl_xml_name(x), "nmaprun") != 0))
        rc = pl_error_set(err, PL_E_PARSE,
                          "%s:%lu: not Nmap XML (root element '%s', want 'nmaprun')", c.path,
                          pl_xml_line(x), found ? pl_xml_name(x) : "");
    if (rc == PL_OK) {
        c.svc = pl_xcalloc(NMAP_MAX_SERVICES, sizeof(*c.svc));
        pl__inventory_obs_init(&c.b, "nmap");
        rc = pl_xml_each(x, "host", on_host, &c, NULL, err);
        pl__inventory_obs_release(&c.b);
        free(c.svc);
    }
    pl_xml_close(x);
    return rc;
}
