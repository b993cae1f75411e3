/* test_fhir.c - the FHIR R4 JSON celldesk sends the lab (the order's
 * transaction Bundle, src/core/fhir_out.c) and reads back (transaction-
 * responses, OperationOutcomes and searchset pages, src/core/fhir_in.c).
 * The shapes of the lab's answers are those @medplum/fhir-router 4.5.2
 * (the engine of tests/lab) returned when sent these Bundles, with ids
 * shortened where the test names them. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <jansson.h>

#include "core/fhir.h"
#include "core/strbuf.h"
#include "unit_util.h"

#define LEN(a) (sizeof(a) / sizeof((a)[0]))

/* --- helpers --- */

/* text with ' for ", as an exact-size malloc'd copy with no NUL after
 * it, so ASan sees any read past len. */
static char *
json_of(const char *text, size_t *len)
{
	char *j;
	size_t i;

	*len = strlen(text);
	j = malloc(*len ? *len : 1);
	assert_non_null(j);
	for (i = 0; i < *len; i++)
		j[i] = text[i] == '\'' ? '"' : text[i];
	return j;
}

static enum cd_status
parse_page(const char *text, struct fhir_page *p, struct cd_err *err)
{
	enum cd_status st;
	size_t len;
	char *j = json_of(text, &len);

	memset(err, 0, sizeof *err);
	st = fhir_parse_page(j, len, p, err);
	free(j);
	return st;
}

static enum cd_status
parse_tx(const char *text, struct fhir_tx_response *r, struct cd_err *err)
{
	enum cd_status st;
	size_t len;
	char *j = json_of(text, &len);

	memset(err, 0, sizeof *err);
	st = fhir_parse_tx_response(j, len, r, err);
	free(j);
	return st;
}

static bool
outcome_of(const char *text, char *out, size_t outsz)
{
	size_t len;
	char *j = json_of(text, &len);
	bool ok = fhir_outcome_text(j, len, out, outsz);

	free(j);
	return ok;
}

/* A refusal is one sentence a terminal may show as it is. */
static void
assert_sentence(const struct cd_err *err)
{
	const unsigned char *p;

	assert_true(strlen(err->msg) > 10);
	for (p = (const unsigned char *)err->msg; *p != '\0'; p++)
		assert_true(*p >= 0x20 && *p != 0x7f);
}

static void
assert_page_empty(const struct fhir_page *p)
{
	assert_int_equal(p->total, -1);
	assert_string_equal(p->next, "");
	assert_int_equal(p->n_reports + p->n_observations + p->n_products + p->n_other, 0);
	assert_null(p->reports);
	assert_null(p->observations);
	assert_null(p->products);
}

/* The string at path ("entry/0/resource/id": members and indexes) in j,
 * or NULL. */
static json_t *
node(json_t *j, const char *path)
{
	char part[64];
	size_t n;

	while (j != NULL && *path != '\0') {
		n = strcspn(path, "/");
		assert_true(n < sizeof part);
		memcpy(part, path, n);
		part[n] = '\0';
		j = json_is_array(j) ? json_array_get(j, (size_t)atoi(part)) :
		    json_object_get(j, part);
		path += n + (path[n] == '/');
	}
	return j;
}

static const char *
str_at(json_t *j, const char *path)
{
	return json_string_value(node(j, path));
}

/* --- the order --- */

static struct fhir_order
autologous(void)
{
	struct fhir_order o;

	memset(&o, 0, sizeof o);
	o.lot_code = "BM-0001";
	o.kind = "autologous";
	o.mrn = "MRN0001";
	o.patient_name = "Olena Kovalenko";
	o.birth_date = "1980-04-02";
	o.source = "bone-marrow";
	o.collected_at = "2026-11-20T08:30:00Z";
	o.needed_at = "2026-12-01T10:00:00+02:00";
	return o;
}

static json_t *
bundle_of(const struct fhir_order *o)
{
	struct cd_err err;
	json_error_t je;
	char *text = NULL;
	json_t *j;

	assert_int_equal(fhir_order_bundle(o, &text, &err), CD_OK);
	assert_non_null(text);
	assert_null(strchr(text, '\n')); /* compact */
	j = json_loads(text, JSON_REJECT_DUPLICATES, &je);
	assert_non_null(j);
	free(text);
	return j;
}

/* "urn:uuid:" and a version 4, RFC 4122 variant UUID. */
static void
assert_uuid_urn(const char *s)
{
	size_t i;

	assert_non_null(s);
	assert_int_equal(strlen(s), 45);
	assert_memory_equal(s, "urn:uuid:", 9);
	for (i = 9; i < 45; i++) {
		if (i == 17 || i == 22 || i == 27 || i == 32)
			assert_int_equal(s[i], '-');
		else
			assert_non_null(strchr("0123456789abcdef", s[i]));
	}
	assert_int_equal(s[23], '4');
	assert_non_null(strchr("89ab", s[28]));
}

static void
assert_request(json_t *b, int i, const char *type, const char *cond)
{
	char path[64];

	snprintf(path, sizeof path, "entry/%d/request/method", i);
	assert_string_equal(str_at(b, path), "POST");
	snprintf(path, sizeof path, "entry/%d/request/url", i);
	assert_string_equal(str_at(b, path), type);
	snprintf(path, sizeof path, "entry/%d/request/ifNoneExist", i);
	assert_string_equal(str_at(b, path), cond);
	snprintf(path, sizeof path, "entry/%d/resource/resourceType", i);
	assert_string_equal(str_at(b, path), type);
}

