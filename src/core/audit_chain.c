/* audit_chain.c - canonical encoding and SHA-256 chaining of audit records.
 *
 * The canonical text is what jansson's json_dumps(JSON_COMPACT |
 * JSON_ENSURE_ASCII) writes for the record's fields as an array of
 * json_string(text_repair_utf8(field)) (or null). It is written here by
 * hand into one reused buffer, and digested with one reused context, so
 * that `audit verify` does not allocate per record; test_audit_chain
 * compares this encoder with jansson's on tricky inputs. */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#include "audit_chain.h"
#include "text.h"
#include "xalloc.h"

struct audit_hasher {
	const EVP_MD *md;
#if OPENSSL_VERSION_NUMBER >= 0x30000000L
	EVP_MD *fetched;  /* the fetched SHA-256, freed with the hasher */
#endif
	EVP_MD_CTX *ctx;
	char *buf;        /* canonical text of the last record */
	size_t len, cap;
};

struct audit_hasher *
audit_hasher_new(void)
{
	struct audit_hasher *h = xcalloc(1, sizeof *h);

#if OPENSSL_VERSION_NUMBER >= 0x30000000L
	/* Fetch once: EVP_sha256() would look the implementation up again
	 * on every EVP_DigestInit_ex. */
	h->md = h->fetched = EVP_MD_fetch(NULL, "SHA256", NULL);
#else
	h->md = EVP_sha256();
#endif
	if (h->md == NULL || (h->ctx = EVP_MD_CTX_new()) == NULL)
		fatal("out of memory (digest)");
	return h;
}

void
audit_hasher_free(struct audit_hasher *h)
{
	if (h == NULL)
		return;
	EVP_MD_CTX_free(h->ctx);
#if OPENSSL_VERSION_NUMBER >= 0x30000000L
	EVP_MD_free(h->fetched);
#endif
	free(h->buf);
	free(h);
}

/* Makes room for extra more bytes (and a NUL) in the buffer. */
static void
reserve(struct audit_hasher *h, size_t extra)
{
	if (extra > SIZE_MAX / 2 - h->len)
		fatal("audit record too large");
	if (h->len + extra + 1 <= h->cap)
		return;
	if (h->cap == 0)
		h->cap = 4096;
	while (h->cap < h->len + extra + 1)
		h->cap *= 2;
	h->buf = xrealloc(h->buf, h->cap);
}

static void
put(struct audit_hasher *h, const char *s, size_t n)
{
	reserve(h, n);
	memcpy(h->buf + h->len, s, n);
	h->len += n;
}

/* Writes \uXXXX with upper-case hex, as jansson does. */
static char *
put_u(char *o, uint32_t v)
{
	static const char hex[] = "0123456789ABCDEF";

	*o++ = '\\';
	*o++ = 'u';
	*o++ = hex[(v >> 12) & 15];
	*o++ = hex[(v >> 8) & 15];
	*o++ = hex[(v >> 4) & 15];
	*o++ = hex[v & 15];
	return o;
}

/* Appends s as a JSON string (or null), ensure-ascii: \" \\ \b \f \n \r
 * \t short; other controls and all non-ASCII as \uXXXX, above the BMP as
 * a surrogate pair; 0x7F and '/' as they are. A byte that does not start
 * a valid UTF-8 sequence is U+FFFD, exactly as text_repair_utf8 makes it. */
static void
put_text(struct audit_hasher *h, const char *str)
{
	const unsigned char *s = (const unsigned char *)str, *e, *run;
	uint32_t cp;
	size_t n, k;
	char *o;

	if (str == NULL) {
		put(h, "null", 4);
		return;
	}
	n = strlen(str);
	if (n > SIZE_MAX / 8)
		fatal("audit record too large");
	/* At most 6 bytes out per byte in (a control or a stray byte as
	 * \uXXXX; a 4-byte sequence gives 12), plus the quotes. */
	reserve(h, 6 * n + 2);
	o = h->buf + h->len;
	e = s + n;
	*o++ = '"';
	for (;;) {
		run = s;
		while (s < e && *s >= 0x20 && *s < 0x80 && *s != '"' && *s != '\\')
			s++;
		memcpy(o, run, (size_t)(s - run));
		o += s - run;
		if (s == e)
			break;
		if (*s < 0x80) {
			*o++ = '\\';
			switch (*s) {
			case '"': *o++ = '"'; break;
			case '\\': *o++ = '\\'; break;
			case '\b': *o++ = 'b'; break;
			case '\f': *o++ = 'f'; break;
			case '\n': *o++ = 'n'; break;
			case '\r': *o++ = 'r'; break;
			case '\t': *o++ = 't'; break;
			default: o = put_u(o - 1, *s); break; /* over the \ */
			}
			s++;
			continue;
		}
		if ((k = utf8_decode((const char *)s, (size_t)(e - s), &cp)) == 0) {
			cp = 0xFFFD;
			k = 1;
		}
		s += k;
		if (cp >= 0x10000) {
			cp -= 0x10000;
			o = put_u(o, 0xD800 | (cp >> 10));
			cp = 0xDC00 | (cp & 0x3FF);
		}
		o = put_u(o, cp);
	}
	*o++ = '"';
	*o = '\0';
	h->len = (size_t)(o - h->buf);
}

const char *
audit_hasher_canonical(struct audit_hasher *h, const struct audit_record *r)
{
	const char *text[8];
	char num[32];
	int i;

	text[0] = r->at;
	text[1] = r->actor;
	text[2] = r->action;
	text[3] = r->tbl;
	text[4] = r->row_key;
	text[5] = r->old_json;
	text[6] = r->new_json;
	text[7] = r->reason;
	h->len = 0;
	put(h, "[", 1);
	put(h, num, (size_t)snprintf(num, sizeof num, "%lld", (long long)r->seq));
	for (i = 0; i < 8; i++) {
		put(h, ",", 1);
		put_text(h, text[i]);
	}
	put(h, "]", 1);
	h->buf[h->len] = '\0';
	return h->buf;
}

void
audit_hasher_hash(struct audit_hasher *h, const char *prev_hex, const struct audit_record *r,
    char out_hex[65])
{
	static const char hex[] = "0123456789abcdef";
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int mdlen = 0, i;

	audit_hasher_canonical(h, r);
	if (EVP_DigestInit_ex(h->ctx, h->md, NULL) != 1 ||
	    EVP_DigestUpdate(h->ctx, prev_hex, strlen(prev_hex)) != 1 ||
	    EVP_DigestUpdate(h->ctx, "\n", 1) != 1 ||
	    EVP_DigestUpdate(h->ctx, h->buf, h->len) != 1 ||
	    EVP_DigestFinal_ex(h->ctx, md, &mdlen) != 1 || mdlen != 32)
		fatal("SHA-256 failed");
	for (i = 0; i < 32; i++) {
		out_hex[2 * i] = hex[md[i] >> 4];
		out_hex[2 * i + 1] = hex[md[i] & 15];
	}
	out_hex[64] = '\0';
}

void
audit_chain_hash(const char *prev_hex, const struct audit_record *r, char out_hex[65])
{
	struct audit_hasher *h = audit_hasher_new();

	audit_hasher_hash(h, prev_hex, r, out_hex);
	audit_hasher_free(h);
}
