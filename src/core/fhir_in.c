/* fhir_in.c - readers for what the lab sends back: the transaction-
 * response to an order, the text of an OperationOutcome, and searchset
 * pages of DiagnosticReport, Observation and BiologicallyDerivedProduct.
 * The input is hostile (the lab's server or whoever sits between): it is
 * read with its length, and every string is checked before it is kept.
 * Ids, codes and identifiers that do not fit or hold what a terminal
 * must not see are refused; free text is escaped (text_sanitize). A
 * refusal is one sentence, and nothing partial is returned. */
#include "config.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "fhir.h"
#include "strbuf.h"
#include "text.h"
#include "xalloc.h"

#define BODY_MAX ((size_t)64 << 20) /* 64 MiB */
#define PAGE_ENTRIES_MAX 10000
#define ID_MAX 64

/* How a string is checked before it is kept. */
enum fkind {
	F_ID,     /* a FHIR id: [A-Za-z0-9-.]{1,64} */
	F_TOKEN,  /* codes, uris, times: printable ASCII without spaces */
	F_REF,    /* a relative reference Type/id; "/_history/v" dropped */
	F_IDENT,  /* identifier values: UTF-8 without control or bidi characters */
	F_TEXT    /* free text: escaped */
};

/* Where the reader is, for sentences: "DiagnosticReport abc" and the
 * object within it ("specimen[1].identifier", or ""). */
struct rd {
	char what[96];
	char at[64];
	struct cd_err *err;
};

/* Refuses with "WHAT: AT.KEY WHY" (KEY may be NULL: AT itself). */
static enum cd_status
bad(struct rd *r, const char *key, const char *why)
{
	const char *dot = r->at[0] != '\0' && key != NULL ? "." : "";

	return cd_fail(r->err, CD_EDATA, "%s: %s%s%s %s", r->what, r->at, dot,
	    key != NULL ? key : "", why);
}

/* Points the reader at name[i]. */
static void
set_at(struct rd *r, const char *name, size_t i)
{
	snprintf(r->at, sizeof r->at, "%s[%zu]", name, i);
}

static const char *
type_words(json_type t)
{
	switch (t) {
	case JSON_OBJECT:
		return "is not an object";
	case JSON_ARRAY:
		return "is not a list";
	default:
		return "is not a string";
	}
}

/* Member key of obj, which must be of type t when present; *out is NULL
 * when it is absent. */
static enum cd_status
member(struct rd *r, json_t *obj, const char *key, json_type t, json_t **out)
{
	json_t *v = json_object_get(obj, key);

	*out = NULL;
	if (v == NULL)
		return CD_OK;
	if (json_typeof(v) != t)
		return bad(r, key, type_words(t));
	*out = v;
	return CD_OK;
}

static bool
is_id_char(char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
	    c == '-' || c == '.';
}

static bool
is_id(const char *s, size_t n)
{
	size_t i;

	if (n == 0 || n > ID_MAX)
		return false;
	for (i = 0; i < n; i++) {
		if (!is_id_char(s[i]))
			return false;
	}
	return true;
}

/* A resource type: a capital letter, then letters. */
static bool
is_type(const char *s, size_t n)
{
	size_t i;

	if (n == 0 || n >= sizeof ((struct fhir_tx_entry *)0)->type || s[0] < 'A' || s[0] > 'Z')
		return false;
	for (i = 1; i < n; i++) {
		if (!((s[i] >= 'A' && s[i] <= 'Z') || (s[i] >= 'a' && s[i] <= 'z')))
			return false;
	}
	return true;
}

static bool
is_token(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if ((unsigned char)s[i] <= 0x20 || (unsigned char)s[i] >= 0x7f)
			return false;
	}
	return true;
}

static bool
is_safe_text(const char *s, size_t n)
{
	uint32_t cp;
	size_t k;

	while (n > 0) {
		if ((k = utf8_decode(s, n, &cp)) == 0 || text_is_unsafe(cp))
			return false;
		s += k;
		n -= k;
	}
	return true;
}

/* The length of the "Type/id" that starts reference s (n bytes), with a
 * "/_history/VERSION" after it allowed; 0 when s is not of that form. */
