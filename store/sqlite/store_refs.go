package sqlite

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/rorfhir/ror/store"
	zsqlite "zombiezen.com/go/sqlite"
)

var _ store.ReferenceReader = (*Store)(nil)

// ReadReferences implements store.ReferenceReader from the index (ix_ref): one prepared
// statement per type on a point-read connection, the ids and parameter ids given as JSON arrays
// (json_each). Each version is checked against its resource's current version (ok).
func (s *Store) ReadReferences(ctx context.Context, vs []store.Version, params []string) ([][]store.ReferenceValue, []bool, error) {
	refs := make([][]store.ReferenceValue, len(vs))
	ok := make([]bool, len(vs))
	byType := map[string][]int{}
	var types []string
	for i, v := range vs {
		if byType[v.Type] == nil {
			types = append(types, v.Type)
		}
		byType[v.Type] = append(byType[v.Type], i)
	}
	for _, typ := range types {
		names := map[int64]string{}
		pids := []int64{}
		for _, p := range params {
			pid, err := s.dicts.param(ctx, s.read, typ, p)
			if err != nil {
				return nil, nil, err
			}
			if pid != noID {
				names[pid] = p
				pids = append(pids, pid)
			}
		}
		if err := s.readRefs(ctx, typ, pids, names, vs, byType[typ], refs, ok); err != nil {
			return nil, nil, err
		}
	}
	return refs, ok, nil
}

// readRefs fills refs and ok for the versions vs[i], i in idx, all of type typ.
func (s *Store) readRefs(ctx context.Context, typ string, pids []int64, names map[int64]string, vs []store.Version, idx []int, refs [][]store.ReferenceValue, ok []bool) error {
	key := refsKey(pids)
	at := map[string][]int{} // id -> positions in vs (a version may be asked twice)
	ids := make([]string, 0, len(idx))
	var asked []int // the positions read from the database
	for _, i := range idx {
		if cached, current, known := s.cur.references(resKey{typ, vs[i].ID}, vs[i].VersionID, key); known {
			refs[i], ok[i] = cached, current
			continue
		}
		if at[vs[i].ID] == nil {
			ids = append(ids, vs[i].ID)
		}
		at[vs[i].ID] = append(at[vs[i].ID], i)
		asked = append(asked, i)
	}
	if len(ids) == 0 {
		return nil
	}
	gen := s.cur.generation()
	idList, err := json.Marshal(ids)
	if err != nil {
		return fmt.Errorf("sqlite: read references: %w", err)
	}
	pidList, err := json.Marshal(pids)
	if err != nil {
		return fmt.Errorf("sqlite: read references: %w", err)
	}
	err = s.points.each(ctx, `SELECT r.id, r.vid, x.pid, x.rtype, x.ref
		FROM json_each(?) j CROSS JOIN resource r ON r.type = ? AND r.id = j.value
		LEFT JOIN ix_ref x ON x.rid = r.rid AND x.pid IN (SELECT value FROM json_each(?)) AND x.rtype <> ''
		WHERE r.deleted = 0`, func(st *zsqlite.Stmt) error {
		id, vid := st.ColumnText(0), st.ColumnInt64(1)
		for _, i := range at[id] {
			if vs[i].VersionID != vid {
				continue
			}
			ok[i] = true
			if st.ColumnType(2) != zsqlite.TypeNull {
				refs[i] = append(refs[i], store.ReferenceValue{Param: names[st.ColumnInt64(2)], Type: st.ColumnText(3), ID: st.ColumnText(4)})
			}
		}
		return nil
	}, string(idList), typ, string(pidList))
	if err != nil {
		return fmt.Errorf("sqlite: read references: %w", err)
	}
	s.cur.fillReferences(gen, key, vs, refs, ok, asked)
	return nil
}