static void
test_order_autologous(void **state)
{
	struct fhir_order o = autologous();
	json_t *b = bundle_of(&o);
	const char *pat, *spec, *req;

	(void)state;
	assert_string_equal(str_at(b, "resourceType"), "Bundle");
	assert_string_equal(str_at(b, "type"), "transaction");
	assert_int_equal(json_array_size(node(b, "entry")), 3);
	pat = str_at(b, "entry/0/fullUrl");
	spec = str_at(b, "entry/1/fullUrl");
	req = str_at(b, "entry/2/fullUrl");
	assert_uuid_urn(pat);
	assert_uuid_urn(spec);
	assert_uuid_urn(req);
	assert_string_not_equal(pat, spec);
	assert_string_not_equal(spec, req);
	/* Patient */
	assert_request(b, 0, "Patient", "identifier=urn:celldesk:mrn|MRN0001");
	assert_int_equal(json_array_size(node(b, "entry/0/resource/identifier")), 1);
	assert_string_equal(str_at(b, "entry/0/resource/identifier/0/system"), FHIR_SYS_MRN);
	assert_string_equal(str_at(b, "entry/0/resource/identifier/0/value"), "MRN0001");
	assert_string_equal(str_at(b, "entry/0/resource/name/0/text"), "Olena Kovalenko");
	assert_string_equal(str_at(b, "entry/0/resource/birthDate"), "1980-04-02");
	/* Specimen */
	assert_request(b, 1, "Specimen", "identifier=urn:celldesk:lot|BM-0001");
	assert_string_equal(str_at(b, "entry/1/resource/identifier/0/system"), FHIR_SYS_LOT);
	assert_string_equal(str_at(b, "entry/1/resource/identifier/0/value"), "BM-0001");
	assert_string_equal(str_at(b, "entry/1/resource/status"), "available");
	assert_string_equal(str_at(b, "entry/1/resource/type/coding/0/system"),
	    "urn:celldesk:source");
	assert_string_equal(str_at(b, "entry/1/resource/type/coding/0/code"), "bone-marrow");
	assert_string_equal(str_at(b, "entry/1/resource/type/text"), "bone-marrow");
	assert_string_equal(str_at(b, "entry/1/resource/subject/reference"), pat);
	assert_null(node(b, "entry/1/resource/receivedTime"));
	assert_string_equal(str_at(b, "entry/1/resource/collection/collectedDateTime"),
	    "2026-11-20T08:30:00Z");
	assert_string_equal(str_at(b, "entry/1/resource/collection/bodySite/text"),
	    "posterior iliac crest");
	/* ServiceRequest */
	assert_request(b, 2, "ServiceRequest", "identifier=urn:celldesk:order|BM-0001");
	assert_string_equal(str_at(b, "entry/2/resource/identifier/0/system"), FHIR_SYS_ORDER);
	assert_string_equal(str_at(b, "entry/2/resource/identifier/0/value"), "BM-0001");
	assert_string_equal(str_at(b, "entry/2/resource/status"), "active");
	assert_string_equal(str_at(b, "entry/2/resource/intent"), "order");
	assert_string_equal(str_at(b, "entry/2/resource/code/text"), "cell processing");
	assert_string_equal(str_at(b, "entry/2/resource/subject/reference"), pat);
	assert_int_equal(json_array_size(node(b, "entry/2/resource/specimen")), 1);
	assert_string_equal(str_at(b, "entry/2/resource/specimen/0/reference"), spec);
	assert_string_equal(str_at(b, "entry/2/resource/occurrenceDateTime"),
	    "2026-12-01T10:00:00+02:00");
	json_decref(b);
}

static void
test_order_donor(void **state)
{
	struct fhir_order o = autologous();
	json_t *b;

	(void)state;
	o.lot_code = "G123426000001-S1520A00";
	o.kind = "donor";
	o.mrn = NULL;
	o.birth_date = "";
	o.donor_code = "DON-0042";
	o.source = "cord-blood";
	o.needed_at = NULL;
	b = bundle_of(&o);
	assert_request(b, 0, "Patient", "identifier=urn:celldesk:donor|DON-0042");
	assert_int_equal(json_array_size(node(b, "entry/0/resource/identifier")), 1);
	assert_string_equal(str_at(b, "entry/0/resource/identifier/0/system"), FHIR_SYS_DONOR);
	assert_string_equal(str_at(b, "entry/0/resource/identifier/0/value"), "DON-0042");
	/* A donor lot's Patient says nothing of who the donor is. */
	assert_null(node(b, "entry/0/resource/name"));
	assert_null(node(b, "entry/0/resource/birthDate"));
	assert_int_equal(json_object_size(node(b, "entry/0/resource")), 2);
	assert_request(b, 1, "Specimen", "identifier=urn:celldesk:lot|G123426000001-S1520A00");
	assert_string_equal(str_at(b, "entry/1/resource/collection/bodySite/text"),
	    "umbilical cord");
	assert_null(node(b, "entry/2/resource/occurrenceDateTime"));
	json_decref(b);

	o.source = "adipose";
	o.collected_at = "2026-11-20";
	b = bundle_of(&o);
	assert_string_equal(str_at(b, "entry/1/resource/collection/bodySite/text"),
	    "abdominal subcutaneous fat");
	assert_string_equal(str_at(b, "entry/1/resource/collection/collectedDateTime"),
	    "2026-11-20");
	json_decref(b);
}

static void
test_order_deterministic(void **state)
{
	struct fhir_order o = autologous();
	char *a = NULL, *b = NULL, *c = NULL;
	struct cd_err err;
	json_t *j;

	(void)state;
	assert_int_equal(fhir_order_bundle(&o, &a, &err), CD_OK);
	assert_int_equal(fhir_order_bundle(&o, &b, &err), CD_OK);
	assert_string_equal(a, b);
	/* SHA-256("patient:BM-0001"), first 16 bytes with the version and
	 * variant bits set, as computed by Python's hashlib. */
	assert_non_null(strstr(a, "\"fullUrl\":\"urn:uuid:73809aff-0b53-45a1-918a-de2b7277b952\""));
	/* Keys in a stable order: what a person reading the outbox sees. */
	assert_memory_equal(a, "{\"resourceType\":\"Bundle\",\"type\":\"transaction\",\"entry\":"
	    "[{\"fullUrl\":", 66);
	o.lot_code = "BM-0002";
	assert_int_equal(fhir_order_bundle(&o, &c, &err), CD_OK);
	j = json_loads(c, 0, NULL);
	assert_null(strstr(a, str_at(j, "entry/0/fullUrl")));
	assert_null(strstr(a, str_at(j, "entry/1/fullUrl")));
	json_decref(j);
	free(a);
	free(b);
	free(c);
}

static void
test_order_escapes_conditions(void **state)
{
	struct fhir_order o = autologous();
	json_t *b;

	(void)state;
	o.mrn = "A/B 1|2&x=ü";
	o.patient_name = "Zoë \"Ann\" Ørsted";
	b = bundle_of(&o);
	assert_string_equal(str_at(b, "entry/0/request/ifNoneExist"),
	    "identifier=urn:celldesk:mrn|A%2FB%201%7C2%26x%3D%C3%BC");
	assert_string_equal(str_at(b, "entry/0/resource/identifier/0/value"), "A/B 1|2&x=ü");
	assert_string_equal(str_at(b, "entry/0/resource/name/0/text"), "Zoë \"Ann\" Ørsted");
	assert_string_equal(str_at(b, "entry/2/request/ifNoneExist"),
	    "identifier=urn:celldesk:order|BM-0001");
	json_decref(b);
}

