/* demo_lots.c - the demo's cell lots. Every site gets its storage units
 * (two LN2 tanks, a -80 freezer, a fridge, an incubator) with three days
 * of temperature readings; then, cycle by cycle, the lots of the treatment
 * calendar demo_schedule.c made, each with its chain of custody, QC
 * results, signatures and bedside checks, in the state its visits call
 * for; then each site's donor stock; last one open temperature excursion
 * whose lots are flagged.
 *
 * - Autologous cycles: each harvest that has taken place gives a lot of
 *   the patient's own cells (bone marrow, or adipose tissue for tendons).
 *   A harvest for several courses is divided into one aliquot per course
 *   (ISBT 128 divisions A0, B0, ...; the harvest itself is then discarded
 *   as "divided into aliquots"); a harvest for one course is one lot. The
 *   aliquot of a course done was administered at its visit; one for an
 *   injection in the next days is reserved or issued; later ones are
 *   released, or still in quarantine waiting for QC (a few fail
 *   sterility: their visits show in lot at-risk); a harvest of today is
 *   collected or in processing. The cells of a cancelled cycle are
 *   discarded, or kept a while for the patient and then discarded.
 * - Donor cycles: each site keeps a stream of donor units (mostly cord
 *   blood, some adult bone-marrow donors who give more than once), each
 *   divided into 4 to 8 aliquots handed out first come first served to
 *   the injections as they come; an aliquot now and then breaks on
 *   thawing, a unit now and then fails sterility.
 * - Donor stock at the end: units released and in stock, one waiting for
 *   its donor's eligibility, an ineligible donor's unit, a unit that
 *   failed sterility, units bought from a cord blood bank whose ten-year
 *   shelf life is about to end or has just ended (still on the shelf: the
 *   lab sees them in lot list --expiring-within 7d), and a unit that
 *   arrived this morning (collected) and one being processed.
 *
 * Lot numbers: ISBT 128 "DIN-PRODUCT" codes (each site's own facility
 * number; the product code S + 4 digits of the tissue, type of donation
 * 1 for autologous use only or V for a volunteer donor, the division),
 * except that Kyiv's lab used its local numbers ("KY-26-004211", aliquots
 * "KY-26-004211-B") until a while ago. No code holds a patient's MRN or a
 * word of the name (checked for every autologous lot).
 *
 * Custody: collected, received (into the fridge), a night at -80 in a
 * freezing container, stored (into a quarantine rack of LN2-1), released
 * (QC in limits, signed by the site's lab user) and moved to the released
 * stock in LN2-2, reserved by the front desk; then either thawed in the
 * lab (via the incubator) and issued to the clinician of the visit just
 * before it, or issued frozen up to two and a half days ahead and thawed
 * at the bedside; administered (signed, with its bedside check). A
 * harvest or donor unit goes to the clean room to be divided. Each tank
 * is serviced every 30 days, its lots moved to the other tank for a few
 * hours and back, so a lot kept for months collects many events: about
 * 12 a lot on average; the lots kept longest (cells of a cancelled cycle
 * kept for the patient) have 50 or more (SELECT lot_id, count(*) FROM
 * custody_events GROUP BY lot_id ORDER BY 2 DESC).
 *
 * Everything is timed from the ops clock in whole 5 minutes, like the
 * calendar, so the same seed and clock give the same lots; every row has
 * its audit record ("demo data"). The large demo gives lots to the cycles
 * of the last five years only (the network's lab began recording its lots
 * in celldesk then; older cycles have paper records): about 250,000 lots
 * and 3,000,000 custody events. Memory stays flat: one cycle and one lot
 * at a time. */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/localtime.h"
#include "../core/lot.h"
#include "../core/xalloc.h"
#include "demo.h"


#define MINUTE INT64_C(60)
#define HOUR INT64_C(3600)
#define DAY INT64_C(86400)

#define MAX_SITES 16
#define MAX_STAFF 96
#define MAX_RES_SEEN 256
#define MAX_VISITS 128
#define MAX_EVENTS 256
#define MAX_QC 8
#define MAX_POOL 8          /* adult donors a site calls back */
#define SERVICE_DAYS 30     /* each LN2 tank is serviced this often */
#define READING_HOURS 4     /* temperature readings kept every so many hours ... */
#define READING_DAYS 3      /* ... for the last so many days */

/* How much each scale makes. */
struct lscale {
	int lot_days;       /* cycles that began within so many days get lots (0: all) */
	int stock_units;    /* donor units released and in stock at each site */
	int bank_units;     /* cord blood bank units near or past their expiry, each kind */
	int local_days;     /* Kyiv's lots collected more than so many days ago have local codes */
};
static const struct lscale small_scale = { 0, 2, 1, 250 };
static const struct lscale large_scale = { 1826, 24, 4, 1100 };

enum { U_LN2_1, U_LN2_2, U_FREEZER, U_FRIDGE, U_INCUBATOR, N_UNITS };

static const struct {
	const char *name, *kind;
	double min_c, max_c, mean_c, spread_c;
	bool logged;        /* read by the monitoring system (csv), else entered by hand */
} units[N_UNITS] = {
	{ "LN2-1", "ln2-tank", -196, -150, -191, 3, true },
	{ "LN2-2", "ln2-tank", -196, -150, -189, 3, true },
	{ "Freezer-80", "freezer", -90, -70, -80, 2, true },
	{ "Fridge-1", "fridge", 2, 8, 4.5, 1.2, false },
	{ "Incubator-1", "incubator", 36, 38, 37, 0.3, false },
};

/* Each site's ISBT 128 facility number, local code prefix ("": none)
 * and the demo staff who work its lab, front desk and procedure room. */
static const struct {
	const char *site, *facility, *local, *lab, *desk, *clinician;
} site_people[] = {
	{ "Kyiv", "K0441", "KY", "ishevchenko", "okovalenko", "amelnyk" },
	{ "Berlin", "B1067", "", "mschaefer", "kbauer", "jgross" },
	{ "New York", "N1001", "", "rpatel", "ewalker", "dchen" },
};
#define BANK_FACILITY "E7741"
#define BANK_PLACE "cord blood bank E7741"
#define LAB_SYNC "lab-sync"  /* the microbiology lab's results and the tank monitors */

/* Product description codes (invented) and quantities per tissue. */
static const struct {
	const char *source, *code;
	double ml_lo, ml_hi, cells_lo, cells_hi, viability_lo;
} products[] = {
	{ "bone-marrow", "S1141", 60, 120, 2e8, 9e8, 76 },
	{ "adipose", "S1342", 20, 45, 5e7, 3e8, 76 },
	{ "cord-blood", "S1520", 20, 30, 5e8, 2e9, 86 },
};
#define N_PRODUCTS (sizeof products / sizeof products[0])
static const char *const storages[] = { "fresh", "cryopreserved", "thawed" };

static const char *const ineligible_reasons[] = { "donor ineligible: reactive HBsAg test",
	"donor ineligible: reactive anti-HCV test", "donor ineligible: travel deferral" };

struct staffer {
	char user[64], name[128], roles[64];
};

/* A place a lot can be: a unit of its site (with a position), a person's
 * hands, the site itself (a procedure room, the clean room), or outside
 * the clinic. */
struct lplace {
	int unit;           /* index into units; -1: none */
	char pos[24];
	char holder[64];
	const char *outside;
};

struct lev {
	int64_t at;
	const char *actor, *event;
	struct lplace from, to;
	bool has_from;
	double temp;
	char note[128];
};

struct lqc {
	int64_t at;
	const char *actor, *test, *text;
	double value;
};

struct lsig {
	int64_t at;
	const char *meaning;
	const struct staffer *who;
};

struct lsite;

/* The lot being made, written in one go by lot_write. */
struct lgen {
	struct lsite *s;
	struct db_lot l;
	struct lplace p;        /* where it is now */
	int64_t last;           /* its newest event */
	const char *bad;        /* why its history cannot be (a bug in this file) */
	int nev, nqc, nsig;
	struct lev ev[MAX_EVENTS];
	struct lqc qc[MAX_QC];
	struct lsig sig[2];
	bool bedside;
	int64_t bedside_at, bedside_appt;
	const struct staffer *bedside_by;
	char bedside_patient[64];
};

/* When a batch of lots made together (a harvest's aliquots, a donor
 * unit's) goes through the lab. */
struct sched {
	int64_t made, received, qc, frozen, stored, micro, release;
	bool fail;              /* sterility positive */
	bool hold;              /* never released (the donor is not eligible) */
};

/* A donor unit being handed out at a site. */
struct dunit {
	bool open;
	int64_t parent_id;
	char din[14], local[24]; /* local: the local code base, or "" */
	char parent_code[40], coi[40], donor[40], status[12];
	int source;             /* index into products */
	int k, next;            /* aliquots, and the next to hand out */
	double ml, cells;
	struct sched sc;
};

struct lsite {
	int64_t id;
	char name[128], tz[64];
	char facility[6], local[4];
	int64_t unit[N_UNITS];
	int64_t service0[2];    /* each tank's first service */
	const struct staffer *lab, *desk, *clin;
	unsigned seq[100], lseq[100]; /* by two-digit year */
	struct dunit cur;
	char pool[MAX_POOL][20];
	int npool;
	int64_t in_unit[N_UNITS], unit_last[N_UNITS]; /* lots in stock there, newest event */
};

