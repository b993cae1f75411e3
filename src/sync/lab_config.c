/* lab_config.c - reads and checks the [lab] section of celldesk.conf(5):
 * the system file first, then the user's file, whose keys win. Every
 * value is checked here, so the transport can trust what it is given,
 * and the bearer token is read from its own file (mode 0600, owned by the
 * user running) and never printed. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include <curl/curl.h>

#include "../core/conf_parse.h"
#include "../core/strbuf.h"
#include "../core/text.h"
#include "../core/xalloc.h"
#include "../ops/ops.h"
#include "lab_config.h"

#define TOKEN_MAX 4096
#define SHOWN_MAX 80           /* characters of outside text quoted in a message */

enum lab_key {
	K_URL, K_TOKEN_FILE, K_CA_FILE, K_CONNECT_TIMEOUT, K_TIMEOUT, K_PAGE_SIZE,
	K_INSECURE, K_COUNT
};

static const char *const key_names[K_COUNT] = {
	"url", "token_file", "ca_file", "connect_timeout", "timeout", "page_size",
	"allow_insecure_loopback"
};

/* The raw [lab] values and the file each came from (the last one wins). */
struct lab_raw {
	char *value[K_COUNT];
	const char *from[K_COUNT];
	const char *file;       /* the file being parsed */
	char *unknown;          /* the first key [lab] does not have */
	const char *unknown_from;
};

/* conf_parse callback: keeps the keys of [lab]. */
static int
take_lab_key(void *ctx, const char *section, const char *key, const char *value)
{
	struct lab_raw *raw = ctx;
	int i;

	if (strcmp(section, "lab") != 0)
		return 0;
	for (i = 0; i < K_COUNT; i++) {
		if (strcmp(key, key_names[i]) == 0) {
			free(raw->value[i]);
			raw->value[i] = xstrdup(value);
			raw->from[i] = raw->file;
			return 0;
		}
	}
	if (raw->unknown == NULL) {
		raw->unknown = xstrdup(key);
		raw->unknown_from = raw->file;
	}
	return 0;
}

/* Parses a whole number from lo to hi into *out. */
static enum cd_status
take_long(const struct lab_raw *raw, enum lab_key k, long lo, long hi, const char *unit,
    long *out, struct cd_err *err)
{
	const char *v = raw->value[k];
	char buf[SHOWN_MAX * 4 + 8];
	char *end;
	long n;

	if (v == NULL)
		return CD_OK;
	errno = 0;
	n = strtol(v, &end, 10);
	if (errno != 0 || end == v || *end != '\0' || v[0] == '+' || v[0] == '-' ||
	    v[0] == ' ' || n < lo || n > hi)
		return cd_fail(err, CD_EDATA, "%s: [lab] %s '%s' must be a whole number of %s"
		    " from %ld to %ld", raw->from[k], key_names[k], text_excerpt(buf, sizeof buf, SHOWN_MAX, v), unit,
		    lo, hi);
	*out = n;
	return CD_OK;
}

/* Parses true/false/yes/no/1/0 into *out. */
static enum cd_status
take_bool(const struct lab_raw *raw, enum lab_key k, bool *out, struct cd_err *err)
{
	static const char *const yes[] = { "true", "yes", "1" }, *const no[] = { "false", "no", "0" };
	const char *v = raw->value[k];
	char buf[SHOWN_MAX * 4 + 8];
	size_t i;

	if (v == NULL)
		return CD_OK;
	for (i = 0; i < sizeof yes / sizeof yes[0]; i++) {
		if (strcasecmp(v, yes[i]) == 0 || strcasecmp(v, no[i]) == 0) {
			*out = strcasecmp(v, yes[i]) == 0;
			return CD_OK;
		}
	}
	return cd_fail(err, CD_EDATA, "%s: [lab] %s '%s' must be true or false",
	    raw->from[k], key_names[k], text_excerpt(buf, sizeof buf, SHOWN_MAX, v));
}

/* True for the hosts allow_insecure_loopback may reach over plain http. */
static bool
is_loopback(const char *host)
{
	return strcmp(host, "127.0.0.1") == 0 || strcmp(host, "[::1]") == 0 ||
	    strcmp(host, "::1") == 0 || strcasecmp(host, "localhost") == 0;
}

/* The part of u, or NULL when it has none; the caller curl_free()s it. */
static char *
url_part(CURLU *u, CURLUPart what)
{
	char *s = NULL;

	if (curl_url_get(u, what, &s, 0) != CURLUE_OK)
		return NULL;
	return s;
}

