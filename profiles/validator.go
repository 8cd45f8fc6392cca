package profiles

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/rorfhir/ror/fhir/fherr"
	"github.com/rorfhir/ror/profiles/terminology"
	"github.com/rorfhir/ror/store"
)

// Terminology answers whether a code belongs to a value set. profiles/terminology.Memory
// implements it over loaded ValueSet and CodeSystem resources.
type Terminology interface {
	ValidateCode(ctx context.Context, valueSetURL, system, code string) (terminology.Result, error)
}

var _ Terminology = (*terminology.Memory)(nil)

// Options tune the validator.
type Options struct {
	// StrictTerminology turns "value set not loaded, code not checked" from information into error.
	StrictTerminology bool
	// RequireProfiles makes the ROR profile mandatory for the five profiled types: a resource of
	// such a type is validated against its ROR profile even when meta.profile does not declare it
	// (an information issue says so).
	RequireProfiles bool
}

// Validator checks raw JSON resources against the compiled ROR definitions. It is immutable after
// construction and safe for concurrent use.
type Validator struct {
	defs     *Definitions
	term     Terminology
	opts     Options
	profiles map[string]*compiledProfile // by canonical url
	byType   map[string]*compiledProfile
	exts     map[string]*compiledExt
	checks   map[string]func(v any) bool // Go implementations of the IG's FHIRPath invariants
}

// NewValidator compiles defs into lookup trees. term may be nil (bindings are then reported as not
// checked). It fails only when the definitions are inconsistent.
func NewValidator(defs *Definitions, term Terminology, opts Options) (*Validator, error) {
	if defs == nil {
		return nil, fmt.Errorf("profiles: no definitions")
	}
	c := newCompiler(defs)
	profiles, exts, err := c.compileAll()
	if err != nil {
		return nil, err
	}
	v := &Validator{defs: defs, term: term, opts: opts, profiles: profiles, exts: exts,
		byType: map[string]*compiledProfile{}, checks: invariantChecks()}
	for _, p := range profiles {
		v.byType[p.def.Type] = p
	}
	return v, nil
}

// Definitions returns the definitions the validator was built from.
func (v *Validator) Definitions() *Definitions { return v.defs }

// SupportedProfiles returns the canonical URLs of the profiles of a resource type (for the
// CapabilityStatement's supportedProfile).
func (v *Validator) SupportedProfiles(typ string) []string {
	if p, ok := v.byType[typ]; ok {
		return []string{p.def.URL()}
	}
	return nil
}

// Validate checks body (a resource of type typ, raw JSON) against the profiles that apply: the
// ones given in profileURLs, the known ones declared in meta.profile, and, with RequireProfiles,
// the ROR profile of its type. It also checks a few base R4 invariants (org-1). It returns every
// issue found; issues of severity error mean the resource does not conform.
func (v *Validator) Validate(ctx context.Context, typ string, body []byte, profileURLs ...string) []fherr.Issue {
	var res map[string]any
	if err := json.Unmarshal(body, &res); err != nil {
		return []fherr.Issue{{Severity: "error", Code: "structure",
			Diagnostics: "the body is not a JSON object: " + err.Error()}}
	}
	return v.validateMap(ctx, typ, res, validateConfig{}, profileURLs...)
}

// ValidateResource is Validate on a resource already decoded with encoding/json (the write path
// may share its decoded body). res is only read.
func (v *Validator) ValidateResource(ctx context.Context, typ string, res map[string]any, profileURLs ...string) []fherr.Issue {
	return v.validateMap(ctx, typ, res, validateConfig{}, profileURLs...)
}

// ValidateOptions are the switches of one Validate call.
type ValidateOptions struct {
	// Profiles are profile canonicals to validate against, beyond those that apply anyway (the
	// $validate profile parameter).
	Profiles []string
	// ServerMeta: meta.lastUpdated and meta.versionId will be set by the server (a create or
	// update being checked): do not require them.
	ServerMeta bool
}

