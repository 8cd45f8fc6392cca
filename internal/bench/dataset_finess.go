package bench

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/rorfhir/ror/internal/finess"
	"github.com/rorfhir/ror/store"
)

// Site is an imported establishment (EG) as the scenarios use it.
type Site struct {
	FinessET string
	OrgID    string // Organization id of the EG
	LocID    string // Location id ("" when the site is not geolocated)
	Region   string // TRE_R30 code of its meta.tag
	Postal   string
	Name     string
	Lat, Lon float64
}

// SubsetFile writes to dst the header of src, its first n establishments ("structureet" lines)
// and their geolocation lines: a national-like file of n establishments (--quick, tests).
func SubsetFile(src, dst string, n int) error {
	keep := map[string]bool{}
	err := eachLine(src, func(line string) error {
		if len(keep) < n && strings.HasPrefix(line, "structureet;") {
			keep[field(line, 1)] = true
		}
		return nil
	})
	if err != nil {
		return err
	}
	out, err := os.Create(dst)
	if err != nil {
		return err
	}
	w := bufio.NewWriterSize(out, 1<<16)
	err = eachLine(src, func(line string) error {
		if strings.HasPrefix(line, "finess;") || keep[field(line, 1)] &&
			(strings.HasPrefix(line, "structureet;") || strings.HasPrefix(line, "geolocalisation;")) {
			_, err := w.WriteString(line + "\n")
			return err
		}
		return nil
	})
	if err == nil {
		err = w.Flush()
	}
	if cerr := out.Close(); err == nil {
		err = cerr
	}
	return err
}

func eachLine(path string, fn func(string) error) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<16), 1<<20)
	for sc.Scan() {
		if err := fn(sc.Text()); err != nil {
			return err
		}
	}
	return sc.Err()
}

// field returns the i-th ';'-separated field (the first two fields are never quoted).
func field(line string, i int) string {
	for ; i > 0; i-- {
		k := strings.IndexByte(line, ';')
		if k < 0 {
			return ""
		}
		line = line[k+1:]
	}
	if k := strings.IndexByte(line, ';'); k >= 0 {
		return line[:k]
	}
	return line
}

// ImportRun is one timed FINESS import.
type ImportRun struct {
	Summary  finess.Summary
	Elapsed  time.Duration
	PeakRSS  float64 // MB, sampled during the import
	Cores    float64 // average cores used
	Problems int
	Samples  []string // the first problems reported
}

// Resources is the number of resources the file produced.
func (r ImportRun) Resources() int { return r.Summary.EJ + r.Summary.EG + r.Summary.Locations }

// ImportFile imports the FINESS file at path into t and times it.
func ImportFile(ctx context.Context, t finess.Target, path string) (ImportRun, error) {
	f, err := os.Open(path)
	if err != nil {
		return ImportRun{}, err
	}
	defer f.Close()
	var run ImportRun
	rss := StartRSS(ctx)
	cpu0, start := CPUTime(), time.Now()
	run.Summary, err = finess.NewImporter(t, finess.Options{Report: func(p finess.Problem) {
		run.Problems++
		if len(run.Samples) < 5 {
			run.Samples = append(run.Samples, p.String())
		}
	}}).Run(ctx, f)
	run.Elapsed = time.Since(start)
	run.Cores = coresUsed(cpu0, CPUTime(), run.Elapsed)
	run.PeakRSS = rss.Stop()
	if err != nil {
		return run, fmt.Errorf("import %s: %w", path, err)
	}
	return run, nil
}

// siteDoc is what CollectSites reads of an Organization or a Location.
type siteDoc struct {
	ResourceType string `json:"resourceType"`
	ID           string `json:"id"`
	Name         string `json:"name"`
	Meta         struct {
		Tag []struct{ Code string } `json:"tag"`
	} `json:"meta"`
	Address json.RawMessage `json:"address"`
	PartOf  *struct{}       `json:"partOf"`
	Pos     *struct {
		Latitude  float64 `json:"latitude"`
		Longitude float64 `json:"longitude"`
	} `json:"position"`
}

