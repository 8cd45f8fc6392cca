package profiles

import (
	"context"
	"fmt"
	"strings"

	"github.com/rorfhir/ror/fhir/fherr"
)

// state is the per-call walk state: the issues found so far.
type state struct {
	ctx    context.Context
	v      *Validator
	cfg    validateConfig
	issues []fherr.Issue
}

func (st *state) add(sev, code string, where fmt.Stringer, format string, args ...any) {
	is := fherr.Issue{Severity: sev, Code: code, Diagnostics: fmt.Sprintf(format, args...)}
	if expr := where.String(); expr != "" {
		is.Expression = []string{expr}
	}
	st.issues = append(st.issues, is)
}

// collect returns the occurrences of child c in obj (with its primitive companion "_name"), and
// reports a choice element whose type is not allowed. elemPath is the element path without
// indices (for messages and extension contexts).
func (st *state) collect(c *node, obj map[string]any, parent *loc, elem *elemRef) []item {
	if obj == nil {
		return nil
	}
	if c.choice {
		prefix := strings.TrimSuffix(c.name, "[x]")
		for k, val := range obj {
			if len(k) <= len(prefix) || !strings.HasPrefix(k, prefix) || k[len(prefix)] < 'A' || k[len(prefix)] > 'Z' {
				continue
			}
			typ := k[len(prefix):]
			it := item{v: val, typ: typ, loc: loc{parent: parent, name: prefix, idx: -1, ofType: fhirType(typ)}}
			if len(c.types) > 0 && !typeAllowed(c.types, typ) {
				st.add("error", "structure", &it.loc, "%s: type %s is not allowed here, expected %s",
					&elemRef{parent: elem, name: c.name, sep: '.'}, fhirType(typ), strings.Join(c.types, " or "))
			}
			it.ext, _ = obj["_"+k].(map[string]any)
			return []item{it}
		}
		return nil
	}
	val, ok := obj[c.name]
	companionRaw := obj["_"+c.name]
	if !ok && companionRaw == nil {
		return nil
	}
	if arr, isArr := val.([]any); isArr || (!ok && isArray(companionRaw)) {
		comp, _ := companionRaw.([]any)
		n := len(arr)
		if len(comp) > n {
			n = len(comp)
		}
		out := make([]item, n)
		for i := 0; i < n; i++ {
			out[i].loc = loc{parent: parent, name: c.name, idx: i}
			if i < len(arr) {
				out[i].v = arr[i]
			}
			if i < len(comp) {
				out[i].ext, _ = comp[i].(map[string]any)
			}
		}
		return out
	}
	companion, _ := companionRaw.(map[string]any)
	return []item{{v: val, ext: companion, loc: loc{parent: parent, name: c.name, idx: -1}}}
}

func isArray(v any) bool { _, ok := v.([]any); return ok }

// fhirType turns a JSON choice suffix into the FHIR type name: "String" -> "string",
// "CodeableConcept" stays.
func fhirType(suffix string) string {
	switch suffix {
	case "Boolean", "Integer", "String", "Decimal", "Uri", "Url", "Canonical", "Base64Binary", "Instant",
		"Date", "DateTime", "Time", "Code", "Oid", "Id", "Markdown", "UnsignedInt", "PositiveInt", "Uuid":
		return strings.ToLower(suffix[:1]) + suffix[1:]
	}
	return suffix
}

func typeAllowed(types []string, typ string) bool {
	for _, t := range types {
		if strings.EqualFold(t, typ) {
			return true
		}
	}
	return false
}

// walkChildren checks every constrained child of n in obj. Locations and element names are
// only allocated for children that are present or required.
func (st *state) walkChildren(n *node, obj map[string]any, path *loc, elemPath *elemRef) {
	for _, c := range n.children {
		items := st.collect(c, obj, path, elemPath)
		if len(items) == 0 && !c.required {
			continue
		}
		childElem := &elemRef{parent: elemPath, name: c.name, sep: '.'}
		st.checkCard(c, len(items), path, childElem)
		for i := range items {
			st.checkItem(c, &items[i], childElem)
		}
		if len(c.slices) > 0 {
			st.checkSlices(c, items, path, childElem)
		}
		if c.isExt && len(items) > 0 {
			st.checkOtherExtensions(n, c, items, elemPath)
		}
	}
}

