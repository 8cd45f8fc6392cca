package search

// rorSPURL is the canonical URL prefix of the ROR IG's SearchParameters (ans.fhir.fr.ror 0.7.0).
const rorSPURL = "https://interop.esante.gouv.fr/ig/fhir/ror/SearchParameter/"

// rorSD is the canonical URL prefix of the ROR IG's extensions.
const rorSD = "https://interop.esante.gouv.fr/ig/fhir/ror/StructureDefinition/"

// rorRow is one ROR SearchParameter: id (the canonical is rorSPURL + id), code, type, base, our
// expression (walker-friendly: where(url='...') and choice elements instead of .as(T)) and, when our
// definition departs from the published one, what was broken and what we do instead.
type rorRow struct {
	id, code, typ, base, expr, desc, fix string
}

// ext builds "Base.extension.where(url='<rorSD+name>')" followed by sub-extension steps.
func ext(base, name string, subs ...string) string {
	s := base + ".extension.where(url='" + rorSD + name + "')"
	for _, sub := range subs {
		s += ".extension.where(url='" + sub + "')"
	}
	return s
}

// Published expressions read CodeableConcept sub-extensions with .value.as(code), which selects
// nothing (the sub-extensions are typed CodeableConcept): every such parameter reads the value
// whatever its type, so that a CodeableConcept is indexed by its codings.
const fixAsCode = "the published expression reads the sub-extension with .value.as(code) while the extension types it CodeableConcept, so it selected nothing; the value is read whatever its type (codings of the CodeableConcept are indexed)"

