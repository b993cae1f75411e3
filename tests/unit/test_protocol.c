/* test_protocol.c - reading, checking and writing protocol JSON
 * (src/core/protocol.c): the protocols celldesk init installs, the
 * canonical JSON round trip, the defaults, and a refusal in words for
 * every kind of mistake an admin can make in a protocol file. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/protocol.h"
#include "core/strbuf.h"
#include "unit_util.h"

#define LEN(a) (sizeof(a) / sizeof((a)[0]))

/* Steps to build test protocols from. */
#define INJ \
	"{\"step\": \"injection\", \"anchor\": \"each\", \"offset_days\": 0, \"window\": [0, 3]," \
	" \"minutes\": 60, \"needs\": [\"room:ultrasound|fluoroscopy\", \"clinician\"]}"
#define CALL \
	"{\"step\": \"call\", \"anchor\": \"first\", \"offset_days\": -14, \"window\": [-3, 0]," \
	" \"minutes\": 10, \"note\": \"stop anti-inflammatory and blood-thinning drugs\"}"
#define HARVEST \
	"{\"step\": \"harvest\", \"anchor\": \"first\", \"offset_days\": -7, \"window\": [-3, 0]," \
	" \"minutes\": 30, \"needs\": [\"room:procedure\", \"clinician\"]}"
#define FOLLOWUP \
	"{\"step\": \"followup\", \"anchor\": \"last\", \"offset_days\": 14, \"window\": [-3, 3]," \
	" \"minutes\": 20, \"needs\": [\"clinician\"]}"
/* A protocol named t-1 with the given fields before "steps". */
#define PROTO(fields, steps) "{\"name\": \"t-1\", " fields "\"steps\": [" steps "]}"

static void
parse_ok(const char *json, struct protocol *p)
{
	struct cd_err err;

	memset(&err, 0, sizeof err);
	if (protocol_parse(json, p, &err) != CD_OK)
		fail_msg("refused: %s\n%s", err.msg, json);
}

/* Every installed protocol parses, and its canonical JSON parses back to
 * the same protocol and the same JSON. */
static void
test_defaults_round_trip(void **state)
{
	struct protocol *a = calloc(1, sizeof *a), *b = calloc(1, sizeof *b);
	char *j1, *j2;
	int n;

	(void)state;
	assert_non_null(a);
	assert_non_null(b);
	for (n = 0; protocol_defaults[n] != NULL; n++) {
		parse_ok(protocol_defaults[n], a);
		j1 = protocol_to_json(a);
		parse_ok(j1, b);
		if (memcmp(a, b, sizeof *a) != 0)
			fail_msg("%s: parsing its own JSON gives another protocol:\n%s", a->name, j1);
		j2 = protocol_to_json(b);
		assert_string_equal(j1, j2);
		free(j1);
		free(j2);
	}
	assert_int_equal(n, 3);
	free(a);
	free(b);
}

