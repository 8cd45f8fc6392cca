package profiles

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
)

// Coverage statuses.
const (
	CoverageOK        = "ok"
	CoverageMissing   = "missing"   // the IG states it, our definitions do not
	CoverageMismatch  = "mismatch"  // both state it, differently
	CoverageException = "exception" // a documented IG defect (see KnownIGDefects)
)

// CoverageItem is one fact of the IG (an element's min, max, type, fixed or pattern value,
// binding, slicing, slice name, invariant; an artifact's url, type, base, kind, context).
type CoverageItem struct {
	Artifact string // StructureDefinition id
	Element  string // element id ("" for artifact-level facts)
	Fact     string
	Status   string
	Detail   string
}

// CoverageReport compares our definitions with the IG's StructureDefinitions.
type CoverageReport struct {
	Artifacts     int // IG StructureDefinitions compared
	Facts         int // constraint facts of the IG
	Covered       int // represented exactly
	Exceptions    int // documented IG defects
	MustSupport   int // mustSupport flags (informational, all compared)
	MustSupportOK int
	Items         []CoverageItem // every fact not simply ok, plus exceptions
}

// OK says whether every IG fact is represented (documented exceptions aside).
func (r *CoverageReport) OK() bool { return r.Covered+r.Exceptions == r.Facts }

// String renders the report.
func (r *CoverageReport) String() string {
	var b strings.Builder
	pct := 100.0
	if r.Facts > 0 {
		pct = 100 * float64(r.Covered+r.Exceptions) / float64(r.Facts)
	}
	fmt.Fprintf(&b, "ROR IG coverage: %d StructureDefinitions, %d constraint facts, %d represented, %d documented exceptions (%.1f%%); mustSupport %d/%d\n",
		r.Artifacts, r.Facts, r.Covered, r.Exceptions, pct, r.MustSupportOK, r.MustSupport)
	for _, it := range r.Items {
		fmt.Fprintf(&b, "  %-9s %s %s [%s] %s\n", it.Status, it.Artifact, it.Element, it.Fact, it.Detail)
	}
	return b.String()
}

// KnownIGDefect is a defect of the published IG that our definitions knowingly handle in their own way.
type KnownIGDefect struct {
	Artifact, Element, Fact, Why string
}

// KnownIGDefects lists the IG defects (ror-ig/INDEX.md and our own findings) that touch the profiles.
func KnownIGDefects() []KnownIGDefect {
	return []KnownIGDefect{
		{"ror-coordinate-reliability", "", "context",
			"context extension …/ror-organization-eg-location does not exist in 0.7.0 (INDEX.md): kept as published, never matched"},
	}
}

// CheckSharedCoverage runs CheckCoverage on the embedded definitions and the IG files found by
// SharedDir (for the conformance suite).
func CheckSharedCoverage() (*CoverageReport, error) {
	dir, err := SharedDir()
	if err != nil {
		return nil, fmt.Errorf("coverage: %w", err)
	}
	defs, err := LoadDefinitions()
	if err != nil {
		return nil, fmt.Errorf("coverage: %w", err)
	}
	return CheckCoverage(defs, filepath.Join(dir, "ror-ig"))
}

// CheckCoverage compares defs with the IG StructureDefinitions in igDir (the ror-ig folder:
// StructureDefinition/ and extensions/).
func CheckCoverage(defs *Definitions, igDir string) (*CoverageReport, error) {
	var files []string
	for _, sub := range []string{"StructureDefinition", "extensions"} {
		m, err := filepath.Glob(filepath.Join(igDir, sub, "*.json"))
		if err != nil {
			return nil, fmt.Errorf("coverage: %w", err)
		}
		files = append(files, m...)
	}
	if len(files) == 0 {
		return nil, fmt.Errorf("coverage: no StructureDefinition under %s", igDir)
	}
	ours := map[string]map[string]any{}
	for _, sd := range defs.structureDefinitionMaps() {
		ours[sd["url"].(string)] = normalize(sd).(map[string]any)
	}
	r := &CoverageReport{}
	exc := map[string]string{}
	for _, d := range KnownIGDefects() {
		exc[d.Artifact+"|"+d.Element+"|"+d.Fact] = d.Why
	}
	sort.Strings(files)
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			return nil, fmt.Errorf("coverage: %w", err)
		}
		var ig map[string]any
		if err := json.Unmarshal(b, &ig); err != nil {
			return nil, fmt.Errorf("coverage: %s: %w", f, err)
		}
		r.Artifacts++
		r.compareArtifact(ig, ours[str(ig["url"])], exc)
	}
	return r, nil
}

