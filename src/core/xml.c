/*
 * xml.c - the XML front door: libxml2's text reader fed from a pl_reader.
 *
 * The reader never loads a DTD or anything from the network and never
 * substitutes entities: a reference to a declared entity is refused, so
 * expansion attacks cannot start. Trees are built in an arena that is
 * reset on every move; attribute strings fetched with pl_xml_attr are kept
 * in a small list freed on every move.
 */
#include "patchline/xml.h"

#include <libxml/xmlreader.h>
#include <stdlib.h>
#include <string.h>

#include "patchline/arena.h"
#include "patchline/buf.h"

#define XML_ATTR_KEEP 32

struct pl_xml {
    xmlTextReaderPtr rd;
    struct pl_reader *in;
    size_t max_depth, max_text, max_tree;
    struct pl_arena arena;
    char *name;                    /* current element's local name (owned) */
    int depth;                     /* current element's depth */
    bool on_element;               /* positioned on an element start */
    xmlChar *attrs[XML_ATTR_KEEP]; /* strings handed out by pl_xml_attr */
    size_t n_attrs;
    /* the first error seen by a callback */
    pl_status io_rc;
    struct pl_error io_err;
    char parse_msg[160];
    int parse_line;
    bool have_parse_err;
    bool parse_huge;   /* libxml2's own limit on one item */
    bool in_eof;       /* the input has no more bytes */
    const char **open; /* names of the open elements (the reader's dictionary) */
    size_t open_elements;
};

static int xml_read_cb(void *ctx, char *buf, int len)
{
    struct pl_xml *x = ctx;
    size_t n = 0;

    if (x->io_rc != PL_OK)
        return -1;
    x->io_rc = pl_reader_read(x->in, buf, (size_t)len, &n, &x->io_err);
    x->in_eof = x->io_rc == PL_OK && n == 0;
    return x->io_rc == PL_OK ? (int)n : -1;
}

static int xml_close_cb(void *ctx)
{
    (void)ctx; /* the caller owns the pl_reader */
    return 0;
}

static void xml_error_cb(void *ctx, xmlErrorPtr e)
{
    struct pl_xml *x = ctx;
    size_t n;

    if (x->have_parse_err || e == NULL || e->level < XML_ERR_ERROR)
        return;
    x->have_parse_err = true;
    x->parse_line = e->line;
    x->parse_huge = e->code == XML_ERR_INTERNAL_ERROR && e->message &&
                    strstr(e->message, "Huge input lookup") != NULL;
    if (snprintf(x->parse_msg, sizeof(x->parse_msg), "%s", e->message ? e->message : "error") < 0)
        x->parse_msg[0] = '\0';
    n = strlen(x->parse_msg);
    while (n > 0 && (x->parse_msg[n - 1] == '\n' || x->parse_msg[n - 1] == ' '))
        x->parse_msg[--n] = '\0';
}

const char *pl_xml_path(const struct pl_xml *x)
{
    return pl_reader_path(x->in);
}

unsigned long pl_xml_line(const struct pl_xml *x)
{
    xmlNodePtr node = xmlTextReaderCurrentNode(x->rd);
    long l = node ? xmlGetLineNo(node) : -1;

    if (l <= 0)
        l = xmlTextReaderGetParserLineNumber(x->rd);
    return l > 0 ? (unsigned long)l : 0;
}

/* The error after xmlTextReaderRead returned -1. */
static pl_status read_failed(struct pl_xml *x, struct pl_error *err)
{
    if (x->io_rc != PL_OK) {
        if (err)
            *err = x->io_err;
        return x->io_rc;
    }
    if (x->in_eof && pl_reader_offset(x->in) == 0)
        return pl_error_set(err, PL_E_PARSE, "%s: empty document", pl_xml_path(x));
    if (x->parse_huge)
        return pl_error_set(err, PL_E_TOOBIG, "%s:%d: an item exceeds the XML parser's size limit",
                            pl_xml_path(x), x->parse_line);
    if (x->in_eof && x->open_elements > 0)
        return pl_error_set(err, PL_E_PARSE,
                            "%s:%lu: truncated XML: input ends inside element '%s'", pl_xml_path(x),
                            pl_xml_line(x), x->open[x->open_elements - 1]);
    if (x->have_parse_err)
        return pl_error_set(err, PL_E_PARSE, "%s:%d: malformed XML: %s", pl_xml_path(x),
                            x->parse_line, x->parse_msg);
    return pl_error_set(err, PL_E_PARSE, "%s:%lu: malformed XML", pl_xml_path(x), pl_xml_line(x));
}

