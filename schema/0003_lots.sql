-- 0003_lots.sql - cell lots: identity, chain of custody, QC, release
-- signatures, storage units and their temperatures, bedside checks.
-- Times are UTC text YYYY-MM-DDTHH:MM:SSZ. The rules (which status may
-- follow which, what release needs) live in src/core/lot.c; the database
-- keeps what must never be broken even by a faulty program: the history
-- tables are append-only and an autologous lot's patient never changes.

-- Settings that belong to the clinic's data, not to one user's file:
-- lot_id_scheme (isbt128, local or both) and lot_local_prefix.
CREATE TABLE settings (
	id         INTEGER PRIMARY KEY,
	key        TEXT NOT NULL UNIQUE,
	value      TEXT NOT NULL
);
INSERT INTO settings (key, value) VALUES ('lot_id_scheme', 'both');

-- QC limits per product type (the source tissue), set by the lab. A test
-- has a numeric range (either end may be open) or an expected word.
CREATE TABLE qc_limits (
	id         INTEGER PRIMARY KEY,
	source     TEXT NOT NULL CHECK (source IN ('bone-marrow', 'adipose', 'cord-blood')),
	test       TEXT NOT NULL,              -- viability, sterility, ...
	min_value  REAL,
	max_value  REAL,
	expect     TEXT,                       -- e.g. negative
	unit       TEXT,                       -- %, EU/mL, cells
	UNIQUE (source, test),
	CHECK ((expect IS NULL) <> (min_value IS NULL AND max_value IS NULL)),
	CHECK (min_value IS NULL OR max_value IS NULL OR min_value <= max_value)
);

-- How long a product keeps in each storage state; proposes the expiry.
CREATE TABLE expiry_rules (
	id         INTEGER PRIMARY KEY,
	source     TEXT NOT NULL CHECK (source IN ('bone-marrow', 'adipose', 'cord-blood')),
	storage    TEXT NOT NULL CHECK (storage IN ('fresh', 'cryopreserved', 'thawed')),
	hours      INTEGER NOT NULL CHECK (hours > 0),
	UNIQUE (source, storage)
);

CREATE TABLE storage_units (
	id         INTEGER PRIMARY KEY,
	site_id    INTEGER NOT NULL REFERENCES sites(id),
	name       TEXT NOT NULL,
	kind       TEXT NOT NULL
	           CHECK (kind IN ('ln2-tank', 'freezer', 'fridge', 'incubator', 'room')),
	min_c      REAL NOT NULL,              -- allowed temperature range
	max_c      REAL NOT NULL,
	created_at TEXT NOT NULL,
	UNIQUE (site_id, name),
	CHECK (min_c < max_c)
);

-- One reading of a unit's temperature. A reading outside the unit's
-- range is an excursion and stays open until a corrective action is
-- written down; the lots stored there are flagged until then.
CREATE TABLE temperature_readings (
	id              INTEGER PRIMARY KEY,
	unit_id         INTEGER NOT NULL REFERENCES storage_units(id),
	at              TEXT NOT NULL,
	temp_c          REAL NOT NULL,
	actor           TEXT NOT NULL,
	source          TEXT NOT NULL CHECK (source IN ('entered', 'csv')),
	excursion       INTEGER NOT NULL CHECK (excursion IN (0, 1)),
	corrective_note TEXT,
	corrective_by   TEXT,
	corrective_at   TEXT,
	UNIQUE (unit_id, at),
	CHECK (excursion = 1 OR corrective_note IS NULL)
);
CREATE INDEX temperature_readings_open ON temperature_readings(unit_id)
	WHERE excursion = 1 AND corrective_note IS NULL;

