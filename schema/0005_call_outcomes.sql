-- 0005_call_outcomes.sql - what became of the front desk's calls: each
-- time someone marks a planned call (a visit whose step is 'call') or
-- the reminder for a visit as done or the patient unreachable, one row.
-- The newest row of a visit and kind is the call's outcome; older rows
-- stay as its history. Rows are never changed or deleted. Times are UTC
-- text YYYY-MM-DDTHH:MM:SSZ.
CREATE TABLE call_outcomes (
	id          INTEGER PRIMARY KEY,
	appointment_id INTEGER NOT NULL REFERENCES appointments(id),
	kind        TEXT NOT NULL CHECK (kind IN ('call', 'reminder')),
	outcome     TEXT NOT NULL CHECK (outcome IN ('done', 'unreachable')),
	note        TEXT,
	actor       TEXT NOT NULL,             -- the Unix account that marked it
	at          TEXT NOT NULL
);
-- The newest outcome of a visit's call: max(id) per (visit, kind).
CREATE INDEX call_outcomes_by_appt ON call_outcomes(appointment_id, kind, id);
CREATE TRIGGER call_outcomes_never_changed BEFORE UPDATE ON call_outcomes
BEGIN
	SELECT RAISE(ABORT, 'celldesk: a call''s recorded outcome never changes; mark it again');
END;
CREATE TRIGGER call_outcomes_never_deleted BEFORE DELETE ON call_outcomes
BEGIN
	SELECT RAISE(ABORT, 'celldesk: call outcomes are never deleted');
END;
