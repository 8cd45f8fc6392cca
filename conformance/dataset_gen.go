package conformance

import (
	"fmt"
)

// Canonical bases of the ROR IG and the NOS code systems used by the generator.
const (
	RORSD   = "https://interop.esante.gouv.fr/ig/fhir/ror/StructureDefinition/"
	nosBase = "https://mos.esante.gouv.fr/NOS/"
	// ConformanceIDPrefix starts the id of every generated resource.
	ConformanceIDPrefix = "conf-"
)

// Resource is a FHIR resource as a JSON object.
type Resource = map[string]any

// DatasetSize says how many resources GenerateDataset makes.
type DatasetSize struct {
	EJ             int // legal entities (Organization, entité juridique)
	EGPerEJ        int // establishments per EJ (Organization, entité géographique, partOf the EJ)
	LocationsPerEG int // Locations managed by each EG, with position and capacities
	ServicesPerEG  int // HealthcareServices provided by each EG
	Practitioners  int // Practitioners, each with one PractitionerRole in a HealthcareService
}

// DefaultDatasetSize is small enough to validate in seconds and large enough for several pages.
var DefaultDatasetSize = DatasetSize{EJ: 2, EGPerEJ: 2, LocationsPerEG: 2, ServicesPerEG: 2, Practitioners: 6}

// communes are COG codes of TRE_R13-CommuneOM (JDV_J124 lists no codes in the NOS files: it is a
// filter on the ~35,000 communes), with a postal code and coordinates.
var communes = []struct {
	cog, name, postal string
	lat, lon          float64
}{
	{"75056", "Paris", "75013", 48.8326, 2.3561},
	{"69123", "Lyon", "69003", 45.7602, 4.8520},
	{"13055", "Marseille", "13005", 43.2922, 5.3978},
	{"33063", "Bordeaux", "33000", 44.8272, -0.5869},
	{"78646", "Versailles", "78000", 48.8014, 2.1301},
	{"59350", "Lille", "59000", 50.6330, 3.0448},
}

// GenerateDataset builds a small ROR-conformant dataset, deterministically: Organizations (EJ and
// EG with partOf), Locations with position and capacity/equipment extensions, HealthcareServices,
// Practitioners and PractitionerRoles. Codes come from the NOS value sets the profiles bind to.
// Resources have client-chosen ids (prefix ConformanceIDPrefix) and come in dependency order, so
// that loading them with PUT in order leaves no dangling reference.
func GenerateDataset(t *Terminology, size DatasetSize) []Resource {
	g := &gen{t: t}
	var out, services []Resource
	n := 0
	for e := 1; e <= size.EJ; e++ {
		ej := g.organizationEJ(e)
		out = append(out, ej)
		for s := 1; s <= size.EGPerEJ; s++ {
			n++
			eg := g.organizationEG(e, s, n)
			out = append(out, eg)
			var locs []Resource
			for l := 1; l <= size.LocationsPerEG; l++ {
				loc := g.location(eg, l, n)
				locs = append(locs, loc)
				out = append(out, loc)
			}
			for h := 1; h <= size.ServicesPerEG; h++ {
				var loc Resource
				if len(locs) > 0 {
					loc = locs[(h-1)%len(locs)]
				}
				hs := g.healthcareService(eg, loc, h, n)
				services = append(services, hs)
				out = append(out, hs)
			}
		}
	}
	for p := 1; p <= size.Practitioners; p++ {
		pr := g.practitioner(p)
		out = append(out, pr)
		if len(services) > 0 {
			out = append(out, g.practitionerRole(pr, services[(p-1)%len(services)], p))
		}
	}
	return out
}

// ClientFixtures returns n ROR-conformant Organizations without ids, for the fhir-kit-client run.
func ClientFixtures(t *Terminology, n int) []Resource {
	g := &gen{t: t}
	out := make([]Resource, 0, n)
	for i := 1; i <= n; i++ {
		o := g.organizationEJ(100 + i)
		delete(o, "id")
		o["name"] = fmt.Sprintf("Organisme créé par fhir-kit-client %d", i)
		out = append(out, o)
	}
	return out
}