CREATE TABLE lots (
	id           INTEGER PRIMARY KEY,
	code         TEXT NOT NULL UNIQUE,     -- the identifier as printed
	din          TEXT,                     -- ISBT 128: 13 characters
	product_code TEXT,                     -- ISBT 128: e.g. S1234A00
	kind         TEXT NOT NULL CHECK (kind IN ('autologous', 'donor')),
	patient_id   INTEGER REFERENCES patients(id), -- autologous: whose cells
	donor_code   TEXT,                     -- donor: the donor's code
	donor_status TEXT CHECK (donor_status IN ('pending', 'eligible', 'ineligible')),
	source       TEXT NOT NULL CHECK (source IN ('bone-marrow', 'adipose', 'cord-blood')),
	parent_id    INTEGER REFERENCES lots(id),
	coi          TEXT NOT NULL,            -- chain-of-identity ID
	cycle_id     INTEGER REFERENCES cycles(id),
	volume_ml    REAL,
	cell_count   REAL,
	viability    REAL,                     -- percent
	collected_at TEXT NOT NULL,
	expires_at   TEXT NOT NULL,
	storage      TEXT NOT NULL DEFAULT 'fresh'
	             CHECK (storage IN ('fresh', 'cryopreserved', 'thawed')),
	site_id      INTEGER NOT NULL REFERENCES sites(id),
	unit_id      INTEGER REFERENCES storage_units(id),
	position     TEXT,                     -- rack/box/position in the unit
	holder       TEXT,                     -- the person holding it, if any
	status       TEXT NOT NULL DEFAULT 'collected' CHECK (status IN ('collected',
	             'in-processing', 'quarantine', 'released', 'reserved', 'issued',
	             'administered', 'discarded')),
	reason       TEXT,                     -- of the last status change
	appointment_id INTEGER REFERENCES appointments(id), -- reserved for
	recipient_id INTEGER REFERENCES patients(id), -- who received it
	excursion_id INTEGER REFERENCES temperature_readings(id), -- open flag
	created_at   TEXT NOT NULL,
	updated_at   TEXT NOT NULL,
	CHECK (kind = 'donor' OR (patient_id IS NOT NULL AND donor_code IS NULL
	       AND donor_status IS NULL)),
	CHECK (kind = 'autologous' OR (patient_id IS NULL AND donor_code IS NOT NULL
	       AND donor_status IS NOT NULL)),
	CHECK (kind = 'donor' OR recipient_id IS NULL OR recipient_id = patient_id),
	CHECK ((appointment_id IS NOT NULL) = (status IN ('reserved', 'issued'))
	       OR status = 'administered'),
	CHECK ((recipient_id IS NOT NULL) = (status = 'administered'))
);
-- What is still in stock, by site and expiry (lot list --expiring-within).
CREATE INDEX lots_by_site_expiry ON lots(site_id, expires_at)
	WHERE status NOT IN ('administered', 'discarded');
CREATE INDEX lots_in_stock_by_expiry ON lots(expires_at)
	WHERE status NOT IN ('administered', 'discarded');
CREATE INDEX lots_by_status ON lots(status, site_id, expires_at);
CREATE INDEX lots_by_patient ON lots(patient_id) WHERE patient_id IS NOT NULL;
CREATE INDEX lots_by_recipient ON lots(recipient_id) WHERE recipient_id IS NOT NULL;
CREATE INDEX lots_by_donor ON lots(donor_code) WHERE donor_code IS NOT NULL;
CREATE INDEX lots_by_parent ON lots(parent_id) WHERE parent_id IS NOT NULL;
CREATE INDEX lots_by_coi ON lots(coi);
CREATE INDEX lots_by_din ON lots(din) WHERE din IS NOT NULL;
CREATE INDEX lots_by_unit ON lots(unit_id) WHERE unit_id IS NOT NULL;
CREATE INDEX lots_by_excursion ON lots(excursion_id) WHERE excursion_id IS NOT NULL;
-- One lot at most is held for a visit.
CREATE UNIQUE INDEX lots_by_appointment ON lots(appointment_id)
	WHERE status IN ('reserved', 'issued');

CREATE TRIGGER lots_identity_fixed
BEFORE UPDATE OF code, din, product_code, kind, patient_id, donor_code, source, parent_id,
	coi, collected_at ON lots
WHEN OLD.code IS NOT NEW.code OR OLD.din IS NOT NEW.din
  OR OLD.product_code IS NOT NEW.product_code OR OLD.kind IS NOT NEW.kind
  OR OLD.patient_id IS NOT NEW.patient_id OR OLD.donor_code IS NOT NEW.donor_code
  OR OLD.source IS NOT NEW.source OR OLD.parent_id IS NOT NEW.parent_id
  OR OLD.coi IS NOT NEW.coi OR OLD.collected_at IS NOT NEW.collected_at
BEGIN
	SELECT RAISE(ABORT, 'celldesk: a lot''s identity (identifier, kind, patient, donor, source, parent, collection) never changes');
END;

CREATE TRIGGER lots_never_deleted
BEFORE DELETE ON lots
BEGIN
	SELECT RAISE(ABORT, 'celldesk: lots are never deleted; discard them instead');
END;

-- The chain of custody: every hand-off and state change, append-only.
CREATE TABLE custody_events (
	id         INTEGER PRIMARY KEY,
	lot_id     INTEGER NOT NULL REFERENCES lots(id),
	at         TEXT NOT NULL,
	actor      TEXT NOT NULL,              -- Unix account or lab-sync
	event      TEXT NOT NULL CHECK (event IN ('collected', 'received', 'stored',
	           'transferred', 'thawed', 'released', 'reserved', 'issued', 'administered',
	           'returned', 'discarded', 'temperature-excursion')),
	from_place TEXT,                       -- a location or person:USER
	to_place   TEXT,
	temp_c     REAL,
	note       TEXT
);
CREATE INDEX custody_events_by_lot ON custody_events(lot_id, id);

-- QC results as entered or received; the newest per test counts.
CREATE TABLE qc_results (
	id         INTEGER PRIMARY KEY,
	lot_id     INTEGER NOT NULL REFERENCES lots(id),
	test       TEXT NOT NULL,
	value      REAL,                       -- numeric tests
	text_value TEXT,                       -- word tests (negative)
	at         TEXT NOT NULL,
	actor      TEXT NOT NULL,
	CHECK ((value IS NULL) <> (text_value IS NULL))
);
CREATE INDEX qc_results_by_lot ON qc_results(lot_id, test, id);

