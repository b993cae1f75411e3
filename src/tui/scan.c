/* scan.c - the Scan screen, for the bedside and the lab bench: a field
 * that takes a keyboard-wedge scanner's burst (fast keystrokes ending in
 * Enter or Tab; typed by hand it works the same), read by ops_scan. Scan
 * the patient's wristband, then the lot: the screen shows MATCH or STOP
 * in letters five lines tall on a full-width band, and why. The verdict
 * is ops_lot_bedside_check's, the rules of `lot administer` itself; a
 * clinician's check that says STOP is recorded as a refused
 * administration. After MATCH, `a` gives the lot (asking first). A lot
 * scanned alone shows its card and its next step, which the keys of the
 * lot page take (lot_actions.c). An ISBT 128 DIN whose donation has
 * several lots waits for the product code.
 *
 * While the field is empty, a few letters are commands (a after MATCH,
 * the lot's steps on its card, q); a scanner's burst is told from a key
 * pressed by hand by input already waiting behind its first character,
 * so a code starting with one of those letters still reads as a scan.
 * Digits go into the field: Esc with nothing left to clear, then a digit
 * pressed alone, opens a tab. */
#include "config.h"

#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../core/xalloc.h"
#include "tui_int.h"

enum { FIELD_MAX = 64, MAX_FIELDS = 40, BURST_MS = 30, BAND_H = 7, LABEL_W = 11 };
enum verdict { V_NONE, V_MATCH, V_STOP, V_GIVEN };

struct scan {
	struct tui_screen base;
	struct tui *t;
	struct tui_edit field;
	bool esc;                  /* the key before was Esc: a digit opens a tab */
	char mrn[72], who[200];    /* the wristband scanned, and whose it is */
	char lot[48];              /* the lot scanned */
	char donation[16];         /* a DIN scanned whose donation has several lots */
	char lots_of[400];         /* their codes */
	char last[1100];           /* what the last scan was, or why it was not read */
	bool last_bad;
	enum verdict verdict;
	char reason[1100];
	bool card_stale, recheck;
	int nf;
	char *keys[MAX_FIELDS], *vals[MAX_FIELDS];
	struct strbuf qc;          /* the card's QC in one line */
	struct tui_lot_act act;
};

static struct scan *
of(struct tui_screen *s)
{
	return (struct scan *)s;
}

/* --- the lot's card --- */
static void
clear_card(struct scan *sc)
{
	int i;

	for (i = 0; i < sc->nf; i++) {
		free(sc->keys[i]);
		free(sc->vals[i]);
	}
	sc->nf = 0;
	strbuf_reset(&sc->qc);
}

static const char *
card(const struct scan *sc, const char *key)
{
	int i;

	for (i = 0; i < sc->nf; i++) {
		if (strcmp(sc->keys[i], key) == 0)
			return sc->vals[i] != NULL && sc->vals[i][0] != '\0' ? sc->vals[i] : NULL;
	}
	return NULL;
}

static enum cd_status
copy_head(void *ctx, const struct cd_row *row, struct cd_err *err)
{
	struct scan *sc = ctx;
	int i;

	(void)err;
	for (i = 0; i < row->n && sc->nf < MAX_FIELDS; i++) {
		sc->keys[sc->nf] = xstrdup(row->keys[i]);
		sc->vals[sc->nf] = row->vals[i] != NULL ? xstrdup(row->vals[i]) : NULL;
		sc->nf++;
	}
	return CD_OK;
}

static enum cd_status
copy_qc(void *ctx, const struct cd_row *row, struct cd_err *err)
{
	struct scan *sc = ctx;

	(void)err;
	if (row->n < 3)
		return CD_OK;
	if (sc->qc.len > 0)
		strbuf_adds(&sc->qc, "; ");
	strbuf_addf(&sc->qc, "%s %s%s%s", row->vals[0] != NULL ? row->vals[0] : "",
	    row->vals[1] != NULL && row->vals[1][0] != '\0' ? row->vals[1] : "",
	    row->vals[1] != NULL && row->vals[1][0] != '\0' ? " " : "",
	    row->vals[2] == NULL ? "" : strcmp(row->vals[2], "in limits") == 0 ||
	    strcmp(row->vals[2], "missing") == 0 ? row->vals[2] : "OUT OF LIMITS");
	return CD_OK;
}