/* What celldesk init installs is what the spec describes. */
static void
test_defaults_content(void **state)
{
	static const int followup_days[] = { 14, 42, 84 }, imaging_days[] = { 91, 182 };
	struct protocol p;
	int i, injections, harvests, calls, followups, imaging;

	(void)state;
	parse_ok(protocol_defaults[0], &p);
	assert_string_equal(p.name, "hip-autologous-4");
	assert_int_equal(p.source, SOURCE_AUTOLOGOUS);
	assert_int_equal(p.courses, 4);
	assert_int_equal(p.gap_days, 14);
	assert_int_equal(p.min_gap_days, 14);
	assert_int_equal(p.nsteps, 8);
	assert_int_equal(p.steps[p.injection].kind, STEP_INJECTION);
	assert_int_equal(p.steps[p.injection].anchor, ANCHOR_EACH);
	assert_int_equal(p.steps[p.injection].win_before, 0);
	assert_int_equal(p.steps[p.injection].win_after, 3);
	assert_int_equal(p.steps[p.injection].nneeds, 2);
	assert_int_equal(p.steps[p.injection].needs[0].kind, RES_ROOM);
	assert_int_equal(p.steps[p.injection].needs[0].ntags, 2);
	assert_string_equal(p.steps[p.injection].needs[0].tags[0], "ultrasound");
	assert_string_equal(p.steps[p.injection].needs[0].tags[1], "fluoroscopy");
	assert_int_equal(p.steps[p.injection].needs[1].kind, RES_CLINICIAN);
	assert_non_null(strstr(p.steps[p.injection].note, "48 h relative rest"));
	injections = harvests = calls = followups = imaging = 0;
	for (i = 0; i < p.nsteps; i++) {
		const struct proto_step *s = &p.steps[i];

		switch (s->kind) {
		case STEP_INJECTION:
			injections++;
			break;
		case STEP_HARVEST:
			harvests++;
			assert_int_equal(s->anchor, ANCHOR_FIRST);
			assert_true(s->offset_days < 0);
			break;
		case STEP_CALL:
			calls++;
			assert_int_equal(s->offset_days, -14);
			assert_int_equal(s->nneeds, 0);
			assert_string_equal(s->note, "stop anti-inflammatory and blood-thinning drugs");
			break;
		case STEP_FOLLOWUP:
			assert_int_equal(s->offset_days, followup_days[followups]);
			assert_int_equal(s->anchor, ANCHOR_LAST);
			followups++;
			break;
		case STEP_IMAGING:
			assert_int_equal(s->offset_days, imaging_days[imaging]);
			assert_int_equal(s->win_before, -7);
			assert_int_equal(s->win_after, 7);
			imaging++;
			break;
		}
	}
	assert_int_equal(injections, 1);
	assert_int_equal(harvests, 1);
	assert_int_equal(calls, 1);
	assert_int_equal(followups, 3);
	assert_int_equal(imaging, 2);

	parse_ok(protocol_defaults[1], &p);
	assert_string_equal(p.name, "knee-donor-3");
	assert_int_equal(p.source, SOURCE_DONOR);
	assert_int_equal(p.courses, 3);
	assert_int_equal(p.gap_days, 14);
	assert_int_equal(p.min_gap_days, 12);
	for (i = 0; i < p.nsteps; i++)
		assert_int_not_equal(p.steps[i].kind, STEP_HARVEST);

	parse_ok(protocol_defaults[2], &p);
	assert_string_equal(p.name, "tendon-autologous-3");
	assert_int_equal(p.source, SOURCE_AUTOLOGOUS);
	assert_int_equal(p.courses, 3);
	for (harvests = 0, i = 0; i < p.nsteps; i++) {
		if (p.steps[i].kind == STEP_HARVEST) {
			harvests++;
			assert_int_equal(p.steps[i].anchor, ANCHOR_EACH);
		}
	}
	assert_int_equal(harvests, 1);
}

/* courses 4, gap 14 and min_gap = gap when the file leaves them out;
 * source any, no title. */
static void
test_defaults_applied(void **state)
{
	struct protocol p;
	char *json;

	(void)state;
	parse_ok(PROTO("", INJ), &p);
	assert_string_equal(p.name, "t-1");
	assert_int_equal(p.courses, 4);
	assert_int_equal(p.gap_days, 14);
	assert_int_equal(p.min_gap_days, 14);
	assert_int_equal(p.source, SOURCE_ANY);
	assert_string_equal(p.title, "");
	assert_int_equal(p.nsteps, 1);
	assert_int_equal(p.injection, 0);
	/* a step without a window has [0, 0] */
	parse_ok(PROTO("", "{\"step\": \"injection\", \"anchor\": \"each\", \"minutes\": 45,"
	    " \"needs\": [\"clinician\"]}"), &p);
	assert_int_equal(p.steps[0].win_before, 0);
	assert_int_equal(p.steps[0].win_after, 0);
	assert_int_equal(p.steps[0].offset_days, 0);

	/* min_gap follows the gap given */
	parse_ok(PROTO("\"gap_days\": 21, ", INJ), &p);
	assert_int_equal(p.gap_days, 21);
	assert_int_equal(p.min_gap_days, 21);
	parse_ok(PROTO("\"courses\": 2, \"gap_days\": 10, \"min_gap_days\": 7, ", INJ), &p);
	assert_int_equal(p.courses, 2);
	assert_int_equal(p.gap_days, 10);
	assert_int_equal(p.min_gap_days, 7);

	/* the canonical JSON spells the defaults out */
	parse_ok(PROTO("", INJ), &p);
	json = protocol_to_json(&p);
	assert_non_null(strstr(json, "\"courses\": 4"));
	assert_non_null(strstr(json, "\"gap_days\": 14"));
	assert_non_null(strstr(json, "\"min_gap_days\": 14"));
	assert_non_null(strstr(json, "\"source\": \"any\""));
	free(json);

	/* the edges of the ranges are allowed */
	parse_ok(PROTO("\"courses\": 1, ", INJ), &p);
	assert_int_equal(p.courses, 1);
	parse_ok(PROTO("\"courses\": 8, ", INJ), &p);
	assert_int_equal(p.courses, 8);
	parse_ok(PROTO("\"gap_days\": 14, \"min_gap_days\": 14, ", INJ), &p);
	assert_int_equal(p.min_gap_days, 14);
	parse_ok(PROTO("", "{\"step\": \"injection\", \"anchor\": \"each\", \"minutes\": 5,"
	    " \"needs\": [\"clinician\"]}"), &p);
	parse_ok(PROTO("", "{\"step\": \"injection\", \"anchor\": \"each\", \"minutes\": 240,"
	    " \"needs\": [\"clinician\"]}"), &p);
}