struct cinfo {
	int64_t id, patient_id, cancel_t;
	struct lsite *s;
	char mrn[64], name[256], source[16], status[16];
	int courses, source_ix;
	int nv;
	struct db_appt *v;
};

/* The clinician of each visit of the cycle in hand. */
struct cinfo_clin {
	const struct staffer *of[MAX_VISITS];
};

struct lctx {
	struct ops *o;
	const char *now_text;
	int64_t now;
	uint64_t *rng;
	const struct lscale *sc;
	int64_t hours[N_PRODUCTS][3];
	struct staffer staff[MAX_STAFF];
	int nstaff;
	struct lsite site[MAX_SITES];
	unsigned nsites;
	struct { int64_t res; int staff; } seen[MAX_RES_SEEN];
	int nseen;
	const int64_t *pt_id;
	const char *const *pt_cond;
	int64_t npts;
	unsigned donor_seq[100], bank_seq[100];
	struct lgen *g;
	struct db_appt *visits;
	struct cinfo_clin cc;
};

/* --- random numbers --- */

static int64_t
rnd(struct lctx *c, int64_t lo, int64_t hi)
{
	return lo + (int64_t)(demo_rng_next(c->rng) % (uint64_t)(hi - lo + 1));
}

static double
rndf(struct lctx *c, double lo, double hi)
{
	return lo + (hi - lo) * (double)(demo_rng_next(c->rng) >> 11) / 9007199254740992.0;
}

static bool
chance(struct lctx *c, unsigned percent)
{
	return demo_rng_below(c->rng, 100) < percent;
}

/* x to one decimal, the same on every machine. */
static double
tenth(double x)
{
	return (double)(int64_t)(x * 10 + (x < 0 ? -0.5 : 0.5)) / 10;
}

static bool
due(const struct lctx *c, int64_t t)
{
	return t <= c->now;
}

/* --- places --- */

static void
place_text(const struct lsite *s, const struct lplace *p, char *buf, size_t n)
{
	if (p->outside != NULL)
		snprintf(buf, n, "%s", p->outside);
	else if (p->holder[0] != '\0')
		snprintf(buf, n, "%s (held by %s)", s->name, p->holder);
	else if (p->unit >= 0)
		snprintf(buf, n, "%s/%s%s%s", s->name, units[p->unit].name, p->pos[0] ? "/" : "",
		    p->pos);
	else
		snprintf(buf, n, "%s", s->name);
}

static struct lplace
at_site(void)
{
	struct lplace p;

	memset(&p, 0, sizeof p);
	p.unit = -1;
	return p;
}

/* Rack, box and position in a unit: rack letter R (stock), Q
 * (quarantine) or T (a service's temporary rack). */
static struct lplace
in_unit(struct lctx *c, int unit, char rack)
{
	struct lplace p = at_site();
	unsigned r, b, row, col;

	p.unit = unit;
	if (rack == '\0')
		return p;
	/* one draw at a time: the order of a call's arguments is the compiler's */
	r = (unsigned)rnd(c, 1, 6);
	b = (unsigned)rnd(c, 1, 20);
	row = (unsigned)rnd(c, 0, 8);
	col = (unsigned)rnd(c, 1, 9);
	snprintf(p.pos, sizeof p.pos, "%c%u/B%02u/%c%u", rack, r, b, (char)('A' + row), col);
	return p;
}

/* --- a lot's history --- */

static void
add_event(struct lctx *c, struct lgen *g, int64_t at, const char *actor, const char *event,
    const struct lplace *to, double temp, const char *note)
{
	struct lev *e;

	if (at < g->last)
		g->bad = "its events are out of order";
	if (at > c->now)
		g->bad = "it has an event after now";
	if (g->nev == MAX_EVENTS) {
		g->bad = "it has too many events";
		return;
	}
	e = &g->ev[g->nev++];
	e->at = at;
	e->actor = actor;
	e->event = event;
	e->from = g->p;
	e->has_from = strcmp(event, "collected") != 0;
	if (to != NULL)
		g->p = *to;
	e->to = g->p;
	e->temp = temp;
	snprintf(e->note, sizeof e->note, "%s", note != NULL ? note : "");
	g->last = at;
}

/* The services of the tank the lot is in, from its last event until
 * (not including) until: out to the other tank and back. */
static void
services(struct lctx *c, struct lgen *g, int64_t until)
{
	struct lsite *s = g->s;
	struct lplace home, away;
	int64_t period = SERVICE_DAYS * DAY, t, back;
	int tank = g->p.unit;
	char note[64];

	if ((tank != U_LN2_1 && tank != U_LN2_2) || g->p.holder[0] != '\0' || g->bad != NULL ||
	    strcmp(g->l.status, "discarded") == 0 || strcmp(g->l.status, "administered") == 0)
		return;
	t = s->service0[tank];
	if (t <= g->last)
		t += ((g->last - t) / period + 1) * period;
	for (; t + 6 * HOUR < until && t + 6 * HOUR <= c->now &&
	    g->nev < MAX_EVENTS - 24; t += period) {
		home = g->p;
		away = in_unit(c, tank == U_LN2_1 ? U_LN2_2 : U_LN2_1, 'T');
		snprintf(note, sizeof note, "%s serviced", units[tank].name);
		add_event(c, g, t, g->s->lab->user, "transferred", &away, tenth(rndf(c, -193, -186)),
		    note);
		back = t + 6 * HOUR - rnd(c, 0, 40) * MINUTE;
		add_event(c, g, back, g->s->lab->user, "transferred", &home,
		    tenth(rndf(c, -193, -186)), "back after the service");
	}
}

static void
ev(struct lctx *c, struct lgen *g, int64_t at, const char *actor, const char *event,
    const struct lplace *to, double temp, const char *note)
{
	services(c, g, at);
	add_event(c, g, at, actor, event, to, temp, note);
}

static void
qc(struct lgen *g, int64_t at, const char *actor, const char *test, const char *text,
    double value)
{
	struct lqc *q;

	if (g->nqc == MAX_QC) {
		g->bad = "it has too many QC results";
		return;
	}
	q = &g->qc[g->nqc++];
	q->at = at;
	q->actor = actor;
	q->test = test;
	q->text = text;
	q->value = value;
	if (text == NULL && strcmp(test, "viability") == 0)
		g->l.viability = value;
	if (text == NULL && strcmp(test, "cell-count") == 0)
		g->l.cell_count = value;
}

static void
sign(struct lgen *g, int64_t at, const char *meaning, const struct staffer *who)
{
	if (g->nsig == 2) {
		g->bad = "it has too many signatures";
		return;
	}
	g->sig[g->nsig].at = at;
	g->sig[g->nsig].meaning = meaning;
	g->sig[g->nsig].who = who;
	g->nsig++;
}

static void
set_status(struct lgen *g, const char *status)
{
	snprintf(g->l.status, sizeof g->l.status, "%s", status);
}

/* A new lot at site s; the caller fills in whose cells and the code. */
static void
lot_new(struct lgen *g, struct lsite *s, const char *kind, int source)
{
	memset(g, 0, sizeof *g);
	g->s = s;
	g->p = at_site();
	g->l.site_id = s->id;
	g->l.volume_ml = g->l.cell_count = g->l.viability = NAN;
	snprintf(g->l.kind, sizeof g->l.kind, "%s", kind);
	snprintf(g->l.source, sizeof g->l.source, "%s", products[source].source);
	snprintf(g->l.storage, sizeof g->l.storage, "fresh");
	set_status(g, "collected");
}

static int
product_of(const struct lgen *g)
{
	size_t i;

	for (i = 0; i < N_PRODUCTS; i++) {
		if (strcmp(products[i].source, g->l.source) == 0)
			return (int)i;
	}
	return 0;
}

static void
set_expiry(struct lctx *c, struct lgen *g, int64_t from, int storage)
{
	utc_format(from + c->hours[product_of(g)][storage] * HOUR, g->l.expires_at);
}

/* Collected at t (the expiry from the rule for fresh cells unless the
 * caller set one). */
static void
g_collect(struct lctx *c, struct lgen *g, int64_t t, const char *actor, const char *outside,
    const char *note)
{
	struct lplace p = at_site();

	p.outside = outside;
	utc_format(t, g->l.collected_at);
	if (g->l.expires_at[0] == '\0')
		set_expiry(c, g, t, 0);
	ev(c, g, t, actor, "collected", &p, NAN, note);
}

static void
g_receive(struct lctx *c, struct lgen *g, int64_t t, int unit)
{
	struct lplace p = in_unit(c, unit, '\0');

	set_status(g, "in-processing");
	ev(c, g, t, g->s->lab->user, "received", &p,
	    unit == U_FRIDGE ? tenth(rndf(c, 3.5, 6)) : tenth(rndf(c, -193, -186)), NULL);
}

/* Frozen into a quarantine rack of LN2-1: cryopreserved cells keep from
 * the day they are frozen. */
