package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/rorfhir/ror/store"
	zsqlite "zombiezen.com/go/sqlite"
)

// Where a parameter's sort keys come from (column param.sortsrc). The search layer's sort key of
// a string parameter is the least of its normalised values, and that of a token parameter the
// least of its codes: rows ix_string and ix_token already hold them, and a row of ix_sort per
// resource and parameter would repeat them (a quarter of the index rows of the national file).
// A parameter's keys are derived from those rows as long as every write's keys agree with them;
// the first write that does not turns the parameter to stored keys for good, its keys then
// copied into ix_sort (sortBackfill).
const (
	sortStored = 0 // rows of ix_sort (parameters of schemas before version 7 included)
	sortString = 1 // the least norm of its ix_string rows
	sortToken  = 2 // the least code of its ix_token rows
	sortUnset  = 3 // not decided: no write had a value of it yet
)

// sortFacts is what one write holds for one parameter: its sort key and the least of its string
// and token values.
type sortFacts struct {
	key, norm, code          string
	hasKey, hasNorm, hasCode bool
}

// agrees says whether a parameter whose keys come from src gives f's sort key (or its absence).
func (f *sortFacts) agrees(src int64) bool {
	switch src {
	case sortString:
		return f.hasNorm == f.hasKey && f.norm == f.key
	case sortToken:
		return f.hasCode == f.hasKey && f.code == f.key
	}
	return src == sortStored
}

// firstSource is the source of a parameter first seen with f.
func (f *sortFacts) firstSource() int64 {
	switch {
	case f.hasNorm && f.agrees(sortString):
		return sortString
	case f.hasCode && f.agrees(sortToken):
		return sortToken
	}
	return sortStored
}

// collectSortFacts fills facts (cleared first) with the facts of ix, by parameter. The facts are
// values, so that the writer allocates nothing per write once the map has grown.
func collectSortFacts(ix *store.Index, facts map[string]sortFacts) {
	clear(facts)
	for _, v := range ix.Sorts {
		if f := facts[v.Param]; !f.hasKey || v.Key < f.key {
			f.key, f.hasKey = v.Key, true
			facts[v.Param] = f
		}
	}
	for _, v := range ix.Strings {
		if f := facts[v.Param]; !f.hasNorm || v.Norm < f.norm {
			f.norm, f.hasNorm = v.Norm, true
			facts[v.Param] = f
		}
	}
	for _, v := range ix.Tokens {
		if f := facts[v.Param]; !f.hasCode || v.Code < f.code {
			f.code, f.hasCode = v.Code, true
			facts[v.Param] = f
		}
	}
}

// sortSources returns the committed (or written in the open transaction) param.sortsrc of every
// parameter, cached until a rollback.
func (w *writer) sortSources() (map[int64]int64, error) {
	if w.sortsrc != nil {
		return w.sortsrc, nil
	}
	m := map[int64]int64{}
	err := w.query("SELECT pid, sortsrc FROM param", func(st *zsqlite.Stmt) error {
		m[st.ColumnInt64(0)] = st.ColumnInt64(1)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("sqlite: read param.sortsrc: %w", err)
	}
	w.sortsrc = m
	return m, nil
}

// decideSorts returns the sort source of every parameter the indexed writes use, after them:
// a parameter keeps its source while each write agrees with it, else turns to stored keys.
// changed lists the parameters whose source the batch changes (with their source before it).
func (w *writer) decideSorts(d batchIDs, indexed []*store.Write) (src, changed map[int64]int64, err error) {
	committed, err := w.sortSources()
	if err != nil {
		return nil, nil, err
	}
	src, changed = map[int64]int64{}, map[int64]int64{}
	facts := map[string]sortFacts{}
	for _, wr := range indexed {
		collectSortFacts(&wr.Index, facts)
		for p, f := range facts {
			pid := d.params[paramKey{wr.Type, p}]
			cur, seen := src[pid]
			if !seen {
				cur = sortUnset
				if c, ok := committed[pid]; ok {
					cur = c
				}
			}
			next := cur
			switch {
			case cur == sortUnset:
				next = f.firstSource()
			case !f.agrees(cur):
				next = sortStored
			}
			if next != cur {
				if _, was := changed[pid]; !was {
					before := int64(sortUnset)
					if c, ok := committed[pid]; ok {
						before = c
					}
					changed[pid] = before
				}
			}
			src[pid] = next
		}
	}
	for pid, before := range changed {
		if src[pid] == before {
			delete(changed, pid)
		}
	}
	return src, changed, nil
}

// applySorts records the changed sort sources; a parameter turning from derived to stored keys
// gets the ix_sort rows of every resource indexed before (their rows of the batch's resources
// were removed by then), and their resource rows the ix_sort bit.
func (w *writer) applySorts(src, changed map[int64]int64) error {
	for pid, before := range changed {
		if src[pid] == sortStored && (before == sortString || before == sortToken) {
			tbl, col := "ix_string", "norm"
			if before == sortToken {
				tbl, col = "ix_token", "code"
			}
			err := w.exec("INSERT INTO ix_sort(rid, pid, key) SELECT rid, pid, min("+col+") FROM "+tbl+" WHERE pid = ? GROUP BY rid", pid)
			if err == nil {
				err = w.exec("UPDATE resource SET ixmask = ixmask | ? WHERE rid IN (SELECT rid FROM ix_sort WHERE pid = ?)", int64(1)<<tSort, pid)
			}
			if err != nil {
				return fmt.Errorf("sqlite: store the sort keys of parameter %d: %w", pid, err)
			}
		}
		if err := w.exec("UPDATE param SET sortsrc = ? WHERE pid = ?", src[pid], pid); err != nil {
			return fmt.Errorf("sqlite: write param.sortsrc: %w", err)
		}
		w.sortsrc[pid] = src[pid]
	}
	return nil
}

// sortSource is how a search reads the sort key of a parameter: from ix_sort, or derived from the
// least value of its rows in table tbl (column col, then tie to choose one row of the least
// value); several says a resource may have several rows of it in tbl.
type sortSource struct {
	derived       bool
	tbl, col, tie string
	several       bool
}

// readSortSource reads the source of parameter pid's sort keys, in the search's snapshot.
func readSortSource(ctx context.Context, rd querier, pid int64) (sortSource, error) {
	var src, multi int64
	err := rd.QueryRowContext(ctx, "SELECT sortsrc, multi FROM param WHERE pid = ?", pid).Scan(&src, &multi)
	if errors.Is(err, sql.ErrNoRows) {
		return sortSource{}, nil
	}
	if err != nil {
		return sortSource{}, fmt.Errorf("sqlite: search: read the sort source: %w", err)
	}
	switch src {
	case sortString:
		return sortSource{derived: true, tbl: "ix_string", col: "norm", tie: "exact", several: multi&(1<<tString) != 0}, nil
	case sortToken:
		return sortSource{derived: true, tbl: "ix_token", col: "code", tie: "sid", several: multi&(1<<tToken) != 0}, nil
	}
	return sortSource{}, nil
}
