/* demo.c - fills an empty database with a believable clinic network,
 * deterministically: the same seed (and, for the calendar, the same
 * clock) gives the same data. Small is a few hundred patients; large is
 * years of a busy network (100,000 patients, about 1,000,000 visits).
 * Sites, staff and patients are made here, the treatment calendar in
 * demo_schedule.c. Every row goes through the audit trail like any
 * other. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/date.h"
#include "../core/roles.h"
#include "../core/xalloc.h"
#include "demo.h"


/* splitmix64: tiny, fast and the same on every machine. */
uint64_t
demo_rng_next(uint64_t *s)
{
	uint64_t z = (*s += 0x9E3779B97F4A7C15ULL);

	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
	return z ^ (z >> 31);
}

unsigned
demo_rng_below(uint64_t *s, unsigned n)
{
	return (unsigned)(demo_rng_next(s) % n);
}

struct demo_site {
	const char *name, *tz, *hours, *phone_prefix, *language;
};

static const struct demo_site sites[] = {
	{ "Kyiv", "Europe/Kyiv", "mon-fri 08:00-19:00, sat 09:00-14:00", "+380 44 ", "uk" },
	{ "Berlin", "Europe/Berlin", "mon-fri 08:00-18:00", "+49 30 ", "de" },
	{ "New York", "America/New_York", "mon-fri 07:30-18:30, sat 08:00-12:00", "+1 212 ", "en" },
};

static const struct {
	const char *name, *kind;
	const char *tags[3]; /* NULL-terminated */
} site_resources[] = {
	{ "Procedure room 1", "room", { "harvest", "procedure", NULL } },
	{ "Injection room A", "room", { "injection", "ultrasound", NULL } },
	{ "Injection room B", "room", { "fluoroscopy", "injection", NULL } },
	{ "Ultrasound unit", "device", { "ultrasound", NULL } },
	{ "C-arm", "device", { "fluoroscopy", NULL } },
	{ "MRI suite", "room", { "imaging", "mri", NULL } },
};

/* A large network needs more rooms at each site... */
static const struct {
	const char *name, *kind;
	const char *tags[3];
} large_resources[] = {
	{ "Procedure room 2", "room", { "harvest", "procedure", NULL } },
	{ "Injection room C", "room", { "injection", "ultrasound", NULL } },
	{ "Injection room D", "room", { "fluoroscopy", "injection", NULL } },
	{ "Injection room E", "room", { "injection", "ultrasound", NULL } },
	{ "Injection room F", "room", { "fluoroscopy", "injection", NULL } },
	{ "Injection room G", "room", { "injection", "ultrasound", NULL } },
	{ "MRI suite 2", "room", { "imaging", "mri", NULL } },
};

struct demo_person {
	const char *user, *name, *roles, *site;
};

/* ... and more clinicians: twelve at each site with those below. */
static const struct demo_person large_clinicians[] = {
	{ "ktkachenko", "Катерина Ткаченко", "clinician", "Kyiv" },
	{ "obondarenko", "Олег Бондаренко", "clinician", "Kyiv" },
	{ "skravchenko", "Світлана Кравченко", "clinician", "Kyiv" },
	{ "tlysenko", "Тарас Лисенко", "clinician", "Kyiv" },
	{ "nsavchuk", "Наталія Савчук", "clinician", "Kyiv" },
	{ "drudenko", "Дмитро Руденко", "clinician", "Kyiv" },
	{ "ypolishchuk", "Юлія Поліщук", "clinician", "Kyiv" },
	{ "vhoncharenko", "Василь Гончаренко", "clinician", "Kyiv" },
	{ "lmarchenko", "Людмила Марченко", "clinician", "Kyiv" },
	{ "bpavlenko", "Богдан Павленко", "clinician", "Kyiv" },
	{ "olytvynenko", "Оксана Литвиненко", "clinician", "Kyiv" },
	{ "ahoffmann", "Anna Hoffmann", "clinician", "Berlin" },
	{ "tbecker", "Thomas Becker", "clinician", "Berlin" },
	{ "jwagner", "Julia Wagner", "clinician", "Berlin" },
	{ "mschulz", "Markus Schulz", "clinician", "Berlin" },
	{ "lfischer", "Laura Fischer", "clinician", "Berlin" },
	{ "tweber", "Tobias Weber", "clinician", "Berlin" },
	{ "smeyer", "Sophie Meyer", "clinician", "Berlin" },
	{ "lkrueger", "Lukas Krüger", "clinician", "Berlin" },
	{ "hboehm", "Hannah Böhm", "clinician", "Berlin" },
	{ "fkoehler", "Felix Köhler", "clinician", "Berlin" },
	{ "sjohnson", "Sarah Johnson", "clinician", "New York" },
	{ "mbrown", "Michael Brown", "clinician", "New York" },
	{ "jdavis", "Jessica Davis", "clinician", "New York" },
	{ "cmiller", "Christopher Miller", "clinician", "New York" },
	{ "awilson", "Ashley Wilson", "clinician", "New York" },
	{ "mmoore", "Matthew Moore", "clinician", "New York" },
	{ "ataylor", "Amanda Taylor", "clinician", "New York" },
	{ "janderson", "Joshua Anderson", "clinician", "New York" },
	{ "nwhite", "Nicole White", "clinician", "New York" },
	{ "kharris", "Kevin Harris", "clinician", "New York" },
	{ "rclark", "Rachel Clark", "clinician", "New York" },
};

