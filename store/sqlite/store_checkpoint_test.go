package sqlite_test

import (
	"context"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/rorfhir/ror/store/sqlite"
)

// TestWALStartsOverUnderSteadyWrites: concurrent Puts without a pause keep the WAL bounded. A
// passive checkpoint alone never lets SQLite start the WAL over while writes keep coming, and
// the WAL then grows by every page every commit writes (about 300 MB here).
func TestWALStartsOverUnderSteadyWrites(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "ror.db")
	s, err := sqlite.Open(ctx, sqlite.Options{Path: path, WALResetFrames: 256})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close(ctx)
	const writers, each = 8, 400
	var largest atomic.Int64
	var wg sync.WaitGroup
	for g := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range each {
				if _, err := s.Put(ctx, benchWrite(g*each+i, 1)); err != nil {
					t.Error(err)
					return
				}
				if fi, err := os.Stat(path + "-wal"); err == nil && fi.Size() > largest.Load() {
					largest.Store(fi.Size()) // a racy maximum is fine: sizes only matter in bulk
				}
			}
		}()
	}
	wg.Wait()
	// 256 frames are 1 MiB; the WAL overshoots by what is written until the next kick (one per
	// 64 commits) and the writer's pause: about 25 MB measured.
	if got := largest.Load(); got > 64<<20 {
		t.Fatalf("the WAL grew to %d bytes under steady writes, want it to start over past 256 frames (under 64 MiB)", got)
	}
}
