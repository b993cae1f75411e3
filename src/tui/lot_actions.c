/* lot_actions.c - a lot's steps as the lot page and the scan screen
 * offer them: receive, store, move, record QC, release with a signature,
 * reserve for a visit, issue, discard and, at the bedside, administer.
 * Each asks for what it needs (a prompt, a chain of two, or y to a
 * question first when it cannot be undone), calls ops (which checks the
 * role and the rules again), and says on the status line where the lot
 * now stands or, refused, the ops sentence. Our own commits do not move
 * PRAGMA data_version, so each marks every screen stale itself. Also the
 * words both screens use: a lot's next step and its time to expiry. */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/date.h"
#include "../core/localtime.h"
#include "tui_int.h"

enum { QC_MAX = 16 };

/* Every screen on the stack re-reads before it is painted again. */
static void
stale_all(struct tui *t)
{
	struct tui_screen *s;

	for (s = t->top; s != NULL; s = s->below) {
		if (s->type->invalidate != NULL)
			s->type->invalidate(s);
	}
}

/* --- where the lot stands after a step --- */
struct standing {
	char status[32], location[256], expires[20], recipient[72];
};

static enum cd_status
take_standing(void *ctx, const struct cd_row *row, struct cd_err *err)
{
	struct standing *s = ctx;
	const char *v;
	int i;

	(void)err;
	for (i = 0; i < row->n; i++) {
		v = row->vals[i] != NULL ? row->vals[i] : "";
		if (strcmp(row->keys[i], "status") == 0)
			snprintf(s->status, sizeof s->status, "%s", v);
		else if (strcmp(row->keys[i], "location") == 0)
			snprintf(s->location, sizeof s->location, "%s", v);
		else if (strcmp(row->keys[i], "recipient") == 0)
			snprintf(s->recipient, sizeof s->recipient, "%s", v);
		else if (strcmp(row->keys[i], "expires") == 0 && strlen(v) >= 16)
			snprintf(s->expires, sizeof s->expires, "%.10s %.5s", v, v + 11);
	}
	return CD_OK;
}

/* "in quarantine", "released": a status as a sentence says it. */
static const char *
status_words(const char *status)
{
	if (strcmp(status, "quarantine") == 0)
		return "in quarantine";
	if (strcmp(status, "in-processing") == 0)
		return "in processing";
	return status;
}

/* After ops answered st: the refusal, or before (may be NULL) and where
 * the lot now stands; every screen re-reads. */
static int
done(struct tui *t, struct tui_lot_act *a, enum cd_status st, const char *before, bool bad)
{
	struct standing s;
	struct cd_err err;

	stale_all(t);
	a->note[0] = '\0';
	if (st != CD_OK)
		return tui_show_err(t) | REDRAW_LIST;
	memset(&s, 0, sizeof s);
	if (ops_lot_show(&t->ops, a->code, take_standing, NULL, &s, &err) != CD_OK)
		tui_message(t, bad, "%s%slot %s: done", before != NULL ? before : "",
		    before != NULL ? " \xE2\x80\x94 " : "", a->code);
	else if (strcmp(s.status, "administered") == 0)
		tui_message(t, bad, "lot %s is administered to patient %s", a->code, s.recipient);
	else
		tui_message(t, bad, "%s%slot %s is %s \xC2\xB7 at %s \xC2\xB7 expires %s",
		    before != NULL ? before : "", before != NULL ? " \xE2\x80\x94 " : "", a->code,
		    status_words(s.status), s.location, s.expires);
	return REDRAW_LIST | REDRAW_STATUS;
}

/* A prompt left with Esc, or with nothing typed. */
static int
unchanged(struct tui *t, struct tui_lot_act *a, const char *why)
{
	a->note[0] = '\0';
	tui_message(t, false, "%s: lot %s is as it was", why, a->code);
	return REDRAW_STATUS | REDRAW_LIST;
}

/* The text with its spaces at both ends left out, in buf. */
static const char *
trimmed(const char *text, char *buf, size_t n)
{
	size_t len;

	while (*text == ' ')
		text++;
	snprintf(buf, n, "%s", text);
	len = strlen(buf);
	while (len > 0 && buf[len - 1] == ' ')
		buf[--len] = '\0';
	return buf;
}

/* --- receive and issue: no question --- */
int
tui_lot_act_receive(struct tui *t, struct tui_lot_act *a)
{
	return done(t, a, ops_lot_receive(&t->ops, a->code, NULL, &t->err), NULL, false);
}

int
tui_lot_act_issue(struct tui *t, struct tui_lot_act *a)
{
	return done(t, a, ops_lot_issue(&t->ops, a->code, NULL, &t->err), NULL, false);
}

