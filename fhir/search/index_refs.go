package search

import (
	"bytes"
	"encoding/json"

	"github.com/rorfhir/ror/store"
)

// References evaluates the reference parameters codes of resource type typ on body and returns
// the local references they hold (Type and ID set; other references are left out), for
// _include. Unknown codes and unreadable bodies give nothing.
func (r *Registry) References(typ string, body []byte, codes []string) []store.ReferenceValue {
	var root map[string]any
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	if dec.Decode(&root) != nil {
		return nil
	}
	x := extractor{r: r}
	var out []store.ReferenceValue
	for _, code := range codes {
		c, ok := r.byType[typ][code]
		if !ok || c.Type != TypeReference {
			continue
		}
		vals, err := c.values(root, body)
		if err != nil {
			continue
		}
		for _, v := range vals {
			if rv, _, ok := x.referenceValue(code, v); ok && rv.ID != "" {
				out = append(out, rv)
			}
		}
	}
	return out
}
