package resource

import (
	"bytes"
	"encoding/json"
	"errors"
	"reflect"
	"strconv"
	"strings"

	"github.com/google/fhir/go/fhirversion"
	"github.com/google/fhir/go/jsonformat"
	"github.com/rorfhir/ror/fhir/fherr"
)

// maxStripRounds bounds how many times unknown elements are stripped and the body re-checked.
const maxStripRounds = 4

// checkStructureGoogle is the reference implementation of CheckStructure past Parse and the
// resource type check: google/fhir's jsonformat unmarshals body (JSON to protobuf, then
// validation). Unknown elements are stripped from a copy and the copy checked again. It is the
// fallback of the fast walk (checkWalk) for every body the walk cannot vouch for, so that the
// decisions and the messages of rejected bodies stay those of jsonformat.
func checkStructureGoogle(body []byte) (warnings []fherr.Issue, err error) {
	um, err := jsonformat.NewUnmarshaller("UTC", fhirversion.R4)
	if err != nil {
		return nil, fherr.Fault(err)
	}
	doc := body
	var tree any // decoded copy, only when the body must be adapted for jsonformat
	if bytes.Contains(body, []byte("null")) {
		if tree, err = decodeTree(body); err != nil {
			return nil, fherr.Fault(err)
		}
		if fixNullPairs(tree) {
			if doc, err = json.Marshal(tree); err != nil {
				return nil, fherr.Fault(err)
			}
		}
	}
	for round := 0; ; round++ {
		rep := &reporter{}
		_, uerr := um.UnmarshalWithErrorReporter(doc, rep)
		parseIssues, unknown, ferr := splitUnmarshalErrors(uerr)
		if ferr != nil {
			return warnings, fherr.Fault(ferr)
		}
		if len(unknown) == 0 || round == maxStripRounds {
			issues := append(parseIssues, rep.issues...)
			for _, u := range unknown { // only when rounds ran out
				issues = append(issues, unknownIssue(u, "error"))
			}
			if len(issues) > 0 {
				return warnings, &fherr.Error{Kind: fherr.KindInvalid, Issues: issues}
			}
			return warnings, nil
		}
		if tree == nil {
			if tree, err = decodeTree(body); err != nil {
				return warnings, fherr.Fault(err)
			}
		}
		for _, u := range unknown {
			warnings = append(warnings, unknownIssue(u, "warning"))
			removeAt(tree, u.path, u.key)
		}
		if doc, err = json.Marshal(tree); err != nil {
			return warnings, fherr.Fault(err)
		}
	}
}

// unknownElem is an element jsonformat did not recognise: key under the element at path.
type unknownElem struct {
	path string
	key  string
}

func unknownIssue(u unknownElem, severity string) fherr.Issue {
	return fherr.Issue{
		Severity:    severity,
		Code:        "structure",
		Diagnostics: "unknown element " + strconv.Quote(u.key) + " (not in the base R4 definition); kept as sent",
		Expression:  []string{fhirPath(u.path) + "." + u.key},
	}
}

// reporter collects jsonformat's validation findings as issues.
type reporter struct {
	issues []fherr.Issue
}

func (r *reporter) ReportValidationError(path string, err error) error {
	r.issues = append(r.issues, toIssue(path, err, "error"))
	return nil
}

func (r *reporter) ReportValidationWarning(path string, err error) error {
	r.issues = append(r.issues, toIssue(path, err, "warning"))
	return nil
}

// umError is the exported shape of jsonformat's internal UnmarshalError, read by reflection.
type umError struct {
	Path, Details, Diagnostics string
}

// readUMError reads an *UnmarshalError (an internal type of jsonformat) by reflection.
func readUMError(err error) (umError, bool) {
	v := reflect.ValueOf(err)
	if v.Kind() != reflect.Pointer || v.IsNil() || v.Elem().Kind() != reflect.Struct {
		return umError{}, false
	}
	s := v.Elem()
	get := func(name string) (string, bool) {
		f := s.FieldByName(name)
		if !f.IsValid() || f.Kind() != reflect.String {
			return "", false
		}
		return f.String(), true
	}
	p, ok1 := get("Path")
	d, ok2 := get("Details")
	g, ok3 := get("Diagnostics")
	if !ok1 || !ok2 || !ok3 {
		return umError{}, false
	}
	return umError{Path: p, Details: d, Diagnostics: g}, true
}

// splitUnmarshalErrors separates unknown-element errors from the others. A non-nil third result
// means jsonformat failed in a way that is not about the body.
func splitUnmarshalErrors(err error) (issues []fherr.Issue, unknown []unknownElem, fault error) {
	if err == nil {
		return nil, nil, nil
	}
	var list []error
	v := reflect.ValueOf(err)
	switch {
	case v.Kind() == reflect.Slice:
		for i := 0; i < v.Len(); i++ {
			if e, ok := v.Index(i).Interface().(error); ok {
				list = append(list, e)
			}
		}
	default:
		list = []error{err}
	}
	for _, e := range list {
		ue, ok := readUMError(e)
		if !ok {
			return nil, nil, errors.Join(errors.New("jsonformat"), e)
		}
		if ue.Details == "unknown field" {
			key, qerr := strconv.Unquote(ue.Diagnostics)
			if qerr != nil {
				key = ue.Diagnostics
			}
			unknown = append(unknown, unknownElem{path: ue.Path, key: key})
			continue
		}
		issues = append(issues, toIssue(ue.Path, e, "error"))
	}
	return issues, unknown, nil
}