-- Electronic signatures (21 CFR Part 11): printed name, time, meaning.
CREATE TABLE signatures (
	id           INTEGER PRIMARY KEY,
	lot_id       INTEGER NOT NULL REFERENCES lots(id),
	meaning      TEXT NOT NULL CHECK (meaning IN ('released', 'administered', 'verified')),
	username     TEXT NOT NULL,
	printed_name TEXT NOT NULL,
	signed_at    TEXT NOT NULL
);
CREATE INDEX signatures_by_lot ON signatures(lot_id);

-- Every bedside administration attempt, accepted or refused.
CREATE TABLE bedside_checks (
	id             INTEGER PRIMARY KEY,
	at             TEXT NOT NULL,
	actor          TEXT NOT NULL,
	lot_text       TEXT NOT NULL,          -- as typed or scanned
	lot_id         INTEGER REFERENCES lots(id),
	patient_text   TEXT NOT NULL,
	appointment_id INTEGER,
	outcome        TEXT NOT NULL CHECK (outcome IN ('administered', 'refused')),
	reason         TEXT
);
CREATE INDEX bedside_checks_by_lot ON bedside_checks(lot_id) WHERE lot_id IS NOT NULL;

CREATE TRIGGER custody_events_append_only_update BEFORE UPDATE ON custody_events
BEGIN SELECT RAISE(ABORT, 'celldesk: custody events are never changed'); END;
CREATE TRIGGER custody_events_append_only_delete BEFORE DELETE ON custody_events
BEGIN SELECT RAISE(ABORT, 'celldesk: custody events are never deleted'); END;
CREATE TRIGGER qc_results_append_only_update BEFORE UPDATE ON qc_results
BEGIN SELECT RAISE(ABORT, 'celldesk: QC results are never changed; record a new one'); END;
CREATE TRIGGER qc_results_append_only_delete BEFORE DELETE ON qc_results
BEGIN SELECT RAISE(ABORT, 'celldesk: QC results are never deleted'); END;
CREATE TRIGGER signatures_append_only_update BEFORE UPDATE ON signatures
BEGIN SELECT RAISE(ABORT, 'celldesk: signatures are never changed'); END;
CREATE TRIGGER signatures_append_only_delete BEFORE DELETE ON signatures
BEGIN SELECT RAISE(ABORT, 'celldesk: signatures are never deleted'); END;
CREATE TRIGGER bedside_checks_append_only_update BEFORE UPDATE ON bedside_checks
BEGIN SELECT RAISE(ABORT, 'celldesk: bedside checks are never changed'); END;
CREATE TRIGGER bedside_checks_append_only_delete BEFORE DELETE ON bedside_checks
BEGIN SELECT RAISE(ABORT, 'celldesk: bedside checks are never deleted'); END;
CREATE TRIGGER temperature_readings_keep BEFORE UPDATE OF unit_id, at, temp_c, actor, source,
	excursion ON temperature_readings
BEGIN SELECT RAISE(ABORT, 'celldesk: temperature readings are never changed'); END;
CREATE TRIGGER temperature_readings_never_deleted BEFORE DELETE ON temperature_readings
BEGIN SELECT RAISE(ABORT, 'celldesk: temperature readings are never deleted'); END;

-- The lab's starting limits and expiry rules; the lab changes them with
-- celldesk product limit and celldesk product expiry.
INSERT INTO qc_limits (source, test, min_value, max_value, expect, unit) VALUES
	('bone-marrow', 'viability', 70, NULL, NULL, '%'),
	('bone-marrow', 'sterility', NULL, NULL, 'negative', NULL),
	('bone-marrow', 'endotoxin', NULL, 0.5, NULL, 'EU/mL'),
	('bone-marrow', 'mycoplasma', NULL, NULL, 'negative', NULL),
	('adipose', 'viability', 70, NULL, NULL, '%'),
	('adipose', 'sterility', NULL, NULL, 'negative', NULL),
	('adipose', 'endotoxin', NULL, 0.5, NULL, 'EU/mL'),
	('adipose', 'mycoplasma', NULL, NULL, 'negative', NULL),
	('cord-blood', 'viability', 85, NULL, NULL, '%'),
	('cord-blood', 'sterility', NULL, NULL, 'negative', NULL),
	('cord-blood', 'endotoxin', NULL, 0.5, NULL, 'EU/mL'),
	('cord-blood', 'mycoplasma', NULL, NULL, 'negative', NULL);
INSERT INTO expiry_rules (source, storage, hours) VALUES
	('bone-marrow', 'fresh', 48), ('bone-marrow', 'cryopreserved', 43800),
	('bone-marrow', 'thawed', 4),
	('adipose', 'fresh', 48), ('adipose', 'cryopreserved', 43800),
	('adipose', 'thawed', 4),
	('cord-blood', 'fresh', 72), ('cord-blood', 'cryopreserved', 87600),
	('cord-blood', 'thawed', 4);
