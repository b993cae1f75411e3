/* test_lab_config.c - the [lab] section of celldesk.conf(5)
 * (src/sync/lab_config.c): defaults, each key, each refusal in a sentence
 * naming the file and the key, and the token file's type, owner and mode.
 * Each test runs with HOME and XDG_CONFIG_HOME in a private folder. The
 * system file /etc/celldesk/celldesk.conf is read too (there is no test
 * seam for its path): the tests need it absent, and root, as the
 * command-line tests do. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "sync/lab_config.h"
#include "unit_util.h"

#define LEN(a) (sizeof(a) / sizeof((a)[0]))
#define SYSTEM_CONFIG "/etc/celldesk/celldesk.conf"

struct fx {
	char *dir;      /* HOME */
	char *xdg;      /* XDG_CONFIG_HOME */
	char *conf;     /* $XDG_CONFIG_HOME/celldesk/config */
	char *token;    /* dir/token, a good token file once made */
};

static int
fx_setup(void **state)
{
	struct fx *f = calloc(1, sizeof *f);
	char *d;

	assert_non_null(f);
	f->dir = unit_tmpdir();
	f->xdg = unit_path(f->dir, "xdg");
	d = unit_path(f->xdg, "celldesk");
	assert_int_equal(mkdir(f->xdg, 0700), 0);
	assert_int_equal(mkdir(d, 0700), 0);
	f->conf = unit_path(d, "config");
	f->token = unit_path(f->dir, "token");
	free(d);
	setenv("HOME", f->dir, 1);
	setenv("XDG_CONFIG_HOME", f->xdg, 1);
	*state = f;
	return 0;
}

static int
fx_teardown(void **state)
{
	struct fx *f = *state;

	unit_rmtree(f->dir);
	free(f->dir), free(f->xdg), free(f->conf), free(f->token);
	free(f);
	return 0;
}

/* A system [lab] would change these tests' expectations. */
static void
need_no_system_file(void)
{
	if (access(SYSTEM_CONFIG, F_OK) == 0)
		fail_msg("%s exists; run the tests where it does not (a clean machine)",
		    SYSTEM_CONFIG);
}

static void
write_conf(const struct fx *f, const char *text)
{
	assert_true(unit_write(f->conf, text, strlen(text)));
}

/* Writes a file of len bytes with mode (exactly, umask aside). */
static void
write_mode(const char *path, const char *data, size_t len, mode_t mode)
{
	unlink(path);
	assert_true(unit_write(path, data, len));
	assert_int_equal(chmod(path, mode), 0);
}

/* Loads and expects a refusal whose sentence holds every one of the
 * NULL-terminated strings; the config comes back empty. */
static void
expect_refused(const char *what, ...)
{
	struct lab_config c;
	struct cd_err err;
	const char *want;
	va_list ap;

	memset(&err, 0, sizeof err);
	if (lab_config_load(&c, &err) != CD_EDATA)
		fail_msg("%s: accepted, expected a refusal", what);
	va_start(ap, what);
	while ((want = va_arg(ap, const char *)) != NULL) {
		if (strstr(err.msg, want) == NULL)
			fail_msg("%s: the sentence '%s' lacks '%s'", what, err.msg, want);
	}
	va_end(ap);
	if (strchr(err.msg, '\n') != NULL || strchr(err.msg, '\033') != NULL)
		fail_msg("%s: the sentence has a raw control character: %s", what, err.msg);
	assert_null(c.url);
	assert_null(c.token);
	assert_null(c.token_file);
	assert_null(c.ca_file);
}

/* Loads and expects success. */
static void
load_ok(const char *what, struct lab_config *c)
{
	struct cd_err err;

	memset(&err, 0, sizeof err);
	if (lab_config_load(c, &err) != CD_OK)
		fail_msg("%s: refused: %s", what, err.msg);
}