static size_t
ref_len(const char *s, size_t n)
{
	const char *slash = memchr(s, '/', n), *end;
	size_t keep;

	if (slash == NULL || !is_type(s, (size_t)(slash - s)))
		return 0;
	end = memchr(slash + 1, '/', n - (size_t)(slash + 1 - s));
	keep = (size_t)((end != NULL ? end : s + n) - s);
	if (!is_id(slash + 1, keep - (size_t)(slash + 1 - s)))
		return 0;
	if (end != NULL && (n - keep <= 10 || memcmp(end, "/_history/", 10) != 0 ||
	    !is_id(end + 10, n - keep - 10)))
		return 0;
	return keep;
}

/* Why s cannot be kept as kind k, or NULL; *n may shrink (F_REF). */
static const char *
refusal(const char *s, size_t *n, enum fkind k)
{
	if (strlen(s) != *n)
		return "holds a NUL character";
	switch (k) {
	case F_ID:
		return is_id(s, *n) ? NULL : "is not a FHIR id (1 to 64 letters, digits, '-' or '.')";
	case F_TOKEN:
		return is_token(s, *n) ? NULL : "holds spaces, control or non-ASCII characters";
	case F_REF:
		return (*n = ref_len(s, *n)) > 0 ? NULL : "is not a reference of the form Type/id";
	case F_IDENT:
		return is_safe_text(s, *n) ? NULL : "holds control or text direction characters,"
		    " or is not valid UTF-8";
	default:
		return NULL;
	}
}

/* Keeps s (n bytes) in dst (size sz) as kind k; refused when it does
 * not fit. */
static enum cd_status
keep(struct rd *r, const char *key, const char *s, size_t n, enum fkind k, char *dst,
    size_t sz)
{
	struct strbuf b = STRBUF_INIT;
	const char *why = refusal(s, &n, k);
	char longer[64];

	if (why != NULL)
		return bad(r, key, why);
	if (k == F_TEXT) {
		text_sanitize(&b, s, n);
		s = strbuf_str(&b);
		n = b.len;
	}
	if (n >= sz) {
		strbuf_free(&b);
		snprintf(longer, sizeof longer, "is longer than the %zu characters celldesk keeps",
		    sz - 1);
		return bad(r, key, longer);
	}
	memcpy(dst, s, n);
	dst[n] = '\0';
	strbuf_free(&b);
	return CD_OK;
}

/* Copies string member key of obj into dst, checked as kind k; "" when
 * it is absent. */
static enum cd_status
field(struct rd *r, json_t *obj, const char *key, enum fkind k, char *dst, size_t sz)
{
	enum cd_status st;
	json_t *v;

	dst[0] = '\0';
	if ((st = member(r, obj, key, JSON_STRING, &v)) != CD_OK || v == NULL)
		return st;
	return keep(r, key, json_string_value(v), json_string_length(v), k, dst, sz);
}

/* The string member key of obj, or NULL (also when not a string). */
static const char *
str_of(json_t *obj, const char *key)
{
	return json_string_value(json_object_get(obj, key));
}

static bool
str_is(json_t *obj, const char *key, const char *want)
{
	const char *s = str_of(obj, key);

	return s != NULL && strcmp(s, want) == 0;
}

/* Element i of list, which must be an object (the list named name). */
static enum cd_status
element(struct rd *r, json_t *list, size_t i, const char *name, json_t **out)
{
	set_at(r, name, i);
	*out = json_array_get(list, i);
	return json_is_object(*out) ? CD_OK : bad(r, NULL, "is not an object");
}

/* Of the objects in list (named name), the one with system sys and a
 * string key, else the first with a string key; *at is -1 when none has
 * one. The others are only checked to hold strings where strings go. */
static enum cd_status
pick(struct rd *r, json_t *list, const char *name, const char *sys, const char *key,
    long *at)
{
	enum cd_status st;
	json_t *e, *v;
	size_t i;

	*at = -1;
	for (i = 0; i < json_array_size(list); i++) {
		if ((st = element(r, list, i, name, &e)) != CD_OK ||
		    (st = member(r, e, "system", JSON_STRING, &v)) != CD_OK ||
		    (st = member(r, e, key, JSON_STRING, &v)) != CD_OK)
			return st;
		if (v == NULL)
			continue;
		if (str_is(e, "system", sys)) {
			*at = (long)i;
			break;
		}
		if (*at < 0)
			*at = (long)i;
	}
	return CD_OK;
}

