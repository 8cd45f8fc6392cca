package service

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"reflect"
	"strconv"

	"github.com/rorfhir/ror/fhir/fherr"
	"github.com/rorfhir/ror/fhir/resource"
	"github.com/rorfhir/ror/store"
)

// Input is one resource given to Upsert: its type, its id and its JSON (the body's id, if any,
// must equal ID).
type Input struct {
	Type string
	ID   string
	Body []byte
}

// Outcome says what Upsert did with one Input.
type Outcome int

// Outcomes of Upsert.
const (
	Failed    Outcome = iota // Result.Err says why; nothing written
	Created                  // the resource did not exist (or was deleted) and now does
	Updated                  // a new version was written
	Unchanged                // the content equals the current version: nothing written
)

func (o Outcome) String() string {
	switch o {
	case Created:
		return "created"
	case Updated:
		return "updated"
	case Unchanged:
		return "unchanged"
	}
	return "failed"
}

// Result is the outcome of one Input, at the same index.
type Result struct {
	Outcome  Outcome
	Version  store.Version // written or current version (zero when Failed)
	Warnings []fherr.Issue
	Err      error // per-input failure (*fherr.Error): invalid body, rejected by a check...
}

// Upsert writes many resources by the same rules as Update, for the importer and the bulk
// loader: each input is written only when its content (ignoring meta.versionId and
// meta.lastUpdated) differs from the current version, in batches through store.PutMany. An input
// that breaks a rule fails alone (Result.Err); the returned error is a store failure, after which
// the results of the inputs not yet written are Failed.
//
// The inputs of a batch are prepared (current version read, body checked, checks run, index
// extracted) in parallel, and the next batch is prepared while one is written when the two share
// no resource; the results are those of a sequential run, in input order.
func (s *Service) Upsert(ctx context.Context, inputs []Input) ([]Result, error) {
	results := make([]Result, len(inputs))
	plans := planBatches(inputs, s.opts.UpsertBatch)
	var next *preparing
	for k, plan := range plans {
		in, res := inputs[plan.start:plan.end], results[plan.start:plan.end]
		var p preparedBatch
		if next != nil {
			p = next.wait()
		} else {
			p = s.prepareAll(ctx, in, res, allIndexes(len(in)))
		}
		next = nil
		if k+1 < len(plans) && independent(plan, plans[k+1]) {
			next = s.prepareAsync(ctx, inputs, results, plans[k+1])
		}
		if err := s.upsertBatch(ctx, in, res, p); err != nil {
			if next != nil { // prepared but not written: as if never reached
				next.wait()
				clear(results[next.plan.start:next.plan.end])
			}
			for i := plan.start; i < len(inputs); i++ {
				if results[i].Outcome == Failed && results[i].Err == nil {
					results[i].Err = err
				}
			}
			return results, err
		}
	}
	return results, nil
}

// upsertBatch writes the prepared inputs (distinct resources), retrying those that lose a
// version race.
func (s *Service) upsertBatch(ctx context.Context, inputs []Input, results []Result, p preparedBatch) error {
	for attempt := 0; len(p.writes) > 0; attempt++ {
		writes, owners := p.writes, p.owners
		vs, err := s.st.PutMany(ctx, writes)
		if err == nil {
			s.setVersions(results, owners, vs)
			return nil
		}
		applied := 0
		var be *store.BatchError
		if errors.As(err, &be) && !s.st.Capabilities().Transactions {
			applied = min(be.Index, len(writes))
		}
		retry := be != nil && errors.Is(err, store.ErrVersionConflict) && attempt+1 < s.opts.UpdateRetries
		if !retry {
			for _, i := range owners[applied:] {
				results[i] = Result{}
			}
			s.setVersions(results, owners[:applied], vs)
			return storeErr(err)
		}
		s.setVersions(results, owners[:applied], vs)
		p = s.prepareAll(ctx, inputs, results, owners[applied:])
	}
	return nil
}

// setVersions records the versions written for the inputs at owners.
func (s *Service) setVersions(results []Result, owners []int, vs []store.Version) {
	for k, i := range owners {
		if k < len(vs) {
			results[i].Version = vs[k]
		}
	}
}

