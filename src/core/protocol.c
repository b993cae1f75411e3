/* protocol.c - reading, checking and writing protocol JSON, and the
 * protocols installed with a new database. */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "protocol.h"
#include "text.h"
#include "xalloc.h"

static const char *const step_names[] = { "call", "harvest", "injection", "followup",
	"imaging" };
static const char *const anchor_names[] = { "first", "each", "last" };
static const char *const res_names[] = { "room", "device", "clinician" };
static const char *const source_names[] = { "autologous", "donor", "any" };

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

static int
name_index(const char *const *names, size_t n, const char *s)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (strcmp(names[i], s) == 0)
			return (int)i;
	}
	return -1;
}

const char *
step_kind_name(enum step_kind k)
{
	return step_names[k];
}

bool
step_kind_parse(const char *s, enum step_kind *k)
{
	int i = name_index(step_names, NELEM(step_names), s);

	if (i < 0)
		return false;
	*k = (enum step_kind)i;
	return true;
}

const char *
step_anchor_name(enum step_anchor a)
{
	return anchor_names[a];
}

const char *
res_kind_name(enum res_kind k)
{
	return res_names[k];
}

const char *
cell_source_name(enum cell_source s)
{
	return source_names[s];
}

bool
cell_source_parse(const char *s, enum cell_source *out)
{
	int i = name_index(source_names, NELEM(source_names), s);

	if (i < 0)
		return false;
	*out = (enum cell_source)i;
	return true;
}

bool
protocol_step_is_before(const struct proto_step *s)
{
	return s->offset_days < 0;
}

bool
protocol_step_applies(const struct proto_step *s, enum cell_source src)
{
	return s->kind != STEP_HARVEST || src == SOURCE_AUTOLOGOUS;
}

void
proto_need_describe(const struct proto_need *n, char *buf, size_t size)
{
	size_t len;
	int i;

	snprintf(buf, size, "%s", n->kind == RES_CLINICIAN ? "clinician" : res_names[n->kind]);
	for (i = 0; i < n->ntags; i++) {
		len = strlen(buf);
		snprintf(buf + len, size - len, "%s%s", i == 0 ? " with " : " or ", n->tags[i]);
	}
}

void
step_describe(const struct proto_step *s, int course, char *buf, size_t size)
{
	switch (s->kind) {
	case STEP_INJECTION:
		snprintf(buf, size, "the course %d injection", course);
		break;
	case STEP_HARVEST:
		if (course > 0 && s->anchor == ANCHOR_EACH)
			snprintf(buf, size, "the course %d harvest", course);
		else
			snprintf(buf, size, "the harvest");
		break;
	case STEP_CALL:
		if (s->anchor == ANCHOR_EACH && course > 0)
			snprintf(buf, size, "the call %d days before course %d", -s->offset_days,
			    course);
		else
			snprintf(buf, size, "the call %d days before the %s course",
			    -s->offset_days, s->anchor == ANCHOR_LAST ? "last" : "first");
		break;
	case STEP_FOLLOWUP:
	case STEP_IMAGING:
		if (s->offset_days % 7 == 0)
			snprintf(buf, size, "the %d-week %s", s->offset_days / 7,
			    s->kind == STEP_FOLLOWUP ? "follow-up" : "imaging");
		else
			snprintf(buf, size, "the day-%d %s", s->offset_days,
			    s->kind == STEP_FOLLOWUP ? "follow-up" : "imaging");
		if (course > 0 && s->anchor == ANCHOR_EACH) {
			size_t len = strlen(buf);

			snprintf(buf + len, size - len, " after course %d", course);
		}
		break;
	}
}

/* --- parsing --- */

static enum cd_status
get_int(json_t *obj, const char *key, int def, int lo, int hi, const char *what, int *out,
    struct cd_err *err)
{
	json_t *v = json_object_get(obj, key);

	if (v == NULL) {
		if (def < lo)
			return cd_fail(err, CD_REFUSED, "%s needs \"%s\"", what, key);
		*out = def;
		return CD_OK;
	}
	if (!json_is_integer(v) || json_integer_value(v) < lo || json_integer_value(v) > hi)
		return cd_fail(err, CD_REFUSED, "%s: \"%s\" must be a whole number from %d to %d",
		    what, key, lo, hi);
	*out = (int)json_integer_value(v);
	return CD_OK;
}

static enum cd_status
get_str(json_t *obj, const char *key, bool required, const char *what, const char **out,
    struct cd_err *err)
{
	json_t *v = json_object_get(obj, key);

