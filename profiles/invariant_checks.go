package profiles

import "strings"

// invariantChecks returns the Go implementations of the IG's FHIRPath invariants, by the name our
// definitions give them (Invariant.Check). Evaluating FHIRPath per call would cost more than these
// one-liners; the coverage check lists every invariant of the IG so none is forgotten.
func invariantChecks() map[string]func(v any) bool {
	return map[string]func(v any) bool{
		// ror-questionnaire-version-required: value.toString().contains('|')
		"canonical-has-version": func(v any) bool {
			s, ok := v.(string)
			return !ok || strings.Contains(s, "|")
		},
	}
}

// checkInvariant runs one invariant on an element's value.
func (st *state) checkInvariant(inv Invariant, it *item) {
	f, ok := st.v.checks[inv.Check]
	if !ok || f(it.v) {
		return
	}
	sev := inv.Severity
	if sev == "" {
		sev = "error"
	}
	st.add(sev, "invariant", &it.loc, "%s (%s) [%s]", inv.Human, inv.Expression, inv.Key)
}

// baseInvariants checks the base R4 invariants the ROR relies on, whatever the profile.
func (st *state) baseInvariants(typ string, res map[string]any) {
	switch typ {
	case "Organization":
		// org-1: (identifier.count() + name.count()) > 0
		ids, _ := res["identifier"].([]any)
		name, _ := res["name"].(string)
		if len(ids) == 0 && name == "" {
			st.add("error", "invariant", text("Organization"),
				"an Organization must have at least a name or an identifier (org-1: (identifier.count() + name.count()) > 0)")
		}
	}
}