type gen struct{ t *Terminology }

func ref(r Resource) Resource {
	return Resource{"reference": fmt.Sprintf("%s/%s", r["resourceType"], r["id"])}
}

func cc(c Coding) Resource {
	return Resource{"coding": []any{c}}
}

func (g *gen) cc(jdv string, i int) Resource { return cc(g.t.Pick(jdv, i)) }

func ext(url string, kv ...any) Resource {
	e := Resource{"url": url}
	for i := 0; i+1 < len(kv); i += 2 {
		e[kv[i].(string)] = kv[i+1]
	}
	return e
}

func (g *gen) meta(profile string, i int) Resource {
	return Resource{
		"profile": []any{RORSD + profile},
		"tag":     []any{g.t.Pick("J237", 5+i%13)},
	}
}

func creationDate(i int) Resource {
	return ext(RORSD+"ror-meta-creation-date", "valueDateTime", fmt.Sprintf("20%02d-0%d-1%dT08:30:00+01:00", 15+i%9, 1+i%9, i%10))
}

// telecom is a phone ContactPoint with the ROR telecom extensions (channel, confidentiality).
func (g *gen) telecom(i int) []any {
	fixed, _ := g.t.PickCode("J225", "2")
	open, _ := g.t.PickCode("J222", "1")
	return []any{Resource{
		"extension": []any{
			ext(RORSD+"ror-telecom-communication-channel", "valueCodeableConcept", cc(fixed)),
			ext(RORSD+"ror-telecom-confidentiality-level", "valueCodeableConcept", cc(open)),
		},
		"system": "phone",
		"value":  fmt.Sprintf("01%08d", 40000000+i),
	}}
}

// identifierSystems are the identifier systems the ror-organization slices fix, by type code.
var identifierSystems = map[string]string{
	"1":  "https://finess.esante.gouv.fr",
	"40": "urn:oid:1.2.250.1.71.4.2.2",
}

func orgIdentifier(code, display, value string) Resource {
	return Resource{
		"use": "official",
		"type": cc(Coding{
			System:  nosBase + "TRE_G07-TypeIdentifiantStructure/FHIR/TRE-G07-TypeIdentifiantStructure",
			Code:    code,
			Display: display,
		}),
		"system": identifierSystems[code],
		"value":  value,
	}
}

func address(i int) []any {
	c := communes[i%len(communes)]
	return []any{Resource{
		"use":        "work",
		"type":       "both",
		"line":       []any{fmt.Sprintf("%d rue de la Santé", 1+i)},
		"city":       c.name,
		"postalCode": c.postal,
		"country":    "FRA",
	}}
}

func (g *gen) organizationEJ(e int) Resource {
	finess := fmt.Sprintf("%02d00%05d", 10+e%80, e)
	return Resource{
		"resourceType": "Organization",
		"id":           fmt.Sprintf("%sej-%d", ConformanceIDPrefix, e),
		"meta":         g.meta("ror-organization", e),
		"extension":    []any{creationDate(e)},
		"identifier": []any{
			orgIdentifier("1", "FINESS", finess),
			orgIdentifier("40", "Identifiant national de structure", "1"+finess),
		},
		"active":  true,
		"type":    []any{g.cc("J199", e)},
		"name":    fmt.Sprintf("Groupement hospitalier de conformité %d", e),
		"telecom": g.telecom(e),
		"address": address(e),
	}
}

func (g *gen) organizationEG(e, s, n int) Resource {
	finess := fmt.Sprintf("%02d01%05d", 10+e%80, n)
	return Resource{
		"resourceType": "Organization",
		"id":           fmt.Sprintf("%seg-%d-%d", ConformanceIDPrefix, e, s),
		"meta":         g.meta("ror-organization", n),
		"extension": []any{
			creationDate(n),
			ext(RORSD+"ror-organization-creation-date", "valueDate", fmt.Sprintf("19%02d-06-01", 60+n%40)),
		},
		"identifier": []any{orgIdentifier("1", "FINESS", finess)},
		"active":     true,
		"type":       []any{g.cc("J55", n)},
		"name":       fmt.Sprintf("Site de soins %d-%d", e, s),
		"telecom":    g.telecom(100 + n),
		"address":    address(n),
		"partOf":     Resource{"reference": fmt.Sprintf("Organization/%sej-%d", ConformanceIDPrefix, e)},
	}
}

