/* engine.c - one run of the lab sync. Orders go out oldest first, each
 * a transaction Bundle of conditional creates, so one sent twice (after a
 * timeout) creates nothing twice. Results come in page by page:
 * `_lastUpdated=ge<cursor>&_sort=_lastUpdated&_count=N`, then the next
 * link, or `_offset` while the page's total says more remain. Each page
 * is applied in one transaction that also moves the cursor, so a run
 * that stops halfway leaves whole pages and the next run goes on from
 * there; what was already applied is recognised by its version. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/localtime.h"
#include "../core/fhir.h"
#include "../core/strbuf.h"
#include "../core/xalloc.h"
#include "engine.h"
#include "http.h"

#define OBS_CHUNK 50          /* Observation ids per search, at least (a report's
                                 * results stay in one search) */
#define MAX_PAGES 100000      /* a server that never ends its pages */

struct run {
	struct ops *o;
	struct http_client *h;
	const struct lab_config *c;
	struct sync_summary *s;
	bool lost;               /* the lab stopped answering */
};

/* Notes a failure; the first one is the run's message. */
static void
failed(struct run *r, const char *what, const char *msg)
{
	r->s->ok = false;
	r->s->failed++;
	if (r->s->message[0] == '\0')
		snprintf(r->s->message, sizeof r->s->message, "%.60s: %.900s", what, msg);
}

/* Sends one order; false when the lab could not be reached (the rest
 * then waits for the next run). */
static bool
send_order(struct run *r, const struct db_outbox_row *row)
{
	struct http_response resp = { 0 };
	struct fhir_tx_response tx;
	struct cd_err err, dberr;
	char what[64];
	enum cd_status st;
	bool reached = true;

	snprintf(what, sizeof what, "order %lld", (long long)row->id);
	st = http_request(r->h, "POST", "", row->bundle, strlen(row->bundle), &resp, &err);
	if (st == CD_OK)
		st = fhir_parse_tx_response(resp.body, resp.len, &tx, &err);
	if (st == CD_OK && ops_lab_order_sent(r->o, row->id, row->lot_id, &tx, &dberr) == CD_OK)
		r->s->sent++;
	else if (st == CD_OK)
		failed(r, what, dberr.msg);
	else {
		reached = st == CD_REFUSED;
		failed(r, what, err.msg);
		if (ops_lab_order_failed(r->o, row->id, st == CD_REFUSED, err.msg, &dberr) != CD_OK)
			failed(r, what, dberr.msg);
	}
	http_response_free(&resp);
	return reached;
}

/* Sends every pending order, oldest first. */
static bool
push(struct run *r)
{
	struct db_outbox_row row;
	struct cd_err err;
	int64_t after = 0;
	bool reached = true;

	while (reached) {
		if (ops_lab_next_order(r->o, after, &row, &err) != CD_OK) {
			failed(r, "outbox", err.msg);
			return false;
		}
		if (row.id == 0)
			break;
		after = row.id;
		reached = send_order(r, &row);
		free(row.bundle);
	}
	return reached;
}

/* GET target and parse it as a searchset page; r->lost when the lab
 * gave no good answer at all (then the rest of the run waits). */
static enum cd_status
get_page(struct run *r, const char *target, struct fhir_page *page, struct cd_err *err)
{
	struct http_response resp = { 0 };
	enum cd_status st;

	memset(page, 0, sizeof *page);
	st = http_request(r->h, "GET", target, NULL, 0, &resp, err);
	r->lost = st == CD_EDATA;
	if (st == CD_OK)
		st = fhir_parse_page(resp.body, resp.len, page, err);
	http_response_free(&resp);
	return st;
}

/* Appends the Observations of chunk to obs. */
static void
take_observations(struct fhir_page *obs, struct fhir_page *chunk)
{
	size_t n = obs->n_observations + chunk->n_observations;

	if (chunk->n_observations == 0)
		return;
	obs->observations = xrealloc(obs->observations, n * sizeof *obs->observations);
	memcpy(obs->observations + obs->n_observations, chunk->observations,
	    chunk->n_observations * sizeof *chunk->observations);
	obs->n_observations = n;
}

/* Fetches the Observations the page's reports name, about OBS_CHUNK ids
 * to a search, into obs; the pass after the last report sends the rest. */
static enum cd_status
fetch_observations(struct run *r, const struct fhir_page *page, struct fhir_page *obs,
    struct cd_err *err)
{
	struct strbuf t = STRBUF_INIT;
	struct fhir_page chunk;
	enum cd_status st = CD_OK;
	size_t i, j, n = 0;

	memset(obs, 0, sizeof *obs);
	for (i = 0; st == CD_OK && i <= page->n_reports; i++) {
		const struct fhir_report *rep = i < page->n_reports ? &page->reports[i] : NULL;

		for (j = 0; rep != NULL && j < rep->n_result; j++) {
			if (strncmp(rep->result[j], "Observation/", 12) != 0)
				continue;
			strbuf_adds(&t, n++ == 0 ? "Observation?_id=" : ",");
			strbuf_adds(&t, rep->result[j] + 12);
		}
		if (n == 0 || (n < OBS_CHUNK && rep != NULL))
			continue;
		strbuf_addf(&t, "&_count=%zu", n);
		if ((st = get_page(r, strbuf_str(&t), &chunk, err)) == CD_OK)
			take_observations(obs, &chunk);
		fhir_page_free(&chunk);
		strbuf_reset(&t);
		n = 0;
	}
	strbuf_free(&t);
	return st;
}

