package profiles

import (
	"strconv"
	"strings"
)

// loc is the FHIRPath location of an item, kept as a chain and rendered only when an issue is
// reported (building strings for every element would dominate the cost of a validation).
type loc struct {
	parent *loc
	name   string // property name; the resource type at the root
	idx    int    // array index, -1 when single-valued or counting the whole element
	ofType string // FHIR type of a choice element ("value.ofType(CodeableConcept)")
	suffix string // a fixed tail (".coding[0].code", ".reference")
}

func (l *loc) String() string {
	var parts []*loc
	for p := l; p != nil; p = p.parent {
		parts = append(parts, p)
	}
	var b strings.Builder
	for i := len(parts) - 1; i >= 0; i-- {
		p := parts[i]
		if i != len(parts)-1 {
			b.WriteByte('.')
		}
		b.WriteString(p.name)
		if p.ofType != "" {
			b.WriteString(".ofType(")
			b.WriteString(p.ofType)
			b.WriteByte(')')
		}
		if p.idx >= 0 {
			b.WriteByte('[')
			b.WriteString(strconv.Itoa(p.idx))
			b.WriteByte(']')
		}
		b.WriteString(p.suffix)
	}
	return b.String()
}

// with returns a copy of l with a fixed tail.
func (l *loc) with(suffix string) *loc {
	c := *l
	c.suffix += suffix
	return &c
}

// elemRef is the element path with slice names ("HealthcareService.characteristic:careMode"),
// rendered only for messages.
type elemRef struct {
	parent *elemRef
	name   string
	sep    byte // '.' or ':'
}

func (e *elemRef) String() string {
	if e == nil {
		return ""
	}
	if e.parent == nil {
		return e.name
	}
	return e.parent.String() + string(e.sep) + e.name
}

// plain renders the element path without slice names.
func (e *elemRef) plain() string {
	if e == nil {
		return ""
	}
	if e.parent == nil {
		return e.name
	}
	if e.sep == ':' {
		return e.parent.plain()
	}
	return e.parent.plain() + "." + e.name
}

// text is a fixed expression.
type text string

func (t text) String() string { return string(t) }
