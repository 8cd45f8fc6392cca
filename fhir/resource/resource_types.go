package resource

// typeTable lists the resource types the server serves, in CapabilityStatement order. More types are
// added here as data (SearchParameter and StructureDefinition are served read-only by the API
// from generated definitions, not stored).
var typeTable = [...]string{
	"Organization",
	"Location",
	"HealthcareService",
	"PractitionerRole",
	"Practitioner",
	"Task",
	"ValueSet",
	"CodeSystem",
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
