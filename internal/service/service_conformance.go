package service

import (
	"encoding/json"
	"net/url"

	"github.com/rorfhir/ror/fhir/fherr"
)

// SupportedProfiles lists the canonicals of the profiles the server validates typ against (the
// CapabilityStatement's supportedProfile).
func (s *Service) SupportedProfiles(typ string) []string {
	if s.opts.Profiles == nil {
		return nil
	}
	return s.opts.Profiles.SupportedProfiles(typ)
}

// sdHead is what StructureDefinition searches compare.
type sdHead struct {
	ID             string `json:"id"`
	URL            string `json:"url"`
	Name           string `json:"name"`
	Title          string `json:"title"`
	Type           string `json:"type"`
	Kind           string `json:"kind"`
	Derivation     string `json:"derivation"`
	BaseDefinition string `json:"baseDefinition"`
	Status         string `json:"status"`
	Version        string `json:"version"`
}

// sdFilters are the parameters a StructureDefinition search understands (exact match, any of
// comma-separated values; url and base also match without a |version suffix).
var sdFilters = map[string]func(sdHead) []string{
	"_id":        func(h sdHead) []string { return []string{h.ID} },
	"url":        func(h sdHead) []string { return []string{h.URL} },
	"name":       func(h sdHead) []string { return []string{h.Name} },
	"title":      func(h sdHead) []string { return []string{h.Title} },
	"type":       func(h sdHead) []string { return []string{h.Type} },
	"kind":       func(h sdHead) []string { return []string{h.Kind} },
	"derivation": func(h sdHead) []string { return []string{h.Derivation} },
	"base":       func(h sdHead) []string { return []string{h.BaseDefinition} },
	"status":     func(h sdHead) []string { return []string{h.Status} },
	"version":    func(h sdHead) []string { return []string{h.Version} },
}

// structureDefinitions decodes the heads of the served StructureDefinitions.
func (s *Service) structureDefinitions() ([]sdHead, [][]byte, error) {
	if s.opts.Profiles == nil {
		return nil, nil, nil
	}
	bodies := s.opts.Profiles.StructureDefinitions()
	heads := make([]sdHead, len(bodies))
	for i, b := range bodies {
		if err := json.Unmarshal(b, &heads[i]); err != nil {
			return nil, nil, fherr.Fault(err)
		}
	}
	return heads, bodies, nil
}

// StructureDefinition returns the StructureDefinition resource id (generated, read-only).
func (s *Service) StructureDefinition(id string) ([]byte, error) {
	heads, bodies, err := s.structureDefinitions()
	if err != nil {
		return nil, err
	}
	for i, h := range heads {
		if h.ID == id {
			return bodies[i], nil
		}
	}
	return nil, fherr.NotFound("StructureDefinition/%s is not known to this server", id)
}

// StructureDefinitions searches the served StructureDefinitions by _id, url, name, title, type,
// kind, derivation, base, status and version (every match, no paging: the set is small). Other
// parameters are ignored with a warning, or rejected when strict.
func (s *Service) StructureDefinitions(params url.Values, opts SearchOptions) ([][]byte, []fherr.Issue, error) {
	heads, bodies, err := s.structureDefinitions()
	if err != nil {
		return nil, nil, err
	}
	idx, issues, err := memSearch("StructureDefinition", heads, sdFilters, params, opts.Strict || s.opts.StrictSearch)
	if err != nil {
		return nil, nil, err
	}
	out := make([][]byte, len(idx))
	for k, i := range idx {
		out[k] = bodies[i]
	}
	return out, issues, nil
}
