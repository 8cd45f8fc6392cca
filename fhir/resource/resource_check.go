package resource

import (
	"encoding/json"

	"github.com/rorfhir/ror/fhir/fherr"
)

// CheckStructure checks body against the base FHIR R4 structure of resource type typ, with the
// decisions of google/fhir's jsonformat: element types, primitive formats (dates, decimals as
// numbers, codes of required bindings...), required elements and reference target types.
//
// Unknown elements are not errors: the ROR keeps regional data it does not know and returns it
// untouched. They are returned as warnings (one issue per element, code "structure", severity
// "warning") and removed from the copy used for validation only. Every other problem makes err a
// *fherr.Error of KindInvalid listing all of them, each with the FHIRPath of the element.
//
// A single walk of the JSON driven by tables built from the google/fhir R4 descriptors decides
// the bodies it can vouch for (all valid bodies in practice). Anything else, every rejected body
// included, goes through jsonformat itself (checkStructureGoogle), so that decisions and error
// messages are jsonformat's.
func CheckStructure(typ string, body []byte) (warnings []fherr.Issue, err error) {
	if json.Valid(body) {
		if warnings, ok := checkWalk(typ, body); ok {
			return warnings, nil // Parse would have passed too
		}
	}
	info, err := Parse(body)
	if err != nil {
		return nil, err
	}
	if info.Type != typ {
		return nil, fherr.Invalid("invalid", "resourceType", "resourceType is %q but %q was expected", info.Type, typ)
	}
	return checkStructureGoogle(body)
}
