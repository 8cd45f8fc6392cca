package service

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	jsonpatch "github.com/evanphx/json-patch/v5"

	"github.com/rorfhir/ror/fhir/fherr"
)

// ContentTypeJSONPatch is the media type of the PATCH bodies the server accepts (RFC 6902).
const ContentTypeJSONPatch = "application/json-patch+json"

// patchOp is one operation of a JSON Patch document, as checked by parsePatch.
type patchOp struct {
	Op   string
	Path string
	From string // move and copy only
}

// label names op i in messages: "operation 2 (replace /name)".
func (o patchOp) label(i int) string {
	if o.Op == "move" || o.Op == "copy" {
		return fmt.Sprintf("operation %d (%s from %s to %s)", i, o.Op, pointerText(o.From), pointerText(o.Path))
	}
	return fmt.Sprintf("operation %d (%s %s)", i, o.Op, pointerText(o.Path))
}

// pointerText shows a JSON pointer, the whole document ("") included.
func pointerText(p string) string {
	if p == "" {
		return `"" (the whole resource)`
	}
	return p
}

// jsonPatch is a JSON Patch document whose every operation is well formed.
type jsonPatch struct {
	ops []patchOp
	doc jsonpatch.Patch
}

// patchOpsWithValue are the operations that require a "value" member.
var patchOpsWithValue = map[string]bool{"add": true, "replace": true, "test": true}

// parsePatch checks a JSON Patch document (RFC 6902): a JSON array of objects, each with a known
// "op", a JSON pointer "path", a "from" pointer for move and copy and a "value" for add, replace
// and test. Each failure is a 400 naming the operation and what is wrong.
func parsePatch(body []byte, maxBytes int64) (jsonPatch, error) {
	if int64(len(body)) > maxBytes {
		return jsonPatch{}, fherr.Invalid("too-long", "", "the JSON Patch document is larger than the limit of %d bytes", maxBytes)
	}
	if len(bytes.TrimSpace(body)) == 0 {
		return jsonPatch{}, fherr.Invalid("required", "", "the request has no body; a JSON Patch document (a JSON array of operations, RFC 6902) was expected")
	}
	var raw []json.RawMessage
	if err := json.Unmarshal(body, &raw); err != nil {
		return jsonPatch{}, patchInvalid(err, "the body is not a JSON Patch document (a JSON array of operations, RFC 6902): %v", err)
	}
	ops := make([]patchOp, len(raw))
	for i, r := range raw {
		op, err := parsePatchOp(i, r)
		if err != nil {
			return jsonPatch{}, err
		}
		ops[i] = op
	}
	doc, err := jsonpatch.DecodePatch(body)
	if err != nil { // the checks above accept only what the library decodes; kept as a safety net
		return jsonPatch{}, patchInvalid(err, "the JSON Patch document cannot be decoded: %v", err)
	}
	return jsonPatch{ops: ops, doc: doc}, nil
}

// parsePatchOp checks operation i.
func parsePatchOp(i int, raw json.RawMessage) (patchOp, error) {
	var m map[string]json.RawMessage
	if err := json.Unmarshal(raw, &m); err != nil || m == nil {
		return patchOp{}, patchInvalid(err, "operation %d is not a JSON object: %s", i, abbreviate(raw))
	}
	var op patchOp
	var err error
	if op.Op, err = patchMember(m, i, "op"); err != nil {
		return patchOp{}, err
	}
	switch op.Op {
	case "add", "remove", "replace", "move", "copy", "test":
	default:
		return patchOp{}, patchInvalid(nil, "operation %d: op %q is not one of add, remove, replace, move, copy, test", i, op.Op)
	}
	if op.Path, err = patchPointer(m, i, "path"); err != nil {
		return patchOp{}, err
	}
	if op.Op == "move" || op.Op == "copy" {
		if op.From, err = patchPointer(m, i, "from"); err != nil {
			return patchOp{}, err
		}
		if op.Op == "move" && strings.HasPrefix(op.Path, op.From+"/") {
			return patchOp{}, patchInvalid(nil, "operation %d: move from %s into its own child %s is not allowed", i, pointerText(op.From), op.Path)
		}
	}
	if _, ok := m["value"]; patchOpsWithValue[op.Op] && !ok {
		return patchOp{}, patchInvalid(nil, "operation %d (%s %s) has no \"value\"", i, op.Op, pointerText(op.Path))
	}
	return op, nil
}

