package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"github.com/rorfhir/ror/store"
)

// resState is what a batch knows of one resource: its state before the batch, then after each
// of the batch's writes to it.
type resState struct {
	rid     int64
	vid     int64 // current version (0: none)
	seq     int64 // Seq of the current version
	exists  bool  // has a resource row before the batch
	oldMask int64 // ixmask before the batch
	verRow  int   // row in the batch's versions of the current version, -1 if from before
	last    int   // index of the batch's last successful write to it, -1 if none
	indexed bool  // its resource and index rows are written
}

type resKey struct{ typ, id string }

// versionRow is one row of table version written by the batch.
type versionRow struct {
	w          *store.Write
	body       packedBody
	seq        int64
	superseded int64 // 0: still current
}

// apply writes ws in order inside the caller's transaction. A write whose VersionID is not the
// current version + 1 gets its error in errs and changes nothing; the others are applied.
func (wr *writer) apply(ctx context.Context, d batchIDs, ws []store.Write, bodies []packedBody) (out []store.Version, errs []error, err error) {
	states, err := wr.current(ctx, ws)
	if err != nil {
		return nil, nil, err
	}
	if !wr.hiValid {
		if err := wr.conn.QueryRowContext(ctx, `SELECT (SELECT coalesce(max(seq), 0) FROM version),
			(SELECT coalesce(max(rid), 0) FROM resource)`).Scan(&wr.seqHi, &wr.ridHi); err != nil {
			return nil, nil, fmt.Errorf("sqlite: read sequences: %w", err)
		}
		wr.hiValid = true
	}
	maxSeq, maxRid := wr.seqHi, wr.ridHi
	out = make([]store.Version, len(ws))
	errs = make([]error, len(ws))
	versions := make([]versionRow, 0, len(ws))
	var supersede jsonRows
	for i := range ws {
		w := &ws[i]
		st := states[resKey{w.Type, w.ID}]
		if w.VersionID != st.vid+1 {
			errs[i] = fmt.Errorf("sqlite: write %s/%s version %d, current is %d: %w",
				w.Type, w.ID, w.VersionID, st.vid, store.ErrVersionConflict)
			continue
		}
		maxSeq++
		ms := w.LastUpdated.UnixMilli()
		switch {
		case st.verRow >= 0:
			versions[st.verRow].superseded = ms
		case st.vid > 0:
			supersede.int(st.seq).int(ms).end()
		}
		if st.rid == 0 {
			maxRid++
			st.rid = maxRid
		}
		st.vid, st.seq, st.verRow, st.last = w.VersionID, maxSeq, len(versions), i
		versions = append(versions, versionRow{w: w, body: bodies[i], seq: maxSeq})
		out[i] = store.Version{Type: w.Type, ID: w.ID, VersionID: w.VersionID, Seq: maxSeq,
			LastUpdated: msTime(ms), Deleted: w.Deleted, Body: bodyOf(w.Deleted, w.Body)}
	}
	if len(versions) == 0 {
		return out, errs, nil
	}
	if err := wr.insertVersions(ctx, versions); err != nil {
		return nil, nil, err
	}
	if supersede.n > 0 {
		if err := wr.exec(ctx, `UPDATE version SET superseded_at = j.value->>1 FROM json_each(?) j
			WHERE version.seq = j.value->>0`, supersede.String()); err != nil {
			return nil, nil, fmt.Errorf("sqlite: supersede versions: %w", err)
		}
	}
	if err := wr.index(ctx, d, ws, states); err != nil {
		return nil, nil, err
	}
	wr.seqHi, wr.ridHi = maxSeq, maxRid // kept if the transaction commits, forgotten by rollback
	return out, errs, nil
}

