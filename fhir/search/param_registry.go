package search

import (
	"fmt"
	"sort"
	"strings"
	"time"
)

// Parameter types (SearchParameter.type).
const (
	TypeToken     = "token"
	TypeString    = "string"
	TypeDate      = "date"
	TypeNumber    = "number"
	TypeQuantity  = "quantity"
	TypeReference = "reference"
	TypeURI       = "uri"
	TypeSpecial   = "special"
	TypeComposite = "composite"
)

// Param is one search parameter, as a SearchParameter resource describes it.
type Param struct {
	Code        string   // the name used in queries ("name", "address-city", "_lastUpdated")
	Type        string   // token, string, date, number, quantity, reference, uri, special, composite
	Expression  string   // FHIRPath selecting the values, e.g. "Organization.name | Organization.alias"
	URL         string   // canonical URL of the SearchParameter (CapabilityStatement definition)
	Description string   // plain words
	Base        []string // resource types it applies to ("Resource" = every type)
	Targets     []string // reference: the resource types it may point to
	// Modifiers lists the modifiers accepted besides the ones every parameter of its type gets
	// (missing, and exact/contains for string, not/text/of-type for token...). Informational.
	Modifiers []string
	// ID is the id of the SearchParameter resource served for it ("" = the last segment of URL).
	ID string
	// Fix documents how the server's definition departs from a published one that is broken
	// ("" when it does not).
	Fix string
}

// Registry holds the search parameters the server supports and drives extraction and query
// parsing. It is immutable once built and safe for concurrent use.
type Registry struct {
	byType  map[string]map[string]*compiled // type → code → parameter (with "Resource" ones merged)
	all     []Param
	zone    *time.Location // zone of dates without one
	baseURL string         // this server's FHIR base, for absolute local references
}

// compiled is a parameter with its expression compiled for one resource type.
type compiled struct {
	Param
	paths []path // the alternatives of the expression that apply to the type
	fp    fpEval // FHIRPath fallback when the expression is beyond the path walker
}

// NewRegistry builds a registry from params. A parameter whose Base is "Resource" applies to every
// type any other parameter names (and to types added with ForTypes). An expression the path walker
// cannot handle is compiled with the FHIRPath engine; an expression neither can compile is an error.
func NewRegistry(params ...Param) (*Registry, error) {
	r := &Registry{byType: map[string]map[string]*compiled{}, zone: time.UTC}
	var generic []Param
	for _, p := range params {
		if p.Code == "" || p.Type == "" {
			return nil, fmt.Errorf("search parameter %q: code and type are required", p.URL)
		}
		if !knownType(p.Type) {
			return nil, fmt.Errorf("search parameter %s: unknown type %q", p.Code, p.Type)
		}
		r.all = append(r.all, p)
		for _, b := range p.Base {
			if b == "Resource" || b == "DomainResource" {
				generic = append(generic, p)
				continue
			}
			if r.byType[b] == nil {
				r.byType[b] = map[string]*compiled{}
			}
		}
	}
	for _, p := range params {
		for _, b := range p.Base {
			if b == "Resource" || b == "DomainResource" {
				continue
			}
			if err := r.add(b, p); err != nil {
				return nil, err
			}
		}
	}
	for typ, m := range r.byType {
		for _, p := range generic {
			if _, ok := m[p.Code]; ok {
				continue // a type-specific definition wins
			}
			if err := r.add(typ, p); err != nil {
				return nil, err
			}
		}
	}
	return r, nil
}

func (r *Registry) add(typ string, p Param) error {
	c, err := compileParam(typ, p)
	if err != nil {
		return fmt.Errorf("search parameter %s on %s: %w", p.Code, typ, err)
	}
	if prev, ok := r.byType[typ][p.Code]; ok && prev.URL != p.URL {
		return fmt.Errorf("search parameter %s defined twice on %s (%s and %s)", p.Code, typ, prev.URL, p.URL)
	}
	r.byType[typ][p.Code] = c
	return nil
}

func knownType(t string) bool {
	switch t {
	case TypeToken, TypeString, TypeDate, TypeNumber, TypeQuantity, TypeReference, TypeURI, TypeSpecial, TypeComposite:
		return true
	}
	return false
}

// WithZone returns a copy of r that reads dates without a zone ("2024-05-01", "2024-05-01T10:00")
// in loc instead of UTC.
func (r *Registry) WithZone(loc *time.Location) *Registry {
	c := *r
	c.zone = loc
	return &c
}

// WithBaseURL returns a copy of r that treats absolute references starting with base (this
// server's FHIR base URL, e.g. "https://ror.example.fr/fhir") as local "Type/id" references.
func (r *Registry) WithBaseURL(base string) *Registry {
	c := *r
	c.baseURL = strings.TrimSuffix(base, "/")
	return &c
}

// Lookup returns the parameter code of resource type typ.
func (r *Registry) Lookup(typ, code string) (Param, bool) {
	c, ok := r.byType[typ][code]
	if !ok {
		return Param{}, false
	}
	return c.Param, true
}

// Params returns the parameters of resource type typ, sorted by code (for the
// CapabilityStatement).
func (r *Registry) Params(typ string) []Param {
	m := r.byType[typ]
	out := make([]Param, 0, len(m))
	for _, c := range m {
		out = append(out, c.Param)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Code < out[j].Code })
	return out
}

// All returns every parameter the registry was built from, in the order given.
func (r *Registry) All() []Param {
	return append([]Param(nil), r.all...)
}

// Types returns the resource types that have parameters, sorted.
func (r *Registry) Types() []string {
	out := make([]string, 0, len(r.byType))
	for t := range r.byType {
		out = append(out, t)
	}
	sort.Strings(out)
	return out
}

// unsorted are parameters the server keeps no sort key for (to keep the index small): _id (the
// stores sort by id natively), meta codes and URIs, and phonetic (the same values as name).
var unsorted = map[string]bool{"_id": true, "_profile": true, "_security": true, "_source": true, "_tag": true, "phonetic": true}

// Sortable reports whether _sort accepts p (_id is always accepted).
func Sortable(p Param) bool {
	return p.Type != TypeSpecial && p.Type != TypeComposite && !unsorted[p.Code]
}
