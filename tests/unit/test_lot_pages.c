/* test_lot_pages.c - the lot list read a page at a time (ops_lot_list's
 * offset and keyset paging, ops_lot_count) on the small demo with lots
 * that expire at the same minute added: for every status filter, at
 * every site and at one, the pages read forward from the last row of
 * the page before, backward from the first, and by offset are exactly
 * the whole list; a lot's place counted is its index; the count stops
 * where asked; ids holding a text are found in the same order. */
#include "config.h"

#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "ops/ops.h"
#include "unit_util.h"

struct codes {
	char **s;
	int n, cap;
};

static void
codes_add(struct codes *c, const char *code)
{
	if (c->n == c->cap) {
		c->cap = c->cap ? c->cap * 2 : 64;
		c->s = realloc(c->s, (size_t)c->cap * sizeof *c->s);
		assert_non_null(c->s);
	}
	c->s[c->n++] = strdup(code != NULL ? code : "(null)");
}

static void
codes_clear(struct codes *c)
{
	int i;

	for (i = 0; i < c->n; i++)
		free(c->s[i]);
	c->n = 0;
}

static enum cd_status
take_code(void *ctx, const struct cd_row *row, struct cd_err *err)
{
	(void)err;
	assert_true(row->n > 0);
	assert_string_equal(row->keys[0], "id");
	codes_add(ctx, row->vals[0]);
	return CD_OK;
}

static enum cd_status
take_name(void *ctx, const struct cd_row *row, struct cd_err *err)
{
	int i;

	(void)err;
	for (i = 0; i < row->n; i++) {
		if (strcmp(row->keys[i], "name") == 0 && ((char *)ctx)[0] == '\0')
			snprintf(ctx, 128, "%s", row->vals[i]);
	}
	return CD_OK;
}

static void
list(struct ops *o, const struct ops_lot_query *q, struct codes *out)
{
	struct cd_err err;

	codes_clear(out);
	if (ops_lot_list(o, q, take_code, out, &err) != CD_OK)
		fail_msg("ops_lot_list: %s", err.msg);
}

static int64_t
count(struct ops *o, const struct ops_lot_query *q, int64_t max)
{
	struct cd_err err;
	int64_t n = -1;

	if (ops_lot_count(o, q, max, &n, &err) != CD_OK)
		fail_msg("ops_lot_count: %s", err.msg);
	return n;
}

enum { PAGE = 7 };

/* Every way of paging q gives the rows of the whole list, in order. */
static void
check_paging(struct ops *o, const struct ops_lot_query *base, const char *what)
{
	struct ops_lot_query q = *base;
	struct codes full = { NULL, 0, 0 }, page = { NULL, 0, 0 }, all = { NULL, 0, 0 };
	char from[64];
	int i, k;

	list(o, &q, &full);
	assert_int_equal(count(o, &q, 0), full.n);
	assert_int_equal(count(o, &q, 5), full.n < 5 ? full.n : 5);
	/* Forward: from the last row of the page before, skipping it. */
	q.limit = PAGE;
	for (;;) {
		list(o, &q, &page);
		for (i = 0; i < page.n; i++)
			codes_add(&all, page.s[i]);
		if (page.n < PAGE)
			break;
		snprintf(from, sizeof from, "%s", page.s[page.n - 1]);
		q.from = from;
		q.offset = 1;
	}
	if (all.n != full.n)
		fail_msg("%s: forward pages give %d lots, the list %d", what, all.n, full.n);
	for (i = 0; i < full.n; i++)
		assert_string_equal(all.s[i], full.s[i]);
	/* Backward: from the end, then before the first row of each page. */
	codes_clear(&all);
	q.from = NULL;
	q.offset = 0;
	q.backward = true;
	for (;;) {
		list(o, &q, &page);
		for (i = 0; i < page.n; i++)
			codes_add(&all, page.s[i]);
		if (page.n < PAGE)
			break;
		snprintf(from, sizeof from, "%s", page.s[page.n - 1]);
		q.from = from;
	}
	if (all.n != full.n)
		fail_msg("%s: backward pages give %d lots, the list %d", what, all.n, full.n);
	for (i = 0; i < full.n; i++)
		assert_string_equal(all.s[i], full.s[full.n - 1 - i]);
	/* A lot's place, a page from it, and offsets. */
	for (k = 0; k < full.n; k += full.n / 9 + 1) {
		q = *base;
		q.from = full.s[k];
		q.backward = true;
		assert_int_equal(count(o, &q, 0), k);
		q.backward = false;
		q.limit = 1;
		q.offset = 3;
		list(o, &q, &page);
		if (k + 3 < full.n) {
			assert_int_equal(page.n, 1);
			assert_string_equal(page.s[0], full.s[k + 3]);
		} else {
			assert_int_equal(page.n, 0);
		}
		q = *base;
		q.offset = k;
		q.limit = 2;
		list(o, &q, &page);
		assert_true(page.n >= 1);
		assert_string_equal(page.s[0], full.s[k]);
	}
	codes_clear(&full);
	codes_clear(&page);
	codes_clear(&all);
	free(full.s);
	free(page.s);
	free(all.s);
}