static void
g_store(struct lctx *c, struct lgen *g, int64_t t)
{
	struct lplace p = in_unit(c, U_LN2_1, 'Q');

	if (strcmp(g->l.storage, "fresh") == 0) {
		set_expiry(c, g, t, 1);
		snprintf(g->l.storage, sizeof g->l.storage, "cryopreserved");
	}
	set_status(g, "quarantine");
	ev(c, g, t, g->s->lab->user, "stored", &p, tenth(rndf(c, -193, -186)), NULL);
}

static void
g_release(struct lctx *c, struct lgen *g, int64_t t)
{
	struct lplace p;
	int64_t moved = t + rnd(c, 10, 40) * MINUTE;

	set_status(g, "released");
	ev(c, g, t, g->s->lab->user, "released", NULL, NAN, NULL);
	sign(g, t, "released", g->s->lab);
	if (due(c, moved)) {
		p = in_unit(c, U_LN2_2, 'R');
		ev(c, g, moved, g->s->lab->user, "transferred", &p, tenth(rndf(c, -193, -186)),
		    "to the released stock");
	}
}

/* Out of the fridge to be counted and divided. */
static void
to_clean_room(struct lctx *c, struct lgen *g, int64_t t)
{
	struct lplace p = at_site();

	ev(c, g, t, g->s->lab->user, "transferred", &p, tenth(rndf(c, 19, 23)),
	    "to the clean room for processing");
}

static void
g_discard(struct lctx *c, struct lgen *g, int64_t t, const char *reason)
{
	set_status(g, "discarded");
	snprintf(g->l.reason, sizeof g->l.reason, "%s", reason);
	g->l.appointment_id = 0;
	ev(c, g, t, g->s->lab->user, "discarded", NULL, NAN, reason);
}

/* --- writing --- */

static enum cd_status
audit(struct lctx *c, const char *table, int64_t id, const char *key, struct cd_err *err)
{
	return ops_audit_change(c->o, c->now_text, "insert", table, id, key, NULL, "demo data",
	    err);
}

/* Writes the lot made in g with everything recorded about it; *id its
 * row (may be NULL). */
static enum cd_status
lot_write(struct lctx *c, struct lgen *g, int64_t *out, struct cd_err *err)
{
	struct db *db = c->o->db;
	struct lsite *s = g->s;
	struct db_custody e;
	struct db_bedside b;
	struct db_lot ins;
	char at[21], from[DB_LOCATION_MAX], to[DB_LOCATION_MAX];
	bool later, stock;
	int64_t id, rid;
	enum cd_status st;
	int i;

	services(c, g, c->now + 1);
	if (g->bad != NULL)
		return cd_fail(err, CD_EDATA, "demo lot %s cannot be: %s", g->l.code, g->bad);
	g->l.unit_id = g->p.unit >= 0 ? s->unit[g->p.unit] : 0;
	snprintf(g->l.position, sizeof g->l.position, "%s", g->p.pos);
	snprintf(g->l.holder, sizeof g->l.holder, "%s", g->p.holder);
	/* A lot's visit and recipient are written by update, as when the
	 * lab reserves and the clinician administers. */
	ins = g->l;
	later = strcmp(g->l.status, "reserved") == 0 || strcmp(g->l.status, "issued") == 0 ||
	    strcmp(g->l.status, "administered") == 0;
	if (later)
		snprintf(ins.status, sizeof ins.status, "released");
	if ((st = db_lot_insert(db, &ins, c->now_text, &id, err)) != CD_OK)
		return st;
	g->l.id = id;
	if (later && (st = db_lot_update(db, &g->l, c->now_text, err)) != CD_OK)
		return st;
	if ((st = audit(c, "lots", id, g->l.code, err)) != CD_OK)
		return st;
	for (i = 0; i < g->nev; i++) {
		const struct lev *x = &g->ev[i];

		utc_format(x->at, at);
		place_text(s, &x->from, from, sizeof from);
		place_text(s, &x->to, to, sizeof to);
		memset(&e, 0, sizeof e);
		e.lot_id = id;
		e.at = at;
		e.actor = x->actor;
		e.event = x->event;
		e.from = x->has_from ? from : NULL;
		e.to = to;
		e.temp_c = x->temp;
		e.note = x->note;
		if ((st = db_custody_insert(db, &e, &rid, err)) != CD_OK ||
		    (st = audit(c, "custody_events", rid, g->l.code, err)) != CD_OK)
			return st;
	}
	for (i = 0; i < g->nqc; i++) {
		utc_format(g->qc[i].at, at);
		if ((st = db_qc_insert(db, id, g->qc[i].test, g->qc[i].text, g->qc[i].value, at,
		    g->qc[i].actor, &rid, err)) != CD_OK ||
		    (st = audit(c, "qc_results", rid, g->l.code, err)) != CD_OK)
			return st;
	}
	for (i = 0; i < g->nsig; i++) {
		utc_format(g->sig[i].at, at);
		if ((st = db_signature_insert(db, id, g->sig[i].meaning, g->sig[i].who->user,
		    g->sig[i].who->name, at, &rid, err)) != CD_OK ||
		    (st = audit(c, "signatures", rid, g->l.code, err)) != CD_OK)
			return st;
	}
	if (g->bedside) {
		utc_format(g->bedside_at, at);
		memset(&b, 0, sizeof b);
		b.at = at;
		b.actor = g->bedside_by->user;
		b.lot_text = g->l.code;
		b.lot_id = id;
		b.patient_text = g->bedside_patient;
		b.appointment_id = g->bedside_appt;
		b.outcome = "administered";
		if ((st = db_bedside_insert(db, &b, &rid, err)) != CD_OK ||
		    (st = audit(c, "bedside_checks", rid, g->l.code, err)) != CD_OK)
			return st;
	}
	/* What is kept where, for choosing the excursion's unit. */
	stock = strcmp(g->l.status, "administered") != 0 && strcmp(g->l.status, "discarded") != 0;
	if (stock && g->p.unit >= 0 && g->p.holder[0] == '\0') {
		s->in_unit[g->p.unit]++;
		if (g->last > s->unit_last[g->p.unit])
			s->unit_last[g->p.unit] = g->last;
	}
	if (out != NULL)
		*out = id;
	return CD_OK;
}

/* --- lot numbers --- */

static int
year_of(int64_t t)
{
	struct cd_date d;

	date_from_days(t / DAY, &d);
	return d.year;
}

/* A new number for a lot collected at t at site s (NULL: the cord blood
 * bank): an ISBT 128 DIN into din, or a local code into local when the
 * site still used its own then. */
static void
new_number(struct lctx *c, struct lsite *s, int64_t t, char din[14], char local[24])
{
	int yy = year_of(t) % 100;
	char buf[48];

	din[0] = local[0] = '\0';
	if (s != NULL && s->local[0] != '\0' && t < c->now - c->sc->local_days * DAY) {
		snprintf(buf, sizeof buf, "%s-%02d-%06u", s->local, yy, ++s->lseq[yy] % 1000000);
		snprintf(local, 24, "%.23s", buf);
		return;
	}
	if (s == NULL)
		snprintf(buf, sizeof buf, "%s%02d%06u", BANK_FACILITY, yy, ++c->bank_seq[yy] % 1000000);
	else
		snprintf(buf, sizeof buf, "%s%02d%06u", s->facility, yy, ++s->seq[yy] % 1000000);
	snprintf(din, 14, "%.13s", buf);
}

/* g's code: division div (0: the whole lot, 1: A0, 2: B0 ...) of that
 * number; type is ISBT 128's type of donation (1: for autologous use
 * only, V: volunteer allogeneic donor). */
static void
set_code(struct lgen *g, const char *din, const char *local, char type, int div)
{
	char d = div == 0 ? '0' : (char)('A' + div - 1);

	if (local[0] != '\0') {
		if (div == 0)
			snprintf(g->l.code, sizeof g->l.code, "%s", local);
		else
			snprintf(g->l.code, sizeof g->l.code, "%s-%c", local, d);
		return;
	}
	snprintf(g->l.din, sizeof g->l.din, "%s", din);
	snprintf(g->l.product_code, sizeof g->l.product_code, "%.5s%c%c0",
	    products[product_of(g)].code, type, d);
	snprintf(g->l.code, sizeof g->l.code, "%s-%s", g->l.din, g->l.product_code);
}

static void
set_amount(struct lgen *g, double ml, double cells)
{
	g->l.volume_ml = tenth(ml);
	g->l.cell_count = (double)(int64_t)(cells / 1e5) * 1e5;
}

/* --- a batch through the lab --- */

/* Times for lots made at `made`, released lo to hi days after they are
 * frozen, and at least a day before `need` (0: no visit waits). */
