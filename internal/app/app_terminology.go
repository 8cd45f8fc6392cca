package app

import (
	"context"
	"fmt"

	"github.com/rorfhir/ror/profiles/terminology"
	"github.com/rorfhir/ror/store"
)

// terminologyTypes are the resource types the terminology is loaded from.
var terminologyTypes = [...]string{"CodeSystem", "ValueSet"}

// storeTerminology is a terminology.Source over the store: the current, non-deleted ValueSet and
// CodeSystem resources, read page by page (page resources per search; 0: defaultTermPage).
type storeTerminology struct {
	st   store.Store
	page int
}

// defaultTermPage is the number of terminology resources read per store search.
const defaultTermPage = 200

// Resources implements terminology.Source.
func (s storeTerminology) Resources(ctx context.Context) ([][]byte, error) {
	var out [][]byte
	for _, typ := range terminologyTypes {
		q := store.Query{Type: typ, Count: s.page}
		if q.Count <= 0 {
			q.Count = defaultTermPage
		}
		for {
			res, err := s.st.Search(ctx, q)
			if err != nil {
				return nil, fmt.Errorf("read the stored %s resources: %w", typ, err)
			}
			for _, v := range res.Matches {
				out = append(out, v.Body)
			}
			if res.Next == nil {
				break
			}
			q.After, q.MaxSeq = res.Next, res.MaxSeq
		}
	}
	return out, nil
}

// invalidatingStore is the store the service writes to: a write of a ValueSet or CodeSystem
// invalidates the terminology cache once it is committed (or has failed: a batch may be partly
// applied), so that the profile validator and the terminology operations see it at once.
type invalidatingStore struct {
	store.Store
	cache *terminology.Cache
}

func isTerminology(typ string) bool {
	for _, t := range terminologyTypes {
		if t == typ {
			return true
		}
	}
	return false
}

// ReadReferences passes store.ReferenceReader through (the wrapper would hide it from the
// service's _include); a store without it gives no references (the service reads the bodies).
func (s invalidatingStore) ReadReferences(ctx context.Context, vs []store.Version, params []string) ([][]store.ReferenceValue, []bool, error) {
	if rr, ok := s.Store.(store.ReferenceReader); ok {
		return rr.ReadReferences(ctx, vs, params)
	}
	return make([][]store.ReferenceValue, len(vs)), make([]bool, len(vs)), nil
}

// ReadCurrent passes store.CurrentReader through (the wrapper would hide it from the service's
// _include), or reads each id (store.ReadCurrent).
func (s invalidatingStore) ReadCurrent(ctx context.Context, typ string, ids []string) ([]store.Version, error) {
	return store.ReadCurrent(ctx, s.Store, typ, ids)
}

// Put implements store.Store.
func (s invalidatingStore) Put(ctx context.Context, w store.Write) (store.Version, error) {
	v, err := s.Store.Put(ctx, w)
	if isTerminology(w.Type) {
		s.cache.Invalidate()
	}
	return v, err
}

// PutMany implements store.Store.
func (s invalidatingStore) PutMany(ctx context.Context, ws []store.Write) ([]store.Version, error) {
	vs, err := s.Store.PutMany(ctx, ws)
	for _, w := range ws {
		if isTerminology(w.Type) {
			s.cache.Invalidate()
			break
		}
	}
	return vs, err
}
