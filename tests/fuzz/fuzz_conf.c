/* fuzz_conf.c - fuzz target for the celldesk.conf(5) parser. */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/conf_parse.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int
check_setting(void *ctx, const char *section, const char *key, const char *value)
{
	size_t *n = ctx;

	/* Keys are never empty and no value keeps its line break. */
	if (key[0] == '\0' || strchr(value, '\n') != NULL || strchr(section, '\n') != NULL)
		abort();
	(*n)++;
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cd_err err;
	size_t n = 0;

	if (conf_parse((const char *)data, size, "fuzz.conf", check_setting, &n, &err) != CD_OK &&
	    err.msg[0] == '\0')
		abort();
	return 0;
}