	*out = NULL;
	if (v == NULL) {
		if (required)
			return cd_fail(err, CD_REFUSED, "%s needs \"%s\"", what, key);
		return CD_OK;
	}
	if (!json_is_string(v))
		return cd_fail(err, CD_REFUSED, "%s: \"%s\" must be text", what, key);
	*out = json_string_value(v);
	return CD_OK;
}

static enum cd_status
check_keys(json_t *obj, const char *const *allowed, const char *what, struct cd_err *err)
{
	const char *key;
	json_t *v;
	size_t i;

	json_object_foreach(obj, key, v) {
		for (i = 0; allowed[i] != NULL; i++) {
			if (strcmp(allowed[i], key) == 0)
				break;
		}
		if (allowed[i] == NULL)
			return cd_fail(err, CD_REFUSED, "%s: unknown field \"%.60s\"", what, key);
	}
	return CD_OK;
}

static bool
is_tag_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
}

/* "room", "clinician", "room:ultrasound|fluoroscopy" */
static enum cd_status
parse_need(const char *s, const char *what, struct proto_need *n, struct cd_err *err)
{
	const char *colon = strchr(s, ':'), *p;
	char kind[16];
	size_t klen = colon != NULL ? (size_t)(colon - s) : strlen(s);
	int k, len;

	memset(n, 0, sizeof *n);
	if (klen >= sizeof kind)
		klen = sizeof kind - 1;
	memcpy(kind, s, klen);
	kind[klen] = '\0';
	if ((k = name_index(res_names, NELEM(res_names), kind)) < 0)
		return cd_fail(err, CD_REFUSED,
		    "%s: a need starts with room, device or clinician (e.g. \"room:ultrasound\")",
		    what);
	n->kind = (enum res_kind)k;
	if (colon == NULL)
		return CD_OK;
	for (p = colon + 1;;) {
		for (len = 0; is_tag_char(p[len]); len++)
			;
		if (len == 0 || len >= (int)sizeof n->tags[0] || n->ntags == PROTO_MAX_TAGS ||
		    (p[len] != '|' && p[len] != '\0'))
			return cd_fail(err, CD_REFUSED, "%s: the tags of a need are up to %d words of"
			    " a-z, 0-9 and -, separated by | (e.g. \"room:ultrasound|fluoroscopy\")",
			    what, PROTO_MAX_TAGS);
		memcpy(n->tags[n->ntags], p, (size_t)len);
		n->tags[n->ntags++][len] = '\0';
		if (p[len] == '\0')
			return CD_OK;
		p += len + 1;
	}
}

static enum cd_status
parse_window(json_t *step, const char *what, struct proto_step *s, struct cd_err *err)
{
	json_t *w = json_object_get(step, "window");
	json_int_t b, a;

	s->win_before = s->win_after = 0;
	if (w == NULL)
		return CD_OK;
	if (!json_is_array(w) || json_array_size(w) != 2 ||
	    !json_is_integer(json_array_get(w, 0)) || !json_is_integer(json_array_get(w, 1)))
		return cd_fail(err, CD_REFUSED, "%s: \"window\" must be two whole numbers of"
		    " days, [before, after], e.g. [-3, 3]", what);
	b = json_integer_value(json_array_get(w, 0));
	a = json_integer_value(json_array_get(w, 1));
	if (b > 0 || a < 0 || b < -PROTO_WINDOW_MAX || a > PROTO_WINDOW_MAX)
		return cd_fail(err, CD_REFUSED, "%s: \"window\" is [before, after] with before"
		    " from -%d to 0 and after from 0 to %d", what, PROTO_WINDOW_MAX,
		    PROTO_WINDOW_MAX);
	s->win_before = (int)b;
	s->win_after = (int)a;
	return CD_OK;
}