type postal struct {
	PostalCode string `json:"postalCode"`
}

// Walk pages the whole history of st (newest first, pages of 1,000) and calls fn per page.
func Walk(ctx context.Context, st store.Store, fn func([]store.Version) error) error {
	q := store.HistoryQuery{Count: 1000}
	for {
		p, err := st.History(ctx, q)
		if err != nil {
			return err
		}
		if err := fn(p.Versions); err != nil {
			return err
		}
		if p.NextBeforeSeq == 0 {
			return nil
		}
		q.BeforeSeq = p.NextBeforeSeq
	}
}

// SiteCollector gathers the FINESS sites (EG Organizations and their Locations) from versions.
type SiteCollector struct {
	sites map[string]*Site // by FINESS ET number
	order []string
}

// Add reads the FINESS sites in vs.
func (c *SiteCollector) Add(vs []store.Version) {
	if c.sites == nil {
		c.sites = map[string]*Site{}
	}
	for _, v := range vs {
		var et string
		switch {
		case v.Type == finess.TypeOrganization && strings.HasPrefix(v.ID, "finess-eg-"):
			et = strings.TrimPrefix(v.ID, "finess-eg-")
		case v.Type == finess.TypeLocation && strings.HasPrefix(v.ID, "finess-loc-"):
			et = strings.TrimPrefix(v.ID, "finess-loc-")
		default:
			continue
		}
		var d siteDoc
		if v.Deleted || json.Unmarshal(v.Body, &d) != nil {
			continue
		}
		s := c.sites[et]
		if s == nil {
			s = &Site{FinessET: et}
			c.sites[et] = s
			c.order = append(c.order, et)
		}
		if v.Type == finess.TypeLocation {
			s.LocID = v.ID
			if d.Pos != nil {
				s.Lat, s.Lon = d.Pos.Latitude, d.Pos.Longitude
			}
			continue
		}
		s.OrgID, s.Name = v.ID, d.Name
		if len(d.Meta.Tag) > 0 {
			s.Region = d.Meta.Tag[0].Code
		}
		var addr []postal
		if json.Unmarshal(d.Address, &addr) == nil && len(addr) > 0 {
			s.Postal = addr[0].PostalCode
		}
	}
}

// Sites returns the sites that have an Organization, in a stable order (FINESS number).
func (c *SiteCollector) Sites() []Site {
	out := make([]Site, 0, len(c.order))
	for _, et := range sortedKeys(c.sites) {
		if s := c.sites[et]; s.OrgID != "" {
			out = append(out, *s)
		}
	}
	return out
}

// RawInsert is the baseline of issue 3: the same JSON documents written with store.PutMany,
// without any FHIR logic (no parsing, no checks, empty index), in batches of batch.
type RawInsert struct {
	Resources int
	Bytes     int64
	Elapsed   time.Duration // time spent in PutMany only
}

// RawInserter writes versions into a second store as they come.
type RawInserter struct {
	St    store.Store
	Batch int
	Run   RawInsert
	buf   []store.Write
}

// Add queues the versions of vs, writing a batch when full.
func (r *RawInserter) Add(ctx context.Context, vs []store.Version) error {
	for _, v := range vs {
		if v.Deleted {
			continue
		}
		r.buf = append(r.buf, store.Write{Type: v.Type, ID: v.ID, VersionID: 1, LastUpdated: v.LastUpdated, Body: v.Body})
		r.Run.Bytes += int64(len(v.Body))
		if len(r.buf) >= r.Batch {
			if err := r.Flush(ctx); err != nil {
				return err
			}
		}
	}
	return nil
}

// Flush writes what is queued.
func (r *RawInserter) Flush(ctx context.Context) error {
	if len(r.buf) == 0 {
		return nil
	}
	t0 := time.Now()
	_, err := r.St.PutMany(ctx, r.buf)
	r.Run.Elapsed += time.Since(t0)
	r.Run.Resources += len(r.buf)
	r.buf = r.buf[:0]
	return err
}

func sortedKeys[V any](m map[string]V) []string {
	return slices.Sorted(maps.Keys(m))
}
