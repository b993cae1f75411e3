/* cli_storage.c - storage add, list, reading, import, readings,
 * excursions and correct: the lab's storage units and their
 * temperatures, and the corrective action an excursion asks for. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "../core/strbuf.h"
#include "../core/temp_csv.h"
#include "../core/xalloc.h"
#include "cli.h"

#define NCOLS(a) ((int)(sizeof(a) / sizeof((a)[0])))
#define DEFAULT_DAYS 7
#define MAX_DAYS 366
#define EXCURSIONS_SHOWN 20 /* after an import; the rest: storage excursions */
#define DEG "\xC2\xB0""C"

struct storage_args {
	const char *site, *kind, *min, *max, *temp, *at, *note;
	int days;
};

static enum cd_status
storage_option(struct cli *c, void *ctx, int opt, const char *arg)
{
	struct storage_args *a = ctx;
	char *end;
	long v;

	switch (opt) {
	case 's': a->site = arg; break;
	case 'k': a->kind = arg; break;
	case 'm': a->min = arg; break;
	case 'x': a->max = arg; break;
	case 't': a->temp = arg; break;
	case 'a': a->at = arg; break;
	case 'n': a->note = arg; break;
	default:
		errno = 0;
		v = strtol(arg, &end, 10);
		if (errno != 0 || end == arg || *end != '\0' || v < 1 || v > MAX_DAYS)
			return (enum cd_status)cli_usage_error(c, "--days: '%.20s' is not a number"
			    " from 1 to %d", arg, MAX_DAYS);
		a->days = (int)v;
		break;
	}
	return CD_OK;
}

/* Prints the lines of b, each through the sanitizer. */
static void
print_lines(struct strbuf *b)
{
	char *text = b->s, *line, *save = NULL;

	if (text == NULL)
		return;
	for (line = strtok_r(text, "\n", &save); line != NULL; line = strtok_r(NULL, "\n", &save))
		out_line(stdout, line);
}

/* "Excursion: LN2-1 at Kyiv read -120.0 °C at ... (allowed ...); 14
 * lots flagged." and the command that records the corrective action. */
static void
add_excursion(struct strbuf *b, const struct ops_reading *r)
{
	char t[24], lo[24], hi[24];

	temp_format(r->temp_c, t);
	temp_format(r->min_c, lo);
	temp_format(r->max_c, hi);
	strbuf_addf(b, "Excursion: %s at %s read %s " DEG " at %.10s %.5s (allowed %s to %s);", r->unit,
	    r->site, t, r->at, r->at + 11, lo, hi);
	if (r->lots == 0)
		strbuf_adds(b, " no lots are stored there.\n");
	else
		strbuf_addf(b, " %lld lot%s flagged.\n", (long long)r->lots, r->lots == 1 ? "" : "s");
	strbuf_addf(b, "Record the corrective action: celldesk storage correct %lld --note TEXT\n",
	    (long long)r->id);
}

int
cli_storage_add(struct cli *c)
{
	static const struct option opts[] = {
		{ "site", required_argument, NULL, 's' },
		{ "kind", required_argument, NULL, 'k' },
		{ "min", required_argument, NULL, 'm' },
		{ "max", required_argument, NULL, 'x' },
		{ NULL, 0, NULL, 0 },
	};
	struct storage_args a;
	struct strbuf b = STRBUF_INIT;
	enum cd_status st;
	int first;

	memset(&a, 0, sizeof a);
	if ((st = cli_parse(c, opts, storage_option, &a, 1, &first)) != CD_OK)
		return st;
	if (a.site == NULL || a.kind == NULL || a.min == NULL || a.max == NULL)
		return cli_usage_error(c, "storage add needs --site, --kind, --min and --max");
	if ((st = cli_open(c, OPS_OPEN_USE)) != CD_OK)
		return cli_fail(c, st);
	st = ops_storage_add(&c->ops, c->argv[first], a.site, a.kind, a.min, a.max, &c->err);
	if (st == CD_OK) {
		char lo[24], hi[24];
		double v;

		/* ops accepted both: they parse */
		lo[0] = hi[0] = '\0';
		if (temp_parse(a.min, &v) == TEMP_OK)
			temp_format(v, lo);
		if (temp_parse(a.max, &v) == TEMP_OK)
			temp_format(v, hi);
		strbuf_addf(&b, "Added storage unit %s at %s (%s, %s to %s " DEG ").\n",
		    c->argv[first], a.site, a.kind, lo, hi);
		print_lines(&b);
	}
	strbuf_free(&b);
	return cli_done(c, st);
}

