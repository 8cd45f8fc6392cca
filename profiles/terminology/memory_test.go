package terminology

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"sync"
	"testing"
)

const nos = "https://mos.esante.gouv.fr/NOS/"

// sharedDir finds ../shared next to the repository root, or $ROR_SHARED.
func sharedDir(t testing.TB) string {
	t.Helper()
	if d := os.Getenv("ROR_SHARED"); d != "" {
		return d
	}
	wd, _ := os.Getwd()
	for dir := wd; filepath.Dir(dir) != dir; dir = filepath.Dir(dir) {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			shared := filepath.Join(filepath.Dir(dir), "shared")
			if _, err := os.Stat(filepath.Join(shared, "nos")); err != nil {
				t.Fatalf("reference data missing: %v (set ROR_SHARED)", err)
			}
			return shared
		}
	}
	t.Fatal("no go.mod above the working directory")
	return ""
}

var (
	once sync.Once
	mem  *Memory
	err0 error
)

func nosMemory(t testing.TB) *Memory {
	t.Helper()
	dir := sharedDir(t)
	once.Do(func() {
		mem, err0 = Load(context.Background(), DirSource{
			filepath.Join(dir, "nos", "fhir", "ValueSet"),
			filepath.Join(dir, "nos", "fhir", "CodeSystem"),
			filepath.Join(dir, "ror-ig", "terminology"),
		})
	})
	if err0 != nil {
		t.Fatal(err0)
	}
	return mem
}

func TestValidateCodeNOS(t *testing.T) {
	m := nosMemory(t)
	ctx := context.Background()
	j20 := nos + "JDV_J20-ChampActivite-ROR/FHIR/JDV-J20-ChampActivite-ROR"
	r227 := nos + "TRE_R227-ChampActivite/FHIR/TRE-R227-ChampActivite"
	cases := []struct {
		name, vs, system, code string
		known, undecided, ok   bool
	}{
		{"valid", j20, r227, "01", true, false, true},
		{"valid any system", j20, "", "01", true, false, true},
		{"version suffix", j20 + "|0.1.0", r227, "01", true, false, true},
		{"wrong code", j20, r227, "99", true, false, false},
		{"wrong system", j20, nos + "TRE_R1/FHIR/TRE-R1", "01", true, false, false},
		{"unknown value set", nos + "JDV_J999-X/FHIR/JDV-J999-X", r227, "01", false, false, false},
		{"alias J237 (.tabs url)", nos + "JDV_J237-RegionOM-ROR/FHIR/JDV-J237-RegionOM-ROR", nos + "TRE_R30-RegionOM/FHIR/TRE-R30-RegionOM", "11", true, false, true},
		{"alias J202", nos + "JDV_J202-ESPIC-ROR/FHIR/JDV-J202-ESPIC-ROR", nos + "TRE_R73-ESPIC/FHIR/TRE-R73-ESPIC", "1", true, false, true},
		{"J124 filter: undecided", nos + "JDV_J124-Commune/FHIR/JDV-J124-Commune", nos + "TRE_R13-CommuneOM/FHIR/TRE-R13-CommuneOM", "78646", true, true, false},
		{"union: department", "https://interop.esante.gouv.fr/ig/fhir/ror/ValueSet/code-region-territorial-division-ror-valueset", nos + "TRE_G09-DepartementOM/FHIR/TRE-G09-DepartementOM", "75", true, false, true},
		{"union: region via J237 alias", "https://interop.esante.gouv.fr/ig/fhir/ror/ValueSet/code-region-territorial-division-ror-valueset", nos + "TRE_R30-RegionOM/FHIR/TRE-R30-RegionOM", "11", true, false, true},
		{"union: commune undecided", "https://interop.esante.gouv.fr/ig/fhir/ror/ValueSet/code-region-territorial-division-ror-valueset", nos + "TRE_R13-CommuneOM/FHIR/TRE-R13-CommuneOM", "78646", true, true, false},
		{"whole code system", "https://interop.esante.gouv.fr/ig/fhir/ror/ValueSet/act-type-ror-valueset", "", "specificAct", true, false, true},
		{"J228 concepts without system", nos + "JDV_J228-TypeCaracteristiqueEquipement-ROR/FHIR/JDV-J228-TypeCaracteristiqueEquipement-ROR", nos + "TRE_R340-TypeCaracteristiqueEquipement/FHIR/TRE-R340-TypeCaracteristiqueEquipement", "001", true, false, true},
	}
	for _, c := range cases {
		r, err := m.ValidateCode(ctx, c.vs, c.system, c.code)
		if err != nil {
			t.Fatal(err)
		}
		if r.ValueSetKnown != c.known || r.Undecided != c.undecided || r.Valid != c.ok {
			t.Errorf("%s: got %+v", c.name, r)
		}
		if r.Valid && r.Display == "" && c.name != "whole code system" {
			t.Errorf("%s: no display", c.name)
		}
		if !r.Valid && r.Message == "" {
			t.Errorf("%s: no message", c.name)
		}
	}
	al := m.Aliases()
	for _, j := range []string{"JDV_J237-RegionOM-ROR/FHIR/JDV-J237-RegionOM-ROR", "JDV_J202-ESPIC-ROR/FHIR/JDV-J202-ESPIC-ROR", "JDV_J186-ProfessionRessource-ROR/FHIR/JDV-J186-ProfessionRessource-ROR"} {
		if al[nos+j] == "" {
			t.Errorf("alias %s missing: %v", j, al)
		}
	}
	if len(m.ValueSets()) < 70 || !m.HasValueSet(nos+"JDV_J186-ProfessionRessource-ROR/FHIR/JDV-J186-ProfessionRessource-ROR") {
		t.Errorf("value sets: %d", len(m.ValueSets()))
	}
}