/* Reads system and the member key (value of an Identifier, code of a
 * Coding) of object o. */
static enum cd_status
sys_value(struct rd *r, json_t *o, const char *key, char *system, size_t ssz, char *value,
    size_t vsz)
{
	enum cd_status st;

	if ((st = field(r, o, "system", F_TOKEN, system, ssz)) != CD_OK)
		return st;
	return field(r, o, key, F_IDENT, value, vsz);
}

/* A Reference (where names it): reference and/or identifier. */
static enum cd_status
reference(struct rd *r, json_t *v, const char *where, struct fhir_ref *out)
{
	char base[24];
	enum cd_status st;
	json_t *id;

	memset(out, 0, sizeof *out);
	snprintf(base, sizeof base, "%s", where); /* where may be r->at */
	snprintf(r->at, sizeof r->at, "%s", base);
	if ((st = field(r, v, "reference", F_REF, out->reference, sizeof out->reference)) !=
	    CD_OK || (st = member(r, v, "identifier", JSON_OBJECT, &id)) != CD_OK || id == NULL)
		return st;
	snprintf(r->at, sizeof r->at, "%s.identifier", base);
	return sys_value(r, id, "value", out->system, sizeof out->system, out->value,
	    sizeof out->value);
}

/* id, meta.versionId (meta.lastUpdated when there is none) and
 * meta.lastUpdated, all required but the version; from here on r->what
 * names the resource by its id. */
static enum cd_status
head(struct rd *r, json_t *res, const char *type, char *id, char *version, char *updated)
{
	enum cd_status st;
	int64_t t;
	json_t *meta;

	r->at[0] = '\0';
	if ((st = field(r, res, "id", F_ID, id, FHIR_ID_SIZE)) != CD_OK)
		return st;
	if (id[0] == '\0')
		return cd_fail(r->err, CD_EDATA, "%s has no id", r->what);
	snprintf(r->what, sizeof r->what, "%s %s", type, id);
	if ((st = member(r, res, "meta", JSON_OBJECT, &meta)) != CD_OK)
		return st;
	snprintf(r->at, sizeof r->at, "meta");
	if ((st = field(r, meta, "versionId", F_ID, version, FHIR_ID_SIZE)) != CD_OK ||
	    (st = field(r, meta, "lastUpdated", F_TOKEN, updated, FHIR_TIME_SIZE)) != CD_OK)
		return st;
	if (updated[0] == '\0')
		return cd_fail(r->err, CD_EDATA, "%s has no meta.lastUpdated", r->what);
	if (!fhir_datetime_utc(updated, &t))
		return bad(r, "lastUpdated", "is not a date and time with a zone");
	if (version[0] == '\0')
		memcpy(version, updated, strlen(updated) + 1);
	return CD_OK;
}

/* The list member key of obj with at most max elements. */
static enum cd_status
list(struct rd *r, json_t *obj, const char *key, size_t max, json_t **out)
{
	enum cd_status st;
	char why[80];

	if ((st = member(r, obj, key, JSON_ARRAY, out)) != CD_OK || *out == NULL ||
	    json_array_size(*out) <= max)
		return st;
	snprintf(why, sizeof why, "holds %zu elements; celldesk reads at most %zu",
	    json_array_size(*out), max);
	return bad(r, key, why);
}

