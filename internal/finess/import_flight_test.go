package finess

import (
	"context"
	"errors"
	"strings"
	"sync/atomic"
	"testing"
)

// Refused resources of batches written concurrently are reported in file order, and the summary
// is the one of a one-batch-at-a-time import.
func TestImportInFlightOrder(t *testing.T) {
	reject := func(r Resource) bool { return strings.HasSuffix(r.ID, "5") || strings.HasSuffix(r.ID, "8") }
	one, many := newFakeTarget(), newFakeTarget()
	one.reject, many.reject = reject, reject
	sumOne, probsOne := importFile(t, one, "fixture.csv", Options{BatchSize: 2, InFlight: 1})
	sumMany, probsMany := importFile(t, many, "fixture.csv", Options{BatchSize: 2, InFlight: 4})
	if sumOne != sumMany {
		t.Errorf("summary with 4 batches in flight %+v, with 1 %+v", sumMany, sumOne)
	}
	if len(probsOne) != len(probsMany) {
		t.Fatalf("%d problems with 4 batches in flight, %d with 1", len(probsMany), len(probsOne))
	}
	refused := 0
	for i := range probsOne {
		if probsOne[i] != probsMany[i] {
			t.Errorf("problem %d: %v, want %v", i, probsMany[i], probsOne[i])
		}
		if probsOne[i].ID != "" {
			refused++
		}
	}
	if refused == 0 {
		t.Fatal("the fixture should have refused resources")
	}
}

// failingTarget fails its second Upsert and counts the Upserts still running.
type failingTarget struct {
	*fakeTarget
	calls, running atomic.Int32
}

var errStore = errors.New("store down")

func (f *failingTarget) Upsert(ctx context.Context, in []Resource) ([]Outcome, error) {
	f.running.Add(1)
	defer f.running.Add(-1)
	if f.calls.Add(1) == 2 {
		return nil, errStore
	}
	return f.fakeTarget.Upsert(ctx, in)
}

// A failed write ends the import with its error, after the batches in flight have finished.
func TestImportInFlightError(t *testing.T) {
	tg := &failingTarget{fakeTarget: newFakeTarget()}
	_, err := NewImporter(tg, Options{BatchSize: 2, InFlight: 3}).Run(context.Background(), openFixture(t, "fixture.csv"))
	if !errors.Is(err, errStore) {
		t.Fatalf("error %v, want the Target's", err)
	}
	if n := tg.running.Load(); n != 0 {
		t.Fatalf("%d writes still running after Run returned", n)
	}
}