func (g *gen) location(eg Resource, l, n int) Resource {
	i := n*10 + l
	c := communes[i%len(communes)]
	commune := Coding{System: nosBase + "TRE_R13-CommuneOM/FHIR/TRE-R13-CommuneOM", Code: c.cog, Display: c.name}
	capacity := ext(RORSD+"ror-location-supported-capacity", "extension", []any{
		ext("capacityType", "valueCodeableConcept", g.cc("J187", i)),
		ext("capacityStatus", "valueCodeableConcept", g.cc("J188", i)),
		ext("temporalityCapacity", "valueCodeableConcept", g.cc("J189", i)),
		ext("nbCapacity", "valueInteger", 10+i%40),
		ext("capacitySourceType", "valueCodeableConcept", g.cc("J193", i)),
		ext("genderCapacityAvailable", "valueCodeableConcept", g.cc("J190", i)),
		ext("capacityUpdateDate", "valueDateTime", fmt.Sprintf("2025-03-%02dT10:15:00+01:00", 1+i%28)),
		ext("temporaryAssignement", "valueCodeableConcept", g.cc("J195", i)),
	})
	residential := ext(RORSD+"ror-location-residential-capacity", "extension", []any{
		ext("residentialType", "valueCodeableConcept", g.cc("J32", i)),
		ext("residentialNumber", "valueInteger", 1+i%5),
	})
	equipment := ext(RORSD+"ror-location-equipment", "extension", []any{
		ext("equipmentType", "valueCodeableConcept", g.cc("J18", i)),
		ext("nbInService", "valueInteger", 1+i%3),
	})
	operational, _ := g.t.PickCode("J224", "3")
	return Resource{
		"resourceType": "Location",
		"id":           fmt.Sprintf("%sloc-%d-%d", ConformanceIDPrefix, n, l),
		"meta":         g.meta("ror-location", i),
		"extension": []any{
			ext(RORSD+"ror-commune-cog", "valueCodeableConcept", cc(commune)),
			capacity,
			residential,
			equipment,
			creationDate(i),
		},
		"identifier": []any{Resource{
			"type":  Resource{"coding": []any{Resource{"code": "25"}}},
			"value": fmt.Sprintf("LOC-%d-%d", n, l),
		}},
		"status":            "active",
		"operationalStatus": operational,
		"name":              fmt.Sprintf("Unité d'hébergement %d-%d", n, l),
		"type":              []any{g.cc("J198", i)},
		"telecom":           g.telecom(200 + i),
		"address": Resource{
			"line":       []any{fmt.Sprintf("%d avenue des Lits", l)},
			"city":       c.name,
			"postalCode": c.postal,
		},
		"position": Resource{
			"extension": []any{ext(RORSD+"ror-coordinate-reliability", "valueBoolean", true)},
			"longitude": c.lon + float64(l)/1000,
			"latitude":  c.lat + float64(l)/1000,
		},
		"managingOrganization": ref(eg),
	}
}

