package sqlite

import (
	"context"
	"database/sql"
	"fmt"
)

// migrations returns the schema steps in order; step i brings the schema to version i+1.
// Steps are append-only: never edit one that has shipped.
func migrations() []string {
	return []string{`
CREATE TABLE version (
	seq           INTEGER PRIMARY KEY,  -- the global change sequence
	type          TEXT    NOT NULL,
	id            TEXT    NOT NULL,
	vid           INTEGER NOT NULL,
	last_updated  INTEGER NOT NULL,     -- Unix milliseconds
	deleted       INTEGER NOT NULL,
	body          BLOB,                 -- NULL for a tombstone
	superseded_at INTEGER               -- last_updated of the next version; NULL while current
);
CREATE UNIQUE INDEX version_instance ON version(type, id, vid);
CREATE INDEX version_type ON version(type, seq);

CREATE TABLE resource (
	rid     INTEGER PRIMARY KEY,        -- stable row of a resource, keys the ix_* tables
	type    TEXT    NOT NULL,
	id      TEXT    NOT NULL,
	vid     INTEGER NOT NULL,
	seq     INTEGER NOT NULL,           -- version.seq of the current version (body lives there)
	deleted INTEGER NOT NULL
);
CREATE UNIQUE INDEX resource_id ON resource(type, id);

CREATE TABLE param  (pid INTEGER PRIMARY KEY, type TEXT NOT NULL, name TEXT NOT NULL, UNIQUE(type, name));
CREATE TABLE system (sid INTEGER PRIMARY KEY, uri TEXT NOT NULL UNIQUE);

CREATE TABLE ix_token (rid INTEGER NOT NULL, pid INTEGER NOT NULL, sid INTEGER NOT NULL, code TEXT NOT NULL,
	PRIMARY KEY (rid, pid, code, sid)) WITHOUT ROWID;
CREATE INDEX ix_token_code ON ix_token(pid, code, sid);

CREATE TABLE ix_text (rid INTEGER NOT NULL, pid INTEGER NOT NULL, text TEXT NOT NULL,
	PRIMARY KEY (rid, pid, text)) WITHOUT ROWID;
CREATE INDEX ix_text_text ON ix_text(pid, text);

CREATE TABLE ix_string (rid INTEGER NOT NULL, pid INTEGER NOT NULL, norm TEXT NOT NULL, exact TEXT NOT NULL,
	PRIMARY KEY (rid, pid, norm, exact)) WITHOUT ROWID;
CREATE INDEX ix_string_norm ON ix_string(pid, norm);

CREATE TABLE ix_date (rid INTEGER NOT NULL, pid INTEGER NOT NULL, lo INTEGER NOT NULL, hi INTEGER NOT NULL,
	PRIMARY KEY (rid, pid, lo, hi)) WITHOUT ROWID;
CREATE INDEX ix_date_lo ON ix_date(pid, lo);
CREATE INDEX ix_date_hi ON ix_date(pid, hi);

CREATE TABLE ix_number (rid INTEGER NOT NULL, pid INTEGER NOT NULL, value REAL NOT NULL,
	usys TEXT NOT NULL, ucode TEXT NOT NULL,
	PRIMARY KEY (rid, pid, value, usys, ucode)) WITHOUT ROWID;
CREATE INDEX ix_number_value ON ix_number(pid, value);

CREATE TABLE ix_ref (rid INTEGER NOT NULL, pid INTEGER NOT NULL,
	rtype TEXT NOT NULL,                -- target type; '' for a URL reference
	ref   TEXT NOT NULL,                -- target id, or the URL
	PRIMARY KEY (rid, pid, ref, rtype)) WITHOUT ROWID;
CREATE INDEX ix_ref_ref ON ix_ref(pid, ref, rtype);

CREATE TABLE ix_uri (rid INTEGER NOT NULL, pid INTEGER NOT NULL, uri TEXT NOT NULL,
	PRIMARY KEY (rid, pid, uri)) WITHOUT ROWID;
CREATE INDEX ix_uri_uri ON ix_uri(pid, uri);

CREATE TABLE ix_coord (rid INTEGER NOT NULL, pid INTEGER NOT NULL, lat REAL NOT NULL, lon REAL NOT NULL,
	PRIMARY KEY (rid, pid, lat, lon)) WITHOUT ROWID;
CREATE INDEX ix_coord_lat ON ix_coord(pid, lat);

CREATE TABLE ix_sort (rid INTEGER NOT NULL, pid INTEGER NOT NULL, key TEXT NOT NULL,
	PRIMARY KEY (rid, pid)) WITHOUT ROWID;
CREATE INDEX ix_sort_key ON ix_sort(pid, key);
`, `
-- Bit i set: the resource may have rows in indexTables()[i] (all set for rows of version 1).
ALTER TABLE resource ADD COLUMN ixmask INTEGER NOT NULL DEFAULT 511;
`, `
-- How version.body is encoded (see body_codec.go); 0 = the raw bytes.
ALTER TABLE version ADD COLUMN enc INTEGER NOT NULL DEFAULT 0;
`, `
-- URIs are interned in table system (they repeat: profiles, canonical URLs): ix_uri keeps ids.
INSERT INTO system(uri) SELECT DISTINCT uri FROM ix_uri WHERE true ON CONFLICT DO NOTHING;
CREATE TABLE ix_uri_new (rid INTEGER NOT NULL, pid INTEGER NOT NULL, sid INTEGER NOT NULL,
	PRIMARY KEY (rid, pid, sid)) WITHOUT ROWID;
INSERT INTO ix_uri_new SELECT u.rid, u.pid, s.sid FROM ix_uri u JOIN system s ON s.uri = u.uri;
DROP TABLE ix_uri;
ALTER TABLE ix_uri_new RENAME TO ix_uri;
CREATE INDEX ix_uri_sid ON ix_uri(pid, sid);
`, `
-- Bit i set: some resource has had several rows of this parameter in indexTables()[i], so that
-- counting its rows does not count resources (set by the writer, never cleared).
ALTER TABLE param ADD COLUMN multi INTEGER NOT NULL DEFAULT 0;
UPDATE param SET multi = multi | 1 WHERE pid IN (SELECT pid FROM ix_token GROUP BY rid, pid HAVING count(*) > 1);
UPDATE param SET multi = multi | 2 WHERE pid IN (SELECT pid FROM ix_text GROUP BY rid, pid HAVING count(*) > 1);
UPDATE param SET multi = multi | 4 WHERE pid IN (SELECT pid FROM ix_string GROUP BY rid, pid HAVING count(*) > 1);
UPDATE param SET multi = multi | 8 WHERE pid IN (SELECT pid FROM ix_date GROUP BY rid, pid HAVING count(*) > 1);
UPDATE param SET multi = multi | 16 WHERE pid IN (SELECT pid FROM ix_number GROUP BY rid, pid HAVING count(*) > 1);
UPDATE param SET multi = multi | 32 WHERE pid IN (SELECT pid FROM ix_ref GROUP BY rid, pid HAVING count(*) > 1);
UPDATE param SET multi = multi | 64 WHERE pid IN (SELECT pid FROM ix_uri GROUP BY rid, pid HAVING count(*) > 1);
UPDATE param SET multi = multi | 128 WHERE pid IN (SELECT pid FROM ix_coord GROUP BY rid, pid HAVING count(*) > 1);
`, `
-- The HTTP method that wrote each version (POST, PUT, DELETE), for history entries; NULL for
-- versions written before it was kept.
ALTER TABLE version ADD COLUMN method TEXT;
`, `
-- Where each parameter's sort keys come from (see sort_source.go): 0 = rows of ix_sort, as for
-- every parameter created before this version.
ALTER TABLE param ADD COLUMN sortsrc INTEGER NOT NULL DEFAULT 0;
`}
}