static enum cd_status
parse_step(json_t *j, int index, struct proto_step *s, struct cd_err *err)
{
	static const char *const keys[] = { "step", "anchor", "offset_days", "window",
		"minutes", "needs", "note", NULL };
	char what[32];
	const char *kind, *anchor, *note;
	json_t *needs, *need;
	size_t i;
	int a;
	enum cd_status st;

	snprintf(what, sizeof what, "step %d", index + 1);
	memset(s, 0, sizeof *s);
	if (!json_is_object(j))
		return cd_fail(err, CD_REFUSED, "%s must be an object", what);
	if ((st = check_keys(j, keys, what, err)) != CD_OK ||
	    (st = get_str(j, "step", true, what, &kind, err)) != CD_OK ||
	    (st = get_str(j, "anchor", true, what, &anchor, err)) != CD_OK ||
	    (st = get_str(j, "note", false, what, &note, err)) != CD_OK)
		return st;
	if (!step_kind_parse(kind, &s->kind))
		return cd_fail(err, CD_REFUSED, "%s: \"step\" is one of call, harvest, injection,"
		    " followup, imaging", what);
	if ((a = name_index(anchor_names, NELEM(anchor_names), anchor)) < 0)
		return cd_fail(err, CD_REFUSED, "%s: \"anchor\" is first, each or last (the"
		    " first, every or the last course's injection)", what);
	s->anchor = (enum step_anchor)a;
	if ((st = get_int(j, "offset_days", 0, -365, 365, what, &s->offset_days, err)) != CD_OK ||
	    (st = get_int(j, "minutes", -1, 5, PROTO_MINUTES_MAX, what, &s->minutes, err)) !=
	    CD_OK || (st = parse_window(j, what, s, err)) != CD_OK)
		return st;
	if (s->minutes % 5 != 0)
		return cd_fail(err, CD_REFUSED, "%s: \"minutes\" must be a multiple of 5", what);
	if (note != NULL) {
		if (text_check_field("note", note, PROTO_TEXT_CHARS, 0, err) != CD_OK)
			return cd_fail(err, CD_REFUSED, "%s: %s", what, err->msg);
		snprintf(s->note, sizeof s->note, "%s", note);
	}
	needs = json_object_get(j, "needs");
	if (needs != NULL && (!json_is_array(needs) || json_array_size(needs) > PROTO_MAX_NEEDS))
		return cd_fail(err, CD_REFUSED, "%s: \"needs\" is a list of at most %d resources",
		    what, PROTO_MAX_NEEDS);
	json_array_foreach(needs, i, need) {
		if (!json_is_string(need))
			return cd_fail(err, CD_REFUSED, "%s: each need is text such as \"clinician\"",
			    what);
		if ((st = parse_need(json_string_value(need), what, &s->needs[i], err)) != CD_OK)
			return st;
		s->nneeds++;
	}
	switch (s->kind) {
	case STEP_INJECTION:
		if (s->anchor != ANCHOR_EACH || s->offset_days != 0 || s->win_before != 0)
			return cd_fail(err, CD_REFUSED, "%s: the injection step has anchor \"each\","
			    " offset_days 0 and a window [0, N]", what);
		break;
	case STEP_CALL:
	case STEP_HARVEST:
		if (s->offset_days >= 0 || s->offset_days + s->win_after >= 0)
			return cd_fail(err, CD_REFUSED, "%s: a %s comes before its injection: a"
			    " negative offset_days, and a window that never reaches the injection day",
			    what, kind);
		break;
	case STEP_FOLLOWUP:
	case STEP_IMAGING:
		if (s->offset_days <= 0 || s->offset_days + s->win_before <= 0)
			return cd_fail(err, CD_REFUSED, "%s: a %s comes after its injection: a"
			    " positive offset_days, and a window that stays after the injection day",
			    what, kind);
		break;
	}
	if (s->kind != STEP_CALL && s->nneeds == 0)
		return cd_fail(err, CD_REFUSED, "%s: a %s needs at least one resource (\"needs\")",
		    what, kind);
	if (s->kind == STEP_CALL && s->nneeds != 0)
		return cd_fail(err, CD_REFUSED, "%s: a call needs no room or person (no \"needs\")",
		    what);
	return CD_OK;
}

static bool
valid_name(const char *s)
{
	size_t i;

	for (i = 0; s[i] != '\0'; i++) {
		if (!is_tag_char(s[i]))
			return false;
	}
	return i > 0 && i <= PROTO_NAME_MAX && s[0] != '-';
}

