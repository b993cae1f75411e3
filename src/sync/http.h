/* http.h - the one way celldesk talks HTTP: libcurl set for a hostile
 * network (https only, TLS always verified, timeouts, a low-speed limit,
 * a size cap, redirects only to the same host, no cookies or netrc),
 * with retries of transient failures. */
#ifndef CD_HTTP_H
#define CD_HTTP_H

#include <stddef.h>

#include "../core/status.h"
#include "lab_config.h"

#define HTTP_MAX_BODY (16L * 1024 * 1024)
#define HTTP_MAX_REDIRECTS 3
#define HTTP_ATTEMPTS 3          /* tries per request, transient failures only */

struct http_client;

struct http_response {
	long status;                 /* final HTTP status; 0 when none came */
	char *body;                  /* NUL-terminated, malloc'd; may be NULL */
	size_t len;
};

enum cd_status http_client_new(const struct lab_config *c, struct http_client **h,
    struct cd_err *err);
void http_client_free(struct http_client *h);

/* method GET or POST; target is a path relative to the base URL
 * ("DiagnosticReport?_count=10", "" for the base itself) or an absolute
 * URL on the same host (a next link). body NULL for GET; POST sends
 * application/fhir+json. Accept: application/fhir+json; Authorization:
 * Bearer when a token is configured.
 *
 * Retries (up to HTTP_ATTEMPTS, exponential backoff from 0.5 s with
 * jitter, Retry-After honoured up to 60 s) connection failures,
 * timeouts, 408, 429 and 5xx. Returns:
 * - CD_OK with r->status 2xx and the body;
 * - CD_REFUSED with r->status (4xx other than 408/429) and its body, err
 *   saying "the lab refused ...: <OperationOutcome text>";
 * - CD_EDATA when no good answer came after the retries (err says what:
 *   "the lab did not answer within 60 s", "the lab's answer is larger
 *   than 16 MiB", "the lab redirected to another host (evil.example)",
 *   "the lab answered 503 three times", ...), r->status the last one.
 * The caller frees r->body with http_response_free. */
enum cd_status http_request(struct http_client *h, const char *method, const char *target,
    const char *body, size_t len, struct http_response *r, struct cd_err *err);
void http_response_free(struct http_response *r);

/* Test seam: the total milliseconds http_request slept between retries
 * since the client was made. */
long http_client_slept_ms(const struct http_client *h);

#endif