static const struct demo_person demo_staff[] = {
	{ "okovalenko", "Олена Коваленко", "frontdesk", "Kyiv" },
	{ "amelnyk", "Андрій Мельник", "clinician", "Kyiv" },
	{ "ishevchenko", "Ірина Шевченко", "lab", "Kyiv" },
	{ "kbauer", "Katrin Bauer", "frontdesk", "Berlin" },
	{ "jgross", "Jürgen Groß", "clinician", "Berlin" },
	{ "mschaefer", "Miriam Schäfer", "lab,clinician", "Berlin" },
	{ "ewalker", "Emily Walker", "frontdesk", "New York" },
	{ "dchen", "Daniel Chen", "clinician", "New York" },
	{ "rpatel", "Ravi Patel", "lab", "New York" },
	{ "sadmin", "Sofia Admin-Hughes", "admin", "New York" },
};

static const char *const uk_first[] = { "Олена", "Андрій", "Ірина", "Олександр", "Наталія",
	"Микола", "Тетяна", "Володимир", "Оксана", "Сергій", "Юлія", "Дмитро", "Галина",
	"Богдан", "Світлана", "Тарас", "Людмила", "Василь", "Марія", "Іван" };
static const char *const uk_last[] = { "Коваленко", "Бондаренко", "Ткаченко", "Кравченко",
	"Шевченко", "Мельник", "Бойко", "Олійник", "Лисенко", "Савчук", "Руденко", "Поліщук",
	"Гончаренко", "Марченко", "Ковальчук", "Павленко", "Литвиненко", "Мороз", "Кравчук",
	"Іваненко" };
static const char *const de_first[] = { "Jürgen", "Ursula", "Klaus", "Sabine", "Wolfgang",
	"Monika", "Dieter", "Brigitte", "Günter", "Renate", "Stefan", "Petra", "Jörg",
	"Andrea", "Uwe", "Birgit", "Horst", "Gisela", "Frank", "Käthe" };
static const char *const de_last[] = { "Müller", "Schmidt", "Schneider", "Fischer", "Weber",
	"Meyer", "Wagner", "Becker", "Schulz", "Hoffmann", "Groß", "Köhler", "Schäfer",
	"Krüger", "Böhm", "Weiß", "Löffler", "Jäger", "Bäcker", "Hübner" };
static const char *const en_first[] = { "James", "Mary", "Robert", "Patricia", "John",
	"Jennifer", "Michael", "Linda", "David", "Elizabeth", "William", "Barbara", "Richard",
	"Susan", "Joseph", "Margaret", "Thomas", "Dorothy", "Charles", "Karen" };
static const char *const en_last[] = { "Smith", "Johnson", "Williams", "Brown", "Jones",
	"Miller", "Davis", "Wilson", "Anderson", "Taylor", "Thomas", "Moore", "Martin",
	"Jackson", "White", "Harris", "Clark", "Lewis", "O'Brien", "Walker" };