/* Text listings show "2026-11-21 10:00" for the local ISO times. */
static enum cd_status
text_row(void *ctx, const struct cd_row *row, struct cd_err *err)
{
	const char *vals[32];
	char when[2][32];
	struct cd_row out = *row;
	int i, k = 0;

	for (i = 0; i < row->n && i < 32; i++) {
		vals[i] = row->vals[i];
		if (vals[i] != NULL && k < 2 && (strcmp(row->keys[i], "time") == 0 ||
		    strcmp(row->keys[i], "last_reading") == 0)) {
			out_short_time(vals[i], true, when[k], sizeof when[k]);
			vals[i] = when[k++];
		}
	}
	out.n = i;
	out.vals = vals;
	return out_row(ctx, &out, err);
}

static cd_row_fn
row_printer(const struct cli *c)
{
	return c->format == OUT_TEXT ? text_row : out_row;
}

static enum cd_status
fetch_units(struct cli *c, void *arg, struct out *o)
{
	const struct storage_args *a = arg;

	return ops_storage_list(&c->ops, a->site, row_printer(c), o, &c->err);
}

int
cli_storage_list(struct cli *c)
{
	static const struct option opts[] = {
		{ "site", required_argument, NULL, 's' },
		{ NULL, 0, NULL, 0 },
	};
	static const struct out_col cols[] = {
		{ "site", 12, false }, { "name", 14, false }, { "kind", 10, false },
		{ "min", 8, false }, { "max", 8, false }, { "lots", 6, true },
		{ "last_reading", 18, false }, { "last_temp", 10, false },
		{ "excursions", 0, true },
	};
	struct storage_args a;
	enum cd_status st;
	int first;

	memset(&a, 0, sizeof a);
	if ((st = cli_parse(c, opts, storage_option, &a, 0, &first)) != CD_OK)
		return st;
	return cli_print_rows(c, ACT_LOT_VIEW, OUT_TABLE, cols, NCOLS(cols), fetch_units, &a);
}

int
cli_storage_reading(struct cli *c)
{
	static const struct option opts[] = {
		{ "site", required_argument, NULL, 's' },
		{ "temp", required_argument, NULL, 't' },
		{ "at", required_argument, NULL, 'a' },
		{ NULL, 0, NULL, 0 },
	};
	struct storage_args a;
	struct ops_reading r;
	struct strbuf b = STRBUF_INIT;
	enum cd_status st;
	char t[24], lo[24], hi[24];
	int first;

	memset(&a, 0, sizeof a);
	if ((st = cli_parse(c, opts, storage_option, &a, 1, &first)) != CD_OK)
		return st;
	if (a.site == NULL || a.temp == NULL)
		return cli_usage_error(c, "storage reading needs --site and --temp");
	if ((st = cli_open(c, OPS_OPEN_USE)) != CD_OK)
		return cli_fail(c, st);
	st = ops_storage_reading(&c->ops, c->argv[first], a.site, a.temp, a.at, &r, &c->err);
	if (st == CD_OK && r.excursion) {
		add_excursion(&b, &r);
	} else if (st == CD_OK) {
		temp_format(r.temp_c, t);
		temp_format(r.min_c, lo);
		temp_format(r.max_c, hi);
		strbuf_addf(&b, "Recorded %s " DEG " for %s at %s at %.10s %.5s (reading %lld; allowed"
		    " %s to %s).\n", t, r.unit, r.site, r.at, r.at + 11, (long long)r.id, lo, hi);
	}
	print_lines(&b);
	strbuf_free(&b);
	return cli_done(c, st);
}

