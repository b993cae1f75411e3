/* test_audit_chain.c - the SHA-256 hash chain over audit records
 * (src/core/audit_chain.c), checked against hashes computed here without
 * the code under test: the canonical JSON is written out by this file's
 * own encoder (or by hand) and digested with OpenSSL's EVP. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>
#include <openssl/evp.h>

#include "core/audit_chain.h"
#include "core/strbuf.h"
#include "unit_util.h"

#define LEN(a) (sizeof(a) / sizeof((a)[0]))

/* SHA-256 of prev "\n" canon, as lower-case hex. */
static void
sha256_hex(const char *prev, const char *canon, char out[65])
{
	static const char hex[] = "0123456789abcdef";
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int n = 0, i;
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();

	assert_non_null(ctx);
	assert_int_equal(EVP_DigestInit_ex(ctx, EVP_sha256(), NULL), 1);
	assert_int_equal(EVP_DigestUpdate(ctx, prev, strlen(prev)), 1);
	assert_int_equal(EVP_DigestUpdate(ctx, "\n", 1), 1);
	assert_int_equal(EVP_DigestUpdate(ctx, canon, strlen(canon)), 1);
	assert_int_equal(EVP_DigestFinal_ex(ctx, md, &n), 1);
	EVP_MD_CTX_free(ctx);
	assert_int_equal(n, 32);
	for (i = 0; i < 32; i++) {
		out[2 * i] = hex[md[i] >> 4];
		out[2 * i + 1] = hex[md[i] & 15];
	}
	out[64] = '\0';
}

/* A JSON string, ensure-ascii: \" \\ and \b \f \n \r \t short, other
 * controls and everything beyond ASCII as \uXXXX (upper-case hex,
 * surrogate pairs above the BMP). Input must be valid UTF-8. */
static void
json_str(struct strbuf *b, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	uint32_t cp;
	int extra;

	if (s == NULL) {
		strbuf_adds(b, "null");
		return;
	}
	strbuf_addc(b, '"');
	while (*p != '\0') {
		if (*p < 0x80) {
			cp = *p++;
			extra = 0;
		} else if (*p < 0xE0) {
			cp = *p++ & 0x1F;
			extra = 1;
		} else if (*p < 0xF0) {
			cp = *p++ & 0x0F;
			extra = 2;
		} else {
			cp = *p++ & 0x07;
			extra = 3;
		}
		while (extra-- > 0)
			cp = (cp << 6) | (*p++ & 0x3F);
		switch (cp) {
		case '"': strbuf_adds(b, "\\\""); break;
		case '\\': strbuf_adds(b, "\\\\"); break;
		case '\b': strbuf_adds(b, "\\b"); break;
		case '\f': strbuf_adds(b, "\\f"); break;
		case '\n': strbuf_adds(b, "\\n"); break;
		case '\r': strbuf_adds(b, "\\r"); break;
		case '\t': strbuf_adds(b, "\\t"); break;
		default:
			if (cp < 0x20 || (cp > 0x7E && cp != 0x7F)) {
				if (cp >= 0x10000) {
					cp -= 0x10000;
					strbuf_addf(b, "\\u%04X\\u%04X", (unsigned)(0xD800 + (cp >> 10)),
					    (unsigned)(0xDC00 + (cp & 0x3FF)));
				} else
					strbuf_addf(b, "\\u%04X", (unsigned)cp);
			} else
				strbuf_addc(b, (char)cp);
		}
	}
	strbuf_addc(b, '"');
}

/* [seq,"at","actor","action","tbl","row_key",old,new,reason] */
static void
canonical(struct strbuf *b, const struct audit_record *r)
{
	strbuf_reset(b);
	strbuf_addf(b, "[%lld,", (long long)r->seq);
	json_str(b, r->at);
	strbuf_addc(b, ',');
	json_str(b, r->actor);
	strbuf_addc(b, ',');
	json_str(b, r->action);
	strbuf_addc(b, ',');
	json_str(b, r->tbl);
	strbuf_addc(b, ',');
	json_str(b, r->row_key);
	strbuf_addc(b, ',');
	json_str(b, r->old_json);
	strbuf_addc(b, ',');
	json_str(b, r->new_json);
	strbuf_addc(b, ',');
	json_str(b, r->reason);
	strbuf_addc(b, ']');
}

