/*
 * xml.h - streaming XML input: the one front door for XML files (Nmap,
 * Nessus, Qualys, OVAL). Built on libxml2's text reader, fed from a
 * pl_reader, so that caps and decompression stay in file.c.
 *
 * Safety: no network (XML_PARSE_NONET), no DTD loading, no entity
 * substitution (no XML_PARSE_NOENT; an entity reference other than the five
 * predefined ones and character references is an error), caps on depth, on
 * one text node or attribute value, and on one element tree. libxml2 checks
 * well-formedness and turns every encoding into UTF-8.
 *
 * Two ways to read, which mix freely:
 *  - element at a time: pl_xml_next() walks element starts in document
 *    order; pl_xml_attr() reads an attribute of the current element;
 *  - a small tree of one element (one Nmap <host>, one Nessus
 *    <ReportHost>): pl_xml_tree() consumes the current element and returns
 *    it as a read-only tree, valid until the next call on the reader.
 * pl_xml_each() combines the two: every element with a given name becomes a
 * tree handed to a callback.
 *
 * Errors: "FILE:LINE: what is wrong" (with "element 'X'" where one is at
 * fault). Not thread-safe per reader.
 */
#ifndef PATCHLINE_XML_H
#define PATCHLINE_XML_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "patchline/error.h"
#include "patchline/file.h"

/* A streaming XML reader; opaque. */
struct pl_xml;

struct pl_xml_opts {
    size_t max_depth; /* element nesting (0: PL_MAX_XML_DEPTH) */
    size_t max_text;  /* one text node or attribute value, bytes (0: PL_MAX_XML_TEXT_BYTES) */
    size_t max_tree;  /* one tree from pl_xml_tree, bytes (0: PL_MAX_XML_TREE_BYTES) */
};

/* One attribute of a tree node. */
struct pl_xml_attr {
    const char *name, *value;
    const struct pl_xml_attr *next;
};

/* One element of a tree. Plain struct: read its fields, never write them. */
struct pl_xml_node {
    const char *name;                /* local name (no namespace prefix) */
    const char *text;                /* its own text and CDATA, concatenated; "" when none */
    size_t text_len;                 /* bytes in text */
    unsigned long line;              /* line of its start tag */
    const struct pl_xml_attr *attrs; /* in document order */
    const struct pl_xml_node *child; /* first child element */
    const struct pl_xml_node *next;  /* next sibling element */
    struct pl_xml_node *last;        /* last child (internal use) */
};

/*
 * Start reading r (which the caller keeps and closes after pl_xml_close).
 * opts may be NULL (defaults). On success *out owns a reader.
 */
PL_NODISCARD pl_status pl_xml_open(struct pl_reader *r, const struct pl_xml_opts *opts,
                                   struct pl_xml **out, struct pl_error *err);

/* Free the reader (not the pl_reader); NULL is a no-op. */
void pl_xml_close(struct pl_xml *x);

/*
 * Move to the next element start in document order (into the children of
 * the current element unless pl_xml_tree consumed it). name NULL: any
 * element; else the next element with that local name. *found is false at
 * the end of the document. Malformed XML, a cap exceeded or an attribute
 * value over the text cap fail with the file and line.
 */
PL_NODISCARD pl_status pl_xml_next(struct pl_xml *x, const char *name, bool *found,
                                   struct pl_error *err);

/* Local name of the current element; borrowed, valid until the next move. NULL before any. */
const char *pl_xml_name(const struct pl_xml *x);

/* Depth of the current element (the root element is 0). */
int pl_xml_depth(const struct pl_xml *x);

/* Line of the current position in the input. */
unsigned long pl_xml_line(const struct pl_xml *x);

/* The path of the input (for messages); borrowed. */
const char *pl_xml_path(const struct pl_xml *x);

/*
 * Attribute `name` of the current element, or NULL when absent. Borrowed:
 * valid until the next pl_xml_next / pl_xml_tree / pl_xml_each.
 */
const char *pl_xml_attr(struct pl_xml *x, const char *name);

/*
 * Read the current element with everything inside it as a tree and move
 * past its end tag. The tree lives until the next call on x. A tree larger
 * than max_tree is PL_E_TOOBIG naming the element and its line.
 */
PL_NODISCARD pl_status pl_xml_tree(struct pl_xml *x, const struct pl_xml_node **out,
                                   struct pl_error *err);

/* Called for each element tree by pl_xml_each; `index` counts from 0. */
typedef pl_status (*pl_xml_record_fn)(const struct pl_xml_node *rec, uint64_t index, void *data,
                                      struct pl_error *err);

/*
 * Every element named `name` from the current position to the end of the
 * document becomes a tree handed to fn (nested matches inside a record are
 * part of that record). Stores the number of records in *count when not
 * NULL. Returns the first failure, a callback's included.
 */
PL_NODISCARD pl_status pl_xml_each(struct pl_xml *x, const char *name, pl_xml_record_fn fn,
                                   void *data, uint64_t *count, struct pl_error *err);

/* Attribute `name` of a node, or NULL when absent. */
const char *pl_xml_node_attr(const struct pl_xml_node *n, const char *name);

/* First child of n named `name` (NULL: the first child), or NULL. */
const struct pl_xml_node *pl_xml_child(const struct pl_xml_node *n, const char *name);

/* Next sibling of n named `name` (NULL: the next sibling), or NULL. */
const struct pl_xml_node *pl_xml_sibling(const struct pl_xml_node *n, const char *name);

/* Text of the first child named `name`, or NULL when there is no such child. */
const char *pl_xml_child_text(const struct pl_xml_node *n, const char *name);

#endif /* PATCHLINE_XML_H */
