/* fhir.h - the FHIR R4 JSON celldesk writes to the lab (a transaction
 * Bundle ordering a lot's processing) and reads back (search Bundles of
 * DiagnosticReport, Observation and BiologicallyDerivedProduct, the
 * transaction-response and OperationOutcome). Pure: text in, structs out;
 * every refusal is a sentence and nothing partial is returned. */
#ifndef CD_FHIR_H
#define CD_FHIR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "status.h"

#define FHIR_SYS_MRN "urn:celldesk:mrn"
#define FHIR_SYS_DONOR "urn:celldesk:donor"
#define FHIR_SYS_LOT "urn:celldesk:lot"
#define FHIR_SYS_ORDER "urn:celldesk:order"
#define FHIR_SYS_QC_TEST "urn:celldesk:qc-test"
#define FHIR_EXT_BDP_EXPIRY \
	"http://hl7.org/fhir/5.0/StructureDefinition/extension-BiologicallyDerivedProduct.expirationDate"

/* Everything the order for one lot says. Strings are UTF-8; NULL or ""
 * leaves the element out. Times are ISO 8601 ("2026-11-23T08:30:00Z" or
 * with an offset). */
struct fhir_order {
	const char *lot_code;
	const char *kind;          /* autologous | donor */
	const char *mrn;           /* autologous: the patient's MRN */
	const char *patient_name;  /* autologous: as recorded, one string */
	const char *birth_date;    /* autologous: YYYY-MM-DD */
	const char *donor_code;    /* donor lots */
	const char *source;        /* bone-marrow | adipose | cord-blood */
	const char *collected_at;
	const char *needed_at;     /* the cycle's first injection, may be NULL */
};

/* Writes the transaction Bundle (Patient, Specimen, ServiceRequest, each
 * POST with ifNoneExist) as compact JSON into *json (malloc'd). */
enum cd_status fhir_order_bundle(const struct fhir_order *o, char **json, struct cd_err *err);

/* Sizes of the id, version and time fields below. */
#define FHIR_ID_SIZE 72            /* a FHIR id is at most 64 characters */
#define FHIR_TIME_SIZE 40

/* One entry of a transaction-response: status "201 Created" or "200"
 * etc. and the location "Specimen/abc/_history/1", "Specimen/abc" or
 * "https://lab/fhir/Specimen/abc" (type and id empty without one). */
struct fhir_tx_entry {
	int status;                /* the number at the start of response.status */
	char type[40];             /* from location: Patient, Specimen, ... */
	char id[FHIR_ID_SIZE];     /* from location */
};
#define FHIR_TX_MAX 8
struct fhir_tx_response {
	size_t n;
	struct fhir_tx_entry e[FHIR_TX_MAX];
};
/* Refuses (*r left empty) a body that is not a transaction-response with
 * at most FHIR_TX_MAX entries, each with a 2xx status: an entry with a
 * 4xx status, or an OperationOutcome for a body, is the lab's refusal of
 * the order (CD_REFUSED, its outcome text in the sentence); anything
 * else is CD_EDATA (5xx, malformed: worth another try later). */
enum cd_status fhir_parse_tx_response(const char *json, size_t len,
    struct fhir_tx_response *r, struct cd_err *err);

/* The readable text of an OperationOutcome (issue[].details.text, else
 * diagnostics, else code), joined with "; ", sanitized (no control or
 * bidi characters), cut to fit out. False when json is not one. */
bool fhir_outcome_text(const char *json, size_t len, char *out, size_t outsz);

/* A reference or a logical identifier, as a DiagnosticReport names its
 * specimen or subject. References are relative, "Type/id" (a
 * "/_history/v" after it is dropped); others are refused. */
struct fhir_ref {
	char reference[120];       /* "Specimen/abc" or "" */
	char system[80];           /* identifier.system or "" */
	char value[80];            /* identifier.value or "" */
};

#define FHIR_TEXT_MAX 64
struct fhir_observation {
	char id[FHIR_ID_SIZE];
	char version[FHIR_ID_SIZE];          /* as in fhir_report */
	char last_updated[FHIR_TIME_SIZE];
	char status[24];           /* final, amended, preliminary, ... */
	char code_system[80];      /* the system of the coding code comes from, or "" */
	char code[64];             /* the code of the coding of system FHIR_SYS_QC_TEST,
	                              else of the first coding, else code.text */
	bool numeric;
	double value;              /* valueQuantity.value (or valueInteger) */
	char text[FHIR_TEXT_MAX];  /* valueString, valueCodeableConcept text or
	                              coding[0].code, valueBoolean "true"/"false" */
	char unit[24];             /* valueQuantity.unit, else its code */
};

#define FHIR_REF_MAX 32
struct fhir_report {
	char id[FHIR_ID_SIZE];
	char version[FHIR_ID_SIZE];          /* meta.versionId, else meta.lastUpdated */
	char last_updated[FHIR_TIME_SIZE];   /* meta.lastUpdated as given */
	char status[24];
	struct fhir_ref subject;
	size_t n_specimen;
	struct fhir_ref specimen[4];
	size_t n_result;
	char result[FHIR_REF_MAX][120]; /* "Observation/<id>", "" when result[i]
	                                   has no reference */
};

struct fhir_product {
	char id[FHIR_ID_SIZE];
	char version[FHIR_ID_SIZE];
	char last_updated[FHIR_TIME_SIZE];
	char status[24];           /* available | unavailable | "" */
	char lot_system[80];
	char lot_code[80];         /* the identifier with system FHIR_SYS_LOT, else the first */
	char expiry[40];           /* the extension's valueDateTime, or "" */
};

/* A dateTime with a time and a zone (Z or +hh:mm; fractions of a
 * second dropped) as UTC seconds; false for anything else. */
bool fhir_datetime_utc(const char *s, int64_t *utc);

enum fhir_kind { FHIR_REPORT, FHIR_OBSERVATION, FHIR_PRODUCT, FHIR_OTHER };

/* One parsed searchset page. Entries of other types (OperationOutcome
 * with search mode "outcome", ...) are counted in n_other. */
struct fhir_page {
	long total;                /* -1 when absent */
	char next[2048];           /* link relation "next", or "" */
	size_t n_reports, n_observations, n_products, n_other;
	struct fhir_report *reports;
	struct fhir_observation *observations;
	struct fhir_product *products;
};

/* Parses a searchset Bundle (entries of search mode match or include;
 * at most 10000 entries); a body that is not JSON, not a Bundle of type
 * searchset, or whose match entries lack an id or meta.lastUpdated is
 * refused (CD_EDATA) with a sentence and *page left empty (total -1).
 * So is any resource read holding a value of the wrong JSON type, an id
 * that is not a FHIR id, an id, code or identifier that does not fit its
 * field or holds control or text direction characters, or more
 * specimens or results than the fields hold. Free text (code.text,
 * value text, unit) is escaped as text_sanitize does, and refused when
 * it does not fit. */
enum cd_status fhir_parse_page(const char *json, size_t len, struct fhir_page *page,
    struct cd_err *err);
void fhir_page_free(struct fhir_page *page);

#endif
