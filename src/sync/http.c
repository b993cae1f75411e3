/* http.c - the lab transport: one libcurl easy handle per client, kept
 * alive between requests, set for a hostile network (https only unless
 * the config allowed loopback http, TLS verified, time and size limits,
 * no cookies or netrc). Redirects are followed here, not by libcurl, and
 * only to the base URL's own scheme, host and port; transient failures
 * are retried with backoff. Nothing the lab sends reaches a message
 * unsanitized. */
#include "config.h"

#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include <curl/curl.h>

#include "../core/fhir.h"
#include "../core/strbuf.h"
#include "../core/text.h"
#include "../core/xalloc.h"
#include "http.h"

#define BACKOFF_MS 500L          /* the first pause; doubled each retry */
#define RETRY_AFTER_MAX 60L      /* seconds of Retry-After honoured at most */
#define LOW_SPEED_TIME_MAX 30L
#define SHOWN_MAX 160            /* characters of outside text quoted */

struct http_client {
	CURL *curl;
	struct curl_slist *headers;
	CURLU *base_u;               /* the base URL, parsed: its origin */
	char *base;                  /* the base URL, no trailing '/' */
	long connect_timeout, timeout, low_speed_time;
	long slept_ms;
	uint32_t rnd;                /* jitter state */
	struct strbuf body;          /* the answer being received */
	bool too_big;
	char errbuf[CURL_ERROR_SIZE];
};

/* What one exchange (a request and its same-host redirects) gave. */
struct attempt {
	CURLcode rc;
	long status;
	long retry_after;            /* seconds the lab asked to wait; 0: none */
	bool transient;              /* worth trying again */
};

static pthread_once_t global_once = PTHREAD_ONCE_INIT;
static CURLcode global_rc = CURLE_FAILED_INIT;

static void
global_init(void)
{
	global_rc = curl_global_init(CURL_GLOBAL_DEFAULT);
}

/* libcurl write callback: keeps the body, stopping past HTTP_MAX_BODY. */
static size_t
take_body(char *data, size_t size, size_t n, void *ctx)
{
	struct http_client *h = ctx;
	size_t len = size * n;

	if (len > (size_t)HTTP_MAX_BODY - h->body.len) {
		h->too_big = true;
		return 0;
	}
	strbuf_add(&h->body, data, len);
	return len;
}

/* The request headers; the Authorization line is wiped after copying. */
static struct curl_slist *
make_headers(const struct lab_config *c)
{
	struct curl_slist *l = NULL, *t;
	char *auth;

	l = curl_slist_append(l, "Accept: application/fhir+json");
	l = l != NULL ? curl_slist_append(l, "Content-Type: application/fhir+json") : NULL;
	l = l != NULL ? curl_slist_append(l, "Expect:") : NULL;
	if (l != NULL && c->token != NULL) {
		auth = xasprintf("Authorization: Bearer %s", c->token);
		if ((t = curl_slist_append(l, auth)) == NULL)
			curl_slist_free_all(l);
		l = t;
		explicit_bzero(auth, strlen(auth));
		free(auth);
	}
	if (l == NULL)
		fatal("out of memory");
	return l;
}

/* Wipes and frees the header list (it holds the token). */
static void
free_headers(struct curl_slist *l)
{
	struct curl_slist *p;

	for (p = l; p != NULL; p = p->next)
		explicit_bzero(p->data, strlen(p->data));
	curl_slist_free_all(l);
}

/* Sets every option that stays the same for the client's life; false
 * when libcurl refused one. */
