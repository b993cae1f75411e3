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
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <jansson.h>
#include <openssl/evp.h>

#include "core/audit_chain.h"
#include "core/strbuf.h"
#include "core/text.h"
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

/* The canonical text as celldesk first wrote it (and as every stored
 * hash was made): each field repaired with text_repair_utf8, put in a
 * jansson array and dumped compact and ensure-ascii. */
static json_t *
jansson_text(const char *s)
{
	struct strbuf b = STRBUF_INIT;
	json_t *j;

	if (s == NULL)
		return json_null();
	text_repair_utf8(&b, s, strlen(s));
	j = json_string(strbuf_str(&b));
	strbuf_free(&b);
	assert_non_null(j);
	return j;
}

static char *
jansson_canonical(const struct audit_record *r)
{
	json_t *arr = json_array();
	char *canon;

	json_array_append_new(arr, json_integer(r->seq));
	json_array_append_new(arr, jansson_text(r->at));
	json_array_append_new(arr, jansson_text(r->actor));
	json_array_append_new(arr, jansson_text(r->action));
	json_array_append_new(arr, jansson_text(r->tbl));
	json_array_append_new(arr, jansson_text(r->row_key));
	json_array_append_new(arr, jansson_text(r->old_json));
	json_array_append_new(arr, jansson_text(r->new_json));
	json_array_append_new(arr, jansson_text(r->reason));
	canon = json_dumps(arr, JSON_COMPACT | JSON_ENSURE_ASCII);
	json_decref(arr);
	assert_non_null(canon);
	return canon;
}

/* One record with text in the free-text fields (and in at, to reach the
 * first string too): the hand-written encoder and jansson agree, and so
 * does the hash. */
static void
same_as_jansson(struct audit_hasher *h, int64_t seq, const char *text)
{
	struct audit_record r = { 0, "2026-11-21T13:36:14.123Z", "root", "update", "notes",
		"7", NULL, NULL, NULL };
	char *want, want_hash[65], got_hash[65];
	const char *prev = "9807a8cf78f00fe9ff37af5b5c120e74c533c959a0cf29ccb5e9f0e3795ebc9c";

	r.seq = seq;
	r.at = text;
	r.old_json = text;
	r.reason = text;
	want = jansson_canonical(&r);
	assert_string_equal(audit_hasher_canonical(h, &r), want);
	sha256_hex(prev, want, want_hash);
	audit_hasher_hash(h, prev, &r, got_hash);
	assert_string_equal(got_hash, want_hash);
	free(want);
}

static void
test_encoder_matches_jansson(void **state)
{
	static const char *const tricky[] = {
		"", "plain", "\"quoted\"", "back\\slash\\", "a/b", "\b\f\n\r\t",
		"\x01\x02\x1f ctl", "del\x7f", "caf\xc3\xa9", "\xe2\x82\xac euro",
		"\xef\xbf\xbd", "\xef\xbb\xbf BOM", "\xe2\x80\xa8\xe2\x80\xa9",
		"\xf0\x9f\x98\x80 emoji", "\xf4\x8f\xbf\xbf max", "\xf0\x90\x80\x80",
		"\x80 lone continuation", "\xc3", "trunc \xf0\x9f\x98", "\xe2\x82",
		"overlong \xc0\xaf \xe0\x80\xaf \xf0\x80\x80\xaf", "\xc1\xbf",
		"surrogate \xed\xa0\x80 \xed\xbf\xbf", "beyond \xf4\x90\x80\x80",
		"\xf5\x80\x80\x80 \xf8\x88\x80\x80\x80 \xfe\xff",
		"{\"id\":1,\"note\":\"a \\\"b\\\" \\\\ c\\n\"}",
		"\xc3\xa9\x80\xc3", "\xe2\x28\xa1", "\xf0\x9f\x98\x80\xf0\x9f\x98",
	};
	static const int64_t seqs[] = { 0, 1, -1, 42, INT64_MAX, INT64_MIN };
	struct audit_hasher *h = audit_hasher_new();
	struct audit_record r = { 5, "", "", "", "", "", NULL, NULL, NULL };
	struct strbuf b = STRBUF_INIT;
	char *want, s[3];
	uint32_t cp;
	size_t i;
	int c, d;

	(void)state;
	for (i = 0; i < LEN(tricky); i++)
		same_as_jansson(h, 3, tricky[i]);
	for (i = 0; i < LEN(seqs); i++)
		same_as_jansson(h, seqs[i], "x");
	/* NULL in every field, and all fields empty. */
	same_as_jansson(h, 1, NULL);
	want = jansson_canonical(&r);
	assert_string_equal(audit_hasher_canonical(h, &r), want);
	free(want);
	/* Every one- and two-byte string. */
	s[2] = '\0';
	for (c = 1; c < 256; c++) {
		s[0] = (char)c;
		s[1] = '\0';
		same_as_jansson(h, 9, s);
		for (d = 1; d < 256; d++) {
			s[1] = (char)d;
			same_as_jansson(h, 9, s);
		}
	}
	/* Every code point, valid ones and the surrogates (not valid as
	 * UTF-8), 4096 to a string. */
	for (cp = 1; cp <= 0x10FFFF; cp++) {
		if (cp < 0x80)
			strbuf_addc(&b, (char)cp);
		else if (cp < 0x800)
			strbuf_addf(&b, "%c%c", 0xC0 | (cp >> 6), 0x80 | (cp & 0x3F));
		else if (cp < 0x10000)
			strbuf_addf(&b, "%c%c%c", 0xE0 | (cp >> 12), 0x80 | ((cp >> 6) & 0x3F),
			    0x80 | (cp & 0x3F));
		else
			strbuf_addf(&b, "%c%c%c%c", 0xF0 | (cp >> 18), 0x80 | ((cp >> 12) & 0x3F),
			    0x80 | ((cp >> 6) & 0x3F), 0x80 | (cp & 0x3F));
		if (cp % 4096 == 0 || cp == 0x10FFFF) {
			same_as_jansson(h, 11, strbuf_str(&b));
			strbuf_reset(&b);
		}
	}
	strbuf_free(&b);
	audit_hasher_free(h);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_known_answer),
		cmocka_unit_test(test_matches_independent_encoding),
		cmocka_unit_test(test_every_field_counts),
		cmocka_unit_test(test_chain),
		cmocka_unit_test(test_encoder_matches_jansson),
	};

	unit_fixed_env();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
