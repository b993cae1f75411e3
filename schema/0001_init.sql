-- 0001_init.sql - sites, resources, staff, patients and the audit trail.
-- Times are UTC ISO 8601 text (2026-11-21T13:36:14.123Z); dates are
-- YYYY-MM-DD; opening hours are minutes from local midnight.

CREATE TABLE sites (
	id         INTEGER PRIMARY KEY,
	name       TEXT NOT NULL UNIQUE,
	tz         TEXT NOT NULL,              -- IANA zone, e.g. Europe/Kyiv
	created_at TEXT NOT NULL
);

CREATE TABLE site_hours (
	site_id    INTEGER NOT NULL REFERENCES sites(id) ON DELETE CASCADE,
	weekday    INTEGER NOT NULL CHECK (weekday BETWEEN 0 AND 6), -- 0 = Monday
	open_min   INTEGER NOT NULL CHECK (open_min BETWEEN 0 AND 1440),
	close_min  INTEGER NOT NULL CHECK (close_min BETWEEN 0 AND 1440),
	PRIMARY KEY (site_id, weekday),
	CHECK (open_min < close_min)
) WITHOUT ROWID;

CREATE TABLE site_closures (
	id         INTEGER PRIMARY KEY,
	site_id    INTEGER NOT NULL REFERENCES sites(id) ON DELETE CASCADE,
	day        TEXT NOT NULL,              -- local date, YYYY-MM-DD
	reason     TEXT,
	UNIQUE (site_id, day)
);

CREATE TABLE staff (
	id         INTEGER PRIMARY KEY,
	username   TEXT NOT NULL UNIQUE,       -- the Unix account
	name       TEXT NOT NULL,
	roles      TEXT NOT NULL,              -- e.g. frontdesk,admin
	active     INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
	created_at TEXT NOT NULL
);

CREATE TABLE resources (
	id         INTEGER PRIMARY KEY,
	site_id    INTEGER NOT NULL REFERENCES sites(id),
	name       TEXT NOT NULL,
	kind       TEXT NOT NULL CHECK (kind IN ('room', 'device', 'clinician')),
	staff_id   INTEGER REFERENCES staff(id), -- the person, for a clinician
	created_at TEXT NOT NULL,
	UNIQUE (site_id, name)
);

CREATE TABLE resource_tags (
	resource_id INTEGER NOT NULL REFERENCES resources(id) ON DELETE CASCADE,
	tag         TEXT NOT NULL,             -- e.g. ultrasound, fluoroscopy
	PRIMARY KEY (resource_id, tag)
) WITHOUT ROWID;
CREATE INDEX resource_tags_by_tag ON resource_tags(tag);

-- A resource's own weekly hours; a resource without rows keeps its site's.
CREATE TABLE resource_hours (
	resource_id INTEGER NOT NULL REFERENCES resources(id) ON DELETE CASCADE,
	weekday     INTEGER NOT NULL CHECK (weekday BETWEEN 0 AND 6),
	open_min    INTEGER NOT NULL CHECK (open_min BETWEEN 0 AND 1440),
	close_min   INTEGER NOT NULL CHECK (close_min BETWEEN 0 AND 1440),
	PRIMARY KEY (resource_id, weekday),
	CHECK (open_min < close_min)
) WITHOUT ROWID;

CREATE TABLE resource_absences (
	id          INTEGER PRIMARY KEY,
	resource_id INTEGER NOT NULL REFERENCES resources(id) ON DELETE CASCADE,
	starts_at   TEXT NOT NULL,             -- UTC
	ends_at     TEXT NOT NULL,             -- UTC
	reason      TEXT,
	CHECK (starts_at < ends_at)
);
CREATE INDEX resource_absences_by_time ON resource_absences(resource_id, starts_at);

CREATE TABLE patients (
	id         INTEGER PRIMARY KEY,
	mrn        TEXT NOT NULL UNIQUE,
	name       TEXT NOT NULL,
	name_key   TEXT NOT NULL,              -- lower-cased name, for ordering
	dob        TEXT NOT NULL,              -- YYYY-MM-DD
	phone      TEXT,
	phone_key  TEXT,                       -- digits only, for search
	site_id    INTEGER REFERENCES sites(id), -- preferred site
	language   TEXT,
	condition  TEXT,
	notes      TEXT,
	created_at TEXT NOT NULL,
	updated_at TEXT NOT NULL
);
CREATE INDEX patients_by_name ON patients(name_key, mrn);

-- Word-prefix search on names (Cyrillic, umlauts, any case).
CREATE VIRTUAL TABLE patients_fts USING fts5(
	name, content = 'patients', content_rowid = 'id',
	tokenize = 'unicode61 remove_diacritics 2', prefix = '1 2 3'
);
CREATE TRIGGER patients_fts_insert AFTER INSERT ON patients BEGIN
	INSERT INTO patients_fts(rowid, name) VALUES (new.id, new.name);
END;
CREATE TRIGGER patients_fts_delete AFTER DELETE ON patients BEGIN
	INSERT INTO patients_fts(patients_fts, rowid, name) VALUES ('delete', old.id, old.name);
END;
CREATE TRIGGER patients_fts_update AFTER UPDATE OF name ON patients BEGIN
	INSERT INTO patients_fts(patients_fts, rowid, name) VALUES ('delete', old.id, old.name);
	INSERT INTO patients_fts(rowid, name) VALUES (new.id, new.name);
END;

-- The audit trail: append-only, SHA-256 hash-chained (see celldesk(1)).
CREATE TABLE audit (
	seq        INTEGER PRIMARY KEY,        -- 1, 2, 3 ... without gaps
	at         TEXT NOT NULL,              -- UTC
	actor      TEXT NOT NULL,              -- Unix account or lab-sync
	action     TEXT NOT NULL,              -- insert, update, ...
	tbl        TEXT NOT NULL,
	row_key    TEXT NOT NULL,
	old        TEXT,                       -- JSON object before, or NULL
	new        TEXT,                       -- JSON object after, or NULL
	reason     TEXT,
	prev_hash  TEXT NOT NULL,
	hash       TEXT NOT NULL
);
CREATE INDEX audit_by_row ON audit(tbl, row_key, seq);
CREATE INDEX audit_by_time ON audit(at);

CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit BEGIN
	SELECT RAISE(ABORT, 'audit records cannot be changed');
END;
CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit BEGIN
	SELECT RAISE(ABORT, 'audit records cannot be deleted');
END;
