package storetest

import "github.com/rorfhir/ror/store"

func refTo(p, typ, id string) store.Cond {
	return store.Cond{Param: p, Kind: store.KindReference, Op: store.OpEq, Type: typ, ID: id}
}

func chain(p string, target store.Query) store.Cond {
	return store.Cond{Param: p, Kind: store.KindReference, Op: store.OpEq, Target: &target}
}

func has(typ, p string, where []store.Clause) store.Cond {
	return store.Cond{Kind: store.KindHas, Has: &store.HasCond{Type: typ, Param: p, Where: where}}
}

func nearCond(lat, lon, km float64) store.Cond {
	return store.Cond{Param: "near", Kind: store.KindNear, Lat: lat, Lon: lon, Km: km}
}

func locs(cl []store.Clause) store.Query { return store.Query{Type: "Location", Where: cl} }

// linkCases: references, chains, reverse chains and near.
func linkCases() []searchCase {
	extURL := "http://other.example/fhir/Organization/org1"
	return []searchCase{
		{"reference Type/id", orgs(and(refTo("partof", "Organization", "org1"))), []string{"org2"}, false},
		{"reference id of any type", orgs(and(refTo("partof", "", "org1"))), []string{"org2"}, false},
		{"reference id of another type", orgs(and(refTo("partof", "Location", "org1"))), []string{}, false},
		{"reference :Type", orgs(and(refTo("partof", "Organization", ""))), []string{"org2", "org3"}, false},
		{"reference :Type of another type", orgs(and(refTo("partof", "Location", ""))), []string{}, false},
		{"reference URL", locs(and(store.Cond{Param: "organization", Kind: store.KindReference, URL: extURL})), []string{"loc3"}, false},
		{"reference URL is not an id", locs(and(refTo("organization", "", extURL))), []string{}, false},
		{"reference id is not a URL", locs(and(store.Cond{Param: "organization", Kind: store.KindReference, URL: "org1"})), []string{}, false},
		{"reference OR", locs(or(refTo("organization", "Organization", "org1"), refTo("organization", "Organization", "org3"))),
			[]string{"loc1", "loc4"}, false},
		{"reference :not", locs(and(not(refTo("organization", "Organization", "org1")))), []string{"loc2", "loc3", "loc4", "loc5", "loc6"}, false},
		{"reference id of any type, two types", locs(and(refTo("organization", "", "org1"))), []string{"loc1", "loc6"}, false},
		{"reference Type/id, same id in another type", locs(and(refTo("organization", "Location", "org1"))), []string{"loc6"}, false},
		{"reference to a deleted resource still matches by id", locs(and(refTo("organization", "Organization", "org4"))), []string{"loc5"}, false},
		{"chain", locs(and(chain("organization", orgs(and(strOp("name", store.OpPrefix, "bene")))))), []string{"loc1"}, true},
		{"chain never reaches a deleted resource", locs(and(chain("organization", orgs(and(code("identifier", "100")))))),
			[]string{"loc1"}, true},
		{"chain of two levels", locs(and(chain("organization", orgs(and(chain("partof", orgs(and(code("identifier", "100"))))))))),
			[]string{"loc2"}, true},
		{"chain of three levels", store.Query{Type: "PractitionerRole", Where: and(chain("service", store.Query{Type: "HealthcareService",
			Where: and(chain("organization", orgs(and(strOp("name", store.OpPrefix, "clin")))))}))}, []string{"pr2"}, true},
		{"chain with OR in the target", locs(and(chain("organization", orgs(or(code("identifier", "300"), code("identifier", "200")))))),
			[]string{"loc2", "loc4"}, true},
		{"chain :not", locs(and(not(chain("organization", orgs(and(code("active", "true"))))))), []string{"loc2", "loc3", "loc4", "loc5", "loc6"}, true},
		{"chain without condition", locs(and(chain("organization", orgs(nil)))), []string{"loc1", "loc2", "loc4"}, true},
		{"_has", orgs(and(has("Location", "organization", and(strOp("address-city", store.OpEq, "paris"))))), []string{"org1"}, true},
		{"_has without condition", orgs(and(has("HealthcareService", "organization", nil))), []string{"org1", "org2"}, true},
		{"_has nested", orgs(and(has("HealthcareService", "organization", and(has("PractitionerRole", "service",
			and(sysCode("role", "urn:role", "nurse"))))))), []string{"org2"}, true},
		{"_has negated", orgs(and(not(has("HealthcareService", "organization", nil)))), []string{"org3", "org5"}, true},
		{"_has with a chain inside", orgs(and(has("Location", "organization", and(chain("organization",
			orgs(and(code("identifier", "200")))))))), []string{"org2"}, true},
		{"near 10 km", locs(and(nearCond(parisLat, parisLon, 10))), []string{"loc1"}, true},
		{"near 25 km", locs(and(nearCond(parisLat, parisLon, 25))), []string{"loc1", "loc3"}, true},
		{"near 300 km", locs(and(nearCond(parisLat, parisLon, 300))), []string{"loc1", "loc3"}, true},
		{"near 500 km", locs(and(nearCond(parisLat, parisLon, 500))), []string{"loc1", "loc2", "loc3"}, true},
		// Paris is in the corner of the square around this point, 11.3 km away; Versailles 9.3 km.
		{"near: the corner of the square is out", locs(and(nearCond(48.7847, 2.2429, 10))), []string{"loc3"}, true},
		{"near Lyon 10 km", locs(and(nearCond(lyonLat, lyonLon, 10))), []string{"loc2"}, true},
		{"near nowhere", locs(and(nearCond(-33.9, 151.2, 100))), []string{}, true},
		{"near AND reference", locs(and(nearCond(parisLat, parisLon, 500), refTo("organization", "Organization", "org2"))),
			[]string{"loc2"}, true},
	}
}
