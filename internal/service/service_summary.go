package service

import (
	"bytes"
	"encoding/json"
	"sort"

	"github.com/rorfhir/ror/fhir/search"
	"github.com/rorfhir/ror/store"
)

// subsetted is the meta.tag a client sees on a resource trimmed by _summary or _elements.
var subsetted = map[string]any{"system": "http://terminology.hl7.org/CodeSystem/v3-ObservationValue", "code": "SUBSETTED"}

// shape trims the bodies of matches as _summary (true, text, data) and _elements ask, and marks
// them SUBSETTED. Bodies that cannot be read are left whole.
func shape(sr search.Search, vs []store.Version) []store.Version {
	var keep func(string) bool
	switch {
	case len(sr.Elements) > 0:
		els := map[string]bool{}
		for _, e := range sr.Elements {
			els[e] = true
		}
		keep = func(k string) bool { return els[k] }
	case sr.Summary == search.SummaryTrue:
		keep = summaryKeep(sr.Query.Type) // summary_table.go
	case sr.Summary == search.SummaryText:
		keep = func(k string) bool { return k == "text" }
	case sr.Summary == search.SummaryData:
		keep = func(k string) bool { return k != "text" }
	default:
		return vs
	}
	out := make([]store.Version, len(vs))
	for i, v := range vs {
		out[i] = v
		if b, ok := trim(v.Body, keep); ok {
			out[i].Body = b
		}
	}
	return out
}

// trim keeps resourceType, id, meta (tagged SUBSETTED), implicitRules and the members keep
// accepts.
func trim(body []byte, keep func(string) bool) ([]byte, bool) {
	var m map[string]json.RawMessage
	if json.Unmarshal(body, &m) != nil {
		return nil, false
	}
	var meta map[string]any
	if raw, ok := m["meta"]; ok && json.Unmarshal(raw, &meta) != nil {
		return nil, false
	}
	if meta == nil {
		meta = map[string]any{}
	}
	tags, _ := meta["tag"].([]any)
	meta["tag"] = append(tags, subsetted)
	keys := make([]string, 0, len(m))
	for k := range m {
		switch k {
		case "resourceType", "id", "meta", "implicitRules":
		default:
			if !keep(k) {
				continue
			}
		}
		keys = append(keys, k)
	}
	if _, ok := m["meta"]; !ok {
		keys = append(keys, "meta")
	}
	sort.Slice(keys, func(i, j int) bool {
		return order(keys[i]) < order(keys[j]) || order(keys[i]) == order(keys[j]) && keys[i] < keys[j]
	})
	var b bytes.Buffer
	b.WriteByte('{')
	for i, k := range keys {
		if i > 0 {
			b.WriteByte(',')
		}
		kb, _ := json.Marshal(k)
		b.Write(kb)
		b.WriteByte(':')
		if k == "meta" {
			mb, err := json.Marshal(meta)
			if err != nil {
				return nil, false
			}
			b.Write(mb)
			continue
		}
		b.Write(m[k])
	}
	b.WriteByte('}')
	return b.Bytes(), true
}

// order puts resourceType, id and meta first.
func order(k string) int {
	switch k {
	case "resourceType":
		return 0
	case "id":
		return 1
	case "meta":
		return 2
	}
	return 3
}
