/* unit_util.c - the fixed environment and temporary folders of the unit
 * tests. */
#include "config.h"

#include <ftw.h>
#include <locale.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "unit_util.h"

void
unit_fixed_env(void)
{
	if (setlocale(LC_ALL, "C.UTF-8") == NULL) {
		fprintf(stderr, "unit tests need the C.UTF-8 locale\n");
		exit(1);
	}
	setenv("TZ", "Europe/Kyiv", 1);
	unsetenv("TZDIR");
	tzset();
}

int64_t
unit_clock(void)
{
	return UNIT_NOW_MS;
}

char *
unit_tmpdir(void)
{
	const char *base = getenv("TMPDIR");
	char *dir;
	size_t n;

	if (base == NULL || base[0] != '/')
		base = "/tmp";
	n = strlen(base) + sizeof "/celldesk-unit-XXXXXX";
	if ((dir = malloc(n)) == NULL)
		abort();
	snprintf(dir, n, "%s/celldesk-unit-XXXXXX", base);
	if (mkdtemp(dir) == NULL) {
		perror("mkdtemp");
		abort();
	}
	return dir;
}

static int
remove_one(const char *path, const struct stat *sb, int type, struct FTW *ftw)
{
	(void)sb;
	(void)type;
	(void)ftw;
	return remove(path) == 0 ? 0 : -1;
}

void
unit_rmtree(const char *dir)
{
	if (dir != NULL)
		nftw(dir, remove_one, 16, FTW_DEPTH | FTW_PHYS);
}

char *
unit_path(const char *dir, const char *name)
{
	size_t n = strlen(dir) + strlen(name) + 2;
	char *p = malloc(n);

	if (p == NULL)
		abort();
	snprintf(p, n, "%s/%s", dir, name);
	return p;
}

char *
unit_slurp(const char *path, size_t *len)
{
	char *buf = NULL, *grown;
	size_t cap = 0, n = 0, got;
	FILE *fp;

	if ((fp = fopen(path, "rb")) == NULL)
		return NULL;
	for (;;) {
		if (cap - n < 4096) {
			cap = cap ? cap * 2 : 8192;
			if ((grown = realloc(buf, cap)) == NULL)
				abort();
			buf = grown;
		}
		got = fread(buf + n, 1, cap - n - 1, fp);
		n += got;
		if (got == 0)
			break;
	}
	fclose(fp);
	buf[n] = '\0';
	*len = n;
	return buf;
}

bool
unit_exists(const char *path)
{
	struct stat sb;

	return lstat(path, &sb) == 0;
}

bool
unit_write(const char *path, const char *data, size_t len)
{
	FILE *fp = fopen(path, "wb");
	bool ok;

	if (fp == NULL)
		return false;
	ok = fwrite(data, 1, len, fp) == len;
	return fclose(fp) == 0 && ok;
}

int
unit_fixture_setup(void **state)
{
	struct unit_fixture *f = calloc(1, sizeof *f);
	struct passwd *pw = getpwuid(getuid());

	if (f == NULL || pw == NULL) {
		free(f);
		return -1;
	}
	f->dir = unit_tmpdir();
	f->path = unit_path(f->dir, "clinic.db");
	snprintf(f->actor, sizeof f->actor, "%s", pw->pw_name);
	*state = f;
	return 0;
}

int
unit_fixture_teardown(void **state)
{
	struct unit_fixture *f = *state;

	unit_rmtree(f->dir);
	free(f->path);
	free(f->dir);
	free(f);
	return 0;
}