// indexTables lists the ix_* tables, each keyed by (rid, pid, ...); resource.ixmask has bit i
// set when the resource has rows in table i.
func indexTables() []string {
	return []string{"ix_token", "ix_text", "ix_string", "ix_date", "ix_number", "ix_ref", "ix_uri", "ix_coord", "ix_sort"}
}

// migrate brings the schema to the latest version, idempotently, in one transaction.
func migrate(ctx context.Context, db *sql.DB) (err error) {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("sqlite: migrate: %w", err)
	}
	defer func() {
		if err != nil {
			_ = tx.Rollback()
		}
	}()
	if _, err = tx.ExecContext(ctx, "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)"); err != nil {
		return fmt.Errorf("sqlite: migrate: %w", err)
	}
	var cur int
	if err = tx.QueryRowContext(ctx, "SELECT coalesce(max(version), 0) FROM schema_version").Scan(&cur); err != nil {
		return fmt.Errorf("sqlite: migrate: read version: %w", err)
	}
	steps := migrations()
	if cur > len(steps) {
		return fmt.Errorf("sqlite: migrate: database schema version %d is newer than this program (%d)", cur, len(steps))
	}
	for i := cur; i < len(steps); i++ {
		if _, err = tx.ExecContext(ctx, steps[i]); err != nil {
			return fmt.Errorf("sqlite: migrate to version %d: %w", i+1, err)
		}
	}
	if cur < len(steps) {
		if _, err = tx.ExecContext(ctx, "DELETE FROM schema_version"); err != nil {
			return fmt.Errorf("sqlite: migrate: record version: %w", err)
		}
		if _, err = tx.ExecContext(ctx, "INSERT INTO schema_version VALUES (?)", len(steps)); err != nil {
			return fmt.Errorf("sqlite: migrate: record version: %w", err)
		}
	}
	if err = tx.Commit(); err != nil {
		return fmt.Errorf("sqlite: migrate: %w", err)
	}
	return nil
}