/* Checks the parsed url's scheme, host and extras; refuses in a sentence. */
static enum cd_status
check_url_parts(CURLU *u, const char *file, const char *v, bool insecure, struct cd_err *err)
{
	char *scheme = url_part(u, CURLUPART_SCHEME), *host = url_part(u, CURLUPART_HOST);
	char *user = url_part(u, CURLUPART_USER), *pass = url_part(u, CURLUPART_PASSWORD);
	char *query = url_part(u, CURLUPART_QUERY), *frag = url_part(u, CURLUPART_FRAGMENT);
	char buf[SHOWN_MAX * 4 + 8];
	enum cd_status st = CD_OK;

	if (user != NULL || pass != NULL)
		st = cd_fail(err, CD_EDATA, "%s: [lab] url must not hold a user name or password;"
		    " put the lab's token in a file named by token_file", file);
	else if (scheme == NULL || (strcmp(scheme, "https") != 0 && strcmp(scheme, "http") != 0))
		st = cd_fail(err, CD_EDATA, "%s: [lab] url '%s' must start with https://", file,
		    text_excerpt(buf, sizeof buf, SHOWN_MAX, v));
	else if (host == NULL || host[0] == '\0')
		st = cd_fail(err, CD_EDATA, "%s: [lab] url '%s' names no host", file,
		    text_excerpt(buf, sizeof buf, SHOWN_MAX, v));
	else if (query != NULL || frag != NULL)
		st = cd_fail(err, CD_EDATA, "%s: [lab] url '%s' must be the FHIR base, without"
		    " '?' or '#'", file, text_excerpt(buf, sizeof buf, SHOWN_MAX, v));
	else if (strcmp(scheme, "http") == 0 && !is_loopback(host))
		st = cd_fail(err, CD_EDATA, "%s: [lab] url '%s' is not https; plain http is only"
		    " allowed to this computer (127.0.0.1, ::1 or localhost)", file,
		    text_excerpt(buf, sizeof buf, SHOWN_MAX, v));
	else if (strcmp(scheme, "http") == 0 && !insecure)
		st = cd_fail(err, CD_EDATA, "%s: [lab] url '%s' is not https; plain http to this"
		    " computer needs allow_insecure_loopback = true", file, text_excerpt(buf, sizeof buf, SHOWN_MAX, v));
	curl_free(scheme), curl_free(host), curl_free(user), curl_free(pass);
	curl_free(query), curl_free(frag);
	return st;
}

/* True when s is printable ASCII without spaces. */
static bool
plain_ascii(const char *s)
{
	for (; *s != '\0'; s++) {
		if (*s <= ' ' || *s > '~')
			return false;
	}
	return true;
}

/* Parses and checks url; c->url becomes its normal form without a
 * trailing '/'. */
static enum cd_status
take_url(const struct lab_raw *raw, struct lab_config *c, struct cd_err *err)
{
	const char *v = raw->value[K_URL], *file = raw->from[K_URL];
	char buf[SHOWN_MAX * 4 + 8];
	enum cd_status st;
	char *norm = NULL;
	size_t n;
	CURLU *u;

	if (v == NULL)
		return CD_OK;
	if (!plain_ascii(v))
		return cd_fail(err, CD_EDATA, "%s: [lab] url '%s' holds a space or a character that"
		    " is not plain ASCII; percent-encode it", file, text_excerpt(buf, sizeof buf, SHOWN_MAX, v));
	if ((u = curl_url()) == NULL)
		fatal("out of memory");
	if (curl_url_set(u, CURLUPART_URL, v, CURLU_NON_SUPPORT_SCHEME) != CURLUE_OK) {
		curl_url_cleanup(u);
		return cd_fail(err, CD_EDATA, "%s: [lab] url '%s' is not a URL like"
		    " https://lab.example/fhir/R4", file, text_excerpt(buf, sizeof buf, SHOWN_MAX, v));
	}
	st = check_url_parts(u, file, v, c->allow_insecure_loopback, err);
	if (st == CD_OK && curl_url_get(u, CURLUPART_URL, &norm, 0) != CURLUE_OK)
		st = cd_fail(err, CD_EDATA, "%s: [lab] url '%s' is not a URL", file,
		    text_excerpt(buf, sizeof buf, SHOWN_MAX, v));
	if (st == CD_OK) {
		n = strlen(norm);
		while (n > 0 && norm[n - 1] == '/')
			n--;
		c->url = xstrndup(norm, n);
	}
	curl_free(norm);
	curl_url_cleanup(u);
	return st;
}

/* Describes what st is, for a token_file that is not a regular file. */
static const char *
file_kind(mode_t m)
{
	if (S_ISLNK(m))
		return "a symbolic link; name the file itself";
	if (S_ISDIR(m))
		return "a folder, not a file";
	return "not a regular file";
}

