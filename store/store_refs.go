package store

import "context"

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
// type by id at once, cheaper than a search on _id: _include reads the resources a page
// references this way. Both backends implement it; callers fall back to a search when a store
// does not.
type CurrentReader interface {
	// ReadCurrent returns the current version of each resource typ/id of ids that exists and is
	// not deleted, in the order of ids, each once (unknown and deleted ids are left out). Each is
	// the current version when the call reads it: never one older than a write that returned
	// before the call began. The bodies may be shared: callers must not modify them.
	ReadCurrent(ctx context.Context, typ string, ids []string) ([]Version, error)
}