/* --- the check --- */
static void
check(struct tui *t, struct scan *sc, bool record)
{
	struct cd_err err;
	enum cd_status st;

	st = ops_lot_bedside_check(&t->ops, sc->lot, sc->mrn, 0, record, &err);
	if (st == CD_OK) {
		sc->verdict = V_MATCH;
		sc->reason[0] = '\0';
		return;
	}
	/* Whatever went wrong, the answer at the bedside is no. */
	sc->verdict = V_STOP;
	if (st == CD_REFUSED)
		snprintf(sc->reason, sizeof sc->reason, "%s", err.msg);
	else
		snprintf(sc->reason, sizeof sc->reason, "STOP: the check could not be made: %s",
		    err.msg);
}

static void
forget(struct scan *sc)
{
	sc->mrn[0] = sc->who[0] = sc->lot[0] = sc->donation[0] = sc->lots_of[0] = '\0';
	sc->verdict = V_NONE;
	sc->reason[0] = '\0';
	clear_card(sc);
}

static void
take_lot(struct tui *t, struct scan *sc, const char *code)
{
	snprintf(sc->lot, sizeof sc->lot, "%s", code);
	snprintf(sc->act.code, sizeof sc->act.code, "%s", code);
	sc->donation[0] = sc->lots_of[0] = '\0';
	sc->card_stale = true;
	sc->verdict = V_NONE;
	sc->reason[0] = '\0';
	if (sc->mrn[0] != '\0')
		check(t, sc, true);
}

static void
take_patient(struct tui *t, struct scan *sc, const char *mrn, const char *who)
{
	/* A wristband after a verdict starts the next patient's check. */
	if (sc->verdict != V_NONE || strcmp(mrn, sc->mrn) != 0) {
		if (sc->verdict != V_NONE) {
			sc->lot[0] = '\0';
			clear_card(sc);
		}
		sc->verdict = V_NONE;
		sc->reason[0] = '\0';
	}
	snprintf(sc->mrn, sizeof sc->mrn, "%s", mrn);
	snprintf(sc->act.mrn, sizeof sc->act.mrn, "%s", mrn);
	snprintf(sc->who, sizeof sc->who, "%s", who != NULL ? who : "");
	if (sc->lot[0] != '\0')
		check(t, sc, true);
}

/* --- reading a scan --- */
enum { SCAN_ROWS = 32 };
struct scanned {
	int n;
	char what[SCAN_ROWS][32], value[SCAN_ROWS][64], detail[SCAN_ROWS][200];
};

static enum cd_status
scanned_row(void *ctx, const struct cd_row *row, struct cd_err *err)
{
	struct scanned *r = ctx;

	(void)err;
	if (r->n == SCAN_ROWS || row->n < 3)
		return CD_OK;
	snprintf(r->what[r->n], sizeof r->what[0], "%s", row->vals[0] != NULL ? row->vals[0] : "");
	snprintf(r->value[r->n], sizeof r->value[0], "%s", row->vals[1] != NULL ? row->vals[1] : "");
	snprintf(r->detail[r->n], sizeof r->detail[0], "%s", row->vals[2] != NULL ? row->vals[2] :
	    "");
	r->n++;
	return CD_OK;
}

/* A donation's lots (after its DIN); one is taken, several wait for the
 * product code. */
static void
take_donation(struct tui *t, struct scan *sc, const struct scanned *r, int from)
{
	int i, n = 0;

	sc->lots_of[0] = '\0';
	for (i = from; i < r->n; i++) {
		if (strcmp(r->what[i], "lot") != 0 || r->value[i][0] == '\0')
			continue;
		n++;
		if (strlen(sc->lots_of) + strlen(r->value[i]) + 3 < sizeof sc->lots_of)
			snprintf(sc->lots_of + strlen(sc->lots_of),
			    sizeof sc->lots_of - strlen(sc->lots_of), "%s%s", n > 1 ? ", " : "",
			    r->value[i]);
	}
	if (n == 0) {
		snprintf(sc->last, sizeof sc->last, "DIN %s: no lot of this donation is recorded"
		    " here", r->value[0]);
		sc->last_bad = true;
		return;
	}
	for (i = from; i < r->n && (strcmp(r->what[i], "lot") != 0 || r->value[i][0] == '\0'); i++)
		;
	if (n == 1) {
		snprintf(sc->last, sizeof sc->last, "DIN %s: lot %s", r->value[0], r->value[i]);
		take_lot(t, sc, r->value[i]);
		return;
	}
	snprintf(sc->donation, sizeof sc->donation, "%.13s", r->value[i]);
	snprintf(sc->last, sizeof sc->last, "DIN %s: this donation has %d lots (%s); scan the"
	    " product code or the lot's own label", r->value[0], n, sc->lots_of);
}

