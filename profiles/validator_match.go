package profiles

import (
	"reflect"
	"strings"
)

// item is one occurrence of an element in the resource: its JSON value, the companion object of a
// primitive ("_line"[i]: id and extensions) and, for a choice element, the chosen type.
type item struct {
	v   any
	ext map[string]any
	typ string
	loc loc
}

// obj returns the object holding the item's children (the companion object for primitives).
func (it *item) obj() map[string]any {
	if m, ok := it.v.(map[string]any); ok {
		return m
	}
	return it.ext
}

// matcher decides whether an item belongs to a slice. Matchers are built once, at construction.
type matcher func(it *item) bool

func urlIs(url string) matcher {
	return func(it *item) bool {
		m, _ := it.v.(map[string]any)
		u, _ := m["url"].(string)
		return u == url
	}
}

// valueIn: some value at path (dotted, arrays flattened) is one of vals.
func valueIn(path string, vals []string) matcher {
	segs := strings.Split(path, ".")
	set := make(map[string]bool, len(vals))
	for _, v := range vals {
		set[v] = true
	}
	return func(it *item) bool {
		found := false
		eachAt(it.v, segs, func(v any) bool {
			if s, ok := v.(string); ok && set[s] {
				found = true
				return false
			}
			return true
		})
		return found
	}
}

// patternAt: some value at path matches pattern (FHIR pattern semantics).
func patternAt(path string, pattern any) matcher {
	var segs []string
	if path != "" {
		segs = strings.Split(path, ".")
	}
	return func(it *item) bool {
		found := false
		eachAt(it.v, segs, func(v any) bool {
			if matchesPattern(v, pattern) {
				found = true
				return false
			}
			return true
		})
		return found
	}
}

// extPresent: the item has (want=true) or has not (want=false) an extension with url whose
// value matches pattern (nil: any value).
func extPresent(url string, want bool, pattern any) matcher {
	return func(it *item) bool {
		has := false
		m := it.obj()
		exts, _ := m["extension"].([]any)
		for _, e := range exts {
			em, _ := e.(map[string]any)
			if u, _ := em["url"].(string); u != url {
				continue
			}
			if pattern == nil {
				has = true
				break
			}
			for k, v := range em {
				if strings.HasPrefix(k, "value") && matchesPattern(v, pattern) {
					has = true
				}
			}
		}
		return has == want
	}
}

func typeIn(types []string) matcher {
	return func(it *item) bool {
		for _, t := range types {
			if strings.EqualFold(t, it.typ) {
				return true
			}
		}
		return false
	}
}

// eachAt calls f with every value found at the path under v, arrays flattened; f returns false to stop.
func eachAt(v any, segs []string, f func(any) bool) bool {
	if arr, ok := v.([]any); ok {
		for _, x := range arr {
			if !eachAt(x, segs, f) {
				return false
			}
		}
		return true
	}
	if len(segs) == 0 {
		return f(v)
	}
	m, ok := v.(map[string]any)
	if !ok {
		return true
	}
	next, ok := m[segs[0]]
	if !ok {
		return true
	}
	return eachAt(next, segs[1:], f)
}

// matchesPattern: every property of the pattern is in v with a matching value; every element of a
// pattern array matches some element of v's array; primitives are equal.
func matchesPattern(v, pattern any) bool {
	switch p := pattern.(type) {
	case map[string]any:
		m, ok := v.(map[string]any)
		if !ok {
			return false
		}
		for k, pv := range p {
			if !matchesPattern(m[k], pv) {
				return false
			}
		}
		return true
	case []any:
		arr, ok := v.([]any)
		if !ok {
			return false
		}
		for _, pv := range p {
			hit := false
			for _, x := range arr {
				if matchesPattern(x, pv) {
					hit = true
					break
				}
			}
			if !hit {
				return false
			}
		}
		return true
	default:
		return reflect.DeepEqual(v, pattern)
	}
}

// discMatchers builds the matchers of slice s of n from the slicing discriminators and the slice's
// constraints (fixed/pattern values, extension slices). Discriminators that cannot be evaluated
// (the IG's "url" on a Coding, for instance) give no matcher; a slice with no matcher at all never
// matches, so only its max cardinality... is trivially met and its min is reported.
func (c *compiler) discMatchers(n *node, s *slice) []matcher {
	if n.slicing == nil {
		return nil
	}
	hasMatch := len(s.matchers) > 0
	var out []matcher
	for _, d := range n.slicing.Disc {
		typ, path, _ := strings.Cut(d, ":")
		switch {
		case typ == "type" && path == "$this":
			out = append(out, typeIn(s.node.types))
		case strings.HasPrefix(path, "extension("):
			url := strings.TrimSuffix(strings.TrimPrefix(path, "extension("), ")")
			en := s.node.find("extension")
			if en == nil {
				continue
			}
			for _, es := range en.slices {
				if es.node.extURL != url {
					continue
				}
				if es.node.max == 0 {
					out = append(out, extPresent(url, false, nil))
				} else {
					var pat any
					if vn := es.node.find("value[x]"); vn != nil {
						pat = vn.pattern
						if pat == nil {
							pat = vn.fixed
						}
					}
					out = append(out, extPresent(url, true, pat))
				}
			}
		case hasMatch:
			// a Match rule replaces value discriminators
		default:
			if m := valueMatcher(s.node, path); m != nil {
				out = append(out, m)
			}
		}
	}
	return out
}

// valueMatcher finds the fixed or pattern value that discriminates at path, on the element itself or
// on an ancestor (a pattern on identifier.type discriminates identifier.type.coding.code).
func valueMatcher(sn *node, path string) matcher {
	segs := strings.Split(path, ".")
	for i := len(segs); i >= 1; i-- {
		prefix := strings.Join(segs[:i], ".")
		en := sn.find(prefix)
		if en == nil {
			continue
		}
		if en.fixed != nil {
			return patternAt(prefix, en.fixed)
		}
		if en.pattern != nil {
			return patternAt(prefix, en.pattern)
		}
	}
	return nil
}