pl_status pl_xml_open(struct pl_reader *r, const struct pl_xml_opts *opts, struct pl_xml **out,
                      struct pl_error *err)
{
    struct pl_xml *x = calloc(1, sizeof(*x));

    *out = NULL;
    if (x == NULL)
        return pl_error_set(err, PL_E_NOMEM, "%s: out of memory", pl_reader_path(r));
    x->in = r;
    x->max_depth = opts && opts->max_depth ? opts->max_depth : PL_MAX_XML_DEPTH;
    x->max_text = opts && opts->max_text ? opts->max_text : PL_MAX_XML_TEXT_BYTES;
    x->max_tree = opts && opts->max_tree ? opts->max_tree : PL_MAX_XML_TREE_BYTES;
    pl_arena_init(&x->arena, x->max_tree);
    x->depth = -1;
    x->open = calloc(x->max_depth + 1, sizeof(*x->open));
    x->rd = xmlReaderForIO(xml_read_cb, xml_close_cb, x, NULL, NULL,
                           XML_PARSE_NONET | XML_PARSE_BIG_LINES);
    if (x->rd == NULL || x->open == NULL) {
        xmlFreeTextReader(x->rd);
        free(x->open);
        pl_arena_release(&x->arena);
        free(x);
        return pl_error_set(err, PL_E_NOMEM, "%s: cannot start the XML reader", pl_reader_path(r));
    }
    xmlTextReaderSetStructuredErrorHandler(x->rd, xml_error_cb, x);
    *out = x;
    return PL_OK;
}

static void drop_attrs(struct pl_xml *x)
{
    for (size_t i = 0; i < x->n_attrs; i++)
        xmlFree(x->attrs[i]);
    x->n_attrs = 0;
}

void pl_xml_close(struct pl_xml *x)
{
    if (x == NULL)
        return;
    drop_attrs(x);
    xmlFreeTextReader(x->rd);
    pl_arena_release(&x->arena);
    free(x->open);
    free(x->name);
    free(x);
}

const char *pl_xml_name(const struct pl_xml *x)
{
    return x->on_element ? x->name : NULL;
}

int pl_xml_depth(const struct pl_xml *x)
{
    return x->depth;
}

/* Check the current node against the caps and refuse entity references. */
static pl_status check_node(struct pl_xml *x, int type, struct pl_error *err)
{
    int depth = xmlTextReaderDepth(x->rd);
    const xmlChar *v;

    if (depth >= 0 && (size_t)depth >= x->max_depth)
        return pl_error_set(err, PL_E_TOOBIG, "%s:%lu: elements nested deeper than %zu",
                            pl_xml_path(x), pl_xml_line(x), x->max_depth);
    if (type == XML_READER_TYPE_ENTITY_REFERENCE)
        return pl_error_set(err, PL_E_PARSE, "%s:%lu: entity reference '&%s;' not allowed",
                            pl_xml_path(x), pl_xml_line(x),
                            (const char *)xmlTextReaderConstName(x->rd));
    if (type == XML_READER_TYPE_TEXT || type == XML_READER_TYPE_CDATA) {
        v = xmlTextReaderConstValue(x->rd);
        if (v && strlen((const char *)v) > x->max_text)
            return pl_error_set(err, PL_E_TOOBIG, "%s:%lu: text exceeds %zu bytes", pl_xml_path(x),
                                pl_xml_line(x), x->max_text);
    }
    return PL_OK;
}