static void
test_order_refused(void **state)
{
	static const struct {
		const char *field, *value, *says;
	} cases[] = {
		{ "lot_code", NULL, "no lot code" },
		{ "lot_code", "", "no lot code" },
		{ "kind", NULL, "no kind" },
		{ "kind", "allogeneic", "neither autologous nor donor" },
		{ "source", "", "no source" },
		{ "collected_at", NULL, "no collection time" },
		{ "collected_at", "yesterday", "not a date" },
		{ "collected_at", "2026-11-20T08:30:00", "not a date" },
		{ "needed_at", "2026-13-01T10:00:00Z", "not a date" },
		{ "birth_date", "02/04/1980", "birth date" },
		{ "mrn", NULL, "autologous lot BM-0001 has no MRN" },
		{ "mrn", "", "has no MRN" },
		{ "patient_name", "Ol\xff" "ena", "name is not valid UTF-8" },
		{ "donor_code", "\xc3", "donor code is not valid UTF-8" },
	};
	struct fhir_order o;
	struct cd_err err;
	char *json;
	size_t i;

	(void)state;
	for (i = 0; i < LEN(cases); i++) {
		o = autologous();
		o.donor_code = "DON-1";
		if (strcmp(cases[i].field, "lot_code") == 0)
			o.lot_code = cases[i].value;
		else if (strcmp(cases[i].field, "kind") == 0)
			o.kind = cases[i].value;
		else if (strcmp(cases[i].field, "source") == 0)
			o.source = cases[i].value;
		else if (strcmp(cases[i].field, "collected_at") == 0)
			o.collected_at = cases[i].value;
		else if (strcmp(cases[i].field, "needed_at") == 0)
			o.needed_at = cases[i].value;
		else if (strcmp(cases[i].field, "birth_date") == 0)
			o.birth_date = cases[i].value;
		else if (strcmp(cases[i].field, "mrn") == 0)
			o.mrn = cases[i].value;
		else if (strcmp(cases[i].field, "patient_name") == 0)
			o.patient_name = cases[i].value;
		else
			o.donor_code = cases[i].value;
		json = (char *)"untouched";
		memset(&err, 0, sizeof err);
		if (fhir_order_bundle(&o, &json, &err) != CD_EDATA || json != NULL ||
		    strstr(err.msg, cases[i].says) == NULL)
			fail_msg("case %zu (%s): '%s'", i, cases[i].field, err.msg);
		assert_sentence(&err);
	}
	/* A donor lot without its donor code. */
	o = autologous();
	o.kind = "donor";
	assert_int_equal(fhir_order_bundle(&o, &json, &err), CD_EDATA);
	assert_non_null(strstr(err.msg, "donor lot BM-0001 has no donor code"));
	assert_null(json);
}

/* --- transaction-responses --- */

#define TX_OUTCOME(text) "'outcome':{'resourceType':'OperationOutcome','id':'created'," \
	"'issue':[{'severity':'information','code':'informational','details':{'text':'" \
	text "'}}]}"
#define TX_ENTRY(status, type, id) "{'response':{" TX_OUTCOME("Created") ",'status':'" \
	status "','location':'" type "/" id "'},'resource':{'resourceType':'" type \
	"','id':'" id "','meta':{'versionId':'3a8da29c-ca26-4529-ae90-d3e96006678b'," \
	"'lastUpdated':'2026-11-21T17:16:22.662Z'}}}"
#define TX(entries) "{'resourceType':'Bundle','type':'transaction-response','entry':[" \
	entries "]}"

static void
assert_tx(const struct fhir_tx_response *r, size_t i, int status, const char *type,
    const char *id)
{
	assert_int_equal(r->e[i].status, status);
	assert_string_equal(r->e[i].type, type);
	assert_string_equal(r->e[i].id, id);
}

static void
test_tx_medplum(void **state)
{
	struct fhir_tx_response r;
	struct cd_err err;

	(void)state;
	assert_int_equal(parse_tx(TX(TX_ENTRY("201", "Patient",
	    "b997a652-a7ba-40ef-84eb-904ee0715a61") "," TX_ENTRY("201", "Specimen",
	    "66d9777d-48e2-4d41-a5a0-a67b946eb8e0") "," TX_ENTRY("201", "ServiceRequest",
	    "54076fd9-8094-411c-b598-dcab383f176d")), &r, &err), CD_OK);
	assert_int_equal(r.n, 3);
	assert_tx(&r, 0, 201, "Patient", "b997a652-a7ba-40ef-84eb-904ee0715a61");
	assert_tx(&r, 1, 201, "Specimen", "66d9777d-48e2-4d41-a5a0-a67b946eb8e0");
	assert_tx(&r, 2, 201, "ServiceRequest", "54076fd9-8094-411c-b598-dcab383f176d");
	/* The same Bundle again: nothing created, the same resources named. */
	assert_int_equal(parse_tx(TX(TX_ENTRY("200", "Patient",
	    "b997a652-a7ba-40ef-84eb-904ee0715a61") "," TX_ENTRY("200", "Specimen",
	    "66d9777d-48e2-4d41-a5a0-a67b946eb8e0") "," TX_ENTRY("200", "ServiceRequest",
	    "54076fd9-8094-411c-b598-dcab383f176d")), &r, &err), CD_OK);
	assert_int_equal(r.n, 3);
	assert_tx(&r, 0, 200, "Patient", "b997a652-a7ba-40ef-84eb-904ee0715a61");
	assert_tx(&r, 2, 200, "ServiceRequest", "54076fd9-8094-411c-b598-dcab383f176d");
}

static void
test_tx_other_servers(void **state)
{
	struct fhir_tx_response r;
	struct cd_err err;

	(void)state;
	assert_int_equal(parse_tx(TX("{'response':{'status':'201 Created','location':"
	    "'Patient/abc/_history/1','etag':'W/\\\"1\\\"'}},"
	    "{'response':{'status':'200 OK','location':"
	    "'https://lab.example/fhir/R4/Specimen/17/_history/3'}},"
	    "{'response':{'status':'201'}}"), &r, &err), CD_OK);
	assert_int_equal(r.n, 3);
	assert_tx(&r, 0, 201, "Patient", "abc");
	assert_tx(&r, 1, 200, "Specimen", "17");
	assert_tx(&r, 2, 201, "", "");
	assert_int_equal(parse_tx(TX(""), &r, &err), CD_OK);
	assert_int_equal(r.n, 0);
}