static int
submit(struct tui *t, struct scan *sc)
{
	struct scanned *r = xcalloc(1, sizeof *r);
	struct cd_err err;
	char text[FIELD_MAX * 4 + 1], code[96];
	enum cd_status st;

	snprintf(text, sizeof text, "%s", strbuf_str(&sc->field.text));
	tui_edit_set(&sc->field, NULL);
	sc->last_bad = false;
	if ((st = ops_scan(&t->ops, text, scanned_row, r, &err)) != CD_OK || r->n == 0) {
		snprintf(sc->last, sizeof sc->last, "Not read: %s", st != CD_OK ? err.msg :
		    "the scan names nothing celldesk knows");
		sc->last_bad = true;
	} else if (strcmp(r->what[0], "patient") == 0) {
		take_patient(t, sc, r->value[0], r->detail[0]);
		snprintf(sc->last, sizeof sc->last, "wristband %s", r->value[0]);
	} else if (strcmp(r->what[0], "lot") == 0) {
		snprintf(sc->last, sizeof sc->last, "lot %s", r->value[0]);
		take_lot(t, sc, r->value[0]);
	} else if (strcmp(r->what[0], "ISBT 128 DIN") == 0) {
		take_donation(t, sc, r, 1);
	} else if (strcmp(r->what[0], "ISBT 128 product code") == 0) {
		if (sc->donation[0] == '\0') {
			snprintf(sc->last, sizeof sc->last, "product code %s: scan the DIN first, or"
			    " the lot's own label", r->value[0]);
			sc->last_bad = true;
		} else {
			snprintf(code, sizeof code, "%s-%s", sc->donation, r->value[0]);
			if (strstr(sc->lots_of, code) == NULL) {
				snprintf(sc->last, sizeof sc->last, "product code %s: no lot %s of this"
				    " donation (it has %s)", r->value[0], code, sc->lots_of);
				sc->last_bad = true;
			} else {
				snprintf(sc->last, sizeof sc->last, "lot %s", code);
				take_lot(t, sc, code);
			}
		}
	} else {
		snprintf(sc->last, sizeof sc->last, "%s %s (%s): not a wristband or a lot",
		    r->what[0], r->value[0], r->detail[0]);
	}
	free(r);
	return REDRAW_LIST | REDRAW_STATUS;
}

/* --- keys --- */
static bool
is_enter(int key)
{
	return key == '\r' || key == '\n' || key == TUI_FN(KEY_ENTER);
}

/* A character a barcode celldesk reads may hold. */
static bool
scan_char(int c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
	    (c != 0 && strchr("-/.=<&>*: ", c) != NULL);
}

/* True when more of a barcode waits right behind this key (a scanner's
 * burst); the key found is put back for the loop to read. */
static bool
burst_follows(void)
{
	struct pollfd p = { STDIN_FILENO, POLLIN, 0 };
	wint_t wc;
	int r = wget_wch(stdscr, &wc);

	if (r == ERR && poll(&p, 1, BURST_MS) > 0)
		r = wget_wch(stdscr, &wc);
	if (r == ERR)
		return false;
	if (r == KEY_CODE_YES) {
		ungetch((int)wc);
		return false;
	}
	unget_wch((wchar_t)wc);
	return scan_char((int)wc);
}

/* While the field is empty: the letters that are commands now. */
static bool
command_now(const struct scan *sc, int key)
{
	switch (key) {
	case 'a':
		return sc->verdict != V_NONE;
	case 'r': case 'o': case 'c': case 's': case 'v': case 'i':
		return sc->lot[0] != '\0' && sc->mrn[0] == '\0';
	case 'q':
		return true;
	default:
		return false;
	}
}

