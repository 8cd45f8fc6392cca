package storetest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"

	"github.com/rorfhir/ror/store"
)

// testConcurrentSameVersion: of 20 writers of the same next version, exactly one wins.
func testConcurrentSameVersion(t *testing.T, s store.Store) {
	ctx := context.Background()
	const writers = 20
	mustPut(t, s, write("Organization", "race", 1, 1, store.Index{}))
	start := make(chan struct{})
	errs := make([]error, writers)
	var wg sync.WaitGroup
	for i := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			w := write("Organization", "race", 2, 2, store.Index{})
			w.Body = body("Organization", "race", 2, fmt.Sprintf(`"writer":%d`, i))
			_, errs[i] = s.Put(ctx, w)
		}()
	}
	close(start)
	wg.Wait()
	winner := -1
	for i, err := range errs {
		switch {
		case err == nil && winner >= 0:
			t.Errorf("writers %d and %d both wrote version 2", winner, i)
		case err == nil:
			winner = i
		case !isConflict(err):
			t.Errorf("writer %d: %v, want nil or ErrVersionConflict", i, err)
		}
	}
	if winner < 0 {
		t.Fatal("no writer won")
	}
	cur, err := s.Read(ctx, "Organization", "race")
	if err != nil {
		t.Fatal(err)
	}
	if want := string(body("Organization", "race", 2, fmt.Sprintf(`"writer":%d`, winner))); cur.VersionID != 2 || string(cur.Body) != want {
		t.Errorf("current = v%d %s, want v2 %s", cur.VersionID, cur.Body, want)
	}
}

// testNoLostUpdate: writers retry read-then-Put until each has written once; every write
// survives as its own version.
func testNoLostUpdate(t *testing.T, s store.Store) {
	ctx := context.Background()
	const writers = 10
	start := make(chan struct{})
	errs := make(chan error, writers)
	var wg sync.WaitGroup
	for i := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			errs <- writeOnce(ctx, s, i)
		}()
	}
	close(start)
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	cur, err := s.Read(ctx, "Organization", "counter")
	if err != nil {
		t.Fatal(err)
	}
	if cur.VersionID != writers {
		t.Errorf("final version %d, want %d (one per writer)", cur.VersionID, writers)
	}
	page, err := s.History(ctx, store.HistoryQuery{Type: "Organization", ID: "counter", Count: 100})
	if err != nil {
		t.Fatal(err)
	}
	if len(page.Versions) != writers {
		t.Fatalf("history holds %d versions, want %d", len(page.Versions), writers)
	}
	seenWriter := map[string]bool{}
	for i, v := range page.Versions {
		if want := int64(writers - i); v.VersionID != want {
			t.Errorf("history entry %d is v%d, want v%d", i, v.VersionID, want)
		}
		if i > 0 && v.Seq >= page.Versions[i-1].Seq {
			t.Errorf("history not newest first: Seq %d after %d", v.Seq, page.Versions[i-1].Seq)
		}
		w := writerOf(v.Body)
		if seenWriter[w] {
			t.Errorf("writer %q of %s wrote twice", w, key(v))
		}
		seenWriter[w] = true
	}
	if len(seenWriter) != writers {
		t.Errorf("history holds writes of %d writers, want %d", len(seenWriter), writers)
	}
}

// writerOf extracts the writer number from a body written by writeOnce.
func writerOf(b []byte) string {
	i := bytes.Index(b, []byte(`"w":"`))
	if i < 0 || len(b) < i+8 {
		return "?"
	}
	return string(b[i+5 : i+8])
}

// writeOnce reads the current version and writes the next one, retrying on conflicts.
func writeOnce(ctx context.Context, s store.Store, writer int) error {
	for attempt := 0; attempt < 1000; attempt++ {
		var cur int64
		v, err := s.Read(ctx, "Organization", "counter")
		switch {
		case err == nil:
			cur = v.VersionID
		case !errors.Is(err, store.ErrNotFound):
			return fmt.Errorf("writer %d: Read: %w", writer, err)
		}
		w := write("Organization", "counter", cur+1, int(cur)+1, store.Index{})
		w.Body = body("Organization", "counter", cur+1, fmt.Sprintf(`"w":"%03d"`, writer))
		_, err = s.Put(ctx, w)
		if err == nil {
			return nil
		}
		if !isConflict(err) {
			return fmt.Errorf("writer %d: Put: %w", writer, err)
		}
	}
	return fmt.Errorf("writer %d: still conflicting after 1000 attempts", writer)
}
