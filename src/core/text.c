/* text.c - UTF-8 decoding, sanitizing, width, folding and field checks. */
#include "config.h"

#include <stdio.h>
#include <string.h>
#include <wchar.h>
#include <wctype.h>

#include "text.h"

size_t
utf8_decode(const char *str, size_t n, uint32_t *cp)
{
	const unsigned char *s = (const unsigned char *)str;
	uint32_t c;
	size_t len, i;

	if (n == 0)
		return 0;
	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	} else if (s[0] >= 0xC2 && s[0] <= 0xDF) {
		len = 2;
		c = s[0] & 0x1F;
	} else if (s[0] >= 0xE0 && s[0] <= 0xEF) {
		len = 3;
		c = s[0] & 0x0F;
	} else if (s[0] >= 0xF0 && s[0] <= 0xF4) {
		len = 4;
		c = s[0] & 0x07;
	} else
		return 0;
	if (n < len)
		return 0;
	for (i = 1; i < len; i++) {
		if ((s[i] & 0xC0) != 0x80)
			return 0;
		c = (c << 6) | (s[i] & 0x3F);
	}
	if ((len == 3 && c < 0x800) || (len == 4 && c < 0x10000) ||
	    c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
		return 0;
	*cp = c;
	return len;
}

bool
utf8_valid(const char *s, size_t n)
{
	uint32_t cp;
	size_t k;

	while (n > 0) {
		if ((k = utf8_decode(s, n, &cp)) == 0)
			return false;
		s += k;
		n -= k;
	}
	return true;
}

static bool
is_bidi_control(uint32_t cp)
{
	return cp == 0x061C || cp == 0x200E || cp == 0x200F ||
	    (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069);
}

bool
text_is_unsafe(uint32_t cp)
{
	return cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp <= 0x9F) ||
	    is_bidi_control(cp);
}

void
text_sanitize(struct strbuf *b, const char *s, size_t n)
{
	uint32_t cp;
	size_t k;

	while (n > 0) {
		k = utf8_decode(s, n, &cp);
		if (k == 0) {
			strbuf_addf(b, "\\x%02x", (unsigned char)*s);
			k = 1;
		} else if (cp == '\\')
			strbuf_add(b, "\\\\", 2);
		else if (cp < 0x100 && text_is_unsafe(cp))
			strbuf_addf(b, "\\x%02x", (unsigned)cp);
		else if (text_is_unsafe(cp))
			strbuf_addf(b, "\\u%04x", (unsigned)cp);
		else
			strbuf_add(b, s, k);
		s += k;
		n -= k;
	}
}

void
text_repair_utf8(struct strbuf *b, const char *s, size_t n)
{
	uint32_t cp;
	size_t k;

	while (n > 0) {
		k = utf8_decode(s, n, &cp);
		if (k == 0) {
			strbuf_adds(b, "\xEF\xBF\xBD");
			k = 1;
		} else
			strbuf_add(b, s, k);
		s += k;
		n -= k;
	}
}

static size_t
codepoint_width(uint32_t cp)
{
	int w = wcwidth((wchar_t)cp);

	return w < 0 ? 1 : (size_t)w;
}

size_t
text_width(const char *s)
{
	size_t n = strlen(s), width = 0, k;
	uint32_t cp;

	while (n > 0) {
		k = utf8_decode(s, n, &cp);
		if (k == 0) {
			width += 4; /* shown as \xNN */
			k = 1;
		} else if (text_is_unsafe(cp))
			width += cp < 0x100 ? 4 : 6;
		else
			width += codepoint_width(cp);
		s += k;
		n -= k;
	}
	return width;
}

void
utf8_encode(struct strbuf *b, uint32_t cp)
{
	char out[4];
	size_t n;

	if (cp < 0x80) {
		out[0] = (char)cp;
		n = 1;
	} else if (cp < 0x800) {
		out[0] = (char)(0xC0 | (cp >> 6));
		out[1] = (char)(0x80 | (cp & 0x3F));
		n = 2;
	} else if (cp < 0x10000) {
		out[0] = (char)(0xE0 | (cp >> 12));
		out[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
		out[2] = (char)(0x80 | (cp & 0x3F));
		n = 3;
	} else {
		out[0] = (char)(0xF0 | (cp >> 18));
		out[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
		out[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
		out[3] = (char)(0x80 | (cp & 0x3F));
		n = 4;
	}
	strbuf_add(b, out, n);
}

void
text_fold(struct strbuf *b, const char *s)
{
	size_t n = strlen(s), k;
	uint32_t cp, lower;

	while (n > 0) {
		k = utf8_decode(s, n, &cp);
		if (k == 0) {
			k = 1;
			s += k;
			n -= k;
			continue;
		}
		lower = (uint32_t)towlower((wint_t)cp);
		if (lower > 0x10FFFF || (lower >= 0xD800 && lower <= 0xDFFF))
			lower = cp;
		utf8_encode(b, lower);
		s += k;
		n -= k;
	}
}

enum cd_status
text_check_field(const char *field, const char *value, size_t maxchars,
    unsigned rules, struct cd_err *err)
{
	size_t n = strlen(value), chars = 0, k;
	const char *p = value;
	bool blank = true;
	uint32_t cp;

	while (n > 0) {
		k = utf8_decode(p, n, &cp);
		if (k == 0)
			return cd_fail(err, CD_USAGE,
			    "%s is not valid UTF-8 text (byte %zu)", field,
			    (size_t)(p - value) + 1);
		if ((cp == '\n' || cp == '\t') && (rules & TEXT_MULTILINE))
			;
		else if (text_is_unsafe(cp) && !(cp >= 0x200E && cp <= 0x2069) &&
		    cp != 0x061C)
			return cd_fail(err, CD_USAGE,
			    "%s contains a control character (U+%04X); type plain text",
			    field, (unsigned)cp);
		if (cp != ' ' && cp != '\t' && cp != '\n')
			blank = false;
		chars++;
		p += k;
		n -= k;
	}
	if ((rules & TEXT_REQUIRED) && blank)
		return cd_fail(err, CD_USAGE, "%s must not be empty", field);
	if (chars > maxchars)
		return cd_fail(err, CD_USAGE,
		    "%s is %zu characters long; at most %zu are allowed", field,
		    chars, maxchars);
	return CD_OK;
}

const char *
text_excerpt(char *buf, size_t size, size_t max, const char *s)
{
	struct strbuf b = STRBUF_INIT;
	size_t n;

	text_sanitize(&b, s, strlen(s));
	n = b.len;
	if (n > max) {
		n = max;
		while (n > 0 && (b.s[n] & 0xC0) == 0x80)
			n--;
	}
	snprintf(buf, size, "%.*s%s", (int)n, strbuf_str(&b), n < b.len ? "..." : "");
	strbuf_free(&b);
	return buf;
}