static int
scan_key(struct tui *t, struct tui_screen *s, int key)
{
	struct scan *sc = of(s);
	bool empty = sc->field.text.len == 0, esc = sc->esc;

	/* Esc arms the digits only when it has nothing left to clear, so a
	 * wristband whose MRN starts with a digit may follow a start over. */
	sc->esc = key == TUI_ESC && empty && sc->mrn[0] == '\0' && sc->lot[0] == '\0' &&
	    sc->donation[0] == '\0';
	if (is_enter(key) || key == '\t')
		return empty ? -1 : submit(t, sc);
	if (key == TUI_ESC) {
		if (empty)
			return -1;
		tui_edit_set(&sc->field, NULL);
		return REDRAW_LIST;
	}
	if (empty) {
		if (key >= '0' && key <= '9' && esc && !burst_follows())
			return -1;
		if (key == '?' || key == ':' || key == TUI_CTRL('l'))
			return -1;
		if (command_now(sc, key) && !burst_follows())
			return -1;
	}
	switch (tui_edit_key(&sc->field, key)) {
	case EDIT_CHANGED:
	case EDIT_MOVED:
		return REDRAW_LIST;
	default:
		return -1;
	}
}

/* --- commands --- */
static int
cmd_administer(struct tui *t, struct tui_screen *s)
{
	struct scan *sc = of(s);

	if (sc->verdict != V_MATCH) {
		tui_message(t, false, "a gives the lot after a MATCH: scan the wristband, then the lot");
		return REDRAW_STATUS;
	}
	return tui_lot_act_administer(t, &sc->act);
}

static bool
has_lot(struct tui *t, struct scan *sc)
{
	if (sc->lot[0] != '\0')
		return true;
	tui_message(t, false, "scan a lot first");
	return false;
}

static int cmd_receive(struct tui *t, struct tui_screen *s) { return has_lot(t, of(s)) ? tui_lot_act_receive(t, &of(s)->act) : REDRAW_STATUS; }
static int cmd_store(struct tui *t, struct tui_screen *s) { return has_lot(t, of(s)) ? tui_lot_act_store(t, &of(s)->act) : REDRAW_STATUS; }
static int cmd_qc(struct tui *t, struct tui_screen *s) { return has_lot(t, of(s)) ? tui_lot_act_qc(t, &of(s)->act) : REDRAW_STATUS; }
static int cmd_release(struct tui *t, struct tui_screen *s) { return has_lot(t, of(s)) ? tui_lot_act_release(t, &of(s)->act) : REDRAW_STATUS; }
static int cmd_reserve(struct tui *t, struct tui_screen *s) { return has_lot(t, of(s)) ? tui_lot_act_reserve(t, &of(s)->act) : REDRAW_STATUS; }
static int cmd_issue(struct tui *t, struct tui_screen *s) { return has_lot(t, of(s)) ? tui_lot_act_issue(t, &of(s)->act) : REDRAW_STATUS; }

static int
cmd_open(struct tui *t, struct tui_screen *s)
{
	struct scan *sc = of(s);

	if (!has_lot(t, sc))
		return REDRAW_STATUS;
	tui_push(t, tui_lot_page_new(sc->lot));
	return REDRAW_ALL;
}

static int
cmd_start_over(struct tui *t, struct tui_screen *s)
{
	struct scan *sc = of(s);

	if (sc->mrn[0] == '\0' && sc->lot[0] == '\0' && sc->donation[0] == '\0') {
		tui_message(t, false, "nothing scanned yet; a digit now opens a tab");
		return REDRAW_STATUS;
	}
	forget(sc);
	snprintf(sc->last, sizeof sc->last, "started over");
	sc->last_bad = false;
	return REDRAW_LIST | REDRAW_STATUS;
}

static int
cmd_quit(struct tui *t, struct tui_screen *s)
{
	(void)t;
	(void)s;
	return QUIT;
}

