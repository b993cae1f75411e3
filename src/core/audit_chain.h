/* audit_chain.h - the SHA-256 hash chain over audit records.
 *
 * hash = SHA-256(prev_hash "\n" canonical), where canonical is the
 * record's fields as a compact JSON array in a fixed order:
 * [seq, at, actor, action, tbl, row_key, old, new, reason]
 * (old, new and reason are JSON null when absent; old and new are kept
 * as the exact text stored). The first record's prev_hash is 64 zeros. */
#ifndef CD_AUDIT_CHAIN_H
#define CD_AUDIT_CHAIN_H

#include <stdint.h>

struct audit_record {
	int64_t seq;
	const char *at;      /* 2026-11-21T13:36:14.123Z */
	const char *actor;   /* Unix account, or lab-sync */
	const char *action;  /* insert, update, ... */
	const char *tbl;
	const char *row_key;
	const char *old_json; /* may be NULL */
	const char *new_json; /* may be NULL */
	const char *reason;   /* may be NULL */
};

#define AUDIT_GENESIS "0000000000000000000000000000000000000000000000000000000000000000"

/* Writes the lower-case hex SHA-256 of the record chained to prev_hex. */
void audit_chain_hash(const char *prev_hex, const struct audit_record *r, char out_hex[65]);

/* The same, with one buffer and one digest context reused over many
 * records (audit verify). */
struct audit_hasher;
struct audit_hasher *audit_hasher_new(void);
void audit_hasher_hash(struct audit_hasher *h, const char *prev_hex,
    const struct audit_record *r, char out_hex[65]);
/* The canonical text of r; borrowed, valid until the next call on h. */
const char *audit_hasher_canonical(struct audit_hasher *h, const struct audit_record *r);
void audit_hasher_free(struct audit_hasher *h);

#endif
