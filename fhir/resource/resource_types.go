package resource

// typeTable lists the resource types the server serves, in CapabilityStatement order. More types
// (ValueSet, CodeSystem, SearchParameter, StructureDefinition) are added here as data.
var typeTable = [...]string{
	"Organization",
	"Location",
	"HealthcareService",
	"PractitionerRole",
	"Practitioner",
	"Task",
}

// SupportedTypes returns the resource types the server serves (a fresh slice each call).
func SupportedTypes() []string {
	out := make([]string, len(typeTable))
	copy(out, typeTable[:])
	return out
}

// IsSupported reports whether typ is one of SupportedTypes.
func IsSupported(typ string) bool {
	for _, t := range typeTable {
		if t == typ {
			return true
		}
	}
	return false
}
