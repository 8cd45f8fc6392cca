package app

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/rorfhir/ror/internal/bulkload"
	"github.com/rorfhir/ror/internal/finess"
	"github.com/rorfhir/ror/internal/service"
	"github.com/rorfhir/ror/store"
)

// Writer adapts the service and the store to the importers: the FINESS importer (finess.Target)
// and the bulk loader (bulkload.Writer). Every write goes through service.Upsert, the same rules
// and checks as the API.
type Writer struct {
	Service *service.Service
	Store   store.Store
}

var (
	_ finess.Target   = Writer{}
	_ bulkload.Writer = BulkWriter{}
)

// Current returns the current bodies of the keys that exist and are not deleted, reading them on
// up to GOMAXPROCS goroutines (the store serves concurrent reads).
func (w Writer) Current(ctx context.Context, keys []finess.Key) (map[finess.Key][]byte, error) {
	bodies := make([][]byte, len(keys))
	read := func(i int) error {
		k := keys[i]
		v, err := w.Store.Read(ctx, k.Type, k.ID)
		if errors.Is(err, store.ErrNotFound) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("read %s/%s: %w", k.Type, k.ID, err)
		}
		if !v.Deleted {
			bodies[i] = v.Body
		}
		return nil
	}
	workers := min(runtime.GOMAXPROCS(0), len(keys)/minPerReader)
	if workers < 2 {
		for i := range keys {
			if err := read(i); err != nil {
				return nil, err
			}
		}
	} else {
		var next atomic.Int64
		errs := make([]error, workers)
		var wg sync.WaitGroup
		for g := range workers {
			wg.Go(func() {
				for i := int(next.Add(1) - 1); i < len(keys) && errs[g] == nil; i = int(next.Add(1) - 1) {
					errs[g] = read(i)
				}
			})
		}
		wg.Wait()
		if err := errors.Join(errs...); err != nil {
			return nil, err
		}
	}
	out := make(map[finess.Key][]byte, len(keys))
	for i, b := range bodies {
		if b != nil {
			out[keys[i]] = b
		}
	}
	return out, nil
}

// minPerReader is the smallest number of keys per goroutine of Current.
const minPerReader = 16

// listPage is the page size of ListIDs.
const listPage = 2000

// ListIDs returns the current, non-deleted ids of typ starting with prefix, walking the store's
// id order from the prefix on (keyset paging).
func (w Writer) ListIDs(ctx context.Context, typ, prefix string) ([]string, error) {
	var ids []string
	after := &store.Position{ID: prefix}
	for {
		res, err := w.Store.Search(ctx, store.Query{Type: typ, Count: listPage, After: after})
		if err != nil {
			return nil, fmt.Errorf("list %s ids: %w", typ, err)
		}
		for _, m := range res.Matches {
			if !strings.HasPrefix(m.ID, prefix) {
				return ids, nil
			}
			ids = append(ids, m.ID)
		}
		if res.Next == nil {
			return ids, nil
		}
		after = res.Next
	}
}

// Upsert writes the FINESS resources through the service. ctx is passed unchanged: it carries the
// import's mark that the FINESS guard honours.
func (w Writer) Upsert(ctx context.Context, in []finess.Resource) ([]finess.Outcome, error) {
	inputs := make([]service.Input, len(in))
	for i, r := range in {
		inputs[i] = service.Input{Type: r.Type, ID: r.ID, Body: r.Body}
	}
	results, err := w.Service.Upsert(ctx, inputs)
	out := make([]finess.Outcome, len(results))
	for i, r := range results {
		out[i].Status, out[i].Err = statusOf(r, finess.Created, finess.Updated, finess.Unchanged, finess.Rejected)
	}
	return out, err
}

// statusOf maps a service.Upsert result to an importer's own status values (each importer
// defines its own, consumer-side) and the reason of a refusal.
func statusOf[S any](r service.Result, created, updated, unchanged, rejected S) (S, error) {
	switch r.Outcome {
	case service.Created:
		return created, nil
	case service.Updated:
		return updated, nil
	case service.Unchanged:
		return unchanged, nil
	}
	return rejected, r.Err
}

// BulkWriter adapts the service to bulkload.Writer. Resources without an id are created with a
// server-assigned id; the others are upserted (idempotent re-loads).
type BulkWriter struct {
	Service *service.Service
}

// Upsert writes the resources through the service.
func (w BulkWriter) Upsert(ctx context.Context, in []bulkload.Resource) ([]bulkload.Outcome, error) {
	out := make([]bulkload.Outcome, len(in))
	var inputs []service.Input
	var at []int
	for i, r := range in {
		if r.ID == "" {
			res, err := w.Service.Create(ctx, r.Type, r.Body, service.CreateOptions{})
			if err != nil {
				out[i] = bulkload.Outcome{Status: bulkload.Rejected, Err: err}
				continue
			}
			out[i].Status = bulkload.Unchanged
			if res.Created {
				out[i].Status = bulkload.Created
			}
			continue
		}
		inputs = append(inputs, service.Input{Type: r.Type, ID: r.ID, Body: r.Body})
		at = append(at, i)
	}
	results, err := w.Service.Upsert(ctx, inputs)
	for k, r := range results {
		i := at[k]
		out[i].Status, out[i].Err = statusOf(r, bulkload.Created, bulkload.Updated, bulkload.Unchanged, bulkload.Rejected)
	}
	return out, err
}