/* Check every attribute value of the current element against the text cap. */
static pl_status check_attrs(struct pl_xml *x, struct pl_error *err)
{
    pl_status rc = PL_OK;

    while (rc == PL_OK && xmlTextReaderMoveToNextAttribute(x->rd) == 1) {
        const xmlChar *v = xmlTextReaderConstValue(x->rd);

        if (v && strlen((const char *)v) > x->max_text)
            rc = pl_error_set(err, PL_E_TOOBIG,
                              "%s:%lu: element '%s': attribute '%s' exceeds %zu bytes",
                              pl_xml_path(x), pl_xml_line(x), x->name,
                              (const char *)xmlTextReaderConstLocalName(x->rd), x->max_text);
    }
    xmlTextReaderMoveToElement(x->rd);
    return rc;
}

/* One step of the underlying reader: 1 a node, 0 the end. */
static pl_status step(struct pl_xml *x, int *got, int *type, struct pl_error *err)
{
    int r = xmlTextReaderRead(x->rd);
    pl_status rc;

    if (r < 0)
        return read_failed(x, err);
    *got = r;
    *type = r ? xmlTextReaderNodeType(x->rd) : 0;
    if (r == 0)
        return PL_OK;
    if ((rc = check_node(x, *type, err)) != PL_OK)
        return rc;
    if (*type == XML_READER_TYPE_ELEMENT && !xmlTextReaderIsEmptyElement(x->rd))
        x->open[x->open_elements++] = (const char *)xmlTextReaderConstLocalName(x->rd);
    else if (*type == XML_READER_TYPE_END_ELEMENT && x->open_elements > 0)
        x->open_elements--;
    return PL_OK;
}

static pl_status set_current(struct pl_xml *x, struct pl_error *err)
{
    const xmlChar *ln = xmlTextReaderConstLocalName(x->rd);

    free(x->name);
    x->name = strdup(ln ? (const char *)ln : "");
    if (x->name == NULL)
        return pl_error_set(err, PL_E_NOMEM, "%s: out of memory", pl_xml_path(x));
    x->depth = xmlTextReaderDepth(x->rd);
    x->on_element = true;
    return check_attrs(x, err);
}

pl_status pl_xml_next(struct pl_xml *x, const char *name, bool *found, struct pl_error *err)
{
    int got = 0, type = 0;
    pl_status rc;

    *found = false;
    drop_attrs(x);
    pl_arena_reset(&x->arena);
    x->on_element = false;
    for (;;) {
        if ((rc = step(x, &got, &type, err)) != PL_OK)
            return rc;
        if (!got)
            return PL_OK;
        if (type != XML_READER_TYPE_ELEMENT)
            continue;
        if (name == NULL || strcmp((const char *)xmlTextReaderConstLocalName(x->rd), name) == 0) {
            *found = true;
            return set_current(x, err);
        }
    }
}

const char *pl_xml_attr(struct pl_xml *x, const char *name)
{
    xmlChar *v;

    if (!x->on_element || x->n_attrs == XML_ATTR_KEEP)
        return NULL;
    v = xmlTextReaderGetAttribute(x->rd, (const xmlChar *)name);
    if (v != NULL)
        x->attrs[x->n_attrs++] = v;
    return (const char *)v;
}

/* Tree building state. */
struct tree {
    struct pl_xml_node **stack;
    struct pl_buf *texts;
    int top;
};

static pl_status tree_full(struct pl_xml *x, const char *what, struct pl_error *err)
{
    return pl_error_set(err, PL_E_TOOBIG, "%s:%lu: element '%s' exceeds %zu bytes", pl_xml_path(x),
                        pl_xml_line(x), what, x->max_tree);
}

