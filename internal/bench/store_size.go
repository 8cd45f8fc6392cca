package bench

import (
	"context"
	"database/sql"
	"io/fs"
	"path/filepath"
	"strings"
)

// DirSize is the total size of the files under dir.
func DirSize(dir string) int64 {
	var n int64
	_ = filepath.WalkDir(dir, func(_ string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			if info, err := d.Info(); err == nil {
				n += info.Size()
			}
		}
		return nil
	})
	return n
}

// IndexBytes measures the search index of the embedded store at dbPath: the pages of its ix_*
// tables and SQL indexes and of the param/system dictionaries (SQLite dbstat, read-only
// connection; the database driver is the one the embedded store links). 0 when it cannot be read.
func IndexBytes(ctx context.Context, dbPath string) int64 {
	db, err := sql.Open("sqlite", "file:"+dbPath+"?mode=ro")
	if err != nil {
		return 0
	}
	defer db.Close()
	rows, err := db.QueryContext(ctx, `SELECT name, SUM(pgsize) FROM dbstat GROUP BY name`)
	if err != nil {
		return 0
	}
	defer rows.Close()
	var total int64
	for rows.Next() {
		var name string
		var size int64
		if rows.Scan(&name, &size) != nil {
			return 0
		}
		if strings.HasPrefix(name, "ix_") || name == "param" || name == "system" || strings.HasPrefix(name, "sqlite_autoindex_param") || strings.HasPrefix(name, "sqlite_autoindex_system") {
			total += size
		}
	}
	if rows.Err() != nil {
		return 0
	}
	return total
}
