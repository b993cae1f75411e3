/* conf_parse.c - parser for the celldesk.conf(5) format. */
#include "config.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "conf_parse.h"
#include "text.h"
#include "xalloc.h"

static char *
trim(char *s)
{
	char *end;

	while (*s == ' ' || *s == '\t')
		s++;
	end = s + strlen(s);
	while (end > s && (end[-1] == ' ' || end[-1] == '\t' || end[-1] == '\r'))
		*--end = '\0';
	return s;
}

static int
key_ok(const char *k)
{
	if (*k == '\0')
		return 0;
	for (; *k != '\0'; k++) {
		if (!isalnum((unsigned char)*k) && *k != '_' && *k != '-' && *k != '.')
			return 0;
	}
	return 1;
}

enum cd_status
conf_parse(const char *text, size_t len, const char *fname, conf_fn fn,
    void *ctx, struct cd_err *err)
{
	char *copy, *line, *next, *p, *eq, *key, *value, *section;
	enum cd_status st = CD_OK;
	size_t lineno = 0, vlen;

	if (memchr(text, '\0', len) != NULL || !utf8_valid(text, len))
		return cd_fail(err, CD_EDATA, "%s is not a text file in UTF-8", fname);
	copy = xstrndup(text, len);
	section = xstrdup("");
	for (line = copy; line != NULL && st == CD_OK; line = next) {
		lineno++;
		if ((next = strchr(line, '\n')) != NULL)
			*next++ = '\0';
		p = trim(line);
		if (*p == '\0' || *p == '#' || *p == ';')
			continue;
		if (*p == '[') {
			size_t n = strlen(p);
			if (n < 3 || p[n - 1] != ']') {
				st = cd_fail(err, CD_EDATA, "%s, line %zu: a section header looks like [lab]",
				    fname, lineno);
				break;
			}
			p[n - 1] = '\0';
			free(section);
			section = xstrdup(trim(p + 1));
			if (!key_ok(section))
				st = cd_fail(err, CD_EDATA, "%s, line %zu: '%.40s' is not a section name",
				    fname, lineno, section);
			continue;
		}
		if ((eq = strchr(p, '=')) == NULL) {
			st = cd_fail(err, CD_EDATA, "%s, line %zu: expected 'key = value'",
			    fname, lineno);
			break;
		}
		*eq = '\0';
		key = trim(p);
		value = trim(eq + 1);
		if (!key_ok(key)) {
			st = cd_fail(err, CD_EDATA, "%s, line %zu: '%.40s' is not a setting name",
			    fname, lineno, key);
			break;
		}
		vlen = strlen(value);
		if (value[0] == '"') {
			if (vlen < 2 || value[vlen - 1] != '"') {
				st = cd_fail(err, CD_EDATA, "%s, line %zu: the quoted value is not closed",
				    fname, lineno);
				break;
			}
			value[vlen - 1] = '\0';
			value++;
		}
		if (fn(ctx, section, key, value) != 0)
			break;
	}
	free(section);
	free(copy);
	return st;
}