func (g *gen) healthcareService(eg, loc Resource, h, n int) Resource {
	i := n*10 + h
	days := []string{"mon", "tue", "wed", "thu", "fri", "sat", "sun"}
	var avail []any
	opening, _ := g.t.PickCode("J41", "01")
	for d := 0; d < 5; d++ {
		avail = append(avail, Resource{
			"extension": []any{
				ext(RORSD+"ror-available-time-number-days-of-week", "valueInteger", d+1),
				ext(RORSD+"ror-available-time-effective-opening-closing-date", "valuePeriod", Resource{"start": "2025-01-02"}),
				ext(RORSD+"ror-available-time-type-of-time", "valueCodeableConcept", cc(opening)),
			},
			"daysOfWeek":         []any{days[d]},
			"availableStartTime": "08:00:00",
			"availableEndTime":   "18:30:00",
		})
	}
	years := func(v int) Resource {
		return Resource{"value": v, "system": nosBase + "TRE_R247-UcumUniteMesure/FHIR/TRE-R247-UcumUniteMesure", "code": "a"}
	}
	hs := Resource{
		"resourceType": "HealthcareService",
		"id":           fmt.Sprintf("%shs-%d-%d", ConformanceIDPrefix, n, h),
		"meta":         g.meta("ror-healthcareservice", i),
		"extension": []any{
			ext(RORSD+"ror-healthcareservice-sensitive-unit", "valueBoolean", i%2 == 0),
			ext(RORSD+"ror-healthcareservice-patient-type", "extension", []any{
				ext("supportedPatientInfo", "valueCodeableConcept", g.cc("J29", i)),
				ext("ageRange", "valueRange", Resource{"low": years(i % 18), "high": years(120)}),
			}),
			creationDate(i),
		},
		"identifier": []any{Resource{
			"type": cc(Coding{
				System:  nosBase + "TRE_R355-TypeIdentifiantOffre/FHIR/TRE-R355-TypeIdentifiantOffre",
				Code:    "35",
				Display: "Identifiant fonctionnel de l'offre connu par l'instance ROR",
			}),
			"value": fmt.Sprintf("11/%07d", i),
		}},
		"active":         true,
		"providedBy":     ref(eg),
		"category":       []any{g.cc("J238", i)},
		"type":           []any{g.cc("J20", i)},
		"specialty":      []any{g.cc("J17", i)},
		"name":           fmt.Sprintf("Offre de soins %d-%d", n, h),
		"telecom":        g.telecom(300 + i),
		"characteristic": []any{g.cc("J19", i), g.cc("J30", i)},
		"availableTime":  avail,
	}
	if loc != nil {
		hs["location"] = []any{ref(loc)}
	}
	return hs
}

func (g *gen) practitioner(p int) Resource {
	families := []string{"Martin", "Bernard", "Dubois", "Thomas", "Robert", "Richard", "Petit", "Durand"}
	givens := []string{"Bénédicte", "Jean", "Amélie", "Luc", "Chloé", "Hugo", "Inès", "Noël"}
	return Resource{
		"resourceType": "Practitioner",
		"id":           fmt.Sprintf("%spr-%d", ConformanceIDPrefix, p),
		"meta":         g.meta("ror-practitioner", p),
		"extension":    []any{creationDate(p)},
		"identifier": []any{Resource{
			"system": "urn:oid:1.2.250.1.71.4.2.1",
			"value":  fmt.Sprintf("8100%07d", p),
		}},
		"active": true,
		"name": []any{Resource{
			"use":    "official",
			"family": families[p%len(families)],
			"given":  []any{givens[p%len(givens)]},
			"prefix": []any{g.t.Pick("J207", p).Code},
		}},
		"telecom": g.telecom(400 + p),
	}
}

func (g *gen) practitionerRole(pr, hs Resource, p int) Resource {
	name := pr["name"].([]any)[0].(Resource)
	return Resource{
		"resourceType": "PractitionerRole",
		"id":           fmt.Sprintf("%srole-%d", ConformanceIDPrefix, p),
		"meta":         g.meta("ror-practitionerrole", p),
		"extension": []any{
			ext(RORSD+"ror-practitionerrole-unit-exercise-mode", "valueCodeableConcept", g.cc("J217", p)),
			ext(RORSD+"ror-practitionerrole-name", "extension", []any{
				ext("exerciseTitle", "valueCodeableConcept", g.cc("J208", p)),
				ext("exerciseLastName", "valueString", name["family"]),
				ext("exerciseFirstName", "valueString", name["given"].([]any)[0]),
			}),
			creationDate(p),
		},
		"active":            true,
		"practitioner":      ref(pr),
		"organization":      hs["providedBy"],
		"code":              []any{g.cc("J229", p)},
		"specialty":         []any{g.cc("J209", p)},
		"healthcareService": []any{ref(hs)},
		"telecom":           g.telecom(500 + p),
	}
}