static enum cd_status
read_report(struct rd *r, json_t *res, struct fhir_report *out)
{
	enum cd_status st;
	json_t *v, *e;
	size_t i;

	if ((st = head(r, res, "DiagnosticReport", out->id, out->version, out->last_updated)) !=
	    CD_OK)
		return st;
	r->at[0] = '\0';
	if ((st = field(r, res, "status", F_TOKEN, out->status, sizeof out->status)) != CD_OK ||
	    (st = member(r, res, "subject", JSON_OBJECT, &v)) != CD_OK ||
	    (v != NULL && (st = reference(r, v, "subject", &out->subject)) != CD_OK))
		return st;
	r->at[0] = '\0';
	if ((st = list(r, res, "specimen", 4, &v)) != CD_OK)
		return st;
	for (i = 0; i < json_array_size(v); i++) {
		if ((st = element(r, v, i, "specimen", &e)) != CD_OK ||
		    (st = reference(r, e, r->at, &out->specimen[i])) != CD_OK)
			return st;
	}
	out->n_specimen = json_array_size(v);
	r->at[0] = '\0';
	if ((st = list(r, res, "result", FHIR_REF_MAX, &v)) != CD_OK)
		return st;
	for (i = 0; i < json_array_size(v); i++) {
		if ((st = element(r, v, i, "result", &e)) != CD_OK ||
		    (st = field(r, e, "reference", F_REF, out->result[i], sizeof out->result[i])) !=
		    CD_OK)
			return st;
	}
	out->n_result = json_array_size(v);
	return CD_OK;
}

/* Observation.code: the coding of system FHIR_SYS_QC_TEST, else the
 * first coding with a code, else code.text. */
static enum cd_status
read_code(struct rd *r, json_t *res, struct fhir_observation *out)
{
	enum cd_status st;
	json_t *code, *codings;
	long at;

	r->at[0] = '\0';
	if ((st = member(r, res, "code", JSON_OBJECT, &code)) != CD_OK || code == NULL)
		return st;
	snprintf(r->at, sizeof r->at, "code");
	if ((st = member(r, code, "coding", JSON_ARRAY, &codings)) != CD_OK ||
	    (st = pick(r, codings, "code.coding", FHIR_SYS_QC_TEST, "code", &at)) != CD_OK)
		return st;
	if (at >= 0) {
		set_at(r, "code.coding", (size_t)at);
		return sys_value(r, json_array_get(codings, (size_t)at), "code",
		    out->code_system, sizeof out->code_system, out->code, sizeof out->code);
	}
	snprintf(r->at, sizeof r->at, "code");
	return field(r, code, "text", F_TEXT, out->code, sizeof out->code);
}

static enum cd_status
read_quantity(struct rd *r, json_t *q, struct fhir_observation *out)
{
	enum cd_status st;
	json_t *v = json_object_get(q, "value");

	snprintf(r->at, sizeof r->at, "valueQuantity");
	if (v != NULL && !json_is_number(v))
		return bad(r, "value", "is not a number");
	out->numeric = v != NULL;
	out->value = v != NULL ? json_number_value(v) : 0.0;
	if ((st = field(r, q, "unit", F_TEXT, out->unit, sizeof out->unit)) != CD_OK ||
	    out->unit[0] != '\0')
		return st;
	return field(r, q, "code", F_TOKEN, out->unit, sizeof out->unit);
}

/* valueCodeableConcept: its text, else coding[0].code. */
static enum cd_status
read_concept(struct rd *r, json_t *c, struct fhir_observation *out)
{
	enum cd_status st;
	json_t *codings, *first;

	snprintf(r->at, sizeof r->at, "valueCodeableConcept");
	if ((st = field(r, c, "text", F_TEXT, out->text, sizeof out->text)) != CD_OK ||
	    out->text[0] != '\0' ||
	    (st = member(r, c, "coding", JSON_ARRAY, &codings)) != CD_OK ||
	    json_array_size(codings) == 0 ||
	    (st = element(r, codings, 0, "valueCodeableConcept.coding", &first)) != CD_OK)
		return st;
	return field(r, first, "code", F_IDENT, out->text, sizeof out->text);
}

/* value[x]: Quantity, integer, string, CodeableConcept or boolean. */
static enum cd_status
read_value(struct rd *r, json_t *res, struct fhir_observation *out)
{
	enum cd_status st;
	json_t *v;

	r->at[0] = '\0';
	if ((st = member(r, res, "valueQuantity", JSON_OBJECT, &v)) != CD_OK)
		return st;
	if (v != NULL)
		return read_quantity(r, v, out);
	if ((v = json_object_get(res, "valueInteger")) != NULL) {
		if (!json_is_integer(v))
			return bad(r, "valueInteger", "is not a whole number");
		out->numeric = true;
		out->value = (double)json_integer_value(v);
		return CD_OK;
	}
	if ((v = json_object_get(res, "valueBoolean")) != NULL) {
		if (!json_is_boolean(v))
			return bad(r, "valueBoolean", "is not true or false");
		snprintf(out->text, sizeof out->text, "%s", json_is_true(v) ? "true" : "false");
		return CD_OK;
	}
	if ((st = field(r, res, "valueString", F_TEXT, out->text, sizeof out->text)) != CD_OK ||
	    out->text[0] != '\0' ||
	    (st = member(r, res, "valueCodeableConcept", JSON_OBJECT, &v)) != CD_OK || v == NULL)
		return st;
	return read_concept(r, v, out);
}

