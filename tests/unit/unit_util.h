/* unit_util.h - what the unit tests share: the fixed environment (locale,
 * time zone, clock) and temporary folders for databases. */
#ifndef CD_UNIT_UTIL_H
#define CD_UNIT_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* 2026-11-21T13:36:14.123Z, the clock every test runs at. */
#define UNIT_NOW_MS INT64_C(1795268174123)
#define UNIT_NOW_TEXT "2026-11-21T13:36:14.123Z"

/* C.UTF-8 locale, TZ=Europe/Kyiv, the system tz database. Exits when the
 * locale is missing: case folding and widths depend on it. */
void unit_fixed_env(void);
/* Returns UNIT_NOW_MS; for struct ops clock_ms. */
int64_t unit_clock(void);

/* A new private folder under $TMPDIR (or /tmp); the caller frees it. */
char *unit_tmpdir(void);
/* Removes dir and everything in it. */
void unit_rmtree(const char *dir);
/* dir "/" name, newly allocated. */
char *unit_path(const char *dir, const char *name);
/* The file's bytes (NUL-terminated, *len without it), or NULL when it
 * cannot be read; the caller frees it. */
char *unit_slurp(const char *path, size_t *len);
bool unit_exists(const char *path);
/* Writes len bytes of data to path (replacing it); true on success. */
bool unit_write(const char *path, const char *data, size_t len);

/* A cmocka fixture: a private folder, the database path in it and the
 * Unix account running the tests (the actor). */
struct unit_fixture {
	char *dir;
	char *path; /* dir/clinic.db */
	char actor[64];
};
int unit_fixture_setup(void **state);
int unit_fixture_teardown(void **state);

#endif