static void
test_tx_refused(void **state)
{
	static const struct {
		const char *json;
		enum cd_status st;
		const char *says;
	} cases[] = {
		/* The engine's answer to a body that is no Bundle (HTTP 400). */
		{ "{'resourceType':'OperationOutcome','issue':[{'severity':'error','code':"
		    "'invalid','details':{'text':'Not a bundle'}}]}", CD_REFUSED,
		    "the lab refused the order: Not a bundle" },
		{ TX("{'response':{'outcome':{'resourceType':'OperationOutcome','id':'not-found',"
		    "'issue':[{'severity':'error','code':'not-found','details':{'text':"
		    "'Not found'}}]},'status':'404'}}"), CD_REFUSED,
		    "refused the order (entry 1, status 404): Not found" },
		{ TX(TX_ENTRY("201", "Patient", "a") ",{'response':{'status':'422 Unprocessable',"
		    "'outcome':{'resourceType':'OperationOutcome','issue':[{'code':'invalid',"
		    "'diagnostics':'Specimen.status: bad \\u001b[31m'}]}}}"), CD_REFUSED,
		    "(entry 2, status 422): Specimen.status: bad \\x1b[31m" },
		{ TX("{'response':{'status':'503'}}"), CD_EDATA, "(entry 1, status 503)" },
		{ TX("{'response':{'status':'302','location':'Patient/a'}}"), CD_EDATA,
		    "could not take the order (entry 1, status 302)" },
		{ TX("{'response':{'status':'100'}}"), CD_EDATA, "status 100" },
		{ "", CD_EDATA, "answer to the order is empty" },
		{ "<html>502 Bad Gateway</html>", CD_EDATA, "is not JSON" },
		{ "[1]", CD_EDATA, "is not a JSON object" },
		{ "{'resourceType':'Bundle','type':'searchset'}", CD_EDATA,
		    "not a transaction-response Bundle" },
		{ "{'resourceType':'Bundle','type':'transaction-response','entry':{}}", CD_EDATA,
		    "entry is not a list" },
		{ TX("1"), CD_EDATA, "entry[0] is not an object" },
		{ TX("{}"), CD_EDATA, "entry[0].response is missing" },
		{ TX("{'response':[]}"), CD_EDATA, "entry[0].response is not an object" },
		{ TX("{'response':{'location':'Patient/a'}}"), CD_EDATA,
		    "entry[0].response.status is missing" },
		{ TX("{'response':{'status':201}}"), CD_EDATA,
		    "entry[0].response.status is not a string" },
		{ TX("{'response':{'status':'Created'}}"), CD_EDATA,
		    "does not start with an HTTP status code" },
		{ TX("{'response':{'status':'2010'}}"), CD_EDATA, "HTTP status code" },
		{ TX("{'response':{'status':'201','location':'Patient'}}"), CD_EDATA,
		    "location is not of the form Type/id" },
		{ TX("{'response':{'status':'201','location':'Patient/a b'}}"), CD_EDATA,
		    "location holds spaces" },
		{ TX("{'response':{'status':'201','location':'patient/a'}}"), CD_EDATA,
		    "Type/id" },
		{ TX("{'response':{'status':'201','location':'Patient/a_b'}}"), CD_EDATA,
		    "Type/id" },
		{ TX("{'response':{'status':'201','location':'Patient/\\u202e'}}"), CD_EDATA,
		    "holds spaces, control or non-ASCII" },
		{ TX("{'response':{'status':'201'}},{'response':{'status':'201'}},"
		    "{'response':{'status':'201'}},{'response':{'status':'201'}},"
		    "{'response':{'status':'201'}},{'response':{'status':'201'}},"
		    "{'response':{'status':'201'}},{'response':{'status':'201'}},"
		    "{'response':{'status':'201'}}"), CD_EDATA, "holds 9 elements" },
	};
	struct fhir_tx_response r;
	struct cd_err err;
	size_t i;

	(void)state;
	for (i = 0; i < LEN(cases); i++) {
		memset(&r, 0xa5, sizeof r);
		if (parse_tx(cases[i].json, &r, &err) != cases[i].st ||
		    strstr(err.msg, cases[i].says) == NULL)
			fail_msg("case %zu: '%s'", i, err.msg);
		assert_sentence(&err);
		assert_int_equal(r.n, 0);
		assert_int_equal(r.e[0].status, 0);
	}
}

/* --- OperationOutcome --- */

static void
test_outcome_text(void **state)
{
	char out[200], small[9];

	(void)state;
	/* The engine's 404. */
	assert_true(outcome_of("{'resourceType':'OperationOutcome','id':'not-found','issue':"
	    "[{'severity':'error','code':'not-found','details':{'text':'Not found'}}]}", out,
	    sizeof out));
	assert_string_equal(out, "Not found");
	/* details.text, else diagnostics, else code; joined. */
	assert_true(outcome_of("{'resourceType':'OperationOutcome','issue':["
	    "{'code':'invalid','diagnostics':'d1','details':{'text':'first'}},"
	    "{'code':'invalid','diagnostics':'second'},{'code':'throttled'},"
	    "{'severity':'error'},'junk',{'details':{'text':5},'code':'x'}]}", out,
	    sizeof out));
	assert_string_equal(out, "first; second; throttled; x");
	/* Escapes and bidi controls are shown, not obeyed. */
	assert_true(outcome_of("{'resourceType':'OperationOutcome','issue':[{'diagnostics':"
	    "'red \\u001b[31m \\u202eevil \\\\ \\u0085'}]}", out, sizeof out));
	assert_string_equal(out, "red \\x1b[31m \\u202eevil \\\\ \\x85");
	/* Cut to fit, at a character boundary. */
	assert_true(outcome_of("{'resourceType':'OperationOutcome','issue':[{'diagnostics':"
	    "'Créé Créé Créé'}]}", small, sizeof small));
	assert_string_equal(small, "Créé C");
	assert_true(outcome_of("{'resourceType':'OperationOutcome','issue':[{'diagnostics':"
	    "'abcdéfgh'}]}", small, sizeof small));
	assert_string_equal(small, "abcd\xc3\xa9" "fg");
	assert_true(outcome_of("{'resourceType':'OperationOutcome','issue':[{'diagnostics':"
	    "'abcdefgé'}]}", small, sizeof small));
	assert_string_equal(small, "abcdefg");
	assert_true(outcome_of("{'resourceType':'OperationOutcome'}", out, sizeof out));
	assert_string_equal(out, "");
	/* Not an OperationOutcome. */
	assert_false(outcome_of("{'resourceType':'Bundle','issue':[{'code':'x'}]}", out,
	    sizeof out));
	assert_string_equal(out, "");
	assert_false(outcome_of("Bad Gateway", out, sizeof out));
	assert_false(outcome_of("", out, sizeof out));
	assert_false(outcome_of("{'resourceType':'OperationOutcome'}", out, 0));
}

/* --- searchset pages --- */

#define META(id) "'id':'" id "','meta':{'versionId':'v-" id "','lastUpdated':" \
	"'2026-11-21T16:54:45.128Z'}"
#define PAGE(entries) "{'resourceType':'Bundle','type':'searchset','entry':[" entries \
	"],'total':1}"
#define RES(body) "{'resource':{" body "}}"
#define DR(extra) RES("'resourceType':'DiagnosticReport','status':'final'" extra "," \
	META("r1"))
#define OBS(extra) RES("'resourceType':'Observation','status':'final'" extra "," \
	META("o1"))
#define BDP(extra) RES("'resourceType':'BiologicallyDerivedProduct'" extra "," META("p1"))
#define X10 "xxxxxxxxxx"
#define X70 X10 X10 X10 X10 X10 X10 X10