static void
test_defaults(void **state)
{
	struct fx *f = *state;
	struct lab_config c;

	need_no_system_file();
	load_ok("no file", &c);
	assert_null(c.url);
	assert_null(c.token);
	assert_null(c.token_file);
	assert_null(c.ca_file);
	assert_int_equal(c.connect_timeout, 10);
	assert_int_equal(c.timeout, 60);
	assert_int_equal(c.page_size, 100);
	assert_false(c.allow_insecure_loopback);
	lab_config_free(&c);

	write_conf(f, "db = /srv/clinic.db\n[other]\nurl = https://elsewhere.example\n"
	    "timeout = 5\n");
	load_ok("no [lab] section", &c);
	assert_null(c.url);
	assert_int_equal(c.timeout, 60);
	lab_config_free(&c);

	write_conf(f, "[lab]\n# nothing yet\n");
	load_ok("an empty [lab]", &c);
	assert_null(c.url);
	assert_int_equal(c.page_size, 100);
	lab_config_free(&c);
}

static void
test_each_key(void **state)
{
	struct fx *f = *state;
	struct lab_config c;
	char *ca = unit_path(f->dir, "ca.pem"), text[2048];

	write_mode(ca, "-----BEGIN CERTIFICATE-----\n", 28, 0644);
	write_mode(f->token, "abc.DEF-123_~+/=\n\r\n  \t", 22, 0600);
	snprintf(text, sizeof text, "[lab]\nurl = https://lab.example/fhir/R4/\n"
	    "token_file = %s\nca_file = %s\nconnect_timeout = 5\ntimeout = 30\n"
	    "page_size = 250\nallow_insecure_loopback = yes\n", f->token, ca);
	write_conf(f, text);
	load_ok("every key", &c);
	assert_string_equal(c.url, "https://lab.example/fhir/R4");
	assert_string_equal(c.token, "abc.DEF-123_~+/=");
	assert_string_equal(c.token_file, f->token);
	assert_string_equal(c.ca_file, ca);
	assert_int_equal(c.connect_timeout, 5);
	assert_int_equal(c.timeout, 30);
	assert_int_equal(c.page_size, 250);
	assert_true(c.allow_insecure_loopback);
	lab_config_free(&c);
	assert_null(c.url);
	assert_null(c.token);

	write_conf(f, "[lab]\nconnect_timeout = 1\ntimeout = 3600\npage_size = 1000\n");
	load_ok("the upper and lower bounds", &c);
	assert_int_equal(c.connect_timeout, 1);
	assert_int_equal(c.timeout, 3600);
	assert_int_equal(c.page_size, 1000);
	lab_config_free(&c);

	write_conf(f, "[lab]\nconnect_timeout = 300\ntimeout = 1\npage_size = 1\n"
	    "token_file = ~/token\n");
	load_ok("other bounds, a token_file under ~/", &c);
	assert_int_equal(c.connect_timeout, 300);
	assert_int_equal(c.timeout, 1);
	assert_int_equal(c.page_size, 1);
	assert_string_equal(c.token_file, f->token);
	assert_string_equal(c.token, "abc.DEF-123_~+/=");
	lab_config_free(&c);

	write_conf(f, "[lab]\ntimeout = 5\ntimeout = 7\n[other]\ntimeout = 9\n");
	load_ok("the last setting of a key wins", &c);
	assert_int_equal(c.timeout, 7);
	lab_config_free(&c);
	free(ca);
}

static void
test_booleans(void **state)
{
	static const struct {
		const char *text;
		bool want;
	} cases[] = {
		{ "true", true }, { "yes", true }, { "1", true }, { "TRUE", true }, { "Yes", true },
		{ "false", false }, { "no", false }, { "0", false }, { "False", false },
	};
	struct fx *f = *state;
	struct lab_config c;
	char text[256];
	size_t i;

	for (i = 0; i < LEN(cases); i++) {
		snprintf(text, sizeof text, "[lab]\nallow_insecure_loopback = %s\n", cases[i].text);
		write_conf(f, text);
		load_ok(cases[i].text, &c);
		if (c.allow_insecure_loopback != cases[i].want)
			fail_msg("allow_insecure_loopback = %s gave %d", cases[i].text,
			    c.allow_insecure_loopback);
		lab_config_free(&c);
	}
}

