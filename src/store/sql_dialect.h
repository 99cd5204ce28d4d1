/*
 * sql_dialect.h - private to src/store: the one place where the migration
 * text differs between SQLite and PostgreSQL (docs/store.md, "Dialect rules
 * for new SQL").
 */
#ifndef PATCHLINE_STORE_SQL_DIALECT_H
#define PATCHLINE_STORE_SQL_DIALECT_H

#include "patchline/error.h"

enum pl_sql_dialect {
    PL_SQL_SQLITE,
    PL_SQL_POSTGRESQL,
};

/*
 * The text of one migration for one backend, in *out (the caller frees it).
 * Both backends: the lines of a {{sqlite}} / {{postgresql}} block ending at
 * {{end}} are kept for that backend only, and {{id_pk}} becomes the
 * backend's surrogate key. PostgreSQL also: INTEGER and REAL become BIGINT
 * and DOUBLE PRECISION (what SQLite stores), the STRICT and WITHOUT ROWID
 * table options go, and a CREATE TRIGGER ... BEGIN ... END becomes a
 * PL/pgSQL function and a FOR EACH ROW trigger that runs it. For SQLite the
 * text outside the tokens and blocks is left byte for byte as written.
 * PL_E_INVALID names the line of an unknown token or an unbalanced block.
 */
PL_NODISCARD pl_status pl__store_sql_dialect(const char *sql, enum pl_sql_dialect d, char **out,
                                             struct pl_error *err);

#endif
