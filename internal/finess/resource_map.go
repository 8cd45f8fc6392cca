package finess

import (
	"bytes"
	"encoding/json"
	"strconv"
	"strings"
)

// Resource types and id prefixes of the import.
const (
	TypeOrganization = "Organization"
	TypeLocation     = "Location"

	// IDPrefix starts the id of every FINESS-sourced resource; the Guard recognises them by it.
	IDPrefix    = "finess-"
	prefixEJ    = IDPrefix + "ej-"
	prefixEG    = IDPrefix + "eg-"
	prefixLoc   = IDPrefix + "loc-"
	telecomTel  = IDPrefix + "phone" // element id of the FINESS telephone in Organization.telecom
	telecomFax  = IDPrefix + "fax"
	statusOpen  = "active"
	statusClose = "inactive"
)

// EJID is the id of the Organization of a legal entity.
func EJID(nofinessej string) string { return prefixEJ + nofinessej }

// EGID is the id of the Organization of a site.
func EGID(nofinesset string) string { return prefixEG + nofinesset }

// LocationID is the id of the Location of a geolocated site.
func LocationID(nofinesset string) string { return prefixLoc + nofinesset }

type coding struct {
	System  string `json:"system,omitempty"`
	Code    string `json:"code"`
	Display string `json:"display,omitempty"`
}

type concept struct {
	Coding []coding `json:"coding"`
}

type period struct {
	Start string `json:"start,omitempty"`
	End   string `json:"end,omitempty"`
}

type extension struct {
	URL                  string   `json:"url"`
	ValueString          string   `json:"valueString,omitempty"`
	ValueDateTime        string   `json:"valueDateTime,omitempty"`
	ValueCoding          *coding  `json:"valueCoding,omitempty"`
	ValueCodeableConcept *concept `json:"valueCodeableConcept,omitempty"`
	ValuePeriod          *period  `json:"valuePeriod,omitempty"`
}

// element carries the extensions of a primitive (_name, _line entries); nil encodes as null.
type element struct {
	Extension []extension `json:"extension"`
}

type identifier struct {
	Type   *concept `json:"type,omitempty"`
	System string   `json:"system"`
	Value  string   `json:"value"`
}

type contactPoint struct {
	ID        string      `json:"id,omitempty"`
	Extension []extension `json:"extension,omitempty"`
	System    string      `json:"system"`
	Value     string      `json:"value"`
}

type address struct {
	Extension  []extension `json:"extension,omitempty"`
	Line       []string    `json:"line,omitempty"`
	LineExt    []*element  `json:"_line,omitempty"`
	City       string      `json:"city,omitempty"`
	PostalCode string      `json:"postalCode,omitempty"`
}

type reference struct {
	Reference string `json:"reference"`
}

type meta struct {
	Profile []string `json:"profile"`
	Tag     []coding `json:"tag,omitempty"`
}

type organization struct {
	ResourceType string         `json:"resourceType"`
	ID           string         `json:"id"`
	Meta         meta           `json:"meta"`
	Extension    []extension    `json:"extension"`
	Identifier   []identifier   `json:"identifier"`
	Active       bool           `json:"active"`
	Type         []concept      `json:"type,omitempty"`
	Name         string         `json:"name,omitempty"`
	NameExt      *element       `json:"_name,omitempty"`
	Telecom      []contactPoint `json:"telecom,omitempty"`
	Address      []address      `json:"address,omitempty"`
	PartOf       *reference     `json:"partOf,omitempty"`
}

type position struct {
	Longitude json.Number `json:"longitude"`
	Latitude  json.Number `json:"latitude"`
}

type location struct {
	ResourceType         string      `json:"resourceType"`
	ID                   string      `json:"id"`
	Meta                 meta        `json:"meta"`
	Extension            []extension `json:"extension"`
	Status               string      `json:"status"`
	Name                 string      `json:"name,omitempty"`
	Address              *address    `json:"address,omitempty"`
	Position             position    `json:"position"`
	ManagingOrganization reference   `json:"managingOrganization"`
}

// site is what a Location needs of its structure line; kept in memory until the geolocation
// lines (which come after all structure lines in the real file).
type site struct {
	line   int
	name   string
	addr   *address
	insee  string
	region string
}

// mapper builds the FINESS part of each resource. created is the value of ror-meta-creation-date
// for resources the import creates (the extraction date).
type mapper struct {
	created string
}

func typeID(code string) *concept {
	return &concept{Coding: []coding{{System: systemTypeID, Code: code}}}
}

