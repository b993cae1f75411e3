/* bench_lots.c - the cell-lot figures of make bench, timed inside one
 * process (clock_gettime around each call, as the full-screen interface
 * would run them): lot list --expiring-within 7d for each site, lot
 * trace of the lot with the most custody events, and audit verify of
 * the whole chain; then the program's peak memory.
 *
 * Usage: bench_lots DB [RUNS [SQLDIR]]
 *
 * Opens DB through ops_open as the CLI does (the actor is the Unix
 * account running it). RUNS (default 50) calls of each listing. With
 * SQLDIR, the SQL of the list and of the trace as SQLite ran them
 * (parameters filled in) is written to SQLDIR/lot_list.sql and
 * SQLDIR/lot_trace.sql, for EXPLAIN QUERY PLAN in the sqlite3 shell.
 * Prints one figure a line, in bench.sh's columns. Never writes to DB. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include <sqlite3.h>

#include "db/db_int.h"
#include "ops/ops.h"

#define MAX_SITES 64
#define WEEK_S (7 * 86400)

struct sites {
	int n;
	char name[MAX_SITES][128];
};

/* What SQLite's statement trace keeps: the first statement whose SQL
 * holds match, with its parameters filled in. */
struct capture {
	const char *match;
	char *sql;
};

static void
figure(const char *name, const char *value, const char *command)
{
	printf("%-52s %14s   %s\n", name, value, command);
}

