package profiles

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"
)

// StructureDefinitions returns the StructureDefinition resources (JSON, differential form) of
// every profile and extension, generated from our definitions, sorted by id. The server serves
// them as read-only conformance resources.
func (d *Definitions) StructureDefinitions() ([]json.RawMessage, error) {
	var out []json.RawMessage
	sds := d.structureDefinitionMaps()
	for _, sd := range sds {
		b, err := json.Marshal(sd)
		if err != nil {
			return nil, fmt.Errorf("profiles: encode StructureDefinition %v: %w", sd["id"], err)
		}
		out = append(out, b)
	}
	return out, nil
}

// structureDefinitionMaps builds the StructureDefinitions as JSON objects, sorted by id.
func (d *Definitions) structureDefinitionMaps() []map[string]any {
	var sds []map[string]any
	for i := range d.Profiles {
		sds = append(sds, d.Profiles[i].structureDefinition())
	}
	for i := range d.Extensions {
		sds = append(sds, d.Extensions[i].structureDefinition())
	}
	sort.Slice(sds, func(i, j int) bool { return sds[i]["id"].(string) < sds[j]["id"].(string) })
	return sds
}

func sdShell(id, url, name, description, kind, typ, base string) map[string]any {
	sd := map[string]any{
		"resourceType":   "StructureDefinition",
		"id":             id,
		"url":            url,
		"version":        IGVersion,
		"name":           name,
		"status":         "draft",
		"publisher":      "ANS",
		"fhirVersion":    "4.0.1",
		"kind":           kind,
		"abstract":       false,
		"type":           typ,
		"baseDefinition": base,
		"derivation":     "constraint",
	}
	if description != "" {
		sd["description"] = description
	}
	return sd
}

func (p *Profile) structureDefinition() map[string]any {
	sd := sdShell(p.ID, p.URL(), p.Name, p.Description, "resource", p.Type, p.Base)
	els := []any{map[string]any{"id": p.Type, "path": p.Type}}
	for _, el := range p.Elements {
		els = append(els, elementJSON(p.Type, el, p.URL()))
	}
	sd["differential"] = map[string]any{"element": els}
	return sd
}

func (e *Extension) structureDefinition() map[string]any {
	sd := sdShell(e.ID, e.URL, e.Name, e.Description, "complex-type", "Extension",
		"http://hl7.org/fhir/StructureDefinition/Extension")
	var ctx []any
	for _, c := range e.Context {
		typ, expr, _ := strings.Cut(c, ":")
		ctx = append(ctx, map[string]any{"type": typ, "expression": expr})
	}
	sd["context"] = ctx
	els := []any{map[string]any{"id": "Extension", "path": "Extension"}}
	for _, el := range e.ElementList() {
		els = append(els, elementJSON("Extension", el, e.URL))
	}
	sd["differential"] = map[string]any{"element": els}
	return sd
}

// elementJSON renders one element constraint as an ElementDefinition.
func elementJSON(root string, el Element, source string) map[string]any {
	id := root + "." + el.ID
	segs := strings.Split(el.ID, ".")
	plain := make([]string, len(segs))
	for i, s := range segs {
		plain[i], _, _ = strings.Cut(s, ":")
	}
	m := map[string]any{"id": id, "path": root + "." + strings.Join(plain, ".")}
	if _, slice, ok := strings.Cut(segs[len(segs)-1], ":"); ok {
		m["sliceName"] = slice
	}
	if el.Slicing != nil && !el.FromBase {
		var disc []any
		for _, d := range el.Slicing.Disc {
			typ, path, _ := strings.Cut(d, ":")
			disc = append(disc, map[string]any{"type": typ, "path": path})
		}
		s := map[string]any{"discriminator": disc, "rules": el.Slicing.Rules}
		if el.Slicing.Ordered {
			s["ordered"] = true
		}
		if el.Slicing.Description != "" {
			s["description"] = el.Slicing.Description
		}
		m["slicing"] = s
	}
	if el.Min != nil {
		m["min"] = *el.Min
	}
	if el.Max != "" {
		m["max"] = el.Max
	}
	if t := typeJSON(el); t != nil {
		m["type"] = t
	}
	for k, v := range el.Fixed {
		m["fixed"+k] = v
	}
	for k, v := range el.Pattern {
		m["pattern"+k] = v
	}
	if el.MustSupport {
		m["mustSupport"] = true
	}
	if len(el.Invariants) > 0 {
		var cs []any
		for _, inv := range el.Invariants {
			cs = append(cs, map[string]any{"key": inv.Key, "severity": inv.Severity, "human": inv.Human,
				"expression": inv.Expression, "source": source})
		}
		m["constraint"] = cs
	}
	if el.Bind != nil {
		b := map[string]any{"strength": el.Bind.Strength, "valueSet": el.Bind.ValueSet}
		if el.Bind.Description != "" {
			b["description"] = el.Bind.Description
		}
		m["binding"] = b
	}
	return m
}

func typeJSON(el Element) []any {
	switch {
	case el.Ext != "":
		return []any{map[string]any{"code": "Extension", "profile": []any{el.Ext}}}
	case len(el.Types) > 0:
		var out []any
		for _, t := range el.Types {
			tm := map[string]any{"code": t}
			if len(el.Targets) > 0 {
				tm["targetProfile"] = toAny(el.Targets)
			}
			out = append(out, tm)
		}
		return out
	case len(el.Targets) > 0:
		tm := map[string]any{"code": "Reference", "targetProfile": toAny(el.Targets)}
		if el.Hierarchy {
			tm["extension"] = []any{map[string]any{
				"url": "http://hl7.org/fhir/StructureDefinition/structuredefinition-hierarchy", "valueBoolean": true}}
		}
		return []any{tm}
	}
	return nil
}

func toAny(ss []string) []any {
	out := make([]any, len(ss))
	for i, s := range ss {
		out[i] = s
	}
	return out
}