static const struct tui_cmd scan_cmds[] = {
	{ { 'a', 0 }, "after MATCH: give the lot to the patient (asks first)", "a administer",
	    ACT_LOT_ADMINISTER, 0, cmd_administer },
	{ { '\r', '\n', TUI_FN(KEY_ENTER), 0 }, "with the field empty: open the scanned lot's page",
	    "Enter lot page", ACT_LOT_VIEW, 0, cmd_open },
	{ { 'r', 0 }, "a lot scanned alone: receive it into processing", NULL, ACT_LOT_MANAGE, 0,
	    cmd_receive },
	{ { 'o', 0 }, "a lot scanned alone: store it in quarantine", NULL, ACT_LOT_MANAGE, 0,
	    cmd_store },
	{ { 'c', 0 }, "a lot scanned alone: record QC results", NULL, ACT_LOT_MANAGE, 0, cmd_qc },
	{ { 's', 0 }, "a lot scanned alone: sign its release", NULL,
	    ACT_LOT_RELEASE, 0, cmd_release },
	{ { 'v', 0 }, "a lot scanned alone: reserve it for a visit", NULL,
	    ACT_LOT_RESERVE, 0, cmd_reserve },
	{ { 'i', 0 }, "a lot scanned alone: issue it for its visit", NULL, ACT_LOT_ISSUE, 0,
	    cmd_issue },
	{ { TUI_ESC, 0 }, "empty the field; then start over (forget the scans)", "Esc start over",
	    TUI_ACT_NONE, 0, cmd_start_over },
	{ { 'q', 0 }, "with the field empty: quit celldesk", "q quit", TUI_ACT_NONE, 0, cmd_quit },
	{ { 0 }, NULL, NULL, TUI_ACT_NONE, 0, NULL },
};

/* --- drawing --- */
/* Letters five cells tall, for the verdict. */
static const struct {
	char c;
	const char *rows[5];
} glyphs[] = {
	{ 'M', { "#   #", "## ##", "# # #", "#   #", "#   #" } },
	{ 'A', { " ### ", "#   #", "#####", "#   #", "#   #" } },
	{ 'T', { "#####", "  #  ", "  #  ", "  #  ", "  #  " } },
	{ 'C', { " ####", "#    ", "#    ", "#    ", " ####" } },
	{ 'H', { "#   #", "#   #", "#####", "#   #", "#   #" } },
	{ 'S', { " ####", "#    ", " ### ", "    #", "#### " } },
	{ 'O', { " ### ", "#   #", "#   #", "#   #", " ### " } },
	{ 'P', { "#### ", "#   #", "#### ", "#    ", "#    " } },
	{ 'G', { " ####", "#    ", "#  ##", "#   #", " ####" } },
	{ 'I', { "#####", "  #  ", "  #  ", "  #  ", "#####" } },
	{ 'V', { "#   #", "#   #", "#   #", " # # ", "  #  " } },
	{ 'E', { "#####", "#    ", "#### ", "#    ", "#####" } },
	{ 'N', { "#   #", "##  #", "# # #", "#  ##", "#   #" } },
};

/* Row r of word in big letters, blocks as "█". */
static void
big_row(struct strbuf *out, const char *word, int r)
{
	size_t i, g;
	const char *p;

	for (; *word != '\0'; word++) {
		for (g = 0; g < sizeof glyphs / sizeof glyphs[0] && glyphs[g].c != *word; g++)
			;
		if (g == sizeof glyphs / sizeof glyphs[0])
			continue;
		for (p = glyphs[g].rows[r], i = 0; p[i] != '\0'; i++)
			strbuf_adds(out, p[i] == '#' ? "\xE2\x96\x88" : " ");
		strbuf_adds(out, " ");
	}
}

/* The band: BAND_H lines in look, the word big on the left and lines
 * of text (raw) beside it. */
static void
draw_band(struct tui *t, int y, int w, enum tui_look look, const char *word,
    const char *const *text, int ntext)
{
	struct strbuf line = STRBUF_INIT;
	attr_t attr = tui_attr(t, look);
	int r, x, bw;

	for (r = 0; r < BAND_H; r++)
		tui_put(y + r, 0, w, attr, "");
	for (r = 0; r < 5; r++) {
		strbuf_reset(&line);
		big_row(&line, word, r);
		tui_put(y + 1 + r, 3, tui_width_safe(strbuf_str(&line)), attr, strbuf_str(&line));
	}
	strbuf_reset(&line);
	big_row(&line, word, 0);
	bw = tui_width_safe(strbuf_str(&line));
	x = 3 + bw + 3;
	for (r = 0; r < ntext && r < 5 && x < w - 4; r++) {
		strbuf_reset(&line);
		tui_fit(&line, text[r], w - x - 1, true);
		tui_put(y + 1 + r, x, w - x - 1, attr, strbuf_str(&line));
	}
	strbuf_free(&line);
}

