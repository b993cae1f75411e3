/* status.h - status codes and the error struct every layer fills.
 *
 * The status values double as the program's exit codes (see celldesk(1)). */
#ifndef CD_STATUS_H
#define CD_STATUS_H

enum cd_status {
	CD_OK = 0,
	CD_REFUSED = 1, /* a rule, a permission or a conflict said no */
	CD_USAGE = 2,   /* the command line was malformed */
	CD_EDATA = 3    /* data or I/O error */
};

struct cd_err {
	enum cd_status status;
	char msg[1024]; /* one human sentence, no trailing newline */
};

/* Fills err (when not NULL) with a formatted sentence, which may quote
 * err->msg itself; returns st. */
enum cd_status cd_fail(struct cd_err *err, enum cd_status st, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#endif
