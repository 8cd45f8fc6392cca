package textfold

import "testing"

func TestFold(t *testing.T) {
	for in, want := range map[string]string{
		"Bénédicte":               "benedicte",
		"BENEDICTE":               "benedicte",
		"  Saint-Étienne  ":       "saint etienne",
		"saint   etienne":         "saint etienne",
		"L’Haÿ-les-Roses":         "l hay les roses",
		"l'hay les roses":         "l hay les roses",
		"Œuvre Cœur":              "oeuvre coeur",
		"Straße":                  "strasse",
		"ÇA ÉTÉ Ô":                "ca ete o",
		"C.H.U. 42":               "c.h.u. 42",
		"":                        "",
		"\tCentre\nHospitalier  ": "centre hospitalier",
		"Ehpad \"Les Jardins\"":   "ehpad \"les jardins\"",
		"Ångström":                "angstrom",
	} {
		if got := Fold(in); got != want {
			t.Errorf("Fold(%q) = %q, want %q", in, got, want)
		}
	}
}

func BenchmarkFold(b *testing.B) {
	for b.Loop() {
		Fold("Centre Hospitalier de Saint-Étienne — Hôpital Bellevue")
	}
}