static enum cd_status
read_observation(struct rd *r, json_t *res, struct fhir_observation *out)
{
	enum cd_status st;

	if ((st = head(r, res, "Observation", out->id, out->version, out->last_updated)) !=
	    CD_OK)
		return st;
	r->at[0] = '\0';
	if ((st = field(r, res, "status", F_TOKEN, out->status, sizeof out->status)) != CD_OK ||
	    (st = read_code(r, res, out)) != CD_OK)
		return st;
	return read_value(r, res, out);
}

/* The expiry extension's valueDateTime; other extensions are only
 * checked to name their url with a string. */
static enum cd_status
read_expiry(struct rd *r, json_t *res, struct fhir_product *out)
{
	enum cd_status st;
	json_t *exts, *e, *url;
	size_t i;

	r->at[0] = '\0';
	if ((st = member(r, res, "extension", JSON_ARRAY, &exts)) != CD_OK)
		return st;
	for (i = 0; i < json_array_size(exts); i++) {
		if ((st = element(r, exts, i, "extension", &e)) != CD_OK ||
		    (st = member(r, e, "url", JSON_STRING, &url)) != CD_OK)
			return st;
		if (url != NULL && strcmp(json_string_value(url), FHIR_EXT_BDP_EXPIRY) == 0)
			return field(r, e, "valueDateTime", F_TOKEN, out->expiry, sizeof out->expiry);
	}
	return CD_OK;
}

static enum cd_status
read_product(struct rd *r, json_t *res, struct fhir_product *out)
{
	enum cd_status st;
	json_t *ids;
	long at;

	if ((st = head(r, res, "BiologicallyDerivedProduct", out->id, out->version,
	    out->last_updated)) != CD_OK)
		return st;
	r->at[0] = '\0';
	if ((st = field(r, res, "status", F_TOKEN, out->status, sizeof out->status)) != CD_OK ||
	    (st = member(r, res, "identifier", JSON_ARRAY, &ids)) != CD_OK ||
	    (st = pick(r, ids, "identifier", FHIR_SYS_LOT, "value", &at)) != CD_OK)
		return st;
	if (at >= 0) {
		set_at(r, "identifier", (size_t)at);
		if ((st = sys_value(r, json_array_get(ids, (size_t)at), "value", out->lot_system,
		    sizeof out->lot_system, out->lot_code, sizeof out->lot_code)) != CD_OK)
			return st;
	}
	return read_expiry(r, res, out);
}

/* Parses json (len bytes) into an object; what names it in sentences. */
static json_t *
load(const char *json, size_t len, const char *what, struct cd_err *err)
{
	struct strbuf b = STRBUF_INIT;
	json_error_t je;
	json_t *j;

	if (len == 0 || json == NULL) {
		cd_fail(err, CD_EDATA, "the lab's %s is empty", what);
		return NULL;
	}
	if (len > BODY_MAX) {
		cd_fail(err, CD_EDATA, "the lab's %s is %zu bytes, more than the 64 MiB celldesk"
		    " reads", what, len);
		return NULL;
	}
	if ((j = json_loadb(json, len, JSON_REJECT_DUPLICATES, &je)) == NULL) {
		text_sanitize(&b, je.text, strnlen(je.text, sizeof je.text));
		cd_fail(err, CD_EDATA, "the lab's %s is not JSON: %.200s (line %d)", what,
		    strbuf_str(&b), je.line);
		strbuf_free(&b);
		return NULL;
	}
	if (!json_is_object(j)) {
		json_decref(j);
		cd_fail(err, CD_EDATA, "the lab's %s is not a JSON object", what);
		return NULL;
	}
	return j;
}

