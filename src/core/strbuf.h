/* strbuf.h - a growable byte string. */
#ifndef CD_STRBUF_H
#define CD_STRBUF_H

#include <stddef.h>

struct strbuf {
	char *s;    /* always NUL-terminated once anything was appended */
	size_t len;
	size_t cap;
};

#define STRBUF_INIT { NULL, 0, 0 }

void strbuf_add(struct strbuf *b, const char *s, size_t n);
void strbuf_adds(struct strbuf *b, const char *s);
void strbuf_addc(struct strbuf *b, char c);
void strbuf_addf(struct strbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void strbuf_reset(struct strbuf *b);
/* Returns the contents ("" when empty); borrowed, valid until the next call. */
const char *strbuf_str(struct strbuf *b);
void strbuf_free(struct strbuf *b);

#endif
