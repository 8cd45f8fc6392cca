package search

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/gofhir/fhirpath"
	"github.com/gofhir/fhirpath/types"
)

// step is one element of a simple path, with the filters FHIRPath search expressions use.
type step struct {
	name       string // element name; a choice element ("value") matches valueX members
	ofType     string // "Period" in value.ofType(Period) or "value as Period": only valuePeriod
	whereField string // where(system='email'): keep values whose whereField equals whereValue
	whereValue string
	resolveIs  string // where(resolve() is Organization): keep references to that type
}

// path is a sequence of steps below the resource root.
type path []step

// fpEval evaluates a FHIRPath expression on a resource body; nil when the walker handles it.
type fpEval func(body []byte) ([]any, error)

// compileParam compiles p's expression for resource type typ: into simple paths when every
// alternative is within what the walker handles, else with the FHIRPath engine.
func compileParam(typ string, p Param) (*compiled, error) {
	c := &compiled{Param: p}
	if p.Expression == "" {
		return c, nil
	}
	paths, ok := compilePaths(typ, p.Expression)
	if ok {
		c.paths = paths
		return c, nil
	}
	fp, err := compileFHIRPath(p.Expression)
	if err != nil {
		return nil, err
	}
	c.fp = fp
	return c, nil
}

// compileFHIRPath compiles expr with the FHIRPath engine.
func compileFHIRPath(expr string) (fpEval, error) {
	e, err := fhirpath.Compile(expr)
	if err != nil {
		return nil, fmt.Errorf("expression %q: %w", expr, err)
	}
	return func(body []byte) ([]any, error) {
		col, err := e.Evaluate(body)
		if err != nil {
			return nil, err
		}
		return fromCollection(col), nil
	}, nil
}

// compilePaths turns "A.b.c | (A.d.where(system='x')) | B.e" into the paths applying to typ.
// ok is false when some part is beyond the walker.
func compilePaths(typ, expr string) (paths []path, ok bool) {
	for _, alt := range splitTop(expr, '|') {
		alt = unparen(strings.TrimSpace(alt))
		if head, as, found := strings.Cut(alt, " as "); found {
			if !isIdent(as) {
				return nil, false
			}
			alt = unparen(strings.TrimSpace(head)) + ".ofType(" + as + ")"
		}
		segs := splitTop(alt, '.')
		if len(segs) < 2 {
			return nil, false
		}
		root := segs[0]
		if !isIdent(root) {
			return nil, false
		}
		if root != typ && root != "Resource" && root != "DomainResource" {
			continue // an alternative for another type
		}
		var pth path
		for _, s := range segs[1:] {
			switch {
			case isIdent(s):
				pth = append(pth, step{name: s})
			case len(pth) == 0:
				return nil, false
			case strings.HasPrefix(s, "ofType(") && strings.HasSuffix(s, ")") && isIdent(s[7:len(s)-1]):
				pth[len(pth)-1].ofType = s[7 : len(s)-1]
			case strings.HasPrefix(s, "where(") && strings.HasSuffix(s, ")"):
				if !parseWhere(s[6:len(s)-1], &pth[len(pth)-1]) {
					return nil, false
				}
			default:
				return nil, false
			}
		}
		paths = append(paths, pth)
	}
	return paths, true
}

// parseWhere understands "resolve() is T" and "field='value'".
func parseWhere(cond string, st *step) bool {
	cond = strings.TrimSpace(cond)
	if t, ok := strings.CutPrefix(cond, "resolve() is "); ok && isIdent(t) && st.resolveIs == "" {
		st.resolveIs = t
		return true
	}
	f, v, ok := strings.Cut(cond, "=")
	f, v = strings.TrimSpace(f), strings.TrimSpace(v)
	if !ok || !isIdent(f) || len(v) < 2 || v[0] != '\'' || v[len(v)-1] != '\'' || strings.ContainsAny(v[1:len(v)-1], `'\`) || st.whereField != "" {
		return false
	}
	st.whereField, st.whereValue = f, v[1:len(v)-1]
	return true
}

// splitTop splits s on sep outside parentheses and quotes.
func splitTop(s string, sep byte) []string {
	var out []string
	depth, start, quoted := 0, 0, false
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '\'':
			quoted = !quoted
		case quoted:
		case c == '(':
			depth++
		case c == ')':
			depth--
		case c == sep && depth == 0:
			out = append(out, s[start:i])
			start = i + 1
		}
	}
	return append(out, s[start:])
}

// unparen removes parentheses wrapping the whole of s.
func unparen(s string) string {
	for len(s) >= 2 && s[0] == '(' && s[len(s)-1] == ')' && closingParen(s) == len(s)-1 {
		s = strings.TrimSpace(s[1 : len(s)-1])
	}
	return s
}

// closingParen returns the index of the parenthesis closing the one at s[0].
func closingParen(s string) int {
	depth, quoted := 0, false
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '\'':
			quoted = !quoted
		case quoted:
		case c == '(':
			depth++
		case c == ')':
			depth--
			if depth == 0 {
				return i
			}
		}
	}
	return -1
}

func isIdent(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c == '_' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || i > 0 && '0' <= c && c <= '9') {
			return false
		}
	}
	return true
}

// fromCollection turns FHIRPath results into the decoded-JSON shapes the walker produces.
func fromCollection(col types.Collection) []any {
	out := make([]any, 0, len(col))
	for _, v := range col {
		switch t := v.(type) {
		case *types.ObjectValue:
			d := json.NewDecoder(bytes.NewReader(t.Data()))
			d.UseNumber()
			var x any
			if d.Decode(&x) == nil {
				out = append(out, x)
			}
		case types.String:
			out = append(out, t.Value())
		case types.Boolean:
			out = append(out, t.Bool())
		case types.Integer, types.Decimal:
			out = append(out, json.Number(v.String()))
		default:
			out = append(out, strings.TrimPrefix(v.String(), "@"))
		}
	}
	return out
}
