package finess

// Code systems and URLs written by the import.
const (
	systemFiness    = "https://finess.esante.gouv.fr"
	systemIDNatSt   = "urn:oid:1.2.250.1.71.4.2.2"
	systemSirene    = "https://sirene.fr"
	systemTypeID    = "https://mos.esante.gouv.fr/NOS/TRE_G07-TypeIdentifiantStructure/FHIR/TRE-G07-TypeIdentifiantStructure"
	systemCategory  = "https://mos.esante.gouv.fr/NOS/TRE_R66-CategorieEtablissement/FHIR/TRE-R66-CategorieEtablissement"
	systemSPH       = "https://mos.esante.gouv.fr/NOS/TRE_R73-ESPIC/FHIR/TRE-R73-ESPIC"
	systemRegion    = "https://mos.esante.gouv.fr/NOS/TRE_R30-RegionOM/FHIR/TRE-R30-RegionOM"
	systemCommune   = "https://mos.esante.gouv.fr/NOS/TRE_R13-CommuneOM/FHIR/TRE-R13-CommuneOM"
	systemChannel   = "https://mos.esante.gouv.fr/NOS/TRE_R200-CanalCommunication/FHIR/TRE-R200-CanalCommunication"
	systemConfLevel = "https://mos.esante.gouv.fr/NOS/TRE_R283-NiveauConfidentialite/FHIR/TRE-R283-NiveauConfidentialite"

	igBase             = "https://interop.esante.gouv.fr/ig/fhir/ror/StructureDefinition/"
	profileOrg         = igBase + "ror-organization"
	profileLoc         = igBase + "ror-location"
	extCreationDate    = igBase + "ror-meta-creation-date"
	extCommuneCOG      = igBase + "ror-commune-cog"
	extAdditionalName  = igBase + "ror-organization-additional-name"
	extChannel         = igBase + "ror-telecom-communication-channel"
	extConfLevel       = igBase + "ror-telecom-confidentiality-level"
	extOrgPeriod       = "http://hl7.org/fhir/StructureDefinition/organization-period"
	extInseeCode       = "http://interopsante.org/fhir/StructureDefinition/FrAddressInseeCode"
	extHouseNumber     = "http://hl7.org/fhir/StructureDefinition/iso21090-ADXP-houseNumber"
	extBuildingSuffix  = "http://hl7.org/fhir/StructureDefinition/iso21090-ADXP-buildingNumberSuffix"
	extStreetNameType  = "http://hl7.org/fhir/StructureDefinition/iso21090-ADXP-streetNameType"
	extStreetNameBase  = "http://hl7.org/fhir/StructureDefinition/iso21090-ADXP-streetNameBase"
	extPostBox         = "http://hl7.org/fhir/StructureDefinition/iso21090-ADXP-postBox"
	extAdditionalLocat = "http://hl7.org/fhir/StructureDefinition/iso21090-ADXP-additionalLocator"
	extLieuDit         = "https://interop.esante.gouv.fr/ig/fhir/annuaire/StructureDefinition/as-ext-lieu-dit"
)

// departement is what the import needs to know of a FINESS département code.
type departement struct {
	insee  string // INSEE département code (971 for 9A...)
	region string // TRE_R30 region code; "" for territories outside the list (975, 986...)
}

// regionNames are the TRE_R30-RegionOM labels (JDV_J237).
var regionNames = map[string]string{
	"01": "Guadeloupe", "02": "Martinique", "03": "Guyane", "04": "La Réunion", "06": "Mayotte",
	"11": "Ile-de-france", "24": "Centre-Val-de-Loire", "27": "Bourgogne-Franche-Comté",
	"28": "Normandie", "32": "Hauts-de-France", "44": "Grand-Est", "52": "Pays de la Loire",
	"53": "Bretagne", "75": "Nouvelle-Aquitaine", "76": "Occitanie", "84": "Auvergne-Rhône-Alpes",
	"93": "Provence-Alpes-Côte d'Azur", "94": "Corse",
}

// regionOfDept maps metropolitan département codes to the 2016 regions.
var regionOfDept = map[string]string{
	"01": "84", "02": "32", "03": "84", "04": "93", "05": "93", "06": "93", "07": "84", "08": "44",
	"09": "76", "10": "44", "11": "76", "12": "76", "13": "93", "14": "28", "15": "84", "16": "75",
	"17": "75", "18": "24", "19": "75", "21": "27", "22": "53", "23": "75", "24": "75", "25": "27",
	"26": "84", "27": "28", "28": "24", "29": "53", "2A": "94", "2B": "94", "30": "76", "31": "76",
	"32": "76", "33": "75", "34": "76", "35": "53", "36": "24", "37": "24", "38": "84", "39": "27",
	"40": "75", "41": "24", "42": "84", "43": "84", "44": "52", "45": "24", "46": "76", "47": "75",
	"48": "76", "49": "52", "50": "28", "51": "44", "52": "44", "53": "52", "54": "44", "55": "44",
	"56": "53", "57": "44", "58": "27", "59": "32", "60": "32", "61": "28", "62": "32", "63": "84",
	"64": "75", "65": "76", "66": "76", "67": "44", "68": "44", "69": "84", "70": "27", "71": "27",
	"72": "52", "73": "84", "74": "84", "75": "11", "76": "28", "77": "11", "78": "11", "79": "75",
	"80": "32", "81": "76", "82": "76", "83": "93", "84": "93", "85": "52", "86": "75", "87": "75",
	"88": "44", "89": "27", "90": "27", "91": "11", "92": "11", "93": "11", "94": "11", "95": "11",
}

// overseas maps the FINESS overseas codes 9A..9J to INSEE codes and regions.
var overseas = map[string]departement{
	"9A": {"971", "01"}, // Guadeloupe
	"9B": {"972", "02"}, // Martinique
	"9C": {"973", "03"}, // Guyane
	"9D": {"974", "04"}, // La Réunion
	"9E": {"975", ""},   // Saint-Pierre-et-Miquelon
	"9F": {"976", "06"}, // Mayotte
	"9G": {"977", ""},   // Saint-Barthélemy
	"9H": {"978", ""},   // Saint-Martin
	"9J": {"986", ""},   // Wallis-et-Futuna
}

// lookupDept returns the département of a FINESS département code; ok is false for an unknown code.
func lookupDept(code string) (departement, bool) {
	if d, ok := overseas[code]; ok {
		return d, true
	}
	if r, ok := regionOfDept[code]; ok {
		return departement{insee: code, region: r}, true
	}
	return departement{}, false
}

// inseeCommune builds the 5-character INSEE commune code from the FINESS département and the
// 3-digit commune field: département + commune in metropolitan France (01451, 2A004); overseas the
// commune field already carries the third digit of the département (9A + 105 -> 97105).
func inseeCommune(dept, commune string) string {
	d, ok := lookupDept(dept)
	if !ok || len(commune) != 3 || !isDigit(commune[0]) || !isDigit(commune[1]) || !isDigit(commune[2]) {
		return ""
	}
	if len(d.insee) == 3 {
		if commune[0] != d.insee[2] {
			return ""
		}
		return d.insee[:2] + commune
	}
	return d.insee + commune
}
