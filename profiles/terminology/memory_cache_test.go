package terminology

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"
)

// countingSource serves a mutable list of resources and counts the loads.
type countingSource struct {
	mu     sync.Mutex
	bodies [][]byte
	loads  int
	fail   error
}

func (s *countingSource) Resources(context.Context) ([][]byte, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.loads++
	if s.fail != nil {
		return nil, s.fail
	}
	return append([][]byte(nil), s.bodies...), nil
}

func (s *countingSource) add(b string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.bodies = append(s.bodies, []byte(b))
}

func TestCacheInvalidate(t *testing.T) {
	ctx := context.Background()
	src := &countingSource{}
	c := NewCache(src, CacheOptions{})
	if r, err := c.ValidateCode(ctx, "http://vs", "http://s", "a"); err != nil || r.ValueSetKnown {
		t.Fatalf("empty: %+v %v", r, err)
	}
	src.add(`{"resourceType":"ValueSet","url":"http://vs","compose":{"include":[{"system":"http://s","concept":[{"code":"a","display":"A"}]}]}}`)
	if r, _ := c.ValidateCode(ctx, "http://vs", "http://s", "a"); r.ValueSetKnown {
		t.Fatal("not invalidated: the cached Memory must be used")
	}
	c.Invalidate()
	if r, _ := c.ValidateCode(ctx, "http://vs", "http://s", "a"); !r.Valid || r.Display != "A" {
		t.Fatalf("after Invalidate: %+v", r)
	}
	if got, err := c.Expand(ctx, "http://vs", ""); err != nil || len(got) != 1 {
		t.Fatalf("Expand: %v %v", got, err)
	}
	if src.loads != 2 {
		t.Errorf("loads = %d, want 2 (one per invalidation)", src.loads)
	}
}

func TestCacheMaxAge(t *testing.T) {
	ctx := context.Background()
	now := time.Unix(0, 0)
	src := &countingSource{}
	c := NewCache(src, CacheOptions{MaxAge: time.Minute, Now: func() time.Time { return now }})
	for i := 0; i < 3; i++ {
		if _, err := c.Memory(ctx); err != nil {
			t.Fatal(err)
		}
	}
	now = now.Add(2 * time.Minute)
	if _, err := c.Memory(ctx); err != nil {
		t.Fatal(err)
	}
	if src.loads != 2 {
		t.Errorf("loads = %d, want 2", src.loads)
	}
}

func TestCacheLoadError(t *testing.T) {
	boom := errors.New("boom")
	c := NewCache(&countingSource{fail: boom}, CacheOptions{})
	if _, err := c.ValidateCode(context.Background(), "http://vs", "", "a"); !errors.Is(err, boom) {
		t.Errorf("err = %v, want boom", err)
	}
	if _, err := c.Expand(context.Background(), "http://vs", ""); !errors.Is(err, boom) {
		t.Errorf("err = %v, want boom", err)
	}
}
