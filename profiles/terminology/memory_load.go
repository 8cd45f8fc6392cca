package terminology

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// DirSource reads every *.json file of its directories (non-recursive).
type DirSource []string

// Resources implements Source.
func (d DirSource) Resources(ctx context.Context) ([][]byte, error) {
	var out [][]byte
	for _, dir := range d {
		names, err := filepath.Glob(filepath.Join(dir, "*.json"))
		if err != nil {
			return nil, fmt.Errorf("terminology: list %s: %w", dir, err)
		}
		sort.Strings(names)
		for _, n := range names {
			if err := ctx.Err(); err != nil {
				return nil, fmt.Errorf("terminology: read %s: %w", dir, err)
			}
			b, err := os.ReadFile(n)
			if err != nil {
				return nil, fmt.Errorf("terminology: read %s: %w", n, err)
			}
			out = append(out, b)
		}
	}
	return out, nil
}

// BytesSource is a fixed list of resources.
type BytesSource [][]byte

// Resources implements Source.
func (b BytesSource) Resources(context.Context) ([][]byte, error) { return b, nil }

type rawConcept struct {
	Code    string       `json:"code"`
	Display string       `json:"display"`
	Concept []rawConcept `json:"concept"`
}

type rawInclude struct {
	System   string       `json:"system"`
	Concept  []rawConcept `json:"concept"`
	Filter   []any        `json:"filter"`
	ValueSet []string     `json:"valueSet"`
}

type rawResource struct {
	ResourceType string       `json:"resourceType"`
	URL          string       `json:"url"`
	Title        string       `json:"title"`
	Concept      []rawConcept `json:"concept"` // CodeSystem
	Compose      struct {
		Include []rawInclude `json:"include"`
		Exclude []rawInclude `json:"exclude"`
	} `json:"compose"`
	Expansion struct {
		Contains []struct {
			System  string `json:"system"`
			Code    string `json:"code"`
			Display string `json:"display"`
		} `json:"contains"`
	} `json:"expansion"`
}

// Load reads every ValueSet and CodeSystem of src (other resources, and value sets without url,
// are ignored) and resolves the value sets into code lists.
func Load(ctx context.Context, src Source) (*Memory, error) {
	bodies, err := src.Resources(ctx)
	if err != nil {
		return nil, fmt.Errorf("terminology: load: %w", err)
	}
	m := &Memory{valueSets: map[string]*valueSet{}, codeSystems: map[string]map[string]string{}, aliases: map[string]string{}}
	raws := map[string]*rawResource{}
	var order []string
	for i, b := range bodies {
		b = trimBOM(b)
		var r rawResource
		if err := json.Unmarshal(b, &r); err != nil {
			return nil, fmt.Errorf("terminology: resource %d: %w", i, err)
		}
		switch r.ResourceType {
		case "CodeSystem":
			codes := map[string]string{}
			flatten(r.Concept, codes)
			m.codeSystems[r.URL] = codes
		case "ValueSet":
			if r.URL == "" { // nothing can bind to it (a stored draft): skipped
				continue
			}
			rr := r
			raws[r.URL] = &rr
			order = append(order, r.URL)
		}
	}
	for _, u := range order {
		m.resolve(u, raws, map[string]bool{})
	}
	for _, u := range order {
		if alias := nosCanonical(u); alias != "" && alias != u {
			if cur, taken := m.valueSets[alias]; !taken || cur == m.valueSets[u] {
				m.valueSets[alias] = m.valueSets[u]
				m.aliases[alias] = u
			}
		}
	}
	return m, nil
}

func trimBOM(b []byte) []byte {
	if len(b) >= 3 && b[0] == 0xEF && b[1] == 0xBB && b[2] == 0xBF {
		return b[3:]
	}
	return b
}

func flatten(cs []rawConcept, into map[string]string) {
	for _, c := range cs {
		into[c.Code] = c.Display
		flatten(c.Concept, into)
	}
}

// nosCanonical derives the canonical NOS url from the last segment of a published url:
// ".../JDV-J237-RegionOM-ROR" -> "https://mos.esante.gouv.fr/NOS/JDV_J237-RegionOM-ROR/FHIR/JDV-J237-RegionOM-ROR".
func nosCanonical(url string) string {
	const nos = "https://mos.esante.gouv.fr/NOS/"
	if !strings.HasPrefix(url, nos) {
		return ""
	}
	last := url[strings.LastIndex(url, "/")+1:]
	if !strings.HasPrefix(last, "JDV-") && !strings.HasPrefix(last, "TRE-") {
		return ""
	}
	return nos + strings.Replace(last, "-", "_", 1) + "/FHIR/" + last
}

// resolve compiles value set url (and the value sets it includes).
func (m *Memory) resolve(url string, raws map[string]*rawResource, busy map[string]bool) *valueSet {
	if vs, ok := m.valueSets[url]; ok {
		return vs
	}
	r, ok := raws[url]
	if !ok {
		if alias := nosCanonical(url); alias != "" {
			for u := range raws {
				if nosCanonical(u) == alias {
					r, ok = raws[u], true
				}
			}
		}
		if !ok {
			return nil
		}
	}
	if busy[url] {
		return &valueSet{url: url, partial: true}
	}
	busy[url] = true
	vs := &valueSet{url: r.URL, title: r.Title, systems: map[string]*systemCodes{}, codeOnly: map[string]string{}}
	sys := func(s string) *systemCodes {
		sc := vs.systems[s]
		if sc == nil {
			sc = &systemCodes{codes: map[string]string{}}
			vs.systems[s] = sc
		}
		return sc
	}
	for _, inc := range r.Compose.Include {
		for _, ref := range inc.ValueSet {
			sub := m.resolve(strings.SplitN(ref, "|", 2)[0], raws, busy)
			if sub == nil {
				vs.partial = true
				continue
			}
			vs.partial = vs.partial || sub.partial
			for s, sc := range sub.systems {
				t := sys(s)
				t.undecided = t.undecided || sc.undecided
				for c, d := range sc.codes {
					t.codes[c] = d
				}
			}
			for c, d := range sub.codeOnly {
				vs.codeOnly[c] = d
			}
		}
		switch {
		case inc.System == "" && len(inc.Concept) > 0:
			for _, c := range inc.Concept {
				vs.codeOnly[c.Code] = c.Display
			}
		case inc.System == "":
		case len(inc.Concept) > 0:
			t := sys(inc.System)
			for _, c := range inc.Concept {
				d := c.Display
				if d == "" {
					d = m.codeSystems[inc.System][c.Code]
				}
				t.codes[c.Code] = d
			}
		case len(inc.Filter) == 0 && m.codeSystems[inc.System] != nil:
			t := sys(inc.System)
			for c, d := range m.codeSystems[inc.System] {
				t.codes[c] = d
			}
		default: // a filter, or a whole code system that is not loaded
			sys(inc.System).undecided = true
		}
	}
	for _, exc := range r.Compose.Exclude {
		if sc := vs.systems[exc.System]; sc != nil {
			for _, c := range exc.Concept {
				delete(sc.codes, c.Code)
			}
		}
	}
	for _, c := range r.Expansion.Contains {
		sys(c.System).codes[c.Code] = c.Display
	}
	m.valueSets[r.URL] = vs
	if url != r.URL {
		m.valueSets[url] = vs
	}
	return vs
}
