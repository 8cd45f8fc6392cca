package profiles

import "encoding/json"

func intp(n int) *int { return &n }

func fixedURI(u string) map[string]json.RawMessage {
	b, _ := json.Marshal(u)
	return map[string]json.RawMessage{"Uri": b}
}

// ElementList expands the short form of an extension into element constraints with ids relative to
// Extension, in the order of an IG differential: the same list the generated StructureDefinition
// carries and the coverage check compares with the IG.
func (e *Extension) ElementList() []Element {
	var out []Element
	if !e.Complex() {
		out = append(out,
			Element{ID: "extension", Max: "0"},
			Element{ID: "url", Fixed: fixedURI(e.URL)},
			Element{ID: "value[x]", Types: e.Types, Targets: e.Targets, Bind: e.Bind, Invariants: e.Invariants})
		return append(out, e.Elements...)
	}
	if e.ExtensionMin > 0 {
		out = append(out, Element{ID: "extension", Min: intp(e.ExtensionMin)})
	}
	for _, s := range e.Subs {
		base := "extension:" + s.Name
		el := Element{ID: base, Min: intp(s.Min), Max: s.Max, Ext: s.Ext}
		out = append(out, el)
		if s.Ext != "" {
			continue
		}
		out = append(out,
			Element{ID: base + ".extension", Max: "0"},
			Element{ID: base + ".url", Fixed: fixedURI(s.Name)})
		if len(s.Types) > 0 || s.Bind != nil || len(s.Targets) > 0 {
			out = append(out, Element{ID: base + ".value[x]", Types: s.Types, Targets: s.Targets, Bind: s.Bind})
		}
	}
	out = append(out,
		Element{ID: "url", Fixed: fixedURI(e.URL)},
		Element{ID: "value[x]", Max: "0", Invariants: e.Invariants})
	return append(out, e.Elements...)
}