/* A full protocol of the admin's own round-trips too. */
static void
test_own_protocol_round_trip(void **state)
{
	static const char json[] = PROTO("\"title\": \"Schulter: Eigenzellen, 2 Kurse\","
	    " \"source\": \"autologous\", \"courses\": 2, \"gap_days\": 21, \"min_gap_days\": 18, ",
	    CALL "," HARVEST "," INJ "," FOLLOWUP ","
	    "{\"step\": \"imaging\", \"anchor\": \"each\", \"offset_days\": 30,"
	    " \"window\": [-7, 7], \"minutes\": 30, \"needs\": [\"room:imaging|mri\", \"device:c-arm\"]}");
	struct protocol a, b;
	char *j1, *j2;

	(void)state;
	parse_ok(json, &a);
	assert_string_equal(a.title, "Schulter: Eigenzellen, 2 Kurse");
	assert_int_equal(a.nsteps, 5);
	assert_int_equal(a.injection, 2);
	assert_int_equal(a.steps[4].kind, STEP_IMAGING);
	assert_int_equal(a.steps[4].needs[1].kind, RES_DEVICE);
	assert_string_equal(a.steps[4].needs[1].tags[0], "c-arm");
	j1 = protocol_to_json(&a);
	parse_ok(j1, &b);
	assert_memory_equal(&a, &b, sizeof a);
	j2 = protocol_to_json(&b);
	assert_string_equal(j1, j2);
	free(j1);
	free(j2);
}