/* "Label      raw value" at y; returns 1. */
static int
put_line(struct tui *t, int y, int w, const char *label, const char *raw, attr_t attr)
{
	struct strbuf b = STRBUF_INIT;

	tui_put(y, 0, w, A_NORMAL, "");
	tui_put(y, 1, LABEL_W, tui_attr(t, LOOK_LABEL), label);
	tui_fit(&b, raw, w - LABEL_W - 2, true);
	tui_put(y, 1 + LABEL_W, w - LABEL_W - 2, attr, strbuf_str(&b));
	strbuf_free(&b);
	return 1;
}

struct wrap_ctx {
	struct tui *t;
	int y, left, w;
	attr_t attr;
};

static void
wrap_line(void *ctx, const char *line)
{
	struct wrap_ctx *c = ctx;

	if (c->left <= 0)
		return;
	tui_put(c->y++, 1, c->w - 2, c->attr, line);
	c->left--;
}

static void
wrap_indented(void *ctx, const char *line)
{
	struct wrap_ctx *c = ctx;

	if (c->left <= 0)
		return;
	tui_put(c->y++, 1 + LABEL_W, c->w - 2, c->attr, line);
	c->left--;
}

/* Lines of raw text wrapped from y, at most n; returns the lines used. */
static int
put_wrapped(struct tui *t, int y, int n, int w, const char *raw, attr_t attr)
{
	struct wrap_ctx c = { t, y, n, w, attr };

	tui_wrap(raw, w - 2, wrap_line, &c);
	return n - c.left;
}

/* "Label      raw value" with the value wrapped to n lines at most;
 * returns the lines used. */
static int
put_field_wrapped(struct tui *t, int y, int n, int w, const char *label, const char *raw)
{
	struct wrap_ctx c = { t, y, n, w, A_NORMAL };

	tui_put(y, 1, LABEL_W, tui_attr(t, LOOK_LABEL), label);
	c.w = w - LABEL_W;
	tui_wrap(raw, w - LABEL_W - 2, wrap_indented, &c);
	return n - c.left > 0 ? n - c.left : 1;
}

static void
draw_card(struct tui *t, struct scan *sc, int y, int h, int w)
{
	struct strbuf b = STRBUF_INIT;
	const char *status = card(sc, "status"), *v;
	char left[32];
	int look, used = 0;

	if (h < 1)
		return;
	look = tui_lot_expiry(t, card(sc, "expires"), status, left, sizeof left);
	strbuf_addf(&b, "%s", status != NULL ? status : "?");
	if (strcmp(left, "expired") == 0)
		strbuf_adds(&b, " \xC2\xB7 EXPIRED");
	else if (left[0] != '\0')
		strbuf_addf(&b, " \xC2\xB7 expires in %s", left);
	used += put_line(t, y + used, w, "Status", strbuf_str(&b), look >= 0 ?
	    tui_attr(t, (enum tui_look)look) : A_BOLD);
	strbuf_reset(&b);
	strbuf_addf(&b, "%s, %s", card(sc, "kind") != NULL ? card(sc, "kind") : "?",
	    card(sc, "source") != NULL ? card(sc, "source") : "?");
	if ((v = card(sc, "patient")) != NULL)
		strbuf_addf(&b, " \xC2\xB7 patient %s %s", v, card(sc, "name") != NULL ?
		    card(sc, "name") : "");
	else if ((v = card(sc, "donor")) != NULL)
		strbuf_addf(&b, " \xC2\xB7 donor %s (%s)", v, card(sc, "eligibility") != NULL ?
		    card(sc, "eligibility") : "?");
	if (used < h)
		used += put_line(t, y + used, w, "Lot", strbuf_str(&b), A_NORMAL);
	if (used < h)
		used += put_line(t, y + used, w, "Location", card(sc, "location") != NULL ?
		    card(sc, "location") : "?", A_NORMAL);
	if (used < h)
		used += put_field_wrapped(t, y + used, h - used > 3 ? 3 : h - used, w, "QC",
		    sc->qc.len > 0 ? strbuf_str(&sc->qc) : "no limits set");
	if (used < h && (v = card(sc, "released_by")) != NULL) {
		strbuf_reset(&b);
		strbuf_addf(&b, "signed by %s", v);
		used += put_line(t, y + used, w, "Released", strbuf_str(&b), tui_attr(t, LOOK_OK));
	}
	if (used < h && (v = card(sc, "appointment")) != NULL) {
		strbuf_reset(&b);
		strbuf_addf(&b, "visit %s", v);
		used += put_line(t, y + used, w, "Reserved", strbuf_str(&b), A_NORMAL);
	}
	if (used < h) {
		strbuf_reset(&b);
		tui_lot_next_step(t, status != NULL ? status : "", &b);
		used += put_line(t, y + used, w, "Next step", strbuf_str(&b), A_BOLD);
	}
	strbuf_free(&b);
}

