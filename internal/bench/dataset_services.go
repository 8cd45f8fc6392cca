package bench

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/rorfhir/ror/internal/service"
)

// NOS systems and profile of the generated HealthcareServices.
const (
	nosBase      = "https://mos.esante.gouv.fr/NOS/"
	rorSD        = "https://interop.esante.gouv.fr/ig/fhir/ror/StructureDefinition/"
	SystemJ17    = nosBase + "TRE_R211-ActiviteOperationnelle/FHIR/TRE-R211-ActiviteOperationnelle"
	SystemJ19    = nosBase + "TRE_R213-ModePriseEnCharge/FHIR/TRE-R213-ModePriseEnCharge"
	systemRegion = nosBase + "TRE_R30-RegionOM/FHIR/TRE-R30-RegionOM"
	// ServiceIDPrefix starts the ids of the generated HealthcareServices.
	ServiceIDPrefix = "bench-hs-"
)

// Code is one NOS code with its display.
type Code struct{ Code, Display string }

// ReadNOSCodes reads a compact NOS table ("code;display" with a header row), such as
// ../shared/nos/JDV_J17-ActiviteOperationnelle-ROR.csv.
func ReadNOSCodes(path string) ([]Code, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var out []Code
	sc := bufio.NewScanner(f)
	for first := true; sc.Scan(); first = false {
		code, disp, ok := strings.Cut(sc.Text(), ";")
		if first || !ok || code == "" {
			continue
		}
		out = append(out, Code{code, strings.TrimSpace(disp)})
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("%s: no codes", path)
	}
	return out, nil
}

// Codes are the activity (J17) and care mode (J19) lists the generated services draw from.
type Codes struct{ Activities, CareModes []Code }

// LoadCodes reads J17 and J19 from a NOS directory (../shared/nos).
func LoadCodes(dir string) (Codes, error) {
	a, err := ReadNOSCodes(filepath.Join(dir, "JDV_J17-ActiviteOperationnelle-ROR.csv"))
	if err != nil {
		return Codes{}, err
	}
	m, err := ReadNOSCodes(filepath.Join(dir, "JDV_J19-ModePriseEnCharge-ROR.csv"))
	if err != nil {
		return Codes{}, err
	}
	return Codes{Activities: a, CareModes: m}, nil
}

// serviceCodes returns the activity and care mode of the i-th generated service. The first few
// activities and modes are over-represented (as in the real directory, where a few activities
// make most of the offer), so that the activity/care-mode query finds a first page.
func (c Codes) serviceCodes(i int) (Code, Code) {
	a := c.Activities[(i*7)%len(c.Activities)]
	if i%4 == 0 {
		a = c.Activities[(i/4)%min(8, len(c.Activities))]
	}
	m := c.CareModes[(i/3)%min(4, len(c.CareModes))]
	if i%5 == 0 {
		m = c.CareModes[(i*11)%len(c.CareModes)]
	}
	return a, m
}

type obj = map[string]any

func coding(system string, c Code) obj {
	return obj{"coding": []any{obj{"system": system, "code": c.Code, "display": c.Display}}}
}

func ext(url string, kv ...any) obj {
	e := obj{"url": url}
	for i := 0; i+1 < len(kv); i += 2 {
		e[kv[i].(string)] = kv[i+1]
	}
	return e
}

// ServiceBody is the JSON of the i-th generated ROR HealthcareService of site (ror-healthcareservice
// profile; id "" for a create). label is added to the name (updates change it).
func ServiceBody(id string, i int, site Site, codes Codes, label string) []byte {
	act, mode := codes.serviceCodes(i)
	years := func(v int) obj {
		return obj{"value": v, "system": nosBase + "TRE_R247-UcumUniteMesure/FHIR/TRE-R247-UcumUniteMesure", "code": "a"}
	}
	region := site.Region
	if region == "" {
		region = "11"
	}
	hs := obj{
		"resourceType": "HealthcareService",
		"meta": obj{
			"profile": []any{rorSD + "ror-healthcareservice"},
			"tag":     []any{obj{"system": systemRegion, "code": region}},
		},
		"extension": []any{
			ext(rorSD+"ror-healthcareservice-sensitive-unit", "valueBoolean", i%9 == 0),
			ext(rorSD+"ror-healthcareservice-patient-type", "extension", []any{
				ext("supportedPatientInfo", "valueCodeableConcept", coding(nosBase+"TRE_R239-PublicPrisEnCharge/FHIR/TRE-R239-PublicPrisEnCharge", Code{"03", "Tout public"})),
				ext("ageRange", "valueRange", obj{"low": years(i % 18), "high": years(120)}),
			}),
			ext(rorSD+"ror-meta-creation-date", "valueDateTime", fmt.Sprintf("20%02d-%02d-%02dT08:30:00+01:00", 15+i%9, 1+i%12, 1+i%28)),
		},
		"identifier": []any{obj{
			"type":  coding(nosBase+"TRE_R355-TypeIdentifiantOffre/FHIR/TRE-R355-TypeIdentifiantOffre", Code{"35", "Identifiant fonctionnel de l'offre connu par l'instance ROR"}),
			"value": fmt.Sprintf("%s/%07d", region, i),
		}},
		"active":         true,
		"providedBy":     obj{"reference": "Organization/" + site.OrgID},
		"category":       []any{coding(nosBase+"TRE_R244-CategorieOrganisation/FHIR/TRE-R244-CategorieOrganisation", Code{"157", "Unité hospitalière de gynécologie"})},
		"type":           []any{coding(nosBase+"TRE_R227-ChampActivite/FHIR/TRE-R227-ChampActivite", Code{"01", "Médecine, Chirurgie, Obstétrique (MCO)"})},
		"specialty":      []any{coding(SystemJ17, act)},
		"name":           strings.TrimSpace(act.Display + " - " + mode.Display + " " + label),
		"characteristic": []any{coding(SystemJ19, mode)},
	}
	if id != "" {
		hs["id"] = id
	}
	if site.LocID != "" {
		hs["location"] = []any{obj{"reference": "Location/" + site.LocID}}
	}
	b, err := json.Marshal(hs)
	if err != nil {
		panic(err) // maps of strings and numbers always encode
	}
	return b
}

// ServiceID is the id of the i-th generated service.
func ServiceID(i int) string { return fmt.Sprintf("%s%06d", ServiceIDPrefix, i) }

// GenerateServices writes the services from..to-1 (ServiceID(i)), attached to the sites in a
// spread order, through the service's batch path (service.Upsert, batches of 2,000). It returns
// the number written and their JSON size.
func GenerateServices(ctx context.Context, svc *service.Service, sites []Site, codes Codes, from, to int) (int, int64, error) {
	if len(sites) == 0 {
		return 0, 0, fmt.Errorf("no site to attach services to")
	}
	const batch = 2000
	written, size := 0, int64(0)
	for start := from; start < to; start += batch {
		in := make([]service.Input, 0, batch)
		for i := start; i < min(to, start+batch); i++ {
			id := ServiceID(i)
			in = append(in, service.Input{Type: "HealthcareService", ID: id, Body: ServiceBody(id, i, sites[(i*31)%len(sites)], codes, "")})
		}
		res, err := svc.Upsert(ctx, in)
		if err != nil {
			return written, size, err
		}
		for k, r := range res {
			if r.Outcome == service.Failed {
				return written, size, fmt.Errorf("service %s refused: %v", in[k].ID, r.Err)
			}
			written++
			size += int64(len(r.Version.Body))
		}
	}
	return written, size, nil
}