static bool
set_options(struct http_client *h, const struct lab_config *c, bool http)
{
	CURL *e = h->curl;
	const char *protos = http ? "http,https" : "https";
	bool bad = false;

	bad |= curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, protos) != CURLE_OK;
	bad |= curl_easy_setopt(e, CURLOPT_REDIR_PROTOCOLS_STR, protos) != CURLE_OK;
	bad |= curl_easy_setopt(e, CURLOPT_FOLLOWLOCATION, 0L) != CURLE_OK;
	bad |= curl_easy_setopt(e, CURLOPT_SSL_VERIFYPEER, 1L) != CURLE_OK;
	bad |= curl_easy_setopt(e, CURLOPT_SSL_VERIFYHOST, 2L) != CURLE_OK;
	if (c->ca_file != NULL)
		bad |= curl_easy_setopt(e, CURLOPT_CAINFO, c->ca_file) != CURLE_OK;
	bad |= curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT, h->connect_timeout) != CURLE_OK;
	bad |= curl_easy_setopt(e, CURLOPT_TIMEOUT, h->timeout) != CURLE_OK;
	bad |= curl_easy_setopt(e, CURLOPT_LOW_SPEED_LIMIT, 1L) != CURLE_OK;
	bad |= curl_easy_setopt(e, CURLOPT_LOW_SPEED_TIME, h->low_speed_time) != CURLE_OK;
	bad |= curl_easy_setopt(e, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)HTTP_MAX_BODY)
	    != CURLE_OK;
	bad |= curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, take_body) != CURLE_OK;
	bad |= curl_easy_setopt(e, CURLOPT_WRITEDATA, h) != CURLE_OK;
	bad |= curl_easy_setopt(e, CURLOPT_NETRC, (long)CURL_NETRC_IGNORED) != CURLE_OK;
	bad |= curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L) != CURLE_OK;
	bad |= curl_easy_setopt(e, CURLOPT_HTTPHEADER, h->headers) != CURLE_OK;
	bad |= curl_easy_setopt(e, CURLOPT_USERAGENT, "celldesk/" PACKAGE_VERSION) != CURLE_OK;
	bad |= curl_easy_setopt(e, CURLOPT_ERRORBUFFER, h->errbuf) != CURLE_OK;
	return !bad;
}

/* Parses url into a new CURLU, or returns NULL. */
static CURLU *
parse_url(const char *url, const char *base)
{
	CURLU *u = curl_url();

	if (u == NULL)
		fatal("out of memory");
	if ((base != NULL && curl_url_set(u, CURLUPART_URL, base, 0) != CURLUE_OK) ||
	    curl_url_set(u, CURLUPART_URL, url, 0) != CURLUE_OK) {
		curl_url_cleanup(u);
		return NULL;
	}
	return u;
}

/* True when u's part equals the base's (case-insensitively). */
static bool
same_part(CURLU *a, CURLU *b, CURLUPart what)
{
	char *x = NULL, *y = NULL;
	bool same;

	curl_url_get(a, what, &x, CURLU_DEFAULT_PORT);
	curl_url_get(b, what, &y, CURLU_DEFAULT_PORT);
	same = x != NULL && y != NULL && strcasecmp(x, y) == 0;
	curl_free(x);
	curl_free(y);
	return same;
}

/* Checks that u is on the base's scheme, host and port; else fails
 * with "<what> another host (NAME); not followed", NAME being the other
 * host, or scheme://host:port when only the scheme or port differ. */
static enum cd_status
check_origin(const struct http_client *h, CURLU *u, const char *what, struct cd_err *err)
{
	char buf[SHOWN_MAX * 4 + 8], *scheme = NULL, *host = NULL, *port = NULL, *name;
	enum cd_status st;

	if (same_part(u, h->base_u, CURLUPART_SCHEME) && same_part(u, h->base_u, CURLUPART_HOST) &&
	    same_part(u, h->base_u, CURLUPART_PORT))
		return CD_OK;
	curl_url_get(u, CURLUPART_SCHEME, &scheme, 0);
	curl_url_get(u, CURLUPART_HOST, &host, 0);
	curl_url_get(u, CURLUPART_PORT, &port, CURLU_DEFAULT_PORT);
	if (!same_part(u, h->base_u, CURLUPART_HOST))
		name = xstrdup(host != NULL ? host : "?");
	else
		name = xasprintf("%s://%s:%s", scheme != NULL ? scheme : "?",
		    host != NULL ? host : "?", port != NULL ? port : "?");
	st = cd_fail(err, CD_EDATA, "%s another host (%s); not followed", what,
	    text_excerpt(buf, sizeof buf, SHOWN_MAX, name));
	free(name);
	curl_free(scheme), curl_free(host), curl_free(port);
	return st;
}

