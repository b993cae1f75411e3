/* audit_chain.c - canonical encoding and SHA-256 chaining of audit records. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <openssl/evp.h>

#include "audit_chain.h"
#include "strbuf.h"
#include "text.h"
#include "xalloc.h"

static json_t *
json_text_or_null(const char *s)
{
	struct strbuf b = STRBUF_INIT;
	json_t *j;

	if (s == NULL)
		return json_null();
	/* Stored text is valid UTF-8 by construction; a record damaged
	 * outside celldesk still hashes (to a value that will not match). */
	text_repair_utf8(&b, s, strlen(s));
	j = json_string(strbuf_str(&b));
	strbuf_free(&b);
	if (j == NULL)
		fatal("cannot encode audit field");
	return j;
}

void
audit_chain_hash(const char *prev_hex, const struct audit_record *r, char out_hex[65])
{
	static const char hex[] = "0123456789abcdef";
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int mdlen = 0, i;
	EVP_MD_CTX *ctx;
	json_t *arr;
	char *canon;

	arr = json_array();
	json_array_append_new(arr, json_integer(r->seq));
	json_array_append_new(arr, json_text_or_null(r->at));
	json_array_append_new(arr, json_text_or_null(r->actor));
	json_array_append_new(arr, json_text_or_null(r->action));
	json_array_append_new(arr, json_text_or_null(r->tbl));
	json_array_append_new(arr, json_text_or_null(r->row_key));
	json_array_append_new(arr, json_text_or_null(r->old_json));
	json_array_append_new(arr, json_text_or_null(r->new_json));
	json_array_append_new(arr, json_text_or_null(r->reason));
	canon = json_dumps(arr, JSON_COMPACT | JSON_ENSURE_ASCII);
	json_decref(arr);
	if (canon == NULL)
		fatal("cannot encode audit record");

	if ((ctx = EVP_MD_CTX_new()) == NULL)
		fatal("out of memory (digest)");
	if (EVP_DigestInit_ex(ctx, EVP_sha256(), NULL) != 1 ||
	    EVP_DigestUpdate(ctx, prev_hex, strlen(prev_hex)) != 1 ||
	    EVP_DigestUpdate(ctx, "\n", 1) != 1 ||
	    EVP_DigestUpdate(ctx, canon, strlen(canon)) != 1 ||
	    EVP_DigestFinal_ex(ctx, md, &mdlen) != 1 || mdlen != 32)
		fatal("SHA-256 failed");
	EVP_MD_CTX_free(ctx);
	free(canon);
	for (i = 0; i < 32; i++) {
		out_hex[2 * i] = hex[md[i] >> 4];
		out_hex[2 * i + 1] = hex[md[i] & 15];
	}
	out_hex[64] = '\0';
}
