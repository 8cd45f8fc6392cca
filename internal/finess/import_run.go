package finess

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/rorfhir/ror/internal/progress"
)

// Defaults of Options.
const (
	DefaultBatchSize = 1000
	DefaultMaxClosed = 0.25
	DefaultInFlight  = 1
)

// Options tune an import. Zero values take the defaults.
type Options struct {
	// BatchSize is the number of resources per Upsert (default DefaultBatchSize). With the server's
	// Upsert (batches of 500 per store write), 1000 lets it prepare one half while it writes the
	// other.
	BatchSize int
	// InFlight is the number of batches written at the same time while the file is read on
	// (default DefaultInFlight: one batch at a time, overlapped with reading). Batches in flight
	// hold distinct resources; their outcomes are counted and reported in file order. Measured on
	// the national file (2 cores, SQLite): 2 in flight gain little on a first import (the store's
	// single writer is the critical path) and raise the re-import's peak RSS from ~0.7 to ~1 GB
	// (more read connections mapping the database at once).
	InFlight int
	// Date (YYYY-MM-DD) is the creation date of new resources and the closing date of missing
	// ones when the file has no header line (default: today, UTC). With a header, its extraction
	// date is used, so that the same file always gives the same bodies.
	Date string
	// MaxClosed is the largest fraction of the stored FINESS resources of a type that an import
	// may close (default DefaultMaxClosed; negative: no limit). Above it the file is taken as
	// incomplete and nothing is closed (a Problem says so).
	MaxClosed float64
	// Report receives every skipped line and refused resource (may be nil).
	Report func(Problem)
	// Progress receives the bytes read and the resources sent so far (may be nil); a
	// *progress.Bar's Update fits.
	Progress func(done, resources int64)
}

// Problem is a line skipped or a resource refused. Line is 0 for closures.
type Problem struct {
	Line   int
	ID     string // resource id, when a write was refused
	Reason string
}

func (p Problem) String() string {
	s := ""
	if p.Line > 0 {
		s = fmt.Sprintf("line %d: ", p.Line)
	}
	if p.ID != "" {
		s += p.ID + ": "
	}
	return s + p.Reason
}

// Summary counts what an import did.
type Summary struct {
	Created, Updated, Unchanged, Closed int
	Rejected                            int // lines skipped + resources refused
	EJ, EG, Locations                   int // resources produced from the file
	Lines                               int
	Latin1                              bool   // the file was read as ISO-8859-1
	Date                                string // creation/closing date used
}

// Importer imports extractions into a Target.
type Importer struct {
	t Target
	o Options
}

// NewImporter returns an importer writing to t.
func NewImporter(t Target, o Options) *Importer {
	if o.BatchSize <= 0 {
		o.BatchSize = DefaultBatchSize
	}
	if o.MaxClosed == 0 {
		o.MaxClosed = DefaultMaxClosed
	}
	if o.InFlight <= 0 {
		o.InFlight = DefaultInFlight
	}
	return &Importer{t: t, o: o}
}

type pending struct {
	res  Resource
	line int
}

// run is the state of one import.
type run struct {
	*Importer
	sum     Summary
	m       mapper
	sites   map[string]site
	ejs     map[string]bool
	located map[string]bool // geolocation line seen
	locs    map[string]bool // Location written
	geoWait map[string]*Geo
	batch   []pending
	flights []*flight // batches being written, oldest first
	early   []Problem // noted while reading the batch being built
	sent    int64
	cr      *progress.CountingReader
}

