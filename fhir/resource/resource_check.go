package resource

import (
	"github.com/rorfhir/ror/fhir/fherr"
)

// CheckStructure checks body against the base FHIR R4 structure of resource type typ with
// google/fhir's jsonformat: element types, primitive formats (dates, decimals as numbers, codes
// of required bindings...), required elements and reference target types.
//
// Unknown elements are not errors: the ROR keeps regional data it does not know and returns it
// untouched. They are returned as warnings (one issue per element, code "structure", severity
// "warning") and removed from the copy used for validation only. Every other problem makes err a
// *fherr.Error of KindInvalid listing all of them, each with the FHIRPath of the element.
func CheckStructure(typ string, body []byte) (warnings []fherr.Issue, err error) {
	info, err := Parse(body)
	if err != nil {
		return nil, err
	}
	if info.Type != typ {
		return nil, fherr.Invalid("invalid", "resourceType", "resourceType is %q but %q was expected", info.Type, typ)
	}
	return checkStructureGoogle(body)
}
