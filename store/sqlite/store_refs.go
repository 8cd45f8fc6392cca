package sqlite

import (
	"context"
	"fmt"
	"strings"

	"github.com/rorfhir/ror/store"
)

var _ store.ReferenceReader = (*Store)(nil)

// refsChunk is the number of resources per statement of ReadReferences.
const refsChunk = 500

// ReadReferences implements store.ReferenceReader from the index (ix_ref), in one read
// transaction: one statement per type and chunk of ids.
func (s *Store) ReadReferences(ctx context.Context, vs []store.Version, params []string) ([][]store.ReferenceValue, []bool, error) {
	refs := make([][]store.ReferenceValue, len(vs))
	ok := make([]bool, len(vs))
	if len(vs) == 0 {
		return refs, ok, nil
	}
	tx, err := s.read.BeginTx(ctx, nil)
	if err != nil {
		return nil, nil, fmt.Errorf("sqlite: read references: %w", err)
	}
	defer func() { _ = tx.Rollback() }()
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
		pids := []any{int64(noID)} // never empty: IN () is not SQL
		for _, p := range params {
			pid, err := s.dicts.param(ctx, tx, typ, p)
			if err != nil {
				return nil, nil, err
			}
			if pid != noID {
				names[pid] = p
				pids = append(pids, pid)
			}
		}
		all := byType[typ]
		for lo := 0; lo < len(all); lo += refsChunk {
			if err := s.readRefs(ctx, tx, typ, pids, names, vs, all[lo:min(lo+refsChunk, len(all))], refs, ok); err != nil {
				return nil, nil, err
			}
		}
	}
	return refs, ok, nil
}

// readRefs fills refs and ok for the versions vs[i], i in idx, all of type typ.
func (s *Store) readRefs(ctx context.Context, rd reader, typ string, pids []any, names map[int64]string, vs []store.Version, idx []int, refs [][]store.ReferenceValue, ok []bool) error {
	at := map[string][]int{} // id -> positions in vs (a version may be asked twice)
	ids := make([]any, 0, len(idx))
	for _, i := range idx {
		if at[vs[i].ID] == nil {
			ids = append(ids, vs[i].ID)
		}
		at[vs[i].ID] = append(at[vs[i].ID], i)
	}
	q := "SELECT r.id, r.vid, x.pid, x.rtype, x.ref FROM resource r LEFT JOIN ix_ref x ON x.rid = r.rid AND x.pid IN (" +
		strings.Repeat(",?", len(pids))[1:] + ") AND x.rtype <> '' WHERE r.type = ? AND r.id IN (" + strings.Repeat(",?", len(ids))[1:] +
		") AND r.deleted = 0"
	args := append(append(append([]any{}, pids...), typ), ids...)
	rows, err := rd.QueryContext(ctx, q, args...)
	if err != nil {
		return fmt.Errorf("sqlite: read references: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id string
		var vid int64
		var pid *int64
		var rtype, ref *string
		if err := rows.Scan(&id, &vid, &pid, &rtype, &ref); err != nil {
			return fmt.Errorf("sqlite: read references: %w", err)
		}
		for _, i := range at[id] {
			if vs[i].VersionID != vid {
				continue
			}
			ok[i] = true
			if pid != nil {
				refs[i] = append(refs[i], store.ReferenceValue{Param: names[*pid], Type: *rtype, ID: *ref})
			}
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("sqlite: read references: %w", err)
	}
	return nil
}