// upsertOne checks one input and prepares its write; ok is false when nothing is to be written
// (Unchanged or Failed, res says which).
func (s *Service) upsertOne(ctx context.Context, in Input) (store.Write, Result, bool) {
	fail := func(err error) (store.Write, Result, bool) { return store.Write{}, Result{Err: err}, false }
	if !validID(in.ID) {
		return fail(fherr.Invalid("value", "", "%q is not a valid id", in.ID))
	}
	if err := s.checkType(in.Type); err != nil {
		return fail(err)
	}
	cur, err := s.current(ctx, in.Type, in.ID)
	if err != nil {
		return fail(err)
	}
	if s.stampedEqual(cur, in) {
		// the stored bytes are this body once stamped: it passed every check when it was written
		return store.Write{}, Result{Outcome: Unchanged, Version: *cur}, false
	}
	inc, err := s.checkBody(in.Type, in.Body)
	if err != nil {
		return fail(err)
	}
	if inc.id != "" && inc.id != in.ID {
		return fail(fherr.Invalid("invalid", in.Type+".id", "the body id %q differs from %q", inc.id, in.ID))
	}
	if cur != nil && !cur.Deleted && sameContent(cur, in.Body) {
		return store.Write{}, Result{Outcome: Unchanged, Version: *cur, Warnings: inc.warnings}, false
	}
	warnings, err := s.runChecks(ctx, in.Type, cur, in.Body)
	if err != nil {
		return fail(err)
	}
	next, outcome := int64(1), Created
	if cur != nil {
		next = cur.VersionID + 1
		if !cur.Deleted {
			outcome = Updated
		}
	}
	// an import writes each resource under its own id: an update or an update-as-create
	w, err := s.prepare(http.MethodPut, in.Type, in.ID, next, s.now(), in.Body)
	if err != nil {
		return fail(err)
	}
	return w, Result{Outcome: outcome, Warnings: append(inc.warnings, warnings...)}, true
}

// stampedEqual is the fast path of an unchanged input (a re-import): the body, stamped as the
// current version, is byte-equal to it. Only bodies that carry no meta.versionId/lastUpdated (which
// Stamp would overwrite) and no other id are taken, so that the body is exactly the content that
// passed the body checks when the current version was written, and the structure check (the
// costliest part of an unchanged upsert) is not run again.
func (s *Service) stampedEqual(cur *store.Version, in Input) bool {
	if cur == nil || cur.Deleted || int64(len(in.Body)) > s.opts.MaxBodyBytes {
		return false
	}
	info, err := resource.Parse(in.Body)
	if err != nil || info.Type != in.Type || info.ID != "" && info.ID != in.ID || info.VersionID != "" || info.LastUpdated != "" {
		return false
	}
	stamped, err := resource.Stamp(in.Body, cur.ID, strconv.FormatInt(cur.VersionID, 10), cur.LastUpdated)
	return err == nil && bytes.Equal(stamped, cur.Body)
}

// sameContent reports whether body has the content of the current version, meta.versionId and
// meta.lastUpdated aside: byte-equal once stamped like it (the usual case of a deterministic
// producer), else equal as JSON values (numbers compared as written, so 4.50 differs from 4.5).
func sameContent(cur *store.Version, body []byte) bool {
	stamped, err := resource.Stamp(body, cur.ID, strconv.FormatInt(cur.VersionID, 10), cur.LastUpdated)
	if err == nil && bytes.Equal(stamped, cur.Body) {
		return true
	}
	a, okA := contentValue(cur.Body)
	b, okB := contentValue(body)
	return okA && okB && reflect.DeepEqual(a, b)
}

// contentValue decodes a resource without id, meta.versionId and meta.lastUpdated (and without a
// meta left empty by their removal).
func contentValue(body []byte) (map[string]any, bool) {
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	var m map[string]any
	if err := dec.Decode(&m); err != nil {
		return nil, false
	}
	delete(m, "id")
	if meta, ok := m["meta"].(map[string]any); ok {
		delete(meta, "versionId")
		delete(meta, "lastUpdated")
		if len(meta) == 0 {
			delete(m, "meta")
		}
	}
	return m, true
}