static double
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* Sorts t[0..n) and gives its median (the lower one of an even count,
 * as bench.sh's median) and its worst. */
static void
summary(double *t, int n, double *median, double *worst)
{
	qsort(t, (size_t)n, sizeof *t, cmp_double);
	*median = t[(n + 1) / 2 - 1];
	*worst = t[n - 1];
}

static enum cd_status
count_row(void *ctx, const struct cd_row *row, struct cd_err *err)
{
	(void)row;
	(void)err;
	++*(long *)ctx;
	return CD_OK;
}

static enum cd_status
site_row(void *ctx, const struct cd_row *row, struct cd_err *err)
{
	struct sites *s = ctx;
	int i;

	(void)err;
	for (i = 0; i < row->n; i++)
		if (strcmp(row->keys[i], "name") == 0 && row->vals[i] != NULL &&
		    s->n < MAX_SITES)
			snprintf(s->name[s->n++], sizeof s->name[0], "%s", row->vals[i]);
	return CD_OK;
}

static int
trace_stmt(unsigned type, void *ctx, void *p, void *x)
{
	struct capture *c = ctx;
	sqlite3_stmt *s = p;
	char *sql;

	(void)x;
	if (type != SQLITE_TRACE_STMT || c->sql != NULL || strstr(sqlite3_sql(s), c->match) == NULL)
		return 0;
	if ((sql = sqlite3_expanded_sql(s)) != NULL) {
		c->sql = strdup(sql);
		sqlite3_free(sql);
	}
	return 0;
}

/* Writes the captured statement to dir/file (nothing without dir). */
static void
save_sql(const char *dir, const char *file, const struct capture *c)
{
	char path[4096];
	FILE *f;

	if (dir == NULL || c->sql == NULL)
		return;
	snprintf(path, sizeof path, "%s/%s", dir, file);
	if ((f = fopen(path, "w")) == NULL) {
		perror(path);
	} else {
		fprintf(f, "%s;\n", c->sql);
		fclose(f);
	}
}

static void
trace_on(struct db *db, struct capture *c)
{
	sqlite3_trace_v2(db_handle(db), SQLITE_TRACE_STMT, trace_stmt, c);
}

static void
trace_off(struct db *db)
{
	sqlite3_trace_v2(db_handle(db), 0, NULL, NULL);
}

/* The code of the lot with the most custody events, and that count. */
static int
busiest_lot(struct db *db, char *code, size_t n, long *events)
{
	static const char sql[] =
	    "SELECT l.code, e.n FROM (SELECT lot_id, count(*) AS n FROM custody_events"
	    " GROUP BY lot_id ORDER BY n DESC, lot_id LIMIT 1) e JOIN lots l ON l.id = e.lot_id";
	sqlite3_stmt *s;
	int found = 0;

	if (sqlite3_prepare_v2(db_handle(db), sql, -1, &s, NULL) != SQLITE_OK) {
		fprintf(stderr, "bench_lots: %s\n", sqlite3_errmsg(db_handle(db)));
		return 0;
	}
	if (sqlite3_step(s) == SQLITE_ROW) {
		snprintf(code, n, "%s", (const char *)sqlite3_column_text(s, 0));
		*events = (long)sqlite3_column_int64(s, 1);
		found = 1;
	}
	sqlite3_finalize(s);
	return found;
}

static int
bench_list(struct ops *o, const struct sites *sites, int runs, const char *sqldir)
{
	struct ops_lot_query q;
	struct capture c = { "l.expires_at <", NULL };
	struct cd_err err;
	char name[128], value[64], cmd[256];
	double *t, med, worst, first, t0;
	long rows;
	int i, r;

	if ((t = calloc((size_t)runs, sizeof *t)) == NULL)
		return 1;
	for (i = 0; i < sites->n; i++) {
		memset(&q, 0, sizeof q);
		q.site = sites->name[i];
		q.within_s = WEEK_S;
		first = 0;
		for (r = 0; r < runs; r++) {
			if (i == 0 && r == 0)
				trace_on(o->db, &c);
			rows = 0;
			t0 = now_ms();
			if (ops_lot_list(o, &q, count_row, &rows, &err) != CD_OK) {
				fprintf(stderr, "bench_lots: lot list --site %s: %s\n", q.site, err.msg);
				free(t);
				return 1;
			}
			t[r] = now_ms() - t0;
			if (r == 0) {
				first = t[r];
				trace_off(o->db);
			}
		}
		summary(t, runs, &med, &worst);
		snprintf(name, sizeof name, "  lot list --site %s --expiring-within 7d", q.site);
		snprintf(value, sizeof value, "%.2f / %.2f ms", med, worst);
		snprintf(cmd, sizeof cmd, "ops_lot_list, median / worst of %d (first %.2f ms);"
		    " target: within 5 ms", runs, first);
		figure(name, value, cmd);
		snprintf(value, sizeof value, "%ld", rows);
		figure("    its lots", value, "");
	}
	save_sql(sqldir, "lot_list.sql", &c);
	free(c.sql);
	free(t);
	return 0;
}

static int
bench_trace(struct ops *o, int runs, const char *sqldir)
{
	struct capture c = { "FROM custody_events", NULL };
	struct cd_err err;
	char code[128], name[192], value[64], cmd[256];
	double *t, med, worst, first, t0;
	long events = 0, rows = 0;
	int r;

	if (!busiest_lot(o->db, code, sizeof code, &events)) {
		figure("  lot trace", "n/a", "(no custody events in the database)");
		return 0;
	}
	if ((t = calloc((size_t)runs, sizeof *t)) == NULL)
		return 1;
	first = 0;
	for (r = 0; r < runs; r++) {
		if (r == 0)
			trace_on(o->db, &c);
		rows = 0;
		t0 = now_ms();
		if (ops_lot_trace(o, TRACE_CHAIN, code, NULL, NULL, count_row, &rows, &err) !=
		    CD_OK) {
			fprintf(stderr, "bench_lots: lot trace %s: %s\n", code, err.msg);
			free(t);
			return 1;
		}
		t[r] = now_ms() - t0;
		if (r == 0) {
			first = t[r];
			trace_off(o->db);
		}
	}
	summary(t, runs, &med, &worst);
	snprintf(name, sizeof name, "  lot trace %s", code);
	snprintf(value, sizeof value, "%.2f / %.2f ms", med, worst);
	snprintf(cmd, sizeof cmd, "ops_lot_trace (chain), median / worst of %d (first %.2f ms);"
	    " target: within 5 ms", runs, first);
	figure(name, value, cmd);
	snprintf(value, sizeof value, "%ld", rows);
	snprintf(cmd, sizeof cmd, "the most of any lot (%ld custody events)", events);
	figure("    its events", value, cmd);
	save_sql(sqldir, "lot_trace.sql", &c);
	free(c.sql);
	free(t);
	return 0;
}

static int
bench_audit(struct ops *o)
{
	struct db_audit_verdict v;
	struct cd_err err;
	char value[64];
	double t0, ms;

	t0 = now_ms();
	if (ops_audit_verify(o, &v, &err) != CD_OK) {
		fprintf(stderr, "bench_lots: audit verify: %s\n", err.msg);
		return 1;
	}
	ms = now_ms() - t0;
	snprintf(value, sizeof value, "%lld", (long long)v.records);
	figure("  audit verify: records", value, v.broken_seq == 0 ? "the chain is intact" :
	    "THE CHAIN IS BROKEN");
	snprintf(value, sizeof value, "%.3f s", ms / 1e3);
	figure("  audit verify: time", value, "ops_audit_verify, once");
	snprintf(value, sizeof value, "%.0f/s", ms > 0 ? (double)v.records / (ms / 1e3) : 0.0);
	figure("  audit verify: records a second", value, "target: 1,000,000/s or better");
	return 0;
}

int
main(int argc, char **argv)
{
	struct ops o;
	struct sites sites;
	struct rusage ru;
	struct cd_err err;
	char value[64];
	int runs, rc;

	if (argc < 2 || argc > 4) {
		fprintf(stderr, "usage: bench_lots DB [RUNS [SQLDIR]]\n");
		return 2;
	}
	runs = argc > 2 ? atoi(argv[2]) : 50;
	if (runs < 1) {
		fprintf(stderr, "bench_lots: RUNS must be 1 or more\n");
		return 2;
	}
	if (ops_open(&o, argv[1], OPS_OPEN_USE, &err) != CD_OK) {
		fprintf(stderr, "bench_lots: %s\n", err.msg);
		return 2;
	}
	memset(&sites, 0, sizeof sites);
	if (ops_site_list(&o, site_row, &sites, &err) != CD_OK) {
		fprintf(stderr, "bench_lots: %s\n", err.msg);
		ops_close(&o);
		return 1;
	}
	rc = bench_list(&o, &sites, runs, argc > 3 ? argv[3] : NULL);
	if (rc == 0)
		rc = bench_trace(&o, runs, argc > 3 ? argv[3] : NULL);
	if (rc == 0)
		rc = bench_audit(&o);
	ops_close(&o);
	getrusage(RUSAGE_SELF, &ru);
	snprintf(value, sizeof value, "%ld KiB", ru.ru_maxrss);
	figure("  peak memory of bench_lots (all the above)", value, "getrusage (ru_maxrss)");
	return rc;
}
