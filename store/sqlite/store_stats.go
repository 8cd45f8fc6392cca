package sqlite

import (
	"context"
	"fmt"
	"strings"
)

// Usage is the disk space used by the store, in bytes, by purpose (beyond store.Store: for
// capacity reports and benchmarks).
type Usage struct {
	Versions int64 // table version: every version's JSON body and history keys
	History  int64 // indexes of table version
	Current  int64 // table resource and its index
	Search   int64 // the ix_* tables and their indexes
	Total    int64 // the whole database file (committed pages)
	Tables   map[string]int64
}

// DiskUsage measures the space used by each table and index (it reads every page: slow on a
// large database).
func (s *Store) DiskUsage(ctx context.Context) (Usage, error) {
	u := Usage{Tables: map[string]int64{}}
	rows, err := s.read.QueryContext(ctx, "SELECT name, sum(pgsize) FROM dbstat GROUP BY name")
	if err != nil {
		return Usage{}, fmt.Errorf("sqlite: disk usage: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var name string
		var n int64
		if err := rows.Scan(&name, &n); err != nil {
			return Usage{}, fmt.Errorf("sqlite: disk usage: %w", err)
		}
		u.Tables[name] = n
		u.Total += n
		switch {
		case name == "version":
			u.Versions += n
		case strings.HasPrefix(name, "version_"):
			u.History += n
		case name == "resource" || strings.HasPrefix(name, "resource_"):
			u.Current += n
		case strings.HasPrefix(name, "ix_"):
			u.Search += n
		}
	}
	if err := rows.Err(); err != nil {
		return Usage{}, fmt.Errorf("sqlite: disk usage: %w", err)
	}
	return u, nil
}
