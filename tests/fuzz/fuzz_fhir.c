/* fuzz_fhir.c - fuzz target for the readers of what the lab sends back
 * (src/core/fhir_in.c) and the order Bundle (src/core/fhir_out.c):
 * whatever a page, a transaction-response or an OperationOutcome holds,
 * what is kept fits its field and holds nothing a terminal would obey;
 * whatever is refused says why and leaves nothing behind; nothing reads
 * past the input. The input as a name and MRN makes an order that reads
 * back the same. */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "core/fhir.h"
#include "core/text.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A field (size bytes) holds a terminated, valid, safe UTF-8 string. */
static void
check_text(const char *s, size_t size)
{
	const char *end = memchr(s, '\0', size);
	uint32_t cp;
	size_t n, k;

	if (end == NULL)
		abort();
	for (n = (size_t)(end - s); n > 0; s += k, n -= k) {
		if ((k = utf8_decode(s, n, &cp)) == 0 || text_is_unsafe(cp))
			abort();
	}
}

#define CHECK(f) check_text((f), sizeof(f))

/* A FHIR id: [A-Za-z0-9-.]{1,64}. */
static void
check_id(const char *s, size_t size)
{
	size_t n = strnlen(s, size);

	if (n == 0 || n > 64 || n == size || strspn(s, "abcdefghijklmnopqrstuvwxyz"
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-.") != n)
		abort();
}

#define CHECK_ID(f) check_id((f), sizeof(f))

/* meta.versionId, or meta.lastUpdated (a dateTime) in its place. */
static void
check_version(const char *version, const char *last_updated)
{
	int64_t t;

	if (!fhir_datetime_utc(last_updated, &t))
		abort();
	if (strcmp(version, last_updated) != 0)
		check_id(version, FHIR_ID_SIZE);
}

static void
check_ref(const struct fhir_ref *r)
{
	CHECK(r->reference);
	CHECK(r->system);
	CHECK(r->value);
	if (r->reference[0] != '\0' && (strchr(r->reference, '/') == NULL ||
	    strstr(r->reference, "_history") != NULL))
		abort();
}

static void
check_report(const struct fhir_report *r)
{
	size_t i;

	CHECK_ID(r->id);
	check_version(r->version, r->last_updated);
	CHECK(r->status);
	check_ref(&r->subject);
	if (r->n_specimen > 4 || r->n_result > FHIR_REF_MAX)
		abort();
	for (i = 0; i < r->n_specimen; i++)
		check_ref(&r->specimen[i]);
	for (i = 0; i < r->n_result; i++)
		CHECK(r->result[i]);
}

static void
check_observation(const struct fhir_observation *o)
{
	CHECK_ID(o->id);
	check_version(o->version, o->last_updated);
	CHECK(o->status);
	CHECK(o->code_system);
	CHECK(o->code);
	CHECK(o->text);
	CHECK(o->unit);
	if (!o->numeric && o->value != 0.0)
		abort();
}

static void
check_product(const struct fhir_product *p)
{
	CHECK_ID(p->id);
	check_version(p->version, p->last_updated);
	CHECK(p->status);
	CHECK(p->lot_system);
	CHECK(p->lot_code);
	CHECK(p->expiry);
}

static void
check_page(const char *json, size_t len)
{
	struct fhir_page p;
	struct cd_err err;
	size_t i;

	memset(&err, 0, sizeof err);
	if (fhir_parse_page(json, len, &p, &err) != CD_OK) {
		if (err.msg[0] == '\0' || err.status != CD_EDATA || p.reports != NULL ||
		    p.observations != NULL || p.products != NULL || p.n_reports != 0 ||
		    p.n_observations != 0 || p.n_products != 0 || p.n_other != 0 ||
		    p.total != -1 || p.next[0] != '\0')
			abort();
		CHECK(err.msg);
		return;
	}
	CHECK(p.next);
	if (p.total < -1 || p.n_reports + p.n_observations + p.n_products + p.n_other > 10000 ||
	    (p.n_reports > 0) != (p.reports != NULL) ||
	    (p.n_observations > 0) != (p.observations != NULL) ||
	    (p.n_products > 0) != (p.products != NULL))
		abort();
	for (i = 0; i < p.n_reports; i++)
		check_report(&p.reports[i]);
	for (i = 0; i < p.n_observations; i++)
		check_observation(&p.observations[i]);
	for (i = 0; i < p.n_products; i++)
		check_product(&p.products[i]);
	fhir_page_free(&p);
}

static void
check_tx(const char *json, size_t len)
{
	struct fhir_tx_response r;
	struct cd_err err;
	size_t i;

	memset(&err, 0, sizeof err);
	if (fhir_parse_tx_response(json, len, &r, &err) != CD_OK) {
		if (err.msg[0] == '\0' || (err.status != CD_EDATA && err.status != CD_REFUSED) ||
		    r.n != 0)
			abort();
		CHECK(err.msg);
		return;
	}
	if (r.n > FHIR_TX_MAX)
		abort();
	for (i = 0; i < r.n; i++) {
		if (r.e[i].status < 200 || r.e[i].status > 299)
			abort();
		CHECK(r.e[i].type);
		if (r.e[i].id[0] != '\0')
			CHECK_ID(r.e[i].id);
		if ((r.e[i].type[0] == '\0') != (r.e[i].id[0] == '\0'))
			abort();
	}
}

static void
check_outcome(const char *json, size_t len)
{
	char big[200], small[7];

	if (fhir_outcome_text(json, len, big, sizeof big))
		CHECK(big);
	if (fhir_outcome_text(json, len, small, sizeof small))
		CHECK(small);
}

/* Undoes the percent-encoding of the ifNoneExist value. */
static char *
pct_decode(const char *s)
{
	char *out = malloc(strlen(s) + 1), *o = out;
	unsigned v;

	if (out == NULL)
		abort();
	for (; *s != '\0'; s++) {
		if (*s == '%' && sscanf(s + 1, "%2X", &v) == 1) {
			*o++ = (char)v;
			s += 2;
		} else
			*o++ = *s;
	}
	*o = '\0';
	return out;
}

/* text (terminated) as the MRN and the name of an autologous order. */
static void
check_order(const char *text)
{
	struct fhir_order o;
	struct cd_err err;
	const char *cond;
	char *json, *mrn;
	json_t *b;

	memset(&o, 0, sizeof o);
	o.lot_code = "BM-0001";
	o.kind = "autologous";
	o.mrn = o.patient_name = text;
	o.source = "adipose";
	o.collected_at = "2026-11-20T08:30:00Z";
	memset(&err, 0, sizeof err);
	if (fhir_order_bundle(&o, &json, &err) != CD_OK) {
		if (err.msg[0] == '\0' || json != NULL ||
		    (text[0] != '\0' && utf8_valid(text, strlen(text))))
			abort();
		return;
	}
	if ((b = json_loads(json, JSON_REJECT_DUPLICATES, NULL)) == NULL)
		abort();
	cond = json_string_value(json_object_get(json_object_get(json_array_get(
	    json_object_get(b, "entry"), 0), "request"), "ifNoneExist"));
	if (cond == NULL || strncmp(cond, "identifier=" FHIR_SYS_MRN "|", 28) != 0 ||
	    strchr(cond + 28, '|') != NULL || strchr(cond + 28, '&') != NULL)
		abort();
	mrn = pct_decode(cond + 28);
	if (strcmp(mrn, text) != 0)
		abort();
	free(mrn);
	json_decref(b);
	free(json);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *exact, *text;

	/* An exact-size copy, so a sanitizer sees any read past the end. */
	if ((exact = malloc(size ? size : 1)) == NULL || (text = malloc(size + 1)) == NULL)
		abort();
	memcpy(exact, data, size);
	check_page(exact, size);
	check_tx(exact, size);
	check_outcome(exact, size);
	memcpy(text, data, size);
	text[size] = '\0';
	if (size < 256)
		check_order(text);
	free(exact);
	free(text);
	return 0;
}
