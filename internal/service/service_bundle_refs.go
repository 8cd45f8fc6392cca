package service

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
)

// rewriteReferences returns body with the value of every "reference" member (at any depth:
// contained resources, extensions...) passed through fn: fn returns the new value and true to
// replace it. Every other byte of body is kept as it is.
func rewriteReferences(body []byte, fn func(ref string) (string, bool, error)) ([]byte, error) {
	type frame struct {
		object    bool
		expectKey bool
		key       string
	}
	type edit struct {
		start, end int
		value      string
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	var stack []*frame
	var edits []edit
	for {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			if len(stack) > 0 {
				return nil, io.ErrUnexpectedEOF
			}
			break
		}
		if err != nil {
			return nil, err
		}
		var top *frame
		if len(stack) > 0 {
			top = stack[len(stack)-1]
		}
		if d, ok := tok.(json.Delim); ok {
			switch d {
			case '{', '[':
				stack = append(stack, &frame{object: d == '{', expectKey: d == '{'})
			default:
				stack = stack[:len(stack)-1]
				if len(stack) > 0 && stack[len(stack)-1].object {
					stack[len(stack)-1].expectKey = true
				}
			}
			continue
		}
		if top == nil || !top.object {
			continue
		}
		if top.expectKey {
			top.key, _ = tok.(string)
			top.expectKey = false
			continue
		}
		top.expectKey = true
		ref, isString := tok.(string)
		if top.key != "reference" || !isString {
			continue
		}
		repl, ok, err := fn(ref)
		if err != nil {
			return nil, err
		}
		if ok {
			end := int(dec.InputOffset())
			edits = append(edits, edit{start: stringStart(body, end), end: end, value: repl})
		}
	}
	if len(edits) == 0 {
		return body, nil
	}
	out := make([]byte, 0, len(body)+len(edits)*16)
	at := 0
	for _, e := range edits {
		out = append(out, body[at:e.start]...)
		v, err := json.Marshal(e.value)
		if err != nil {
			return nil, err
		}
		out = append(out, v...)
		at = e.end
	}
	return append(out, body[at:]...), nil
}

// stringStart returns the offset of the opening quote of the JSON string whose closing quote is
// at end-1: the previous quote not escaped by a backslash (a quote inside a string always is).
func stringStart(body []byte, end int) int {
	for i := end - 2; i >= 0; i-- {
		if body[i] != '"' {
			continue
		}
		n := 0
		for j := i - 1; j >= 0 && body[j] == '\\'; j-- {
			n++
		}
		if n%2 == 0 {
			return i
		}
	}
	return 0
}
