package profiles

import (
	"embed"
	"encoding/json"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strings"
)

// Canonical is the canonical base of the ROR IG; IGVersion the version our definitions follow.
const (
	Canonical = "https://interop.esante.gouv.fr/ig/fhir/ror"
	IGVersion = "0.7.0"
)

//go:embed defs/*.json
var embedded embed.FS

// Definitions is the whole set of profiles and extensions the server knows.
type Definitions struct {
	Profiles   []Profile
	Extensions []Extension
}

// Profile is a resource profile: a type, a base and a list of element constraints (the differential).
type Profile struct {
	ID          string    `json:"id"`   // e.g. ror-location; the canonical is Canonical/StructureDefinition/ID
	Name        string    `json:"name"` // computable name, e.g. RORLocation
	Type        string    `json:"type"` // resource type
	Base        string    `json:"base"` // baseDefinition
	Description string    `json:"description,omitempty"`
	Notes       []string  `json:"notes,omitempty"`
	Elements    []Element `json:"elements"`
}

// URL is the canonical URL of the profile.
func (p *Profile) URL() string { return Canonical + "/StructureDefinition/" + p.ID }

// Extension is an extension definition, in short form: a simple extension has Types (and Bind);
// a complex one has Subs. Elements holds any further constraint (ids relative to Extension).
type Extension struct {
	ID           string      `json:"id"`
	Name         string      `json:"name"`
	URL          string      `json:"url"` // canonical (as-ext-lieu-dit lives in the annuaire namespace)
	Description  string      `json:"description,omitempty"`
	Context      []string    `json:"context"` // "element:HealthcareService.characteristic", "extension:<url>"
	Types        []string    `json:"types,omitempty"`
	Targets      []string    `json:"targets,omitempty"`
	Bind         *Binding    `json:"bind,omitempty"`
	ExtensionMin int         `json:"extensionMin,omitempty"` // Extension.extension min (complex)
	Subs         []SubExt    `json:"subs,omitempty"`
	Invariants   []Invariant `json:"invariants,omitempty"`
	Elements     []Element   `json:"elements,omitempty"`
}

// Complex says whether the extension has sub-extensions instead of a value.
func (e *Extension) Complex() bool { return e.Subs != nil }

// SubExt is one sub-extension of a complex extension: either local (Name is its url, with
// Types/Bind) or a reference to another extension (Ext).
type SubExt struct {
	Name    string   `json:"name"`
	Min     int      `json:"min"`
	Max     string   `json:"max"`
	Ext     string   `json:"ext,omitempty"`
	Types   []string `json:"types,omitempty"`
	Targets []string `json:"targets,omitempty"`
	Bind    *Binding `json:"bind,omitempty"`
}

// Element is one element constraint. ID is the IG element id without the root type
// ("characteristic:careMode.extension:ror-act-type", "extension:ageRange.value[x].low").
type Element struct {
	ID      string                     `json:"id"`
	Min     *int                       `json:"min,omitempty"`
	Max     string                     `json:"max,omitempty"`
	Types   []string                   `json:"types,omitempty"`   // allowed types (choice elements)
	Ext     string                     `json:"ext,omitempty"`     // extension slice: the extension's URL
	Targets []string                   `json:"targets,omitempty"` // Reference/canonical target profiles
	Fixed   map[string]json.RawMessage `json:"fixed,omitempty"`   // one key: the FHIR type suffix ("Uri")
	Pattern map[string]json.RawMessage `json:"pattern,omitempty"` // one key, e.g. "CodeableConcept"
	Bind    *Binding                   `json:"bind,omitempty"`
	Slicing *Slicing                   `json:"slicing,omitempty"`
	// Match is our slice-matching rule for slices the IG discriminates by value without a fixed
	// value (binding only): discriminator path (relative to the slice) -> accepted values (the
	// code systems of the bound value set, taken from the NOS files).
	Match       map[string][]string `json:"match,omitempty"`
	MustSupport bool                `json:"ms,omitempty"`
	// BaseURL is the url of an extension slice defined by the base profile (FrAddress inseeCode),
	// which the differential does not state: used to match the slice, not generated.
	BaseURL    string      `json:"baseUrl,omitempty"`
	Hierarchy  bool        `json:"hierarchy,omitempty"` // structuredefinition-hierarchy on the Reference type
	Invariants []Invariant `json:"invariants,omitempty"`
	// FromBase marks a constraint we state from the base profile (FrOrganization), absent from the
	// IG differential: it is not part of the coverage comparison nor of generated differentials.
	FromBase bool   `json:"fromBase,omitempty"`
	Note     string `json:"note,omitempty"`
}