static void
test_page_reports(void **state)
{
	struct fhir_page p;
	struct cd_err err;
	const struct fhir_report *r;

	(void)state;
	/* As in the brief: the engine's page, total without a link. */
	assert_int_equal(parse_page("{'resourceType':'Bundle','type':'searchset','entry':"
	    "[{'resource':{'resourceType':'DiagnosticReport','status':'final','code':{'text':"
	    "'QC'},'specimen':[{'identifier':{'system':'urn:celldesk:lot','value':'LOT1'}}],"
	    "'result':[{'reference':'Observation/00f8f784-9962-4eed-982a-6123dd092a84'}],"
	    "'id':'54e417d2-b78d-44d2-883b-c7f47d33df27','meta':{'versionId':"
	    "'18a107bb-345b-4f24-ab0e-b1c31f11a5ed','lastUpdated':'2026-11-21T16:54:45.128Z'}}}],"
	    "'total':5}", &p, &err), CD_OK);
	assert_int_equal(p.total, 5);
	assert_string_equal(p.next, "");
	assert_int_equal(p.n_reports, 1);
	assert_int_equal(p.n_observations + p.n_products + p.n_other, 0);
	r = &p.reports[0];
	assert_string_equal(r->id, "54e417d2-b78d-44d2-883b-c7f47d33df27");
	assert_string_equal(r->version, "18a107bb-345b-4f24-ab0e-b1c31f11a5ed");
	assert_string_equal(r->last_updated, "2026-11-21T16:54:45.128Z");
	assert_string_equal(r->status, "final");
	assert_string_equal(r->subject.reference, "");
	assert_string_equal(r->subject.value, "");
	assert_int_equal(r->n_specimen, 1);
	assert_string_equal(r->specimen[0].reference, "");
	assert_string_equal(r->specimen[0].system, FHIR_SYS_LOT);
	assert_string_equal(r->specimen[0].value, "LOT1");
	assert_int_equal(r->n_result, 1);
	assert_string_equal(r->result[0], "Observation/00f8f784-9962-4eed-982a-6123dd092a84");
	fhir_page_free(&p);
	assert_page_empty(&p);

	/* Subject by reference, a specimen by the server's id and by a
	 * versioned reference, a result without a reference. */
	assert_int_equal(parse_page(PAGE(DR(",'subject':{'reference':'Patient/b997a652'},"
	    "'specimen':[{'reference':'Specimen/66d9777d'},{'reference':"
	    "'Specimen/66d9777d/_history/2','display':'BM'}],'result':[{'reference':"
	    "'Observation/o1'},{'display':'see paper'}]")), &p, &err), CD_OK);
	r = &p.reports[0];
	assert_string_equal(r->subject.reference, "Patient/b997a652");
	assert_int_equal(r->n_specimen, 2);
	assert_string_equal(r->specimen[0].reference, "Specimen/66d9777d");
	assert_string_equal(r->specimen[1].reference, "Specimen/66d9777d");
	assert_int_equal(r->n_result, 2);
	assert_string_equal(r->result[0], "Observation/o1");
	assert_string_equal(r->result[1], "");
	assert_int_equal(p.total, 1);
	fhir_page_free(&p);
}

static void
test_page_observations(void **state)
{
	struct fhir_page p;
	struct cd_err err;
	const struct fhir_observation *o;

	(void)state;
	/* The engine's answer to Observation?_id=..., then other values. */
	assert_int_equal(parse_page("{'resourceType':'Bundle','type':'searchset','entry':["
	    "{'resource':{'resourceType':'Observation','status':'final','code':{'coding':["
	    "{'system':'http://loinc.org','code':'33256-9'},{'system':'urn:celldesk:qc-test',"
	    "'code':'viability'}]},'valueQuantity':{'value':92.5,'unit':'%','system':"
	    "'http://unitsofmeasure.org','code':'%'},'id':'d7389f87','meta':{'versionId':"
	    "'ef8a1d0a','lastUpdated':'2026-11-21T17:16:31.436Z'}}},"
	    "{'resource':{'resourceType':'Observation','status':'final','code':{'text':"
	    "'sterility'},'valueCodeableConcept':{'coding':[{'system':'http://snomed.info/sct',"
	    "'code':'negative'}]},'id':'2f0de36b','meta':{'versionId':'5192a616',"
	    "'lastUpdated':'2026-11-21T17:16:31.561Z'}}}," OBS(",'code':{'coding':[{'system':"
	    "'http://loinc.org','code':'X-1'}],'text':'cell-count'},'valueInteger':250000000")
	    "," OBS(",'code':{'text':'mycoplasma'},'valueBoolean':false") ","
	    OBS(",'code':{'text':'endotoxin'},'valueString':'< 0.5 EU/mL'") ","
	    OBS(",'code':{'text':'sterility'},'valueCodeableConcept':{'text':'no growth',"
	    "'coding':[{'code':'neg'}]}") ","
	    RES("'resourceType':'Observation','status':'preliminary','code':{'text':"
	    "'viability'},'valueQuantity':{'comparator':'<','code':'%'}," META("o7")) ","
	    OBS("")
	    "],'total':2}", &p, &err), CD_OK);
	assert_int_equal(p.n_observations, 8);
	assert_int_equal(p.total, 2);
	o = &p.observations[0];
	assert_string_equal(o->id, "d7389f87");
	assert_string_equal(o->version, "ef8a1d0a");
	assert_string_equal(o->last_updated, "2026-11-21T17:16:31.436Z");
	assert_string_equal(o->status, "final");
	assert_string_equal(o->code_system, FHIR_SYS_QC_TEST);
	assert_string_equal(o->code, "viability");
	assert_true(o->numeric);
	assert_true(o->value == 92.5);
	assert_string_equal(o->unit, "%");
	assert_string_equal(o->text, "");
	o = &p.observations[1];
	assert_string_equal(o->code_system, "");
	assert_string_equal(o->code, "sterility");
	assert_false(o->numeric);
	assert_string_equal(o->text, "negative");
	o = &p.observations[2]; /* the first coding wins over the text */
	assert_string_equal(o->code_system, "http://loinc.org");
	assert_string_equal(o->code, "X-1");
	assert_true(o->numeric);
	assert_true(o->value == 250000000.0);
	o = &p.observations[3];
	assert_false(o->numeric);
	assert_string_equal(o->text, "false");
	o = &p.observations[4];
	assert_string_equal(o->code, "endotoxin");
	assert_string_equal(o->text, "< 0.5 EU/mL");
	o = &p.observations[5];
	assert_string_equal(o->text, "no growth");
	o = &p.observations[6]; /* a quantity without a value */
	assert_string_equal(o->status, "preliminary");
	assert_false(o->numeric);
	assert_string_equal(o->unit, "%");
	o = &p.observations[7];
	assert_string_equal(o->code, "");
	assert_false(o->numeric);
	assert_string_equal(o->text, "");
	fhir_page_free(&p);
}

