package finess

import (
	"bytes"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
)

// Ownership: which elements of a FINESS-sourced resource come from FINESS. The import writes them
// and the Guard refuses API changes to them; every other element (contacts, other telecoms and
// identifiers, ROR extensions, capacities...) belongs to the ROR and is kept by re-imports.
//
// A rule owns either a whole top-level member, or the entries of a top-level array (or of
// meta.tag) that match it.
type rule struct {
	member string             // top-level member ("meta.tag" for the region tag)
	match  func(e probe) bool // nil: the whole member
	expr   string             // FHIRPath naming the element in issues, without the type
}

// probe is what matching reads of an array entry.
type probe struct {
	ID     string `json:"id"`
	URL    string `json:"url"`
	System string `json:"system"`
	Type   struct {
		Coding []struct {
			Code string `json:"code"`
		} `json:"coding"`
	} `json:"type"`
	Coding []struct {
		System string `json:"system"`
	} `json:"coding"`
}

func bySystem(s string) func(probe) bool { return func(e probe) bool { return e.System == s } }
func byURL(u string) func(probe) bool    { return func(e probe) bool { return e.URL == u } }
func byID(id string) func(probe) bool    { return func(e probe) bool { return e.ID == id } }
func byCodingSystem(s string) func(probe) bool {
	return func(e probe) bool { return len(e.Coding) > 0 && e.Coding[0].System == s }
}

var regionRule = rule{"meta.tag", bySystem(systemRegion), "meta.tag.where(system='" + systemRegion + "')"}

var orgRules = []rule{
	{"active", nil, "active"},
	{"name", nil, "name"},
	{"_name", nil, "name.extension"},
	{"address", nil, "address"},
	{"partOf", nil, "partOf"},
	{"identifier", bySystem(systemFiness), "identifier.where(system='" + systemFiness + "')"},
	{"identifier", bySystem(systemIDNatSt), "identifier.where(system='" + systemIDNatSt + "')"},
	{"identifier", func(e probe) bool {
		return e.System == systemSirene && len(e.Type.Coding) > 0 && e.Type.Coding[0].Code == "3"
	}, "identifier.where(system='" + systemSirene + "' and type.coding.code='3')"},
	{"type", byCodingSystem(systemCategory), "type.where(coding.system='" + systemCategory + "')"},
	{"type", byCodingSystem(systemSPH), "type.where(coding.system='" + systemSPH + "')"},
	{"telecom", byID(telecomTel), "telecom.where(id='" + telecomTel + "')"},
	{"telecom", byID(telecomFax), "telecom.where(id='" + telecomFax + "')"},
	{"extension", byURL(extOrgPeriod), "extension.where(url='" + extOrgPeriod + "')"},
	regionRule,
}

var locRules = []rule{
	{"status", nil, "status"},
	{"name", nil, "name"},
	{"address", nil, "address"},
	{"position", nil, "position"},
	{"managingOrganization", nil, "managingOrganization"},
	{"extension", byURL(extCommuneCOG), "extension.where(url='" + extCommuneCOG + "')"},
	regionRule,
}

func rulesFor(typ string) []rule {
	switch typ {
	case TypeOrganization:
		return orgRules
	case TypeLocation:
		return locRules
	}
	return nil
}

// memberOrder is the order of the top-level members in the bodies the import writes; members not
// listed follow in alphabetical order.
var memberOrder = map[string][]string{
	TypeOrganization: {"resourceType", "id", "meta", "text", "extension", "identifier", "active", "type",
		"name", "_name", "alias", "telecom", "address", "partOf", "contact", "endpoint"},
	TypeLocation: {"resourceType", "id", "meta", "text", "extension", "identifier", "status",
		"operationalStatus", "name", "alias", "description", "mode", "type", "telecom", "address",
		"physicalType", "position", "managingOrganization", "partOf", "hoursOfOperation",
		"availabilityExceptions", "endpoint"},
}

type members map[string]json.RawMessage

func parseMembers(body []byte) (members, error) {
	var m members
	if err := json.Unmarshal(body, &m); err != nil {
		return nil, fmt.Errorf("not a JSON object: %w", err)
	}
	if m == nil {
		return nil, fmt.Errorf("not a JSON object")
	}
	return m, nil
}