/* True when target starts with a scheme ("https:"): an absolute URL. */
static bool
has_scheme(const char *target)
{
	size_t n = strcspn(target, ":/?#");

	return n > 0 && target[n] == ':';
}

/* The URL for target: the base, the base "/" a relative target, or an
 * absolute URL on the base's origin; newly allocated. */
static enum cd_status
resolve_target(const struct http_client *h, const char *target, char **url, struct cd_err *err)
{
	char buf[SHOWN_MAX * 4 + 8], *joined, *norm = NULL;
	enum cd_status st = CD_OK;
	CURLU *u;

	*url = NULL;
	if (has_scheme(target))
		joined = xstrdup(target);
	else {
		while (*target == '/')
			target++;
		joined = target[0] == '\0' ? xstrdup(h->base) : xasprintf("%s/%s", h->base, target);
	}
	if ((u = parse_url(joined, NULL)) == NULL)
		st = cd_fail(err, CD_EDATA, "'%s' is not a URL celldesk can ask the lab for",
		    text_excerpt(buf, sizeof buf, SHOWN_MAX, joined));
	else if ((st = check_origin(h, u, "the lab's link points to", err)) == CD_OK &&
	    curl_url_get(u, CURLUPART_URL, &norm, 0) != CURLUE_OK)
		st = cd_fail(err, CD_EDATA, "'%s' is not a URL celldesk can ask the lab for",
		    text_excerpt(buf, sizeof buf, SHOWN_MAX, joined));
	if (st == CD_OK)
		*url = xstrdup(norm);
	curl_free(norm);
	curl_url_cleanup(u);
	free(joined);
	return st;
}

enum cd_status
http_client_new(const struct lab_config *c, struct http_client **out, struct cd_err *err)
{
	struct http_client *h;
	bool http;

	*out = NULL;
	if (c->url == NULL)
		return cd_fail(err, CD_REFUSED, "no lab is configured: set url in the [lab] section"
		    " of the configuration file (see celldesk.conf(5))");
	pthread_once(&global_once, global_init);
	if (global_rc != CURLE_OK)
		return cd_fail(err, CD_EDATA, "cannot start libcurl: %s", curl_easy_strerror(global_rc));
	http = strncasecmp(c->url, "http:", 5) == 0;
	if (http && !c->allow_insecure_loopback)
		return cd_fail(err, CD_EDATA, "the lab's url is not https; plain http needs"
		    " allow_insecure_loopback = true and a loopback address");
	h = xcalloc(1, sizeof *h);
	h->connect_timeout = c->connect_timeout > 0 ? c->connect_timeout : 10;
	h->timeout = c->timeout > 0 ? c->timeout : 60;
	h->low_speed_time = h->timeout < LOW_SPEED_TIME_MAX ? h->timeout : LOW_SPEED_TIME_MAX;
	h->rnd = (uint32_t)time(NULL) ^ ((uint32_t)getpid() << 16) ^ (uint32_t)(uintptr_t)h;
	h->base = xstrdup(c->url);
	h->base_u = parse_url(c->url, NULL);
	h->curl = curl_easy_init();
	h->headers = make_headers(c);
	if (h->base_u == NULL || h->curl == NULL || !set_options(h, c, http)) {
		http_client_free(h);
		return cd_fail(err, CD_EDATA, "cannot set up the connection to the lab (is libcurl"
		    " %s too old?)", curl_version_info(CURLVERSION_NOW)->version);
	}
	*out = h;
	return CD_OK;
}

void
http_client_free(struct http_client *h)
{
	if (h == NULL)
		return;
	if (h->curl != NULL)
		curl_easy_cleanup(h->curl);
	free_headers(h->headers);
	curl_url_cleanup(h->base_u);
	free(h->base);
	strbuf_free(&h->body);
	free(h);
}

