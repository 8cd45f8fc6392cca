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
	DefaultBatchSize = 500
	DefaultMaxClosed = 0.25
)

// Options tune an import. Zero values take the defaults.
type Options struct {
	// BatchSize is the number of resources per Upsert (default DefaultBatchSize).
	BatchSize int
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
	sent    int64
	cr      *progress.CountingReader
}

// Run reads an extraction from r and writes its resources, then closes the FINESS resources the
// file no longer holds. A bad line is reported and skipped; an error is returned only when
// reading or the Target fails.
func (im *Importer) Run(ctx context.Context, r io.Reader) (Summary, error) {
	ru := &run{Importer: im, sites: map[string]site{}, ejs: map[string]bool{}, located: map[string]bool{}, locs: map[string]bool{},
		geoWait: map[string]*Geo{}, cr: &progress.CountingReader{R: r}}
	rd := NewReader(ru.cr)
	truncated := false
	for {
		rec, err := rd.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		var le *LineError
		if errors.As(err, &le) {
			ru.problem(Problem{Line: le.Line, Reason: le.Reason})
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
			ru.problem(Problem{Line: g.Line, Reason: fmt.Sprintf("no valid structureet line for nofinesset %s", g.NoFinessET)})
		}
	}
	if err := ru.flush(ctx); err != nil {
		return ru.sum, err
	}
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
		ru.problem(Problem{Line: st.Line, Reason: fmt.Sprintf("duplicate structureet line for nofinesset %s (kept line %d)", st.NoFinessET, ru.sites[st.NoFinessET].line)})
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
		ru.problem(Problem{Line: g.Line, Reason: fmt.Sprintf("duplicate geolocalisation line for nofinesset %s", g.NoFinessET)})
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
		ru.problem(Problem{Line: g.Line, Reason: err.Error()})
		return
	}
	lat, lon := p.Inverse(g.X, g.Y)
	ru.locs[g.NoFinessET] = true
	ru.sum.Locations++
	ru.add(TypeLocation, LocationID(g.NoFinessET), marshal(ru.m.location(g.NoFinessET, s, lat, lon)), g.Line)
}

// flush merges the batch with the current versions and writes it.
func (ru *run) flush(ctx context.Context) error {
	if len(ru.batch) == 0 {
		return nil
	}
	keys := make([]Key, len(ru.batch))
	for i, p := range ru.batch {
		keys[i] = Key{p.res.Type, p.res.ID}
	}
	cur, err := ru.t.Current(ctx, keys)
	if err != nil {
		return fmt.Errorf("finess import: read current versions: %w", err)
	}
	in := make([]Resource, 0, len(ru.batch))
	lines := make([]int, 0, len(ru.batch))
	for i, p := range ru.batch {
		body, err := merge(p.res.Type, cur[keys[i]], p.res.Body)
		if err != nil {
			ru.problem(Problem{Line: p.line, ID: p.res.ID, Reason: err.Error()})
			continue
		}
		in = append(in, Resource{p.res.Type, p.res.ID, body})
		lines = append(lines, p.line)
	}
	ru.batch = ru.batch[:0]
	if err := ru.write(ctx, in, lines, false); err != nil {
		return err
	}
	if ru.o.Progress != nil {
		ru.o.Progress(ru.cr.N, ru.sent)
	}
	return nil
}

func (ru *run) write(ctx context.Context, in []Resource, lines []int, closing bool) error {
	if len(in) == 0 {
		return nil
	}
	outs, err := ru.t.Upsert(importing(ctx), in)
	if err != nil {
		return fmt.Errorf("finess import: write: %w", err)
	}
	if len(outs) != len(in) {
		return fmt.Errorf("finess import: write: %d outcomes for %d resources", len(outs), len(in))
	}
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
	return nil
}