static void
sched_make(struct lctx *c, struct sched *x, int64_t made, int64_t need, int lo, int hi)
{
	memset(x, 0, sizeof *x);
	x->made = made;
	x->received = made + rnd(c, 10, 40) * MINUTE;
	x->qc = x->received + rnd(c, 40, 120) * MINUTE;
	x->frozen = x->qc + rnd(c, 20, 60) * MINUTE;
	x->stored = x->frozen + rnd(c, 14 * 60, 18 * 60) * MINUTE;
	x->release = x->stored + rnd(c, lo * 24 * 60, hi * 24 * 60 + 59) * MINUTE;
	if (need != 0 && x->release > need - DAY) {
		x->release = need - DAY - rnd(c, 0, 6 * 60) * MINUTE;
		if (x->release < x->stored + 2 * DAY)
			x->release = x->stored + 2 * DAY;
	}
	x->micro = x->release - rnd(c, 60, 240) * MINUTE;
}

/* Lot g, made at x->made + off minutes by who (at outside, NULL: the
 * site), through the lab: received into the fridge, viability and
 * endotoxin, frozen overnight at -80 and stored into quarantine in the
 * morning, sterility and mycoplasma from the microbiology lab, released.
 * True when it is released by now. */
static bool
process(struct lctx *c, struct lgen *g, const struct sched *x, int off, const char *who,
    const char *outside, const char *note)
{
	const char *lab = g->s->lab->user;
	int64_t o = off * MINUTE, t;
	struct lplace p;

	g_collect(c, g, x->made + o, who, outside, note);
	if (!due(c, x->received + o))
		return false;
	g_receive(c, g, x->received + o, U_FRIDGE);
	if (!due(c, x->qc + o))
		return false;
	qc(g, x->qc + o, lab, "viability", NULL,
	    tenth(rndf(c, products[product_of(g)].viability_lo, 98)));
	qc(g, x->qc + o, lab, "endotoxin", NULL,
	    (double)(int64_t)(rndf(c, 0.05, 0.35) * 100 + 0.5) / 100);
	if (!due(c, x->frozen + o))
		return false;
	p = in_unit(c, U_FREEZER, '\0');
	ev(c, g, x->frozen + o, lab, "transferred", &p, tenth(rndf(c, -82, -78)),
	    "frozen overnight in a freezing container");
	if (!due(c, x->stored + o))
		return false;
	g_store(c, g, x->stored + o);
	if (!due(c, x->micro + o))
		return false;
	qc(g, x->micro + o, LAB_SYNC, "sterility", x->fail ? "positive" : "negative", NAN);
	qc(g, x->micro + o, LAB_SYNC, "mycoplasma", "negative", NAN);
	if (x->fail) {
		t = x->micro + o + rnd(c, 60, 20 * 60) * MINUTE;
		if (due(c, t))
			g_discard(c, g, t, "failed sterility");
		return false;
	}
	if (x->hold || !due(c, x->release + o))
		return false;
	g_release(c, g, x->release + o);
	return true;
}

/* --- lots meet visits --- */

/* Whether visit v has its lot set aside by now: a visit that took place
 * or is under way, one in the next three days, most in the next two
 * weeks. */
static bool
wanted(struct lctx *c, const struct db_appt *v)
{
	int64_t d;

	if (strcmp(v->status, "done") == 0 || strcmp(v->status, "checked-in") == 0)
		return true;
	if (strcmp(v->status, "booked") != 0)
		return false;
	d = v->start - c->now;
	return d <= 3 * DAY || (d <= 14 * DAY && chance(c, 60));
}

static bool
cancelled(const struct db_appt *v)
{
	return strncmp(v->status, "cancelled", 9) == 0 || strcmp(v->status, "no-show") == 0;
}

/* A released lot of a cancelled cycle: discarded soon, or kept a while
 * for the patient. */
static void
leftover(struct lctx *c, struct lgen *g, int64_t cancel_t)
{
	int64_t t;

	if (cancel_t == 0)
		return;
	t = (cancel_t > g->last ? cancel_t : g->last) + rnd(c, 24 * 60, 20 * 24 * 60 + 8 * 60) *
	    MINUTE;
	if (chance(c, 50)) {
		if (due(c, t))
			g_discard(c, g, t, "treatment cancelled: the patient's cells are no longer needed");
		return;
	}
	t += rnd(c, 100, 800) * DAY;
	if (due(c, t))
		g_discard(c, g, t, "kept for the patient after the cancelled treatment, then"
		    " discarded at their request");
}

/* Thawed at t: thawed cells keep hours, never longer than the lot. */
static void
g_thaw(struct lctx *c, struct lgen *g, int64_t t, const char *actor)
{
	char until[21];

	utc_format(t + c->hours[product_of(g)][2] * HOUR, until);
	if (strcmp(until, g->l.expires_at) < 0)
		memcpy(g->l.expires_at, until, sizeof until);
	snprintf(g->l.storage, sizeof g->l.storage, "thawed");
	ev(c, g, t, actor, "thawed", NULL, tenth(rndf(c, 36.8, 37.2)), NULL);
}

/* Released lot g goes to visit v of cycle ci (clinician clin), each
 * step as far as the clock has come: reserved by the front desk, then
 * either thawed in the lab and issued to the clinician just before the
 * visit, or issued frozen (in the injection room's dry shipper) up to
 * two and a half days ahead and thawed at the bedside; administered. not_before
 * (0: none) is when a lot that broke on thawing was thrown away;
 * damaged: this one breaks. */
static void
to_visit(struct lctx *c, struct lgen *g, const struct cinfo *ci, const struct db_appt *v,
    const struct staffer *clin, int64_t not_before, bool damaged)
{
	const char *lab = g->s->lab->user;
	bool ahead = not_before == 0 && !damaged && chance(c, 50);
	struct lplace p, held = at_site();
	int64_t res, next, move, issue, thaw, given, room;
	char note[128];

	snprintf(held.holder, sizeof held.holder, "%s", clin->user);
	move = v->start - 45 * MINUTE;
	issue = ahead ? v->start - rnd(c, 2 * 60, 60 * 60) * MINUTE : v->start - 20 * MINUTE;
	if (ahead && issue < g->last + 2 * HOUR)
		issue = g->last + 2 * HOUR;
	if (ahead && issue > v->start - 60 * MINUTE) {
		ahead = false; /* released too late to go ahead */
		issue = v->start - 20 * MINUTE;
	}
	next = ahead ? issue : move;
	res = v->start - rnd(c, 24 * 60, 6 * 24 * 60 + 59) * MINUTE;
	if (res >= next)
		res = next - rnd(c, 30, 300) * MINUTE;
	if (not_before != 0) {
		res = not_before + MINUTE;
		next = move = res + 2 * MINUTE;
		issue = move + 15 * MINUTE;
	}
	if (res > c->now)
		res = c->now - rnd(c, 5, 600) * MINUTE;
	if (res <= g->last)
		res = g->last + ((next < c->now ? next : c->now) - g->last) / 2;
	if (res <= g->last || res >= next || !due(c, res))
		return; /* released only just now: reserved later */
	g->l.appointment_id = v->id;
	set_status(g, "reserved");
	ev(c, g, res, g->s->desk->user, "reserved", NULL, NAN, NULL);
	if (ahead) {
		if (!due(c, issue))
			return;
		set_status(g, "issued");
		ev(c, g, issue, lab, "issued", &held, NAN, "frozen, in the injection room's dry shipper");
		thaw = v->start - 20 * MINUTE;
		if (!due(c, thaw))
			return;
		g_thaw(c, g, thaw, clin->user);
	} else {
		if (!due(c, move))
			return;
		p = in_unit(c, U_INCUBATOR, '\0');
		snprintf(note, sizeof note, "thawing for visit %lld", (long long)v->id);
		ev(c, g, move, lab, "transferred", &p, tenth(rndf(c, 36.8, 37.2)), note);
		thaw = move + 10 * MINUTE;
		if (!due(c, thaw))
			return;
		g_thaw(c, g, thaw, lab);
		if (damaged) {
			g_discard(c, g, thaw + rnd(c, 2, 6) * MINUTE, "damaged bag: cracked on thawing");
			return;
		}
		if (issue < thaw + 3 * MINUTE)
			issue = thaw + 3 * MINUTE;
		if (!due(c, issue))
			return;
		set_status(g, "issued");
		ev(c, g, issue, lab, "issued", &held, NAN, NULL);
	}
	room = (v->end - v->start) / MINUTE - 5;
	given = v->start + rnd(c, 5, room > 30 ? 30 : room > 5 ? room : 5) * MINUTE;
	if (given < g->last + 2 * MINUTE)
		given = g->last + 2 * MINUTE;
	if (!due(c, given))
		return;
	p = at_site();
	set_status(g, "administered");
	g->l.recipient_id = ci->patient_id;
	snprintf(note, sizeof note, "given to patient %s", ci->mrn);
	ev(c, g, given, clin->user, "administered", &p, NAN, note);
	sign(g, given, "administered", clin);
	g->bedside = true;
	g->bedside_at = given;
	g->bedside_by = clin;
	g->bedside_appt = v->id;
	snprintf(g->bedside_patient, sizeof g->bedside_patient, "%s", ci->mrn);
}

/* --- autologous cycles --- */

static enum cd_status
check_code(const struct cinfo *ci, const struct lgen *g, struct cd_err *err)
{
	if (lot_code_names_patient(g->l.code, ci->mrn, ci->name))
		return cd_fail(err, CD_EDATA, "demo lot %s would name its patient", g->l.code);
	return CD_OK;
}