/* One request and its answer, redirects not followed. */
static void
perform(struct http_client *h, const char *method, const char *url, const char *body,
    size_t len, struct attempt *a)
{
	curl_off_t ra = 0;

	strbuf_reset(&h->body);
	h->too_big = false;
	h->errbuf[0] = '\0';
	curl_easy_setopt(h->curl, CURLOPT_URL, url);
	if (strcmp(method, "POST") == 0) {
		curl_easy_setopt(h->curl, CURLOPT_POST, 1L);
		curl_easy_setopt(h->curl, CURLOPT_POSTFIELDS, body != NULL ? body : "");
		curl_easy_setopt(h->curl, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)(body ? len : 0));
	} else
		curl_easy_setopt(h->curl, CURLOPT_HTTPGET, 1L);
	a->rc = curl_easy_perform(h->curl);
	a->status = 0;
	a->retry_after = 0;
	curl_easy_getinfo(h->curl, CURLINFO_RESPONSE_CODE, &a->status);
	if (curl_easy_getinfo(h->curl, CURLINFO_RETRY_AFTER, &ra) == CURLE_OK && ra > 0)
		a->retry_after = ra > RETRY_AFTER_MAX ? RETRY_AFTER_MAX : (long)ra;
}

static bool
is_redirect(long status)
{
	return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
}

/* Where the redirect answer points, if it is on the base's origin. */
static enum cd_status
follow(struct http_client *h, const char *cur, char **next, struct cd_err *err)
{
	struct curl_header *loc = NULL;
	char buf[SHOWN_MAX * 4 + 8], *s = NULL;
	enum cd_status st;
	CURLU *u;

	*next = NULL;
	if (curl_easy_header(h->curl, "Location", 0, CURLH_HEADER, -1, &loc) != CURLHE_OK)
		return cd_fail(err, CD_EDATA, "the lab redirected without saying where to");
	if ((u = parse_url(loc->value, cur)) == NULL)
		return cd_fail(err, CD_EDATA, "the lab redirected to '%s', which is not a URL",
		    text_excerpt(buf, sizeof buf, SHOWN_MAX, loc->value));
	st = check_origin(h, u, "the lab redirected to", err);
	if (st == CD_OK && curl_url_get(u, CURLUPART_URL, &s, 0) != CURLUE_OK)
		st = cd_fail(err, CD_EDATA, "the lab redirected to '%s', which is not a URL",
		    text_excerpt(buf, sizeof buf, SHOWN_MAX, loc->value));
	if (st == CD_OK)
		*next = xstrdup(s);
	curl_free(s);
	curl_url_cleanup(u);
	return st;
}

/* The lab's own words in an error answer, or "" ; sanitized by
 * fhir_outcome_text. */
static void
outcome_words(const struct http_client *h, char *out, size_t size)
{
	char text[600];

	out[0] = '\0';
	if (h->body.len > 0 && fhir_outcome_text(h->body.s, h->body.len, text, sizeof text) &&
	    text[0] != '\0')
		snprintf(out, size, ": %s", text);
}

/* True for the libcurl failures a later try may not meet again. */
static bool
transient_curl(CURLcode rc)
{
	switch (rc) {
	case CURLE_COULDNT_CONNECT:
	case CURLE_OPERATION_TIMEDOUT:
	case CURLE_RECV_ERROR:
	case CURLE_SEND_ERROR:
	case CURLE_PARTIAL_FILE:
	case CURLE_GOT_NOTHING:
	case CURLE_HTTP2:
	case CURLE_HTTP2_STREAM:
		return true;
	default:
		return false;
	}
}

/* Says which time limit ran out. */
static enum cd_status
timed_out(struct http_client *h, struct cd_err *err)
{
	curl_off_t connect_us = 0, total_us = 0;
	long header_bytes = 0;
	char buf[SHOWN_MAX * 4 + 8], *host = NULL;
	enum cd_status st;

	curl_easy_getinfo(h->curl, CURLINFO_CONNECT_TIME_T, &connect_us);
	curl_easy_getinfo(h->curl, CURLINFO_TOTAL_TIME_T, &total_us);
	curl_easy_getinfo(h->curl, CURLINFO_HEADER_SIZE, &header_bytes);
	if (connect_us == 0) {
		curl_url_get(h->base_u, CURLUPART_HOST, &host, 0);
		st = cd_fail(err, CD_EDATA, "could not connect to the lab (%s) within %ld s",
		    text_excerpt(buf, sizeof buf, SHOWN_MAX, host != NULL ? host : "?"), h->connect_timeout);
		curl_free(host);
		return st;
	}
	if (header_bytes == 0 && h->body.len == 0)
		return cd_fail(err, CD_EDATA, "the lab did not answer within %ld s",
		    h->low_speed_time);
	if (total_us >= (curl_off_t)h->timeout * 1000000 - 100000)
		return cd_fail(err, CD_EDATA, "the lab's answer took longer than %ld s", h->timeout);
	return cd_fail(err, CD_EDATA, "the lab stopped sending its answer for %ld s",
	    h->low_speed_time);
}