/* The issues of OperationOutcome o joined with "; ", escaped and cut to
 * fit out (at a character boundary). */
static void
outcome_join(json_t *o, char *out, size_t outsz)
{
	struct strbuf b = STRBUF_INIT;
	json_t *issues = json_object_get(o, "issue"), *is;
	const char *s;
	size_t i, n;

	for (i = 0; i < json_array_size(issues) && b.len < outsz; i++) {
		is = json_array_get(issues, i);
		if ((s = str_of(json_object_get(is, "details"), "text")) == NULL &&
		    (s = str_of(is, "diagnostics")) == NULL && (s = str_of(is, "code")) == NULL)
			continue;
		if (b.len > 0)
			strbuf_adds(&b, "; ");
		text_sanitize(&b, s, strlen(s));
	}
	n = b.len < outsz ? b.len : outsz - 1;
	while (n > 0 && n < b.len && ((unsigned char)b.s[n] & 0xc0) == 0x80)
		n--;
	if (n > 0)
		memcpy(out, b.s, n);
	out[n] = '\0';
	strbuf_free(&b);
}

bool
fhir_outcome_text(const char *json, size_t len, char *out, size_t outsz)
{
	struct cd_err err;
	json_t *j;
	bool ok;

	if (outsz == 0)
		return false;
	out[0] = '\0';
	if ((j = load(json, len, "outcome", &err)) == NULL)
		return false;
	if ((ok = str_is(j, "resourceType", "OperationOutcome")))
		outcome_join(j, out, outsz);
	json_decref(j);
	return ok;
}

/* response.location "Type/id", perhaps with "/_history/v" after it or
 * a base URL before it, into e. */
static enum cd_status
location(struct rd *r, json_t *resp, struct fhir_tx_entry *e)
{
	char loc[512], *type, *id, *hist;
	enum cd_status st;

	if ((st = field(r, resp, "location", F_TOKEN, loc, sizeof loc)) != CD_OK || loc[0] == '\0')
		return st;
	if ((hist = strstr(loc, "/_history/")) != NULL)
		*hist = '\0';
	if ((id = strrchr(loc, '/')) == NULL)
		return bad(r, "location", "is not of the form Type/id");
	*id++ = '\0';
	type = strrchr(loc, '/') != NULL ? strrchr(loc, '/') + 1 : loc;
	if (!is_type(type, strlen(type)) || !is_id(id, strlen(id)))
		return bad(r, "location", "is not of the form Type/id");
	memcpy(e->type, type, strlen(type) + 1);
	memcpy(e->id, id, strlen(id) + 1);
	return CD_OK;
}

/* One entry of a transaction-response; a status other than 2xx is
 * refused: 4xx is the lab's refusal (CD_REFUSED), others (5xx, or 1xx
 * and 3xx, which have no place here) CD_EDATA, worth another try. */
static enum cd_status
tx_entry(struct rd *r, json_t *entry, size_t i, struct fhir_tx_entry *e)
{
	char why[300];
	enum cd_status st;
	const char *status;
	json_t *resp, *v;
	bool refused;

	if ((st = element(r, entry, i, "entry", &resp)) != CD_OK ||
	    (st = member(r, resp, "response", JSON_OBJECT, &resp)) != CD_OK)
		return st;
	if (resp == NULL)
		return bad(r, "response", "is missing");
	snprintf(r->at, sizeof r->at, "entry[%zu].response", i);
	if ((st = member(r, resp, "status", JSON_STRING, &v)) != CD_OK)
		return st;
	if ((status = json_string_value(v)) == NULL)
		return bad(r, "status", "is missing");
	if (strspn(status, "0123456789") != 3 || (status[3] != '\0' && status[3] != ' ') ||
	    status[0] < '1' || status[0] > '5')
		return bad(r, "status", "does not start with an HTTP status code");
	e->status = (status[0] - '0') * 100 + (status[1] - '0') * 10 + (status[2] - '0');
	if (e->status < 200 || e->status >= 300) {
		refused = e->status >= 400 && e->status < 500;
		outcome_join(json_object_get(resp, "outcome"), why, sizeof why);
		return cd_fail(r->err, refused ? CD_REFUSED : CD_EDATA, "the lab %s the order"
		    " (entry %zu, status %d)%s%s", refused ? "refused" : "could not take", i + 1,
		    e->status, why[0] != '\0' ? ": " : "", why);
	}
	return location(r, resp, e);
}

