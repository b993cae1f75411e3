/* fhir_out.c - the transaction Bundle that orders one lot's processing
 * from the lab: Patient, Specimen and ServiceRequest, each a conditional
 * create (POST with ifNoneExist), so sending it twice creates nothing
 * twice. The fullUrls are derived from the lot code: the same lot always
 * gives the same bytes. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <openssl/evp.h>

#include "date.h"
#include "fhir.h"
#include "strbuf.h"
#include "text.h"
#include "xalloc.h"

#define SYS_SOURCE "urn:celldesk:source"
#define URN_SIZE 46 /* "urn:uuid:" + 36 + NUL */

static const struct {
	const char *source, *site;
} body_sites[] = {
	{ "bone-marrow", "posterior iliac crest" },
	{ "adipose", "abdominal subcutaneous fat" },
	{ "cord-blood", "umbilical cord" },
};

static bool
given(const char *s)
{
	return s != NULL && s[0] != '\0';
}

/* s, or NULL when it is not given (json_pack's "s*" then leaves the
 * member out). */
static const char *
opt(const char *s)
{
	return given(s) ? s : NULL;
}

/* "urn:uuid:" and a version 4 UUID made of the SHA-256 of what ":" code,
 * so one lot's entries always have the same fullUrls. */
static void
entry_urn(const char *what, const char *code, char out[URN_SIZE])
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int mdlen = 0;
	char *text = xasprintf("%s:%s", what, code);
	static const int dash[] = { 4, 6, 8, 10 };
	size_t i, k, at;

	if (EVP_Digest(text, strlen(text), md, &mdlen, EVP_sha256(), NULL) != 1 || mdlen < 16)
		fatal("out of memory (digest)");
	free(text);
	md[6] = (unsigned char)((md[6] & 0x0f) | 0x40); /* version 4 */
	md[8] = (unsigned char)((md[8] & 0x3f) | 0x80); /* RFC 4122 variant */
	at = (size_t)snprintf(out, URN_SIZE, "urn:uuid:");
	for (i = 0, k = 0; i < 16; i++) {
		if (k < 4 && (int)i == dash[k]) {
			out[at++] = '-';
			k++;
		}
		snprintf(out + at, URN_SIZE - at, "%02x", md[i]);
		at += 2;
	}
}

/* "identifier=SYSTEM|VALUE" with every byte of the value outside
 * [A-Za-z0-9-._~] percent-encoded; the caller frees it. */