static const char *const conditions[] = { "hip osteoarthritis", "knee osteoarthritis",
	"hip fracture", "rotator cuff tear", "Achilles tendinopathy", "knee cartilage defect",
	"hip labral tear", "degenerative disc disease", "ACL injury", "tennis elbow" };

#define N_SITES (sizeof sites / sizeof sites[0])

static enum cd_status
demo_resource(struct ops *o, const char *now, int64_t site_id, const char *name,
    const char *kind, const char *const *tags, struct ops_demo_result *res,
    struct cd_err *err)
{
	enum cd_status st;
	int64_t id;
	size_t n;

	for (n = 0; tags != NULL && tags[n] != NULL; n++)
		;
	if ((st = db_resource_insert(o->db, site_id, name, kind, tags, n, now, &id,
	    err)) != CD_OK ||
	    (st = ops_audit_change(o, now, "insert", "resources", id, name, NULL, "demo data",
	    err)) != CD_OK)
		return st;
	res->resources++;
	return CD_OK;
}

static enum cd_status
demo_sites(struct ops *o, const char *now, bool large, int64_t site_ids[],
    struct ops_demo_result *res, struct cd_err *err)
{
	enum cd_status st;
	struct cd_hours h;
	size_t i, j;

	for (i = 0; i < N_SITES; i++) {
		if ((st = hours_parse(sites[i].hours, &h, err)) != CD_OK ||
		    (st = db_site_insert(o->db, sites[i].name, sites[i].tz, &h, now, &site_ids[i],
			err)) != CD_OK ||
		    (st = ops_audit_change(o, now, "insert", "sites", site_ids[i], sites[i].name,
			NULL, "demo data", err)) != CD_OK)
			return st;
		res->sites++;
		for (j = 0; j < sizeof site_resources / sizeof site_resources[0]; j++) {
			if ((st = demo_resource(o, now, site_ids[i], site_resources[j].name,
			    site_resources[j].kind, site_resources[j].tags, res, err)) != CD_OK)
				return st;
		}
		for (j = 0; large && j < sizeof large_resources / sizeof large_resources[0]; j++) {
			if ((st = demo_resource(o, now, site_ids[i], large_resources[j].name,
			    large_resources[j].kind, large_resources[j].tags, res, err)) != CD_OK)
				return st;
		}
	}
	return CD_OK;
}

static enum cd_status
demo_people(struct ops *o, const char *now, const struct demo_person *who, size_t count,
    struct ops_demo_result *res, struct cd_err *err)
{
	struct db_staff existing;
	enum cd_status st;
	int64_t id, site_id;
	size_t i;

	for (i = 0; i < count; i++) {
		if ((st = db_staff_get(o->db, who[i].user, &existing, err)) == CD_OK)
			continue;
		if (st != CD_REFUSED)
			return st;
		if ((st = db_staff_insert(o->db, who[i].user, who[i].name, who[i].roles, now, &id,
			err)) != CD_OK ||
		    (st = ops_audit_change(o, now, "insert", "staff", id, who[i].user, NULL,
			"demo data", err)) != CD_OK)
			return st;
		res->staff++;
		if (strstr(who[i].roles, "clinician") == NULL)
			continue;
		/* Clinicians are bookable resources at their site. */
		if ((st = db_site_find(o->db, who[i].site, &site_id, err)) != CD_OK ||
		    (st = demo_resource(o, now, site_id, who[i].name, "clinician", NULL, res,
		    err)) != CD_OK)
			return st;
	}
	return CD_OK;
}

/* Fills pt_id, pt_site and pt_cond (count entries each) as it goes. */
static enum cd_status
demo_patients(struct ops *o, const char *now, const int64_t site_ids[], int64_t count,
    uint64_t *rng, int64_t *pt_id, unsigned char *pt_site, const char **pt_cond,
    struct ops_demo_result *res, struct cd_err *err)
{
	char mrn[16], name[128], dob[11], phone[32];
	int64_t i;
	struct db_patient p;
	struct cd_date d;
	enum cd_status st;
	unsigned s;