// Binding is a terminology binding.
type Binding struct {
	Strength    string `json:"strength"` // required | extensible | preferred | example
	ValueSet    string `json:"vs"`
	Description string `json:"description,omitempty"`
}

// Slicing describes how an element repeats in slices. Disc items are "type:path".
type Slicing struct {
	Disc        []string `json:"disc"`
	Rules       string   `json:"rules"` // open | closed | openAtEnd
	Ordered     bool     `json:"ordered,omitempty"`
	Description string   `json:"description,omitempty"`
}

// Invariant is a FHIRPath constraint of the IG; Check names the Go function that enforces it.
type Invariant struct {
	Key        string `json:"key"`
	Severity   string `json:"severity"`
	Human      string `json:"human"`
	Expression string `json:"expression"`
	Check      string `json:"check,omitempty"`
}

// LoadDefinitions returns the definitions embedded in the binary (defs/*.json).
func LoadDefinitions() (*Definitions, error) {
	return ParseDefinitions(embedded, "defs")
}

// ParseDefinitions reads profile-*.json and extensions.json from dir of fsys.
func ParseDefinitions(fsys fs.FS, dir string) (*Definitions, error) {
	names, err := fs.Glob(fsys, path.Join(dir, "profile-*.json"))
	if err != nil {
		return nil, fmt.Errorf("profiles: list definitions: %w", err)
	}
	sort.Strings(names)
	d := &Definitions{}
	for _, n := range names {
		b, err := fs.ReadFile(fsys, n)
		if err != nil {
			return nil, fmt.Errorf("profiles: read %s: %w", n, err)
		}
		var p Profile
		if err := json.Unmarshal(b, &p); err != nil {
			return nil, fmt.Errorf("profiles: parse %s: %w", n, err)
		}
		d.Profiles = append(d.Profiles, p)
	}
	b, err := fs.ReadFile(fsys, path.Join(dir, "extensions.json"))
	if err != nil {
		return nil, fmt.Errorf("profiles: read extensions: %w", err)
	}
	if err := json.Unmarshal(b, &d.Extensions); err != nil {
		return nil, fmt.Errorf("profiles: parse extensions: %w", err)
	}
	return d, d.check()
}

// check rejects definitions the compiler could not use.
func (d *Definitions) check() error {
	seen := map[string]bool{}
	for _, e := range d.Extensions {
		if e.URL == "" || seen[e.URL] {
			return fmt.Errorf("profiles: extension %q: empty or duplicate url", e.ID)
		}
		seen[e.URL] = true
	}
	for _, p := range d.Profiles {
		if p.Type == "" || p.ID == "" {
			return fmt.Errorf("profiles: profile %q: missing id or type", p.ID)
		}
		for _, el := range p.Elements {
			if el.Ext != "" && !seen[el.Ext] && !strings.HasPrefix(el.Ext, "http://hl7.org/fhir/") && !isExternalExtension(el.Ext) {
				return fmt.Errorf("profiles: %s.%s: unknown extension %s", p.Type, el.ID, el.Ext)
			}
		}
	}
	return nil
}

// isExternalExtension says whether url is an extension used by the ROR profiles but defined
// elsewhere (Annuaire Santé): its own constraints are not ours to check, only the slice constraints
// stated by the profile apply.
func isExternalExtension(url string) bool {
	switch url {
	case "https://apifhir.annuaire.sante.fr/ws-sync/exposed/structuredefinition/practitionerRole-contracted",
		"https://apifhir.annuaire.sante.fr/ws-sync/exposed/structuredefinition/practitionerRole-hasCAS",
		"https://apifhir.annuaire.sante.fr/ws-sync/exposed/structuredefinition/practitionerRole-vitaleAccepted":
		return true
	}
	return false
}

// Profile returns the profile with canonical url (version suffix "|x" ignored).
func (d *Definitions) Profile(url string) (*Profile, bool) {
	url, _, _ = strings.Cut(url, "|")
	for i := range d.Profiles {
		if d.Profiles[i].URL() == url {
			return &d.Profiles[i], true
		}
	}
	return nil, false
}

// Extension returns the extension with canonical url.
func (d *Definitions) Extension(url string) (*Extension, bool) {
	url, _, _ = strings.Cut(url, "|")
	for i := range d.Extensions {
		if d.Extensions[i].URL == url {
			return &d.Extensions[i], true
		}
	}
	return nil, false
}

// ProfileFor returns the ROR profile of a resource type, if any.
func (d *Definitions) ProfileFor(typ string) (*Profile, bool) {
	for i := range d.Profiles {
		if d.Profiles[i].Type == typ {
			return &d.Profiles[i], true
		}
	}
	return nil, false
}