static void
test_urls_accepted(void **state)
{
	static const struct {
		const char *url, *insecure, *want;
	} cases[] = {
		{ "https://lab.example", "false", "https://lab.example" },
		{ "https://lab.example/", "false", "https://lab.example" },
		{ "https://lab.example:8443/fhir/R4//", "false", "https://lab.example:8443/fhir/R4" },
		{ "https://10.0.0.7/fhir", "false", "https://10.0.0.7/fhir" },
		{ "https://127.0.0.1:9443/fhir", "false", "https://127.0.0.1:9443/fhir" },
		{ "http://127.0.0.1:8080/fhir/R4", "true", "http://127.0.0.1:8080/fhir/R4" },
		{ "http://[::1]:8080/fhir/", "true", "http://[::1]:8080/fhir" },
		{ "http://localhost:8080/fhir", "true", "http://localhost:8080/fhir" },
		{ "http://LocalHost/fhir", "true", "http://LocalHost/fhir" },
	};
	struct fx *f = *state;
	struct lab_config c;
	char text[512];
	size_t i;

	for (i = 0; i < LEN(cases); i++) {
		snprintf(text, sizeof text, "[lab]\nurl = %s\nallow_insecure_loopback = %s\n",
		    cases[i].url, cases[i].insecure);
		write_conf(f, text);
		load_ok(cases[i].url, &c);
		if (c.url == NULL || strcasecmp(c.url, cases[i].want) != 0)
			fail_msg("url = %s gave %s, expected %s", cases[i].url,
			    c.url != NULL ? c.url : "(none)", cases[i].want);
		lab_config_free(&c);
	}
}

static void
test_refusals(void **state)
{
	static const struct {
		const char *text, *want1, *want2;
	} cases[] = {
		{ "connect_timeout = 0", "connect_timeout", "from 1 to 300" },
		{ "connect_timeout = 301", "connect_timeout", "'301'" },
		{ "connect_timeout = -5", "connect_timeout", "from 1 to 300" },
		{ "connect_timeout = 10s", "connect_timeout", "'10s'" },
		{ "connect_timeout = ten", "connect_timeout", "whole number" },
		{ "connect_timeout = +5", "connect_timeout", "whole number" },
		{ "timeout = 0", "timeout", "from 1 to 3600" },
		{ "timeout = 3601", "timeout", "from 1 to 3600" },
		{ "timeout = 99999999999999999999999", "timeout", "from 1 to 3600" },
		{ "timeout = 1.5", "timeout", "whole number" },
		{ "page_size = 0", "page_size", "from 1 to 1000" },
		{ "page_size = 1001", "page_size", "from 1 to 1000" },
		{ "allow_insecure_loopback = maybe", "allow_insecure_loopback", "true or false" },
		{ "allow_insecure_loopback = on", "allow_insecure_loopback", "'on'" },
		{ "url = lab.example/fhir", "url", "https" },
		{ "url = not a url", "url", "a space" },
		{ "url = notaurl", "url", "not a URL" },
		{ "url = https://lab example/", "url", "a space" },
		{ "url = https://lab.example:99999/", "url", "not a URL" },
		{ "url = https://", "url", "URL" },
		{ "url = ftp://lab.example/fhir", "url", "https://" },
		{ "url = file:///etc/passwd", "url", "https" },
		{ "url = http://lab.example/fhir", "url", "not https" },
		{ "url = http://lab.example/fhir\nallow_insecure_loopback = true", "url",
		    "127.0.0.1" },
		{ "url = http://127.0.0.2/fhir\nallow_insecure_loopback = true", "url", "not https" },
		{ "url = http://localhost.evil.example/\nallow_insecure_loopback = true", "url",
		    "not https" },
		{ "url = http://127.0.0.1:8080/fhir", "url", "allow_insecure_loopback = true" },
		{ "url = http://[::1]/fhir\nallow_insecure_loopback = false", "url",
		    "allow_insecure_loopback" },
		{ "url = https://user:secret@lab.example/fhir", "url", "token_file" },
		{ "url = https://user@lab.example/fhir", "url", "user name or password" },
		{ "url = https://lab.example/fhir?_format=json", "url", "'?'" },
		{ "url = https://lab.example/fhir#x", "url", "'#'" },
		{ "url =", "url", "empty" },
		{ "token_file =", "token_file", "empty" },
		{ "timeout = \"\"", "timeout", "empty" },
		{ "time_out = 5", "time_out", "no setting" },
		{ "ca_file = /nonexistent/ca.pem", "ca_file", "/nonexistent/ca.pem" },
		{ "ca_file = /", "ca_file", "not a regular file" },
		{ "token_file = /nonexistent/token", "token_file", "/nonexistent/token" },
		{ "token_file = token.txt", "token_file token.txt", "absolute path" },
		{ "ca_file = certs/ca.pem", "ca_file certs/ca.pem", "absolute path" },
		{ "token_file = /tmp/\033[31mtoken", "token_file", "control characters" },
		{ "page_size = \033[2J", "page_size", "\\x1b[2J" },
		{ "url = https://lab\033]0;pwned\007.example/", "url", "\\x1b]0;pwned" },
		{ "url = https://lab.example/\342\200\256fhir", "url", "\\u202e" },
	};
	struct fx *f = *state;
	char text[512];
	size_t i;

	for (i = 0; i < LEN(cases); i++) {
		snprintf(text, sizeof text, "[lab]\n%s\n", cases[i].text);
		write_conf(f, text);
		expect_refused(cases[i].text, f->conf, cases[i].want1, cases[i].want2,
		    (const char *)NULL);
	}
	write_conf(f, "[lab]\nurl https://lab.example\n");
	expect_refused("a malformed line", f->conf, "line 2", (const char *)NULL);
}