/* Each mistake is refused with a sentence that points at it. */
static void
test_refusals(void **state)
{
	static const struct {
		const char *what, *json, *says;
	} cases[] = {
		{ "not JSON", "{name: hip}", "not valid JSON" },
		{ "empty file", "", "not valid JSON" },
		{ "no opening brace", "\"name\": \"t-1\", \"steps\": [" INJ "]}", "not valid JSON" },
		{ "a duplicate key", "{\"name\": \"a\", \"name\": \"b\", \"steps\": [" INJ "]}",
		    "not valid JSON" },
		{ "an array", "[" INJ "]", "a protocol is a JSON object" },
		{ "unknown field", PROTO("\"colour\": \"red\", ", INJ), "unknown field \"colour\"" },
		{ "unknown step field",
		    PROTO("", "{\"step\": \"injection\", \"anchor\": \"each\", \"minutes\": 60,"
		    " \"needs\": [\"clinician\"], \"room\": \"A\"}"),
		    "step 1: unknown field \"room\"" },
		{ "missing name", "{\"steps\": [" INJ "]}", "needs \"name\"" },
		{ "bad name", "{\"name\": \"Hip 4\", \"steps\": [" INJ "]}", "a protocol name is" },
		{ "name too long",
		    "{\"name\": \"a23456789-123456789-123456789-123456789-1\", \"steps\": [" INJ "]}",
		    "a protocol name is 1 to 40" },
		{ "missing steps", "{\"name\": \"t-1\"}", "\"steps\" is a list of 1 to" },
		{ "no steps", PROTO("", ""), "\"steps\" is a list of 1 to" },
		{ "missing injection", PROTO("", CALL "," FOLLOWUP), "needs an injection step" },
		{ "two injections", PROTO("", INJ "," INJ), "exactly one injection step" },
		{ "unknown step", PROTO("", INJ ", {\"step\": \"massage\", \"anchor\": \"last\","
		    " \"offset_days\": 3, \"minutes\": 30, \"needs\": [\"clinician\"]}"),
		    "step 2: \"step\" is one of call, harvest, injection, followup, imaging" },
		{ "bad anchor", PROTO("", INJ ", {\"step\": \"followup\", \"anchor\": \"middle\","
		    " \"offset_days\": 14, \"minutes\": 20, \"needs\": [\"clinician\"]}"),
		    "step 2: \"anchor\" is first, each or last" },
		{ "missing anchor", PROTO("", "{\"step\": \"injection\", \"minutes\": 60,"
		    " \"needs\": [\"clinician\"]}"), "step 1 needs \"anchor\"" },
		{ "window [1, 0]", PROTO("", INJ ", {\"step\": \"followup\", \"anchor\": \"last\","
		    " \"offset_days\": 14, \"window\": [1, 0], \"minutes\": 20,"
		    " \"needs\": [\"clinician\"]}"), "step 2: \"window\" is [before, after]" },
		{ "window of one number", PROTO("", "{\"step\": \"injection\", \"anchor\": \"each\","
		    " \"window\": [3], \"minutes\": 60, \"needs\": [\"clinician\"]}"),
		    "\"window\" must be two whole numbers" },
		{ "injection window before its day", PROTO("", "{\"step\": \"injection\","
		    " \"anchor\": \"each\", \"window\": [-2, 3], \"minutes\": 60,"
		    " \"needs\": [\"clinician\"]}"), "the injection step has anchor \"each\"" },
		{ "injection anchored first", PROTO("", "{\"step\": \"injection\","
		    " \"anchor\": \"first\", \"minutes\": 60, \"needs\": [\"clinician\"]}"),
		    "the injection step has anchor \"each\"" },
		{ "minutes 7", PROTO("", "{\"step\": \"injection\", \"anchor\": \"each\","
		    " \"minutes\": 7, \"needs\": [\"clinician\"]}"), "a multiple of 5" },
		{ "minutes 0", PROTO("", "{\"step\": \"injection\", \"anchor\": \"each\","
		    " \"minutes\": 0, \"needs\": [\"clinician\"]}"),
		    "\"minutes\" must be a whole number from 5 to 240" },
		{ "minutes 500", PROTO("", "{\"step\": \"injection\", \"anchor\": \"each\","
		    " \"minutes\": 500, \"needs\": [\"clinician\"]}"),
		    "\"minutes\" must be a whole number from 5 to 240" },
		{ "minutes missing", PROTO("", "{\"step\": \"injection\", \"anchor\": \"each\","
		    " \"needs\": [\"clinician\"]}"), "step 1 needs \"minutes\"" },
		{ "minutes as text", PROTO("", "{\"step\": \"injection\", \"anchor\": \"each\","
		    " \"minutes\": \"60\", \"needs\": [\"clinician\"]}"),
		    "\"minutes\" must be a whole number" },
		{ "a harvest in a donor protocol",
		    PROTO("\"source\": \"donor\", ", HARVEST "," INJ),
		    "step 1: a donor protocol has no harvest" },
		{ "a harvest on the injection day", PROTO("", INJ ", {\"step\": \"harvest\","
		    " \"anchor\": \"first\", \"offset_days\": 0, \"minutes\": 30,"
		    " \"needs\": [\"room:procedure\"]}"), "step 2: a harvest comes before its injection" },
		{ "a harvest after the injection", PROTO("", INJ ", {\"step\": \"harvest\","
		    " \"anchor\": \"first\", \"offset_days\": 2, \"minutes\": 30,"
		    " \"needs\": [\"room:procedure\"]}"), "step 2: a harvest comes before its injection" },
		{ "a harvest window reaching the injection", PROTO("", INJ ", {\"step\": \"harvest\","
		    " \"anchor\": \"first\", \"offset_days\": -2, \"window\": [-3, 2], \"minutes\": 30,"
		    " \"needs\": [\"room:procedure\"]}"), "a harvest comes before its injection" },
		{ "a follow-up on the injection day", PROTO("", INJ ", {\"step\": \"followup\","
		    " \"anchor\": \"last\", \"offset_days\": 0, \"minutes\": 20,"
		    " \"needs\": [\"clinician\"]}"), "step 2: a followup comes after its injection" },
		{ "a follow-up before the injection", PROTO("", INJ ", {\"step\": \"followup\","
		    " \"anchor\": \"last\", \"offset_days\": -7, \"minutes\": 20,"
		    " \"needs\": [\"clinician\"]}"), "step 2: a followup comes after its injection" },
		{ "a call after the injection", PROTO("", INJ ", {\"step\": \"call\","
		    " \"anchor\": \"first\", \"offset_days\": 3, \"minutes\": 10}"),
		    "a call comes before its injection" },
		{ "a call with a room", PROTO("", INJ ", {\"step\": \"call\", \"anchor\": \"first\","
		    " \"offset_days\": -14, \"minutes\": 10, \"needs\": [\"room\"]}"),
		    "a call needs no room or person" },
		{ "a follow-up needing nothing", PROTO("", INJ ", {\"step\": \"followup\","
		    " \"anchor\": \"last\", \"offset_days\": 14, \"minutes\": 20}"),
		    "a followup needs at least one resource" },
		{ "need \"room:\"", PROTO("", "{\"step\": \"injection\", \"anchor\": \"each\","
		    " \"minutes\": 60, \"needs\": [\"room:\"]}"), "the tags of a need" },
		{ "need \"room:a||b\"", PROTO("", "{\"step\": \"injection\", \"anchor\": \"each\","
		    " \"minutes\": 60, \"needs\": [\"room:a||b\"]}"), "the tags of a need" },
		{ "need \"room:Ultrasound\"", PROTO("", "{\"step\": \"injection\", \"anchor\":"
		    " \"each\", \"minutes\": 60, \"needs\": [\"room:Ultrasound\"]}"),
		    "the tags of a need" },
		{ "need \"kitchen\"", PROTO("", "{\"step\": \"injection\", \"anchor\": \"each\","
		    " \"minutes\": 60, \"needs\": [\"kitchen\"]}"),
		    "a need starts with room, device or clinician" },
		{ "need as a number", PROTO("", "{\"step\": \"injection\", \"anchor\": \"each\","
		    " \"minutes\": 60, \"needs\": [3]}"), "each need is text" },
		{ "five needs", PROTO("", "{\"step\": \"injection\", \"anchor\": \"each\","
		    " \"minutes\": 60, \"needs\": [\"room\", \"room\", \"device\", \"clinician\","
		    " \"clinician\"]}"), "a list of at most 4 resources" },
		{ "min_gap_days > gap_days", PROTO("\"gap_days\": 14, \"min_gap_days\": 15, ", INJ),
		    "\"min_gap_days\" must be a whole number from 1 to 14" },
		{ "min_gap_days 0", PROTO("\"min_gap_days\": 0, ", INJ),
		    "\"min_gap_days\" must be a whole number from 1 to 14" },
		{ "gap_days 0", PROTO("\"gap_days\": 0, ", INJ),
		    "\"gap_days\" must be a whole number from 1" },
		{ "courses 0", PROTO("\"courses\": 0, ", INJ),
		    "\"courses\" must be a whole number from 1 to 8" },
		{ "courses 9", PROTO("\"courses\": 9, ", INJ),
		    "\"courses\" must be a whole number from 1 to 8" },
		{ "courses 2.5", PROTO("\"courses\": 2.5, ", INJ),
		    "\"courses\" must be a whole number from 1 to 8" },
		{ "source blood", PROTO("\"source\": \"blood\", ", INJ),
		    "\"source\" is autologous, donor or any" },
		{ "title as a number", PROTO("\"title\": 4, ", INJ), "\"title\" must be text" },
	};
	struct protocol p;
	struct cd_err err;
	enum cd_status st;
	size_t i;

	(void)state;
	for (i = 0; i < LEN(cases); i++) {
		memset(&err, 0, sizeof err);
		st = protocol_parse(cases[i].json, &p, &err);
		if (st != CD_REFUSED)
			fail_msg("%s: status %d, want a refusal (%s)", cases[i].what, st, err.msg);
		if (err.status != CD_REFUSED)
			fail_msg("%s: err.status %d", cases[i].what, err.status);
		if (strstr(err.msg, cases[i].says) == NULL)
			fail_msg("%s: \"%s\" should say \"%s\"", cases[i].what, err.msg, cases[i].says);
		if (err.msg[strlen(err.msg) - 1] == '\n')
			fail_msg("%s: the sentence ends in a line break", cases[i].what);
	}
}

