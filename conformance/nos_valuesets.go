package conformance

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
)

// Coding is a FHIR Coding.
type Coding struct {
	System  string `json:"system"`
	Code    string `json:"code"`
	Display string `json:"display,omitempty"`
}

// Terminology holds the codes of the NOS value sets (JDV) the ROR profiles bind to, by JDV number
// ("J17", "J187"...), in the order of the files.
type Terminology struct {
	lists map[string][]Coding
	urls  map[string]string
}

var jdvName = regexp.MustCompile(`^ValueSet-JDV-(J\d+)-`)

// LoadTerminology reads every ValueSet-JDV-*.json of dir (shared/nos/fhir/ValueSet) that lists its
// codes explicitly (compose.include.concept).
func LoadTerminology(dir string) (*Terminology, error) {
	files, err := filepath.Glob(filepath.Join(dir, "ValueSet-JDV-*.json"))
	if err != nil {
		return nil, err
	}
	if len(files) == 0 {
		return nil, fmt.Errorf("no ValueSet-JDV-*.json in %s", dir)
	}
	t := &Terminology{lists: map[string][]Coding{}, urls: map[string]string{}}
	for _, f := range files {
		m := jdvName.FindStringSubmatch(filepath.Base(f))
		if m == nil {
			continue
		}
		raw, err := os.ReadFile(f)
		if err != nil {
			return nil, err
		}
		var vs struct {
			URL     string `json:"url"`
			Compose struct {
				Include []struct {
					System  string `json:"system"`
					Concept []struct {
						Code    string `json:"code"`
						Display string `json:"display"`
					} `json:"concept"`
				} `json:"include"`
			} `json:"compose"`
		}
		if err := json.Unmarshal(raw, &vs); err != nil {
			return nil, fmt.Errorf("%s: %w", f, err)
		}
		t.urls[m[1]] = vs.URL
		for _, inc := range vs.Compose.Include {
			if inc.System == "" {
				continue
			}
			for _, c := range inc.Concept {
				t.lists[m[1]] = append(t.lists[m[1]], Coding{System: inc.System, Code: c.Code, Display: c.Display})
			}
		}
	}
	return t, nil
}

// Codes returns the codes of value set jdv ("J17"), nil when it is unknown or lists no code.
func (t *Terminology) Codes(jdv string) []Coding { return t.lists[jdv] }

// Lists returns the JDV numbers that have codes, sorted.
func (t *Terminology) Lists() []string {
	out := make([]string, 0, len(t.lists))
	for k := range t.lists {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// Pick returns the i-th code of value set jdv (modulo its size). It panics when the list is empty:
// the generator only asks for lists that the NOS files carry, and a missing one is a broken checkout.
func (t *Terminology) Pick(jdv string, i int) Coding {
	l := t.lists[jdv]
	if len(l) == 0 {
		panic(fmt.Sprintf("conformance: NOS value set %s has no code", jdv))
	}
	if i < 0 {
		i = -i
	}
	return l[i%len(l)]
}

// PickCode returns the code of value set jdv equal to code; ok is false when it is not listed.
func (t *Terminology) PickCode(jdv, code string) (Coding, bool) {
	for _, c := range t.lists[jdv] {
		if c.Code == code {
			return c, true
		}
	}
	return Coding{}, false
}
