package search

import "strings"

// r4URL is the canonical URL prefix of the R4 base SearchParameters.
const r4URL = "http://hl7.org/fhir/SearchParameter/"

// row is one line of the parameter tables below: code, type, expression, description and, for
// references, the target types.
type row struct {
	code, typ, expr, desc string
	targets               []string
}

// resourceRows apply to every resource type.
var resourceRows = [...]row{
	{"_id", TypeToken, "Resource.id", "Logical id of this artifact", nil},
	{"_lastUpdated", TypeDate, "Resource.meta.lastUpdated", "When the resource version last changed", nil},
	{"_tag", TypeToken, "Resource.meta.tag", "Tags applied to this resource", nil},
	{"_profile", TypeURI, "Resource.meta.profile", "Profiles this resource claims to conform to", nil},
	{"_security", TypeToken, "Resource.meta.security", "Security Labels applied to this resource", nil},
	{"_source", TypeURI, "Resource.meta.source", "Identifies where the resource comes from", nil},
}

// addressRows are the address parameters shared by Organization, Location and Practitioner; "X"
// stands for the resource type.
var addressRows = [...]row{
	{"address", TypeString, "X.address", "A server defined search that may match any of the string fields in the Address, including line, city, district, state, country, postalCode, and/or text", nil},
	{"address-city", TypeString, "X.address.city", "A city specified in an address", nil},
	{"address-country", TypeString, "X.address.country", "A country specified in an address", nil},
	{"address-postalcode", TypeString, "X.address.postalCode", "A postal code specified in an address", nil},
	{"address-state", TypeString, "X.address.state", "A state specified in an address", nil},
	{"address-use", TypeToken, "X.address.use", "A use code specified in an address", nil},
}