static const struct audit_record first_admin = {
	1, "2026-11-21T13:36:14.123Z", "root", "insert", "staff", "root", NULL,
	"{\"id\":1,\"username\":\"root\",\"name\":\"root\",\"roles\":\"admin\",\"active\":1}",
	"first admin, made by celldesk init"
};

/* The canonical text written out by hand, and its SHA-256 computed
 * outside this program (Python hashlib). */
static void
test_known_answer(void **state)
{
	static const char canon[] =
	    "[1,\"2026-11-21T13:36:14.123Z\",\"root\",\"insert\",\"staff\",\"root\",null,"
	    "\"{\\\"id\\\":1,\\\"username\\\":\\\"root\\\",\\\"name\\\":\\\"root\\\","
	    "\\\"roles\\\":\\\"admin\\\",\\\"active\\\":1}\","
	    "\"first admin, made by celldesk init\"]";
	struct strbuf b = STRBUF_INIT;
	char want[65], got[65];

	(void)state;
	canonical(&b, &first_admin);
	assert_string_equal(strbuf_str(&b), canon);
	sha256_hex(AUDIT_GENESIS, canon, want);
	assert_string_equal(want,
	    "9807a8cf78f00fe9ff37af5b5c120e74c533c959a0cf29ccb5e9f0e3795ebc9b");
	memset(got, 'X', sizeof got);
	audit_chain_hash(AUDIT_GENESIS, &first_admin, got);
	assert_string_equal(got, want);
	strbuf_free(&b);
}

/* Records with non-ASCII text, controls, quotes and absent fields hash as
 * their canonical JSON says. */
static void
test_matches_independent_encoding(void **state)
{
	static const struct audit_record records[] = {
		{ 7, "2026-11-21T13:36:14.123Z", "okovalenko", "update", "patients", "MRN0000001",
		    "{\"id\":1,\"name\":\"Олена\"}", "{\"id\":1,\"name\":\"Олена Коваленко\"}",
		    "typo in name" },
		{ 2, "2026-11-21T13:36:14.123Z", "jgross", "insert", "patients", "B-77/1", NULL,
		    "{\"name\":\"Jürgen Groß\",\"notes\":\"line 1\\nline 2\\ttab\"}", NULL },
		{ 3, "2026-11-21T13:36:14.123Z", "lab-sync", "delete", "resources", "王小明",
		    "{\"name\":\"C-arm \xF0\x9F\x98\x80\"}", NULL, "reason with \"quotes\" and \\ and /" },
		{ 4, "2026-11-21T13:36:14.123Z", "root", "update", "patients", "X",
		    "{}", "{}", "control \x01 and DEL \x7f and bidi \xE2\x80\xAE" },
		{ INT64_C(9007199254740993), "2099-12-31T23:59:59.999Z", "a", "b", "c", "d", NULL,
		    NULL, NULL },
	};
	struct strbuf b = STRBUF_INIT;
	char want[65], got[65];
	size_t i;

	(void)state;
	for (i = 0; i < LEN(records); i++) {
		canonical(&b, &records[i]);
		sha256_hex(AUDIT_GENESIS, strbuf_str(&b), want);
		audit_chain_hash(AUDIT_GENESIS, &records[i], got);
		if (strcmp(got, want) != 0)
			fail_msg("record %zu: hash %s, want %s for %s", i, got, want, strbuf_str(&b));
		/* and chained to something else than the genesis */
		sha256_hex(got, strbuf_str(&b), want);
		audit_chain_hash(got, &records[i], got);
		assert_string_equal(got, want);
	}
	strbuf_free(&b);
}

