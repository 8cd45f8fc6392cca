package sqlite

import (
	"errors"
	"fmt"
	"os"
	"syscall"
)

// ErrInUse: another process (or another Open in this one) holds the database.
var ErrInUse = errors.New("the database is in use by another ror process")

// lockDatabase takes an exclusive, non-blocking lock on dbPath + ".lock", so that one Store at a
// time writes a database: a Store keeps in-memory state about it (type counts, dictionaries,
// sequence highs) that a second writer would make wrong. The lock dies with the process, so a
// crash never leaves a stale lock behind.
func lockDatabase(dbPath string) (*os.File, error) {
	path := dbPath + ".lock"
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o640)
	if err != nil {
		return nil, fmt.Errorf("sqlite: open %s: %w", path, err)
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		f.Close()
		if errors.Is(err, syscall.EWOULDBLOCK) {
			return nil, fmt.Errorf("sqlite: %s: %w (stop the server, or load through the API)", dbPath, ErrInUse)
		}
		return nil, fmt.Errorf("sqlite: lock %s: %w", path, err)
	}
	return f, nil
}