static pl_status make_attrs(struct pl_xml *x, struct pl_xml_node *n, struct pl_error *err)
{
    struct pl_xml_attr *last = NULL;

    while (xmlTextReaderMoveToNextAttribute(x->rd) == 1) {
        const char *an = (const char *)xmlTextReaderConstLocalName(x->rd);
        const char *av = (const char *)xmlTextReaderConstValue(x->rd);
        struct pl_xml_attr *a = pl_arena_alloc(&x->arena, sizeof(*a));
        size_t vn = av ? strlen(av) : 0;

        if (vn > x->max_text) {
            xmlTextReaderMoveToElement(x->rd);
            return pl_error_set(err, PL_E_TOOBIG,
                                "%s:%lu: element '%s': attribute '%s' exceeds %zu bytes",
                                pl_xml_path(x), pl_xml_line(x), n->name, an, x->max_text);
        }
        if (a == NULL || (a->name = pl_arena_strndup(&x->arena, an, strlen(an))) == NULL ||
            (a->value = pl_arena_strndup(&x->arena, av ? av : "", vn)) == NULL) {
            xmlTextReaderMoveToElement(x->rd);
            return tree_full(x, n->name, err);
        }
        a->next = NULL;
        if (last)
            last->next = a;
        else
            n->attrs = a;
        last = a;
    }
    xmlTextReaderMoveToElement(x->rd);
    return PL_OK;
}

static pl_status make_node(struct pl_xml *x, struct pl_xml_node **out, struct pl_error *err)
{
    const char *ln = (const char *)xmlTextReaderConstLocalName(x->rd);
    struct pl_xml_node *n = pl_arena_alloc(&x->arena, sizeof(*n));

    if (ln == NULL)
        ln = "";
    if (n == NULL)
        return tree_full(x, ln, err);
    memset(n, 0, sizeof(*n));
    n->text = "";
    n->line = pl_xml_line(x);
    if ((n->name = pl_arena_strndup(&x->arena, ln, strlen(ln))) == NULL)
        return tree_full(x, ln, err);
    *out = n;
    return make_attrs(x, n, err);
}

static void append_child(struct pl_xml_node *parent, struct pl_xml_node *n)
{
    if (parent->last)
        parent->last->next = n;
    else
        parent->child = n;
    parent->last = n;
}

/* Close the top element: move its text into the arena and pop it. */
static pl_status tree_pop(struct pl_xml *x, struct tree *t, struct pl_error *err)
{
    struct pl_xml_node *n = t->stack[t->top];
    struct pl_buf *b = &t->texts[t->top];

    if (b->len > 0) {
        char *s = pl_arena_strndup(&x->arena, b->buf, b->len);

        if (s == NULL)
            return tree_full(x, n->name, err);
        n->text = s;
        n->text_len = b->len;
    }
    pl_buf_reset(b);
    t->top--;
    return PL_OK;
}

static pl_status tree_text(struct pl_xml *x, struct tree *t, struct pl_error *err)
{
    const char *v = (const char *)xmlTextReaderConstValue(x->rd);
    struct pl_buf *b = &t->texts[t->top];

    if (v == NULL)
        return PL_OK;
    pl_buf_adds(b, v);
    if (pl_buf_status(b) == PL_E_TOOBIG)
        return pl_error_set(err, PL_E_TOOBIG, "%s:%lu: element '%s': text exceeds %zu bytes",
                            pl_xml_path(x), pl_xml_line(x),
                            t->stack[t->top] ? t->stack[t->top]->name : "?", x->max_text);
    if (pl_buf_status(b) != PL_OK)
        return pl_error_set(err, PL_E_NOMEM, "%s: out of memory", pl_xml_path(x));
    return PL_OK;
}

