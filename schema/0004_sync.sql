-- 0004_sync.sql - the lab link: the outbox of orders waiting to be sent
-- (queued in the same transaction as the change that made them), the pull
-- cursor per resource type, the ledger of lab resources already applied,
-- the review queue of what could not be applied, and each run's outcome.
-- Times are UTC text YYYY-MM-DDTHH:MM:SSZ unless they are the lab's own.

-- One FHIR transaction Bundle to send. Sent rows stay, as the record of
-- what the lab was told; a row fails only when the lab refused it (4xx).
CREATE TABLE outbox (
	id          INTEGER PRIMARY KEY,
	created_at  TEXT NOT NULL,
	kind        TEXT NOT NULL CHECK (kind IN ('order')),
	lot_id      INTEGER NOT NULL REFERENCES lots(id),
	bundle      TEXT NOT NULL,             -- the transaction Bundle, JSON
	status      TEXT NOT NULL DEFAULT 'pending'
	            CHECK (status IN ('pending', 'sent', 'failed')),
	attempts    INTEGER NOT NULL DEFAULT 0,
	last_attempt_at TEXT,
	sent_at     TEXT,
	last_error  TEXT,                      -- the lab's own words when it refused
	CHECK ((sent_at IS NOT NULL) = (status = 'sent'))
);
CREATE INDEX outbox_by_status ON outbox(status, id);
CREATE INDEX outbox_by_lot ON outbox(lot_id);
CREATE TRIGGER outbox_bundle_fixed BEFORE UPDATE OF bundle, lot_id, kind, created_at ON outbox
BEGIN
	SELECT RAISE(ABORT, 'an outbox row''s bundle never changes');
END;
CREATE TRIGGER outbox_never_deleted BEFORE DELETE ON outbox
BEGIN
	SELECT RAISE(ABORT, 'outbox rows are never deleted');
END;

-- The server's ids of what we sent, from its transaction-response, so a
-- report naming "Specimen/abc" finds its lot and "Patient/xyz" its patient.
CREATE TABLE lab_links (
	type        TEXT NOT NULL,             -- Patient, Specimen, ServiceRequest
	fhir_id     TEXT NOT NULL,
	lot_id      INTEGER REFERENCES lots(id),
	patient_id  INTEGER REFERENCES patients(id),
	donor_code  TEXT,
	PRIMARY KEY (type, fhir_id)
);

-- Where each pull stands: the newest meta.lastUpdated applied, as the
-- lab wrote it. The next pull asks for _lastUpdated=ge this value; what
-- it finds again is skipped through lab_applied.
CREATE TABLE sync_cursors (
	resource    TEXT PRIMARY KEY,          -- DiagnosticReport, BiologicallyDerivedProduct
	last_updated TEXT NOT NULL,
	advanced_at TEXT NOT NULL
);

-- Every lab resource version taken in, with what became of it.
CREATE TABLE lab_applied (
	type        TEXT NOT NULL,
	fhir_id     TEXT NOT NULL,
	version_id  TEXT NOT NULL,
	last_updated TEXT NOT NULL,
	lot_id      INTEGER REFERENCES lots(id),
	outcome     TEXT NOT NULL CHECK (outcome IN ('applied', 'review', 'ignored')),
	applied_at  TEXT NOT NULL,
	PRIMARY KEY (type, fhir_id)
);

-- What the lab sent that celldesk could not apply: an unknown lot or
-- patient, an unknown test, or a change the rules refused. Someone in the
-- lab resolves each with a note; nothing here is silently dropped.
CREATE TABLE sync_review (
	id          INTEGER PRIMARY KEY,
	created_at  TEXT NOT NULL,
	type        TEXT NOT NULL,
	fhir_id     TEXT NOT NULL,
	lot_code    TEXT,                      -- as the lab named it
	reason      TEXT NOT NULL,
	status      TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'resolved')),
	resolved_at TEXT,
	resolved_by TEXT,
	note        TEXT,
	CHECK ((status = 'resolved') = (resolved_at IS NOT NULL AND note IS NOT NULL))
);
CREATE INDEX sync_review_open ON sync_review(id) WHERE status = 'open';

-- One row per run of `celldesk sync`, for `sync status`.
CREATE TABLE sync_runs (
	id          INTEGER PRIMARY KEY,
	started_at  TEXT NOT NULL,
	finished_at TEXT NOT NULL,
	run_by      TEXT NOT NULL,
	ok          INTEGER NOT NULL CHECK (ok IN (0, 1)),
	sent        INTEGER NOT NULL,
	pulled      INTEGER NOT NULL,
	applied     INTEGER NOT NULL,
	review      INTEGER NOT NULL,
	failed      INTEGER NOT NULL,
	message     TEXT                       -- the first failure, in words
);
