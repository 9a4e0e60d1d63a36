// A large real module: SQLite 3 (the amalgamation vendored in crates.io libsqlite3-sys 0.40.0) running a
// small workload on an in-memory database. Used for start-up studies (compile dominates a short run).
// Usage: sqlite [ROWS]
#include <stdio.h>
#include <stdlib.h>
#include "sqlite3.h"

static int check(int rc, sqlite3 *db, const char *what) {
  if (rc != SQLITE_OK && rc != SQLITE_DONE && rc != SQLITE_ROW) {
    fprintf(stderr, "%s: %s\n", what, sqlite3_errmsg(db));
    exit(1);
  }
  return rc;
}

int main(int argc, char **argv) {
  int rows = argc > 1 ? atoi(argv[1]) : 1000;
  sqlite3 *db;
  check(sqlite3_open(":memory:", &db), db, "open");
  check(sqlite3_exec(db, "CREATE TABLE t(id INTEGER PRIMARY KEY, name TEXT, v REAL); BEGIN", 0, 0, 0), db, "create");
  sqlite3_stmt *ins;
  check(sqlite3_prepare_v2(db, "INSERT INTO t(name, v) VALUES (?1, ?2)", -1, &ins, 0), db, "prepare");
  char name[32];
  for (int i = 0; i < rows; i++) {
    snprintf(name, sizeof name, "row-%d", (i * 7919) % rows);
    sqlite3_bind_text(ins, 1, name, -1, SQLITE_TRANSIENT);
    sqlite3_bind_double(ins, 2, i * 0.5);
    check(sqlite3_step(ins), db, "insert");
    sqlite3_reset(ins);
  }
  sqlite3_finalize(ins);
  check(sqlite3_exec(db, "COMMIT; CREATE INDEX tn ON t(name)", 0, 0, 0), db, "index");
  sqlite3_stmt *q;
  check(sqlite3_prepare_v2(db, "SELECT count(*), sum(v), max(name) FROM t WHERE name LIKE 'row-1%'", -1, &q, 0), db,
        "query");
  check(sqlite3_step(q), db, "step");
  printf("%d rows: count %d sum %.1f max %s\n", rows, sqlite3_column_int(q, 0), sqlite3_column_double(q, 1),
         sqlite3_column_text(q, 2));
  sqlite3_finalize(q);
  sqlite3_close(db);
  return 0;
}