static void
test_page_products(void **state)
{
	struct fhir_page p;
	struct cd_err err;
	const struct fhir_product *b;

	(void)state;
	/* The engine's page; our identifier is the second. */
	assert_int_equal(parse_page("{'resourceType':'Bundle','type':'searchset','entry':"
	    "[{'resource':{'resourceType':'BiologicallyDerivedProduct','status':'available',"
	    "'identifier':[{'system':'urn:lab:internal','value':'X-77'},{'system':"
	    "'urn:celldesk:lot','value':'BM-0001'}],'extension':[{'url':"
	    "'http://hl7.org/fhir/5.0/StructureDefinition/extension-BiologicallyDerivedProduct"
	    ".expirationDate','valueDateTime':'2027-05-20T12:00:00Z'}],'id':'ac833217',"
	    "'meta':{'versionId':'227a7feb','lastUpdated':'2026-11-21T17:16:31.698Z'}}},"
	    "{'resource':{'resourceType':'BiologicallyDerivedProduct','status':'unavailable',"
	    "'identifier':[{'system':'urn:lab:internal'},{'value':'BM-0002'}],'extension':"
	    "[{'url':'http://example.org/other','valueString':'x'}],'id':'p2','meta':"
	    "{'lastUpdated':'2026-11-21T18:00:00+01:00'}}}],'total':2}", &p, &err), CD_OK);
	assert_int_equal(p.n_products, 2);
	b = &p.products[0];
	assert_string_equal(b->id, "ac833217");
	assert_string_equal(b->version, "227a7feb");
	assert_string_equal(b->last_updated, "2026-11-21T17:16:31.698Z");
	assert_string_equal(b->status, "available");
	assert_string_equal(b->lot_system, FHIR_SYS_LOT);
	assert_string_equal(b->lot_code, "BM-0001");
	assert_string_equal(b->expiry, "2027-05-20T12:00:00Z");
	b = &p.products[1];
	assert_string_equal(b->status, "unavailable");
	assert_string_equal(b->lot_system, "");
	assert_string_equal(b->lot_code, "BM-0002");
	assert_string_equal(b->expiry, "");
	/* Without a versionId the version is the time it was last updated. */
	assert_string_equal(b->version, "2026-11-21T18:00:00+01:00");
	fhir_page_free(&p);
}

static void
test_page_links_and_others(void **state)
{
	struct fhir_page p;
	struct cd_err err;

	(void)state;
	assert_int_equal(parse_page("{'resourceType':'Bundle','type':'searchset','link':["
	    "{'relation':'self','url':'https://lab/fhir/DiagnosticReport?_count=2'},"
	    "{'relation':'next','url':'https://lab/fhir/DiagnosticReport?_count=2&_offset=2'}],"
	    "'entry':[" DR("") ",{'search':{'mode':'include'}," "'resource':{"
	    "'resourceType':'Observation','status':'final'," META("o1") "}},"
	    "{'search':{'mode':'match'},'resource':{'resourceType':'Patient','id':'x y'}},"
	    "{'search':{'mode':'outcome'},'resource':{'resourceType':'OperationOutcome',"
	    "'issue':[{'code':'informational'}]}}]}", &p, &err), CD_OK);
	assert_int_equal(p.total, -1);
	assert_string_equal(p.next, "https://lab/fhir/DiagnosticReport?_count=2&_offset=2");
	assert_int_equal(p.n_reports, 1);
	assert_int_equal(p.n_observations, 1);
	assert_int_equal(p.n_products, 0);
	assert_int_equal(p.n_other, 2);
	fhir_page_free(&p);
	/* The engine's empty page past the end: a total, no entry. */
	assert_int_equal(parse_page("{'resourceType':'Bundle','type':'searchset','total':1}",
	    &p, &err), CD_OK);
	assert_int_equal(p.total, 1);
	assert_int_equal(p.n_reports + p.n_observations + p.n_products + p.n_other, 0);
	assert_null(p.reports);
	fhir_page_free(&p);
}

/* Free text is kept escaped; ids and identifiers are refused instead. */
static void
test_page_escapes_text(void **state)
{
	struct fhir_page p;
	struct cd_err err;

	(void)state;
	assert_int_equal(parse_page(PAGE(OBS(",'code':{'text':'via\\u202ebility'},"
	    "'valueString':'ok\\u001b]0;owned\\u0007 \\\\'")), &p, &err), CD_OK);
	assert_string_equal(p.observations[0].code, "via\\u202ebility");
	assert_string_equal(p.observations[0].text, "ok\\x1b]0;owned\\x07 \\\\");
	fhir_page_free(&p);
	/* Non-ASCII text that is not a control stays as it is. */
	assert_int_equal(parse_page(PAGE(OBS(",'code':{'text':'sterility'},'valueString':"
	    "'négatif — 無菌'")), &p, &err), CD_OK);
	assert_string_equal(p.observations[0].text, "négatif — 無菌");
	fhir_page_free(&p);
}