func regionTags(region string) []coding {
	if region == "" {
		return nil
	}
	return []coding{{System: systemRegion, Code: region, Display: regionNames[region]}}
}

// finessIdentifiers are the finess and idNatSt slices of a FINESS number.
func finessIdentifiers(n string) []identifier {
	return []identifier{
		{Type: typeID("1"), System: systemFiness, Value: n},
		{Type: typeID("40"), System: systemIDNatSt, Value: "1" + n},
	}
}

// ej is the Organization of a legal entity. The file gives only its number: identifiers, and the
// region of the département its number starts with.
func (m mapper) ej(n string) organization {
	d, _ := lookupDept(n[:2])
	return organization{
		ResourceType: TypeOrganization, ID: EJID(n),
		Meta:       meta{Profile: []string{profileOrg}, Tag: regionTags(d.region)},
		Extension:  []extension{{URL: extCreationDate, ValueDateTime: m.created}},
		Identifier: finessIdentifiers(n),
		Active:     true,
	}
}

// eg is the Organization of a site and the site data its Location needs.
func (m mapper) eg(st *Structure) (organization, site) {
	d, _ := lookupDept(st.Departement)
	o := organization{
		ResourceType: TypeOrganization, ID: EGID(st.NoFinessET),
		Meta:       meta{Profile: []string{profileOrg}, Tag: regionTags(d.region)},
		Identifier: finessIdentifiers(st.NoFinessET),
		Active:     true,
		Name:       firstNonEmpty(st.RSLongue, st.RS),
		PartOf:     &reference{Reference: TypeOrganization + "/" + EJID(st.NoFinessEJ)},
	}
	if st.DateOuv != "" {
		o.Extension = append(o.Extension, extension{URL: extOrgPeriod, ValuePeriod: &period{Start: st.DateOuv}})
	}
	o.Extension = append(o.Extension, extension{URL: extCreationDate, ValueDateTime: m.created})
	if siret := strings.TrimSpace(st.SIRET); siret != "" {
		o.Identifier = append(o.Identifier, identifier{Type: typeID("3"), System: systemSirene, Value: siret})
	}
	if st.CategEtab != "" {
		o.Type = append(o.Type, concept{Coding: []coding{{System: systemCategory, Code: st.CategEtab, Display: st.LibCategEtab}}})
	}
	if st.CodeSPH != "" {
		o.Type = append(o.Type, concept{Coding: []coding{{System: systemSPH, Code: st.CodeSPH, Display: st.LibSPH}}})
	}
	if c := strings.TrimSpace(st.ComplRS); c != "" {
		o.NameExt = &element{Extension: []extension{{URL: extAdditionalName, ValueString: c}}}
	}
	if tel := strings.TrimSpace(st.Telephone); tel != "" {
		o.Telecom = append(o.Telecom, telecom(telecomTel, "phone", tel, channelOf(tel)))
	}
	if fax := strings.TrimSpace(st.Telecopie); fax != "" {
		o.Telecom = append(o.Telecom, telecom(telecomFax, "fax", fax, "6"))
	}
	insee := inseeCommune(st.Departement, st.Commune)
	a := buildAddress(st, insee)
	if a != nil {
		o.Address = []address{*a}
	}
	return o, site{line: st.Line, name: o.Name, addr: a, insee: insee, region: d.region}
}

// location is the Location of a geolocated site.
func (m mapper) location(nofinesset string, s site, lat, lon float64) location {
	l := location{
		ResourceType: TypeLocation, ID: LocationID(nofinesset),
		Meta:                 meta{Profile: []string{profileLoc}, Tag: regionTags(s.region)},
		Status:               statusOpen,
		Name:                 s.name,
		Address:              s.addr,
		Position:             position{Longitude: coord(lon), Latitude: coord(lat)},
		ManagingOrganization: reference{Reference: TypeOrganization + "/" + EGID(nofinesset)},
	}
	if s.insee != "" {
		l.Extension = append(l.Extension, extension{URL: extCommuneCOG,
			ValueCodeableConcept: &concept{Coding: []coding{{System: systemCommune, Code: s.insee}}}})
	}
	l.Extension = append(l.Extension, extension{URL: extCreationDate, ValueDateTime: m.created})
	return l
}

// coord writes a coordinate with 7 decimals (about 1 cm), trailing zeros removed.
func coord(v float64) json.Number {
	s := strconv.FormatFloat(v, 'f', 7, 64)
	s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	if s == "-0" {
		s = "0"
	}
	return json.Number(s)
}