// current reads the state of every resource ws touch.
func (wr *writer) current(ctx context.Context, ws []store.Write) (map[resKey]*resState, error) {
	states := make(map[resKey]*resState, len(ws))
	var keys jsonRows
	for _, w := range ws {
		k := resKey{w.Type, w.ID}
		if states[k] == nil {
			states[k] = &resState{verRow: -1, last: -1}
			keys.str(w.Type).str(w.ID).end()
		}
	}
	var rows *sql.Rows
	var err error
	if len(states) == 1 {
		rows, err = wr.conn.QueryContext(ctx, "SELECT type, id, rid, vid, seq, ixmask FROM resource WHERE type = ? AND id = ?",
			ws[0].Type, ws[0].ID)
	} else {
		rows, err = wr.conn.QueryContext(ctx, `SELECT r.type, r.id, r.rid, r.vid, r.seq, r.ixmask
			FROM json_each(?) j JOIN resource r ON r.type = j.value->>0 AND r.id = j.value->>1`, keys.String())
	}
	if err != nil {
		return nil, fmt.Errorf("sqlite: read current versions: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var k resKey
		var st resState
		if err := rows.Scan(&k.typ, &k.id, &st.rid, &st.vid, &st.seq, &st.oldMask); err != nil {
			return nil, fmt.Errorf("sqlite: read current versions: %w", err)
		}
		if p := states[k]; p != nil {
			st.exists, st.verRow, st.last = true, -1, -1
			*p = st
		}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("sqlite: read current versions: %w", err)
	}
	return states, nil
}

// insertVersions inserts the version rows, in chunks of multi-row VALUES (bodies are bound as
// blobs, never spliced).
func (wr *writer) insertVersions(ctx context.Context, vs []versionRow) error {
	// modernc.org/sqlite matches each bound parameter against the argument list (quadratic):
	// small chunks keep that cheap.
	const chunk = 64
	for lo := 0; lo < len(vs); lo += chunk {
		part := vs[lo:min(lo+chunk, len(vs))]
		var sb strings.Builder
		sb.WriteString("INSERT INTO version(seq, type, id, vid, last_updated, deleted, body, enc, superseded_at) VALUES ")
		args := make([]any, 0, 9*len(part))
		for i, v := range part {
			if i > 0 {
				sb.WriteByte(',')
			}
			sb.WriteString("(?,?,?,?,?,?,?,?,?)")
			var body any
			if !v.w.Deleted {
				body = bodyOf(false, v.body.b)
			}
			var sup any
			if v.superseded != 0 {
				sup = v.superseded
			}
			args = append(args, v.seq, v.w.Type, v.w.ID, v.w.VersionID, v.w.LastUpdated.UnixMilli(), v.w.Deleted, body, v.body.enc, sup)
		}
		if err := wr.exec(ctx, sb.String(), args...); err != nil {
			return fmt.Errorf("sqlite: insert versions: %w", err)
		}
	}
	return nil
}

// index upserts the resource rows and replaces the index rows of every resource the batch wrote.
func (wr *writer) index(ctx context.Context, d batchIDs, ws []store.Write, states map[resKey]*resState) error {
	var res jsonRows
	var ix [nTables]jsonRows
	var stale [nTables][]int64 // rids whose rows to delete, per table
	seen, multi := map[int64]int64{}, map[int64]int64{}
	for i := range ws { // in the order of the writes (new rids ascending), each resource once
		st := states[resKey{ws[i].Type, ws[i].ID}]
		if st.last < 0 || st.indexed {
			continue
		}
		st.indexed = true
		w := &ws[st.last]
		var mask int64
		if !w.Deleted {
			mask = indexRows(&ix, d, st.rid, w, seen, multi)
		}
		res.int(st.rid).str(w.Type).str(w.ID).int(w.VersionID).int(st.seq).int(boolInt(w.Deleted)).int(mask).end()
		if st.exists {
			for t := range stale {
				if st.oldMask&(1<<t) != 0 {
					stale[t] = append(stale[t], st.rid)
				}
			}
		}
	}
	if err := wr.exec(ctx, `INSERT INTO resource(rid, type, id, vid, seq, deleted, ixmask)
		SELECT value->>0, value->>1, value->>2, value->>3, value->>4, value->>5, value->>6 FROM json_each(?) WHERE true
		ON CONFLICT(rid) DO UPDATE SET vid = excluded.vid, seq = excluded.seq, deleted = excluded.deleted,
		ixmask = excluded.ixmask`, res.String()); err != nil {
		return fmt.Errorf("sqlite: write resources: %w", err)
	}
	tables := indexTables()
	for t, rids := range stale {
		var err error
		switch len(rids) {
		case 0:
			continue
		case 1:
			err = wr.exec(ctx, "DELETE FROM "+tables[t]+" WHERE rid = ?", rids[0])
		default:
			var j jsonRows
			for _, r := range rids {
				j.int(r).end()
			}
			err = wr.exec(ctx, "DELETE FROM "+tables[t]+" WHERE rid IN (SELECT value->>0 FROM json_each(?))", j.String())
		}
		if err != nil {
			return fmt.Errorf("sqlite: clear %s: %w", tables[t], err)
		}
	}
	if err := wr.markMulti(ctx, multi); err != nil {
		return err
	}
	for t := range ix {
		if ix[t].n == 0 {
			continue
		}
		if err := wr.exec(ctx, insertSQL(t), ix[t].String()); err != nil {
			return fmt.Errorf("sqlite: fill %s: %w", tables[t], err)
		}
	}
	return nil
}

// indexRows appends the index rows of w (resource row rid) and returns the ixmask they make.
// Parameters with several rows of the resource in a table are added to multi (pid -> bit 1<<t),
// seen is scratch space.
func indexRows(ix *[nTables]jsonRows, d batchIDs, rid int64, w *store.Write, seen, multi map[int64]int64) int64 {
	pid := func(name string) int64 { return d.params[paramKey{w.Type, name}] } // interned by dicts.ensure
	var mask int64
	clear(seen)
	add := func(t int, p int64) *jsonRows {
		mask |= 1 << t
		if seen[p]&(1<<t) != 0 {
			multi[p] |= 1 << t
		}
		seen[p] |= 1 << t
		return ix[t].int(rid).int(p)
	}
	for _, v := range w.Index.Tokens {
		add(tToken, pid(v.Param)).int(d.systems[v.System]).str(v.Code).end()
		if v.Text != "" {
			add(tText, pid(v.Param)).str(v.Text).end()
		}
	}
	for _, v := range w.Index.Strings {
		add(tString, pid(v.Param)).str(v.Norm).str(v.Exact).end()
	}
	for _, v := range w.Index.Dates {
		add(tDate, pid(v.Param)).int(v.Lo).int(v.Hi).end()
	}
	for _, v := range w.Index.Numbers {
		add(tNumber, pid(v.Param)).float(v.Value).str(v.System).str(v.Code).end()
	}
	for _, v := range w.Index.References {
		if v.ID != "" {
			add(tRef, pid(v.Param)).str(v.Type).str(v.ID).end()
		}
		if v.URL != "" {
			add(tRef, pid(v.Param)).str("").str(v.URL).end()
		}
	}
	for _, v := range w.Index.URIs {
		add(tURI, pid(v.Param)).int(d.systems[v.URI]).end()
	}
	for _, v := range w.Index.Coords {
		add(tCoord, pid(v.Param)).float(v.Lat).float(v.Lon).end()
	}
	for _, v := range w.Index.Sorts {
		add(tSort, pid(v.Param)).str(v.Key).end()
	}
	return mask
}

func boolInt(b bool) int64 {
	if b {
		return 1
	}
	return 0
}

// firstError returns the first non-nil error and its index.
func firstError(errs []error) (int, error) {
	for i, err := range errs {
		if err != nil {
			return i, err
		}
	}
	return -1, nil
}