static const struct db_appt *
injection(const struct cinfo *ci, int course)
{
	int i;

	for (i = 0; i < ci->nv; i++) {
		if (ci->v[i].course == course && strcmp(ci->v[i].step, "injection") == 0)
			return &ci->v[i];
	}
	return NULL;
}

/* The patient's own cells for the injections of a visit's courses. */
struct harvest {
	const struct staffer *clin;
	int course[16], n;
};

/* A released lot of the cycle meets the injection of its course. */
static void
own_fate(struct lctx *c, struct lgen *g, const struct cinfo *ci,
    const struct cinfo_clin *cc, int course)
{
	const struct db_appt *v = injection(ci, course);

	if (v == NULL || cancelled(v))
		leftover(c, g, ci->cancel_t);
	else if (wanted(c, v))
		to_visit(c, g, ci, v, cc->of[v - ci->v], 0, false);
}

static void
own_lot(struct lgen *g, const struct cinfo *ci)
{
	lot_new(g, ci->s, "autologous", ci->source_ix);
	g->l.patient_id = ci->patient_id;
	g->l.cycle_id = ci->id;
	snprintf(g->l.coi, sizeof g->l.coi, "COI-C%06lld", (long long)ci->id);
}

static enum cd_status
harvest_lots(struct lctx *c, const struct cinfo *ci, const struct cinfo_clin *cc,
    const struct harvest *h, int64_t tc, struct cd_err *err)
{
	struct lsite *s = ci->s;
	struct lgen *g = c->g;
	const struct db_appt *first = injection(ci, h->course[0]);
	int64_t need = first != NULL && !cancelled(first) ? first->start : 0, pid, rcv, div;
	char din[14], local[24], parent[40], note[96], reason[64];
	double ml, cells;
	struct sched x;
	bool fail = need > c->now && chance(c, 3);
	enum cd_status st;
	int j, p = ci->source_ix;

	new_number(c, s, tc, din, local);
	ml = rndf(c, products[p].ml_lo, products[p].ml_hi);
	cells = rndf(c, products[p].cells_lo, products[p].cells_hi);
	if (h->n == 1) {
		sched_make(c, &x, tc, need, 3, 4);
		x.fail = fail;
		own_lot(g, ci);
		set_code(g, din, local, '1', 0);
		set_amount(g, ml, cells);
		if ((st = check_code(ci, g, err)) != CD_OK)
			return st;
		if (process(c, g, &x, 0, h->clin->user, NULL, NULL))
			own_fate(c, g, ci, cc, h->course[0]);
		return lot_write(c, g, NULL, err);
	}
	/* A harvest for several courses is counted and divided the same day. */
	own_lot(g, ci);
	set_code(g, din, local, '1', 0);
	set_amount(g, ml, cells);
	if ((st = check_code(ci, g, err)) != CD_OK)
		return st;
	g_collect(c, g, tc, h->clin->user, NULL, NULL);
	rcv = tc + rnd(c, 30, 75) * MINUTE;
	div = rcv + rnd(c, 180, 300) * MINUTE;
	if (due(c, rcv))
		g_receive(c, g, rcv, U_FRIDGE);
	if (due(c, div - 60 * MINUTE))
		to_clean_room(c, g, div - 60 * MINUTE);
	if (due(c, div - 20 * MINUTE)) {
		qc(g, div - 20 * MINUTE, s->lab->user, "viability",
		    NULL, tenth(rndf(c, products[p].viability_lo, 98)));
		qc(g, div - 20 * MINUTE, s->lab->user, "cell-count", NULL, g->l.cell_count);
	}
	snprintf(reason, sizeof reason, "divided into aliquots A0 to %c0", 'A' + h->n - 1);
	if (due(c, div))
		g_discard(c, g, div, reason);
	snprintf(parent, sizeof parent, "%s", g->l.code);
	if ((st = lot_write(c, g, &pid, err)) != CD_OK || !due(c, div))
		return st;
	sched_make(c, &x, div, need, 3, 4);
	x.fail = fail;
	for (j = 0; j < h->n; j++) {
		own_lot(g, ci);
		g->l.parent_id = pid;
		set_code(g, din, local, '1', j + 1);
		set_amount(g, ml / h->n, cells / h->n);
		if ((st = check_code(ci, g, err)) != CD_OK)
			return st;
		snprintf(note, sizeof note, "aliquot %c0 of %s", 'A' + j, parent);
		if (process(c, g, &x, j, s->lab->user, NULL, note))
			own_fate(c, g, ci, cc, h->course[j]);
		if ((st = lot_write(c, g, NULL, err)) != CD_OK)
			return st;
	}
	return CD_OK;
}

static enum cd_status
autologous_cycle(struct lctx *c, const struct cinfo *ci, const struct cinfo_clin *cc,
    struct cd_err *err)
{
	struct harvest h;
	enum cd_status st;
	int64_t tc;
	int i, k;

	for (i = 0; i < ci->nv; i++) {
		const struct db_appt *v = &ci->v[i];

		if (strcmp(v->step, "harvest") != 0 || (strcmp(v->status, "done") != 0 &&
		    strcmp(v->status, "checked-in") != 0))
			continue;
		tc = v->start + (v->end - v->start) * 3 / 4;
		if (!due(c, tc))
			continue; /* under way */
		memset(&h, 0, sizeof h);
		h.clin = cc->of[i];
		if (v->course > 0)
			h.course[h.n++] = v->course;
		for (k = 1; v->course == 0 && k <= ci->courses && k <= 16; k++)
			h.course[h.n++] = k;
		if (h.n > 0 && (st = harvest_lots(c, ci, cc, &h, tc, err)) != CD_OK)
			return st;
	}
	return CD_OK;
}

/* --- donor units --- */

static void
donor_code(struct lctx *c, struct lsite *s, int source, int64_t t, char out[40])
{
	int yy = year_of(t) % 100;

	if (strcmp(products[source].source, "bone-marrow") == 0 && s != NULL &&
	    s->npool == MAX_POOL && chance(c, 60)) {
		snprintf(out, 40, "%s", s->pool[demo_rng_below(c->rng, MAX_POOL)]);
		return;
	}
	snprintf(out, 40, "D-%04d-%05u", year_of(t), ++c->donor_seq[yy]);
	if (strcmp(products[source].source, "bone-marrow") == 0 && s != NULL) {
		if (s->npool < MAX_POOL)
			snprintf(s->pool[s->npool++], sizeof s->pool[0], "%s", out);
		else
			snprintf(s->pool[demo_rng_below(c->rng, MAX_POOL)], sizeof s->pool[0], "%s", out);
	}
}

static void
donor_lot(struct lgen *g, struct lsite *s, const struct dunit *u)
{
	lot_new(g, s, "donor", u->source);
	snprintf(g->l.donor_code, sizeof g->l.donor_code, "%s", u->donor);
	snprintf(g->l.donor_status, sizeof g->l.donor_status, "%s", u->status);
	snprintf(g->l.coi, sizeof g->l.coi, "%s", u->coi);
}

/* A donor unit collected at `made` (cord blood at a partner maternity
 * ward, or an adult donor's bone marrow) for k aliquots: the unit is
 * counted and divided the same day; the aliquots go through the lab
 * together and are released once the donor is found eligible. */
static enum cd_status
unit_open(struct lctx *c, struct lsite *s, struct dunit *u, int64_t made, const char *status,
    bool fail, int k, struct cd_err *err)
{
	struct lgen *g = c->g;
	int64_t rcv, div;
	char reason[64];

	memset(u, 0, sizeof *u);
	u->source = chance(c, 85) ? 2 : 0;
	u->k = k;
	snprintf(u->status, sizeof u->status, "%s", status);
	donor_code(c, s, u->source, made, u->donor);
	new_number(c, s, made, u->din, u->local);
	snprintf(u->coi, sizeof u->coi, "COI-%s", u->din[0] != '\0' ? u->din : u->local);
	u->ml = rndf(c, products[u->source].ml_lo, products[u->source].ml_hi) * k / 2;
	u->cells = rndf(c, products[u->source].cells_lo, products[u->source].cells_hi) * k / 2;
	donor_lot(g, s, u);
	set_code(g, u->din, u->local, 'V', 0);
	set_amount(g, u->ml, u->cells);
	g_collect(c, g, made, s->lab->user, NULL, NULL);
	rcv = made + rnd(c, 60, 300) * MINUTE;
	div = rcv + rnd(c, 120, 360) * MINUTE;
	g_receive(c, g, rcv, U_FRIDGE);
	to_clean_room(c, g, div - 60 * MINUTE);
	qc(g, div - 20 * MINUTE, s->lab->user, "viability", NULL,
	    tenth(rndf(c, products[u->source].viability_lo, 98)));
	qc(g, div - 20 * MINUTE, s->lab->user, "cell-count", NULL, g->l.cell_count);
	snprintf(reason, sizeof reason, "divided into aliquots A0 to %c0", 'A' + k - 1);
	g_discard(c, g, div, reason);
	snprintf(u->parent_code, sizeof u->parent_code, "%s", g->l.code);
	sched_make(c, &u->sc, div, 0, 8, 16);
	u->sc.fail = fail;
	u->sc.hold = strcmp(status, "eligible") != 0;
	u->open = true;
	return lot_write(c, g, &u->parent_id, err);
}