	for (i = 1; i <= count; i++) {
		s = demo_rng_below(rng, N_SITES);
		if (s == 0)
			snprintf(name, sizeof name, "%s %s", DEMO_PICK(rng, uk_first), DEMO_PICK(rng, uk_last));
		else if (s == 1)
			snprintf(name, sizeof name, "%s %s", DEMO_PICK(rng, de_first), DEMO_PICK(rng, de_last));
		else
			snprintf(name, sizeof name, "%s %s", DEMO_PICK(rng, en_first), DEMO_PICK(rng, en_last));
		snprintf(mrn, sizeof mrn, "MRN%07lld", (long long)i);
		/* Born 1938-2004: the clinic's patients are mostly older. */
		date_from_days(-11680 + (int64_t)demo_rng_below(rng, 24100), &d);
		date_format(&d, dob);
		snprintf(phone, sizeof phone, "%s%03u %04u", sites[s].phone_prefix,
		    demo_rng_below(rng, 900) + 100, demo_rng_below(rng, 10000));
		memset(&p, 0, sizeof p);
		p.mrn = mrn;
		p.name = name;
		p.dob = dob;
		p.phone = phone;
		p.site_id = site_ids[s];
		p.language = sites[s].language;
		p.condition = DEMO_PICK(rng, conditions);
		if ((st = db_patient_insert(o->db, &p, now, &pt_id[i - 1], err)) != CD_OK ||
		    (st = ops_audit_change(o, now, "insert", "patients", pt_id[i - 1], mrn, NULL,
			"demo data", err)) != CD_OK)
			return st;
		pt_site[i - 1] = (unsigned char)s;
		pt_cond[i - 1] = p.condition;
		res->patients++;
	}
	return CD_OK;
}

enum cd_status
ops_demo(struct ops *o, enum ops_demo_scale scale, uint64_t seed,
    struct ops_demo_result *res, struct cd_err *err)
{
	bool large = scale == DEMO_LARGE;
	int64_t npts = large ? 100000 : 240, site_ids[N_SITES], existing;
	int64_t *pt_id = xcalloc((size_t)npts, sizeof *pt_id);
	unsigned char *pt_site = xcalloc((size_t)npts, 1);
	const char **pt_cond = xcalloc((size_t)npts, sizeof *pt_cond);
	uint64_t rng = seed;
	enum cd_status st;
	char now[25];

	memset(res, 0, sizeof *res);
	if ((st = ops_write_begin(o, ACT_DEMO, now, err)) != CD_OK)
		goto out;
	if ((st = db_patient_count(o->db, &existing, err)) == CD_OK && existing > 0)
		st = cd_fail(err, CD_REFUSED,
		    "this database already holds %lld patients; demo data goes only into an empty one",
		    (long long)existing);
	if (st == CD_OK && (st = db_site_find(o->db, sites[0].name, &existing, err)) == CD_OK &&
	    existing != 0)
		st = cd_fail(err, CD_REFUSED,
		    "this database already has a site called %s; demo data goes only into an empty one",
		    sites[0].name);
	if (st == CD_OK)
		st = demo_sites(o, now, large, site_ids, res, err);
	if (st == CD_OK)
		st = demo_people(o, now, demo_staff, sizeof demo_staff / sizeof demo_staff[0], res,
		    err);
	if (st == CD_OK && large)
		st = demo_people(o, now, large_clinicians,
		    sizeof large_clinicians / sizeof large_clinicians[0], res, err);
	if (st == CD_OK)
		st = demo_patients(o, now, site_ids, npts, &rng, pt_id, pt_site, pt_cond, res, err);
	if (st == CD_OK)
		st = demo_schedule(o, now, large, site_ids, N_SITES, pt_id, pt_site, pt_cond, npts,
		    &rng, err);
	if (st == CD_OK)
		st = demo_lots(o, now, large, site_ids, N_SITES, pt_id, pt_cond, npts, &rng, err);
	st = ops_write_end(o, st, err);
out:
	free(pt_id);
	free(pt_site);
	free(pt_cond);
	return st;
}