// patchMember returns the string member name of operation i.
func patchMember(m map[string]json.RawMessage, i int, name string) (string, error) {
	v, ok := m[name]
	if !ok {
		return "", patchInvalid(nil, "operation %d has no %q", i, name)
	}
	var s string
	if err := json.Unmarshal(v, &s); err != nil {
		return "", patchInvalid(err, "operation %d: %q must be a string, got %s", i, name, abbreviate(v))
	}
	return s, nil
}

// patchPointer returns the member name of operation i, a JSON pointer (RFC 6901).
func patchPointer(m map[string]json.RawMessage, i int, name string) (string, error) {
	p, err := patchMember(m, i, name)
	if err != nil {
		return "", err
	}
	if p != "" && p[0] != '/' {
		return "", patchInvalid(nil, "operation %d: %s %q is not a JSON pointer (it must be empty or start with /)", i, name, p)
	}
	for k := 0; k < len(p); k++ {
		if p[k] == '~' && (k+1 == len(p) || p[k+1] != '0' && p[k+1] != '1') {
			return "", patchInvalid(nil, "operation %d: %s %q has a ~ that is not ~0 or ~1", i, name, p)
		}
	}
	return p, nil
}

// patchInvalid is a 400 about the patch document.
func patchInvalid(cause error, format string, args ...any) error {
	e := fherr.Invalid("invalid", "", "JSON Patch: "+format, args...)
	e.Err = cause
	return e
}

// abbreviate shows at most 60 bytes of a JSON value.
func abbreviate(raw []byte) string {
	if len(raw) > 60 {
		return string(raw[:57]) + "..."
	}
	return string(raw)
}

// apply applies the patch to doc (a resource's JSON). When an operation cannot be applied (a
// failing test, a path that does not exist, an index out of range), the answer is a 422 naming
// it; the library applies the whole patch at once, so the failing operation is found by applying
// prefixes of the patch (a binary search: at most log2(n)+1 more applications).
func (p jsonPatch) apply(doc []byte, what string, maxBytes int64) ([]byte, error) {
	opts := &jsonpatch.ApplyOptions{AccumulatedCopySizeLimit: maxBytes}
	out, err := p.doc.ApplyWithOptions(doc, opts)
	if err == nil {
		return out, nil
	}
	lo, hi := 0, len(p.doc) // the prefix of length lo applies, the one of length hi fails
	for hi-lo > 1 {
		mid := (lo + hi) / 2
		if _, e := p.doc[:mid].ApplyWithOptions(doc, opts); e != nil {
			hi, err = mid, e
		} else {
			lo = mid
		}
	}
	i := hi - 1
	return nil, applyError(err, p.ops[i], i, what)
}

// applyError is the 422 of operation i that could not be applied to what ("Organization/x").
func applyError(err error, op patchOp, i int, what string) error {
	var msg, code string
	switch {
	case errors.Is(err, jsonpatch.ErrTestFailed):
		code, msg = "processing", fmt.Sprintf("the test failed: the value at %s is not the one given", pointerText(op.Path))
	case errors.Is(err, jsonpatch.ErrInvalidIndex):
		code, msg = "not-found", "an array index in the path is out of range or not a number"
	case errors.Is(err, jsonpatch.ErrMissing) && (op.Op == "move" || op.Op == "copy"):
		code, msg = "not-found", fmt.Sprintf("%s, or the parent of %s, does not exist", op.From, op.Path)
	case errors.Is(err, jsonpatch.ErrMissing) && op.Op == "add":
		code, msg = "not-found", fmt.Sprintf("the parent of %s does not exist", op.Path)
	case errors.Is(err, jsonpatch.ErrMissing):
		code, msg = "not-found", fmt.Sprintf("%s does not exist", op.Path)
	default:
		code, msg = "processing", "it cannot be applied"
	}
	e := fherr.New(fherr.KindUnprocessable, code, "", "JSON Patch %s cannot be applied to %s: %s", op.label(i), what, msg)
	e.Err = err
	return e
}