static pl_status tree_walk(struct pl_xml *x, struct tree *t, struct pl_error *err)
{
    int got = 0, type = 0;
    pl_status rc;
    struct pl_xml_node *n = NULL;

    while (t->top >= 0) {
        if ((rc = step(x, &got, &type, err)) != PL_OK)
            return rc;
        if (!got)
            return pl_error_set(err, PL_E_PARSE, "%s:%lu: element '%s' is not closed",
                                pl_xml_path(x), pl_xml_line(x),
                                t->stack[t->top] ? t->stack[t->top]->name : "?");
        if (type == XML_READER_TYPE_ELEMENT) {
            if ((rc = make_node(x, &n, err)) != PL_OK || n == NULL)
                return rc != PL_OK ? rc : PL_E_INTERNAL;
            append_child(t->stack[t->top], n);
            if (!xmlTextReaderIsEmptyElement(x->rd))
                t->stack[++t->top] = n;
        } else if (type == XML_READER_TYPE_TEXT || type == XML_READER_TYPE_CDATA ||
                   type == XML_READER_TYPE_SIGNIFICANT_WHITESPACE ||
                   type == XML_READER_TYPE_WHITESPACE) {
            if ((rc = tree_text(x, t, err)) != PL_OK)
                return rc;
        } else if (type == XML_READER_TYPE_END_ELEMENT) {
            if ((rc = tree_pop(x, t, err)) != PL_OK)
                return rc;
        }
    }
    return PL_OK;
}

pl_status pl_xml_tree(struct pl_xml *x, const struct pl_xml_node **out, struct pl_error *err)
{
    struct tree t = {0};
    struct pl_xml_node *root = NULL;
    pl_status rc;
    size_t levels;

    *out = NULL;
    if (!x->on_element)
        return pl_error_set(err, PL_E_INVALID, "%s: no current element", pl_xml_path(x));
    drop_attrs(x);
    pl_arena_reset(&x->arena);
    if ((rc = make_node(x, &root, err)) != PL_OK)
        return rc;
    x->on_element = false;
    if (xmlTextReaderIsEmptyElement(x->rd)) {
        *out = root;
        return PL_OK;
    }
    levels = x->max_depth + 1;
    t.stack = calloc(levels, sizeof(struct pl_xml_node *));
    t.texts = calloc(levels, sizeof(*t.texts));
    if (t.stack == NULL || t.texts == NULL) {
        rc = pl_error_set(err, PL_E_NOMEM, "%s: out of memory", pl_xml_path(x));
    } else {
        for (size_t i = 0; i < levels; i++)
            pl_buf_init(&t.texts[i], x->max_text);
        t.stack[0] = root;
        rc = tree_walk(x, &t, err);
        for (size_t i = 0; i < levels; i++)
            pl_buf_release(&t.texts[i]);
    }
    free(t.stack);
    free(t.texts);
    if (rc == PL_OK)
        *out = root;
    return rc;
}

pl_status pl_xml_each(struct pl_xml *x, const char *name, pl_xml_record_fn fn, void *data,
                      uint64_t *count, struct pl_error *err)
{
    uint64_t i = 0;
    bool found = false;
    const struct pl_xml_node *rec;
    pl_status rc;

    for (;;) {
        if ((rc = pl_xml_next(x, name, &found, err)) != PL_OK || !found)
            break;
        if ((rc = pl_xml_tree(x, &rec, err)) != PL_OK)
            break;
        if ((rc = fn(rec, i, data, err)) != PL_OK)
            break;
        i++;
    }
    if (count)
        *count = i;
    return rc;
}

const char *pl_xml_node_attr(const struct pl_xml_node *n, const char *name)
{
    for (const struct pl_xml_attr *a = n ? n->attrs : NULL; a; a = a->next)
        if (strcmp(a->name, name) == 0)
            return a->value;
    return NULL;
}

const struct pl_xml_node *pl_xml_sibling(const struct pl_xml_node *n, const char *name)
{
    for (n = n ? n->next : NULL; n; n = n->next)
        if (name == NULL || strcmp(n->name, name) == 0)
            return n;
    return NULL;
}

const struct pl_xml_node *pl_xml_child(const struct pl_xml_node *n, const char *name)
{
    const struct pl_xml_node *c = n ? n->child : NULL;

    if (c == NULL || name == NULL || strcmp(c->name, name) == 0)
        return c;
    return pl_xml_sibling(c, name);
}

const char *pl_xml_child_text(const struct pl_xml_node *n, const char *name)
{
    const struct pl_xml_node *c = pl_xml_child(n, name);

    return c ? c->text : NULL;
}
