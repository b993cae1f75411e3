/* dbpath.c - which database file to use, first match wins: --db,
 * $CELLDESK_DB, db = in $XDG_CONFIG_HOME/celldesk/config, db = in
 * /etc/celldesk/celldesk.conf, then $XDG_DATA_HOME/celldesk/clinic.db. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/conf_parse.h"
#include "../core/strbuf.h"
#include "../core/xalloc.h"
#include "ops.h"

#define CONFIG_MAX_BYTES (1024 * 1024)

struct db_key {
	char *value;
};

static int
take_db_key(void *ctx, const char *section, const char *key, const char *value)
{
	struct db_key *k = ctx;

	if (section[0] == '\0' && strcmp(key, "db") == 0) {
		free(k->value);
		k->value = xstrdup(value);
	}
	return 0;
}

char *
ops_expand_home(const char *path)
{
	const char *home = getenv("HOME");

	if (strncmp(path, "~/", 2) == 0 && home != NULL && home[0] != '\0')
		return xasprintf("%s/%s", home, path + 2);
	return xstrdup(path);
}

enum cd_status
ops_config_read(const char *file, conf_fn fn, void *ctx, struct cd_err *err)
{
	struct strbuf text = STRBUF_INIT;
	enum cd_status st;
	char chunk[4096];
	size_t got;
	FILE *fp;

	if ((fp = fopen(file, "r")) == NULL) {
		if (errno == ENOENT || errno == ENOTDIR)
			return CD_OK;
		return cd_fail(err, CD_EDATA, "cannot read %s: %s", file, strerror(errno));
	}
	while ((got = fread(chunk, 1, sizeof chunk, fp)) > 0 && text.len <= CONFIG_MAX_BYTES)
		strbuf_add(&text, chunk, got);
	fclose(fp);
	if (text.len > CONFIG_MAX_BYTES) {
		strbuf_free(&text);
		return cd_fail(err, CD_EDATA, "%s is larger than 1 MiB; is it the right file?", file);
	}
	st = conf_parse(strbuf_str(&text), text.len, file, fn, ctx, err);
	strbuf_free(&text);
	return st;
}

/* Reads the db key of file into *path; a missing file is not an error. */
static enum cd_status
config_db_key(const char *file, char **path, struct cd_err *err)
{
	struct db_key k = { NULL };
	enum cd_status st;

	*path = NULL;
	st = ops_config_read(file, take_db_key, &k, err);
	if (st == CD_OK && k.value != NULL && k.value[0] == '\0')
		st = cd_fail(err, CD_EDATA, "%s: the db setting is empty", file);
	if (st == CD_OK && k.value != NULL)
		*path = ops_expand_home(k.value);
	free(k.value);
	return st;
}

/* $XDG_x_HOME, or $HOME/fallback when unset or not absolute. */
static char *
xdg_dir(const char *var, const char *fallback)
{
	const char *v = getenv(var), *home = getenv("HOME");

	if (v != NULL && v[0] == '/')
		return xstrdup(v);
	return xasprintf("%s/%s", home != NULL ? home : "", fallback);
}

char *
ops_config_user_file(void)
{
	char *dir = xdg_dir("XDG_CONFIG_HOME", ".config"), *file;

	file = xasprintf("%s/celldesk/config", dir);
	free(dir);
	return file;
}

enum cd_status
ops_db_path(const char *cli_path, char **path, struct cd_err *err)
{
	const char *env = getenv("CELLDESK_DB");
	enum cd_status st;
	char *dir, *file;

	if (cli_path != NULL) {
		*path = ops_expand_home(cli_path);
		return CD_OK;
	}
	if (env != NULL && env[0] != '\0') {
		*path = ops_expand_home(env);
		return CD_OK;
	}
	file = ops_config_user_file();
	st = config_db_key(file, path, err);
	free(file);
	if (st != CD_OK || *path != NULL)
		return st;
	if ((st = config_db_key(OPS_SYSTEM_CONFIG, path, err)) != CD_OK || *path != NULL)
		return st;
	dir = xdg_dir("XDG_DATA_HOME", ".local/share");
	*path = xasprintf("%s/celldesk/clinic.db", dir);
	free(dir);
	return CD_OK;
}