enum cd_status
fhir_parse_tx_response(const char *json, size_t len, struct fhir_tx_response *r,
    struct cd_err *err)
{
	struct fhir_tx_response out;
	struct rd rd = { "the lab's answer to the order", "", err };
	enum cd_status st = CD_OK;
	char why[300];
	json_t *j, *entries;
	size_t i;

	memset(r, 0, sizeof *r);
	memset(&out, 0, sizeof out);
	if ((j = load(json, len, "answer to the order", err)) == NULL)
		return CD_EDATA;
	if (str_is(j, "resourceType", "OperationOutcome")) {
		outcome_join(j, why, sizeof why);
		st = cd_fail(err, CD_REFUSED, "the lab refused the order: %s", why[0] != '\0' ? why :
		    "it gave no reason");
	} else if (!str_is(j, "resourceType", "Bundle") || !str_is(j, "type",
	    "transaction-response"))
		st = cd_fail(err, CD_EDATA, "the lab's answer to the order is not a"
		    " transaction-response Bundle");
	else if ((st = list(&rd, j, "entry", FHIR_TX_MAX, &entries)) == CD_OK) {
		for (i = 0; st == CD_OK && i < json_array_size(entries); i++)
			st = tx_entry(&rd, entries, i, &out.e[i]);
		out.n = json_array_size(entries);
	}
	json_decref(j);
	if (st == CD_OK)
		*r = out;
	return st;
}

/* --- searchset pages --- */

static void
page_empty(struct fhir_page *page)
{
	memset(page, 0, sizeof *page);
	page->total = -1;
}

void
fhir_page_free(struct fhir_page *page)
{
	free(page->reports);
	free(page->observations);
	free(page->products);
	page_empty(page);
}

/* What entry i is: one of the kinds read, or FHIR_OTHER (other types,
 * search mode "outcome"); *res is its resource. */
static enum cd_status
entry_kind(struct rd *r, json_t *entries, size_t i, json_t **res, enum fhir_kind *kind)
{
	static const char *const types[] = { "DiagnosticReport", "Observation",
		"BiologicallyDerivedProduct" };
	enum cd_status st;
	json_t *e, *search, *type, *mode;
	size_t k;

	*kind = FHIR_OTHER;
	if ((st = element(r, entries, i, "entry", &e)) != CD_OK ||
	    (st = member(r, e, "search", JSON_OBJECT, &search)) != CD_OK ||
	    (st = member(r, e, "resource", JSON_OBJECT, res)) != CD_OK)
		return st;
	if (*res == NULL)
		return bad(r, NULL, "has no resource");
	if ((st = member(r, *res, "resourceType", JSON_STRING, &type)) != CD_OK)
		return st;
	if (type == NULL)
		return bad(r, NULL, "has a resource without a resourceType");
	snprintf(r->at, sizeof r->at, "entry[%zu].search", i);
	if ((st = member(r, search, "mode", JSON_STRING, &mode)) != CD_OK)
		return st;
	if (mode != NULL && strcmp(json_string_value(mode), "outcome") == 0)
		return CD_OK;
	if (mode != NULL && strcmp(json_string_value(mode), "match") != 0 &&
	    strcmp(json_string_value(mode), "include") != 0)
		return bad(r, "mode", "is not match, include or outcome");
	for (k = 0; k < sizeof types / sizeof types[0]; k++) {
		if (str_is(*res, "resourceType", types[k]))
			*kind = (enum fhir_kind)k;
	}
	return CD_OK;
}

/* Parses the resource of entry i into its array of page. */
static enum cd_status
read_entry(struct rd *r, json_t *entries, size_t i, struct fhir_page *page)
{
	enum fhir_kind kind;
	enum cd_status st;
	json_t *res;

	snprintf(r->what, sizeof r->what, "the lab's search page");
	if ((st = entry_kind(r, entries, i, &res, &kind)) != CD_OK)
		return st;
	if (kind != FHIR_OTHER)
		snprintf(r->what, sizeof r->what, "the lab's search page, entry[%zu] (%s)", i,
		    str_of(res, "resourceType"));
	switch (kind) {
	case FHIR_REPORT:
		return read_report(r, res, &page->reports[page->n_reports++]);
	case FHIR_OBSERVATION:
		return read_observation(r, res, &page->observations[page->n_observations++]);
	case FHIR_PRODUCT:
		return read_product(r, res, &page->products[page->n_products++]);
	default:
		page->n_other++;
		return CD_OK;
	}
}