static void
test_lot_pages(void **state)
{
	static const char *const statuses[] = { NULL, "all", "collected", "in-processing",
		"quarantine", "released", "reserved", "issued", "administered", "discarded" };
	struct unit_fixture *f = *state;
	struct ops_demo_result dr;
	struct ops_init_result ir;
	struct ops_lot_new n;
	struct ops_lot_query q;
	struct cd_err err;
	struct ops o;
	char site[128] = "", id[32], what[160];
	size_t i, j;

	if (ops_open(&o, f->path, OPS_OPEN_SETUP, &err) != CD_OK)
		fail_msg("ops_open: %s", err.msg);
	o.clock_ms = unit_clock;
	if (ops_init(&o, &ir, &err) != CD_OK || ops_demo(&o, DEMO_SMALL, 5, &dr, &err) != CD_OK)
		fail_msg("init or demo: %s", err.msg);
	if (ops_site_list(&o, take_name, site, &err) != CD_OK || site[0] == '\0')
		fail_msg("no site: %s", err.msg);
	/* Lots that expire at the same minute: ties the code settles. */
	for (i = 0; i < 6; i++) {
		memset(&n, 0, sizeof n);
		snprintf(id, sizeof id, "TIE-%c%02zu", (int)('F' - i), i);
		n.id = id;
		n.kind = "donor";
		n.donor = "D-TIE-1";
		n.eligibility = "eligible";
		n.source = "cord-blood";
		n.expires = "2027-03-01 10:00";
		n.location = site;
		n.volume_ml = n.cells = NAN;
		if (ops_lot_add(&o, &n, &err) != CD_OK)
			fail_msg("lot add %s: %s", id, err.msg);
	}
	for (i = 0; i < sizeof statuses / sizeof statuses[0]; i++) {
		for (j = 0; j < 2; j++) {
			memset(&q, 0, sizeof q);
			q.status = statuses[i];
			q.site = j == 1 ? site : NULL;
			snprintf(what, sizeof what, "%s at %s", statuses[i] ? statuses[i] : "in stock",
			    j == 1 ? site : "every site");
			check_paging(&o, &q, what);
		}
	}
	/* Expiring within a year pages the same way. */
	memset(&q, 0, sizeof q);
	q.within_s = 366 * 86400;
	check_paging(&o, &q, "expiring within a year");
	/* So do the ids holding a text (any case): the ties, by code. */
	memset(&q, 0, sizeof q);
	q.status = "all";
	q.id_has = "tie-";
	assert_int_equal(count(&o, &q, 0), 6);
	check_paging(&o, &q, "ids holding tie-");
	{
		struct codes c = { NULL, 0, 0 };

		list(&o, &q, &c);
		assert_int_equal(c.n, 6);
		assert_string_equal(c.s[0], "TIE-A05");
		assert_string_equal(c.s[5], "TIE-F00");
		codes_clear(&c);
		free(c.s);
	}
	ops_close(&o);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_lot_pages, unit_fixture_setup,
		    unit_fixture_teardown),
	};

	unit_fixed_env();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
