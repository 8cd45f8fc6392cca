package resource

import (
	"bytes"
	"encoding/json"
	"time"

	"github.com/rorfhir/ror/fhir/fherr"
)

// InstantLayout is how the server writes meta.lastUpdated: UTC, millisecond precision.
const InstantLayout = "2006-01-02T15:04:05.000Z"

// Stamp returns body with id, meta.versionId and meta.lastUpdated set by the server (lastUpdated in
// UTC at millisecond precision). resourceType, id and meta come first; every other member follows
// in the order sent, its value copied token for token (decimals such as 4.50, primitive extensions,
// contained and unknown elements are kept; only insignificant whitespace is removed). The other
// members of meta (profile, tag, security, source, extensions...) are kept after versionId and
// lastUpdated.
func Stamp(body []byte, id, versionID string, lastUpdated time.Time) ([]byte, error) {
	ms, err := topMembers(body)
	if err != nil {
		return nil, err
	}
	if !ValidID(id) {
		return nil, fherr.Invalid("value", "id", "id %q is not a valid FHIR id", id)
	}
	var typeRaw, metaRaw []byte
	for _, m := range ms {
		switch m.Key {
		case "resourceType":
			typeRaw = m.Value
		case "meta":
			metaRaw = m.Value
		}
	}
	if typeRaw == nil {
		return nil, fherr.Invalid("required", "resourceType", "the resource has no resourceType")
	}
	if metaRaw != nil && metaRaw[0] != '{' {
		return nil, fherr.Invalid("structure", "meta", "meta must be an object, got %s", jsonKind(metaRaw))
	}

	var out bytes.Buffer
	out.Grow(len(body) + 128)
	out.WriteString(`{"resourceType":`)
	out.Write(typeRaw)
	out.WriteString(`,"id":`)
	writeString(&out, id)
	out.WriteString(`,"meta":{"versionId":`)
	writeString(&out, versionID)
	out.WriteString(`,"lastUpdated":"`)
	out.WriteString(lastUpdated.UTC().Truncate(time.Millisecond).Format(InstantLayout))
	out.WriteByte('"')
	if metaRaw != nil {
		mms, err := objectMembers(metaRaw)
		if err != nil {
			return nil, err
		}
		for _, m := range mms {
			if m.Key == "versionId" || m.Key == "lastUpdated" {
				continue
			}
			out.WriteByte(',')
			writeString(&out, m.Key)
			out.WriteByte(':')
			compactTo(&out, m.Value)
		}
	}
	out.WriteByte('}')
	for _, m := range ms {
		switch m.Key {
		case "resourceType", "id", "meta":
			continue
		}
		out.WriteByte(',')
		writeString(&out, m.Key)
		out.WriteByte(':')
		compactTo(&out, m.Value)
	}
	out.WriteByte('}')
	return out.Bytes(), nil
}

// writeString writes s as a JSON string literal.
func writeString(b *bytes.Buffer, s string) {
	simple := true
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < 0x20 || c == '"' || c == '\\' || c >= 0x80 {
			simple = false
			break
		}
	}
	if simple {
		b.WriteByte('"')
		b.WriteString(s)
		b.WriteByte('"')
		return
	}
	enc, _ := json.Marshal(s) // a string always encodes
	b.Write(enc)
}

// compactTo writes the valid JSON value v without its insignificant whitespace; every token,
// strings and numbers included, is copied byte for byte.
func compactTo(b *bytes.Buffer, v []byte) {
	start, inStr := 0, false
	for i := 0; i < len(v); i++ {
		c := v[i]
		if inStr {
			switch c {
			case '\\':
				i++
			case '"':
				inStr = false
			}
			continue
		}
		switch c {
		case '"':
			inStr = true
		case ' ', '\t', '\n', '\r':
			b.Write(v[start:i])
			start = i + 1
		}
	}
	b.Write(v[start:])
}
