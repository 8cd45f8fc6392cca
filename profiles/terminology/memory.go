// Package terminology answers terminology questions (is this code in that value set? what does the
// value set contain?) from ValueSet and CodeSystem resources held in memory as raw FHIR JSON, e.g.
// the NOS value sets the ROR profiles bind to. The server stores these as ordinary resources and
// loads them through a Source.
//
// Bound URL vs published url: a few NOS files publish a `url` that differs from the canonical the
// ROR profiles bind to (J237 ".tabs", J202 "JDV_J20", J186 "JDV_J18...tabs"). A NOS value set is
// therefore also registered under the canonical form derived from the last segment of its url
// (https://mos.esante.gouv.fr/NOS/JDV_Jnn-Name/FHIR/JDV-Jnn-Name), unless another resource
// publishes that url; Aliases lists these matches.
//
// This package must not import any other package of the project.
package terminology

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"
)

// Sentinel errors of Expand.
var (
	ErrUnknownValueSet = errors.New("value set not loaded")
	// ErrNotEnumerable: the value set is defined by a filter or by a code system that is not loaded.
	ErrNotEnumerable = errors.New("value set cannot be expanded from what is loaded")
)

// Result is the answer of ValidateCode.
type Result struct {
	ValueSetKnown bool   // the value set is loaded
	Undecided     bool   // loaded, but its content for this system is not (filter, code system not loaded)
	Valid         bool   // the code is in the value set
	Display       string // the display of the code, when valid
	Message       string // why not, in plain words
}

// Concept is one code of an expansion.
type Concept struct {
	System  string
	Code    string
	Display string
}

// Source provides the raw JSON of the ValueSet and CodeSystem resources to load.
type Source interface {
	Resources(ctx context.Context) ([][]byte, error)
}

// Memory is an immutable, in-memory terminology: safe for concurrent use.
type Memory struct {
	valueSets   map[string]*valueSet
	codeSystems map[string]map[string]string // url -> code -> display
	aliases     map[string]string            // bound url -> published url
}

type valueSet struct {
	url     string
	title   string
	systems map[string]*systemCodes
	// codeOnly: concepts listed without a system (J228 as published); matched on the code alone.
	codeOnly map[string]string
	// partial: some part could not be resolved (a value set that is not loaded).
	partial bool
}

type systemCodes struct {
	codes     map[string]string
	undecided bool // a filter or an unloaded code system: codes outside the list are not known
}

// ValidateCode says whether (system, code) belongs to the value set. An empty system matches the
// code in any system of the value set (code and string elements).
func (m *Memory) ValidateCode(ctx context.Context, valueSetURL, system, code string) (Result, error) {
	if err := ctx.Err(); err != nil {
		return Result{}, fmt.Errorf("terminology: validate code: %w", err)
	}
	vs := m.lookup(valueSetURL)
	if vs == nil {
		return Result{Message: "value set " + valueSetURL + " is not loaded"}, nil
	}
	r := Result{ValueSetKnown: true}
	if system == "" {
		undecided := vs.partial
		for _, sc := range vs.systems {
			if d, ok := sc.codes[code]; ok {
				r.Valid, r.Display = true, d
				return r, nil
			}
			undecided = undecided || sc.undecided
		}
		if d, ok := vs.codeOnly[code]; ok {
			r.Valid, r.Display = true, d
			return r, nil
		}
		r.Undecided = undecided
		r.Message = fmt.Sprintf("code %q is not in value set %s", code, valueSetURL)
		return r, nil
	}
	if sc, ok := vs.systems[system]; ok {
		if d, ok := sc.codes[code]; ok {
			r.Valid, r.Display = true, d
			return r, nil
		}
		r.Undecided = sc.undecided
	} else if d, ok := vs.codeOnly[code]; ok {
		r.Valid, r.Display = true, d
		return r, nil
	} else {
		r.Undecided = vs.partial
	}
	r.Message = fmt.Sprintf("code %q of system %s is not in value set %s", code, system, valueSetURL)
	return r, nil
}

// Expand lists the codes of a value set whose code or display contains filter (case-insensitive;
// empty: all), sorted by system and code.
func (m *Memory) Expand(ctx context.Context, url, filter string) ([]Concept, error) {
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("terminology: expand: %w", err)
	}
	vs := m.lookup(url)
	if vs == nil {
		return nil, fmt.Errorf("terminology: expand %s: %w", url, ErrUnknownValueSet)
	}
	if vs.partial {
		return nil, fmt.Errorf("terminology: expand %s: %w", url, ErrNotEnumerable)
	}
	f := strings.ToLower(filter)
	var out []Concept
	keep := func(sys, code, disp string) {
		if f == "" || strings.Contains(strings.ToLower(code), f) || strings.Contains(strings.ToLower(disp), f) {
			out = append(out, Concept{System: sys, Code: code, Display: disp})
		}
	}
	for sys, sc := range vs.systems {
		if sc.undecided {
			return nil, fmt.Errorf("terminology: expand %s (system %s): %w", url, sys, ErrNotEnumerable)
		}
		for code, disp := range sc.codes {
			keep(sys, code, disp)
		}
	}
	for code, disp := range vs.codeOnly {
		keep("", code, disp)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].System != out[j].System {
			return out[i].System < out[j].System
		}
		return out[i].Code < out[j].Code
	})
	return out, nil
}

// HasValueSet says whether a value set is loaded (under its url or an alias).
func (m *Memory) HasValueSet(url string) bool { return m.lookup(url) != nil }

// ValueSets returns the urls of the loaded value sets, sorted.
func (m *Memory) ValueSets() []string {
	out := make([]string, 0, len(m.valueSets))
	for u, vs := range m.valueSets {
		if vs.url == u {
			out = append(out, u)
		}
	}
	sort.Strings(out)
	return out
}

// Aliases returns the bound urls matched to a value set published under another url.
func (m *Memory) Aliases() map[string]string {
	out := make(map[string]string, len(m.aliases))
	for k, v := range m.aliases {
		out[k] = v
	}
	return out
}

func (m *Memory) lookup(url string) *valueSet {
	url, _, _ = strings.Cut(url, "|")
	return m.valueSets[url]
}