func (r *CoverageReport) record(art, el, fact string, ok bool, detail string, exc map[string]string) {
	r.Facts++
	if why, isExc := exc[art+"|"+el+"|"+fact]; isExc {
		r.Exceptions++
		r.Items = append(r.Items, CoverageItem{art, el, fact, CoverageException, why})
		return
	}
	if ok {
		r.Covered++
		return
	}
	status := CoverageMismatch
	if strings.HasPrefix(detail, "not in our definitions") {
		status = CoverageMissing
	}
	r.Items = append(r.Items, CoverageItem{art, el, fact, status, detail})
}

func (r *CoverageReport) compareArtifact(ig, ours map[string]any, exc map[string]string) {
	art := str(ig["id"])
	if ours == nil {
		r.record(art, "", "url", false, "not in our definitions: "+str(ig["url"]), exc)
		return
	}
	for _, k := range []string{"url", "type", "baseDefinition", "kind", "derivation", "context"} {
		if ig[k] == nil {
			continue
		}
		r.record(art, "", k, reflect.DeepEqual(ig[k], ours[k]), diff(ig[k], ours[k]), exc)
	}
	ourEls := map[string]map[string]any{}
	for _, e := range elements(ours) {
		ourEls[str(e["id"])] = e
	}
	for _, e := range elements(ig) {
		id := str(e["id"])
		oe := ourEls[id]
		for k, v := range e {
			switch {
			case k == "min" || k == "max" || k == "sliceName" || k == "type" ||
				strings.HasPrefix(k, "fixed") || strings.HasPrefix(k, "pattern"):
				r.recordFact(art, id, k, v, oe, k, exc)
			case k == "binding":
				bm, _ := v.(map[string]any)
				want := map[string]any{"strength": bm["strength"], "valueSet": bm["valueSet"]}
				var got any
				if ob, ok := oe["binding"].(map[string]any); ok {
					got = map[string]any{"strength": ob["strength"], "valueSet": ob["valueSet"]}
				}
				r.record(art, id, k, oe != nil && reflect.DeepEqual(want, got), diff(want, got), exc)
			case k == "slicing":
				sm, _ := v.(map[string]any)
				want := map[string]any{"discriminator": sm["discriminator"], "rules": sm["rules"]}
				var got any
				if os, ok := oe["slicing"].(map[string]any); ok {
					got = map[string]any{"discriminator": os["discriminator"], "rules": os["rules"]}
				}
				r.record(art, id, k, oe != nil && reflect.DeepEqual(want, got), diff(want, got), exc)
			case k == "constraint":
				for _, c := range v.([]any) {
					cm, _ := c.(map[string]any)
					if strings.HasPrefix(str(cm["source"]), "http://hl7.org/") || cm["source"] == nil && strings.Contains(str(cm["key"]), "-") && !strings.HasPrefix(str(cm["key"]), "ror") {
						continue // base FHIR invariants copied into the differential
					}
					found := false
					if ocs, ok := oe["constraint"].([]any); ok {
						for _, oc := range ocs {
							om, _ := oc.(map[string]any)
							found = found || (om["key"] == cm["key"] && om["expression"] == cm["expression"])
						}
					}
					r.record(art, id, "constraint "+str(cm["key"]), found, diff(cm["expression"], nil), exc)
				}
			case k == "mustSupport":
				r.MustSupport++
				if oe != nil && oe["mustSupport"] == v {
					r.MustSupportOK++
				}
			}
		}
	}
}

func (r *CoverageReport) recordFact(art, id, fact string, want any, oe map[string]any, key string, exc map[string]string) {
	var got any
	if oe != nil {
		got = oe[key]
	}
	r.record(art, id, fact, got != nil && reflect.DeepEqual(want, got), diff(want, got), exc)
}

func diff(want, got any) string {
	w, _ := json.Marshal(want)
	if got == nil {
		return "not in our definitions: IG has " + string(w)
	}
	g, _ := json.Marshal(got)
	return "IG " + string(w) + ", ours " + string(g)
}

func elements(sd map[string]any) []map[string]any {
	d, _ := sd["differential"].(map[string]any)
	arr, _ := d["element"].([]any)
	out := make([]map[string]any, 0, len(arr))
	for _, e := range arr {
		if m, ok := e.(map[string]any); ok {
			out = append(out, m)
		}
	}
	return out
}

func str(v any) string { s, _ := v.(string); return s }

// normalize round-trips a value through JSON so that it compares with decoded IG files.
func normalize(v any) any {
	b, _ := json.Marshal(v)
	var out any
	_ = json.Unmarshal(b, &out)
	return out
}
