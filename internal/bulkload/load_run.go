package bulkload

import (
	"archive/tar"
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/rorfhir/ror/fhir/resource"
	"github.com/rorfhir/ror/internal/progress"
)

// DefaultBatchSize is the number of resources per Upsert.
const DefaultBatchSize = 500

// Options tune a load. Zero values take the defaults.
type Options struct {
	BatchSize int
	// Report receives every line or entry not loaded (may be nil).
	Report func(Problem)
	// Progress receives the bytes read (of the files as stored, compressed or not) and the
	// resources sent so far (may be nil); a *progress.Bar's Update fits.
	Progress func(done, resources int64)
}

// Loader loads files into a Writer.
type Loader struct {
	w Writer
	o Options
}

// New returns a loader writing to w.
func New(w Writer, o Options) *Loader {
	if o.BatchSize <= 0 {
		o.BatchSize = DefaultBatchSize
	}
	return &Loader{w: w, o: o}
}

// TotalSize is the sum of the sizes of paths (the Total of a progress bar).
func TotalSize(paths ...string) (int64, error) {
	var n int64
	for _, p := range paths {
		st, err := os.Stat(p)
		if err != nil {
			return 0, fmt.Errorf("load: %w", err)
		}
		n += st.Size()
	}
	return n, nil
}

type item struct {
	res   Resource
	src   string
	line  int
	entry int
}

type load struct {
	*Loader
	sum   Summary
	batch []item
	done  int64 // bytes of the files finished
	cr    *progress.CountingReader
	sent  int64
}

// LoadFiles loads each path in order: *.tar.gz/*.tgz (members *.ndjson, *.ndjson.gz, *.json),
// *.ndjson or *.jsonl, their .gz forms, and *.json. Unreadable lines are reported and skipped; an
// error is returned when a file cannot be opened or read, or the Writer fails.
func (l *Loader) LoadFiles(ctx context.Context, paths ...string) (Summary, error) {
	ld := &load{Loader: l}
	for _, p := range paths {
		if err := ld.file(ctx, p); err != nil {
			return ld.sum, err
		}
	}
	if err := ld.flush(ctx); err != nil {
		return ld.sum, err
	}
	return ld.sum, nil
}

// Load loads one stream whose format name gives (as LoadFiles does for a path).
func (l *Loader) Load(ctx context.Context, name string, r io.Reader) (Summary, error) {
	ld := &load{Loader: l, cr: &progress.CountingReader{R: r}}
	if err := ld.stream(ctx, name, ld.cr); err != nil {
		return ld.sum, err
	}
	if err := ld.flush(ctx); err != nil {
		return ld.sum, err
	}
	return ld.sum, nil
}

func (ld *load) file(ctx context.Context, path string) error {
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("load: %w", err)
	}
	defer f.Close()
	ld.cr = &progress.CountingReader{R: f}
	err = ld.stream(ctx, path, ld.cr)
	ld.done += ld.cr.N
	ld.cr = nil
	return err
}

// stream dispatches on the name: archives, gzip, NDJSON, JSON.
func (ld *load) stream(ctx context.Context, name string, r io.Reader) error {
	lower := strings.ToLower(name)
	switch {
	case strings.HasSuffix(lower, ".tar.gz") || strings.HasSuffix(lower, ".tgz"):
		zr, err := gzip.NewReader(r)
		if err != nil {
			return fmt.Errorf("load %s: %w", name, err)
		}
		defer zr.Close()
		return ld.archive(ctx, name, tar.NewReader(zr))
	case strings.HasSuffix(lower, ".gz"):
		zr, err := gzip.NewReader(r)
		if err != nil {
			return fmt.Errorf("load %s: %w", name, err)
		}
		defer zr.Close()
		return ld.stream(ctx, name[:len(name)-3], zr)
	case strings.HasSuffix(lower, ".ndjson") || strings.HasSuffix(lower, ".jsonl"):
		ld.sum.Files++
		return ld.ndjson(ctx, name, r)
	case strings.HasSuffix(lower, ".json"):
		ld.sum.Files++
		return ld.json(ctx, name, r)
	}
	return fmt.Errorf("load %s: unknown format (want .ndjson, .jsonl, .json, .gz of them, or .tar.gz)", name)
}

func (ld *load) archive(ctx context.Context, name string, tr *tar.Reader) error {
	for {
		h, err := tr.Next()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("load %s: %w", name, err)
		}
		if h.Typeflag != tar.TypeReg {
			continue
		}
		member := name + ":" + h.Name
		base := strings.ToLower(filepath.Base(h.Name))
		if strings.HasPrefix(base, ".") || !(strings.HasSuffix(base, ".ndjson") || strings.HasSuffix(base, ".jsonl") ||
			strings.HasSuffix(base, ".json") || strings.HasSuffix(base, ".gz")) {
			continue // README, licence...
		}
		if err := ld.stream(ctx, member, tr); err != nil {
			return err
		}
	}
}