/* Puts a libcurl failure in words. */
static enum cd_status
curl_failed(struct http_client *h, CURLcode rc, struct cd_err *err)
{
	char buf[SHOWN_MAX * 4 + 8], *host = NULL, *port = NULL;
	const char *why = h->errbuf[0] != '\0' ? h->errbuf : curl_easy_strerror(rc);
	enum cd_status st;

	switch (rc) {
	case CURLE_WRITE_ERROR:
	case CURLE_FILESIZE_EXCEEDED:
		if (h->too_big || rc == CURLE_FILESIZE_EXCEEDED)
			return cd_fail(err, CD_EDATA, "the lab's answer is larger than %ld MiB",
			    HTTP_MAX_BODY / (1024 * 1024));
		break;
	case CURLE_OPERATION_TIMEDOUT:
		return timed_out(h, err);
	case CURLE_COULDNT_CONNECT:
	case CURLE_COULDNT_RESOLVE_HOST:
		curl_url_get(h->base_u, CURLUPART_HOST, &host, 0);
		curl_url_get(h->base_u, CURLUPART_PORT, &port, CURLU_DEFAULT_PORT);
		st = cd_fail(err, CD_EDATA, "could not connect to the lab at %s port %s (%s)",
		    text_excerpt(buf, sizeof buf, SHOWN_MAX, host != NULL ? host : "?"), port != NULL ? port : "?",
		    rc == CURLE_COULDNT_RESOLVE_HOST ? "no such host" : "connection refused or"
		    " unreachable");
		curl_free(host);
		curl_free(port);
		return st;
	case CURLE_RECV_ERROR:
	case CURLE_SEND_ERROR:
	case CURLE_PARTIAL_FILE:
	case CURLE_HTTP2:
	case CURLE_HTTP2_STREAM:
		return cd_fail(err, CD_EDATA, "the connection to the lab broke off before the"
		    " answer was complete");
	case CURLE_GOT_NOTHING:
		return cd_fail(err, CD_EDATA, "the lab closed the connection without answering");
	case CURLE_PEER_FAILED_VERIFICATION:
		return cd_fail(err, CD_EDATA, "the lab's TLS certificate was not accepted (%s);"
		    " check the host name in url, or name the lab's own certificate authority"
		    " with ca_file", text_excerpt(buf, sizeof buf, SHOWN_MAX, why));
	case CURLE_SSL_CACERT_BADFILE:
		return cd_fail(err, CD_EDATA, "the ca_file could not be used (%s)",
		    text_excerpt(buf, sizeof buf, SHOWN_MAX, why));
	default:
		break;
	}
	return cd_fail(err, CD_EDATA, "talking to the lab failed: %s", text_excerpt(buf, sizeof buf, SHOWN_MAX, why));
}

/* Judges a final (not redirect) answer; sets a->transient. */
static enum cd_status
judge(struct http_client *h, struct attempt *a, struct cd_err *err)
{
	char words[640];

	a->transient = false;
	if (a->rc != CURLE_OK) {
		a->transient = transient_curl(a->rc) && !h->too_big;
		a->status = 0;
		return curl_failed(h, a->rc, err);
	}
	if (a->status >= 200 && a->status <= 299)
		return CD_OK;
	outcome_words(h, words, sizeof words);
	if (a->status == 408 || a->status == 429 || (a->status >= 500 && a->status <= 599)) {
		a->transient = true;
		return cd_fail(err, CD_EDATA, "the lab answered HTTP %ld%s", a->status, words);
	}
	if (a->status >= 400 && a->status <= 499)
		return cd_fail(err, CD_REFUSED, "the lab refused the request (HTTP %ld)%s",
		    a->status, words);
	return cd_fail(err, CD_EDATA, "the lab answered HTTP %ld, which celldesk cannot use",
	    a->status);
}

