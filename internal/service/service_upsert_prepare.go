package service

import (
	"context"
	"runtime"
	"sync"
	"sync/atomic"

	"github.com/rorfhir/ror/store"
)

// minParallelPrepare is the smallest number of inputs prepared on several goroutines: below it
// the goroutines cost more than they save.
const minParallelPrepare = 8

// batchPlan is one store.PutMany of an Upsert: inputs[start:end], distinct resources.
type batchPlan struct {
	start, end int
	keys       map[string]bool // type/id of its inputs
}

// planBatches splits inputs into batches of at most size distinct resources, in order: a
// resource given twice starts a new batch, so that its second write sees the first.
func planBatches(inputs []Input, size int) []batchPlan {
	var plans []batchPlan
	for start := 0; start < len(inputs); {
		end, seen := start, map[string]bool{}
		for end < len(inputs) && end-start < size {
			k := inputs[end].Type + "/" + inputs[end].ID
			if seen[k] {
				break
			}
			seen[k] = true
			end++
		}
		plans = append(plans, batchPlan{start: start, end: end, keys: seen})
		start = end
	}
	return plans
}

// independent reports whether batch b can be prepared while a is written: they share no
// resource, so nothing a writes is read by b's preparation.
func independent(a, b batchPlan) bool {
	for k := range b.keys {
		if a.keys[k] {
			return false
		}
	}
	return true
}

// preparedBatch is the outcome of preparing inputs: the writes to send, in input order, and the
// index of the input of each write.
type preparedBatch struct {
	writes []store.Write
	owners []int
}

// prepareAll runs upsertOne on inputs[i] for each i of pending (reading the current version,
// checking the body, running the checks, stamping and extracting the index), on up to
// GOMAXPROCS goroutines: each input is independent of the others (distinct resources) and the
// service is safe for concurrent use. results[i] is set for each pending i; the writes come back
// in the order of pending, as a sequential loop would give them.
func (s *Service) prepareAll(ctx context.Context, inputs []Input, results []Result, pending []int) preparedBatch {
	writes := make([]store.Write, len(pending))
	ok := make([]bool, len(pending))
	one := func(k int) {
		i := pending[k]
		writes[k], results[i], ok[k] = s.upsertOne(ctx, inputs[i])
	}
	workers := min(runtime.GOMAXPROCS(0), len(pending))
	if len(pending) < minParallelPrepare || workers < 2 {
		for k := range pending {
			one(k)
		}
	} else {
		var next atomic.Int64
		var wg sync.WaitGroup
		for range workers {
			wg.Go(func() {
				for {
					k := int(next.Add(1) - 1)
					if k >= len(pending) {
						return
					}
					one(k)
				}
			})
		}
		wg.Wait()
	}
	var p preparedBatch
	for k, i := range pending {
		if ok[k] {
			p.writes = append(p.writes, writes[k])
			p.owners = append(p.owners, i)
		}
	}
	return p
}

// preparing is a batch being prepared on other goroutines.
type preparing struct {
	plan batchPlan
	done chan struct{}
	p    preparedBatch
}

// prepareAsync starts preparing every input of plan; wait returns the prepared batch.
func (s *Service) prepareAsync(ctx context.Context, inputs []Input, results []Result, plan batchPlan) *preparing {
	pr := &preparing{plan: plan, done: make(chan struct{})}
	go func() {
		defer close(pr.done)
		pr.p = s.prepareAll(ctx, inputs[plan.start:plan.end], results[plan.start:plan.end], allIndexes(plan.end-plan.start))
	}()
	return pr
}

func (pr *preparing) wait() preparedBatch {
	<-pr.done
	return pr.p
}

// allIndexes returns 0..n-1.
func allIndexes(n int) []int {
	out := make([]int, n)
	for i := range out {
		out[i] = i
	}
	return out
}
