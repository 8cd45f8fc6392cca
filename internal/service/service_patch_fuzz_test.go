package service

import (
	"encoding/json"
	"testing"
)

// Any patch document, applied to a resource, gives an answer or an error: never a panic.
func FuzzPatchApply(f *testing.F) {
	doc := []byte(`{"resourceType":"Organization","id":"p1","meta":{"versionId":"1"},"name":"A","alias":["x","y"],"extension":[{"url":"u","valueDecimal":4.50}]}`)
	for _, seed := range []string{
		`[{"op":"replace","path":"/name","value":"B"}]`,
		`[{"op":"move","from":"/alias/0","path":"/alias/-"}]`,
		`[{"op":"copy","from":"/extension","path":"/modifierExtension"}]`,
		`[{"op":"add","path":"/alias/99999999999999999999","value":1}]`,
		`[{"op":"remove","path":"/alias/-1"},{"op":"test","path":"","value":{}}]`,
		`[{"op":"add","path":"/a~1b~0c","value":null}]`,
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, patch []byte) {
		p, err := parsePatch(patch, 1<<16)
		if err != nil {
			return
		}
		out, err := p.apply(doc, "Organization/p1", 1<<16)
		if err == nil {
			_ = p.checkServerSet("Organization", doc, out)
		}
	})
}

// Any body gives rewritten bytes or an error, never a panic; valid JSON stays valid JSON.
func FuzzRewriteReferences(f *testing.F) {
	f.Add([]byte(`{"a":{"reference":"urn:uuid:a"},"b":[{"reference":"x\"y"}]}`))
	f.Add([]byte(`{"reference":{"reference":"urn:uuid:a"}}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		out, err := rewriteReferences(body, func(ref string) (string, bool, error) { return "Organization/1", true, nil })
		if err == nil && json.Valid(body) && !json.Valid(out) {
			t.Fatalf("valid %s rewritten as invalid %s", body, out)
		}
	})
}
