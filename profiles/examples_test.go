package profiles

import (
	"context"
	"path/filepath"
	"testing"
)

func TestIGExamplesDebug(t *testing.T) {
	v := newTestValidator(t, Options{})
	dir := sharedDir(t)
	for _, f := range []string{"HealthcareService-1234564.json", "Location-ror-location-exemple.json"} {
		b := readFile(t, filepath.Join(dir, "ror-ig", "examples", f))
		typ := f[:len(f)-len(filepath.Ext(f))]
		typ = typ[:indexByte(typ, '-')]
		for _, is := range v.Validate(context.Background(), typ, b) {
			t.Logf("%s: %s %s %v %s", f, is.Severity, is.Code, is.Expression, is.Diagnostics)
		}
	}
}

func indexByte(s string, c byte) int {
	for i := 0; i < len(s); i++ {
		if s[i] == c {
			return i
		}
	}
	return -1
}