/* Aliquot j of unit u, for visit v of cycle ci (v NULL: it stays in
 * stock). *last: its newest event. */
static enum cd_status
unit_aliquot(struct lctx *c, struct lsite *s, struct dunit *u, int j, const struct cinfo *ci,
    const struct db_appt *v, const struct staffer *clin, int64_t not_before, bool damaged,
    int64_t *last, struct cd_err *err)
{
	struct lgen *g = c->g;
	char note[96];
	int64_t t;

	donor_lot(g, s, u);
	g->l.parent_id = u->parent_id;
	set_code(g, u->din, u->local, 'V', j + 1);
	set_amount(g, u->ml / u->k, u->cells / u->k);
	snprintf(note, sizeof note, "aliquot %c0 of %s", 'A' + j, u->parent_code);
	if (process(c, g, &u->sc, j, s->lab->user, NULL, note) && v != NULL)
		to_visit(c, g, ci, v, clin, not_before, damaged);
	/* An ineligible donor's aliquots are thrown away as the lab gets to
	 * them: some are still waiting. */
	t = g->last + rnd(c, 1, 3) * DAY;
	if (strcmp(u->status, "ineligible") == 0 && j < u->k / 2 &&
	    strcmp(g->l.status, "quarantine") == 0 && due(c, t))
		g_discard(c, g, t, DEMO_PICK(c->rng, ineligible_reasons));
	if (last != NULL)
		*last = g->last;
	return lot_write(c, g, NULL, err);
}

/* The unit's aliquots nobody took: in stock. */
static enum cd_status
unit_close(struct lctx *c, struct lsite *s, struct dunit *u, struct cd_err *err)
{
	enum cd_status st;

	for (; u->open && u->next < u->k; u->next++) {
		if ((st = unit_aliquot(c, s, u, u->next, NULL, NULL, NULL, 0, false, NULL, err)) !=
		    CD_OK)
			return st;
	}
	u->open = false;
	return CD_OK;
}

/* The next aliquot at the site for visit v; a new unit when the one in
 * use is all handed out or would not be released in time. */
static enum cd_status
donor_for(struct lctx *c, const struct cinfo *ci, const struct db_appt *v,
    const struct staffer *clin, int64_t not_before, bool damaged, int64_t *last,
    struct cd_err *err)
{
	struct lsite *s = ci->s;
	struct dunit *u = &s->cur;
	enum cd_status st;
	int64_t made;
	bool fail;
	int tries, k;

	for (tries = 0; !u->open || u->next == u->k || u->sc.release > v->start - DAY ||
	    u->sc.release > c->now || u->sc.fail; tries++) {
		if (tries == 20)
			return cd_fail(err, CD_EDATA, "the demo finds no donor unit for visit %lld",
			    (long long)v->id);
		made = v->start - rnd(c, 60, 240) * DAY;
		fail = chance(c, 3);
		k = (int)rnd(c, 4, 8);
		if ((st = unit_close(c, s, u, err)) != CD_OK ||
		    (st = unit_open(c, s, u, made, "eligible", fail, k, err)) != CD_OK)
			return st;
	}
	return unit_aliquot(c, s, u, u->next++, ci, v, clin, not_before, damaged, last, err);
}

static enum cd_status
donor_cycle(struct lctx *c, const struct cinfo *ci, const struct cinfo_clin *cc,
    struct cd_err *err)
{
	enum cd_status st;
	int64_t broke;
	int i;

	for (i = 0; i < ci->nv; i++) {
		const struct db_appt *v = &ci->v[i];

		if (strcmp(v->step, "injection") != 0 || !wanted(c, v))
			continue;
		broke = 0;
		/* Now and then a bag cracks on thawing and the next is taken. */
		if (strcmp(v->status, "done") == 0 && chance(c, 2) &&
		    (st = donor_for(c, ci, v, cc->of[i], 0, true, &broke, err)) != CD_OK)
			return st;
		if ((st = donor_for(c, ci, v, cc->of[i], broke, false, NULL, err)) != CD_OK)
			return st;
	}
	return CD_OK;
}

/* --- the donor stock at the end --- */

/* A unit bought from a cord blood bank, frozen there years ago, that
 * expires at `expires`; discarded some days later when asked. */
static enum cd_status
bank_unit(struct lctx *c, struct lsite *s, int64_t expires, bool discard, struct cd_err *err)
{
	struct lgen *g = c->g;
	struct dunit u;
	int64_t made = expires - c->hours[2][1] * HOUR, rcv, rel, t;
	double ml, cells;
	char local[24];

	memset(&u, 0, sizeof u);
	u.source = 2;
	snprintf(u.status, sizeof u.status, "eligible");
	donor_code(c, NULL, 2, made, u.donor);
	new_number(c, NULL, made, u.din, local);
	snprintf(u.coi, sizeof u.coi, "COI-%s", u.din);
	donor_lot(g, s, &u);
	set_code(g, u.din, "", 'V', 0);
	ml = rndf(c, 20, 30);
	cells = rndf(c, 8e8, 2e9);
	set_amount(g, ml, cells);
	snprintf(g->l.storage, sizeof g->l.storage, "cryopreserved");
	utc_format(expires, g->l.expires_at);
	rcv = (expires < c->now ? expires : c->now) - rnd(c, 60 * 24 * 60, 400 * 24 * 60 + 600) *
	    MINUTE;
	g_collect(c, g, made, s->lab->user, BANK_PLACE, "collected and frozen by the bank");
	g_receive(c, g, rcv, U_LN2_1);
	qc(g, rcv + 2 * HOUR, s->lab->user, "viability", NULL, tenth(rndf(c, 86, 96)));
	qc(g, rcv + 2 * HOUR, s->lab->user, "endotoxin", NULL,
	    (double)(int64_t)(rndf(c, 0.05, 0.3) * 100 + 0.5) / 100);
	g_store(c, g, rcv + 3 * HOUR);
	rel = rcv + rnd(c, 3, 10) * DAY;
	qc(g, rel - 3 * HOUR, LAB_SYNC, "sterility", "negative", NAN);
	qc(g, rel - 3 * HOUR, LAB_SYNC, "mycoplasma", "negative", NAN);
	g_release(c, g, rel);
	t = expires + rnd(c, 1, 7) * DAY;
	if (discard && due(c, t))
		g_discard(c, g, t, "expired");
	return lot_write(c, g, NULL, err);
}

/* A cord blood unit that arrived today, not yet divided: collected at
 * `made`, received when rcv is not 0. */
static enum cd_status
fresh_unit(struct lctx *c, struct lsite *s, int64_t made, int64_t rcv, struct cd_err *err)
{
	struct lgen *g = c->g;
	struct dunit u;
	double ml, cells;

	memset(&u, 0, sizeof u);
	u.source = 2;
	snprintf(u.status, sizeof u.status, "pending");
	donor_code(c, s, 2, made, u.donor);
	new_number(c, s, made, u.din, u.local);
	snprintf(u.coi, sizeof u.coi, "COI-%s", u.din[0] != '\0' ? u.din : u.local);
	donor_lot(g, s, &u);
	set_code(g, u.din, u.local, 'V', 0);
	ml = rndf(c, 60, 120);
	cells = rndf(c, 1e9, 3e9);
	set_amount(g, ml, cells);
	g_collect(c, g, made, s->lab->user, NULL, NULL);
	if (rcv != 0)
		g_receive(c, g, rcv, U_FRIDGE);
	return lot_write(c, g, NULL, err);
}

/* A unit made `ago` days back, all its aliquots in stock (or wherever
 * its donor's eligibility and its QC leave them). */
static enum cd_status
stock_unit(struct lctx *c, struct lsite *s, int64_t ago, const char *status, bool fail,
    struct cd_err *err)
{
	struct dunit u;
	enum cd_status st;
	int k = (int)rnd(c, 4, 8);

	if ((st = unit_open(c, s, &u, c->now - ago * DAY - rnd(c, 0, 12 * 60) * MINUTE, status,
	    fail, k, err)) != CD_OK)
		return st;
	return unit_close(c, s, &u, err);
}

