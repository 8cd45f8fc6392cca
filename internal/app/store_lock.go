package app

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"syscall"

	"github.com/rorfhir/ror/store"
)

// ErrDataDirInUse: another ror process holds the embedded store's data directory.
var ErrDataDirInUse = errors.New("the data directory is in use by another ror process")

// lockDataDir takes an exclusive, non-blocking lock on dir/ror.lock, so that one process at a time
// writes the embedded store (the server keeps in-memory state about it: two writers would
// disagree). The lock dies with the process, so a crash never leaves a stale lock behind.
func lockDataDir(dir string) (*os.File, error) {
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return nil, fmt.Errorf("create data directory %s: %w", dir, err)
	}
	path := filepath.Join(dir, "ror.lock")
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o640)
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		f.Close()
		if errors.Is(err, syscall.EWOULDBLOCK) {
			return nil, fmt.Errorf("%s: %w (stop the server, or load through the API)", dir, ErrDataDirInUse)
		}
		return nil, fmt.Errorf("lock %s: %w", path, err)
	}
	return f, nil
}

// lockedStore releases the data directory's lock when the store closes.
type lockedStore struct {
	store.Store
	lock *os.File
}

func (l lockedStore) Close(ctx context.Context) error {
	err := l.Store.Close(ctx)
	return errors.Join(err, l.lock.Close())
}