static void
test_user_file_place(void **state)
{
	struct fx *f = *state;
	struct lab_config c;
	char *dot = unit_path(f->dir, ".config"), *dir = unit_path(dot, "celldesk");
	char *conf = unit_path(dir, "config");

	need_no_system_file();
	assert_int_equal(mkdir(dot, 0700), 0);
	assert_int_equal(mkdir(dir, 0700), 0);
	assert_true(unit_write(conf, "[lab]\npage_size = 7\n", 20));
	write_conf(f, "[lab]\npage_size = 9\n");
	load_ok("XDG_CONFIG_HOME set", &c);
	assert_int_equal(c.page_size, 9);
	lab_config_free(&c);

	unsetenv("XDG_CONFIG_HOME");
	load_ok("XDG_CONFIG_HOME unset", &c);
	assert_int_equal(c.page_size, 7);
	lab_config_free(&c);

	setenv("XDG_CONFIG_HOME", "relative/dir", 1);
	load_ok("XDG_CONFIG_HOME not absolute", &c);
	assert_int_equal(c.page_size, 7);
	lab_config_free(&c);
	free(conf), free(dir), free(dot);
}

/* A config naming f->token as the token_file. */
static void
conf_with_token(const struct fx *f, const char *path)
{
	char text[1024];

	snprintf(text, sizeof text, "[lab]\nurl = https://lab.example/fhir\ntoken_file = %s\n",
	    path);
	write_conf(f, text);
}

static void
test_token_modes(void **state)
{
	static const mode_t bad[] = { 0644, 0640, 0604, 0660, 0666, 0400, 0700, 0611, 01600,
		02600, 04600, 0000 };
	struct fx *f = *state;
	struct lab_config c;
	char want[512], mode[16];
	size_t i;

	conf_with_token(f, f->token);
	write_mode(f->token, "s3cret-token", 12, 0600);
	load_ok("mode 0600", &c);
	assert_string_equal(c.token, "s3cret-token");
	lab_config_free(&c);

	write_mode(f->token, "s3cret-token", 12, 0644);
	snprintf(want, sizeof want, "token_file %s has mode 0644; it must be 0600 (chmod 600 %s)",
	    f->token, f->token);
	expect_refused("mode 0644", f->conf, want, (const char *)NULL);
	for (i = 0; i < LEN(bad); i++) {
		write_mode(f->token, "s3cret-token", 12, bad[i]);
		snprintf(mode, sizeof mode, "mode %04o;", (unsigned)bad[i]);
		expect_refused(mode, f->token, mode, "must be 0600", (const char *)NULL);
	}
	chmod(f->token, 0600);
}