static enum cd_status
parse_object(json_t *j, struct protocol *p, struct cd_err *err)
{
	static const char *const keys[] = { "name", "title", "source", "courses", "gap_days",
		"min_gap_days", "steps", NULL };
	const char *name, *title, *source;
	json_t *steps, *step;
	size_t i;
	enum cd_status st;

	if (!json_is_object(j))
		return cd_fail(err, CD_REFUSED, "a protocol is a JSON object");
	if ((st = check_keys(j, keys, "the protocol", err)) != CD_OK ||
	    (st = get_str(j, "name", true, "the protocol", &name, err)) != CD_OK ||
	    (st = get_str(j, "title", false, "the protocol", &title, err)) != CD_OK ||
	    (st = get_str(j, "source", false, "the protocol", &source, err)) != CD_OK)
		return st;
	if (!valid_name(name))
		return cd_fail(err, CD_REFUSED, "a protocol name is 1 to %d characters of a-z, 0-9"
		    " and - (e.g. hip-autologous-4)", PROTO_NAME_MAX);
	snprintf(p->name, sizeof p->name, "%s", name);
	if (title != NULL) {
		if (text_check_field("title", title, PROTO_TEXT_CHARS, 0, err) != CD_OK)
			return cd_fail(err, CD_REFUSED, "%s", err->msg);
		snprintf(p->title, sizeof p->title, "%s", title);
	}
	p->source = SOURCE_ANY;
	if (source != NULL && !cell_source_parse(source, &p->source))
		return cd_fail(err, CD_REFUSED, "\"source\" is autologous, donor or any");
	if ((st = get_int(j, "courses", 4, 1, PROTO_MAX_COURSES, "the protocol", &p->courses,
	    err)) != CD_OK ||
	    (st = get_int(j, "gap_days", 14, 1, 365, "the protocol", &p->gap_days, err)) != CD_OK ||
	    (st = get_int(j, "min_gap_days", p->gap_days, 1, p->gap_days, "the protocol",
	    &p->min_gap_days, err)) != CD_OK)
		return st;
	steps = json_object_get(j, "steps");
	if (!json_is_array(steps) || json_array_size(steps) == 0 ||
	    json_array_size(steps) > PROTO_MAX_STEPS)
		return cd_fail(err, CD_REFUSED, "\"steps\" is a list of 1 to %d steps",
		    PROTO_MAX_STEPS);
	p->injection = -1;
	json_array_foreach(steps, i, step) {
		if ((st = parse_step(step, (int)i, &p->steps[i], err)) != CD_OK)
			return st;
		if (p->steps[i].kind == STEP_INJECTION) {
			if (p->injection >= 0)
				return cd_fail(err, CD_REFUSED, "a protocol has exactly one injection"
				    " step (it repeats for every course)");
			p->injection = (int)i;
		}
		if (p->steps[i].kind == STEP_HARVEST && p->source == SOURCE_DONOR)
			return cd_fail(err, CD_REFUSED, "step %d: a donor protocol has no harvest",
			    (int)i + 1);
		p->nsteps++;
	}
	if (p->injection < 0)
		return cd_fail(err, CD_REFUSED, "a protocol needs an injection step");
	return CD_OK;
}

enum cd_status
protocol_parse(const char *json, struct protocol *out, struct cd_err *err)
{
	json_error_t jerr;
	json_t *j;
	enum cd_status st;

	memset(out, 0, sizeof *out);
	j = json_loads(json, JSON_REJECT_DUPLICATES, &jerr);
	if (j == NULL)
		return cd_fail(err, CD_REFUSED, "the protocol is not valid JSON (line %d: %s)",
		    jerr.line, jerr.text);
	st = parse_object(j, out, err);
	json_decref(j);
	return st;
}

/* --- writing --- */

static json_t *
need_json(const struct proto_need *n)
{
	char buf[160];
	size_t len;
	int i;

	snprintf(buf, sizeof buf, "%s", res_names[n->kind]);
	for (i = 0; i < n->ntags; i++) {
		len = strlen(buf);
		snprintf(buf + len, sizeof buf - len, "%c%s", i == 0 ? ':' : '|', n->tags[i]);
	}
	return json_string(buf);
}

static json_t *
step_json(const struct proto_step *s)
{
	json_t *j = json_object(), *needs;
	int i;

	json_object_set_new(j, "step", json_string(step_names[s->kind]));
	json_object_set_new(j, "anchor", json_string(anchor_names[s->anchor]));
	json_object_set_new(j, "offset_days", json_integer(s->offset_days));
	json_object_set_new(j, "window", json_pack("[ii]", s->win_before, s->win_after));
	json_object_set_new(j, "minutes", json_integer(s->minutes));
	if (s->nneeds > 0) {
		needs = json_array();
		for (i = 0; i < s->nneeds; i++)
			json_array_append_new(needs, need_json(&s->needs[i]));
		json_object_set_new(j, "needs", needs);
	}
	if (s->note[0] != '\0')
		json_object_set_new(j, "note", json_string(s->note));
	return j;
}

