/* isbt.c - ISBT 128 check characters, DIN / product / lot code syntax
 * and the classification of one barcode scan (see isbt.h for the rules
 * and where they come from). Every reader here works on (pointer, length)
 * and never looks past the length. */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "isbt.h"

static const char check_chars[] = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ*";

#define DIN_RULE "a letter other than O or a digit 1-9, then 12 digits"
#define PRODUCT_RULE "a letter and 4 digits, the type of donation and 2 division" \
	" characters, e.g. S1234A00"
#define UNKNOWN_SCAN "not a barcode celldesk knows (ISBT 128 DIN, product code or" \
	" expiry, a lot number or a wristband MRN)"

static bool
is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static bool
is_upper(char c)
{
	return c >= 'A' && c <= 'Z';
}

static bool
is_lower(char c)
{
	return c >= 'a' && c <= 'z';
}

/* The first character of a facility number: A-Z but O, or 1-9. */
static bool
is_fin_first(char c)
{
	return (is_upper(c) && c != 'O') || (c >= '1' && c <= '9');
}

/* A flag character of data structure 001: 0-9, A-H, J-N, P, R-Y. */
static bool
is_flag_char(char c)
{
	return is_digit(c) || (is_upper(c) && c != 'I' && c != 'O' && c != 'Q' &&
	    c != 'Z');
}

static bool
all_digits(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (!is_digit(s[i]))
			return false;
	}
	return true;
}

/* True when every byte is printable ASCII, so the text may be quoted. */
static bool
printable(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if ((unsigned char)s[i] < 0x20 || (unsigned char)s[i] >= 0x7f)
			return false;
	}
	return true;
}

int
isbt_check_value(const char din[13])
{
	int sum = 0, v, i;

	/* ISO/IEC 7064 "pure system recursive method": the same as weighting
	 * each value by 2^n from the right, taken mod 37 as it goes. */
	for (i = 0; i < ISBT_DIN_LEN; i++) {
		if (is_digit(din[i]))
			v = din[i] - '0';
		else if (is_upper(din[i]))
			v = din[i] - 'A' + 10;
		else
			return -1;
		sum = (sum + v) * 2 % 37;
	}
	return (38 - sum) % 37;
}

char
isbt_check_char(const char din[13])
{
	int v = isbt_check_value(din);

	return v < 0 ? '\0' : check_chars[v];
}

bool
isbt_din_valid(const char *s, size_t n)
{
	return n == ISBT_DIN_LEN && is_fin_first(s[0]) && all_digits(s + 1, 12);
}

bool
isbt_product_valid(const char *s, size_t n)
{
	return n == ISBT_PRODUCT_LEN && is_upper(s[0]) && all_digits(s + 1, 4) &&
	    (is_digit(s[5]) || is_upper(s[5])) && (is_digit(s[6]) || is_upper(s[6])) &&
	    (is_digit(s[7]) || is_lower(s[7]));
}

void
isbt_din_format_printed(const char din[13], char out[ISBT_DIN_PRINTED_SIZE])
{
	char k = isbt_check_char(din);

	snprintf(out, ISBT_DIN_PRINTED_SIZE, "%.5s %.2s %.6s %c", din, din + 5, din + 7,
	    k != '\0' ? k : '?');
}

/* What is wrong with 13 characters that are not a DIN, for a sentence. */
static const char *
din_problem(const char *s)
{
	if (!is_fin_first(s[0]))
		return "a DIN starts with a letter other than O or a digit 1-9";
	if (!all_digits(s + 1, 4))
		return "its facility number is a letter and 4 digits";
	if (!all_digits(s + 5, 2))
		return "its year is 2 digits";
	return "its sequence number is 6 digits";
}

/* --- lot codes (--id) --- */

enum cd_status
lot_code_parse(const char *text, enum lot_code_kind *kind, char din[14], char product[9],
    struct cd_err *err)
{
	size_t n = strlen(text), i;
	bool din_ok, product_ok;