/* --- store: where, then how --- */
static int
store_how(struct tui *t, void *ctx, const char *text, bool accepted)
{
	struct tui_lot_act *a = ctx;
	char how[64];

	if (!accepted)
		return unchanged(t, a, "not stored");
	trimmed(text, how, sizeof how);
	return done(t, a, ops_lot_store(&t->ops, a->code, a->first[0] != '\0' ? a->first : NULL,
	    how[0] != '\0' ? how : NULL, &t->err), NULL, false);
}

static int
store_where(struct tui *t, void *ctx, const char *text, bool accepted)
{
	struct tui_lot_act *a = ctx;

	if (!accepted)
		return unchanged(t, a, "not stored");
	trimmed(text, a->first, sizeof a->first);
	snprintf(a->note, sizeof a->note, "cryopreserved (the expiry becomes the frozen"
	    " product's) or fresh; empty keeps it as it is");
	tui_prompt_open(t, "Storage (fresh or cryopreserved; empty: as it is): ", NULL, NULL,
	    store_how, a);
	return REDRAW_STATUS;
}

int
tui_lot_act_store(struct tui *t, struct tui_lot_act *a)
{
	snprintf(a->note, sizeof a->note, "storing lot %s puts it in quarantine until its"
	    " release; empty keeps it where it is", a->code);
	tui_prompt_open(t, "Store at (SITE/UNIT/RACK/BOX/POS; empty: where it is): ", NULL, NULL,
	    store_where, a);
	return REDRAW_STATUS;
}

/* --- move --- */
static int
move_done(struct tui *t, void *ctx, const char *text, bool accepted)
{
	struct tui_lot_act *a = ctx;
	char to[160];

	if (!accepted || trimmed(text, to, sizeof to)[0] == '\0')
		return unchanged(t, a, "not moved");
	return done(t, a, ops_lot_move(&t->ops, a->code, to, NAN, NULL, &t->err), NULL, false);
}

int
tui_lot_act_move(struct tui *t, struct tui_lot_act *a)
{
	snprintf(a->note, sizeof a->note, "a site, or SITE/UNIT/RACK/BOX/POS, e.g."
	    " Berlin/LN2-1/R1/B2/P3");
	tui_prompt_open(t, "Move to: ", NULL, NULL, move_done, a);
	return REDRAW_STATUS;
}

/* --- QC results --- */
struct qc_said {
	struct strbuf text;
	bool out;
};

static enum cd_status
qc_row(void *ctx, const struct cd_row *row, struct cd_err *err)
{
	struct qc_said *q = ctx;

	(void)err;
	if (row->n < 3)
		return CD_OK;
	if (q->text.len > 0)
		strbuf_adds(&q->text, "; ");
	strbuf_addf(&q->text, "%s %s %s", row->vals[0] != NULL ? row->vals[0] : "",
	    row->vals[1] != NULL ? row->vals[1] : "", row->vals[2] != NULL ? row->vals[2] : "");
	if (row->vals[2] != NULL && strncmp(row->vals[2], "OUT OF LIMITS", 13) == 0)
		q->out = true;
	return CD_OK;
}

static int
qc_done(struct tui *t, void *ctx, const char *text, bool accepted)
{
	struct tui_lot_act *a = ctx;
	struct qc_said said = { STRBUF_INIT, false };
	char buf[512], *words[QC_MAX], *w, *save = NULL;
	int n = 0, flags;
	enum cd_status st;

	if (!accepted || trimmed(text, buf, sizeof buf)[0] == '\0')
		return unchanged(t, a, "no QC result recorded");
	for (w = strtok_r(buf, " ", &save); w != NULL; w = strtok_r(NULL, " ", &save)) {
		if (n == QC_MAX) {
			tui_message(t, true, "at most %d results at a time; nothing was recorded",
			    QC_MAX);
			a->note[0] = '\0';
			return REDRAW_STATUS;
		}
		words[n++] = w;
	}
	st = ops_lot_qc(&t->ops, a->code, words, n, qc_row, &said, &t->err);
	flags = done(t, a, st, strbuf_str(&said.text), said.out);
	strbuf_free(&said.text);
	return flags;
}

int
tui_lot_act_qc(struct tui *t, struct tui_lot_act *a)
{
	snprintf(a->note, sizeof a->note, "e.g. viability=92.5 sterility=negative endotoxin=0.1"
	    " mycoplasma=negative");
	tui_prompt_open(t, "QC results (TEST=VALUE ...): ", NULL, NULL, qc_done, a);
	return REDRAW_STATUS;
}

