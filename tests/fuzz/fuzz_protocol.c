/* fuzz_protocol.c - fuzz target for the protocol JSON reader: whatever
 * it accepts, its canonical JSON must read back to the same protocol and
 * the same JSON; whatever it refuses, it says why. */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/protocol.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct protocol *a, *b;
	struct cd_err err;
	char *text, *j1, *j2;

	if ((text = malloc(size + 1)) == NULL ||
	    (a = calloc(1, sizeof *a)) == NULL || (b = calloc(1, sizeof *b)) == NULL)
		abort();
	memcpy(text, data, size);
	text[size] = '\0';
	memset(&err, 0, sizeof err);
	if (protocol_parse(text, a, &err) != CD_OK) {
		/* a refusal is a sentence */
		if (err.msg[0] == '\0')
			abort();
	} else {
		j1 = protocol_to_json(a);
		memset(&err, 0, sizeof err);
		if (protocol_parse(j1, b, &err) != CD_OK)
			abort(); /* its own JSON refused */
		j2 = protocol_to_json(b);
		if (strcmp(j1, j2) != 0 || memcmp(a, b, sizeof *a) != 0)
			abort(); /* the round trip changed the protocol */
		free(j1);
		free(j2);
	}
	free(text);
	free(a);
	free(b);
	return 0;
}
