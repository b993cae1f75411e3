/* ops_sites.c - sites (with time zone and opening hours) and resources. */
#include "config.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "../core/date.h"
#include "../core/text.h"
#include "../core/tz.h"
#include "../core/xalloc.h"
#include "ops.h"

#define DEFAULT_HOURS "mon-fri 08:00-18:00"
#define MAX_TAGS 16

enum cd_status
ops_site_add(struct ops *o, const char *name, const char *tz, const char *hours,
    struct cd_err *err)
{
	struct cd_hours h;
	enum cd_status st;
	char now[25];
	int64_t id;

	if ((st = text_check_field("site NAME", name, 80, TEXT_REQUIRED, err)) != CD_OK ||
	    (st = tz_check("--tz", tz, err)) != CD_OK ||
	    (st = hours_parse(hours != NULL ? hours : DEFAULT_HOURS, &h, err)) != CD_OK)
		return st;
	/* A lot's place is written SITE/UNIT/RACK/BOX/POS. */
	if (strchr(name, '/') != NULL)
		return cd_fail(err, CD_USAGE, "site NAME: '%s' holds a '/', which separates the"
		    " parts of a storage place (SITE/UNIT/...); use another name", name);
	if ((st = ops_write_begin(o, ACT_SITE_MANAGE, now, err)) != CD_OK)
		return st;
	if ((st = db_site_find(o->db, name, &id, err)) == CD_OK && id != 0)
		st = cd_fail(err, CD_REFUSED, "a site called '%s' already exists", name);
	if (st == CD_OK)
		st = db_site_insert(o->db, name, tz, &h, now, &id, err);
	if (st == CD_OK)
		st = ops_audit_change(o, now, "insert", "sites", id, name, NULL, NULL, err);
	return ops_write_end(o, st, err);
}

enum cd_status
ops_site_list(struct ops *o, cd_row_fn fn, void *ctx, struct cd_err *err)
{
	enum cd_status st;

	if ((st = ops_require(o, ACT_SITE_VIEW, err)) != CD_OK)
		return st;
	return db_site_list(o->db, fn, ctx, err);
}

/* Splits "ultrasound, fluoroscopy" into lower-case tags (in buf). */
static enum cd_status
split_tags(const char *tags, char *buf, const char **out, size_t *n, struct cd_err *err)
{
	char *p, *tok, *save = NULL;

	*n = 0;
	if (tags == NULL)
		return CD_OK;
	memcpy(buf, tags, strlen(tags) + 1); /* the caller sized buf */
	for (tok = strtok_r(buf, ",", &save); tok != NULL; tok = strtok_r(NULL, ",", &save)) {
		while (*tok == ' ')
			tok++;
		for (p = tok + strlen(tok); p > tok && p[-1] == ' ';)
			*--p = '\0';
		if (*tok == '\0')
			continue;
		for (p = tok; *p != '\0'; p++) {
			if (!isalnum((unsigned char)*p) && *p != '-' && *p != '_')
				return cd_fail(err, CD_USAGE,
				    "--tags: '%.40s' is not a tag (letters, digits, - and _)", tok);
			*p = (char)tolower((unsigned char)*p);
		}
		if (*n == MAX_TAGS)
			return cd_fail(err, CD_USAGE, "--tags: at most %d tags", MAX_TAGS);
		out[(*n)++] = tok;
	}
	return CD_OK;
}

enum cd_status
ops_resource_add(struct ops *o, const char *name, const char *site, const char *kind,
    const char *tags, struct cd_err *err)
{
	const char *tag[MAX_TAGS];
	enum cd_status st;
	int64_t site_id, id;
	char now[25], *buf;
	size_t ntags;

	if ((st = text_check_field("resource NAME", name, 80, TEXT_REQUIRED, err)) != CD_OK)
		return st;
	if (strcmp(kind, "room") != 0 && strcmp(kind, "device") != 0 &&
	    strcmp(kind, "clinician") != 0)
		return cd_fail(err, CD_USAGE, "--kind: '%.40s' is not room, device or clinician",
		    kind);
	buf = xmalloc(tags != NULL ? strlen(tags) + 1 : 1);
	if ((st = split_tags(tags, buf, tag, &ntags, err)) != CD_OK) {
		free(buf);
		return st;
	}
	if ((st = ops_write_begin(o, ACT_SITE_MANAGE, now, err)) == CD_OK) {
		st = ops_find_site(o, "--site", site, &site_id, err);
		if (st == CD_OK && (st = db_resource_find(o->db, site_id, name, &id, err)) == CD_OK &&
		    id != 0)
			st = cd_fail(err, CD_REFUSED, "site '%s' already has a resource called '%s'",
			    site, name);
		if (st == CD_OK)
			st = db_resource_insert(o->db, site_id, name, kind, tag, ntags, now, &id, err);
		if (st == CD_OK)
			st = ops_audit_change(o, now, "insert", "resources", id, name, NULL, NULL, err);
		st = ops_write_end(o, st, err);
	}
	free(buf);
	return st;
}

enum cd_status
ops_resource_list(struct ops *o, const char *site, cd_row_fn fn, void *ctx,
    struct cd_err *err)
{
	enum cd_status st;
	int64_t site_id = 0;

	if ((st = ops_require(o, ACT_SITE_VIEW, err)) != CD_OK)
		return st;
	if (site != NULL && (st = ops_find_site(o, "--site", site, &site_id, err)) != CD_OK)
		return st;
	return db_resource_list(o->db, site_id, fn, ctx, err);
}