static void
draw_verdict(struct tui *t, struct scan *sc, int y, int h, int w)
{
	char l1[120], l2[120], l3[120], l4[220];
	const char *text[4] = { l1, l2, l3, l4 };
	int n = 0;

	snprintf(l2, sizeof l2, "lot %s", sc->lot);
	snprintf(l3, sizeof l3, "patient %s", sc->mrn);
	snprintf(l4, sizeof l4, "%s", sc->who);
	if (sc->verdict == V_MATCH) {
		snprintf(l1, sizeof l1, "MATCH: may be given now");
		snprintf(l4, sizeof l4, "%s", roles_may(t->ops.roles, ACT_LOT_ADMINISTER) ?
		    "a gives it (asks first)" : "a clinician gives it");
		draw_band(t, y, w, LOOK_MATCH, "MATCH", text, 4);
		n = BAND_H;
		if (h > n + 1)
			put_wrapped(t, y + n + 1, h - n - 1, w, sc->who, A_NORMAL);
	} else if (sc->verdict == V_GIVEN) {
		snprintf(l1, sizeof l1, "ADMINISTERED");
		snprintf(l3, sizeof l3, "to patient %s", sc->mrn);
		draw_band(t, y, w, LOOK_MATCH, "GIVEN", text, 4);
		n = BAND_H;
		if (h > n + 1)
			put_wrapped(t, y + n + 1, h - n - 1, w, "The lot is administered: its signature,"
			    " custody event and bedside check are recorded.", A_BOLD);
	} else {
		snprintf(l1, sizeof l1, "STOP: DO NOT GIVE");
		draw_band(t, y, w, LOOK_STOP, "STOP", text, 4);
		n = BAND_H;
		if (h > n + 1)
			put_wrapped(t, y + n + 1, h - n - 1, w, sc->reason, tui_attr(t, LOOK_BAD));
	}
}

static void
scan_draw(struct tui *t, struct tui_screen *s, int y, int h, int w)
{
	struct scan *sc = of(s);
	struct strbuf b = STRBUF_INIT;
	int row, x, line = 0;

	for (row = 0; row < h; row++)
		tui_put(y + row, 0, w, A_NORMAL, "");
	tui_put(y, 1, 6, tui_attr(t, LOOK_LABEL), "Scan:");
	tui_put(y, 7, w - 8, A_UNDERLINE, "");
	x = tui_edit_draw(&sc->field, y, 7, w - 8, A_UNDERLINE);
	if (!t->prompt.active && !t->confirm.active) {
		t->cursor_y = y;
		t->cursor_x = x;
	}
	line = 1;
	if (sc->last[0] != '\0') {
		strbuf_addf(&b, "Last scan: %s", sc->last);
		put_wrapped(t, y + line, 1, w, strbuf_str(&b), sc->last_bad ?
		    tui_attr(t, LOOK_BAD) : A_NORMAL);
		strbuf_reset(&b);
	} else {
		tui_put(y + line, 1, w - 2, tui_attr(t, LOOK_DIM), "Scan the wristband, then the"
		    " lot (by hand: type it, then Enter or Tab).");
	}
	line++;
	line++;
	if (sc->mrn[0] != '\0') {
		strbuf_addf(&b, "%s \xC2\xB7 %s", sc->mrn, sc->who);
		put_line(t, y + line++, w, "Patient", strbuf_str(&b), A_BOLD);
	} else {
		put_line(t, y + line++, w, "Patient", "\xE2\x80\x94 scan the wristband",
		    tui_attr(t, LOOK_DIM));
	}
	strbuf_reset(&b);
	if (sc->lot[0] != '\0') {
		strbuf_addf(&b, "%s \xC2\xB7 %s", sc->lot, card(sc, "status") != NULL ?
		    card(sc, "status") : "");
		put_line(t, y + line++, w, "Lot", strbuf_str(&b), A_BOLD);
	} else {
		put_line(t, y + line++, w, "Lot", sc->donation[0] != '\0' ?
		    "\xE2\x80\x94 scan the product code" : "\xE2\x80\x94 scan the lot",
		    tui_attr(t, LOOK_DIM));
	}
	strbuf_free(&b);
	line++;
	if (h - line < 2)
		return;
	if (sc->verdict != V_NONE)
		draw_verdict(t, sc, y + line, h - line, w);
	else if (sc->lot[0] != '\0')
		draw_card(t, sc, y + line, h - line, w);
}