/* Query-string form of a lastUpdated value ('+' and the like escaped). */
static void
add_escaped(struct strbuf *b, const char *s)
{
	static const char ok[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~:";

	for (; *s != '\0'; s++) {
		if (strchr(ok, *s) != NULL)
			strbuf_add(b, s, 1);
		else
			strbuf_addf(b, "%%%02X", (unsigned char)*s);
	}
}

static size_t
matches(const struct fhir_page *p)
{
	return p->n_reports + p->n_products;
}

/* Pulls every new resource of type, page by page. */
static void
pull(struct run *r, const char *type)
{
	struct strbuf base = STRBUF_INIT, t = STRBUF_INIT;
	struct fhir_page page, obs;
	struct cd_err err;
	char cursor[64];
	size_t offset = 0, pages;
	enum cd_status st;
	bool reports = strcmp(type, "DiagnosticReport") == 0;

	if (ops_lab_cursor(r->o, type, cursor, sizeof cursor, &err) != CD_OK) {
		failed(r, type, err.msg);
		return;
	}
	strbuf_addf(&base, "%s?_sort=_lastUpdated&_count=%ld", type, r->c->page_size);
	if (cursor[0] != '\0') {
		strbuf_adds(&base, "&_lastUpdated=ge");
		add_escaped(&base, cursor);
	}
	strbuf_adds(&t, strbuf_str(&base));
	for (pages = 0; pages < MAX_PAGES; pages++) {
		memset(&obs, 0, sizeof obs);
		st = get_page(r, strbuf_str(&t), &page, &err);
		if (st == CD_OK && reports)
			st = fetch_observations(r, &page, &obs, &err);
		if (st == CD_OK)
			st = ops_lab_apply_page(r->o, type, &page, &obs, &r->s->in, &err);
		if (st != CD_OK)
			failed(r, type, err.msg);
		offset += matches(&page);
		strbuf_reset(&t);
		if (st == CD_OK && page.next[0] != '\0')
			strbuf_adds(&t, page.next);
		else if (st == CD_OK && matches(&page) > 0 && page.total > (long)offset)
			strbuf_addf(&t, "%s&_offset=%zu", strbuf_str(&base), offset);
		fhir_page_free(&page);
		fhir_page_free(&obs);
		if (t.len == 0)
			break;
	}
	strbuf_free(&t);
	strbuf_free(&base);
}

static void
utc_format_now(struct ops *o, char buf[21])
{
	utc_format(o->clock_ms() / 1000, buf);
}

/* Records the run for sync status. */
static void
record(struct run *r, const char *started)
{
	struct db_sync_run rec;
	struct cd_err err;
	char finished[21];

	utc_format_now(r->o, finished);
	memset(&rec, 0, sizeof rec);
	rec.started_at = started;
	rec.finished_at = finished;
	rec.run_by = r->o->actor;
	rec.ok = r->s->ok;
	rec.sent = r->s->sent;
	rec.pulled = r->s->in.pulled;
	rec.applied = r->s->in.applied;
	rec.review = r->s->in.review;
	rec.failed = r->s->failed;
	rec.message = r->s->message[0] != '\0' ? r->s->message : NULL;
	if (ops_lab_run_record(r->o, &rec, &err) != CD_OK)
		failed(r, "sync status", err.msg);
}

enum cd_status
sync_run(struct ops *o, const struct lab_config *c, struct sync_summary *s, struct cd_err *err)
{
	struct run r = { o, NULL, c, s, false };
	char started[21];
	enum cd_status st;

	memset(s, 0, sizeof *s);
	s->ok = true;
	if ((st = ops_require(o, ACT_SYNC_RUN, err)) != CD_OK)
		return st;
	if (c->url == NULL)
		return cd_fail(err, CD_REFUSED, "no lab is configured: set url in the [lab] section"
		    " of the configuration file (see celldesk.conf(5))");
	if ((st = http_client_new(c, &r.h, err)) != CD_OK)
		return st;
	utc_format_now(o, started);
	if (push(&r)) {
		pull(&r, "DiagnosticReport");
		if (!r.lost)
			pull(&r, "BiologicallyDerivedProduct");
	}
	http_client_free(r.h);
	record(&r, started);
	return CD_OK;
}

void
sync_summary_line(const struct sync_summary *s, char *buf, size_t n)
{
	snprintf(buf, n, "sync: sent %lld, pulled %lld (applied %lld, to review %lld), failed %lld",
	    (long long)s->sent, (long long)s->in.pulled, (long long)s->in.applied,
	    (long long)s->in.review, (long long)s->failed);
}