static const struct {
	const char *json, *says;
} malformed[] = {
	{ "", "search page is empty" },
	{ "not json", "is not JSON" },
	{ "{'resourceType':'Bundle'", "is not JSON" },
	{ "[]", "is not a JSON object" },
	{ "{'resourceType':'Bundle','type':'searchset','type':'searchset'}", "is not JSON" },
	{ "{'resourceType':'Bundle','type':'searchset','x':'\xff'}", "is not JSON" },
	{ "{'resourceType':'Bundle','type':'searchset','x':'\x1b[2J'}", "is not JSON" },
	{ "{'resourceType':'Bundle','type':'searchset','x':'a\\u0000b'}", "is not JSON" },
	{ "{'resourceType':'Bundle','type':'searchset','total':1e999}", "is not JSON" },
	{ "{'resourceType':'Bundle','type':'transaction'}", "is not a searchset Bundle" },
	{ "{'resourceType':'Patient','type':'searchset'}", "is not a searchset Bundle" },
	{ "{'resourceType':'OperationOutcome','issue':[{'code':'processing','diagnostics':"
	    "'Unknown search parameter'}]}", "with an error: Unknown search parameter" },
	{ "{'resourceType':'Bundle','type':'searchset','total':'5'}",
	    "total is not a whole number" },
	{ "{'resourceType':'Bundle','type':'searchset','total':-1}", "total is not a whole" },
	{ "{'resourceType':'Bundle','type':'searchset','total':1.5}", "total is not a whole" },
	{ "{'resourceType':'Bundle','type':'searchset','entry':{}}", "entry is not a list" },
	{ "{'resourceType':'Bundle','type':'searchset','link':{}}", "link is not a list" },
	{ "{'resourceType':'Bundle','type':'searchset','link':[{'relation':1}]}",
	    "link[0].relation is not a string" },
	{ "{'resourceType':'Bundle','type':'searchset','link':[{'relation':'next','url':"
	    "'https://lab/fhir?a=1 b'}]}", "link[0].url holds spaces" },
	{ "{'resourceType':'Bundle','type':'searchset','link':[{'relation':'self','url':[]}]}",
	    "link[0].url is not a string" },
	{ PAGE("'x'"), "entry[0] is not an object" },
	{ PAGE("{}"), "entry[0] has no resource" },
	{ PAGE("{'resource':[]}"), "entry[0].resource is not an object" },
	{ PAGE("{'resource':{'id':'a'}}"), "entry[0] has a resource without a resourceType" },
	{ PAGE("{'resource':{'resourceType':5}}"), "entry[0].resourceType is not a string" },
	{ PAGE("{'search':'match','resource':{'resourceType':'Observation'}}"),
	    "entry[0].search is not an object" },
	{ PAGE("{'search':{'mode':'bogus'},'resource':{'resourceType':'Observation'}}"),
	    "entry[0].search.mode is not match, include or outcome" },
	{ PAGE(DR("") "," RES("'resourceType':'DiagnosticReport','status':'final'")),
	    "entry[1] (DiagnosticReport) has no id" },
	{ PAGE(RES("'resourceType':'Observation','id':'a b'," "'meta':{'lastUpdated':"
	    "'2026-11-21T16:54:45Z'}")), "entry[0] (Observation): id is not a FHIR id" },
	{ PAGE(RES("'resourceType':'Observation','id':'" X70 "'")), "id is not a FHIR id" },
	{ PAGE(RES("'resourceType':'Observation','id':'a\\u001b'")), "id is not a FHIR id" },
	{ PAGE(RES("'resourceType':'Observation','id':5")), "id is not a string" },
	{ PAGE(RES("'resourceType':'DiagnosticReport','id':'r1'")),
	    "DiagnosticReport r1 has no meta.lastUpdated" },
	{ PAGE(RES("'resourceType':'DiagnosticReport','id':'r1','meta':[]")),
	    "DiagnosticReport r1: meta is not an object" },
	{ PAGE(RES("'resourceType':'DiagnosticReport','id':'r1','meta':{'lastUpdated':"
	    "'yesterday'}")), "DiagnosticReport r1: meta.lastUpdated is not a date and time" },
	{ PAGE(RES("'resourceType':'DiagnosticReport','id':'r1','meta':{'lastUpdated':"
	    "'2026-11-21T16:54:45'}")), "meta.lastUpdated is not a date and time with a zone" },
	{ PAGE(RES("'resourceType':'BiologicallyDerivedProduct','id':'p1','meta':"
	    "{'lastUpdated':1795268174}")), "meta.lastUpdated is not a string" },
	{ PAGE(RES("'resourceType':'BiologicallyDerivedProduct','id':'p1','meta':"
	    "{'versionId':'1 2','lastUpdated':'2026-11-21T16:54:45Z'}")),
	    "BiologicallyDerivedProduct p1: meta.versionId is not a FHIR id" },
	{ PAGE(DR(",'result':[{'reference':'Observation/1'},{'reference':'Observation/2'},"
	    "{'reference':5}]")), "DiagnosticReport r1: result[2].reference is not a string" },
	{ PAGE(DR(",'result':{'reference':'Observation/1'}")), "result is not a list" },
	{ PAGE(DR(",'result':['Observation/1']")), "result[0] is not an object" },
	{ PAGE(DR(",'result':[{'reference':'http://evil/Observation/1'}]")),
	    "result[0].reference is not a reference of the form Type/id" },
	{ PAGE(DR(",'result':[{'reference':'Observation/1&_id=2'}]")),
	    "result[0].reference is not a reference of the form Type/id" },
	{ PAGE(DR(",'result':[{'reference':'Observation/1/_history/'}]")),
	    "result[0].reference is not a reference" },
	{ PAGE(DR(",'result':[{'reference':'#contained'}]")), "is not a reference" },
	{ PAGE(DR(",'specimen':[{},{},{},{},{}]")),
	    "specimen holds 5 elements; celldesk reads at most 4" },
	{ PAGE(DR(",'specimen':[{'identifier':{'system':'urn:celldesk:lot','value':"
	    "'LOT\\u001b[1m'}}]")), "specimen[0].identifier.value holds control or text"
	    " direction characters" },
	{ PAGE(DR(",'specimen':[{'identifier':{'system':'urn:celldesk:lot','value':"
	    "'LOT\\u202e1'}}]")), "specimen[0].identifier.value holds control" },
	{ PAGE(DR(",'specimen':[{'identifier':{'value':'" X70 X10 "'}}]")),
	    "specimen[0].identifier.value is longer than the 79 characters celldesk keeps" },
	{ PAGE(DR(",'specimen':[{'identifier':[]}]")), "specimen[0].identifier is not an"
	    " object" },
	{ PAGE(DR(",'specimen':[{'identifier':{'system':'urn:celldesk:lot','value':7}}]")),
	    "specimen[0].identifier.value is not a string" },
	{ PAGE(DR(",'subject':'Patient/1'")), "DiagnosticReport r1: subject is not an object" },
	{ PAGE(DR(",'subject':{'identifier':{'system':'urn:celldesk mrn','value':'1'}}")),
	    "subject.identifier.system holds spaces" },
	{ PAGE(RES("'resourceType':'DiagnosticReport','status':5," META("r1"))),
	    "DiagnosticReport r1: status is not a string" },
	{ PAGE(RES("'resourceType':'DiagnosticReport','status':'fi nal'," META("r1"))),
	    "status holds spaces" },
	{ PAGE(OBS(",'valueQuantity':{'value':'92'}")),
	    "Observation o1: valueQuantity.value is not a number" },
	{ PAGE(OBS(",'valueQuantity':92")), "valueQuantity is not an object" },
	{ PAGE(OBS(",'valueInteger':1.5")), "valueInteger is not a whole number" },
	{ PAGE(OBS(",'valueBoolean':'true'")), "valueBoolean is not true or false" },
	{ PAGE(OBS(",'valueString':'" X70 "'")),
	    "valueString is longer than the 63 characters celldesk keeps" },
	/* 20 characters, 80 once escaped. */
	{ PAGE(OBS(",'valueString':'\\u001b\\u001b\\u001b\\u001b\\u001b\\u001b\\u001b\\u001b"
	    "\\u001b\\u001b\\u001b\\u001b\\u001b\\u001b\\u001b\\u001b\\u001b\\u001b\\u001b"
	    "\\u001b'")), "valueString is longer than the 63" },
	{ PAGE(OBS(",'valueString':['a']")), "valueString is not a string" },
	{ PAGE(OBS(",'valueCodeableConcept':{'coding':['neg']}")),
	    "valueCodeableConcept.coding[0] is not an object" },
	{ PAGE(OBS(",'code':{'coding':[{'code':'a'},{'code':5}]}")),
	    "Observation o1: code.coding[1].code is not a string" },
	{ PAGE(OBS(",'code':{'coding':{'code':'a'}}")), "code.coding is not a list" },
	{ PAGE(OBS(",'code':{'coding':[{'system':'urn:celldesk:qc-test','code':"
	    "'via\\u0007'}]}")), "code.coding[0].code holds control" },
	{ PAGE(OBS(",'code':{'text':'" X70 "'}")), "code.text is longer than the 63" },
	{ PAGE(OBS(",'valueQuantity':{'value':1,'unit':'" X70 "'}")),
	    "valueQuantity.unit is longer than the 23" },
	{ PAGE(BDP(",'identifier':[{'system':'urn:celldesk:lot','value':7}]")),
	    "BiologicallyDerivedProduct p1: identifier[0].value is not a string" },
	{ PAGE(BDP(",'identifier':{'value':'BM-1'}")), "identifier is not a list" },
	{ PAGE(BDP(",'extension':[{'url':7}]")), "extension[0].url is not a string" },
	{ PAGE(BDP(",'extension':[{'url':'" FHIR_EXT_BDP_EXPIRY "','valueDateTime':"
	    "'2027-05-20 12:00'}]")), "extension[0].valueDateTime holds spaces" },
	{ PAGE(BDP(",'status':'available\\u202e'")), "status holds spaces, control" },
};