// channelOf is the TRE_R200 channel of a French number: 1 mobile (06, 07), else 2 landline.
func channelOf(tel string) string {
	if strings.HasPrefix(tel, "06") || strings.HasPrefix(tel, "07") {
		return "1"
	}
	return "2"
}

var channelNames = map[string]string{"1": "Téléphone mobile", "2": "Téléphone fixe", "6": "Télécopie"}

// telecom is a public (confidentiality level 1) contact point with the extensions the profile
// requires.
func telecom(id, system, value, channel string) contactPoint {
	return contactPoint{ID: id, System: system, Value: value, Extension: []extension{
		{URL: extChannel, ValueCodeableConcept: &concept{Coding: []coding{{System: systemChannel, Code: channel, Display: channelNames[channel]}}}},
		{URL: extConfLevel, ValueCodeableConcept: &concept{Coding: []coding{{System: systemConfLevel, Code: "1", Display: "Accès libre"}}}},
	}}
}

// buildAddress maps the FINESS address: compldistrib, the street line (numvoie compvoie typvoie
// voie, with their ISO 21090 parts), lieuditbp (a post box when it starts with BP/CS/TSA, a
// lieu-dit otherwise), then ligneacheminement split into postal code and city, and the INSEE
// commune code. Nil when the line has no address at all.
func buildAddress(st *Structure, insee string) *address {
	a := &address{}
	addLine := func(text string, ext ...extension) {
		a.Line = append(a.Line, text)
		var e *element
		if len(ext) > 0 {
			e = &element{Extension: ext}
		}
		a.LineExt = append(a.LineExt, e)
	}
	if c := strings.TrimSpace(st.ComplDistrib); c != "" {
		addLine(c, extension{URL: extAdditionalLocat, ValueString: c})
	}
	num, suffix := strings.TrimSpace(st.NumVoie), strings.TrimSpace(st.CompVoie)
	typ, voie := strings.TrimSpace(st.TypVoie), strings.TrimSpace(st.Voie)
	if num != "" || typ != "" || voie != "" {
		var ext []extension
		for _, p := range []struct{ url, v string }{
			{extHouseNumber, num}, {extBuildingSuffix, suffix}, {extStreetNameType, typ}, {extStreetNameBase, voie},
		} {
			if p.v != "" {
				ext = append(ext, extension{URL: p.url, ValueString: p.v})
			}
		}
		addLine(joinNonEmpty(" ", strings.TrimSpace(num+" "+suffix), typ, voie), ext...)
	}
	if ld := strings.TrimSpace(st.LieuDitBP); ld != "" {
		url := extLieuDit
		up := strings.ToUpper(ld)
		if strings.HasPrefix(up, "BP") || strings.HasPrefix(up, "CS ") || strings.HasPrefix(up, "TSA ") {
			url = extPostBox
		}
		addLine(ld, extension{URL: url, ValueString: ld})
	}
	if !hasExtension(a.LineExt) {
		a.LineExt = nil
	}
	acheminement := strings.TrimSpace(st.LigneAcheminement)
	if cp, city, ok := strings.Cut(acheminement, " "); ok && len(cp) == 5 && allDigits(cp) {
		a.PostalCode, a.City = cp, strings.TrimSpace(city)
	} else {
		a.City = acheminement
	}
	if insee != "" {
		a.Extension = []extension{{URL: extInseeCode, ValueCoding: &coding{System: systemCommune, Code: insee}}}
	}
	if len(a.Line) == 0 && a.City == "" && a.PostalCode == "" && a.Extension == nil {
		return nil
	}
	return a
}

func hasExtension(es []*element) bool {
	for _, e := range es {
		if e != nil {
			return true
		}
	}
	return false
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if !isDigit(s[i]) {
			return false
		}
	}
	return true
}

func firstNonEmpty(vs ...string) string {
	for _, v := range vs {
		if v = strings.TrimSpace(v); v != "" {
			return v
		}
	}
	return ""
}

func joinNonEmpty(sep string, vs ...string) string {
	out := vs[:0:0]
	for _, v := range vs {
		if v = strings.TrimSpace(v); v != "" {
			out = append(out, v)
		}
	}
	return strings.Join(out, sep)
}

// marshal encodes v compactly without HTML escaping (names hold '&', '<'...).
func marshal(v any) []byte {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil { // only the types of this file: cannot fail
		panic("finess: marshal: " + err.Error())
	}
	return bytes.TrimSuffix(b.Bytes(), []byte("\n"))
}