// typeRows are the R4 base parameters of the served types.
var typeRows = map[string][]row{
	"Organization": {
		{"active", TypeToken, "Organization.active", "Is the Organization record active", nil},
		{"endpoint", TypeReference, "Organization.endpoint", "Technical endpoints providing access to services operated for the organization", []string{"Endpoint"}},
		{"identifier", TypeToken, "Organization.identifier", "Any identifier for the organization (not the accreditation issuer's identifier)", nil},
		{"name", TypeString, "Organization.name | Organization.alias", "A portion of the organization's name or alias", nil},
		{"partof", TypeReference, "Organization.partOf", "An organization of which this organization forms a part", []string{"Organization"}},
		{"phonetic", TypeString, "Organization.name", "A portion of the organization's name using some kind of phonetic matching algorithm", nil},
		{"type", TypeToken, "Organization.type", "A code for the type of organization", nil},
	},
	"Location": {
		{"endpoint", TypeReference, "Location.endpoint", "Technical endpoints providing access to services operated for the location", []string{"Endpoint"}},
		{"identifier", TypeToken, "Location.identifier", "An identifier for the location", nil},
		{"name", TypeString, "Location.name | Location.alias", "A portion of the location's name or alias", nil},
		{"near", TypeSpecial, "Location.position", "Search for locations where the location.position is near to, or within a specified distance of, the provided coordinates expressed as [latitude]|[longitude]|[distance]|[units]", nil},
		{"operational-status", TypeToken, "Location.operationalStatus", "Searches for locations (typically bed/room) that have an operational status (e.g. contaminated, housekeeping)", nil},
		{"organization", TypeReference, "Location.managingOrganization", "Searches for locations that are managed by the provided organization", []string{"Organization"}},
		{"partof", TypeReference, "Location.partOf", "A location of which this location is a part", []string{"Location"}},
		{"status", TypeToken, "Location.status", "Searches for locations with a specific kind of status", nil},
		{"type", TypeToken, "Location.type", "A code for the type of location", nil},
	},
	"HealthcareService": {
		{"active", TypeToken, "HealthcareService.active", "The Healthcare Service is currently marked as active", nil},
		{"characteristic", TypeToken, "HealthcareService.characteristic", "One of the HealthcareService's characteristics", nil},
		{"coverage-area", TypeReference, "HealthcareService.coverageArea", "Location(s) service is intended for/available to", []string{"Location"}},
		{"endpoint", TypeReference, "HealthcareService.endpoint", "Technical endpoints providing access to electronic services operated for the healthcare service", []string{"Endpoint"}},
		{"identifier", TypeToken, "HealthcareService.identifier", "External identifiers for this item", nil},
		{"location", TypeReference, "HealthcareService.location", "The location of the Healthcare Service", []string{"Location"}},
		{"name", TypeString, "HealthcareService.name", "A portion of the Healthcare service name", nil},
		{"organization", TypeReference, "HealthcareService.providedBy", "The organization that provides this Healthcare Service", []string{"Organization"}},
		{"program", TypeToken, "HealthcareService.program", "One of the Programs supported by this HealthcareService", nil},
		{"service-category", TypeToken, "HealthcareService.category", "Service Category of the Healthcare Service", nil},
		{"service-type", TypeToken, "HealthcareService.type", "The type of service provided by this healthcare service", nil},
		{"specialty", TypeToken, "HealthcareService.specialty", "The specialty of the service provided by this healthcare service", nil},
	},
	"PractitionerRole": {
		{"active", TypeToken, "PractitionerRole.active", "Whether this practitioner role record is in active use", nil},
		{"date", TypeDate, "PractitionerRole.period", "The period during which the practitioner is authorized to perform in these role(s)", nil},
		{"email", TypeToken, "PractitionerRole.telecom.where(system='email')", "A value in an email contact", nil},
		{"endpoint", TypeReference, "PractitionerRole.endpoint", "Technical endpoints providing access to services operated for the practitioner with this role", []string{"Endpoint"}},
		{"identifier", TypeToken, "PractitionerRole.identifier", "A practitioner's Identifier", nil},
		{"location", TypeReference, "PractitionerRole.location", "One of the locations at which this practitioner provides care", []string{"Location"}},
		{"organization", TypeReference, "PractitionerRole.organization", "The identity of the organization the practitioner represents / acts on behalf of", []string{"Organization"}},
		{"phone", TypeToken, "PractitionerRole.telecom.where(system='phone')", "A value in a phone contact", nil},
		{"practitioner", TypeReference, "PractitionerRole.practitioner", "Practitioner that is able to provide the defined services for the organization", []string{"Practitioner"}},
		{"role", TypeToken, "PractitionerRole.code", "The practitioner can perform this role at for the organization", nil},
		{"service", TypeReference, "PractitionerRole.healthcareService", "The list of healthcare services that this worker provides for this role's Organization/Location(s)", []string{"HealthcareService"}},
		{"specialty", TypeToken, "PractitionerRole.specialty", "The practitioner has this specialty at an organization", nil},
		{"telecom", TypeToken, "PractitionerRole.telecom", "The value in any kind of contact", nil},
	},
	"Practitioner": {
		{"active", TypeToken, "Practitioner.active", "Whether the practitioner record is active", nil},
		{"communication", TypeToken, "Practitioner.communication", "One of the languages that the practitioner can communicate with", nil},
		{"email", TypeToken, "Practitioner.telecom.where(system='email')", "A value in an email contact", nil},
		{"family", TypeString, "Practitioner.name.family", "A portion of the family name", nil},
		{"gender", TypeToken, "Practitioner.gender", "Gender of the practitioner", nil},
		{"given", TypeString, "Practitioner.name.given", "A portion of the given name", nil},
		{"identifier", TypeToken, "Practitioner.identifier", "A practitioner's Identifier", nil},
		{"name", TypeString, "Practitioner.name", "A server defined search that may match any of the string fields in the HumanName, including family, give, prefix, suffix, suffix, and/or text", nil},
		{"phone", TypeToken, "Practitioner.telecom.where(system='phone')", "A value in a phone contact", nil},
		{"phonetic", TypeString, "Practitioner.name", "A portion of either family or given name using some kind of phonetic matching algorithm", nil},
		{"telecom", TypeToken, "Practitioner.telecom", "The value in any kind of contact", nil},
	},
	"Task": {
		{"authored-on", TypeDate, "Task.authoredOn", "Search by creation date", nil},
		{"based-on", TypeReference, "Task.basedOn", "Search by requests this task is based on", nil},
		{"business-status", TypeToken, "Task.businessStatus", "Search by business status", nil},
		{"code", TypeToken, "Task.code", "Search by task code", nil},
		{"encounter", TypeReference, "Task.encounter", "Search by encounter", []string{"Encounter"}},
		{"focus", TypeReference, "Task.focus", "Search by task focus", nil},
		{"group-identifier", TypeToken, "Task.groupIdentifier", "Search by group identifier", nil},
		{"identifier", TypeToken, "Task.identifier", "Search for a task instance by its business identifier", nil},
		{"intent", TypeToken, "Task.intent", "Search by task intent", nil},
		{"modified", TypeDate, "Task.lastModified", "Search by last modification date", nil},
		{"owner", TypeReference, "Task.owner", "Search by task owner", []string{"Practitioner", "Organization", "CareTeam", "HealthcareService", "Patient", "Device", "PractitionerRole", "RelatedPerson"}},
		{"part-of", TypeReference, "Task.partOf", "Search by task this task is part of", []string{"Task"}},
		{"patient", TypeReference, "Task.for.where(resolve() is Patient)", "Search by patient", []string{"Patient"}},
		{"performer", TypeToken, "Task.performerType", "Search by recommended type of performer (e.g., Requester, Performer, Scheduler).", nil},
		{"period", TypeDate, "Task.executionPeriod", "Search by period Task is/was underway", nil},
		{"priority", TypeToken, "Task.priority", "Search by task priority", nil},
		{"requester", TypeReference, "Task.requester", "Search by task requester", []string{"Practitioner", "Organization", "Device", "Patient", "PractitionerRole", "RelatedPerson"}},
		{"status", TypeToken, "Task.status", "Search by task status", nil},
		{"subject", TypeReference, "Task.for", "Search by subject", nil},
	},
	"ValueSet": {
		{"identifier", TypeToken, "ValueSet.identifier", "External identifier for the value set", nil},
		{"name", TypeString, "ValueSet.name", "Computationally friendly name of the value set", nil},
		{"status", TypeToken, "ValueSet.status", "The current status of the value set", nil},
		{"title", TypeString, "ValueSet.title", "The human-friendly name of the value set", nil},
		{"url", TypeURI, "ValueSet.url", "The uri that identifies the value set", nil},
		{"version", TypeToken, "ValueSet.version", "The business version of the value set", nil},
	},
	"CodeSystem": {
		{"identifier", TypeToken, "CodeSystem.identifier", "External identifier for the code system", nil},
		{"name", TypeString, "CodeSystem.name", "Computationally friendly name of the code system", nil},
		{"status", TypeToken, "CodeSystem.status", "The current status of the code system", nil},
		{"title", TypeString, "CodeSystem.title", "The human-friendly name of the code system", nil},
		{"url", TypeURI, "CodeSystem.url", "The uri that identifies the code system", nil},
		{"version", TypeToken, "CodeSystem.version", "The business version of the code system", nil},
	},
}