/* Reads a whole import file, refusing one larger than the parser takes. */
static enum cd_status
read_import(const char *path, char **out, size_t *len, struct cd_err *err)
{
	struct strbuf b = STRBUF_INIT;
	struct stat sb;
	char buf[65536];
	size_t n;
	FILE *fp;

	*out = NULL;
	*len = 0;
	if ((fp = fopen(path, "rb")) == NULL)
		return cd_fail(err, CD_REFUSED, "cannot read %s: %s", path, strerror(errno));
	if (fstat(fileno(fp), &sb) != 0 || !S_ISREG(sb.st_mode)) {
		fclose(fp);
		return cd_fail(err, CD_REFUSED, "%s is not a file", path);
	}
	if ((unsigned long long)sb.st_size > TEMP_CSV_MAX_BYTES) {
		fclose(fp);
		return cd_fail(err, CD_REFUSED, "%s is larger than %u MiB; split it into smaller files",
		    path, TEMP_CSV_MAX_BYTES / (1024u * 1024u));
	}
	while ((n = fread(buf, 1, sizeof buf, fp)) > 0) {
		if (b.len + n > TEMP_CSV_MAX_BYTES) {
			fclose(fp);
			strbuf_free(&b);
			return cd_fail(err, CD_REFUSED, "%s is larger than %u MiB; split it into"
			    " smaller files", path, TEMP_CSV_MAX_BYTES / (1024u * 1024u));
		}
		strbuf_add(&b, buf, n);
	}
	if (ferror(fp)) {
		fclose(fp);
		strbuf_free(&b);
		return cd_fail(err, CD_REFUSED, "cannot read %s: %s", path, strerror(errno));
	}
	fclose(fp);
	*len = b.len;
	*out = b.s != NULL ? b.s : xcalloc(1, 1);
	return CD_OK;
}

struct import_print {
	struct strbuf b;
	int64_t shown;
};

static void
import_excursion(void *ctx, const struct ops_reading *r)
{
	struct import_print *ip = ctx;

	if (ip->shown++ < EXCURSIONS_SHOWN)
		add_excursion(&ip->b, r);
}

static const char *
plural(int64_t n, const char *one, const char *many)
{
	return n == 1 ? one : many;
}

int
cli_storage_import(struct cli *c)
{
	struct import_print ip = { STRBUF_INIT, 0 };
	struct ops_import_result res;
	struct strbuf head = STRBUF_INIT;
	enum cd_status st;
	char *text = NULL;
	size_t len;
	int first;

	if ((st = cli_parse(c, cli_no_opts, cli_no_option, NULL, 1, &first)) != CD_OK)
		return st;
	if ((st = cli_open(c, OPS_OPEN_USE)) != CD_OK)
		return cli_fail(c, st);
	/* The role first: a user who may not import learns that, not the
	 * file's faults. */
	if ((st = ops_require(&c->ops, ACT_LOT_MANAGE, &c->err)) == CD_OK &&
	    (st = read_import(c->argv[first], &text, &len, &c->err)) == CD_OK)
		st = ops_storage_import(&c->ops, c->argv[first], text, len, import_excursion, &ip,
		    &res, &c->err);
	if (st == CD_OK) {
		strbuf_addf(&head, "%lld %s imported, %lld already recorded, %lld %s.\n",
		    (long long)res.imported, plural(res.imported, "reading", "readings"),
		    (long long)res.already, (long long)res.excursions,
		    plural(res.excursions, "excursion", "excursions"));
		if (res.differ > 0)
			strbuf_addf(&head, "%lld of the readings already recorded had another"
			    " temperature in the file; the recorded %s kept.\n", (long long)res.differ,
			    res.differ == 1 ? "one was" : "ones were");
		print_lines(&head);
		print_lines(&ip.b);
		if (ip.shown > EXCURSIONS_SHOWN)
			printf("... and %lld more excursions: see celldesk storage excursions.\n",
			    (long long)(ip.shown - EXCURSIONS_SHOWN));
	}
	strbuf_free(&head);
	strbuf_free(&ip.b);
	free(text);
	return cli_done(c, st);
}

struct readings_arg {
	const char *unit;
	struct storage_args a;
};

