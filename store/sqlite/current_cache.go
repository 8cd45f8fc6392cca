package sqlite

import (
	"strconv"
	"strings"
	"sync"

	"github.com/hashicorp/golang-lru/v2/simplelru"

	"github.com/rorfhir/ror/store"
)

// currentCache keeps, for recently read resources, their current version and body (ReadCurrent)
// and their references by parameter (ReadReferences), so that the resources _include adds to a
// page (the same organizations for many services) are not read and decoded again and again.
//
// It is only ever right because this Store is the database's one writer (lockDatabase): every
// write goes through the writer, which calls begin with the keys it is about to write before its
// commit and end after it. Between the two the keys are pending: they are neither served nor
// filled, so a reader reads them from the database, which answers the version before the commit
// or the one after, as it would without a cache. A fill carries the generation read before its
// database read and is dropped if a write began meanwhile: it may hold a version the write
// replaced.
//
// Entries are shared with callers: a returned Body must not be modified.
type currentCache struct {
	mu      sync.Mutex
	gen     uint64
	pending map[resKey]int
	lru     *simplelru.LRU[resKey, *currentEntry]
	bytes   int // of the entries held
	budget  int
}

// currentEntry is what the cache knows of one resource's current version.
type currentEntry struct {
	vid  int64
	ver  *store.Version                    // nil until ReadCurrent read it
	refs map[string][]store.ReferenceValue // by parameter list (refsKey), filled by ReadReferences
	size int
}

// entryOverhead approximates the bytes of an entry besides its body and references.
const entryOverhead = 256

// newCurrentCache returns a cache of at most budget bytes of bodies and references, or nil (no
// cache) when budget is not positive.
func newCurrentCache(budget int) *currentCache {
	if budget <= 0 {
		return nil
	}
	c := &currentCache{pending: map[resKey]int{}, budget: budget}
	// The entry count is bounded by the byte budget below; simplelru needs a count too.
	lru, err := simplelru.NewLRU[resKey, *currentEntry](max(1, budget/entryOverhead), func(_ resKey, e *currentEntry) {
		c.bytes -= e.size
	})
	if err != nil {
		return nil // only for a size below 1, excluded above
	}
	c.lru = lru
	return c
}

// generation returns the generation a reader passes to its fills.
func (c *currentCache) generation() uint64 {
	if c == nil {
		return 0
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.gen
}

// begin is called by the writer before it commits writes to keys: they are forgotten and stay
// pending until end.
func (c *currentCache) begin(keys []resKey) { c.mark(keys, 1) }

// end is called by the writer after the commit (or the rollback) of the writes begin announced:
// the keys are forgotten again (a reader may have read them meanwhile) and no longer pending.
func (c *currentCache) end(keys []resKey) { c.mark(keys, -1) }

// mark forgets keys, adds delta to their pending counts and starts a generation.
func (c *currentCache) mark(keys []resKey, delta int) {
	if c == nil || len(keys) == 0 {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.gen++
	for _, k := range keys {
		if c.pending[k] += delta; c.pending[k] <= 0 {
			delete(c.pending, k)
		}
		c.lru.Remove(k)
	}
}

// version returns the cached current version of k, if known.
func (c *currentCache) version(k resKey) (v store.Version, ok bool) {
	c.lookup(k, func(e *currentEntry) {
		if e.ver != nil {
			v, ok = *e.ver, true
		}
	})
	return v, ok
}

// references returns the cached references of k's version vid under refsKey, if known; current
// is false when vid is known not to be k's current version.
func (c *currentCache) references(k resKey, vid int64, key string) (refs []store.ReferenceValue, current, ok bool) {
	c.lookup(k, func(e *currentEntry) {
		if e.vid != vid {
			ok = true // known: vid is not current
			return
		}
		refs, ok = e.refs[key]
		current = ok
	})
	return refs, current, ok
}

// lookup calls found with k's entry, under the lock, if the cache holds it and k is not pending.
func (c *currentCache) lookup(k resKey, found func(*currentEntry)) {
	if c == nil {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.pending[k] > 0 {
		return
	}
	if e, ok := c.lru.Get(k); ok {
		found(e)
	}
}

// fillVersions records versions read from the database after generation gen.
func (c *currentCache) fillVersions(gen uint64, vs []store.Version) {
	c.fill(gen, len(vs), func(i int) {
		v := vs[i]
		if e := c.entry(resKey{v.Type, v.ID}, v.VersionID); e != nil && e.ver == nil {
			e.ver = &v
			c.grow(e, len(v.Body))
		}
	})
}

// fillReferences records the references under key of the versions vs[i], i in at, read from the
// database after generation gen; ok[i] says vs[i] was current.
func (c *currentCache) fillReferences(gen uint64, key string, vs []store.Version, refs [][]store.ReferenceValue, ok []bool, at []int) {
	c.fill(gen, len(at), func(n int) {
		i := at[n]
		if !ok[i] {
			return
		}
		e := c.entry(resKey{vs[i].Type, vs[i].ID}, vs[i].VersionID)
		if e == nil {
			return
		}
		if _, have := e.refs[key]; have {
			return
		}
		if e.refs == nil {
			e.refs = map[string][]store.ReferenceValue{}
		}
		e.refs[key] = refs[i]
		size := len(key) + 16
		for _, r := range refs[i] {
			size += 48 + len(r.Param) + len(r.Type) + len(r.ID)
		}
		c.grow(e, size)
	})
}

// fill calls add(i) for i in [0, n) under the lock, unless a write began since gen (the values
// read may be older than it), then evicts past the budget.
func (c *currentCache) fill(gen uint64, n int, add func(i int)) {
	if c == nil || n == 0 {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.gen != gen {
		return
	}
	for i := range n {
		add(i)
	}
	c.trim()
}

// entry returns k's entry for version vid, created if needed; nil when k is pending. An entry
// of another version is replaced (the fill read a later one).
func (c *currentCache) entry(k resKey, vid int64) *currentEntry {
	if c.pending[k] > 0 {
		return nil
	}
	if e, ok := c.lru.Get(k); ok {
		if e.vid == vid {
			return e
		}
		c.lru.Remove(k) // counts its bytes out; Add over it would not
	}
	e := &currentEntry{vid: vid, size: entryOverhead + len(k.typ) + len(k.id)}
	c.lru.Add(k, e)
	c.bytes += e.size
	return e
}

func (c *currentCache) grow(e *currentEntry, n int) {
	e.size += n
	c.bytes += n
}

// trim evicts the least recently used entries past the budget.
func (c *currentCache) trim() {
	for c.bytes > c.budget && c.lru.Len() > 0 {
		c.lru.RemoveOldest()
	}
}

// refsKey names a list of parameter ids.
func refsKey(pids []int64) string {
	var b strings.Builder
	for i, p := range pids {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(strconv.FormatInt(p, 10))
	}
	return b.String()
}