// addressTypes get the address parameters.
var addressTypes = [...]string{"Organization", "Location", "Practitioner"}

// R4BaseParams returns the R4 base search parameters the server supports for the types it serves,
// as data (the ROR IG's parameters are added next to them).
func R4BaseParams() []Param {
	var out []Param
	for _, rw := range resourceRows {
		out = append(out, Param{Code: rw.code, Type: rw.typ, Expression: rw.expr, Description: rw.desc,
			URL: r4URL + "Resource-" + strings.TrimPrefix(rw.code, "_"), Base: []string{"Resource"}})
	}
	for _, typ := range [...]string{"Organization", "Location", "HealthcareService", "PractitionerRole", "Practitioner", "Task", "ValueSet", "CodeSystem"} {
		rows := typeRows[typ]
		for _, at := range addressTypes {
			if at == typ {
				rows = append(rows, addressRows[:]...)
			}
		}
		for _, rw := range rows {
			out = append(out, Param{Code: rw.code, Type: rw.typ, Expression: strings.ReplaceAll(rw.expr, "X.", typ+"."),
				Description: rw.desc, URL: r4URL + typ + "-" + rw.code, Base: []string{typ}, Targets: rw.targets})
		}
	}
	return out
}

// R4Base returns a registry of R4BaseParams.
func R4Base() *Registry {
	r, err := NewRegistry(R4BaseParams()...)
	if err != nil {
		panic("search: the built-in R4 parameter table is broken: " + err.Error()) // caught by tests
	}
	return r
}

// Default returns the registry the server uses: the R4 base parameters and the ROR IG's 36
// (RORParams).
func Default() *Registry {
	r, err := NewRegistry(append(R4BaseParams(), RORParams()...)...)
	if err != nil {
		panic("search: the built-in parameter tables are broken: " + err.Error()) // caught by tests
	}
	return r
}
