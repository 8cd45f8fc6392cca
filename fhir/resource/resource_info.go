package resource

import (
	"strconv"

	"github.com/rorfhir/ror/fhir/fherr"
)

// Coding is a meta.tag or meta.security entry.
type Coding struct {
	System, Code, Display string
}

// Info is what the server reads from a resource body without decoding it whole.
type Info struct {
	Type        string
	ID          string // "" when the body has no id
	VersionID   string // meta.versionId as sent ("" if none)
	LastUpdated string // meta.lastUpdated as sent ("" if none)
	Profiles    []string
	Tags        []Coding
	Security    []Coding
}

// MaxIDLength is the longest resource id FHIR R4 allows.
const MaxIDLength = 64

// ValidID reports whether id matches [A-Za-z0-9\-\.]{1,64}.
func ValidID(id string) bool {
	if len(id) == 0 || len(id) > MaxIDLength {
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

// Parse checks that body is one JSON object with a resourceType, a well-formed id (if any) and a
// well-shaped meta (if any), and returns them. Errors are *fherr.Error of KindInvalid whose issue
// expression names the element (for example "Organization.id").
func Parse(body []byte) (Info, error) {
	ms, err := topMembers(body)
	if err != nil {
		return Info{}, err
	}
	return parseMembers(ms)
}

func parseMembers(ms []member) (Info, error) {
	var info Info
	var idRaw, metaRaw []byte
	seen := make(map[string]struct{}, len(ms))
	for _, m := range ms {
		if _, dup := seen[m.Key]; dup {
			return Info{}, fherr.Invalid("structure", m.Key, "the member %q appears more than once", m.Key)
		}
		seen[m.Key] = struct{}{}
		switch m.Key {
		case "resourceType":
			s, ok := stringValue(m.Value)
			if !ok || s == "" {
				return Info{}, fherr.Invalid("structure", "resourceType", "resourceType must be a non-empty string, got %s", jsonKind(m.Value))
			}
			info.Type = s
		case "id":
			idRaw = m.Value
		case "meta":
			metaRaw = m.Value
		}
	}
	if info.Type == "" {
		return Info{}, fherr.Invalid("required", "resourceType", "the resource has no resourceType")
	}
	if idRaw != nil {
		s, ok := stringValue(idRaw)
		if !ok {
			return Info{}, fherr.Invalid("value", info.Type+".id", "id must be a string, got %s", jsonKind(idRaw))
		}
		if !ValidID(s) {
			return Info{}, fherr.Invalid("value", info.Type+".id", "id %q is not a valid FHIR id: 1 to 64 characters among A-Z a-z 0-9 - .", s)
		}
		info.ID = s
	}
	if metaRaw != nil {
		if err := parseMeta(&info, metaRaw); err != nil {
			return Info{}, err
		}
	}
	return info, nil
}

func parseMeta(info *Info, raw []byte) error {
	at := info.Type + ".meta"
	if raw[0] != '{' {
		return fherr.Invalid("structure", at, "meta must be an object, got %s", jsonKind(raw))
	}
	ms, err := objectMembers(raw)
	if err != nil {
		return err
	}
	for _, m := range ms {
		switch m.Key {
		case "versionId", "lastUpdated", "source":
			s, ok := stringValue(m.Value)
			if !ok {
				return fherr.Invalid("structure", at+"."+m.Key, "meta.%s must be a string, got %s", m.Key, jsonKind(m.Value))
			}
			switch m.Key {
			case "versionId":
				info.VersionID = s
			case "lastUpdated":
				info.LastUpdated = s
			}
		case "profile":
			ps, err := stringArray(m.Value, at+".profile")
			if err != nil {
				return err
			}
			info.Profiles = ps
		case "tag", "security":
			cs, err := codingArray(m.Value, at+"."+m.Key)
			if err != nil {
				return err
			}
			if m.Key == "tag" {
				info.Tags = cs
			} else {
				info.Security = cs
			}
		}
	}
	return nil
}

func arrayItems(raw []byte, at, what string) ([][]byte, error) {
	if raw[0] != '[' {
		return nil, fherr.Invalid("structure", at, "%s must be an array of %s, got %s", at, what, jsonKind(raw))
	}
	var items [][]byte
	i := skipSpace(raw, 1)
	if raw[i] == ']' {
		return items, nil
	}
	for {
		end := skipValue(raw, i)
		items = append(items, raw[i:end])
		i = skipSpace(raw, end)
		if raw[i] == ']' {
			return items, nil
		}
		i = skipSpace(raw, i+1)
	}
}

func stringArray(raw []byte, at string) ([]string, error) {
	items, err := arrayItems(raw, at, "strings")
	if err != nil {
		return nil, err
	}
	out := make([]string, 0, len(items))
	for k, it := range items {
		s, ok := stringValue(it)
		if !ok {
			return nil, fherr.Invalid("structure", indexed(at, k), "%s must be a string, got %s", indexed(at, k), jsonKind(it))
		}
		out = append(out, s)
	}
	return out, nil
}

func codingArray(raw []byte, at string) ([]Coding, error) {
	items, err := arrayItems(raw, at, "Coding objects")
	if err != nil {
		return nil, err
	}
	out := make([]Coding, 0, len(items))
	for k, it := range items {
		here := indexed(at, k)
		if it[0] != '{' {
			return nil, fherr.Invalid("structure", here, "%s must be a Coding object, got %s", here, jsonKind(it))
		}
		ms, err := objectMembers(it)
		if err != nil {
			return nil, err
		}
		var c Coding
		for _, m := range ms {
			var dst *string
			switch m.Key {
			case "system":
				dst = &c.System
			case "code":
				dst = &c.Code
			case "display":
				dst = &c.Display
			default:
				continue
			}
			s, ok := stringValue(m.Value)
			if !ok {
				return nil, fherr.Invalid("structure", here+"."+m.Key, "%s.%s must be a string, got %s", here, m.Key, jsonKind(m.Value))
			}
			*dst = s
		}
		out = append(out, c)
	}
	return out, nil
}

func indexed(at string, k int) string {
	return at + "[" + strconv.Itoa(k) + "]"
}
