-- 0002_scheduling.sql - protocols, treatment cycles and their visits.
-- A visit holds its patient and resources while its status is booked,
-- checked-in or done ("held"); the triggers below refuse any overlap of a
-- held visit with another held visit of the same patient or resource,
-- unless the visit records why a double booking was allowed (override).
-- Times are UTC text YYYY-MM-DDTHH:MM:SSZ; local_day is the site's date.

CREATE TABLE protocols (
	id         INTEGER PRIMARY KEY,
	name       TEXT NOT NULL UNIQUE,
	body       TEXT NOT NULL,              -- protocol JSON, checked by celldesk
	created_at TEXT NOT NULL,
	updated_at TEXT NOT NULL
);

CREATE TABLE cycles (
	id          INTEGER PRIMARY KEY,
	patient_id  INTEGER NOT NULL REFERENCES patients(id),
	protocol_id INTEGER NOT NULL REFERENCES protocols(id),
	body        TEXT NOT NULL,             -- the protocol as booked
	site_id     INTEGER NOT NULL REFERENCES sites(id),
	source      TEXT NOT NULL CHECK (source IN ('autologous', 'donor')),
	courses     INTEGER NOT NULL CHECK (courses BETWEEN 1 AND 8),
	gap_days    INTEGER NOT NULL CHECK (gap_days BETWEEN 1 AND 365),
	status      TEXT NOT NULL DEFAULT 'active'
	            CHECK (status IN ('active', 'cancelled')),
	reason      TEXT,
	created_at  TEXT NOT NULL,
	updated_at  TEXT NOT NULL
);
CREATE INDEX cycles_by_patient ON cycles(patient_id);

CREATE TABLE appointments (
	id         INTEGER PRIMARY KEY,
	cycle_id   INTEGER NOT NULL REFERENCES cycles(id),
	course     INTEGER,                    -- NULL for a cycle-wide step
	step       TEXT NOT NULL
	           CHECK (step IN ('call', 'harvest', 'injection', 'followup', 'imaging')),
	step_no    INTEGER NOT NULL,           -- index into the protocol's steps
	patient_id INTEGER NOT NULL REFERENCES patients(id),
	site_id    INTEGER NOT NULL REFERENCES sites(id),
	tz         TEXT NOT NULL,              -- the site's zone when booked
	local_day  TEXT NOT NULL,              -- YYYY-MM-DD in tz
	starts_at  TEXT NOT NULL,
	ends_at    TEXT NOT NULL,
	status     TEXT NOT NULL DEFAULT 'booked' CHECK (status IN ('booked', 'checked-in',
	           'done', 'no-show', 'cancelled-by-patient', 'cancelled-by-clinic')),
	held       INTEGER NOT NULL CHECK (held IN (0, 1)),
	reason     TEXT,                       -- for the last status change
	note       TEXT,                       -- e.g. 48 h relative rest
	override   TEXT,                       -- why a double booking was allowed
	created_at TEXT NOT NULL,
	updated_at TEXT NOT NULL,
	CHECK (starts_at < ends_at),
	CHECK (ends_at <= strftime('%Y-%m-%dT%H:%M:%SZ', starts_at, '+12 hours')),
	CHECK (held = 0 OR status IN ('booked', 'checked-in', 'done'))
);
CREATE INDEX appointments_by_site_day ON appointments(site_id, local_day, starts_at);
CREATE INDEX appointments_by_patient ON appointments(patient_id, starts_at);
CREATE INDEX appointments_by_cycle ON appointments(cycle_id, starts_at);

-- The resources a visit uses, with the visit's times copied for the
-- overlap index (kept in step by the triggers on appointments).
CREATE TABLE appointment_resources (
	appointment_id INTEGER NOT NULL REFERENCES appointments(id),
	resource_id    INTEGER NOT NULL REFERENCES resources(id),
	starts_at      TEXT NOT NULL,
	ends_at        TEXT NOT NULL,
	held           INTEGER NOT NULL CHECK (held IN (0, 1)),
	override       TEXT,
	PRIMARY KEY (appointment_id, resource_id)
) WITHOUT ROWID;
CREATE INDEX appointment_resources_by_time
	ON appointment_resources(resource_id, starts_at);

-- No visit is longer than 12 hours (CHECK above), so an overlapping one
-- starts at most 12 hours before: the index range stays small.
CREATE TRIGGER appointments_patient_overlap_insert
BEFORE INSERT ON appointments
WHEN NEW.held = 1 AND NEW.step <> 'call' AND NEW.override IS NULL AND EXISTS (
	SELECT 1 FROM appointments a
	WHERE a.patient_id = NEW.patient_id AND a.held = 1 AND a.step <> 'call'
	  AND a.starts_at > strftime('%Y-%m-%dT%H:%M:%SZ', NEW.starts_at, '-12 hours')
	  AND a.starts_at < NEW.ends_at AND a.ends_at > NEW.starts_at)
BEGIN
	SELECT RAISE(ABORT, 'celldesk: the patient already has a visit at that time');
END;

CREATE TRIGGER appointments_patient_overlap_update
BEFORE UPDATE OF starts_at, ends_at, held, override ON appointments
WHEN NEW.held = 1 AND NEW.step <> 'call' AND NEW.override IS NULL AND EXISTS (
	SELECT 1 FROM appointments a
	WHERE a.patient_id = NEW.patient_id AND a.held = 1 AND a.step <> 'call'
	  AND a.id <> NEW.id
	  AND a.starts_at > strftime('%Y-%m-%dT%H:%M:%SZ', NEW.starts_at, '-12 hours')
	  AND a.starts_at < NEW.ends_at AND a.ends_at > NEW.starts_at)
BEGIN
	SELECT RAISE(ABORT, 'celldesk: the patient already has a visit at that time');
END;

CREATE TRIGGER appointment_resources_overlap_insert
BEFORE INSERT ON appointment_resources
WHEN NEW.held = 1 AND NEW.override IS NULL AND EXISTS (
	SELECT 1 FROM appointment_resources r
	WHERE r.resource_id = NEW.resource_id AND r.held = 1
	  AND r.starts_at > strftime('%Y-%m-%dT%H:%M:%SZ', NEW.starts_at, '-12 hours')
	  AND r.starts_at < NEW.ends_at AND r.ends_at > NEW.starts_at)
BEGIN
	SELECT RAISE(ABORT, 'celldesk: the resource is already booked at that time');
END;

CREATE TRIGGER appointment_resources_overlap_update
BEFORE UPDATE ON appointment_resources
WHEN NEW.held = 1 AND NEW.override IS NULL AND EXISTS (
	SELECT 1 FROM appointment_resources r
	WHERE r.resource_id = NEW.resource_id AND r.held = 1
	  AND r.appointment_id <> NEW.appointment_id
	  AND r.starts_at > strftime('%Y-%m-%dT%H:%M:%SZ', NEW.starts_at, '-12 hours')
	  AND r.starts_at < NEW.ends_at AND r.ends_at > NEW.starts_at)
BEGIN
	SELECT RAISE(ABORT, 'celldesk: the resource is already booked at that time');
END;

-- A visit's resources follow its times, hold and override.
CREATE TRIGGER appointments_resources_follow
AFTER UPDATE OF starts_at, ends_at, held, override ON appointments
BEGIN
	UPDATE appointment_resources
	SET starts_at = NEW.starts_at, ends_at = NEW.ends_at, held = NEW.held,
	    override = NEW.override
	WHERE appointment_id = NEW.id;
END;