// ValidateWith is Validate with options.
func (v *Validator) ValidateWith(ctx context.Context, typ string, body []byte, o ValidateOptions) []fherr.Issue {
	var res map[string]any
	if err := json.Unmarshal(body, &res); err != nil {
		return []fherr.Issue{{Severity: "error", Code: "structure",
			Diagnostics: "the body is not a JSON object: " + err.Error()}}
	}
	var issues []fherr.Issue
	var known []string
	for _, u := range o.Profiles {
		base, _, _ := strings.Cut(u, "|")
		switch {
		case base == "http://hl7.org/fhir/StructureDefinition/"+typ: // base R4: checked anyway
		case v.profiles[base] != nil:
			known = append(known, u)
		default:
			issues = append(issues, fherr.Issue{Severity: "error", Code: "not-supported", Expression: []string{typ},
				Diagnostics: "profile " + u + " is not known by this server: the resource cannot be validated against it"})
		}
	}
	return append(issues, v.validateMap(ctx, typ, res, validateConfig{serverMeta: o.ServerMeta}, known...)...)
}

// validateConfig carries per-call switches.
type validateConfig struct {
	serverMeta bool // meta.lastUpdated/versionId are set by the server: do not require them
}

// validateMap is Validate on an already decoded resource.
func (v *Validator) validateMap(ctx context.Context, typ string, res map[string]any, cfg validateConfig, profileURLs ...string) []fherr.Issue {
	st := &state{ctx: ctx, v: v, cfg: cfg}
	if rt, _ := res["resourceType"].(string); rt != typ {
		st.add("error", "structure", text(typ), "resourceType is %q, expected %q", rt, typ)
		return st.issues
	}
	st.baseInvariants(typ, res)
	root := &loc{name: typ, idx: -1}
	rootElem := &elemRef{name: typ}
	for _, cp := range v.applicable(st, typ, res, profileURLs) {
		st.walkChildren(cp.root, res, root, rootElem)
	}
	return st.issues
}

// applicable selects the compiled profiles for a resource.
func (v *Validator) applicable(st *state, typ string, res map[string]any, extra []string) []*compiledProfile {
	var out []*compiledProfile
	seen := map[*compiledProfile]bool{}
	addURL := func(u string, where fmt.Stringer) {
		base, _, _ := strings.Cut(u, "|")
		cp, ok := v.profiles[base]
		if !ok {
			if strings.HasPrefix(base, Canonical+"/") {
				st.add("warning", "not-supported", where, "profile %s is not known by this server: not checked", u)
			}
			return
		}
		if cp.def.Type != typ {
			st.add("error", "invalid", where, "profile %s is for %s resources, not %s", u, cp.def.Type, typ)
			return
		}
		if !seen[cp] {
			seen[cp] = true
			out = append(out, cp)
		}
	}
	for _, u := range extra {
		addURL(u, text(typ))
	}
	if meta, ok := res["meta"].(map[string]any); ok {
		if ps, ok := meta["profile"].([]any); ok {
			for i, p := range ps {
				if s, ok := p.(string); ok {
					addURL(s, text(fmt.Sprintf("%s.meta.profile[%d]", typ, i)))
				}
			}
		}
	}
	if v.opts.RequireProfiles {
		if cp, ok := v.byType[typ]; ok && !seen[cp] {
			st.add("information", "informational", text(typ),
				"validated against the ROR profile %s (required for %s), not declared in meta.profile", cp.def.URL(), typ)
			seen[cp] = true
			out = append(out, cp)
		}
	}
	return out
}

// Check is the write-path check consumed by the service: it validates body and returns the issues
// (errors answer 422). current is the stored version being replaced (nil on create); it is not
// needed by profile validation. meta.lastUpdated and meta.versionId are not required here because
// the server sets them.
func (v *Validator) Check(ctx context.Context, typ string, current *store.Version, body []byte) ([]fherr.Issue, error) {
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("profiles: check %s: %w", typ, err)
	}
	if body == nil { // a delete
		return nil, nil
	}
	var res map[string]any
	if err := json.Unmarshal(body, &res); err != nil {
		return nil, fherr.Wrap(err, fherr.KindInvalid, "structure", "", "the body is not a JSON object")
	}
	return v.validateMap(ctx, typ, res, validateConfig{serverMeta: true}), nil
}

// HasErrors says whether issues contain an error or fatal issue.
func HasErrors(issues []fherr.Issue) bool {
	for _, is := range issues {
		if is.Severity == "error" || is.Severity == "fatal" {
			return true
		}
	}
	return false
}
