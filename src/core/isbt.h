/* isbt.h - ISBT 128 identifiers and what a barcode scanner sends: the
 * ISO/IEC 7064 MOD 37-2 check character of a Donation Identification
 * Number (DIN), the syntax of DINs, product codes and lot codes, and the
 * classification of one keyboard-wedge scan. Pure: no I/O, no database.
 *
 * Sources (ISBT 128 Standard Technical Specification ST-001 v6.2.2):
 * - DIN [data structure 001] "=αppppyynnnnnnff": α a letter except O or a
 *   digit 1-9; then (as celldesk accepts them, LOTS.md) 4 digits of
 *   facility, 2 of year, 6 of sequence; ff two flag characters.
 * - Flags (Table 3, RT004): 00 not used, 01-19 ICCBBA process control,
 *   20-59 locally defined, 60-96 = 60 + the MOD 37-2 check value of the 13
 *   DIN characters, 97-99 and letters reserved. Only 60-96 carry a check.
 * - Expiry [data structure 005] "&>cyyjjjhhmm": c the century, yy the
 *   year in it, jjj the day of the year, hh 00-23, mm 00-59. The standard
 *   does not spell out the arithmetic; its own examples fix it: ST-001
 *   Appendix C labels "0180292359" as 29 JAN 2018, and ST-012 v1.4.0 pairs
 *   "&>0183652359" with the SEC expiry 20181231. So year = 2000 + 100 * c
 *   + yy (c = 0 is 20yy).
 * - The eye-readable DIN is printed in groups: "G1234 26 000001 H" (the
 *   check character in a box on the label, after a space here). */
#ifndef CD_ISBT_H
#define CD_ISBT_H

#include <stdbool.h>
#include <stddef.h>

#include "date.h"
#include "status.h"

#define ISBT_DIN_LEN 13
#define ISBT_PRODUCT_LEN 8
#define ISBT_LOT_CODE_LEN 22     /* DIN "-" product */
#define ISBT_DIN_PRINTED_SIZE 18 /* "G1234 26 000001 H" and its NUL */
#define LOT_LOCAL_MIN 4
#define LOT_LOCAL_MAX 32

/* The MOD 37-2 check value (0-36) of the 13 DIN characters: values 0-9,
 * A-Z = 10-35, each weighted by 2^n (n counted from the right from 1);
 * (38 - sum mod 37) mod 37. G123498654321 gives 17. The characters need
 * not form a valid DIN, but must be digits or capital letters; -1 when
 * one is not. */
int isbt_check_value(const char din[13]);
/* The check character printed after the DIN ('0'-'9', 'A'-'Z', '*'):
 * G123498654321 gives 'H'; '\0' when isbt_check_value() is -1. */
char isbt_check_char(const char din[13]);

/* Exactly n == 13 characters of DIN syntax (s need not be terminated). */
bool isbt_din_valid(const char *s, size_t n);
/* Exactly n == 8 characters of product code: a capital letter and 4
 * digits (the product description code; cellular therapy is S), the type
 * of donation [0-9A-Z], the division [0-9A-Z][0-9a-z] ("00" undivided). */
bool isbt_product_valid(const char *s, size_t n);

/* Writes "G1234 26 000001 H" (facility, year, sequence, check character)
 * for a valid DIN into out. */
void isbt_din_format_printed(const char din[13], char out[ISBT_DIN_PRINTED_SIZE]);

enum lot_code_kind {
	LOT_CODE_ISBT,  /* "G123426000001-S1234A00": DIN "-" product code */
	LOT_CODE_LOCAL  /* the clinic's own: 4-32 of A-Z 0-9 -, a letter first */
};

/* Reads a lot code as typed for --id (NUL-terminated text). The ISBT 128
 * form fills din and product; a local code leaves them empty. Text shaped
 * like the ISBT form (22 characters, '-' after 13, a valid DIN or product
 * code) with the other half bad is refused, not taken as a local code. Refusals
 * are CD_USAGE sentences naming --id. The local prefix and the clinic's
 * scheme (isbt128, local, both) are the caller's to check. */
enum cd_status lot_code_parse(const char *text, enum lot_code_kind *kind, char din[14],
    char product[9], struct cd_err *err);

enum scan_kind {
	SCAN_DIN,     /* "=" DIN flags, or the printed DIN with its check character */
	SCAN_PRODUCT, /* "=<" product code */
	SCAN_EXPIRY,  /* "&>cyyjjjhhmm" */
	SCAN_LOT,     /* an ISBT 128 lot code "DIN-PRODUCT" */
	SCAN_CODE     /* anything else of code syntax: a local lot code or an MRN */
};

struct scan_result {
	enum scan_kind kind;
	char din[14];        /* SCAN_DIN, SCAN_LOT */
	char product[9];     /* SCAN_PRODUCT, SCAN_LOT */
	char code[33];       /* SCAN_LOT, SCAN_CODE: the text as scanned */
	char flags[3];       /* SCAN_DIN from "=": the 2 flag characters; else "" */
	bool check_verified; /* SCAN_DIN: a check character was present and matched */
	struct cd_date day;  /* SCAN_EXPIRY: the date ... */
	int minute;          /* ... and the minute of the day (0-1439) */
	char expiry[17];     /* SCAN_EXPIRY: "YYYY-MM-DD HH:MM", zone-free */
};

/* Classifies one scan: len bytes of text (not necessarily terminated,
 * never read past len). Trailing CR, LF, Tab and spaces and leading
 * spaces are dropped. Then:
 * - "=" + 13 DIN characters + 2 flags: SCAN_DIN; flags 60-96 must match
 *   the check value (check_verified), other flags carry no check.
 * - 13 DIN characters + the check character, single spaces allowed
 *   between characters ("G1234 98 654321 H"): SCAN_DIN, check verified.
 * - "=<" + product code: SCAN_PRODUCT.  "&>" + 10 digits: SCAN_EXPIRY.
 * - "DIN-PRODUCT": SCAN_LOT.
 * - 1-32 of letters, digits, - / . (local lot codes and MRNs share this
 *   syntax): SCAN_CODE; the caller looks it up as a lot, then a patient.
 * Refused with CD_EDATA and a sentence for a lab user: a check character
 * that does not match, a truncated or over-long code, an ISBT 128 data
 * structure celldesk does not read, an impossible date, control
 * characters, empty text. Where DINs and MRNs overlap in syntax: a
 * capital letter (not O) and 12 digits without spaces (a DIN typed without
 * its check character) is refused, while 13 digits pass as a code (numeric
 * MRNs); 14 characters shaped like a DIN and its check character are
 * always read as a DIN, so a 14-digit MRN whose last digit is not the
 * check is refused. The message quotes at most a short excerpt, and only
 * once the text is known to be printable ASCII. r is written only on
 * success. */
enum cd_status scan_parse(const char *text, size_t len, struct scan_result *r,
    struct cd_err *err);

#endif