	/* 22 characters with '-' after 13 and one valid half: meant as ISBT. */
	if (n == ISBT_LOT_CODE_LEN && text[ISBT_DIN_LEN] == '-') {
		din_ok = isbt_din_valid(text, ISBT_DIN_LEN);
		product_ok = isbt_product_valid(text + 14, ISBT_PRODUCT_LEN);
		if (din_ok && product_ok) {
			memcpy(din, text, ISBT_DIN_LEN);
			din[ISBT_DIN_LEN] = '\0';
			memcpy(product, text + 14, ISBT_PRODUCT_LEN);
			product[ISBT_PRODUCT_LEN] = '\0';
			*kind = LOT_CODE_ISBT;
			return CD_OK;
		}
		if (din_ok && printable(text, n))
			return cd_fail(err, CD_USAGE, "--id: '%s' looks like an ISBT 128 lot code"
			    " but its product code '%s' is not one (" PRODUCT_RULE ")", text,
			    text + 14);
		if (product_ok && printable(text, n))
			return cd_fail(err, CD_USAGE, "--id: '%s' looks like an ISBT 128 lot code"
			    " but its DIN '%.13s' is not one: %s", text, text,
			    din_problem(text));
	}
	/* A local number is never a bare DIN, nor a DIN and a dash (a lot code
	 * cut short or mistyped): scans would not find it. */
	if ((n == ISBT_DIN_LEN || (n > ISBT_DIN_LEN && text[ISBT_DIN_LEN] == '-')) &&
	    isbt_din_valid(text, ISBT_DIN_LEN) && printable(text, n))
		return cd_fail(err, CD_USAGE, "--id: '%.40s' starts with an ISBT 128 DIN; write the"
		    " whole lot code, DIN-PRODUCT (e.g. G123426000001-S1234A00), or a local number"
		    " that does not look like a DIN", text);
	if (n >= LOT_LOCAL_MIN && n <= LOT_LOCAL_MAX && is_upper(text[0])) {
		for (i = 1; i < n; i++) {
			if (!is_upper(text[i]) && !is_digit(text[i]) && text[i] != '-')
				break;
		}
		if (i == n) {
			din[0] = product[0] = '\0';
			*kind = LOT_CODE_LOCAL;
			return CD_OK;
		}
	}
	if (n == 0)
		return cd_fail(err, CD_USAGE, "--id must not be empty");
	if (!printable(text, n))
		return cd_fail(err, CD_USAGE, "--id holds control or non-ASCII characters; a lot"
		    " code is an ISBT 128 lot code (DIN-PRODUCT, e.g. G123426000001-S1234A00)"
		    " or a local lot number (4-32 capital letters, digits and -)");
	return cd_fail(err, CD_USAGE, "--id: '%.40s%s' is neither an ISBT 128 lot code"
	    " (DIN-PRODUCT, e.g. G123426000001-S1234A00) nor a local lot number (4-32"
	    " capital letters, digits and -)", text, n > 40 ? "..." : "");
}

/* --- scans --- */

static enum cd_status
scan_din_barcode(const char *s, size_t n, struct scan_result *r, struct cd_err *err)
{
	const char *d = s + 1, *f = s + 14;
	int want, flag;

	/* "=" + 13 DIN characters + 2 flags */
	if (n - 1 < 15)
		return cd_fail(err, CD_EDATA, "this looks like an ISBT 128 DIN barcode but has %zu"
		    " characters after '=', not 15 (13 for the DIN and 2 flags): the scan was"
		    " cut short", n - 1);
	if (n - 1 > 15)
		return cd_fail(err, CD_EDATA, "this looks like an ISBT 128 DIN barcode but has %zu"
		    " characters after '=', not 15: were several barcodes read at once?", n - 1);
	if (!isbt_din_valid(d, ISBT_DIN_LEN))
		return cd_fail(err, CD_EDATA, "the DIN in this barcode (%.13s) is not valid: %s",
		    d, din_problem(d));
	if (!is_flag_char(f[0]) || !is_flag_char(f[1]))
		return cd_fail(err, CD_EDATA, "the DIN's flag characters '%.2s' are not ISBT 128"
		    " flags (two digits such as 00, or 60-96 carrying the check character)", f);
	want = isbt_check_value(d);
	r->check_verified = false;
	if (is_digit(f[0]) && is_digit(f[1])) {
		flag = (f[0] - '0') * 10 + (f[1] - '0');
		if (flag >= 60 && flag <= 96) {
			if (flag - 60 != want)
				return cd_fail(err, CD_EDATA, "the DIN's check character should be %c"
				    " (flags %d) but the barcode's flags %.2s give %c: rescan or type"
				    " the number", check_chars[want], 60 + want, f,
				    check_chars[flag - 60]);
			r->check_verified = true;
		}
	}
	r->kind = SCAN_DIN;
	memcpy(r->din, d, ISBT_DIN_LEN);
	r->din[ISBT_DIN_LEN] = '\0';
	memcpy(r->flags, f, 2);
	r->flags[2] = '\0';
	return CD_OK;
}

static enum cd_status
scan_product(const char *s, size_t n, struct scan_result *r, struct cd_err *err)
{
	const char *p = s + 2;

	if (n - 2 != ISBT_PRODUCT_LEN)
		return cd_fail(err, CD_EDATA, "this looks like an ISBT 128 product code (=<) but"
		    " has %zu characters after =<, not 8: %s", n - 2, n - 2 < ISBT_PRODUCT_LEN ?
		    "the scan was cut short" : "were several barcodes read at once?");
	if (!isbt_product_valid(p, ISBT_PRODUCT_LEN))
		return cd_fail(err, CD_EDATA, "=< product code '%.8s' is not valid: "
		    PRODUCT_RULE, p);
	r->kind = SCAN_PRODUCT;
	memcpy(r->product, p, ISBT_PRODUCT_LEN);
	r->product[ISBT_PRODUCT_LEN] = '\0';
	return CD_OK;
}