static enum cd_status
site_stock(struct lctx *c, struct lsite *s, struct cd_err *err)
{
	enum cd_status st = CD_OK;
	int64_t made, rcv;
	int i;

	if ((st = unit_close(c, s, &s->cur, err)) != CD_OK)
		return st;
	for (i = 0; st == CD_OK && i < c->sc->stock_units; i++)
		st = stock_unit(c, s, rnd(c, 20, 200), "eligible", false, err);
	/* waiting for the donor's eligibility; an ineligible donor's; one
	 * that failed sterility */
	for (i = 0; st == CD_OK && i < 1 + c->sc->stock_units / 12; i++) {
		if ((st = stock_unit(c, s, rnd(c, 6, 12), "pending", false, err)) != CD_OK ||
		    (st = stock_unit(c, s, rnd(c, 14, 40), "ineligible", false, err)) != CD_OK)
			return st;
		st = stock_unit(c, s, rnd(c, 20, 60), "eligible", true, err);
	}
	/* a bank's units at the end of their ten years: some days left,
	 * just expired and still on the shelf, expired and discarded */
	for (i = 0; st == CD_OK && i < c->sc->bank_units; i++) {
		if ((st = bank_unit(c, s, c->now + rnd(c, 24, 6 * 24) * HOUR, false, err)) != CD_OK ||
		    (st = bank_unit(c, s, c->now - rnd(c, 6, 72) * HOUR, false, err)) != CD_OK)
			return st;
		st = bank_unit(c, s, c->now - rnd(c, 20, 60) * DAY, true, err);
	}
	if (st != CD_OK ||
	    (st = fresh_unit(c, s, c->now - rnd(c, 10, 50) * MINUTE, 0, err)) != CD_OK)
		return st;
	made = c->now - rnd(c, 180, 420) * MINUTE;
	rcv = c->now - rnd(c, 60, 150) * MINUTE;
	return fresh_unit(c, s, made, rcv, err);
}

/* --- storage units and temperatures --- */

static enum cd_status
site_storage(struct lctx *c, struct lsite *s, struct cd_err *err)
{
	const int per_day = 24 / READING_HOURS;
	char key[200], at[21];
	int64_t first = c->now - c->now % (READING_HOURS * HOUR), id, phase;
	double recorded;
	enum cd_status st;
	int u, k;

	for (u = 0; u < N_UNITS; u++) {
		snprintf(key, sizeof key, "%s/%s", s->name, units[u].name);
		if ((st = db_storage_insert(c->o->db, s->id, units[u].name, units[u].kind,
		    units[u].min_c, units[u].max_c, c->now_text, &s->unit[u], err)) != CD_OK ||
		    (st = audit(c, "storage_units", s->unit[u], key, err)) != CD_OK)
			return st;
		for (k = READING_DAYS * per_day - 1; k >= 0; k--) {
			utc_format(first - k * READING_HOURS * HOUR, at);
			if ((st = db_storage_reading_insert(c->o->db, s->unit[u], at,
			    tenth(units[u].mean_c + rndf(c, -units[u].spread_c, units[u].spread_c)),
			    units[u].logged ? LAB_SYNC : s->lab->user,
			    units[u].logged ? "csv" : "entered", false, &id, &recorded, err)) != CD_OK)
				return st;
			if (id != 0 && (st = audit(c, "temperature_readings", id, key, err)) != CD_OK)
				return st;
		}
	}
	/* The tanks' services, a fortnight apart, from long before the first lot. */
	phase = rnd(c, 0, SERVICE_DAYS - 1) * DAY;
	phase += rnd(c, 7 * 60, 10 * 60) * MINUTE;
	s->service0[0] = (c->now / DAY - 20 * 365) * DAY + phase;
	s->service0[1] = s->service0[0] + SERVICE_DAYS / 2 * DAY + rnd(c, 0, 3) * HOUR;
	return CD_OK;
}

/* One reading out of range at a fridge, a while after its lots' last
 * events, with no corrective action yet: every lot there is flagged,
 * with a custody event, as celldesk storage reading would do. */
static enum cd_status
open_excursion(struct lctx *c, struct cd_err *err)
{
	struct db_storage_lot *lots = NULL;
	struct db_custody e;
	struct lsite *s = NULL;
	char at[21], note[128], why[300], key[200], place[DB_LOCATION_MAX], *old;
	int64_t t = 0, rid, cid;
	double temp, recorded;
	enum cd_status st;
	size_t n = 0, i;
	unsigned k;

	for (k = 0; k < c->nsites && s == NULL; k++) {
		s = &c->site[(k + 1) % c->nsites];
		t = s->unit_last[U_FRIDGE] + rnd(c, 5, 30) * MINUTE;
		if (s->in_unit[U_FRIDGE] == 0 || t > c->now - 5 * MINUTE)
			s = NULL;
	}
	if (s == NULL)
		return CD_OK;
	if (t % (READING_HOURS * HOUR) == 0)
		t += MINUTE;
	utc_format(t, at);
	temp = tenth(units[U_FRIDGE].max_c + rndf(c, 2.5, 5));
	snprintf(key, sizeof key, "%s/%s", s->name, units[U_FRIDGE].name);
	if ((st = db_storage_reading_insert(c->o->db, s->unit[U_FRIDGE], at, temp, s->lab->user,
	    "entered", true, &rid, &recorded, err)) != CD_OK)
		return st;
	if (rid == 0)
		return cd_fail(err, CD_EDATA, "the demo's excursion at %s clashes with a reading", key);
	if ((st = audit(c, "temperature_readings", rid, key, err)) != CD_OK ||
	    (st = db_storage_lots_in(c->o->db, s->unit[U_FRIDGE], &lots, &n, err)) != CD_OK)
		return st;
	snprintf(note, sizeof note, "outside %g..%g \xC2\xB0""C (reading %lld)",
	    units[U_FRIDGE].min_c, units[U_FRIDGE].max_c, (long long)rid);
	snprintf(why, sizeof why, "temperature excursion: %s read %.1f \xC2\xB0""C (reading %lld)",
	    key, temp, (long long)rid);
	for (i = 0; i < n && st == CD_OK; i++) {
		old = NULL;
		if ((st = db_snapshot(c->o->db, "lots", lots[i].id, &old, err)) == CD_OK &&
		    (st = db_storage_flag_lot(c->o->db, lots[i].id, rid, c->now_text, err)) == CD_OK) {
			st = ops_audit_change(c->o, c->now_text, "update", "lots", lots[i].id,
			    lots[i].code, old, why, err);
			old = NULL;
		}
		free(old);
		if (st == CD_OK)
			st = db_lot_location(c->o->db, lots[i].id, place, sizeof place, err);
		if (st == CD_OK) {
			memset(&e, 0, sizeof e);
			e.lot_id = lots[i].id;
			e.at = at;
			e.actor = s->lab->user;
			e.event = "temperature-excursion";
			e.to = place;
			e.temp_c = temp;
			e.note = note;
			st = db_custody_insert(c->o->db, &e, &cid, err);
		}
		if (st == CD_OK)
			st = audit(c, "custody_events", cid, lots[i].code, err);
	}
	free(lots);
	return st;
}

/* --- staff and sites --- */

static enum cd_status
take_staff(void *ctx, const struct cd_row *row, struct cd_err *err)
{
	struct lctx *c = ctx;
	struct staffer *x;
	int i;

	(void)err;
	if (c->nstaff == MAX_STAFF)
		return CD_OK;
	x = &c->staff[c->nstaff++];
	memset(x, 0, sizeof *x);
	for (i = 0; i < row->n; i++) {
		const char *v = row->vals[i] != NULL ? row->vals[i] : "";

		if (strcmp(row->keys[i], "user") == 0)
			snprintf(x->user, sizeof x->user, "%s", v);
		else if (strcmp(row->keys[i], "name") == 0)
			snprintf(x->name, sizeof x->name, "%s", v);
		else if (strcmp(row->keys[i], "roles") == 0)
			snprintf(x->roles, sizeof x->roles, "%s", v);
		else if (strcmp(row->keys[i], "active") == 0 && strcmp(v, "yes") != 0)
			c->nstaff--; /* only who works here now */
	}
	return CD_OK;
}

/* The staff member called user, else the first holding role. */
static const struct staffer *
staff_pick(const struct lctx *c, const char *user, const char *role)
{
	int i;

	for (i = 0; user != NULL && i < c->nstaff; i++) {
		if (strcmp(c->staff[i].user, user) == 0)
			return &c->staff[i];
	}
	for (i = 0; i < c->nstaff; i++) {
		if (strstr(c->staff[i].roles, role) != NULL)
			return &c->staff[i];
	}
	return NULL;
}

static enum cd_status
site_setup(struct lctx *c, struct lsite *s, int64_t id, unsigned ix, struct cd_err *err)
{
	struct db_site ds;
	enum cd_status st;
	size_t i;

	if ((st = db_site_get(c->o->db, id, &ds, err)) != CD_OK)
		return st;
	s->id = id;
	snprintf(s->name, sizeof s->name, "%s", ds.name);
	snprintf(s->tz, sizeof s->tz, "%s", ds.tz);
	snprintf(s->facility, sizeof s->facility, "F%04u", ix + 1);
	for (i = 0; i < sizeof site_people / sizeof site_people[0]; i++) {
		if (strcmp(site_people[i].site, s->name) != 0)
			continue;
		snprintf(s->facility, sizeof s->facility, "%.5s", site_people[i].facility);
		snprintf(s->local, sizeof s->local, "%.3s", site_people[i].local);
		s->lab = staff_pick(c, site_people[i].lab, "lab");
		s->desk = staff_pick(c, site_people[i].desk, "frontdesk");
		s->clin = staff_pick(c, site_people[i].clinician, "clinician");
	}
	if (s->lab == NULL)
		s->lab = staff_pick(c, NULL, "lab");
	if (s->desk == NULL)
		s->desk = staff_pick(c, NULL, "frontdesk");
	if (s->clin == NULL)
		s->clin = staff_pick(c, NULL, "clinician");
	if (s->lab == NULL || s->desk == NULL || s->clin == NULL)
		return cd_fail(err, CD_EDATA, "the demo needs a lab user, a front desk and a"
		    " clinician for %s's lots", s->name);
	return CD_OK;
}

