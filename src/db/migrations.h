/* migrations.h - the SQL of schema/NNNN_*.sql, embedded by
 * gen-migrations.sh into migrations.c at build time, in order. */
#ifndef CD_MIGRATIONS_H
#define CD_MIGRATIONS_H

#include <stddef.h>

struct db_migration {
	const char *name; /* 0001_init.sql */
	const char *sql;
};

extern const struct db_migration db_migrations[];
extern const size_t db_migrations_count;

#endif