// Run reads an extraction from r and writes its resources, then closes the FINESS resources the
// file no longer holds. A bad line is reported and skipped; an error is returned only when
// reading or the Target fails.
func (im *Importer) Run(ctx context.Context, r io.Reader) (Summary, error) {
	ru := &run{Importer: im, sites: map[string]site{}, ejs: map[string]bool{}, located: map[string]bool{}, locs: map[string]bool{},
		geoWait: map[string]*Geo{}, cr: &progress.CountingReader{R: r}}
	defer ru.abandon()
	rd := NewReader(ru.cr)
	truncated := false
	for {
		rec, err := rd.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		var le *LineError
		if errors.As(err, &le) {
			ru.note(Problem{Line: le.Line, Reason: le.Reason})
			truncated = truncated || le.Truncated
			continue
		}
		if err != nil {
			return ru.sum, err
		}
		if ru.m.created == "" {
			ru.m.created = im.date(rd)
		}
		if rec.Structure != nil {
			ru.structure(rec.Structure)
		} else {
			ru.geo(rec.Geo)
		}
		if len(ru.batch) >= im.o.BatchSize {
			if err := ru.flush(ctx); err != nil {
				return ru.sum, err
			}
		}
	}
	if ru.m.created == "" {
		ru.m.created = im.date(rd)
	}
	ru.sum.Lines, ru.sum.Latin1, ru.sum.Date = rd.Line(), rd.Latin1(), ru.m.created
	for _, g := range sortedGeo(ru.geoWait) {
		if s, ok := ru.sites[g.NoFinessET]; ok {
			ru.locate(g, s)
		} else {
			ru.note(Problem{Line: g.Line, Reason: fmt.Sprintf("no valid structureet line for nofinesset %s", g.NoFinessET)})
		}
	}
	if err := ru.flush(ctx); err != nil {
		return ru.sum, err
	}
	if err := ru.land(0); err != nil {
		return ru.sum, err
	}
	for _, p := range ru.early { // noted after the last batch
		ru.problem(p)
	}
	ru.early = nil
	if truncated {
		ru.problem(Problem{Reason: "the file looks truncated: establishments missing from it were not closed"})
		ru.sum.Rejected-- // a warning, not a rejected line
		return ru.sum, nil
	}
	if err := ru.closeMissing(ctx); err != nil {
		return ru.sum, err
	}
	return ru.sum, nil
}

func (im *Importer) date(rd *Reader) string {
	if h, ok := rd.Header(); ok {
		return h.Date
	}
	if im.o.Date != "" {
		return im.o.Date
	}
	return time.Now().UTC().Format(time.DateOnly)
}

// note records a problem found while reading: it is reported with the batch being built, after
// the outcomes of the batches before it, so that the reports come in the order of a
// one-batch-at-a-time import whatever the number of batches in flight.
func (ru *run) note(p Problem) {
	ru.early = append(ru.early, p)
}

// problem reports p now.
func (ru *run) problem(p Problem) {
	ru.sum.Rejected++
	if ru.o.Report != nil {
		ru.o.Report(p)
	}
}

func (ru *run) add(typ, id string, body []byte, line int) {
	ru.batch = append(ru.batch, pending{Resource{Type: typ, ID: id, Body: body}, line})
}

func (ru *run) structure(st *Structure) {
	if _, dup := ru.sites[st.NoFinessET]; dup {
		ru.note(Problem{Line: st.Line, Reason: fmt.Sprintf("duplicate structureet line for nofinesset %s (kept line %d)", st.NoFinessET, ru.sites[st.NoFinessET].line)})
		return
	}
	if !ru.ejs[st.NoFinessEJ] {
		ru.ejs[st.NoFinessEJ] = true
		ru.sum.EJ++
		ru.add(TypeOrganization, EJID(st.NoFinessEJ), marshal(ru.m.ej(st.NoFinessEJ)), st.Line)
	}
	o, s := ru.m.eg(st)
	ru.sites[st.NoFinessET] = s
	ru.sum.EG++
	ru.add(TypeOrganization, o.ID, marshal(o), st.Line)
}

func (ru *run) geo(g *Geo) {
	if ru.located[g.NoFinessET] || ru.geoWait[g.NoFinessET] != nil {
		ru.note(Problem{Line: g.Line, Reason: fmt.Sprintf("duplicate geolocalisation line for nofinesset %s", g.NoFinessET)})
		return
	}
	if s, ok := ru.sites[g.NoFinessET]; ok {
		ru.locate(g, s)
		return
	}
	ru.geoWait[g.NoFinessET] = g // its structure line may come later
}

func (ru *run) locate(g *Geo, s site) {
	ru.located[g.NoFinessET] = true
	if !g.HasCoords {
		return
	}
	p, err := projectionFor(g.Projection)
	if err != nil { // checked by the reader
		ru.note(Problem{Line: g.Line, Reason: err.Error()})
		return
	}
	lat, lon := p.Inverse(g.X, g.Y)
	ru.locs[g.NoFinessET] = true
	ru.sum.Locations++
	ru.add(TypeLocation, LocationID(g.NoFinessET), marshal(ru.m.location(g.NoFinessET, s, lat, lon)), g.Line)
}

