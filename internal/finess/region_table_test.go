package finess

import (
	"encoding/csv"
	"os"
	"path/filepath"
	"testing"
)

func TestInseeCommune(t *testing.T) {
	for _, c := range []struct{ dept, commune, want string }{
		{"01", "451", "01451"},
		{"2A", "004", "2A004"},
		{"2B", "033", "2B033"},
		{"9A", "105", "97105"},
		{"9D", "411", "97411"},
		{"9F", "611", "97611"},
		{"9A", "411", ""}, // commune of another overseas département
		{"01", "", ""},
		{"01", "45", ""},
		{"XX", "451", ""},
	} {
		if got := inseeCommune(c.dept, c.commune); got != c.want {
			t.Errorf("inseeCommune(%q, %q) = %q, want %q", c.dept, c.commune, got, c.want)
		}
	}
}

// The project's table agrees with the reference table of ../shared/finess/regions.csv.
func TestRegionsAgainstReference(t *testing.T) {
	f, err := os.Open(filepath.Join(sharedDir(t), "finess", "regions.csv"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	r := csv.NewReader(f)
	r.Comma = ';'
	rows, err := r.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) < 100 {
		t.Fatalf("only %d rows", len(rows))
	}
	for _, row := range rows[1:] {
		d, ok := lookupDept(row[0])
		if !ok {
			t.Errorf("département %s missing", row[0])
			continue
		}
		if d.insee != row[1] || d.region != row[4] {
			t.Errorf("%s: got insee %s region %q, want %s %q", row[0], d.insee, d.region, row[1], row[4])
		}
		if d.region != "" && regionNames[d.region] == "" {
			t.Errorf("region %s has no name", d.region)
		}
	}
}