static void
test_page_malformed(void **state)
{
	struct fhir_page p;
	struct cd_err err;
	size_t i;

	(void)state;
	for (i = 0; i < LEN(malformed); i++) {
		memset(&p, 0x5a, sizeof p);
		if (parse_page(malformed[i].json, &p, &err) != CD_EDATA ||
		    strstr(err.msg, malformed[i].says) == NULL)
			fail_msg("case %zu: '%s'", i, err.msg);
		assert_sentence(&err);
		assert_page_empty(&p);
		fhir_page_free(&p); /* harmless on an empty page */
	}
	assert_true(LEN(malformed) >= 30);
}

/* A page of n copies of entry, as JSON. */
static char *
page_of_n(const char *entry, size_t n)
{
	struct strbuf b = STRBUF_INIT;
	size_t i;

	strbuf_adds(&b, "{'resourceType':'Bundle','type':'searchset','entry':[");
	for (i = 0; i < n; i++)
		strbuf_addf(&b, "%s%s", i ? "," : "", entry);
	strbuf_adds(&b, "]}");
	return b.s;
}

static void
test_page_limits(void **state)
{
	struct strbuf b = STRBUF_INIT;
	struct fhir_page p;
	struct cd_err err;
	char *json;
	size_t i;

	(void)state;
	json = page_of_n("{'search':{'mode':'outcome'},'resource':{'resourceType':'X'}}",
	    10000);
	assert_int_equal(parse_page(json, &p, &err), CD_OK);
	assert_int_equal(p.n_other, 10000);
	fhir_page_free(&p);
	free(json);
	json = page_of_n("{}", 10001);
	assert_int_equal(parse_page(json, &p, &err), CD_EDATA);
	assert_non_null(strstr(err.msg, "entry holds 10001 elements; celldesk reads at most"
	    " 10000"));
	assert_page_empty(&p);
	free(json);
	/* 32 results fit, 33 do not. */
	strbuf_adds(&b, "{'resourceType':'Bundle','type':'searchset','entry':[{'resource':{"
	    "'resourceType':'DiagnosticReport'," META("r1") ",'result':[");
	for (i = 0; i < FHIR_REF_MAX; i++)
		strbuf_addf(&b, "%s{'reference':'Observation/o%zu'}", i ? "," : "", i);
	assert_int_equal(parse_page(strbuf_str(&b), &p, &err), CD_EDATA); /* not closed */
	strbuf_adds(&b, "]}}]}");
	assert_int_equal(parse_page(strbuf_str(&b), &p, &err), CD_OK);
	assert_int_equal(p.reports[0].n_result, FHIR_REF_MAX);
	assert_string_equal(p.reports[0].result[31], "Observation/o31");
	fhir_page_free(&p);
	b.len -= 5;
	strbuf_adds(&b, ",{'reference':'Observation/o32'}]}}]}");
	assert_int_equal(parse_page(strbuf_str(&b), &p, &err), CD_EDATA);
	assert_non_null(strstr(err.msg, "DiagnosticReport r1: result holds 33 elements"));
	assert_page_empty(&p);
	strbuf_free(&b);
	/* An id of 64 characters is one; 65 is not. */
	assert_int_equal(parse_page(PAGE(RES("'resourceType':'Observation','id':'" X10 X10 X10
	    X10 X10 X10 "abcd','meta':{'lastUpdated':'2026-11-21T16:54:45Z'}")), &p, &err),
	    CD_OK);
	assert_int_equal(strlen(p.observations[0].id), 64);
	fhir_page_free(&p);
	assert_int_equal(parse_page(PAGE(RES("'resourceType':'Observation','id':'" X10 X10 X10
	    X10 X10 X10 "abcde','meta':{'lastUpdated':'2026-11-21T16:54:45Z'}")), &p, &err),
	    CD_EDATA);
	/* Nesting deeper than the parser takes. */
	strbuf_adds(&b, "{'resourceType':'Bundle','type':'searchset','x':");
	for (i = 0; i < 5000; i++)
		strbuf_addc(&b, '[');
	assert_int_equal(parse_page(strbuf_str(&b), &p, &err), CD_EDATA);
	assert_non_null(strstr(err.msg, "is not JSON"));
	assert_page_empty(&p);
	strbuf_free(&b);
}

/* Nothing past len is read, and what is before it is all there is. */
static void
test_page_respects_len(void **state)
{
	const char *text = "{\"resourceType\":\"Bundle\",\"type\":\"searchset\",\"total\":7}";
	struct fhir_page p;
	struct cd_err err;
	char *buf;
	size_t n = strlen(text);

	(void)state;
	buf = malloc(n + 8);
	assert_non_null(buf);
	memcpy(buf, text, n);
	memcpy(buf + n, "garbage", 8);
	assert_int_equal(fhir_parse_page(buf, n, &p, &err), CD_OK);
	assert_int_equal(p.total, 7);
	fhir_page_free(&p);
	assert_int_equal(fhir_parse_page(buf, n - 1, &p, &err), CD_EDATA);
	assert_non_null(strstr(err.msg, "is not JSON"));
	assert_page_empty(&p);
	assert_int_equal(fhir_parse_page(NULL, 0, &p, &err), CD_EDATA);
	assert_page_empty(&p);
	free(buf);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_order_autologous),
		cmocka_unit_test(test_order_donor),
		cmocka_unit_test(test_order_deterministic),
		cmocka_unit_test(test_order_escapes_conditions),
		cmocka_unit_test(test_order_refused),
		cmocka_unit_test(test_tx_medplum),
		cmocka_unit_test(test_tx_other_servers),
		cmocka_unit_test(test_tx_refused),
		cmocka_unit_test(test_outcome_text),
		cmocka_unit_test(test_page_reports),
		cmocka_unit_test(test_page_observations),
		cmocka_unit_test(test_page_products),
		cmocka_unit_test(test_page_links_and_others),
		cmocka_unit_test(test_page_escapes_text),
		cmocka_unit_test(test_page_malformed),
		cmocka_unit_test(test_page_limits),
		cmocka_unit_test(test_page_respects_len),
	};

	unit_fixed_env();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