/* protocol.h: "on refusal err says what is wrong (CD_REFUSED)". A title
 * or note with a control character is a mistake in the file like any
 * other: a refusal (exit 1), not a command-line usage error (exit 2). */
static void
test_bad_text_is_a_refusal(void **state)
{
	static const char *const bad[] = {
		PROTO("\"title\": \"Hip\\u001b[31m\", ", INJ),
		PROTO("", "{\"step\": \"injection\", \"anchor\": \"each\", \"minutes\": 60,"
		    " \"needs\": [\"clinician\"], \"note\": \"rest\\u0007\"}"),
	};
	struct protocol p;
	struct cd_err err;
	enum cd_status st;
	size_t i;

	(void)state;
	for (i = 0; i < LEN(bad); i++) {
		memset(&err, 0, sizeof err);
		st = protocol_parse(bad[i], &p, &err);
		if (st != CD_REFUSED)
			fail_msg("BUG: status %d, want CD_REFUSED (%d): %s", st, CD_REFUSED, err.msg);
		assert_non_null(strstr(err.msg, "control character"));
	}
}

/* A title or note the parser accepts is kept whole: 150 characters are
 * allowed, and Ukrainian or German text has two bytes a letter. Cutting
 * it short (in the middle of a letter, even) is never right. */
static void
test_long_text_kept_whole(void **state)
{
	struct strbuf title = STRBUF_INIT, note = STRBUF_INIT, json = STRBUF_INIT;
	struct protocol p, q;
	struct cd_err err;
	enum cd_status st;
	char *out;
	int i;

	(void)state;
	/* 150 characters, 272 bytes: "Кульшовий суглоб ок суглоб ок ...ю" */
	for (i = 0; i < 15; i++)
		strbuf_adds(&title, i == 0 ? "Кульшовий " : "суглоб ок ");
	title.s[--title.len] = '\0';
	strbuf_adds(&title, "ю");
	/* 139 characters, 258 bytes */
	for (i = 0; i < 20; i++)
		strbuf_adds(&note, "спокій ");
	note.s[--note.len] = '\0';
	strbuf_addf(&json, "{\"name\": \"t-1\", \"title\": \"%s\", \"steps\": [{\"step\":"
	    " \"injection\", \"anchor\": \"each\", \"minutes\": 60, \"needs\": [\"clinician\"],"
	    " \"note\": \"%s\"}]}", title.s, note.s);
	memset(&err, 0, sizeof err);
	st = protocol_parse(json.s, &p, &err);
	if (st == CD_OK) {
		if (strcmp(p.title, title.s) != 0)
			fail_msg("BUG: the title of %zu bytes was accepted but kept as %zu bytes: \"%s\"",
			    strlen(title.s), strlen(p.title), p.title);
		if (strcmp(p.steps[0].note, note.s) != 0)
			fail_msg("the note was accepted but kept as \"%s\"", p.steps[0].note);
		out = protocol_to_json(&p);
		parse_ok(out, &q);
		assert_string_equal(q.title, title.s);
		free(out);
	} else {
		/* refusing it is right too, with a sentence */
		assert_int_equal(st, CD_REFUSED);
		assert_true(err.msg[0] != '\0');
	}
	strbuf_free(&title);
	strbuf_free(&note);
	strbuf_free(&json);
}