// flush starts writing the batch on another goroutine (reading the file goes on), once fewer
// than InFlight batches are being written.
func (ru *run) flush(ctx context.Context) error {
	if len(ru.batch) == 0 {
		return nil
	}
	if err := ru.land(ru.o.InFlight - 1); err != nil {
		return err
	}
	fl := &flight{batch: ru.batch, early: ru.early, done: make(chan struct{})}
	ru.batch, ru.early = make([]pending, 0, ru.o.BatchSize), nil
	ru.flights = append(ru.flights, fl)
	go func() {
		defer close(fl.done)
		fl.err = fl.run(ctx, ru.t)
	}()
	return nil
}

// land waits for the oldest batches in flight until at most keep remain, and counts and
// reports their outcomes, in file order.
func (ru *run) land(keep int) error {
	for len(ru.flights) > keep {
		fl := ru.flights[0]
		ru.flights = ru.flights[1:]
		<-fl.done
		for _, p := range fl.early {
			ru.problem(p)
		}
		for _, p := range fl.problems {
			ru.problem(p)
		}
		if fl.err != nil {
			return fl.err
		}
		ru.tally(fl.in, fl.lines, fl.outs, false)
		if ru.o.Progress != nil {
			ru.o.Progress(ru.cr.N, ru.sent)
		}
	}
	return nil
}

// abandon waits for the batches still in flight when the import stops on an error, so that no
// write outlives Run.
func (ru *run) abandon() {
	for _, fl := range ru.flights {
		<-fl.done
	}
	ru.flights = nil
}

// flight is one batch being written.
type flight struct {
	batch    []pending
	early    []Problem     // noted while reading it
	done     chan struct{} // closed when the fields below are set
	in       []Resource    // the bodies written (merged with the current versions)
	lines    []int
	outs     []Outcome
	problems []Problem // resources that could not be merged
	err      error
}

// run merges the batch with the current versions and writes it.
func (fl *flight) run(ctx context.Context, t Target) error {
	keys := make([]Key, len(fl.batch))
	for i, p := range fl.batch {
		keys[i] = Key{p.res.Type, p.res.ID}
	}
	cur, err := t.Current(ctx, keys)
	if err != nil {
		return fmt.Errorf("finess import: read current versions: %w", err)
	}
	fl.in = make([]Resource, 0, len(fl.batch))
	fl.lines = make([]int, 0, len(fl.batch))
	for i, p := range fl.batch {
		body, err := merge(p.res.Type, cur[keys[i]], p.res.Body)
		if err != nil {
			fl.problems = append(fl.problems, Problem{Line: p.line, ID: p.res.ID, Reason: err.Error()})
			continue
		}
		fl.in = append(fl.in, Resource{p.res.Type, p.res.ID, body})
		fl.lines = append(fl.lines, p.line)
	}
	fl.outs, err = upsert(ctx, t, fl.in)
	return err
}

// upsert writes in through t as the import's own writes.
func upsert(ctx context.Context, t Target, in []Resource) ([]Outcome, error) {
	if len(in) == 0 {
		return nil, nil
	}
	outs, err := t.Upsert(importing(ctx), in)
	if err != nil {
		return nil, fmt.Errorf("finess import: write: %w", err)
	}
	if len(outs) != len(in) {
		return nil, fmt.Errorf("finess import: write: %d outcomes for %d resources", len(outs), len(in))
	}
	return outs, nil
}

// write writes in synchronously (the closures) and counts the outcomes.
func (ru *run) write(ctx context.Context, in []Resource, lines []int, closing bool) error {
	outs, err := upsert(ctx, ru.t, in)
	if err != nil {
		return err
	}
	ru.tally(in, lines, outs, closing)
	return nil
}

// tally counts the outcomes of a write and reports the refused resources.
func (ru *run) tally(in []Resource, lines []int, outs []Outcome, closing bool) {
	ru.sent += int64(len(in))
	for i, o := range outs {
		switch {
		case o.Status == Rejected:
			reason := "refused"
			if o.Err != nil {
				reason = o.Err.Error()
			}
			ru.problem(Problem{Line: lines[i], ID: in[i].Type + "/" + in[i].ID, Reason: reason})
		case closing && o.Status != Unchanged:
			ru.sum.Closed++
		case o.Status == Created:
			ru.sum.Created++
		case o.Status == Updated:
			ru.sum.Updated++
		default:
			ru.sum.Unchanged++
		}
	}
}
