package sqlite

import (
	"fmt"
	"slices"

	"github.com/rorfhir/ror/store"
	zsqlite "zombiezen.com/go/sqlite"
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
func (wr *writer) apply(d batchIDs, ws []store.Write, bodies []packedBody) (out []store.Version, errs []error, err error) {
	states, err := wr.current(ws)
	if err != nil {
		return nil, nil, err
	}
	if !wr.hiValid {
		err := wr.query(`SELECT (SELECT coalesce(max(seq), 0) FROM version), (SELECT coalesce(max(rid), 0) FROM resource)`,
			func(st *zsqlite.Stmt) error {
				wr.seqHi, wr.ridHi = st.ColumnInt64(0), st.ColumnInt64(1)
				return nil
			})
		if err != nil {
			return nil, nil, fmt.Errorf("sqlite: read sequences: %w", err)
		}
		wr.hiValid = true
	}
	maxSeq, maxRid := wr.seqHi, wr.ridHi
	out = make([]store.Version, len(ws))
	errs = make([]error, len(ws))
	versions := make([]versionRow, 0, len(ws))
	type supersede struct{ seq, ms int64 }
	var superseded []supersede
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
			superseded = append(superseded, supersede{st.seq, ms})
		}
		if st.rid == 0 {
			maxRid++
			st.rid = maxRid
		}
		st.vid, st.seq, st.verRow, st.last = w.VersionID, maxSeq, len(versions), i
		versions = append(versions, versionRow{w: w, body: bodies[i], seq: maxSeq})
		out[i] = store.Version{Type: w.Type, ID: w.ID, VersionID: w.VersionID, Seq: maxSeq,
			LastUpdated: msTime(ms), Deleted: w.Deleted, Body: bodyOf(w.Deleted, w.Body), Method: w.Method}
	}
	if len(versions) == 0 {
		return out, errs, nil
	}
	if err := wr.insertVersions(versions); err != nil {
		return nil, nil, err
	}
	for _, s := range superseded {
		if err := wr.exec("UPDATE version SET superseded_at = ? WHERE seq = ?", s.ms, s.seq); err != nil {
			return nil, nil, fmt.Errorf("sqlite: supersede versions: %w", err)
		}
	}
	if err := wr.index(d, ws, states); err != nil {
		return nil, nil, err
	}
	wr.seqHi, wr.ridHi = maxSeq, maxRid // kept if the transaction commits, forgotten by rollback
	return out, errs, nil
}

// current reads the state of every resource ws touch.
func (wr *writer) current(ws []store.Write) (map[resKey]*resState, error) {
	states := make(map[resKey]*resState, len(ws))
	for _, w := range ws {
		k := resKey{w.Type, w.ID}
		if states[k] != nil {
			continue
		}
		p := &resState{verRow: -1, last: -1}
		states[k] = p
		err := wr.query("SELECT rid, vid, seq, ixmask FROM resource WHERE type = ? AND id = ?", func(st *zsqlite.Stmt) error {
			p.rid, p.vid, p.seq, p.oldMask, p.exists = st.ColumnInt64(0), st.ColumnInt64(1), st.ColumnInt64(2), st.ColumnInt64(3), true
			return nil
		}, w.Type, w.ID)
		if err != nil {
			return nil, fmt.Errorf("sqlite: read current versions: %w", err)
		}
	}
	return states, nil
}

