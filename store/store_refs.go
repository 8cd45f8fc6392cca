package store

import (
	"context"
	"errors"
)

// ReferenceReader is implemented by stores that can return the references they extracted at
// write time (Index.References), so that _include reads them instead of decoding every match's
// body. Both backends implement it; callers fall back to the body when a store does not.
type ReferenceReader interface {
	// ReadReferences returns, for each version of vs (any types), the local references (Type and
	// ID set; references kept as a URL are left out) of the parameters params stored with it, in
	// no particular order. ok[i] is false when vs[i] is not the current version of its resource
	// (a later version, a deletion, or no such resource): the caller reads vs[i]'s body instead.
	ReadReferences(ctx context.Context, vs []Version, params []string) (refs [][]ReferenceValue, ok []bool, err error)
}

// CurrentReader is implemented by stores that read the current versions of many resources of one
// type by id at once: _include reads the resources a page references this way. Both backends
// implement it; ReadCurrent (the function) falls back to a Read of each id when a store does not.
type CurrentReader interface {
	// ReadCurrent returns the current version of each resource typ/id of ids that exists and is
	// not deleted, in the order of ids, each once (unknown and deleted ids are left out). Each is
	// the current version when the call reads it: never one older than a write that returned
	// before the call began. The bodies may be shared: callers must not modify them.
	ReadCurrent(ctx context.Context, typ string, ids []string) ([]Version, error)
}

// ReadCurrent reads the current versions of typ/ids as CurrentReader.ReadCurrent does: through
// st's CurrentReader when it has one, else by a Read of each id.
func ReadCurrent(ctx context.Context, st Store, typ string, ids []string) ([]Version, error) {
	if cr, ok := st.(CurrentReader); ok {
		return cr.ReadCurrent(ctx, typ, ids)
	}
	var out []Version
	seen := map[string]bool{}
	for _, id := range ids {
		if seen[id] {
			continue
		}
		seen[id] = true
		v, err := st.Read(ctx, typ, id)
		if errors.Is(err, ErrNotFound) || err == nil && v.Deleted {
			continue
		}
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, nil
}