/* --- release: the signature --- */
static int
release_done(struct tui *t, void *ctx, const char *text, bool accepted)
{
	struct tui_lot_act *a = ctx;
	char sign[128];

	if (!accepted || trimmed(text, sign, sizeof sign)[0] == '\0')
		return unchanged(t, a, "not signed");
	return done(t, a, ops_lot_release(&t->ops, a->code, sign, &t->err), NULL, false);
}

int
tui_lot_act_release(struct tui *t, struct tui_lot_act *a)
{
	snprintf(a->note, sizeof a->note, "releasing lot %s: your signature is your own printed"
	    " name as the clinic records it", a->code);
	tui_prompt_open(t, "Sign with your printed name: ", NULL, NULL, release_done, a);
	return REDRAW_STATUS;
}

/* --- reserve: the visit, with the lots FEFO would take for it --- */
struct fefo {
	struct strbuf text;
	const char *code;
	int n, mine; /* mine: this lot's place in the list (1 first), 0 not in it */
};

static enum cd_status
fefo_row(void *ctx, const struct cd_row *row, struct cd_err *err)
{
	struct fefo *f = ctx;
	const char *id = row->n > 0 ? row->vals[0] : NULL, *exp = row->n > 7 ? row->vals[7] : NULL;

	(void)err;
	if (id == NULL)
		return CD_OK;
	f->n++;
	if (strcmp(id, f->code) == 0)
		f->mine = f->n;
	if (f->n <= 3)
		strbuf_addf(&f->text, "%s%s (expires %.10s)", f->n > 1 ? ", " : "", id,
		    exp != NULL ? exp : "?");
	return CD_OK;
}

static bool
visit_number(const char *text, int64_t *appt)
{
	char *end;
	long long v;

	while (*text == ' ')
		text++;
	v = strtoll(text, &end, 10);
	while (*end == ' ')
		end++;
	if (end == text || *end != '\0' || v <= 0)
		return false;
	*appt = (int64_t)v;
	return true;
}

static int
reserve_typed(struct tui *t, void *ctx, const char *text)
{
	struct tui_lot_act *a = ctx;
	struct fefo f = { STRBUF_INIT, a->code, 0, 0 };
	struct cd_err err;
	int64_t appt;

	if (!visit_number(text, &appt)) {
		snprintf(a->note, sizeof a->note, "the injection visit's number (the agenda shows"
		    " it); the lots that would serve it first appear here");
		return REDRAW_STATUS;
	}
	if (ops_lot_suggest(&t->ops, appt, fefo_row, &f, &err) != CD_OK)
		snprintf(a->note, sizeof a->note, "%s", err.msg);
	else if (f.n == 0)
		snprintf(a->note, sizeof a->note, "visit %lld: no released lot would serve it",
		    (long long)appt);
	else
		snprintf(a->note, sizeof a->note, "visit %lld, first to expire first: %s%s%s",
		    (long long)appt, strbuf_str(&f.text), f.n > 3 ? ", ..." : "",
		    f.mine == 1 ? " (this lot is the first)" : f.mine > 1 ?
		    " (this lot is not the first to expire)" : "");
	strbuf_free(&f.text);
	return REDRAW_STATUS;
}

static int
reserve_done(struct tui *t, void *ctx, const char *text, bool accepted)
{
	struct tui_lot_act *a = ctx;
	char said[64];
	int64_t appt;

	if (!accepted || text[0] == '\0')
		return unchanged(t, a, "not reserved");
	if (!visit_number(text, &appt)) {
		a->note[0] = '\0';
		tui_message(t, true, "'%.20s' is not a visit number; lot %s is as it was", text,
		    a->code);
		return REDRAW_STATUS;
	}
	snprintf(said, sizeof said, "reserved for visit %lld", (long long)appt);
	return done(t, a, ops_lot_reserve(&t->ops, a->code, appt, &t->err), said, false);
}

int
tui_lot_act_reserve(struct tui *t, struct tui_lot_act *a)
{
	reserve_typed(t, a, "");
	tui_prompt_open(t, "Reserve for visit number: ", NULL, reserve_typed, reserve_done, a);
	return REDRAW_STATUS;
}

/* --- discard: y first, then the reason --- */
static int
discard_done(struct tui *t, void *ctx, const char *text, bool accepted)
{
	struct tui_lot_act *a = ctx;
	char why[256];

	if (!accepted || trimmed(text, why, sizeof why)[0] == '\0')
		return unchanged(t, a, "a discard needs its reason; nothing was discarded");
	return done(t, a, ops_lot_discard(&t->ops, a->code, why, &t->err), NULL, false);
}

static int
discard_yes(struct tui *t, void *ctx)
{
	struct tui_lot_act *a = ctx;

	snprintf(a->note, sizeof a->note, "why lot %s is discarded, e.g. expired, failed"
	    " sterility, damaged bag", a->code);
	tui_prompt_open(t, "Reason for the discard: ", NULL, NULL, discard_done, a);
	return REDRAW_STATUS;
}

