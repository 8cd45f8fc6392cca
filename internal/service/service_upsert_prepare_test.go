package service

import (
	"context"
	"errors"
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	"github.com/rorfhir/ror/fhir/search"
	"github.com/rorfhir/ror/store"
)

// failingPutMany fails the PutMany calls numbered in fail (1-based) with a store error.
type failingPutMany struct {
	*memStore
	calls atomic.Int32
	fail  map[int32]bool
}

var errDiskFull = errors.New("disk full")

func (f *failingPutMany) PutMany(ctx context.Context, ws []store.Write) ([]store.Version, error) {
	if f.fail[f.calls.Add(1)] {
		return nil, errDiskFull
	}
	return f.memStore.PutMany(ctx, ws)
}

func orgInput(id, name string) Input {
	return Input{Type: "Organization", ID: id, Body: []byte(fmt.Sprintf(`{"resourceType":"Organization","name":%q}`, name))}
}

// TestUpsertParallelOrder: many batches prepared in parallel and pipelined give the results of a
// sequential run, in input order: failures stay on their own input, a resource given twice is
// created then updated, and the versions follow the input order.
func TestUpsertParallelOrder(t *testing.T) {
	svc, st := newTestService(t, Options{UpsertBatch: 7})
	ctx := context.Background()
	var in []Input
	for i := range 100 {
		switch {
		case i%13 == 5:
			in = append(in, Input{Type: "Organization", ID: fmt.Sprintf("o%d", i), Body: []byte(`{"resourceType":"Organization","active":"yes"}`)})
		case i == 50:
			in = append(in, orgInput("o10", "second write of o10"))
		default:
			in = append(in, orgInput(fmt.Sprintf("o%d", i), fmt.Sprint("name ", i)))
		}
	}
	res, err := svc.Upsert(ctx, in)
	if err != nil {
		t.Fatal(err)
	}
	var lastSeq int64
	for i, r := range res {
		switch {
		case i%13 == 5:
			if r.Outcome != Failed || r.Err == nil {
				t.Fatalf("input %d: %+v, want Failed with its error", i, r)
			}
			continue
		case i == 50:
			if r.Outcome != Updated || r.Version.VersionID != 2 {
				t.Fatalf("input 50 (o10 again): %+v", r)
			}
		default:
			if r.Outcome != Created || r.Version.ID != in[i].ID || r.Version.VersionID != 1 {
				t.Fatalf("input %d: %+v", i, r)
			}
		}
		if r.Version.Seq <= lastSeq {
			t.Fatalf("input %d written out of order: seq %d after %d", i, r.Version.Seq, lastSeq)
		}
		lastSeq = r.Version.Seq
	}
	if want := 100 - 8; st.puts != want {
		t.Fatalf("%d versions written, want %d", st.puts, want)
	}
	res, err = svc.Upsert(ctx, in)
	if err != nil {
		t.Fatal(err)
	}
	for i, r := range res {
		want := Unchanged
		if i == 10 || i == 50 { // o10 is written twice with two names: both change it again
			want = Updated
		}
		if i%13 != 5 && r.Outcome != want {
			t.Fatalf("again, input %d: %+v, want %v", i, r, want)
		}
	}
}

// TestUpsertStoreErrorStopsPipeline: when the store fails a batch, the batch prepared ahead is
// not written and every input not written is Failed with the store error, as in a sequential run.
func TestUpsertStoreErrorStopsPipeline(t *testing.T) {
	st := &failingPutMany{memStore: newMemStore(), fail: map[int32]bool{2: true}}
	svc := New(st, search.Default(), Options{UpsertBatch: 10, Now: func() time.Time { return fixedNow }})
	var in []Input
	for i := range 40 {
		in = append(in, orgInput(fmt.Sprintf("o%d", i), "n"))
	}
	res, err := svc.Upsert(context.Background(), in)
	if !errors.Is(err, errDiskFull) {
		t.Fatalf("error %v, want the store's", err)
	}
	for i, r := range res {
		if i < 10 {
			if r.Outcome != Created {
				t.Fatalf("input %d of the written batch: %+v", i, r)
			}
			continue
		}
		if r.Outcome != Failed || !errors.Is(r.Err, errDiskFull) {
			t.Fatalf("input %d after the failure: %+v", i, r)
		}
	}
	if st.puts != 10 {
		t.Fatalf("%d versions written, want the first batch's 10", st.puts)
	}
}
