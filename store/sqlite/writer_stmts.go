package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/rorfhir/ror/store"
)

// writer owns the single write connection and its prepared statements. Only the holder of the
// store's writer lock uses it.
type writer struct {
	conn        *sql.Conn
	stmts       []*sql.Stmt
	selCurrent  *sql.Stmt
	insVersion  *sql.Stmt
	supersede   *sql.Stmt
	insResource *sql.Stmt
	updResource *sql.Stmt
	delIndex    []*sql.Stmt
	insToken    *sql.Stmt
	insText     *sql.Stmt
	insString   *sql.Stmt
	insDate     *sql.Stmt
	insNumber   *sql.Stmt
	insRef      *sql.Stmt
	insURI      *sql.Stmt
	insCoord    *sql.Stmt
	insSort     *sql.Stmt
}

func newWriter(ctx context.Context, db *sql.DB) (*writer, error) {
	conn, err := db.Conn(ctx)
	if err != nil {
		return nil, fmt.Errorf("sqlite: writer connection: %w", err)
	}
	w := &writer{conn: conn}
	prep := func(dst **sql.Stmt, q string) {
		if err != nil {
			return
		}
		var st *sql.Stmt
		if st, err = conn.PrepareContext(ctx, q); err != nil {
			err = fmt.Errorf("sqlite: prepare %q: %w", q, err)
			return
		}
		w.stmts = append(w.stmts, st)
		*dst = st
	}
	prep(&w.selCurrent, "SELECT rid, vid, seq FROM resource WHERE type = ? AND id = ?")
	prep(&w.insVersion, "INSERT INTO version(type, id, vid, last_updated, deleted, body) VALUES (?, ?, ?, ?, ?, ?)")
	prep(&w.supersede, "UPDATE version SET superseded_at = ? WHERE seq = ?")
	prep(&w.insResource, "INSERT INTO resource(type, id, vid, seq, deleted) VALUES (?, ?, ?, ?, ?)")
	prep(&w.updResource, "UPDATE resource SET vid = ?, seq = ?, deleted = ? WHERE rid = ?")
	for _, t := range indexTables() {
		var st *sql.Stmt
		prep(&st, "DELETE FROM "+t+" WHERE rid = ?")
		w.delIndex = append(w.delIndex, st)
	}
	prep(&w.insToken, "INSERT OR IGNORE INTO ix_token(rid, pid, sid, code) VALUES (?, ?, ?, ?)")
	prep(&w.insText, "INSERT OR IGNORE INTO ix_text(rid, pid, text) VALUES (?, ?, ?)")
	prep(&w.insString, "INSERT OR IGNORE INTO ix_string(rid, pid, norm, exact) VALUES (?, ?, ?, ?)")
	prep(&w.insDate, "INSERT OR IGNORE INTO ix_date(rid, pid, lo, hi) VALUES (?, ?, ?, ?)")
	prep(&w.insNumber, "INSERT OR IGNORE INTO ix_number(rid, pid, value, usys, ucode) VALUES (?, ?, ?, ?, ?)")
	prep(&w.insRef, "INSERT OR IGNORE INTO ix_ref(rid, pid, rtype, ref) VALUES (?, ?, ?, ?)")
	prep(&w.insURI, "INSERT OR IGNORE INTO ix_uri(rid, pid, uri) VALUES (?, ?, ?)")
	prep(&w.insCoord, "INSERT OR IGNORE INTO ix_coord(rid, pid, lat, lon) VALUES (?, ?, ?, ?)")
	// One sort key per parameter and resource: keep the smallest if the caller gives several.
	prep(&w.insSort, `INSERT INTO ix_sort(rid, pid, key) VALUES (?, ?, ?)
		ON CONFLICT(rid, pid) DO UPDATE SET key = min(key, excluded.key)`)
	if err != nil {
		_ = w.close()
		return nil, err
	}
	return w, nil
}

func (w *writer) close() error {
	var errs []error
	for _, st := range w.stmts {
		errs = append(errs, st.Close())
	}
	errs = append(errs, w.conn.Close())
	return errors.Join(errs...)
}

// insertIndex stores the search values of the current version of resource row rid.
func (w *writer) insertIndex(ctx context.Context, d *dicts, rid int64, typ string, ix *store.Index) error {
	pid := func(name string) int64 {
		id, _ := d.cachedParam(paramKey{typ, name}) // interned by dicts.ensure before the write
		return id
	}
	exec := func(st *sql.Stmt, args ...any) error {
		_, err := st.ExecContext(ctx, args...)
		return err
	}
	for _, v := range ix.Tokens {
		sid, _ := d.cachedSystem(v.System)
		if err := exec(w.insToken, rid, pid(v.Param), sid, v.Code); err != nil {
			return err
		}
		if v.Text != "" {
			if err := exec(w.insText, rid, pid(v.Param), v.Text); err != nil {
				return err
			}
		}
	}
	for _, v := range ix.Strings {
		if err := exec(w.insString, rid, pid(v.Param), v.Norm, v.Exact); err != nil {
			return err
		}
	}
	for _, v := range ix.Dates {
		if err := exec(w.insDate, rid, pid(v.Param), v.Lo, v.Hi); err != nil {
			return err
		}
	}
	for _, v := range ix.Numbers {
		if err := exec(w.insNumber, rid, pid(v.Param), v.Value, v.System, v.Code); err != nil {
			return err
		}
	}
	for _, v := range ix.References {
		if v.ID != "" {
			if err := exec(w.insRef, rid, pid(v.Param), v.Type, v.ID); err != nil {
				return err
			}
		}
		if v.URL != "" {
			if err := exec(w.insRef, rid, pid(v.Param), "", v.URL); err != nil {
				return err
			}
		}
	}
	for _, v := range ix.URIs {
		if err := exec(w.insURI, rid, pid(v.Param), v.URI); err != nil {
			return err
		}
	}
	for _, v := range ix.Coords {
		if err := exec(w.insCoord, rid, pid(v.Param), v.Lat, v.Lon); err != nil {
			return err
		}
	}
	for _, v := range ix.Sorts {
		if err := exec(w.insSort, rid, pid(v.Param), v.Key); err != nil {
			return err
		}
	}
	return nil
}

// msTime turns stored Unix milliseconds back into a UTC time.
func msTime(ms int64) time.Time { return time.UnixMilli(ms).UTC() }
