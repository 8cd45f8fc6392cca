package terminology

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"time"
)

// CacheOptions tune a Cache.
type CacheOptions struct {
	// MaxAge bounds how long a loaded Memory is used without reloading (0: until invalidated).
	// Set it when other processes write to the same store (several server instances): their
	// writes cannot invalidate this process's cache.
	MaxAge time.Duration
	// Now is the clock (default time.Now).
	Now func() time.Time
}

// Cache is a Memory loaded from a Source on first use and reloaded, on the next use, after
// Invalidate (call it once a ValueSet or CodeSystem write is committed) or after MaxAge. It
// answers ValidateCode and Expand like a Memory and is safe for concurrent use.
type Cache struct {
	src  Source
	opts CacheOptions
	gen  atomic.Uint64         // bumped by Invalidate
	cur  atomic.Pointer[entry] // the Memory in use
	mu   sync.Mutex            // one load at a time
}

type entry struct {
	mem *Memory
	gen uint64
	at  time.Time
}

// NewCache returns a cache over src; nothing is loaded before the first use.
func NewCache(src Source, opts CacheOptions) *Cache {
	if opts.Now == nil {
		opts.Now = time.Now
	}
	return &Cache{src: src, opts: opts}
}

// Invalidate makes the next use reload the Source. Call it after the write is committed, so that
// the reload sees it.
func (c *Cache) Invalidate() { c.gen.Add(1) }

// Memory returns the current terminology, loading it when it is missing or stale.
func (c *Cache) Memory(ctx context.Context) (*Memory, error) {
	if e := c.fresh(c.gen.Load()); e != nil {
		return e.mem, nil
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	g := c.gen.Load() // read before loading: a write committed during the load bumps it again
	if e := c.fresh(g); e != nil {
		return e.mem, nil
	}
	m, err := Load(ctx, c.src)
	if err != nil {
		return nil, fmt.Errorf("terminology: reload: %w", err)
	}
	c.cur.Store(&entry{mem: m, gen: g, at: c.opts.Now()})
	return m, nil
}

func (c *Cache) fresh(gen uint64) *entry {
	e := c.cur.Load()
	if e == nil || e.gen != gen {
		return nil
	}
	if c.opts.MaxAge > 0 && c.opts.Now().Sub(e.at) > c.opts.MaxAge {
		return nil
	}
	return e
}

// ValidateCode is Memory.ValidateCode on the current terminology.
func (c *Cache) ValidateCode(ctx context.Context, valueSetURL, system, code string) (Result, error) {
	m, err := c.Memory(ctx)
	if err != nil {
		return Result{}, err
	}
	return m.ValidateCode(ctx, valueSetURL, system, code)
}

// Expand is Memory.Expand on the current terminology.
func (c *Cache) Expand(ctx context.Context, url, filter string) ([]Concept, error) {
	m, err := c.Memory(ctx)
	if err != nil {
		return nil, err
	}
	return m.Expand(ctx, url, filter)
}