/* Counts the entries of each kind and makes room for them in page. */
static enum cd_status
make_room(struct rd *r, json_t *entries, struct fhir_page *page)
{
	size_t i, n[FHIR_OTHER + 1] = { 0 };
	enum fhir_kind kind;
	enum cd_status st;
	json_t *res;

	for (i = 0; i < json_array_size(entries); i++) {
		if ((st = entry_kind(r, entries, i, &res, &kind)) != CD_OK)
			return st;
		n[kind]++;
	}
	page->reports = n[FHIR_REPORT] ? xcalloc(n[FHIR_REPORT], sizeof *page->reports) : NULL;
	page->observations = n[FHIR_OBSERVATION] ? xcalloc(n[FHIR_OBSERVATION],
	    sizeof *page->observations) : NULL;
	page->products = n[FHIR_PRODUCT] ? xcalloc(n[FHIR_PRODUCT], sizeof *page->products) :
	    NULL;
	return CD_OK;
}

/* Bundle.total and the link whose relation is "next". */
static enum cd_status
read_paging(struct rd *r, json_t *j, struct fhir_page *page)
{
	json_t *total = json_object_get(j, "total"), *links, *l, *v;
	enum cd_status st;
	size_t i;

	if (total != NULL && (!json_is_integer(total) || json_integer_value(total) < 0 ||
	    json_integer_value(total) > LONG_MAX))
		return bad(r, "total", "is not a whole number of 0 or more");
	page->total = total != NULL ? (long)json_integer_value(total) : -1;
	if ((st = member(r, j, "link", JSON_ARRAY, &links)) != CD_OK)
		return st;
	for (i = 0; i < json_array_size(links); i++) {
		if ((st = element(r, links, i, "link", &l)) != CD_OK ||
		    (st = member(r, l, "relation", JSON_STRING, &v)) != CD_OK)
			return st;
		if (v != NULL && strcmp(json_string_value(v), "next") == 0)
			return field(r, l, "url", F_TOKEN, page->next, sizeof page->next);
		if ((st = member(r, l, "url", JSON_STRING, &v)) != CD_OK)
			return st;
	}
	return CD_OK;
}

/* Reads a searchset Bundle j into page. */
static enum cd_status
read_page(json_t *j, struct fhir_page *page, struct cd_err *err)
{
	struct rd r = { "the lab's search page", "", err };
	char why[300];
	json_t *entries;
	enum cd_status st;
	size_t i;

	if (str_is(j, "resourceType", "OperationOutcome")) {
		outcome_join(j, why, sizeof why);
		return cd_fail(err, CD_EDATA, "the lab answered the search with an error: %s",
		    why[0] != '\0' ? why : "it gave no reason");
	}
	if (!str_is(j, "resourceType", "Bundle") || !str_is(j, "type", "searchset"))
		return cd_fail(err, CD_EDATA, "the lab's answer to a search is not a searchset"
		    " Bundle");
	if ((st = read_paging(&r, j, page)) != CD_OK ||
	    (st = list(&r, j, "entry", PAGE_ENTRIES_MAX, &entries)) != CD_OK ||
	    (st = make_room(&r, entries, page)) != CD_OK)
		return st;
	for (i = 0; st == CD_OK && i < json_array_size(entries); i++)
		st = read_entry(&r, entries, i, page);
	return st;
}

enum cd_status
fhir_parse_page(const char *json, size_t len, struct fhir_page *page, struct cd_err *err)
{
	enum cd_status st;
	json_t *j;

	page_empty(page);
	if ((j = load(json, len, "search page", err)) == NULL)
		return CD_EDATA;
	st = read_page(j, page, err);
	json_decref(j);
	if (st != CD_OK)
		fhir_page_free(page);
	return st;
}
