// Package profiles holds the project's own definitions of the ROR FHIR profiles (IG ans.fhir.fr.ror
// 0.7.0: ror-organization, ror-location, ror-healthcareservice, ror-practitioner,
// ror-practitionerrole) and of their 47 extensions, and validates raw JSON resources against them.
//
// The definitions live in defs/ as a compact JSON format of our own (see defs_model.go and
// defs/README.md): one file per profile and one file for the extensions. They are compiled once, by
// NewValidator, into lookup trees; Validate then walks the client's JSON (decoded with encoding/json,
// nothing dropped) and reports every failure as an fherr.Issue with a FHIRPath expression.
//
// The package also generates the StructureDefinition resources of our profiles and extensions
// (differential form) and checks, against the IG files, that every constraint of the IG is
// represented (Coverage).
//
// Terminology (required bindings, $expand) is consumed through the Terminology interface;
// profiles/terminology implements it over ValueSet and CodeSystem resources held in memory.
//
// This package must not import api, internal/* or any store backend; it depends only on fhir/fherr
// and store (for the Version type of the service-check adapter).
package profiles