static int
num(const char *s, int n)
{
	int v = 0, i;

	for (i = 0; i < n; i++)
		v = v * 10 + (s[i] - '0');
	return v;
}

static enum cd_status
scan_expiry(const char *s, size_t n, struct scan_result *r, struct cd_err *err)
{
	const char *e = s + 2;
	struct cd_date jan1;
	char day[11];
	int year, jjj, hh, mm, days;

	/* "&>cyyjjjhhmm" */
	if (n - 2 != 10)
		return cd_fail(err, CD_EDATA, "this looks like an ISBT 128 expiry (&>) but has %zu"
		    " characters after &>, not 10: %s", n - 2, n - 2 < 10 ?
		    "the scan was cut short" : "were several barcodes read at once?");
	if (!all_digits(e, 10))
		return cd_fail(err, CD_EDATA, "&> expiry %.10s: only digits follow &>"
		    " (century, year, day of the year, hour, minute)", e);
	year = 2000 + 100 * num(e, 1) + num(e + 1, 2);
	jjj = num(e + 3, 3);
	hh = num(e + 6, 2);
	mm = num(e + 8, 2);
	days = date_days_in_month(year, 2) == 29 ? 366 : 365;
	if (jjj == 0)
		return cd_fail(err, CD_EDATA, "&> expiry %.10s: day 000 does not exist (the days"
		    " of a year count from 001)", e);
	if (jjj > days)
		return cd_fail(err, CD_EDATA, "&> expiry %.10s: day %03d does not exist in %d",
		    e, jjj, year);
	if (hh > 23)
		return cd_fail(err, CD_EDATA, "&> expiry %.10s: hour %02d does not exist"
		    " (00 to 23)", e, hh);
	if (mm > 59)
		return cd_fail(err, CD_EDATA, "&> expiry %.10s: minute %02d does not exist"
		    " (00 to 59)", e, mm);
	jan1.year = year;
	jan1.month = jan1.day = 1;
	r->kind = SCAN_EXPIRY;
	date_from_days(date_to_days(&jan1) + jjj - 1, &r->day);
	r->minute = hh * 60 + mm;
	date_format(&r->day, day);
	snprintf(r->expiry, sizeof r->expiry, "%s %02u:%02u", day, (unsigned)hh % 100u,
	    (unsigned)mm % 100u);
	return CD_OK;
}

/* Text starting with '=' or '&': an ISBT 128 data structure. */
static enum cd_status
scan_isbt(const char *s, size_t n, struct scan_result *r, struct cd_err *err)
{
	if (n == 1)
		return cd_fail(err, CD_EDATA, "the scan is only '%c': the barcode was not read;"
		    " rescan", s[0]);
	if (s[0] == '=' && s[1] == '<')
		return scan_product(s, n, r, err);
	if (s[0] == '=' && is_fin_first(s[1]))
		return scan_din_barcode(s, n, r, err);
	if (s[0] == '&' && s[1] == '>')
		return scan_expiry(s, n, r, err);
	if (s[0] == '=' && (s[1] == '0' || s[1] == 'O'))
		return cd_fail(err, CD_EDATA, "this looks like an ISBT 128 DIN barcode, but a DIN"
		    " never starts with 0 or O: rescan or type the number");
	return cd_fail(err, CD_EDATA, "this is an ISBT 128 barcode celldesk does not read"
	    " (data identifier %c%c): scan the DIN, the product code (=<) or the expiry (&>)",
	    s[0], s[1]);
}

/* A printed DIN whose length is wrong, typed or scanned with spaces. */
static enum cd_status
din_length_refusal(const char *c, size_t m, struct cd_err *err)
{
	bool has_check = !is_digit(c[m - 1]);
	size_t dlen = has_check ? m - 1 : m;

	if (!has_check && m == ISBT_DIN_LEN)
		return cd_fail(err, CD_EDATA, "this looks like an ISBT 128 DIN without its check"
		    " character: add the character printed after the number (in the box on the"
		    " label), or scan the barcode");
	return cd_fail(err, CD_EDATA, "this looks like an ISBT 128 DIN but has %zu characters,"
	    " not 13: %s", dlen, dlen < ISBT_DIN_LEN ?
	    "the scan was cut short or a character is missing" : "a character too many?");
}