// encode writes the members in memberOrder, compacted.
func (m members) encode(typ string) []byte {
	order := memberOrder[typ]
	seen := make(map[string]bool, len(order))
	var b bytes.Buffer
	b.WriteByte('{')
	write := func(k string) {
		v, ok := m[k]
		if !ok {
			return
		}
		if b.Len() > 1 {
			b.WriteByte(',')
		}
		b.Write(marshal(k))
		b.WriteByte(':')
		if err := json.Compact(&b, v); err != nil {
			b.Write(v) // v came from a parsed document: cannot fail
		}
	}
	for _, k := range order {
		seen[k] = true
		write(k)
	}
	rest := make([]string, 0, len(m))
	for k := range m {
		if !seen[k] {
			rest = append(rest, k)
		}
	}
	sort.Strings(rest)
	for _, k := range rest {
		write(k)
	}
	b.WriteByte('}')
	return b.Bytes()
}

// entries splits an array member; a missing or non-array member has none.
func entries(raw json.RawMessage) []json.RawMessage {
	var es []json.RawMessage
	if len(raw) == 0 || json.Unmarshal(raw, &es) != nil {
		return nil
	}
	return es
}

func probeOf(raw json.RawMessage) probe {
	var p probe
	_ = json.Unmarshal(raw, &p) // a non-object entry matches no rule
	return p
}

// owner returns the rule of rs (for member) that owns entry e, or -1.
func owner(rs []rule, member string, e json.RawMessage) int {
	p := probeOf(e)
	for i, r := range rs {
		if r.member == member && r.match != nil && r.match(p) {
			return i
		}
	}
	return -1
}

func wholeOwned(rs []rule, member string) bool {
	for _, r := range rs {
		if r.member == member && r.match == nil {
			return true
		}
	}
	return false
}

func arrayMembers(rs []rule) []string {
	var out []string
	for _, r := range rs {
		if r.match != nil && r.member != "meta.tag" && !contains(out, r.member) {
			out = append(out, r.member)
		}
	}
	return out
}

func contains(ss []string, s string) bool {
	for _, x := range ss {
		if x == s {
			return true
		}
	}
	return false
}

// mergeEntries keeps the owned entries of fresh, then the entries of current no rule owns, then
// the entries of fresh no rule owns whose key (url, system or id) current lacks (e.g. the creation
// date extension, written once).
func mergeEntries(rs []rule, member string, current, fresh []json.RawMessage) []json.RawMessage {
	out := make([]json.RawMessage, 0, len(current)+len(fresh))
	for _, e := range fresh {
		if owner(rs, member, e) >= 0 {
			out = append(out, e)
		}
	}
	keys := map[string]bool{}
	for _, e := range current {
		if owner(rs, member, e) < 0 {
			out = append(out, e)
			p := probeOf(e)
			keys[p.URL+"|"+p.System+"|"+p.ID] = true
		}
	}
	for _, e := range fresh {
		if owner(rs, member, e) < 0 {
			p := probeOf(e)
			if !keys[p.URL+"|"+p.System+"|"+p.ID] {
				out = append(out, e)
			}
		}
	}
	return out
}

func setArray(m members, k string, es []json.RawMessage) {
	if len(es) == 0 {
		delete(m, k)
		return
	}
	m[k] = marshal(es)
}

// merge returns the body to write for a FINESS-sourced resource: the FINESS-owned elements of
// fresh, every other element of current (nil: the resource does not exist yet). meta.versionId and
// meta.lastUpdated are dropped (the server sets them); fresh's meta.profile entries come first.
// The result is deterministic: the same current and fresh give the same bytes.
//
// Fast paths: with no current version, fresh is the result (the mapping writes members in the
// same order as encode); when current, without the meta.versionId/lastUpdated the server stamps,
// is byte-identical to fresh (an unchanged re-import), fresh is the result too.
func merge(typ string, current, fresh []byte) ([]byte, error) {
	if current == nil || bytes.Equal(stripServerMeta(current), fresh) {
		return fresh, nil
	}
	return mergeSlow(typ, current, fresh)
}

