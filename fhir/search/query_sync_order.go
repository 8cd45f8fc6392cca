package search

import (
	"math"

	"github.com/rorfhir/ror/store"
)

// The sync order. Consumers synchronise by asking what changed since their last pass
// (_lastUpdated=geT, gt, sa, eq). Without _sort, such a search is answered in _lastUpdated order,
// oldest change first, then by id, as with _sort=_lastUpdated (the self link says so): a
// consumer can resume from the last instant it saw, and each page is a range read of the
// _lastUpdated sort index, where an id order would read and sort every change since T on every
// page. Every other search without _sort is in id order.
//
// A search sorted first by _lastUpdated hands its _lastUpdated bounds to the store as the bounds
// of that sort key (store.SortKey.KeyMin, KeyMax).

// syncOrder is the order of a search without _sort: by _lastUpdated when where bounds
// _lastUpdated from below, else nil (id order).
func syncOrder(where []store.Clause) []store.SortKey {
	if lo, _ := lastUpdatedRange(where); lo == nil {
		return nil
	}
	return []store.SortKey{{Param: "_lastUpdated"}}
}

// withKeyBounds returns sort with the bounds of its first key set when it is _lastUpdated and
// where bounds _lastUpdated (sort itself is not modified).
func withKeyBounds(sort []store.SortKey, where []store.Clause) []store.SortKey {
	if len(sort) == 0 || sort[0].Param != "_lastUpdated" || sort[0].Near != nil {
		return sort
	}
	lo, hi := lastUpdatedRange(where)
	if lo == nil && hi == nil {
		return sort
	}
	out := append([]store.SortKey(nil), sort...)
	if lo != nil {
		k := int64Key(*lo)
		out[0].KeyMin = &k
	}
	if hi != nil {
		k := int64Key(*hi)
		out[0].KeyMax = &k
	}
	return out
}

// lastUpdatedRange is the range of meta.lastUpdated (Unix milliseconds) that every match of
// where has, from its clauses made of one condition on _lastUpdated (nil: no bound on that
// side). The server stamps meta.lastUpdated to the millisecond, so the stored range of every
// resource is one instant (Lo = Hi): a bound on either end bounds that instant.
func lastUpdatedRange(where []store.Clause) (lo, hi *int64) {
	for _, cl := range where {
		if len(cl.Any) != 1 {
			continue
		}
		c := cl.Any[0]
		if c.Param != "_lastUpdated" || c.Kind != store.KindDate || c.Op != store.OpRange || c.Not {
			continue
		}
		for _, b := range c.Bounds {
			if math.IsNaN(b.Value) || math.Abs(b.Value) > 1<<62 {
				continue
			}
			switch b.Cmp {
			case store.CmpGE, store.CmpGT:
				if v := int64(math.Floor(b.Value)); lo == nil || v > *lo {
					lo = &v
				}
			case store.CmpLE, store.CmpLT:
				if v := int64(math.Ceil(b.Value)); hi == nil || v < *hi {
					hi = &v
				}
			}
		}
	}
	return lo, hi
}