/* The words the planner's refusals are made of. */
static void
test_describe(void **state)
{
	struct protocol p;
	char buf[128];

	(void)state;
	parse_ok(protocol_defaults[0], &p);
	proto_need_describe(&p.steps[p.injection].needs[0], buf, sizeof buf);
	assert_string_equal(buf, "room with ultrasound or fluoroscopy");
	proto_need_describe(&p.steps[p.injection].needs[1], buf, sizeof buf);
	assert_string_equal(buf, "clinician");
	step_describe(&p.steps[p.injection], 3, buf, sizeof buf);
	assert_string_equal(buf, "the course 3 injection");
	step_describe(&p.steps[0], 0, buf, sizeof buf);
	assert_string_equal(buf, "the call 14 days before the first course");
	step_describe(&p.steps[1], 1, buf, sizeof buf);
	assert_string_equal(buf, "the harvest");
	step_describe(&p.steps[4], 4, buf, sizeof buf);
	assert_string_equal(buf, "the 6-week follow-up");
	parse_ok(protocol_defaults[2], &p);
	step_describe(&p.steps[1], 2, buf, sizeof buf);
	assert_string_equal(buf, "the course 2 harvest");
	assert_true(protocol_step_applies(&p.steps[1], SOURCE_AUTOLOGOUS));
	assert_false(protocol_step_applies(&p.steps[1], SOURCE_DONOR));
	assert_true(protocol_step_applies(&p.steps[p.injection], SOURCE_DONOR));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_defaults_round_trip),
		cmocka_unit_test(test_defaults_content),
		cmocka_unit_test(test_defaults_applied),
		cmocka_unit_test(test_own_protocol_round_trip),
		cmocka_unit_test(test_refusals),
		cmocka_unit_test(test_bad_text_is_a_refusal),
		cmocka_unit_test(test_long_text_kept_whole),
		cmocka_unit_test(test_describe),
	};

	unit_fixed_env();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