static void
test_token_not_a_file(void **state)
{
	struct fx *f = *state;
	struct lab_config c;
	char *target = unit_path(f->dir, "real-token"), *fifo = unit_path(f->dir, "fifo");
	char *sub = unit_path(f->dir, "folder");

	write_mode(target, "s3cret-token\n", 13, 0600);
	assert_int_equal(symlink(target, f->token), 0);
	conf_with_token(f, target);
	load_ok("the link's target itself", &c);
	lab_config_free(&c);
	conf_with_token(f, f->token);
	expect_refused("a symbolic link to a good token file", f->token, "symbolic link",
	    (const char *)NULL);

	assert_int_equal(mkfifo(fifo, 0600), 0);
	conf_with_token(f, fifo);
	expect_refused("a FIFO (must not hang)", fifo, "not a regular file", (const char *)NULL);

	assert_int_equal(mkdir(sub, 0600), 0);
	conf_with_token(f, sub);
	expect_refused("a folder", sub, "folder", (const char *)NULL);
	free(target), free(fifo), free(sub);
}

static void
test_token_owner(void **state)
{
	struct fx *f = *state;

	if (geteuid() != 0)
		fail_msg("the tests run as root (only root can give a file away)");
	write_mode(f->token, "s3cret-token", 12, 0600);
	assert_int_equal(chown(f->token, 65534, 65534), 0);
	conf_with_token(f, f->token);
	expect_refused("someone else's file", f->token, "belongs to user id 65534",
	    (const char *)NULL);
}

static void
test_token_content(void **state)
{
	static const struct {
		const char *what, *data, *want;
	} bad[] = {
		{ "empty", "", "is empty" },
		{ "only whitespace", " \n\t\r\n", "is empty" },
		{ "a space inside", "s3cret token", "byte 7" },
		{ "a leading space", " s3cret", "byte 1" },
		{ "a tab inside", "s3cret\ttoken", "byte 7" },
		{ "a control character", "s3cret\001token", "printable ASCII" },
		{ "an escape", "s3cret\033[2Jtoken", "printable ASCII" },
		{ "UTF-8", "s3cr\303\251t", "printable ASCII" },
		{ "two lines", "s3cret\nsecond-line", "byte 7" },
	};
	struct fx *f = *state;
	struct lab_config c;
	struct cd_err err;
	char *big = malloc(4098);
	size_t i;

	assert_non_null(big);
	conf_with_token(f, f->token);
	for (i = 0; i < LEN(bad); i++) {
		write_mode(f->token, bad[i].data, strlen(bad[i].data), 0600);
		expect_refused(bad[i].what, f->conf, f->token, bad[i].want, (const char *)NULL);
		memset(&err, 0, sizeof err);
		lab_config_load(&c, &err);
		if (strstr(err.msg, "s3cr") != NULL)
			fail_msg("%s: the sentence shows the token: %s", bad[i].what, err.msg);
	}

	memset(big, 'A', 4097);
	write_mode(f->token, big, 4096, 0600);
	load_ok("4096 bytes", &c);
	assert_int_equal(strlen(c.token), 4096);
	lab_config_free(&c);
	big[4096] = '\n';
	write_mode(f->token, big, 4097, 0600);
	load_ok("4096 bytes and a newline", &c);
	assert_int_equal(strlen(c.token), 4096);
	lab_config_free(&c);
	big[4096] = 'A';
	write_mode(f->token, big, 4097, 0600);
	expect_refused("4097 bytes", "more than 4096 bytes", (const char *)NULL);
	free(big);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_defaults, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_each_key, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_booleans, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_urls_accepted, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_refusals, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_user_file_place, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_token_modes, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_token_not_a_file, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_token_owner, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_token_content, fx_setup, fx_teardown),
	};

	unit_fixed_env();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
