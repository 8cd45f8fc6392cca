package sqlite_test

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"

	"github.com/rorfhir/ror/store/sqlite"
)

// TestCurrentCacheBudget: whatever the cache's budget (none, a few entries, the default), the
// _include reads answer the same versions and bodies, asked twice.
func TestCurrentCacheBudget(t *testing.T) {
	ctx := context.Background()
	for _, kib := range []int{-1, 1, 0} {
		t.Run(fmt.Sprintf("kib=%d", kib), func(t *testing.T) {
			s, err := sqlite.Open(ctx, sqlite.Options{Path: filepath.Join(t.TempDir(), "ror.db"), CurrentCacheKiB: kib})
			if err != nil {
				t.Fatal(err)
			}
			defer s.Close(ctx)
			var ids []string
			want := map[string]string{}
			for i := range 50 {
				w := benchWrite(i, 1)
				if _, err := s.Put(ctx, w); err != nil {
					t.Fatal(err)
				}
				ids = append(ids, w.ID)
				want[w.ID] = string(w.Body)
			}
			for round := range 2 {
				got, err := s.ReadCurrent(ctx, "Organization", ids)
				if err != nil {
					t.Fatal(err)
				}
				if len(got) != len(ids) {
					t.Fatalf("round %d: %d versions for %d ids", round, len(got), len(ids))
				}
				for i, v := range got {
					if v.ID != ids[i] || string(v.Body) != want[v.ID] {
						t.Fatalf("round %d, entry %d: %s with body %.60s..., want %s", round, i, v.ID, v.Body, ids[i])
					}
				}
			}
		})
	}
}