/* --- the screen --- */
static int
scan_sync(struct tui *t, struct tui_screen *s)
{
	struct scan *sc = of(s);
	const char *status, *to;
	enum cd_status st;

	if (!sc->card_stale && !sc->recheck)
		return 0;
	if (sc->card_stale && sc->lot[0] != '\0') {
		clear_card(sc);
		st = ops_lot_show(&t->ops, sc->lot, copy_head, copy_qc, sc, &t->err);
		if (st != CD_OK && st != CD_REFUSED)
			tui_show_err(t);
	}
	sc->card_stale = false;
	status = card(sc, "status");
	to = card(sc, "recipient");
	/* Given to this patient (here, or by a colleague): that is what stands. */
	if (sc->verdict != V_NONE && status != NULL && strcmp(status, "administered") == 0 &&
	    to != NULL && strcmp(to, sc->mrn) == 0)
		sc->verdict = V_GIVEN;
	else if (sc->recheck && (sc->verdict == V_MATCH || sc->verdict == V_STOP))
		check(t, sc, false); /* shown again, not a new attempt */
	sc->recheck = false;
	return REDRAW_LIST | REDRAW_STATUS;
}

static void
scan_title(struct tui_screen *s, struct strbuf *out)
{
	(void)s;
	strbuf_adds(out, "scan");
}

static void
scan_info(struct tui *t, struct tui_screen *s, struct strbuf *out)
{
	struct scan *sc = of(s);

	if (t->prompt.active && sc->act.note[0] != '\0')
		strbuf_adds(out, sc->act.note);
	else if (sc->verdict == V_MATCH)
		strbuf_adds(out, "MATCH: the lot may be given to this patient now");
	else if (sc->verdict == V_STOP)
		strbuf_adds(out, "STOP: do not give this lot to this patient");
	else if (sc->verdict == V_GIVEN)
		strbuf_adds(out, "administered; scan the next wristband");
	else if (sc->lot[0] != '\0' && sc->mrn[0] == '\0')
		strbuf_adds(out, "the lot's card; scan a wristband to check it at the bedside");
	else
		strbuf_adds(out, "a scanner types into the field; Esc then a digit opens a tab");
}

static void
scan_invalidate(struct tui_screen *s)
{
	struct scan *sc = of(s);

	if (sc->lot[0] != '\0')
		sc->card_stale = true;
	sc->recheck = sc->verdict == V_MATCH || sc->verdict == V_STOP;
}

static void
scan_free(struct tui_screen *s)
{
	struct scan *sc = of(s);

	clear_card(sc);
	strbuf_free(&sc->qc);
	strbuf_free(&sc->field.text);
	free(sc);
}

const struct tui_screen_type tui_scan_type = {
	.name = "scan",
	.cmds = scan_cmds,
	.title = scan_title,
	.sync = scan_sync,
	.draw = scan_draw,
	.info = scan_info,
	.invalidate = scan_invalidate,
	.free = scan_free,
	.key = scan_key,
};

struct tui_screen *
tui_scan_new(struct tui *t)
{
	struct scan *sc = xcalloc(1, sizeof *sc);

	sc->base.type = &tui_scan_type;
	sc->t = t;
	sc->field.max = FIELD_MAX;
	tui_edit_set(&sc->field, NULL);
	return &sc->base;
}
