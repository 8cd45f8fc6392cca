package search

import (
	"bytes"
	"encoding/json"
	"math"
	"sort"
	"strings"

	"github.com/rorfhir/ror/fhir/fherr"
	"github.com/rorfhir/ror/fhir/textfold"
	"github.com/rorfhir/ror/store"
)

// Synthetic parameter names derived from a parameter code (store.Index treats them as opaque).
const (
	suffixOfType     = ":of-type"    // identifier type + value, for token :of-type
	suffixIdentifier = ":identifier" // identifier of a reference, for reference :identifier
)

// Extract evaluates every parameter of resource type typ on body (a stamped resource) and returns
// its values in the store's flat form, with one sort key per sortable parameter (_id and
// _lastUpdated included).
func (r *Registry) Extract(typ string, body []byte) (store.Index, error) {
	var idx store.Index
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	var doc any
	if err := dec.Decode(&doc); err != nil {
		return idx, fherr.Invalid("structure", "", "the resource is not valid JSON: %v", err)
	}
	root, ok := doc.(map[string]any)
	if !ok {
		return idx, fherr.Invalid("structure", "", "the resource is not a JSON object")
	}
	params := r.byType[typ]
	codes := make([]string, 0, len(params))
	for code := range params {
		codes = append(codes, code)
	}
	sort.Strings(codes)
	x := extractor{r: r, idx: &idx, folded: map[string]string{}}
	for _, code := range codes {
		c := params[code]
		vals, err := c.values(root, body)
		if err != nil {
			return idx, fherr.Wrap(err, fherr.KindInvalid, "processing", c.Expression, "search parameter %s could not be evaluated", code)
		}
		x.add(c, vals)
	}
	return idx, nil
}

// values evaluates the parameter's expression on the decoded resource.
func (c *compiled) values(root map[string]any, body []byte) ([]any, error) {
	if c.fp != nil {
		return c.fp(body)
	}
	var out []any
	for _, p := range c.paths {
		out = append(out, walk(root, p)...)
	}
	return out, nil
}

// walk follows p from root, flattening arrays and applying the steps' filters.
func walk(root map[string]any, p path) []any {
	cur := []any{root}
	for _, st := range p {
		var next []any
		for _, n := range cur {
			m, ok := n.(map[string]any)
			if !ok {
				continue
			}
			if st.ofType != "" {
				next = appendFlat(next, m[st.name+st.ofType])
				continue
			}
			if v, ok := m[st.name]; ok {
				next = appendFlat(next, v)
				continue
			}
			for k, v := range m { // a choice element: valueString, effectivePeriod...
				if len(k) > len(st.name) && strings.HasPrefix(k, st.name) && k[len(st.name)] >= 'A' && k[len(st.name)] <= 'Z' {
					next = appendFlat(next, v)
				}
			}
		}
		if st.whereField != "" || st.resolveIs != "" {
			kept := next[:0]
			for _, v := range next {
				m, ok := v.(map[string]any)
				if !ok {
					continue
				}
				if st.whereField != "" {
					if s, _ := m[st.whereField].(string); s != st.whereValue {
						continue
					}
				}
				if st.resolveIs != "" {
					ref, _ := m["reference"].(string)
					if t, _, _ := splitLocalRef(ref, ""); t != st.resolveIs {
						continue
					}
				}
				kept = append(kept, v)
			}
			next = kept
		}
		cur = next
	}
	return cur
}

func appendFlat(out []any, v any) []any {
	switch t := v.(type) {
	case nil:
		return out
	case []any:
		for _, e := range t {
			if e != nil {
				out = append(out, e)
			}
		}
		return out
	default:
		return append(out, v)
	}
}

// extractor turns evaluated values into index entries.
type extractor struct {
	r      *Registry
	idx    *store.Index
	folded map[string]string // the same strings feed several parameters (name, phonetic...)
}

func (x extractor) fold(s string) string {
	if f, ok := x.folded[s]; ok {
		return f
	}
	f := textfold.Fold(s)
	x.folded[s] = f
	return f
}

func (x extractor) add(c *compiled, vals []any) {
	code := c.Code
	sortKey, hasSort := "", false
	keep := func(k string) {
		if !hasSort || k < sortKey {
			sortKey, hasSort = k, true
		}
	}
	for _, v := range vals {
		switch c.Type {
		case TypeToken:
			for _, tv := range tokenValues(code, v) {
				x.idx.Tokens = append(x.idx.Tokens, tv)
				if tv.Param == code {
					keep(tv.Code)
				}
			}
		case TypeString:
			for _, s := range stringLeaves(v) {
				norm := x.fold(s)
				x.idx.Strings = append(x.idx.Strings, store.StringValue{Param: code, Norm: norm, Exact: s})
				keep(norm)
			}
		case TypeDate:
			if lo, hi, ok := x.dateValue(v); ok {
				x.idx.Dates = append(x.idx.Dates, store.DateValue{Param: code, Lo: lo, Hi: hi})
				keep(int64Key(lo))
			}
		case TypeNumber, TypeQuantity:
			if nv, ok := numberValue(code, v); ok {
				x.idx.Numbers = append(x.idx.Numbers, nv)
				keep(float64Key(nv.Value))
			}
		case TypeReference:
			rv, ids, ok := x.referenceValue(code, v)
			if ok {
				x.idx.References = append(x.idx.References, rv)
				if rv.ID != "" {
					keep(rv.Type + "/" + rv.ID)
				} else {
					keep(rv.URL)
				}
			}
			x.idx.Tokens = append(x.idx.Tokens, ids...)
		case TypeURI:
			if s, ok := v.(string); ok {
				x.idx.URIs = append(x.idx.URIs, store.URIValue{Param: code, URI: s})
				keep(s)
			}
		case TypeSpecial:
			if m, ok := v.(map[string]any); ok {
				lat, ok1 := number(m["latitude"])
				lon, ok2 := number(m["longitude"])
				if ok1 && ok2 {
					x.idx.Coords = append(x.idx.Coords, store.CoordValue{Param: code, Lat: lat, Lon: lon})
				}
			}
		}
	}
	if hasSort && Sortable(c.Param) {
		x.idx.Sorts = append(x.idx.Sorts, store.SortValue{Param: code, Key: sortKey})
	}
}

func number(v any) (float64, bool) {
	n, ok := v.(json.Number)
	if !ok {
		return 0, false
	}
	f, err := n.Float64()
	return f, err == nil && !math.IsInf(f, 0)
}

func (x extractor) dateValue(v any) (lo, hi int64, ok bool) {
	switch t := v.(type) {
	case string:
		d, err := parseDateRange(t, x.r.zone)
		return d.Lo, d.Hi, err == nil
	case map[string]any: // Period
		lo, hi = math.MinInt64, math.MaxInt64
		s, hasS := t["start"].(string)
		e, hasE := t["end"].(string)
		if !hasS && !hasE {
			return 0, 0, false
		}
		if hasS {
			d, err := parseDateRange(s, x.r.zone)
			if err != nil {
				return 0, 0, false
			}
			lo = d.Lo
		}
		if hasE {
			d, err := parseDateRange(e, x.r.zone)
			if err != nil {
				return 0, 0, false
			}
			hi = d.Hi
		}
		return lo, hi, true
	}
	return 0, 0, false
}