static char *
if_none_exist(const char *system, const char *value)
{
	static const char plain[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
	    "0123456789-._~";
	struct strbuf b = STRBUF_INIT;

	strbuf_addf(&b, "identifier=%s|", system);
	for (; *value != '\0'; value++) {
		if (strchr(plain, *value) != NULL)
			strbuf_addc(&b, *value);
		else
			strbuf_addf(&b, "%%%02X", (unsigned char)*value);
	}
	return b.s;
}

/* Checks for json_pack's results: only memory can make them fail once
 * the order was checked. */
static json_t *
built(json_t *j)
{
	if (j == NULL)
		fatal("out of memory (JSON)");
	return j;
}

/* One entry: fullUrl, the resource, and a POST of it unless a resource
 * with the same identifier exists. */
static json_t *
entry(const char *urn, json_t *resource, const char *type, const char *system,
    const char *value)
{
	char *cond = if_none_exist(system, value);
	json_t *e;

	e = built(json_pack("{s:s, s:o, s:{s:s, s:s, s:s}}", "fullUrl", urn, "resource", resource,
	    "request", "method", "POST", "url", type, "ifNoneExist", cond));
	free(cond);
	return e;
}

static json_t *
patient(const struct fhir_order *o, const char *urn)
{
	bool donor = strcmp(o->kind, "donor") == 0;
	const char *system = donor ? FHIR_SYS_DONOR : FHIR_SYS_MRN;
	const char *value = donor ? o->donor_code : o->mrn;
	json_t *name = NULL, *r;

	if (!donor && given(o->patient_name))
		name = built(json_pack("[{s:s}]", "text", o->patient_name));
	r = built(json_pack("{s:s, s:[{s:s, s:s}], s:o*, s:s*}", "resourceType", "Patient",
	    "identifier", "system", system, "value", value, "name", name,
	    "birthDate", donor ? NULL : opt(o->birth_date)));
	return entry(urn, r, "Patient", system, value);
}

static json_t *
specimen(const struct fhir_order *o, const char *urn, const char *patient_urn)
{
	const char *site = NULL;
	json_t *body = NULL, *r;
	size_t i;

	for (i = 0; i < sizeof body_sites / sizeof body_sites[0]; i++) {
		if (strcmp(o->source, body_sites[i].source) == 0)
			site = body_sites[i].site;
	}
	if (site != NULL)
		body = built(json_pack("{s:s}", "text", site));
	r = built(json_pack("{s:s, s:[{s:s, s:s}], s:s, s:{s:[{s:s, s:s}], s:s}, s:{s:s},"
	    " s:{s:s, s:o*}}", "resourceType", "Specimen",
	    "identifier", "system", FHIR_SYS_LOT, "value", o->lot_code,
	    "status", "available",
	    "type", "coding", "system", SYS_SOURCE, "code", o->source, "text", o->source,
	    "subject", "reference", patient_urn,
	    "collection", "collectedDateTime", o->collected_at, "bodySite", body));
	return entry(urn, r, "Specimen", FHIR_SYS_LOT, o->lot_code);
}

static json_t *
service_request(const struct fhir_order *o, const char *urn, const char *patient_urn,
    const char *specimen_urn)
{
	json_t *r;

	r = built(json_pack("{s:s, s:[{s:s, s:s}], s:s, s:s, s:{s:s}, s:{s:s}, s:[{s:s}],"
	    " s:s*}", "resourceType", "ServiceRequest",
	    "identifier", "system", FHIR_SYS_ORDER, "value", o->lot_code,
	    "status", "active", "intent", "order",
	    "code", "text", "cell processing",
	    "subject", "reference", patient_urn,
	    "specimen", "reference", specimen_urn,
	    "occurrenceDateTime", opt(o->needed_at)));
	return entry(urn, r, "ServiceRequest", FHIR_SYS_ORDER, o->lot_code);
}

/* A FHIR date (YYYY-MM-DD) or a dateTime with a time and a zone. */
static bool
is_date_time(const char *s)
{
	struct cd_date d;
	int64_t t;

	return date_parse(s, &d) || fhir_datetime_utc(s, &t);
}

/* Refuses an order the lab could not take: what is required missing,
 * text that is not UTF-8, dates that are not dates. */
static enum cd_status
order_check(const struct fhir_order *o, struct cd_err *err)
{
	const struct {
		const char *name, *value;
	} f[] = {
		{ "lot code", o->lot_code }, { "kind", o->kind }, { "source", o->source },
		{ "collection time", o->collected_at }, { "MRN", o->mrn },
		{ "patient's name", o->patient_name }, { "birth date", o->birth_date },
		{ "donor code", o->donor_code }, { "time it is needed", o->needed_at },
	};
	struct cd_date d;
	size_t i;

	for (i = 0; i < sizeof f / sizeof f[0]; i++) {
		if (i < 4 && !given(f[i].value))
			return cd_fail(err, CD_EDATA, "the lab order has no %s", f[i].name);
		if (given(f[i].value) && !utf8_valid(f[i].value, strlen(f[i].value)))
			return cd_fail(err, CD_EDATA, "the lab order's %s is not valid UTF-8",
			    f[i].name);
	}
	if (strcmp(o->kind, "autologous") != 0 && strcmp(o->kind, "donor") != 0)
		return cd_fail(err, CD_EDATA, "the lab order's kind of lot is neither autologous"
		    " nor donor");
	if (strcmp(o->kind, "autologous") == 0 && !given(o->mrn))
		return cd_fail(err, CD_EDATA, "the lab order for autologous lot %s has no MRN",
		    o->lot_code);
	if (strcmp(o->kind, "donor") == 0 && !given(o->donor_code))
		return cd_fail(err, CD_EDATA, "the lab order for donor lot %s has no donor code",
		    o->lot_code);
	if (!is_date_time(o->collected_at) || (given(o->needed_at) && !is_date_time(o->needed_at)))
		return cd_fail(err, CD_EDATA, "the lab order for lot %s has a time that is not a"
		    " date, or a date and time with a zone", o->lot_code);
	if (given(o->birth_date) && !date_parse(o->birth_date, &d))
		return cd_fail(err, CD_EDATA, "the lab order for lot %s has a birth date that is"
		    " not a date (YYYY-MM-DD)", o->lot_code);
	return CD_OK;
}

enum cd_status
fhir_order_bundle(const struct fhir_order *o, char **json, struct cd_err *err)
{
	char pat[URN_SIZE], spec[URN_SIZE], req[URN_SIZE];
	enum cd_status st;
	json_t *b;

	*json = NULL;
	if ((st = order_check(o, err)) != CD_OK)
		return st;
	entry_urn("patient", o->lot_code, pat);
	entry_urn("specimen", o->lot_code, spec);
	entry_urn("order", o->lot_code, req);
	b = built(json_pack("{s:s, s:s, s:[o, o, o]}", "resourceType", "Bundle",
	    "type", "transaction", "entry", patient(o, pat), specimen(o, spec, pat),
	    service_request(o, req, pat, spec)));
	*json = json_dumps(b, JSON_COMPACT | JSON_PRESERVE_ORDER);
	json_decref(b);
	if (*json == NULL)
		fatal("out of memory (JSON)");
	return CD_OK;
}