// toIssue turns a jsonformat finding into an issue with a FHIRPath expression.
func toIssue(path string, err error, severity string) fherr.Issue {
	msg := err.Error()
	code := "value"
	if ue, ok := readUMError(err); ok {
		msg = ue.Details
		if ue.Diagnostics != "" {
			msg += ": " + strings.ToValidUTF8(ue.Diagnostics, "")
		}
		if path == "" {
			path = ue.Path
		}
	}
	switch {
	case strings.Contains(msg, "missing required"):
		code = "required"
	case strings.Contains(msg, "invalid JSON"), strings.Contains(msg, "expected"), strings.Contains(msg, "unknown resource type"):
		code = "structure"
	}
	if rest, ok := strings.CutPrefix(msg, `missing required field "`); ok {
		if field, _, ok := strings.Cut(rest, `"`); ok && path != "" {
			path += "." + field
		}
	}
	is := fherr.Issue{Severity: severity, Code: code, Diagnostics: msg}
	if path != "" {
		is.Expression = []string{fhirPath(path)}
	}
	return is
}

// fhirPath turns a jsonformat path into a FHIRPath expression: jsonformat inserts the resource
// type after each contained resource ("Organization.contained[0].Location.name"), FHIRPath does not.
// Element names never start with an upper-case letter, so such segments (past the first) are
// resource types.
func fhirPath(p string) string {
	segs := strings.Split(p, ".")
	out := segs[:1]
	for _, s := range segs[1:] {
		if s != "" && s[0] >= 'A' && s[0] <= 'Z' {
			continue
		}
		out = append(out, s)
	}
	return strings.Join(out, ".")
}

// removeAt deletes key from the object found at path (a jsonformat path such as
// "Organization.contact[0]" or "Organization.contained[1].Location") inside tree.
func removeAt(tree any, path, key string) {
	cur := tree
	segs := strings.Split(path, ".")
	for i, seg := range segs {
		obj, ok := cur.(map[string]any)
		if !ok {
			return
		}
		if i == 0 || obj["resourceType"] == seg && obj[seg] == nil {
			continue // the resource type names the (contained) resource itself
		}
		name, idx := seg, -1
		if b := strings.IndexByte(seg, '['); b >= 0 && strings.HasSuffix(seg, "]") {
			n, err := strconv.Atoi(seg[b+1 : len(seg)-1])
			if err != nil {
				return
			}
			name, idx = seg[:b], n
		}
		next, ok := obj[name]
		if !ok {
			return
		}
		if idx >= 0 {
			arr, ok := next.([]any)
			if !ok || idx >= len(arr) {
				return
			}
			next = arr[idx]
		}
		cur = next
	}
	if obj, ok := cur.(map[string]any); ok {
		delete(obj, key)
	}
}

func decodeTree(body []byte) (any, error) {
	var tree any
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	err := dec.Decode(&tree)
	return tree, err
}

// fixNullPairs adapts arrays of primitives paired with their extensions ("line" and "_line") to
// what jsonformat accepts: FHIR JSON puts null in one array where only the other has an entry,
// jsonformat rejects any null. A null extension entry becomes {}; a null value whose extension
// entry is present is dropped from both arrays (its extension is then not checked). Nulls
// anywhere else are left for jsonformat to reject. It reports whether it changed anything.
func fixNullPairs(v any) bool {
	changed := false
	switch t := v.(type) {
	case map[string]any:
		for k, ext := range t {
			if !strings.HasPrefix(k, "_") {
				changed = fixNullPairs(ext) || changed
				continue
			}
			exts, ok1 := ext.([]any)
			vals, ok2 := t[k[1:]].([]any)
			if !ok1 || !ok2 || len(exts) != len(vals) {
				changed = fixNullPairs(ext) || changed
				continue
			}
			for i := len(vals) - 1; i >= 0; i-- {
				switch {
				case vals[i] == nil && exts[i] != nil:
					vals = append(vals[:i], vals[i+1:]...)
					exts = append(exts[:i], exts[i+1:]...)
					changed = true
				case vals[i] != nil && exts[i] == nil:
					exts[i] = map[string]any{}
					changed = true
				}
			}
			t[k], t[k[1:]] = exts, vals
			changed = fixNullPairs(exts) || changed
		}
	case []any:
		for _, e := range t {
			changed = fixNullPairs(e) || changed
		}
	}
	return changed
}