// whole is the location of all the occurrences of n under parent (for cardinality issues).
func whole(parent *loc, n *node) *loc { return &loc{parent: parent, name: n.prop, idx: -1} }

func (st *state) checkCard(n *node, count int, parent *loc, elem *elemRef) {
	if n.min > 0 && count < n.min {
		if st.cfg.serverMeta && n.serverMeta && elem.parent != nil && elem.parent.parent != nil && elem.parent.parent.parent == nil {
			return
		}
		if count == 0 {
			st.add("error", "required", whole(parent, n), "%s is required (minimum %d), but it is missing", elem, n.min)
		} else {
			st.add("error", "required", whole(parent, n), "%s: at least %d expected, found %d", elem, n.min, count)
		}
	}
	if n.max >= 0 && count > n.max {
		if n.max == 0 {
			st.add("error", "structure", whole(parent, n), "%s is not allowed here (maximum 0), found %d", elem, count)
		} else {
			st.add("error", "structure", whole(parent, n), "%s: at most %d allowed, found %d", elem, n.max, count)
		}
	}
}

// checkItem checks one occurrence against the constraints of n, then its children.
func (st *state) checkItem(n *node, it *item, elem *elemRef) {
	if n.fixed != nil && !deepEqual(it.v, n.fixed) {
		st.add("error", "value", &it.loc, "%s must be exactly %s, found %s", elem, show(n.fixed), show(it.v))
	}
	if n.pattern != nil && !matchesPattern(it.v, n.pattern) {
		st.add("error", "value", &it.loc, "%s must match the pattern %s, found %s", elem, show(n.pattern), show(it.v))
	}
	if it.typ != "" && n.choice {
		st.checkPrimitiveKind(it, elem)
	}
	if n.bind != nil && it.v != nil && (n.bind.Strength == "required" || n.bind.Strength == "extensible") {
		st.checkBinding(n.bind, it, elem)
	}
	if len(n.targets) > 0 {
		st.checkReference(n.targets, it, elem)
	}
	for _, inv := range n.invs {
		st.checkInvariant(inv, it)
	}
	obj := it.obj()
	if n.ext != nil && obj != nil {
		st.checkExtension(n.ext, it, elem)
	}
	if obj != nil && len(n.children) > 0 {
		st.walkChildren(n, obj, &it.loc, elem)
	}
}

// checkSlices assigns each occurrence to its slice, checks slice cardinalities, the constraints of
// each slice on its members and closed slicings.
func (st *state) checkSlices(n *node, items []item, parent *loc, elem *elemRef) {
	var buf [24]int
	var counts []int
	if len(n.slices) > len(buf) {
		counts = make([]int, len(n.slices))
	} else {
		counts = buf[:len(n.slices)]
	}
	for i := range items {
		it := &items[i]
		matched := -1
		for si, s := range n.slices {
			if sliceMatches(s, it) {
				matched = si
				break
			}
		}
		if matched < 0 {
			if n.slicing != nil && n.slicing.Rules == "closed" {
				st.add("error", "structure", &it.loc, "%s: this occurrence matches none of the slices (%s) and the slicing is closed",
					elem, sliceNames(n))
			}
			continue
		}
		counts[matched]++
		s := n.slices[matched]
		st.checkItem(s.node, it, &elemRef{parent: elem, name: s.name, sep: ':'})
	}
	for si, s := range n.slices {
		sn := s.node
		name := &elemRef{parent: elem, name: s.name, sep: ':'}
		if sn.min > 0 && counts[si] < sn.min {
			st.add("error", "required", whole(parent, n), "%s is required (minimum %d%s), found %d", name, sn.min, sliceHint(s), counts[si])
		}
		if sn.max >= 0 && counts[si] > sn.max {
			st.add("error", "structure", whole(parent, n), "%s: at most %d allowed%s, found %d", name, sn.max, sliceHint(s), counts[si])
		}
	}
}

func sliceMatches(s *slice, it *item) bool {
	if len(s.matchers) == 0 {
		return false
	}
	for _, m := range s.matchers {
		if !m(it) {
			return false
		}
	}
	return true
}

func sliceHint(s *slice) string {
	if s.node.extURL != "" {
		return ", extension " + s.node.extURL
	}
	return ""
}

func sliceNames(n *node) string {
	names := make([]string, len(n.slices))
	for i, s := range n.slices {
		names[i] = s.name
	}
	return strings.Join(names, ", ")
}