// stripServerMeta removes the leading `"versionId":"…","lastUpdated":"…",` that the server's Stamp
// puts first in meta; b is returned as is when it does not start that way.
func stripServerMeta(b []byte) []byte {
	const key = `"meta":{"versionId":"`
	i := bytes.Index(b, []byte(key))
	if i < 0 || i > 200 { // meta follows resourceType and id
		return b
	}
	j := bytes.Index(b[i:], []byte(`"lastUpdated":"`))
	if j < 0 {
		return b
	}
	j += i + len(`"lastUpdated":"`)
	k := bytes.IndexByte(b[j:], '"')
	if k < 0 {
		return b
	}
	end := j + k + 1
	start := i + len(`"meta":{`)
	if end < len(b) && b[end] == ',' {
		end++
	}
	out := make([]byte, 0, len(b))
	out = append(out, b[:start]...)
	return append(out, b[end:]...)
}

func mergeSlow(typ string, current, fresh []byte) ([]byte, error) {
	rs := rulesFor(typ)
	fm, err := parseMembers(fresh)
	if err != nil {
		return nil, err
	}
	cm := members{}
	if current != nil {
		if cm, err = parseMembers(current); err != nil {
			return nil, fmt.Errorf("current %s: %w", typ, err)
		}
	}
	out := members{}
	for k, v := range cm {
		if !wholeOwned(rs, k) {
			out[k] = v
		}
	}
	for _, r := range rs {
		if r.match == nil {
			if v, ok := fm[r.member]; ok {
				out[r.member] = v
			}
		}
	}
	out["resourceType"], out["id"] = fm["resourceType"], fm["id"]
	for _, k := range arrayMembers(rs) {
		setArray(out, k, mergeEntries(rs, k, entries(cm[k]), entries(fm[k])))
	}
	mt, err := mergeMeta(rs, cm["meta"], fm["meta"])
	if err != nil {
		return nil, fmt.Errorf("current %s meta: %w", typ, err)
	}
	out["meta"] = mt
	return out.encode(typ), nil
}

func mergeMeta(rs []rule, current, fresh json.RawMessage) (json.RawMessage, error) {
	cm, fm := members{}, members{}
	if len(current) > 0 {
		var err error
		if cm, err = parseMembers(current); err != nil {
			return nil, err
		}
	}
	if err := json.Unmarshal(fresh, &fm); err != nil {
		return nil, err
	}
	delete(cm, "versionId")
	delete(cm, "lastUpdated")
	setArray(cm, "tag", mergeEntries(rs, "meta.tag", entries(cm["tag"]), entries(fm["tag"])))
	var profiles, cur []string
	_ = json.Unmarshal(fm["profile"], &profiles)
	_ = json.Unmarshal(cm["profile"], &cur) // a malformed profile list is replaced
	for _, p := range cur {
		if !contains(profiles, p) {
			profiles = append(profiles, p)
		}
	}
	cm["profile"] = marshal(profiles)
	return cm.encode(""), nil
}

// owned extracts, for each rule, the decoded value of what it owns in body (nil when absent), for
// comparisons that ignore formatting and key order.
func owned(rs []rule, body []byte) ([]any, error) {
	m, err := parseMembers(body)
	if err != nil {
		return nil, err
	}
	out := make([]any, len(rs))
	for i, r := range rs {
		src, member := m, r.member
		if strings.HasPrefix(member, "meta.") {
			mm, _ := parseMembers(m["meta"])
			src, member = mm, strings.TrimPrefix(member, "meta.")
		}
		raw, ok := src[member]
		if !ok {
			continue
		}
		if r.match == nil {
			out[i] = decode(raw)
			continue
		}
		var picked []any
		for _, e := range entries(raw) {
			if r.match(probeOf(e)) {
				picked = append(picked, decode(e))
			}
		}
		if picked != nil {
			out[i] = picked
		}
	}
	return out, nil
}

func decode(raw json.RawMessage) any {
	var v any
	_ = json.Unmarshal(raw, &v)
	return v
}