/* The clinician among a visit's resources (the staff member of that
 * name), else the site's. */
static enum cd_status
clinician_of(struct lctx *c, const struct lsite *s, const struct db_appt *v,
    const struct staffer **out, struct cd_err *err)
{
	char name[128];
	enum cd_status st;
	int i, j, k;

	*out = s->clin;
	for (i = 0; i < v->nres; i++) {
		for (j = 0; j < c->nseen && c->seen[j].res != v->res[i]; j++)
			;
		if (j == c->nseen) {
			if ((st = db_resource_name(c->o->db, v->res[i], name, sizeof name, err)) !=
			    CD_OK)
				return st;
			for (k = 0; k < c->nstaff && (strcmp(c->staff[k].name, name) != 0 ||
			    strstr(c->staff[k].roles, "clinician") == NULL); k++)
				;
			if (j == MAX_RES_SEEN) {
				if (k < c->nstaff) {
					*out = &c->staff[k];
					return CD_OK;
				}
				continue;
			}
			c->seen[j].res = v->res[i];
			c->seen[j].staff = k < c->nstaff ? k : -1;
			c->nseen++;
		}
		if (c->seen[j].staff >= 0) {
			*out = &c->staff[c->seen[j].staff];
			return CD_OK;
		}
	}
	return CD_OK;
}

/* --- cycle by cycle --- */

struct ids {
	int64_t *v;
	size_t n, cap;
};

static enum cd_status
take_id(void *ctx, const struct cd_row *row, struct cd_err *err)
{
	struct ids *x = ctx;
	int i;

	(void)err;
	for (i = 0; i < row->n; i++) {
		if (strcmp(row->keys[i], "id") != 0 || row->vals[i] == NULL)
			continue;
		if (x->n == x->cap) {
			x->cap = x->cap ? 2 * x->cap : 1024;
			x->v = xrealloc(x->v, x->cap * sizeof *x->v);
		}
		x->v[x->n++] = strtoll(row->vals[i], NULL, 10);
	}
	return CD_OK;
}

static enum cd_status
take_cycle(void *ctx, const struct cd_row *row, struct cd_err *err)
{
	struct cinfo *ci = ctx;
	int i;

	(void)err;
	for (i = 0; i < row->n; i++) {
		const char *k = row->keys[i], *v = row->vals[i] != NULL ? row->vals[i] : "";

		if (strcmp(k, "patient") == 0)
			snprintf(ci->mrn, sizeof ci->mrn, "%s", v);
		else if (strcmp(k, "name") == 0)
			snprintf(ci->name, sizeof ci->name, "%s", v);
		else if (strcmp(k, "source") == 0)
			snprintf(ci->source, sizeof ci->source, "%s", v);
		else if (strcmp(k, "status") == 0)
			snprintf(ci->status, sizeof ci->status, "%s", v);
		else if (strcmp(k, "courses") == 0)
			ci->courses = (int)strtol(v, NULL, 10); /* a column of the database */
	}
	return CD_OK;
}

/* The patient's condition, as demo.c gave it. */
static const char *
condition_of(const struct lctx *c, int64_t patient_id)
{
	int64_t lo = 0, hi = c->npts - 1, mid;

	while (lo <= hi) {
		mid = lo + (hi - lo) / 2;
		if (c->pt_id[mid] == patient_id)
			return c->pt_cond[mid];
		if (c->pt_id[mid] < patient_id)
			lo = mid + 1;
		else
			hi = mid - 1;
	}
	return "";
}

/* When cycle ci was called off: after its last visit that took place,
 * before its first visit cancelled by the clinic. */
static int64_t
cancel_time(struct lctx *c, const struct cinfo *ci)
{
	int64_t last = 0, first = 0, t;
	int i;

	for (i = 0; i < ci->nv; i++) {
		const struct db_appt *v = &ci->v[i];

		if (strcmp(v->status, "cancelled-by-clinic") == 0 && (first == 0 || v->start < first))
			first = v->start;
		else if (!cancelled(v) && strcmp(v->status, "booked") != 0 && v->end > last)
			last = v->end;
	}
	if (first == 0)
		first = c->now;
	if (last == 0)
		last = first - 2 * DAY;
	t = last + rnd(c, 1, 3) * DAY;
	if (t >= first)
		t = last + (first - last) / 2;
	return t < c->now ? t : c->now;
}

static enum cd_status
cycle_lots(struct lctx *c, int64_t id, struct cd_err *err)
{
	struct cinfo_clin *cc = &c->cc;
	struct cinfo ci;
	const char *cond;
	enum cd_status st;
	int64_t found;
	unsigned k;
	int i;

	memset(&ci, 0, sizeof ci);
	ci.id = id;
	ci.v = c->visits;
	if ((st = db_cycle_show(c->o->db, id, take_cycle, &ci, &found, err)) != CD_OK ||
	    found == 0 ||
	    (st = db_appt_of_cycle(c->o->db, id, ci.v, MAX_VISITS, &ci.nv, err)) != CD_OK ||
	    ci.nv == 0)
		return st;
	for (k = 0; k < c->nsites && c->site[k].id != ci.v[0].site_id; k++)
		;
	if (k == c->nsites || (c->sc->lot_days > 0 &&
	    ci.v[0].start < c->now - c->sc->lot_days * DAY))
		return CD_OK;
	ci.s = &c->site[k];
	ci.patient_id = ci.v[0].patient_id;
	if (strcmp(ci.status, "cancelled") == 0)
		ci.cancel_t = cancel_time(c, &ci);
	cond = condition_of(c, ci.patient_id);
	/* the patient's own cells: bone marrow, for tendons fat */
	ci.source_ix = strstr(cond, "tendin") != NULL || strstr(cond, "rotator") != NULL ||
	    strstr(cond, "elbow") != NULL ? 1 : 0;
	for (i = 0; i < ci.nv; i++) {
		cc->of[i] = ci.s->clin;
		if ((strcmp(ci.v[i].step, "harvest") == 0 || strcmp(ci.v[i].step, "injection") == 0) &&
		    (st = clinician_of(c, ci.s, &ci.v[i], &cc->of[i], err)) != CD_OK)
			return st;
	}
	if (strcmp(ci.source, "donor") == 0)
		return donor_cycle(c, &ci, cc, err);
	return autologous_cycle(c, &ci, cc, err);
}

enum cd_status
demo_lots(struct ops *o, const char *now, bool large, const int64_t *site_ids,
    unsigned nsites, const int64_t *pt_id, const char *const *pt_cond, int64_t npts,
    uint64_t *rng, struct cd_err *err)
{
	struct lctx *c = xcalloc(1, sizeof *c);
	struct ids cycles = { NULL, 0, 0 };
	enum cd_status st = CD_OK;
	size_t i, j;
	unsigned k;

	c->o = o;
	c->now_text = now;
	/* whole 5 minutes, as the calendar */
	c->now = o->clock_ms() / 1000;
	c->now -= c->now % 300;
	c->rng = rng;
	c->sc = large ? &large_scale : &small_scale;
	c->pt_id = pt_id;
	c->pt_cond = pt_cond;
	c->npts = npts;
	c->g = xcalloc(1, sizeof *c->g);
	c->visits = xcalloc(MAX_VISITS, sizeof *c->visits);
	if (nsites > MAX_SITES)
		st = cd_fail(err, CD_EDATA, "the demo has at most %d sites", MAX_SITES);
	for (i = 0; st == CD_OK && i < N_PRODUCTS; i++) {
		for (j = 0; st == CD_OK && j < 3; j++) {
			st = db_expiry_hours(o->db, products[i].source, storages[j], &c->hours[i][j], err);
			if (st == CD_OK && c->hours[i][j] <= 0)
				st = cd_fail(err, CD_EDATA, "the demo needs an expiry rule for %s kept %s",
				    products[i].source, storages[j]);
		}
	}
	if (st == CD_OK)
		st = db_staff_list(o->db, take_staff, c, err);
	for (k = 0; st == CD_OK && k < nsites; k++) {
		if ((st = site_setup(c, &c->site[k], site_ids[k], k, err)) == CD_OK)
			st = site_storage(c, &c->site[k], err);
		c->nsites++;
	}
	if (st == CD_OK)
		st = db_cycle_list(o->db, 0, take_id, &cycles, err);
	for (i = 0; st == CD_OK && i < cycles.n; i++)
		st = cycle_lots(c, cycles.v[i], err);
	for (k = 0; st == CD_OK && k < c->nsites; k++)
		st = site_stock(c, &c->site[k], err);
	if (st == CD_OK)
		st = open_excursion(c, err);
	free(cycles.v);
	free(c->visits);
	free(c->g);
	free(c);
	return st;
}