/* Checks the token file's type, owner and mode (st from fstat). */
static enum cd_status
check_token_stat(const char *path, const struct stat *st, struct cd_err *err)
{
	if (!S_ISREG(st->st_mode))
		return cd_fail(err, CD_EDATA, "token_file %s is %s", path, file_kind(st->st_mode));
	if (st->st_uid != geteuid())
		return cd_fail(err, CD_EDATA, "token_file %s belongs to user id %ld; it must belong"
		    " to the user running celldesk (id %ld)", path, (long)st->st_uid, (long)geteuid());
	if ((st->st_mode & 07777) != 0600)
		return cd_fail(err, CD_EDATA, "token_file %s has mode %04o; it must be 0600"
		    " (chmod 600 %s)", path, (unsigned)(st->st_mode & 07777), path);
	return CD_OK;
}

/* Reads up to size bytes of fd into buf; returns the count or -1. */
static ssize_t
read_all(int fd, char *buf, size_t size)
{
	size_t got = 0;
	ssize_t n;

	while (got < size) {
		n = read(fd, buf + got, size - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		if (n == 0)
			break;
		got += (size_t)n;
	}
	return (ssize_t)got;
}

/* Checks the token's bytes (trailing whitespace already cut). */
static enum cd_status
check_token_text(const char *path, const char *t, size_t n, struct cd_err *err)
{
	size_t i;

	if (n == 0)
		return cd_fail(err, CD_EDATA, "token_file %s is empty; it must hold the lab's token",
		    path);
	if (n > TOKEN_MAX)
		return cd_fail(err, CD_EDATA, "token_file %s holds more than %d bytes; is it the"
		    " right file?", path, TOKEN_MAX);
	for (i = 0; i < n; i++) {
		if (t[i] <= ' ' || t[i] > '~')
			return cd_fail(err, CD_EDATA, "token_file %s holds a character that is not"
			    " printable ASCII or is a space (at byte %zu); a token is one word",
			    path, i + 1);
	}
	return CD_OK;
}

/* Opens the token file without following a link and checks that it is
 * the file lstat saw: regular, the user's own, mode 0600. */
static enum cd_status
open_token(const char *path, int *fd, struct cd_err *err)
{
	struct stat lst, st;
	enum cd_status rc;

	*fd = -1;
	if (lstat(path, &lst) != 0)
		return cd_fail(err, CD_EDATA, "cannot read token_file %s: %s", path, strerror(errno));
	if ((rc = check_token_stat(path, &lst, err)) != CD_OK)
		return rc;
	if ((*fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC)) < 0)
		return cd_fail(err, CD_EDATA, "cannot read token_file %s: %s", path, strerror(errno));
	if (fstat(*fd, &st) != 0)
		rc = cd_fail(err, CD_EDATA, "cannot read token_file %s: %s", path, strerror(errno));
	else if (st.st_dev != lst.st_dev || st.st_ino != lst.st_ino)
		rc = cd_fail(err, CD_EDATA, "token_file %s changed while it was read; try again",
		    path);
	else
		rc = check_token_stat(path, &st, err);
	if (rc != CD_OK) {
		close(*fd);
		*fd = -1;
	}
	return rc;
}

/* Reads the token from path into *token; never says what it is. */
static enum cd_status
read_token(const char *path, char **token, struct cd_err *err)
{
	char buf[TOKEN_MAX + 2];
	enum cd_status rc;
	ssize_t n;
	int fd;

	if ((rc = open_token(path, &fd, err)) != CD_OK)
		return rc;
	n = read_all(fd, buf, sizeof buf - 1);
	close(fd);
	if (n < 0)
		return cd_fail(err, CD_EDATA, "cannot read token_file %s: %s", path, strerror(errno));
	while (n > 0 && (buf[n - 1] == ' ' || buf[n - 1] == '\t' || buf[n - 1] == '\r' ||
	    buf[n - 1] == '\n'))
		n--;
	if ((rc = check_token_text(path, buf, (size_t)n, err)) == CD_OK)
		*token = xstrndup(buf, (size_t)n);
	explicit_bzero(buf, sizeof buf);
	return rc;
}

/* Checks that the CA file is a file celldesk can read. */
static enum cd_status
check_ca_file(const char *path, struct cd_err *err)
{
	struct stat st;

	if (stat(path, &st) != 0 || access(path, R_OK) != 0)
		return cd_fail(err, CD_EDATA, "cannot read ca_file %s: %s", path, strerror(errno));
	if (!S_ISREG(st.st_mode))
		return cd_fail(err, CD_EDATA, "ca_file %s is not a regular file", path);
	return CD_OK;
}