// insertVersions inserts the version rows.
func (wr *writer) insertVersions(vs []versionRow) error {
	for _, v := range vs {
		var body, sup, method any
		if v.w.Method != "" {
			method = v.w.Method
		}
		if !v.w.Deleted {
			body = bodyOf(false, v.body.b)
		}
		if v.superseded != 0 {
			sup = v.superseded
		}
		err := wr.exec(`INSERT INTO version(seq, type, id, vid, last_updated, deleted, body, enc, superseded_at, method)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			v.seq, v.w.Type, v.w.ID, v.w.VersionID, v.w.LastUpdated.UnixMilli(), v.w.Deleted, body, v.body.enc, sup, method)
		if err != nil {
			return fmt.Errorf("sqlite: insert versions: %w", err)
		}
	}
	return nil
}

// index upserts the resource rows and replaces the index rows of every resource the batch wrote.
func (wr *writer) index(d batchIDs, ws []store.Write, states map[resKey]*resState) error {
	var ix [nTables][]ixRow
	var stale [nTables][]int64 // rids whose rows to delete, per table
	seen, multi := map[int64]int64{}, map[int64]int64{}
	var todo []*resState // in the order of the writes (new rids ascending), each resource once
	var live []*store.Write
	for i := range ws {
		st := states[resKey{ws[i].Type, ws[i].ID}]
		if st.last < 0 || st.indexed {
			continue
		}
		st.indexed = true
		todo = append(todo, st)
		if w := &ws[st.last]; !w.Deleted {
			live = append(live, w)
		}
	}
	sortsrc, changed, err := wr.decideSorts(d, live)
	if err != nil {
		return err
	}
	for _, st := range todo {
		w := &ws[st.last]
		var mask int64
		if !w.Deleted {
			mask = indexRows(&ix, d, st.rid, w, seen, multi, sortsrc)
		}
		err := wr.exec(`INSERT INTO resource(rid, type, id, vid, seq, deleted, ixmask) VALUES (?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT(rid) DO UPDATE SET vid = excluded.vid, seq = excluded.seq, deleted = excluded.deleted,
			ixmask = excluded.ixmask`, st.rid, w.Type, w.ID, w.VersionID, st.seq, w.Deleted, mask)
		if err != nil {
			return fmt.Errorf("sqlite: write resources: %w", err)
		}
		if st.exists {
			for t := range stale {
				if st.oldMask&(1<<t) != 0 {
					stale[t] = append(stale[t], st.rid)
				}
			}
		}
	}
	tables := indexTables()
	for t, rids := range stale {
		for _, rid := range rids {
			if err := wr.exec("DELETE FROM "+tables[t]+" WHERE rid = ?", rid); err != nil {
				return fmt.Errorf("sqlite: clear %s: %w", tables[t], err)
			}
		}
	}
	if err := wr.applySorts(sortsrc, changed); err != nil {
		return err
	}
	if err := wr.markMulti(multi); err != nil {
		return err
	}
	for t := range ix {
		rows := ix[t]
		if len(rows) == 0 {
			continue
		}
		slices.SortFunc(rows, func(a, b ixRow) int { return lookupCmp(t, &a, &b) })
		st, err := wr.prep(insertSQL(t))
		if err != nil {
			return fmt.Errorf("sqlite: fill %s: %w", tables[t], err)
		}
		for i := range rows {
			bindRow(st, t, &rows[i])
			if err := stepDone(st); err != nil {
				return fmt.Errorf("sqlite: fill %s: %w", tables[t], err)
			}
		}
	}
	return nil
}

// indexRows appends the index rows of w (resource row rid) and returns the ixmask they make.
// Parameters with several rows of the resource in a table are added to multi (pid -> bit 1<<t),
// seen is scratch space. Sort keys are written for the parameters whose keys are stored
// (sortsrc, see sort_source.go).
func indexRows(ix *[nTables][]ixRow, d batchIDs, rid int64, w *store.Write, seen, multi, sortsrc map[int64]int64) int64 {
	pid := func(name string) int64 { return d.params[paramKey{w.Type, name}] } // interned by dicts.ensure
	var mask int64
	clear(seen)
	add := func(t int, p int64, r ixRow) {
		mask |= 1 << t
		if seen[p]&(1<<t) != 0 {
			multi[p] |= 1 << t
		}
		seen[p] |= 1 << t
		r.rid, r.pid = rid, p
		ix[t] = append(ix[t], r)
	}
	for _, v := range w.Index.Tokens {
		add(tToken, pid(v.Param), ixRow{i1: d.systems[v.System], s1: v.Code})
		if v.Text != "" {
			add(tText, pid(v.Param), ixRow{s1: v.Text})
		}
	}
	for _, v := range w.Index.Strings {
		add(tString, pid(v.Param), ixRow{s1: v.Norm, s2: v.Exact})
	}
	for _, v := range w.Index.Dates {
		add(tDate, pid(v.Param), ixRow{i1: v.Lo, i2: v.Hi})
	}
	for _, v := range w.Index.Numbers {
		add(tNumber, pid(v.Param), ixRow{f1: v.Value, s1: v.System, s2: v.Code})
	}
	for _, v := range w.Index.References {
		if v.ID != "" {
			add(tRef, pid(v.Param), ixRow{s1: v.Type, s2: v.ID})
		}
		if v.URL != "" {
			add(tRef, pid(v.Param), ixRow{s2: v.URL})
		}
	}
	for _, v := range w.Index.URIs {
		add(tURI, pid(v.Param), ixRow{i1: d.systems[v.URI]})
	}
	for _, v := range w.Index.Coords {
		add(tCoord, pid(v.Param), ixRow{f1: v.Lat, f2: v.Lon})
	}
	for _, v := range w.Index.Sorts {
		if p := pid(v.Param); sortsrc[p] == sortStored { // else derived from the string or token rows
			add(tSort, p, ixRow{s1: v.Key})
		}
	}
	return mask
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
