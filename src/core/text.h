/* text.h - UTF-8 text: decoding, the one output sanitizer, display width,
 * case folding for search keys, and validation of free-text fields. */
#ifndef CD_TEXT_H
#define CD_TEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "status.h"
#include "strbuf.h"

/* Decodes one UTF-8 sequence at s (n bytes available). Returns its length
 * (1-4) and stores the code point, or returns 0 for an invalid or
 * truncated sequence (overlongs, surrogates and > U+10FFFF included). */
size_t utf8_decode(const char *s, size_t n, uint32_t *cp);
bool utf8_valid(const char *s, size_t n);
/* Appends code point cp (at most U+10FFFF, not a surrogate) as UTF-8. */
void utf8_encode(struct strbuf *b, uint32_t cp);

/* True for characters that must never reach a terminal raw: C0, DEL, C1
 * and the bidirectional controls. */
bool text_is_unsafe(uint32_t cp);

/* Appends s to b with every unsafe character escaped (\x1b, \u202e),
 * invalid bytes as \xNN and the backslash doubled. The one sanitizer
 * used for everything printed from data or outside input. */
void text_sanitize(struct strbuf *b, const char *s, size_t n);

/* Appends s with invalid UTF-8 bytes replaced by U+FFFD, so a JSON
 * encoder accepts it; JSON escapes the controls itself. */
void text_repair_utf8(struct strbuf *b, const char *s, size_t n);

/* Display columns of s (wide CJK counts 2; an unsafe character counts
 * as the escape text_sanitize would print for it). */
size_t text_width(const char *s);

/* Outside text for a message: s sanitized, cut to max bytes on a
 * character boundary ("..." marks a cut) into buf; returns buf. */
const char *text_excerpt(char *buf, size_t size, size_t max, const char *s);

/* Appends a lower-cased copy of s (Unicode-aware) to b: the search key. */
void text_fold(struct strbuf *b, const char *s);

enum text_rule {
	TEXT_REQUIRED = 1,  /* must not be empty or only spaces */
	TEXT_MULTILINE = 2  /* newlines and tabs allowed (notes) */
};

/* Checks a field value typed by a person: valid UTF-8, at most maxchars
 * characters, no control characters (except newline and tab when
 * TEXT_MULTILINE). Fails with a sentence naming field. */
enum cd_status text_check_field(const char *field, const char *value,
    size_t maxchars, unsigned rules, struct cd_err *err);

#endif