func TestExpand(t *testing.T) {
	m := nosMemory(t)
	ctx := context.Background()
	all, err := m.Expand(ctx, nos+"JDV_J20-ChampActivite-ROR/FHIR/JDV-J20-ChampActivite-ROR", "")
	if err != nil || len(all) != 5 || all[0].Code != "01" {
		t.Fatalf("J20: %v %+v", err, all)
	}
	some, err := m.Expand(ctx, nos+"JDV_J17-ActiviteOperationnelle-ROR/FHIR/JDV-J17-ActiviteOperationnelle-ROR", "CHIRURGIE gyn")
	if err != nil || len(some) == 0 {
		t.Fatalf("J17 filter: %v %+v", err, some)
	}
	for _, c := range some {
		if c.System == "" || c.Display == "" {
			t.Errorf("incomplete concept %+v", c)
		}
	}
	if _, err := m.Expand(ctx, nos+"JDV_J124-Commune/FHIR/JDV-J124-Commune", ""); !errors.Is(err, ErrNotEnumerable) {
		t.Errorf("J124: %v", err)
	}
	if _, err := m.Expand(ctx, "http://x/none", ""); !errors.Is(err, ErrUnknownValueSet) {
		t.Errorf("unknown: %v", err)
	}
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := m.Expand(cctx, "http://x/none", ""); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled: %v", err)
	}
	if _, err := m.ValidateCode(cctx, "http://x/none", "", "a"); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled: %v", err)
	}
}

func BenchmarkValidateCode(b *testing.B) {
	m := nosMemory(b)
	ctx := context.Background()
	vs := nos + "JDV_J17-ActiviteOperationnelle-ROR/FHIR/JDV-J17-ActiviteOperationnelle-ROR"
	sys := nos + "TRE_R211-ActiviteOperationnelle/FHIR/TRE-R211-ActiviteOperationnelle"
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		if r, _ := m.ValidateCode(ctx, vs, sys, "022"); !r.Valid {
			b.Fatal(r)
		}
	}
}
