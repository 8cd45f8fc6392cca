package resource

import (
	"bytes"
	"encoding/json"
	"errors"

	"github.com/rorfhir/ror/fhir/fherr"
)

// member is one member of a JSON object: its (unescaped) name and its value as a slice of the
// original bytes.
type member struct {
	Key   string
	Value []byte
}

// topMembers validates body as exactly one JSON value and returns the members of that value, which
// must be an object. Values are slices of body (not copies).
func topMembers(body []byte) ([]member, error) {
	if !json.Valid(body) {
		return nil, syntaxError(body)
	}
	i := skipSpace(body, 0)
	if i >= len(body) || body[i] != '{' {
		return nil, fherr.Invalid("structure", "", "the body must be a JSON object (a FHIR resource)")
	}
	return objectMembers(body[i:])
}

// objectMembers splits an object already known to be valid JSON (obj starts with '{').
func objectMembers(obj []byte) ([]member, error) {
	ms := make([]member, 0, 16)
	i := skipSpace(obj, 1)
	if obj[i] == '}' {
		return ms, nil
	}
	for {
		kEnd := skipString(obj, i)
		key, err := unquote(obj[i:kEnd])
		if err != nil {
			return nil, err
		}
		i = skipSpace(obj, kEnd)
		i = skipSpace(obj, i+1) // ':'
		vEnd := skipValue(obj, i)
		ms = append(ms, member{Key: key, Value: obj[i:vEnd:vEnd]})
		i = skipSpace(obj, vEnd)
		if obj[i] == '}' {
			return ms, nil
		}
		i = skipSpace(obj, i+1) // ','
	}
}

// syntaxError describes why body is not one JSON value.
func syntaxError(body []byte) error {
	if len(bytes.TrimSpace(body)) == 0 {
		return fherr.Invalid("structure", "", "the body is empty; a JSON resource was expected")
	}
	var raw json.RawMessage
	err := json.Unmarshal(body, &raw)
	var se *json.SyntaxError
	if errors.As(err, &se) {
		return fherr.Invalid("structure", "", "the body is not valid JSON: %s (at byte offset %d)", se.Error(), se.Offset)
	}
	if err != nil {
		return fherr.Invalid("structure", "", "the body is not valid JSON: %s", err.Error())
	}
	return fherr.Invalid("structure", "", "the body is not valid JSON")
}

func skipSpace(b []byte, i int) int {
	for i < len(b) {
		switch b[i] {
		case ' ', '\t', '\n', '\r':
			i++
		default:
			return i
		}
	}
	return i
}

// skipString returns the index just after the string starting at b[i] == '"'.
func skipString(b []byte, i int) int {
	for i++; i < len(b); i++ {
		switch b[i] {
		case '\\':
			i++
		case '"':
			return i + 1
		}
	}
	return len(b)
}

// skipValue returns the index just after the (valid) JSON value starting at b[i].
func skipValue(b []byte, i int) int {
	switch b[i] {
	case '"':
		return skipString(b, i)
	case '{', '[':
		depth := 0
		for ; i < len(b); i++ {
			switch b[i] {
			case '"':
				i = skipString(b, i) - 1
			case '{', '[':
				depth++
			case '}', ']':
				depth--
				if depth == 0 {
					return i + 1
				}
			}
		}
		return len(b)
	default:
		for ; i < len(b); i++ {
			switch b[i] {
			case ',', '}', ']', ' ', '\t', '\n', '\r':
				return i
			}
		}
		return len(b)
	}
}

// unquote decodes a JSON string literal (quotes included).
func unquote(lit []byte) (string, error) {
	if bytes.IndexByte(lit, '\\') < 0 {
		return string(lit[1 : len(lit)-1]), nil
	}
	var s string
	if err := json.Unmarshal(lit, &s); err != nil {
		return "", fherr.Invalid("structure", "", "bad JSON string %s", lit)
	}
	return s, nil
}

// stringValue returns the decoded string when raw is a JSON string.
func stringValue(raw []byte) (string, bool) {
	if len(raw) < 2 || raw[0] != '"' {
		return "", false
	}
	s, err := unquote(raw)
	return s, err == nil
}

// jsonKind names the JSON kind of a raw value, for diagnostics.
func jsonKind(raw []byte) string {
	if len(raw) == 0 {
		return "nothing"
	}
	switch raw[0] {
	case '"':
		return "a string"
	case '{':
		return "an object"
	case '[':
		return "an array"
	case 't', 'f':
		return "a boolean"
	case 'n':
		return "null"
	default:
		return "a number"
	}
}