static enum cd_status
fetch_readings(struct cli *c, void *arg, struct out *o)
{
	const struct readings_arg *r = arg;

	return ops_storage_readings(&c->ops, r->unit, r->a.site,
	    r->a.days != 0 ? r->a.days : DEFAULT_DAYS, row_printer(c), o, &c->err);
}

int
cli_storage_readings(struct cli *c)
{
	static const struct option opts[] = {
		{ "site", required_argument, NULL, 's' },
		{ "days", required_argument, NULL, 'd' },
		{ NULL, 0, NULL, 0 },
	};
	static const struct out_col cols[] = {
		{ "id", 8, true }, { "time", 18, false }, { "temp", 9, false },
		{ "source", 8, false }, { "actor", 12, false }, { "excursion", 10, false },
		{ "corrective_note", 0, false },
	};
	struct readings_arg r;
	enum cd_status st;
	int first;

	memset(&r, 0, sizeof r);
	if ((st = cli_parse(c, opts, storage_option, &r.a, 1, &first)) != CD_OK)
		return st;
	if (r.a.site == NULL)
		return cli_usage_error(c, "storage readings needs --site");
	r.unit = c->argv[first];
	return cli_print_rows(c, ACT_LOT_VIEW, OUT_TABLE, cols, NCOLS(cols), fetch_readings, &r);
}

static enum cd_status
fetch_excursions(struct cli *c, void *arg, struct out *o)
{
	const struct storage_args *a = arg;

	return ops_storage_excursions(&c->ops, a->site, row_printer(c), o, &c->err);
}

int
cli_storage_excursions(struct cli *c)
{
	static const struct option opts[] = {
		{ "site", required_argument, NULL, 's' },
		{ NULL, 0, NULL, 0 },
	};
	static const struct out_col cols[] = {
		{ "reading", 8, true }, { "site", 12, false }, { "unit", 14, false },
		{ "time", 18, false }, { "temp", 9, false }, { "min", 8, false },
		{ "max", 8, false }, { "lots", 0, true },
	};
	struct storage_args a;
	enum cd_status st;
	int first;

	memset(&a, 0, sizeof a);
	if ((st = cli_parse(c, opts, storage_option, &a, 0, &first)) != CD_OK)
		return st;
	return cli_print_rows(c, ACT_LOT_VIEW, OUT_TABLE, cols, NCOLS(cols), fetch_excursions,
	    &a);
}

int
cli_storage_correct(struct cli *c)
{
	static const struct option opts[] = {
		{ "note", required_argument, NULL, 'n' },
		{ NULL, 0, NULL, 0 },
	};
	struct storage_args a;
	struct ops_correct_result res;
	struct strbuf b = STRBUF_INIT;
	enum cd_status st;
	int64_t id;
	int first;

	memset(&a, 0, sizeof a);
	if ((st = cli_parse(c, opts, storage_option, &a, 1, &first)) != CD_OK)
		return st;
	if (!cli_parse_id(c->argv[first], &id))
		return cli_usage_error(c, "READING: '%.40s' is not a reading number (see celldesk"
		    " storage excursions)", c->argv[first]);
	if (a.note == NULL)
		return cli_usage_error(c, "storage correct needs --note TEXT (the corrective action)");
	if ((st = cli_open(c, OPS_OPEN_USE)) != CD_OK)
		return cli_fail(c, st);
	if ((st = ops_storage_correct(&c->ops, id, a.note, &res, &c->err)) == CD_OK) {
		strbuf_addf(&b, "Recorded the corrective action for reading %lld (%s at %s).\n",
		    (long long)id, res.unit, res.site);
		if (res.still > 0)
			strbuf_addf(&b, "%lld %s still flagged by the unit's open excursion %lld:"
			    " celldesk storage correct %lld --note TEXT\n", (long long)res.still,
			    plural(res.still, "lot is", "lots are"), (long long)res.still_by,
			    (long long)res.still_by);
		else if (res.cleared > 0)
			strbuf_addf(&b, "%lld %s no longer flagged.\n", (long long)res.cleared,
			    plural(res.cleared, "lot is", "lots are"));
		print_lines(&b);
	}
	strbuf_free(&b);
	return cli_done(c, st);
}