/* One exchange: the request, then up to HTTP_MAX_REDIRECTS redirects on
 * the same origin. */
static enum cd_status
exchange(struct http_client *h, const char *method, const char *url, const char *body,
    size_t len, struct attempt *a, struct cd_err *err)
{
	enum cd_status st = CD_OK;
	char *cur = xstrdup(url), *next = NULL;
	int hops;

	for (hops = 0;; hops++) {
		perform(h, method, cur, body, len, a);
		a->transient = false;
		if (a->rc != CURLE_OK || !is_redirect(a->status))
			break;
		if (hops == HTTP_MAX_REDIRECTS)
			st = cd_fail(err, CD_EDATA, "the lab redirected more than %d times; not"
			    " followed", HTTP_MAX_REDIRECTS);
		else if (strcmp(method, "POST") == 0 && a->status != 307 && a->status != 308)
			st = cd_fail(err, CD_EDATA, "the lab answered the order with a redirect"
			    " (HTTP %ld) that would drop it; check the lab's url", a->status);
		else
			st = follow(h, cur, &next, err);
		if (st != CD_OK)
			break;
		free(cur);
		cur = next;
	}
	free(cur);
	return st != CD_OK ? st : judge(h, a, err);
}

/* A number from 0 to n - 1 (xorshift32; jitter needs no more). */
static uint32_t
jitter(struct http_client *h, uint32_t n)
{
	uint32_t x = h->rnd != 0 ? h->rnd : 0x9e3779b9u;

	x ^= x << 13;
	x ^= x >> 17;
	x ^= x << 5;
	h->rnd = x;
	return n != 0 ? x % n : 0;
}

/* Waits before try number n + 2: what Retry-After asked, else
 * BACKOFF_MS * 2^n give or take a quarter. */
static void
pause_before_retry(struct http_client *h, int n, long retry_after)
{
	long ms = BACKOFF_MS << n;
	struct timespec t, rem;

	if (retry_after > 0)
		ms = retry_after * 1000;
	else
		ms = ms - ms / 4 + (long)jitter(h, (uint32_t)(ms / 2 + 1));
	h->slept_ms += ms;
	t.tv_sec = ms / 1000;
	t.tv_nsec = (ms % 1000) * 1000000L;
	while (nanosleep(&t, &rem) != 0 && errno == EINTR)
		t = rem;
}

/* Hands the received body to r (never NULL). */
static void
take_response(struct http_client *h, struct http_response *r)
{
	r->len = h->body.len;
	r->body = h->body.s != NULL ? h->body.s : xstrdup("");
	memset(&h->body, 0, sizeof h->body);
}

enum cd_status
http_request(struct http_client *h, const char *method, const char *target, const char *body,
    size_t len, struct http_response *r, struct cd_err *err)
{
	struct attempt a = { CURLE_OK, 0, 0, false };
	struct cd_err scratch;
	enum cd_status st;
	char *url;
	int i;

	if (err == NULL)
		err = &scratch;  /* the last message quotes err->msg */
	memset(r, 0, sizeof *r);
	if (strcmp(method, "GET") != 0 && strcmp(method, "POST") != 0)
		return cd_fail(err, CD_EDATA, "http_request: method %.10s is not GET or POST", method);
	if ((st = resolve_target(h, target, &url, err)) != CD_OK)
		return st;
	for (i = 0;; i++) {
		st = exchange(h, method, url, body, len, &a, err);
		if (!a.transient || i + 1 >= HTTP_ATTEMPTS)
			break;
		pause_before_retry(h, i, a.retry_after);
	}
	free(url);
	r->status = a.status;
	if (st == CD_OK || st == CD_REFUSED)
		take_response(h, r);
	else
		strbuf_free(&h->body);
	if (a.transient)
		cd_fail(err, CD_EDATA, "%s (%d tries)", err->msg, HTTP_ATTEMPTS);
	return st;
}

void
http_response_free(struct http_response *r)
{
	free(r->body);
	memset(r, 0, sizeof *r);
}

long
http_client_slept_ms(const struct http_client *h)
{
	return h != NULL ? h->slept_ms : 0;
}