func (ld *load) ndjson(ctx context.Context, src string, r io.Reader) error {
	br := bufio.NewReaderSize(r, 1<<16)
	for line := 1; ; line++ {
		b, err := br.ReadBytes('\n')
		if len(bytes.TrimSpace(b)) > 0 {
			ld.add(ctx, bytes.TrimSpace(b), src, line, -1)
			if ferr := ld.maybeFlush(ctx); ferr != nil {
				return ferr
			}
		}
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("load %s:%d: %w", src, line, err)
		}
	}
}

func (ld *load) json(ctx context.Context, src string, r io.Reader) error {
	data, err := io.ReadAll(r)
	if err != nil {
		return fmt.Errorf("load %s: %w", src, err)
	}
	var head struct {
		ResourceType string `json:"resourceType"`
		// Type is a Bundle's type; other resources have a type element of another kind
		// (HealthcareService.type is an array): read as raw JSON.
		Type  json.RawMessage `json:"type"`
		Entry []struct {
			Resource json.RawMessage `json:"resource"`
			Request  struct {
				Method string `json:"method"`
			} `json:"request"`
		} `json:"entry"`
	}
	if err := json.Unmarshal(data, &head); err != nil {
		ld.problem(Problem{Source: src, Entry: -1, Reason: "not a JSON resource: " + err.Error()})
		return nil
	}
	var bundleType string
	if head.ResourceType == "Bundle" {
		_ = json.Unmarshal(head.Type, &bundleType)
	}
	switch bundleType {
	case "collection", "transaction", "batch", "searchset":
		for i, e := range head.Entry {
			if len(e.Resource) == 0 || string(e.Resource) == "null" {
				ld.problem(Problem{Source: src, Entry: i, Reason: fmt.Sprintf("entry without a resource (request %s)", e.Request.Method)})
				continue
			}
			ld.add(ctx, e.Resource, src, 0, i)
			if err := ld.maybeFlush(ctx); err != nil {
				return err
			}
		}
	default:
		ld.add(ctx, bytes.TrimSpace(data), src, 0, -1)
	}
	return nil
}

// add parses the resource's type and id and queues it. body is copied.
func (ld *load) add(_ context.Context, body []byte, src string, line, entry int) {
	info, err := resource.Parse(body)
	if err != nil {
		ld.problem(Problem{Source: src, Line: line, Entry: entry, Reason: err.Error()})
		return
	}
	ld.sum.Resources++
	ld.batch = append(ld.batch, item{Resource{Type: info.Type, ID: info.ID, Body: bytes.Clone(body)}, src, line, entry})
}

func (ld *load) problem(p Problem) {
	ld.sum.Rejected++
	if ld.o.Report != nil {
		ld.o.Report(p)
	}
}

func (ld *load) maybeFlush(ctx context.Context) error {
	if len(ld.batch) < ld.o.BatchSize {
		return nil
	}
	return ld.flush(ctx)
}

func (ld *load) flush(ctx context.Context) error {
	if len(ld.batch) == 0 {
		return nil
	}
	in := make([]Resource, len(ld.batch))
	for i, it := range ld.batch {
		in[i] = it.res
	}
	outs, err := ld.w.Upsert(ctx, in)
	if err != nil {
		return fmt.Errorf("load: write: %w", err)
	}
	if len(outs) != len(in) {
		return fmt.Errorf("load: write: %d outcomes for %d resources", len(outs), len(in))
	}
	for i, o := range outs {
		switch o.Status {
		case Created:
			ld.sum.Created++
		case Updated:
			ld.sum.Updated++
		case Unchanged:
			ld.sum.Unchanged++
		default:
			it := ld.batch[i]
			reason := "refused"
			if o.Err != nil {
				reason = o.Err.Error()
			}
			id := it.res.Type
			if it.res.ID != "" {
				id += "/" + it.res.ID
			}
			ld.problem(Problem{Source: it.src, Line: it.line, Entry: it.entry, ID: id, Reason: reason})
		}
	}
	ld.sent += int64(len(in))
	ld.batch = ld.batch[:0]
	if ld.o.Progress != nil {
		done := ld.done
		if ld.cr != nil {
			done += ld.cr.N
		}
		ld.o.Progress(done, ld.sent)
	}
	return nil
}
