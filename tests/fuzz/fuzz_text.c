/* fuzz_text.c - fuzz target for the output sanitizer and the field
 * checks that every typed or imported name goes through. */
#include "config.h"

#include <locale.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/strbuf.h"
#include "core/text.h"
#include "core/xalloc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct strbuf b = STRBUF_INIT, f = STRBUF_INIT;
	struct cd_err err;
	char *s = xstrndup((const char *)data, size);
	uint32_t cp;
	size_t i, k, n;

	setlocale(LC_CTYPE, "C.UTF-8");
	text_sanitize(&b, (const char *)data, size);
	/* What the sanitizer lets through is valid UTF-8 with nothing a
	 * terminal would act on. */
	if (!utf8_valid(strbuf_str(&b), b.len))
		abort();
	for (i = 0; i < b.len; i += k) {
		k = utf8_decode(b.s + i, b.len - i, &cp);
		if (k == 0 || text_is_unsafe(cp))
			abort();
	}
	text_fold(&f, s);
	if (!utf8_valid(strbuf_str(&f), f.len))
		abort();
	n = strlen(s);
	if (text_check_field("--name", s, 200, TEXT_REQUIRED, &err) == CD_OK &&
	    (!utf8_valid(s, n) || n == 0))
		abort();
	(void)text_width(s);
	strbuf_free(&b);
	strbuf_free(&f);
	free(s);
	return 0;
}
