package profiles

import (
	"encoding/json"
	"fmt"
	"math"
	"reflect"
	"strconv"
	"strings"

	"github.com/rorfhir/ror/profiles/terminology"
)

func deepEqual(a, b any) bool { return reflect.DeepEqual(a, b) }

// show renders a JSON value for a message, shortened.
func show(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		return "?"
	}
	s := string(b)
	if len(s) > 160 {
		s = s[:157] + "..."
	}
	return s
}

// checkPrimitiveKind checks that the JSON value of a choice element fits its declared type.
func (st *state) checkPrimitiveKind(it *item, elem *elemRef) {
	want := ""
	switch it.typ {
	case "Boolean":
		if _, ok := it.v.(bool); !ok {
			want = "a JSON boolean (true or false)"
		}
	case "Integer", "PositiveInt", "UnsignedInt":
		f, ok := it.v.(float64)
		if !ok || f != math.Trunc(f) {
			want = "a JSON integer"
		} else if it.typ == "PositiveInt" && f < 1 || it.typ == "UnsignedInt" && f < 0 {
			want = "a " + strings.ToLower(it.typ[:1]) + it.typ[1:] + " in range"
		}
	case "Decimal":
		if _, ok := it.v.(float64); !ok {
			want = "a JSON number"
		}
	case "String", "Code", "Uri", "Url", "Canonical", "Id", "Oid", "Uuid", "Markdown", "Date", "DateTime",
		"Instant", "Time", "Base64Binary":
		if s, ok := it.v.(string); !ok || s == "" {
			want = "a non-empty JSON string"
		}
	default:
		if _, ok := it.v.(map[string]any); !ok && it.typ != "" && it.typ[0] >= 'A' && it.typ[0] <= 'Z' {
			want = "a JSON object"
		}
	}
	if want != "" {
		st.add("error", "structure", &it.loc, "%s (%s) must be %s, found %s", elem, fhirType(it.typ), want, show(it.v))
	}
}

// checkBinding checks a required binding: a CodeableConcept needs one coding in the value set, a
// Coding must be in it, a code or string must be one of its codes. An extensible binding only
// warns, and says nothing when the value set is not loaded.
func (st *state) checkBinding(b *Binding, it *item, elem *elemRef) {
	type cand struct {
		system, code string
		where        fmt.Stringer
	}
	var cands []cand
	switch v := it.v.(type) {
	case string:
		cands = append(cands, cand{"", v, &it.loc})
	case map[string]any:
		if codings, ok := v["coding"].([]any); ok {
			for i, c := range codings {
				cm, _ := c.(map[string]any)
				sys, _ := cm["system"].(string)
				code, _ := cm["code"].(string)
				if code != "" {
					cands = append(cands, cand{sys, code, it.loc.with(".coding[" + strconv.Itoa(i) + "].code")})
				}
			}
		} else if code, ok := v["code"].(string); ok {
			sys, _ := v["system"].(string)
			cands = append(cands, cand{sys, code, it.loc.with(".code")})
		} else if _, isQty := v["value"]; isQty {
			return // Quantity and the like: not a coded value
		}
	default:
		return
	}
	required := b.Strength == "required"
	if len(cands) == 0 {
		if !required {
			return
		}
		st.add("error", "code-invalid", &it.loc, "%s has no code, but one from value set %s is required", elem, b.ValueSet)
		return
	}
	if st.v.term == nil {
		if required {
			st.notChecked(&it.loc, elem, b.ValueSet, terminology.Result{})
		}
		return
	}
	var bad []cand
	for _, c := range cands {
		r, err := st.v.term.ValidateCode(st.ctx, b.ValueSet, c.system, c.code)
		if err != nil {
			st.add("warning", "exception", &it.loc, "%s: terminology check failed: %v", elem, err)
			return
		}
		if !r.ValueSetKnown || r.Undecided {
			if required {
				st.notChecked(&it.loc, elem, b.ValueSet, r)
			}
			return
		}
		if r.Valid {
			return
		}
		bad = append(bad, c)
	}
	var expr fmt.Stringer = &it.loc
	if len(bad) == 1 {
		expr = bad[0].where
	}
	c := bad[0]
	sys := ""
	if c.system != "" {
		sys = " (system " + c.system + ")"
	}
	if !required {
		st.add("warning", "code-invalid", expr, "%s: code %q%s is not in the value set %s (extensible binding: accepted)", elem, c.code, sys, b.ValueSet)
		return
	}
	st.add("error", "code-invalid", expr, "%s: code %q%s is not in the required value set %s", elem, c.code, sys, b.ValueSet)
}

func (st *state) notChecked(where fmt.Stringer, elem *elemRef, vs string, r terminology.Result) {
	why := "is not loaded"
	if r.ValueSetKnown {
		why = "is loaded without the content needed for this code (a filter or a code system not loaded)"
	}
	if st.v.opts.StrictTerminology {
		st.add("error", "not-supported", where, "%s: value set %s %s: the code cannot be checked", elem, vs, why)
		return
	}
	st.add("information", "informational", where, "%s: value set %s %s: code not checked", elem, vs, why)
}

// checkReference checks that a Reference points to one of the allowed resource types.
func (st *state) checkReference(targets []string, it *item, elem *elemRef) {
	m, ok := it.v.(map[string]any)
	if !ok {
		return
	}
	typ := ""
	if t, ok := m["type"].(string); ok {
		typ = t
	}
	if ref, ok := m["reference"].(string); ok && typ == "" {
		typ = refType(ref)
	}
	if typ == "" {
		return
	}
	for _, t := range targets {
		if t == typ || t == "Resource" {
			return
		}
	}
	st.add("error", "structure", it.loc.with(".reference"), "%s must refer to %s, found a reference to %s",
		elem, strings.Join(targets, " or "), typ)
}

// refType extracts the resource type of a literal reference ("Organization/1",
// "https://x/fhir/Organization/1/_history/2"); "" for contained (#id) and urn: references.
func refType(ref string) string {
	if ref == "" || ref[0] == '#' || strings.HasPrefix(ref, "urn:") {
		return ""
	}
	if i := strings.Index(ref, "/_history/"); i >= 0 {
		ref = ref[:i]
	}
	parts := strings.Split(ref, "/")
	if len(parts) < 2 {
		return ""
	}
	t := parts[len(parts)-2]
	if t == "" || t[0] < 'A' || t[0] > 'Z' {
		return ""
	}
	return t
}