static char *
protocol_json(const struct protocol *p, size_t flags)
{
	json_t *j = json_object(), *steps = json_array();
	char *out;
	int i;

	json_object_set_new(j, "name", json_string(p->name));
	if (p->title[0] != '\0')
		json_object_set_new(j, "title", json_string(p->title));
	json_object_set_new(j, "source", json_string(source_names[p->source]));
	json_object_set_new(j, "courses", json_integer(p->courses));
	json_object_set_new(j, "gap_days", json_integer(p->gap_days));
	json_object_set_new(j, "min_gap_days", json_integer(p->min_gap_days));
	for (i = 0; i < p->nsteps; i++)
		json_array_append_new(steps, step_json(&p->steps[i]));
	json_object_set_new(j, "steps", steps);
	out = json_dumps(j, flags | JSON_PRESERVE_ORDER);
	json_decref(j);
	if (out == NULL)
		fatal("out of memory writing a protocol");
	return out;
}

char *
protocol_to_json(const struct protocol *p)
{
	return protocol_json(p, 0);
}

char *
protocol_to_json_pretty(const struct protocol *p)
{
	return protocol_json(p, JSON_INDENT(2));
}

/* --- the protocols a new database starts with --- */

#define STEP_CALL_MEDS \
	"{\"step\": \"call\", \"anchor\": \"first\", \"offset_days\": -14, \"window\": [-3, 0]," \
	" \"minutes\": 10, \"note\": \"stop anti-inflammatory and blood-thinning drugs\"}"
#define STEP_AFTER(kind, days, win, mins, need) \
	"{\"step\": \"" kind "\", \"anchor\": \"last\", \"offset_days\": " days \
	", \"window\": " win ", \"minutes\": " mins ", \"needs\": [" need "]}"
#define STEPS_AFTER \
	STEP_AFTER("followup", "14", "[-3, 3]", "20", "\"clinician\"") "," \
	STEP_AFTER("followup", "42", "[-3, 3]", "20", "\"clinician\"") "," \
	STEP_AFTER("followup", "84", "[-3, 3]", "20", "\"clinician\"") "," \
	STEP_AFTER("imaging", "91", "[-7, 7]", "30", "\"room:imaging\"") "," \
	STEP_AFTER("imaging", "182", "[-7, 7]", "30", "\"room:imaging\"")
#define STEP_INJECT(mins) \
	"{\"step\": \"injection\", \"anchor\": \"each\", \"offset_days\": 0, \"window\": [0, 3]," \
	" \"minutes\": " mins ", \"needs\": [\"room:ultrasound|fluoroscopy\", \"clinician\"]," \
	" \"note\": \"48 h relative rest; no NSAIDs for 6 weeks\"}"
#define STEP_HARVEST(anchor, days) \
	"{\"step\": \"harvest\", \"anchor\": \"" anchor "\", \"offset_days\": " days \
	", \"window\": [-3, 0], \"minutes\": 30, \"needs\": [\"room:procedure\", \"clinician\"]," \
	" \"note\": \"local anaesthesia; bone marrow or adipose\"}"

const char *const protocol_defaults[] = {
	"{\"name\": \"hip-autologous-4\","
	" \"title\": \"Hip: autologous bone marrow cells, 4 courses\","
	" \"source\": \"autologous\", \"courses\": 4, \"gap_days\": 14, \"min_gap_days\": 14,"
	" \"steps\": [" STEP_CALL_MEDS "," STEP_HARVEST("first", "-7") "," STEP_INJECT("60") ","
	STEPS_AFTER "]}",
	"{\"name\": \"knee-donor-3\","
	" \"title\": \"Knee: donor cells, 3 courses\","
	" \"source\": \"donor\", \"courses\": 3, \"gap_days\": 14, \"min_gap_days\": 12,"
	" \"steps\": [" STEP_CALL_MEDS "," STEP_INJECT("45") "," STEPS_AFTER "]}",
	"{\"name\": \"tendon-autologous-3\","
	" \"title\": \"Tendon: autologous adipose cells, a fresh harvest per course, 3 courses\","
	" \"source\": \"autologous\", \"courses\": 3, \"gap_days\": 14, \"min_gap_days\": 14,"
	" \"steps\": [" STEP_CALL_MEDS "," STEP_HARVEST("each", "-5") "," STEP_INJECT("45") ","
	STEPS_AFTER "]}",
	NULL
};
