package sqlite

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"sync"
	"sync/atomic"

	"github.com/rorfhir/ror/store"
)

// Put implements store.Store. Concurrent Puts are committed together (group commit): whoever
// holds the writer lock writes every Put queued meanwhile in one transaction, each checked on its
// own, so that a conflicting write fails alone.
func (s *Store) Put(ctx context.Context, w store.Write) (store.Version, error) {
	if err := checkWrite(w); err != nil {
		return store.Version{}, err
	}
	p := &pendingPut{w: w, body: s.pack(w), done: make(chan struct{})}
	s.queue.push(p)
	select {
	case s.wsem <- struct{}{}:
		for p.state.Load() == putQueued { // p is in the queue: take it, with whatever is queued before it
			s.commitGroup(ctx, s.queue.take(maxGroup))
		}
		s.unlockWriter()
		<-p.done // taken by this leader or by an earlier one, which finished before the lock was free
	case <-p.done:
	case <-ctx.Done():
		if p.state.CompareAndSwap(putQueued, putAbandoned) {
			return store.Version{}, fmt.Errorf("sqlite: wait for writer: %w", ctx.Err())
		}
		<-p.done // already taken: report what happened to it
	}
	return p.v, p.err
}

// commitGroup writes a group of queued Puts in one transaction. A failure that is not one
// write's conflict makes each write retry alone, so that it fails only the write that caused it.
func (s *Store) commitGroup(ctx context.Context, batch []*pendingPut) {
	gctx := context.WithoutCancel(ctx) // the group serves other callers too
	ws := make([]store.Write, len(batch))
	bodies := make([]packedBody, len(batch))
	for i, p := range batch {
		ws[i], bodies[i] = p.w, p.body
	}
	vs, errs, err := s.applyTx(gctx, ws, bodies, false)
	if err != nil && len(batch) > 1 {
		for _, p := range batch {
			s.commitGroup(gctx, []*pendingPut{p})
		}
		return
	}
	for i, p := range batch {
		switch {
		case err != nil:
			p.err = err
		case errs[i] != nil:
			p.err = errs[i]
		default:
			p.v = vs[i]
		}
		close(p.done)
	}
}

// PutMany implements store.Store: the writes are applied in one transaction, all or none.
func (s *Store) PutMany(ctx context.Context, ws []store.Write) ([]store.Version, error) {
	if len(ws) == 0 {
		return nil, nil
	}
	for i, w := range ws {
		if err := checkWrite(w); err != nil {
			return nil, &store.BatchError{Index: i, Err: err}
		}
	}
	bodies := s.packAll(ws)
	if err := s.lockWriter(ctx); err != nil {
		return nil, fmt.Errorf("sqlite: wait for writer: %w", err)
	}
	defer s.unlockWriter()
	vs, errs, err := s.applyTx(ctx, ws, bodies, true)
	if err != nil {
		return nil, err
	}
	if i, werr := firstError(errs); werr != nil {
		return nil, &store.BatchError{Index: i, Err: werr}
	}
	return vs, nil
}

// applyTx applies ws in one transaction; the caller holds the writer lock. With atomic, a write
// error rolls everything back; otherwise the writes without error are committed.
func (s *Store) applyTx(ctx context.Context, ws []store.Write, bodies []packedBody, atomic bool) (vs []store.Version, errs []error, err error) {
	defer s.w.interruptOn(ctx)()
	params, systems := names(ws)
	ids, err := s.dicts.ensure(s.w, params, systems)
	if err != nil {
		return nil, nil, err
	}
	if err := s.w.begin(); err != nil {
		return nil, nil, err
	}
	keys := writtenKeys(ws)
	s.cur.begin(keys)
	committed := false
	defer func() {
		if !committed {
			s.w.rollback()
		}
		s.cur.end(keys)
	}()
	vs, errs, err = s.w.apply(ids, ws, bodies)
	if err != nil {
		return nil, nil, err
	}
	if _, werr := firstError(errs); werr != nil && atomic {
		return nil, errs, nil
	}
	if err := s.w.commit(); err != nil {
		return nil, nil, err
	}
	committed = true
	s.ckpt.committed(len(ws))
	s.counts.created(ws, errs)
	return vs, errs, nil
}