// rorRows are the 36 SearchParameters of the ROR IG, as the server implements them.
var rorRows = [...]rorRow{
	{"ror-sp-additional-bed-type", "additional-bed-type", TypeToken, "Location", ext("Location", "ror-location-supported-capacity", "additionalBedType") + ".value", "Type of additional bed (supported capacity)", fixAsCode},
	{"ror-sp-capacity-closing-type", "capacity-closing-type", TypeToken, "Location", ext("Location", "ror-location-supported-capacity", "capacityClosingType") + ".value", "Type of capacity closing (supported capacity)", fixAsCode},
	{"ror-sp-capacity-status", "capacity-status", TypeToken, "Location", ext("Location", "ror-location-supported-capacity", "capacityStatus") + ".value", "Status of the capacity (supported capacity)", fixAsCode},
	{"ror-sp-capacity-type", "capacity-type", TypeToken, "Location", ext("Location", "ror-location-supported-capacity", "capacityType") + ".value", "Type of capacity (supported capacity)", fixAsCode},
	{"ror-sp-capacity-update-date", "capacity-update-date", TypeDate, "Location", ext("Location", "ror-location-supported-capacity", "capacityUpdateDate") + ".value", "Date the capacity was last updated", ""},
	{"ror-sp-crisis-type", "crisis-type", TypeToken, "Location", ext("Location", "ror-location-supported-capacity", "crisisType") + ".value", "Type of crisis (supported capacity)", fixAsCode},
	{"ror-sp-equipment-feature", "equipment-feature", TypeToken, "Location",
		ext("Location", "ror-location-equipment-limit", "equipmentFeature") + ".value | " + ext("Location", "ror-location-equipment") + ".extension.where(url='" + rorSD + "ror-location-equipment-limit').extension.where(url='equipmentFeature').value",
		"Feature of an equipment limit",
		"the published expression looks for ror-location-equipment-limit at the top level of Location, but the extension is a sub-extension of ror-location-equipment: both places are read"},
	{"ror-sp-equipment-type", "equipment-type", TypeToken, "Location", ext("Location", "ror-location-equipment", "equipmentType") + ".value", "Type of equipment of the location", ""},
	{"ror-sp-gender-capacity-available", "gender-capacity-available", TypeToken, "Location", ext("Location", "ror-location-supported-capacity", "genderCapacityAvailable") + ".value", "Gender of the available capacity", fixAsCode},
	{"ror-sp-healthcareservice-age-range-high", "age-range-high", TypeQuantity, "HealthcareService", ext("HealthcareService", "ror-healthcareservice-patient-type", "ageRange") + ".value.high", "Upper bound of the age range of the supported patients", ""},
	{"ror-sp-healthcareservice-age-range-low", "age-range-low", TypeQuantity, "HealthcareService", ext("HealthcareService", "ror-healthcareservice-patient-type", "ageRange") + ".value.low", "Lower bound of the age range of the supported patients", ""},
	{"ror-sp-healthcareservice-equipment-type", "equipment-type", TypeToken, "HealthcareService",
		"HealthcareService.extension.where(url='http://interop.esante.gouv.fr/ig/fhir/ror30/StructureDefinition/ror-healthcareservice-equipement').extension.where(url='equipmentType').value | " + ext("HealthcareService", "ror-location-equipment", "equipmentType") + ".value",
		"Type of equipment of the healthcare service",
		"the published expression names the obsolete extension ror30/ror-healthcareservice-equipement, which 0.7.0 does not define; the server reads it and also the 0.7.0 equipment extension ror-location-equipment (sub-extension equipmentType) when carried by the HealthcareService"},
	{"ror-sp-healthcareservice-intervention-zone", "intervention-zone", TypeToken, "HealthcareService", ext("HealthcareService", "ror-territorial-division", "codeTerritorialDivision") + ".value", "Code of a territorial division of the intervention zone", ""},
	{"ror-sp-healthcareservice-notavailable-closing-reopeningdate", "notavailable-closing-reopeningdate", TypeDate, "HealthcareService", "HealthcareService.notAvailable.where(id='closingReopeningDate').during", "Closing and reopening dates of the healthcare service (a period)", ""},
	{"ror-sp-healthcareservice-patient-type", "patient-type", TypeToken, "HealthcareService", ext("HealthcareService", "ror-healthcareservice-patient-type", "supportedPatientInfo") + ".value", "Type of supported patients", ""},
	{"ror-sp-healthcareservice-psychiatric-sector", "psychiatric-sector", TypeString, "HealthcareService", ext("HealthcareService", "ror-healthcareservice-psychiatric-sector") + ".value", "Psychiatric sector of the healthcare service", ""},
	{"ror-sp-limit-value", "limit-value", TypeQuantity, "Location",
		ext("Location", "ror-location-equipment-limit", "limitValue") + ".value | " + ext("Location", "ror-location-equipment") + ".extension.where(url='" + rorSD + "ror-location-equipment-limit').extension.where(url='limitValue').value",
		"Limit value of an equipment",
		"the published expression looks for ror-location-equipment-limit at the top level of Location, but the extension is a sub-extension of ror-location-equipment: both places are read"},
	{"ror-sp-location-commune-cog", "commune-cog", TypeToken, "Location", ext("Location", "ror-commune-cog") + ".value", "INSEE code (COG) of the commune of the location", ""},
	{"ror-sp-location-near-insee-code", "near-insee-code", TypeToken, "Location",
		"Location.address.extension.where(url='http://interopsante.org/fhir/StructureDefinition/FrAddressInseeCode').value | Location.address.extension.where(url='https://interop.esante.gouv.fr/ig/fhir/ror/structuredefinition/datatype/fr-address-insee-code').value",
		"INSEE code of the commune of the location's address",
		"published as type special on the undefined extension …/structuredefinition/datatype/fr-address-insee-code; the server makes it a token on the address's INSEE code as carried by fr-core's FrAddressInseeCode extension (the published URL is read too)"},
	{"ror-sp-nb-capacity", "nb-capacity", TypeNumber, "Location", ext("Location", "ror-location-supported-capacity", "nbCapacity") + ".value", "Number of places of the capacity", ""},
	{"ror-sp-organization-closing-type", "closing-type", TypeToken, "Organization", ext("Organization", "ror-organization-closing-type") + ".value", "Type of closing of the organization", ""},
	{"ror-sp-organization-drop-zone", "drop-zone", TypeToken, "Organization", ext("Organization", "ror-organization-drop-zone") + ".value", "Whether the organization has a drop zone (boolean)", ""},
	{"ror-sp-organization-oi-name", "oi-name", TypeString, "Organization",
		ext("Organization", "ror-organization-oi-name") + ".value | " + ext("Organization", "ror-organization-additional-name") + ".value",
		"Name of the organization as known by the information system (additional name)",
		"the published expression names ror-organization-oi-name, which 0.7.0 does not define; the server reads it and the 0.7.0 extension ror-organization-additional-name"},
	{"ror-sp-organization-period-end", "period-end", TypeDate, "Organization", "Organization.extension.where(url='http://hl7.org/fhir/StructureDefinition/organization-period').value.end", "End of the organization's period of activity", ""},
	{"ror-sp-organization-price-amount-value", "price-amount-value", TypeNumber, "Organization", ext("Organization", "ror-organization-price", "amount") + ".value.value", "Amount of a price",
		"published with code amount-value while the IG's CapabilityStatement names it price-amount-value; the server uses price-amount-value (the name consumers are told to use)"},
	{"ror-sp-organization-price-dependency-level", "price-dependency-level", TypeToken, "Organization", ext("Organization", "ror-organization-price", "dependencyLevel") + ".value", "Dependency level of a price", ""},
	{"ror-sp-organization-price-residential-type", "price-residential-type", TypeToken, "Organization", ext("Organization", "ror-organization-price", "residentialType") + ".value", "Residential type of a price", ""},
	{"ror-sp-organization-price-type", "price-type", TypeToken, "Organization", ext("Organization", "ror-organization-price", "priceType") + ".value", "Type of price", ""},
	{"ror-sp-organization-price-unit", "price-unit", TypeToken, "Organization", ext("Organization", "ror-organization-price", "priceUnit") + ".value", "Unit of a price", ""},
	{"ror-sp-organization-price-validity-start-date", "price-validity-start-date", TypeDate, "Organization", ext("Organization", "ror-organization-price", "startDate") + ".value", "Start of validity of a price",
		"the published expression reads sub-extension startDate of …/ror-organization (a profile, not an extension); the server reads it in ror-organization-price, which defines startDate"},
	{"ror-sp-organization-price-welcome-type", "price-welcome-type", TypeToken, "Organization", ext("Organization", "ror-organization-price", "welcomeType") + ".value", "Welcome type of a price", ""},
	{"ror-sp-organization-special-price", "special-price", TypeToken, "Organization", ext("Organization", "ror-organization-price", "specialPrice") + ".value", "Special price",
		"the published expression reads sub-extension dependencyLevel (a copy of price-dependency-level); the server reads specialPrice, which ror-organization-price defines for it"},
	{"ror-sp-residential-number", "residential-number", TypeNumber, "Location", ext("Location", "ror-location-residential-capacity", "residentialNumber") + ".value", "Number of residential places", ""},
	{"ror-sp-residential-type", "residential-type", TypeToken, "Location", ext("Location", "ror-location-residential-capacity", "residentialType") + ".value", "Type of residential capacity", ""},
	{"ror-sp-temporality-capacity", "temporality-capacity", TypeToken, "Location", ext("Location", "ror-location-supported-capacity", "temporalityCapacity") + ".value", "Temporality of the capacity", fixAsCode},
	{"ror-sp-temporary-assignement", "temporary-assignement", TypeToken, "Location", ext("Location", "ror-location-supported-capacity", "temporaryAssignement") + ".value", "Temporary assignment of the capacity", ""},
}

// RORParams returns the 36 SearchParameters of the ROR IG as the server implements them: our own
// definitions, with the IG's canonical URLs. Fix says, for each parameter whose published
// definition is broken, what the server does instead (see also the package doc).
func RORParams() []Param {
	out := make([]Param, 0, len(rorRows))
	for _, rw := range rorRows {
		out = append(out, Param{ID: rw.id, Code: rw.code, Type: rw.typ, Expression: rw.expr, Description: rw.desc,
			URL: rorSPURL + rw.id, Base: []string{rw.base}, Fix: rw.fix})
	}
	return out
}
