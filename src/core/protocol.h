/* protocol.h - treatment protocols: how many courses, how far apart, and
 * the steps (calls, harvest, injections, follow-ups, imaging) placed
 * around each course's injection, read from and written as JSON. */
#ifndef CD_PROTOCOL_H
#define CD_PROTOCOL_H

#include <stdbool.h>
#include <stddef.h>

#include "status.h"

#define PROTO_NAME_MAX 40
#define PROTO_MAX_STEPS 16
#define PROTO_MAX_NEEDS 4
#define PROTO_MAX_TAGS 4
#define PROTO_MAX_COURSES 8
#define PROTO_WINDOW_MAX 30   /* days either side of a step's nominal day */
#define PROTO_MINUTES_MAX 240
#define PROTO_TEXT_CHARS 150  /* a title or a note */
#define PROTO_TEXT_BYTES (PROTO_TEXT_CHARS * 4 + 1)

enum step_kind { STEP_CALL, STEP_HARVEST, STEP_INJECTION, STEP_FOLLOWUP, STEP_IMAGING };
enum step_anchor { ANCHOR_FIRST, ANCHOR_EACH, ANCHOR_LAST }; /* which course's injection */
enum res_kind { RES_ROOM, RES_DEVICE, RES_CLINICIAN };
enum cell_source { SOURCE_AUTOLOGOUS, SOURCE_DONOR, SOURCE_ANY };

/* One resource a step needs: a kind, and when tags are given, one of them
 * ("room:ultrasound|fluoroscopy"). */
struct proto_need {
	enum res_kind kind;
	int ntags;
	char tags[PROTO_MAX_TAGS][32];
};

struct proto_step {
	enum step_kind kind;
	enum step_anchor anchor;
	int offset_days;            /* from the anchor's local day */
	int win_before, win_after;  /* the window: [offset+before, offset+after] */
	int minutes;
	int nneeds;
	struct proto_need needs[PROTO_MAX_NEEDS];
	char note[PROTO_TEXT_BYTES];
};

struct protocol {
	char name[PROTO_NAME_MAX + 1];
	char title[PROTO_TEXT_BYTES];
	enum cell_source source;
	int courses, gap_days, min_gap_days;
	int nsteps;
	struct proto_step steps[PROTO_MAX_STEPS];
	int injection;              /* index of the injection step */
};

/* Parses and checks protocol JSON; on refusal err says what is wrong
 * (CD_REFUSED) and *out is unspecified. */
enum cd_status protocol_parse(const char *json, struct protocol *out, struct cd_err *err);
/* The canonical JSON of p on one line (as stored), or indented for
 * people to read; the caller frees it. */
char *protocol_to_json(const struct protocol *p);
char *protocol_to_json_pretty(const struct protocol *p);
/* The protocols celldesk init installs, as JSON texts, NULL-terminated. */
extern const char *const protocol_defaults[];

/* A step placed before its anchor (call, harvest): its window's late end
 * is a hard limit, its early end only where the planner looks. */
bool protocol_step_is_before(const struct proto_step *s);
/* True when the step takes place for cell source src. */
bool protocol_step_applies(const struct proto_step *s, enum cell_source src);

const char *step_kind_name(enum step_kind k);       /* "injection" */
bool step_kind_parse(const char *s, enum step_kind *k);
const char *step_anchor_name(enum step_anchor a);  /* "each" */
const char *res_kind_name(enum res_kind k);         /* "room" */
const char *cell_source_name(enum cell_source s);   /* "autologous" */
bool cell_source_parse(const char *s, enum cell_source *out);
/* "room with ultrasound or fluoroscopy" into buf of size n. */
void proto_need_describe(const struct proto_need *n, char *buf, size_t size);
/* "the 6-week follow-up", "the course 2 injection" into buf. */
void step_describe(const struct proto_step *s, int course, char *buf, size_t size);

#endif