// packAll packs the bodies of ws, on several goroutines for a large batch: compression is a
// tenth of the CPU of the national import's writes, and it runs before the single writer's lock
// is taken, on the importer's critical path.
func (s *Store) packAll(ws []store.Write) []packedBody {
	bodies := make([]packedBody, len(ws))
	workers := runtime.GOMAXPROCS(0)
	if len(ws) < 64 || workers < 2 {
		for i, w := range ws {
			bodies[i] = s.pack(w)
		}
		return bodies
	}
	var next atomic.Int64
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			for i := int(next.Add(1) - 1); i < len(ws); i = int(next.Add(1) - 1) {
				bodies[i] = s.pack(ws[i])
			}
		})
	}
	wg.Wait()
	return bodies
}

// pack encodes the body of w for storage (before taking the writer lock: it costs CPU).
func (s *Store) pack(w store.Write) packedBody {
	if w.Deleted {
		return packedBody{}
	}
	return s.codec.pack(bodyOf(false, w.Body))
}

// checkWrite rejects writes that can never be stored.
func checkWrite(w store.Write) error {
	switch {
	case w.Type == "" || w.ID == "":
		return errors.New("sqlite: write without type or id")
	case w.VersionID < 1:
		return fmt.Errorf("sqlite: write %s/%s: version %d: %w", w.Type, w.ID, w.VersionID, store.ErrVersionConflict)
	}
	return nil
}

// names lists the parameters and the strings (token systems, URIs) a batch needs interned.
func names(ws []store.Write) ([]paramKey, []string) {
	seenP := map[paramKey]bool{}
	seenS := map[string]bool{}
	var ps []paramKey
	var ss []string
	addP := func(typ, name string) {
		k := paramKey{typ, name}
		if !seenP[k] {
			seenP[k] = true
			ps = append(ps, k)
		}
	}
	addS := func(s string) {
		if !seenS[s] {
			seenS[s] = true
			ss = append(ss, s)
		}
	}
	for _, w := range ws {
		ix := &w.Index
		for _, v := range ix.Tokens {
			addP(w.Type, v.Param)
			addS(v.System)
		}
		for _, v := range ix.Strings {
			addP(w.Type, v.Param)
		}
		for _, v := range ix.Dates {
			addP(w.Type, v.Param)
		}
		for _, v := range ix.Numbers {
			addP(w.Type, v.Param)
		}
		for _, v := range ix.References {
			addP(w.Type, v.Param)
		}
		for _, v := range ix.URIs {
			addP(w.Type, v.Param)
			addS(v.URI)
		}
		for _, v := range ix.Coords {
			addP(w.Type, v.Param)
		}
		for _, v := range ix.Sorts {
			addP(w.Type, v.Param)
		}
	}
	return ps, ss
}

// maxGroup bounds the number of Puts committed in one transaction.
const maxGroup = 256

// States of a queued Put.
const (
	putQueued int32 = iota
	putTaken
	putAbandoned
)

// pendingPut is a Put waiting for a group commit.
type pendingPut struct {
	w     store.Write
	body  packedBody
	state atomic.Int32
	v     store.Version
	err   error
	done  chan struct{} // closed once v or err is set
}

// putQueue holds the Puts waiting for the writer.
type putQueue struct {
	mu sync.Mutex
	q  []*pendingPut
}

func (q *putQueue) push(p *pendingPut) {
	q.mu.Lock()
	q.q = append(q.q, p)
	q.mu.Unlock()
}

// take removes up to n queued Puts, skipping abandoned ones.
func (q *putQueue) take(n int) []*pendingPut {
	q.mu.Lock()
	defer q.mu.Unlock()
	var out []*pendingPut
	i := 0
	for ; i < len(q.q) && len(out) < n; i++ {
		if q.q[i].state.CompareAndSwap(putQueued, putTaken) {
			out = append(out, q.q[i])
		}
	}
	q.q = append(q.q[:0], q.q[i:]...)
	return out
}

// writtenKeys returns the resources ws write to.
func writtenKeys(ws []store.Write) []resKey {
	keys := make([]resKey, len(ws))
	for i, w := range ws {
		keys[i] = resKey{w.Type, w.ID}
	}
	return keys
}