int
tui_lot_act_discard(struct tui *t, struct tui_lot_act *a)
{
	tui_confirm(t, discard_yes, a, "Discard lot %s? It cannot be undone.", a->code);
	return REDRAW_STATUS;
}

/* --- administer, after the bedside check said MATCH --- */
static int
administer_yes(struct tui *t, void *ctx)
{
	struct tui_lot_act *a = ctx;

	return done(t, a, ops_lot_administer(&t->ops, a->code, a->mrn, 0, &t->err), NULL, false);
}

int
tui_lot_act_administer(struct tui *t, struct tui_lot_act *a)
{
	tui_confirm(t, administer_yes, a, "Give lot %s to patient %s now? It is recorded as"
	    " administered and cannot be undone.", a->code, a->mrn);
	return REDRAW_STATUS;
}

/* --- words --- */
static const struct {
	const char *status;
	enum cd_action action;
	const char *step, *key;
} next_steps[] = {
	{ "collected", ACT_LOT_MANAGE, "receive it into processing", "r" },
	{ "in-processing", ACT_LOT_MANAGE, "store it (quarantine until its release)", "o" },
	{ "quarantine", ACT_LOT_RELEASE, "sign its release once QC is in limits", "s" },
	{ "released", ACT_LOT_RESERVE, "reserve it for an injection visit", "v" },
	{ "reserved", ACT_LOT_ISSUE, "issue it for its visit", "i" },
	{ "issued", ACT_LOT_ADMINISTER,
	    "give it at the bedside: on the scan screen, scan the wristband, then the lot", NULL },
};

void
tui_lot_next_step(const struct tui *t, const char *status, struct strbuf *out)
{
	char roles[64];
	size_t i;

	for (i = 0; i < sizeof next_steps / sizeof next_steps[0]; i++) {
		if (strcmp(next_steps[i].status, status) != 0)
			continue;
		if (!roles_may(t->ops.roles, next_steps[i].action)) {
			roles_format(roles_for(next_steps[i].action), roles, sizeof roles);
			strbuf_addf(out, "%s (the role %s does that)", next_steps[i].step, roles);
		} else if (next_steps[i].key != NULL)
			strbuf_addf(out, "%s: press %s", next_steps[i].step, next_steps[i].key);
		else
			strbuf_adds(out, next_steps[i].step);
		/* QC comes before the release, and the lab records it. */
		if (strcmp(status, "quarantine") == 0 && roles_may(t->ops.roles, ACT_LOT_MANAGE))
			strbuf_adds(out, " (c records QC results)");
		return;
	}
	strbuf_addf(out, "none: the lot was %s", status);
}

/* "2026-11-23T14:00:30+01:00" -> UTC seconds. */
static bool
iso_utc(const char *iso, int64_t *utc)
{
	struct cd_date d;
	int minute, sec, off;
	char day[17];

	if (iso == NULL || strlen(iso) != 25 || (iso[19] != '+' && iso[19] != '-') ||
	    iso[22] != ':')
		return false;
	memcpy(day, iso, 16);
	day[16] = '\0';
	if (!local_parse(day, &d, &minute))
		return false;
	sec = (iso[17] - '0') * 10 + (iso[18] - '0');
	off = ((iso[20] - '0') * 10 + (iso[21] - '0')) * 60 + (iso[23] - '0') * 10 +
	    (iso[24] - '0');
	if (sec < 0 || sec > 59 || off < 0 || off > 18 * 60)
		return false;
	*utc = date_to_days(&d) * 86400 + (int64_t)minute * 60 + sec -
	    (int64_t)(iso[19] == '-' ? -off : off) * 60;
	return true;
}

int
tui_lot_expiry(const struct tui *t, const char *iso, const char *status, char *words, size_t n)
{
	int64_t utc, left;

	words[0] = '\0';
	if (status != NULL && (strcmp(status, "administered") == 0 ||
	    strcmp(status, "discarded") == 0))
		return LOOK_DIM;
	if (!iso_utc(iso, &utc))
		return -1;
	left = utc - t->ops.clock_ms() / 1000;
	if (left <= 0) {
		snprintf(words, n, "expired");
		return LOOK_BAD;
	}
	if (left < 3600)
		snprintf(words, n, "<1 h");
	else if (left < 2 * 86400)
		snprintf(words, n, "%lld h", (long long)(left / 3600));
	else
		snprintf(words, n, "%lld d", (long long)(left / 86400));
	return left < 2 * 86400 ? LOOK_WARN : -1;
}
