/* lab_config.h - the [lab] section of celldesk.conf(5): where the lab's
 * FHIR server is and how celldesk may talk to it. */
#ifndef CD_LAB_CONFIG_H
#define CD_LAB_CONFIG_H

#include <stdbool.h>

#include "../core/status.h"

struct lab_config {
	char *url;              /* FHIR base, no trailing '/'; NULL: none configured */
	char *token;            /* the bearer token read from token_file, or NULL */
	char *token_file;
	char *ca_file;          /* NULL: the system's CA store */
	long connect_timeout;   /* seconds, default 10 */
	long timeout;           /* seconds, default 60 */
	long page_size;         /* 1..1000, default 100 */
	bool allow_insecure_loopback;
};

/* Reads [lab] from the user's file ($XDG_CONFIG_HOME/celldesk/config,
 * default ~/.config/celldesk/config), whose keys override the system file
 * /etc/celldesk/celldesk.conf. A missing file or section leaves the
 * defaults and url NULL. Refuses (CD_EDATA, a sentence naming the file,
 * key and rule) a bad value, a url that is not https (or http to a
 * loopback address with allow_insecure_loopback = true), or a token_file
 * that is not a regular file of mode 0600 owned by the user running. */
enum cd_status lab_config_load(struct lab_config *c, struct cd_err *err);
void lab_config_free(struct lab_config *c);

#endif
