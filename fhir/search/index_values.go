package search

import (
	"encoding/json"
	"strings"

	"github.com/rorfhir/ror/fhir/textfold"
	"github.com/rorfhir/ror/store"
)

// contactPointSystems are the ContactPoint.system codes; an object with one of them and a value is
// a ContactPoint (indexed by value), not an Identifier (whose system is a URI).
var contactPointSystems = map[string]bool{"phone": true, "fax": true, "email": true, "pager": true, "url": true, "sms": true, "other": true}

// tokenValues reads a code, boolean, id, Coding, CodeableConcept, Identifier or ContactPoint.
func tokenValues(code string, v any) []store.TokenValue {
	switch t := v.(type) {
	case string:
		return []store.TokenValue{{Param: code, Code: t}}
	case bool:
		if t {
			return []store.TokenValue{{Param: code, Code: "true"}}
		}
		return []store.TokenValue{{Param: code, Code: "false"}}
	case json.Number:
		return []store.TokenValue{{Param: code, Code: t.String()}}
	case map[string]any:
		return objectTokens(code, t)
	}
	return nil
}

func str(m map[string]any, k string) string {
	s, _ := m[k].(string)
	return s
}

func objectTokens(code string, m map[string]any) []store.TokenValue {
	codings, isCC := m["coding"].([]any)
	if isCC || (m["text"] != nil && m["value"] == nil && m["code"] == nil) {
		text := textfold.Fold(str(m, "text"))
		var out []store.TokenValue
		for _, c := range codings {
			cm, ok := c.(map[string]any)
			if !ok {
				continue
			}
			t := text
			if d := str(cm, "display"); t == "" && d != "" {
				t = textfold.Fold(d)
			}
			out = append(out, store.TokenValue{Param: code, System: str(cm, "system"), Code: str(cm, "code"), Text: t})
		}
		if len(out) == 0 && text != "" {
			out = append(out, store.TokenValue{Param: code, Text: text})
		}
		return out
	}
	value, hasValue := m["value"].(string)
	system := str(m, "system")
	switch {
	case hasValue && contactPointSystems[system]:
		return []store.TokenValue{{Param: code, Code: value}}
	case hasValue: // Identifier
		typ, _ := m["type"].(map[string]any)
		text := ""
		if typ != nil {
			text = textfold.Fold(str(typ, "text"))
		}
		out := []store.TokenValue{{Param: code, System: system, Code: value, Text: text}}
		if typ != nil {
			tcs, _ := typ["coding"].([]any)
			for _, c := range tcs {
				if cm, ok := c.(map[string]any); ok {
					out = append(out, store.TokenValue{Param: code + suffixOfType, System: str(cm, "system"), Code: str(cm, "code") + "|" + value})
				}
			}
		}
		return out
	case m["code"] != nil || system != "": // Coding
		return []store.TokenValue{{Param: code, System: system, Code: str(m, "code"), Text: textfold.Fold(str(m, "display"))}}
	}
	return nil
}

// stringLeaves returns a string, or the strings of a complex value (HumanName, Address...) one
// level down: members and arrays of strings, without use/type codes.
func stringLeaves(v any) []string {
	switch t := v.(type) {
	case string:
		return []string{t}
	case map[string]any:
		var out []string
		for _, k := range [...]string{"text", "family", "given", "prefix", "suffix", "line", "city", "district", "state", "postalCode", "country"} {
			switch e := t[k].(type) {
			case string:
				out = append(out, e)
			case []any:
				for _, s := range e {
					if s, ok := s.(string); ok {
						out = append(out, s)
					}
				}
			}
		}
		return out
	}
	return nil
}

// numberValue reads a number or a Quantity.
func numberValue(code string, v any) (store.NumberValue, bool) {
	if f, ok := number(v); ok {
		return store.NumberValue{Param: code, Value: f}, true
	}
	m, ok := v.(map[string]any)
	if !ok {
		return store.NumberValue{}, false
	}
	f, ok := number(m["value"])
	if !ok {
		return store.NumberValue{}, false
	}
	unit := str(m, "code")
	if unit == "" {
		unit = str(m, "unit")
	}
	return store.NumberValue{Param: code, Value: f, System: str(m, "system"), Code: unit}, true
}

// referenceValue reads a Reference (or a canonical string) and the token of its identifier.
func (x extractor) referenceValue(code string, v any) (store.ReferenceValue, []store.TokenValue, bool) {
	var ref string
	var ids []store.TokenValue
	switch t := v.(type) {
	case string:
		ref = t
	case map[string]any:
		ref = str(t, "reference")
		if id, ok := t["identifier"].(map[string]any); ok {
			if val := str(id, "value"); val != "" {
				ids = append(ids, store.TokenValue{Param: code + suffixIdentifier, System: str(id, "system"), Code: val})
			}
		}
	}
	if ref == "" || strings.HasPrefix(ref, "#") {
		return store.ReferenceValue{}, ids, false
	}
	if typ, id, ok := splitLocalRef(ref, x.r.baseURL); ok {
		return store.ReferenceValue{Param: code, Type: typ, ID: id}, ids, true
	}
	return store.ReferenceValue{Param: code, URL: ref}, ids, true
}

// splitLocalRef reads "Type/id", "Type/id/_history/n", or the same under base (this server's
// FHIR base URL).
func splitLocalRef(ref, base string) (typ, id string, ok bool) {
	if base != "" && strings.HasPrefix(ref, base+"/") {
		ref = ref[len(base)+1:]
	}
	if i := strings.Index(ref, "/_history/"); i >= 0 {
		ref = ref[:i]
	}
	typ, id, found := strings.Cut(ref, "/")
	if !found || !isResourceType(typ) || !validID(id) {
		return "", "", false
	}
	return typ, id, true
}

// isResourceType: an upper-case letter then letters.
func isResourceType(s string) bool {
	if s == "" || s[0] < 'A' || s[0] > 'Z' {
		return false
	}
	for i := 1; i < len(s); i++ {
		c := s[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z') {
			return false
		}
	}
	return true
}

func validID(id string) bool {
	if len(id) == 0 || len(id) > 64 {
		return false
	}
	for i := 0; i < len(id); i++ {
		c := id[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '-' || c == '.') {
			return false
		}
	}
	return true
}