/* Anything else: a printed DIN, an ISBT lot code, a local code or MRN. */
static enum cd_status
scan_plain(const char *s, size_t n, struct scan_result *r, struct cd_err *err)
{
	char c[33], want;
	size_t m = 0, i;
	bool clean = true, spaced = false, dinlike;

	if (n > 32)
		return cd_fail(err, CD_EDATA, "the scan has %zu characters; no barcode celldesk"
		    " knows has more than 32: were several barcodes read at once?", n);
	if (n == ISBT_LOT_CODE_LEN && s[ISBT_DIN_LEN] == '-' &&
	    (isbt_din_valid(s, ISBT_DIN_LEN) || isbt_product_valid(s + 14, ISBT_PRODUCT_LEN))) {
		if (!isbt_din_valid(s, ISBT_DIN_LEN))
			return cd_fail(err, CD_EDATA, "this looks like an ISBT 128 lot code but its"
			    " DIN %.13s is not valid: %s", s, din_problem(s));
		if (!isbt_product_valid(s + 14, ISBT_PRODUCT_LEN))
			return cd_fail(err, CD_EDATA, "this looks like an ISBT 128 lot code but its"
			    " product code %.8s is not valid (" PRODUCT_RULE ")", s + 14);
		r->kind = SCAN_LOT;
		memcpy(r->din, s, ISBT_DIN_LEN);
		memcpy(r->product, s + 14, ISBT_PRODUCT_LEN);
		memcpy(r->code, s, n);
		return CD_OK;
	}
	/* The printed DIN: [A-Z0-9*] with single spaces anywhere between. */
	for (i = 0; i < n; i++) {
		if (s[i] == ' ') {
			spaced = true;
			if (s[i - 1] == ' ')
				clean = false;
		} else if (is_upper(s[i]) || is_digit(s[i]) || s[i] == '*') {
			c[m++] = s[i];
		} else {
			clean = false;
		}
	}
	if (clean && m == ISBT_DIN_LEN + 1 && isbt_din_valid(c, ISBT_DIN_LEN)) {
		want = isbt_check_char(c);
		if (c[ISBT_DIN_LEN] != want)
			return cd_fail(err, CD_EDATA, "the DIN's check character should be %c but the"
			    " scan has %c: rescan or type the number", want, c[ISBT_DIN_LEN]);
		r->kind = SCAN_DIN;
		memcpy(r->din, c, ISBT_DIN_LEN);
		r->check_verified = true;
		return CD_OK;
	}
	/* A facility character, digits and perhaps a check character. */
	dinlike = clean && m >= 2 && is_fin_first(c[0]) && all_digits(c + 1, m - 2) &&
	    (is_digit(c[m - 1]) || is_upper(c[m - 1]) || c[m - 1] == '*');
	if (dinlike && spaced)
		return din_length_refusal(c, m, err);
	if (dinlike && m == ISBT_DIN_LEN && is_upper(c[0]) && is_digit(c[m - 1]))
		return din_length_refusal(c, m, err);
	for (i = 0; i < n; i++) {
		if (!is_upper(s[i]) && !is_lower(s[i]) && !is_digit(s[i]) &&
		    s[i] != '-' && s[i] != '/' && s[i] != '.')
			return cd_fail(err, CD_EDATA, UNKNOWN_SCAN);
	}
	r->kind = SCAN_CODE;
	memcpy(r->code, s, n);
	return CD_OK;
}

enum cd_status
scan_parse(const char *text, size_t len, struct scan_result *r, struct cd_err *err)
{
	struct scan_result out;
	const char *s = text;
	size_t n = len, i;
	unsigned char ch;
	enum cd_status st;

	while (n > 0 && (s[n - 1] == '\r' || s[n - 1] == '\n' || s[n - 1] == '\t' ||
	    s[n - 1] == ' '))
		n--;
	while (n > 0 && s[0] == ' ') {
		s++;
		n--;
	}
	if (n == 0)
		return cd_fail(err, CD_EDATA, len == 0 ? "the scan is empty: nothing was read" :
		    "the scan holds only spaces or line ends: nothing was read");
	for (i = 0; i < n; i++) {
		ch = (unsigned char)s[i];
		if (ch == '\r' || ch == '\n')
			return cd_fail(err, CD_EDATA, "the scan holds a line break: were two barcodes"
			    " read at once? Scan one at a time");
		if (ch < 0x20 || ch == 0x7f)
			return cd_fail(err, CD_EDATA, "the scan holds an invisible control character"
			    " (character %zu): rescan; if it comes back, check the scanner's"
			    " settings", i + 1);
		if (ch >= 0x80)
			return cd_fail(err, CD_EDATA, "the scan holds characters no barcode here uses"
			    " (not plain ASCII): check the scanner's keyboard layout and rescan");
	}
	memset(&out, 0, sizeof out);
	if (s[0] == '=' || s[0] == '&')
		st = scan_isbt(s, n, &out, err);
	else
		st = scan_plain(s, n, &out, err);
	if (st == CD_OK)
		*r = out;
	return st;
}