/* Changing any single field, or the previous hash, changes the hash. */
static void
test_every_field_counts(void **state)
{
	struct audit_record base = {
		7, "2026-11-21T13:36:14.123Z", "okovalenko", "update", "patients", "MRN0000001",
		"{\"id\":1,\"name\":\"Олена\"}", "{\"id\":1,\"name\":\"Олена К.\"}", "typo"
	};
	struct audit_record r;
	char h0[65], h[65];
	const char *prev = "9807a8cf78f00fe9ff37af5b5c120e74c533c959a0cf29ccb5e9f0e3795ebc9b";
	int field;

	(void)state;
	audit_chain_hash(prev, &base, h0);
	assert_int_equal(strlen(h0), 64);
	assert_int_equal(strspn(h0, "0123456789abcdef"), 64);
	/* deterministic */
	audit_chain_hash(prev, &base, h);
	assert_string_equal(h, h0);

	for (field = 0; field < 13; field++) {
		r = base;
		switch (field) {
		case 0: r.seq = 8; break;
		case 1: r.at = "2026-11-21T13:36:14.124Z"; break;
		case 2: r.actor = "okovalenkO"; break;
		case 3: r.action = "insert"; break;
		case 4: r.tbl = "staff"; break;
		case 5: r.row_key = "MRN0000002"; break;
		case 6: r.old_json = "{\"id\":1,\"name\":\"Олена \"}"; break;
		case 7: r.new_json = "{\"id\":1,\"name\":\"Олена K.\"}"; break; /* Latin K */
		case 8: r.reason = "typo."; break;
		case 9: r.old_json = NULL; break;
		case 10: r.new_json = NULL; break;
		case 11: r.reason = NULL; break;
		case 12: r.reason = ""; break; /* empty is not absent */
		}
		audit_chain_hash(prev, &r, h);
		if (strcmp(h, h0) == 0)
			fail_msg("changing field case %d leaves the hash unchanged", field);
	}
	/* absent reason and empty reason differ from each other too */
	r = base;
	r.reason = NULL;
	audit_chain_hash(prev, &r, h0);
	r.reason = "";
	audit_chain_hash(prev, &r, h);
	assert_string_not_equal(h, h0);

	/* moving text between neighbouring fields changes the hash */
	r = base;
	r.actor = "okovalenkoupdate";
	r.action = "";
	audit_chain_hash(prev, &base, h0);
	audit_chain_hash(prev, &r, h);
	assert_string_not_equal(h, h0);

	/* the previous hash takes part */
	audit_chain_hash(AUDIT_GENESIS, &base, h0);
	audit_chain_hash(prev, &base, h);
	assert_string_not_equal(h, h0);
	audit_chain_hash("9807a8cf78f00fe9ff37af5b5c120e74c533c959a0cf29ccb5e9f0e3795ebc9c", &base,
	    h0);
	assert_string_not_equal(h, h0);
}

/* A chain of three: each hash feeds the next, and a change in the first
 * record changes every hash after it. */
static void
test_chain(void **state)
{
	struct audit_record r[3] = {
		{ 1, "2026-11-21T13:36:14.123Z", "root", "insert", "staff", "root", NULL, "{}", NULL },
		{ 2, "2026-11-21T13:36:15.000Z", "root", "insert", "sites", "Kyiv", NULL, "{}", NULL },
		{ 3, "2026-11-21T13:36:16.000Z", "root", "update", "sites", "Kyiv", "{}", "{}", "x" },
	};
	char a[3][65], b[3][65];
	int i;

	(void)state;
	for (i = 0; i < 3; i++)
		audit_chain_hash(i ? a[i - 1] : AUDIT_GENESIS, &r[i], a[i]);
	r[0].row_key = "admin";
	for (i = 0; i < 3; i++)
		audit_chain_hash(i ? b[i - 1] : AUDIT_GENESIS, &r[i], b[i]);
	for (i = 0; i < 3; i++)
		assert_string_not_equal(a[i], b[i]);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_known_answer),
		cmocka_unit_test(test_matches_independent_encoding),
		cmocka_unit_test(test_every_field_counts),
		cmocka_unit_test(test_chain),
	};

	unit_fixed_env();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