/* True when s may be printed as it is: no control or bidi character. */
static bool
printable(const char *s)
{
	size_t n = strlen(s), k;
	uint32_t cp;

	for (; n > 0; s += k, n -= k) {
		if ((k = utf8_decode(s, n, &cp)) == 0 || text_is_unsafe(cp))
			return false;
	}
	return true;
}

/* Takes a path-valued key, "~/" expanded; refuses a relative path (the
 * sync may run from any folder) and one that could not be printed in a
 * message as it is. */
static enum cd_status
take_path(const struct lab_raw *raw, enum lab_key k, char **out, struct cd_err *err)
{
	if (raw->value[k] == NULL)
		return CD_OK;
	if (!printable(raw->value[k]) || strlen(raw->value[k]) > 4096)
		return cd_fail(err, CD_EDATA, "%s: [lab] %s must be a file name without control"
		    " characters", raw->from[k], key_names[k]);
	*out = ops_expand_home(raw->value[k]);
	if ((*out)[0] != '/')
		return cd_fail(err, CD_EDATA, "%s: [lab] %s %s is not an absolute path; start it"
		    " with / or ~/", raw->from[k], key_names[k], *out);
	return CD_OK;
}

/* Turns the raw values into c, checking each. */
static enum cd_status
validate(const struct lab_raw *raw, struct lab_config *c, struct cd_err *err)
{
	enum cd_status st;
	char buf[SHOWN_MAX * 4 + 8];
	int i;

	if (raw->unknown != NULL)
		return cd_fail(err, CD_EDATA, "%s: [lab] has no setting '%s' (it has url,"
		    " token_file, ca_file, connect_timeout, timeout, page_size and"
		    " allow_insecure_loopback)", raw->unknown_from,
		    text_excerpt(buf, sizeof buf, SHOWN_MAX, raw->unknown));
	for (i = 0; i < K_COUNT; i++) {
		if (raw->value[i] != NULL && raw->value[i][0] == '\0')
			return cd_fail(err, CD_EDATA, "%s: [lab] %s is empty", raw->from[i],
			    key_names[i]);
	}
	if ((st = take_long(raw, K_CONNECT_TIMEOUT, 1, 300, "seconds", &c->connect_timeout, err))
	    != CD_OK ||
	    (st = take_long(raw, K_TIMEOUT, 1, 3600, "seconds", &c->timeout, err)) != CD_OK ||
	    (st = take_long(raw, K_PAGE_SIZE, 1, 1000, "entries", &c->page_size, err)) != CD_OK ||
	    (st = take_bool(raw, K_INSECURE, &c->allow_insecure_loopback, err)) != CD_OK ||
	    (st = take_url(raw, c, err)) != CD_OK ||
	    (st = take_path(raw, K_CA_FILE, &c->ca_file, err)) != CD_OK ||
	    (st = take_path(raw, K_TOKEN_FILE, &c->token_file, err)) != CD_OK)
		return st;
	if (c->ca_file != NULL && (st = check_ca_file(c->ca_file, err)) != CD_OK)
		return cd_fail(err, st, "%s: [lab] %s", raw->from[K_CA_FILE], err->msg);
	if (c->token_file != NULL && (st = read_token(c->token_file, &c->token, err)) != CD_OK)
		return cd_fail(err, st, "%s: [lab] %s", raw->from[K_TOKEN_FILE], err->msg);
	return CD_OK;
}

enum cd_status
lab_config_load(struct lab_config *c, struct cd_err *err)
{
	struct lab_raw raw;
	struct cd_err scratch;
	enum cd_status st;
	char *user = ops_config_user_file();
	int i;

	if (err == NULL)
		err = &scratch;  /* the messages below quote err->msg */
	memset(c, 0, sizeof *c);
	memset(&raw, 0, sizeof raw);
	c->connect_timeout = 10;
	c->timeout = 60;
	c->page_size = 100;
	raw.file = OPS_SYSTEM_CONFIG;
	st = ops_config_read(OPS_SYSTEM_CONFIG, take_lab_key, &raw, err);
	raw.file = user;
	if (st == CD_OK)
		st = ops_config_read(user, take_lab_key, &raw, err);
	if (st == CD_OK)
		st = validate(&raw, c, err);
	for (i = 0; i < K_COUNT; i++)
		free(raw.value[i]);
	free(raw.unknown);
	free(user);
	if (st != CD_OK)
		lab_config_free(c);
	return st;
}

void
lab_config_free(struct lab_config *c)
{
	free(c->url);
	if (c->token != NULL)
		explicit_bzero(c->token, strlen(c->token));
	free(c->token);
	free(c->token_file);
	free(c->ca_file);
	memset(c, 0, sizeof *c);
}
