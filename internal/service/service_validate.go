package service

import (
	"context"
	"encoding/json"
	"net/url"

	"github.com/rorfhir/ror/fhir/fherr"
	"github.com/rorfhir/ror/store"
)

// Profiles is what the service needs from the profile engine (profiles.Validator, adapted by the
// composition root): validation on demand, the profiles supported per type and the
// StructureDefinitions served.
type Profiles interface {
	// Validate checks body, a resource of type typ, against the profiles that apply and those
	// named in opts.Profiles. It returns every issue found.
	Validate(ctx context.Context, typ string, body []byte, opts ValidateProfiles) []fherr.Issue
	// SupportedProfiles lists the canonicals of the profiles of typ.
	SupportedProfiles(typ string) []string
	// StructureDefinitions returns the StructureDefinition resources served (read-only).
	StructureDefinitions() [][]byte
}

// ValidateProfiles are the switches of Profiles.Validate.
type ValidateProfiles struct {
	Profiles   []string // profile canonicals asked for
	ServerMeta bool     // meta.lastUpdated/versionId will be set by the server: not required
}

// ValidateRequest is a $validate call: POST [base]/{type}/$validate or [base]/{type}/{id}/$validate.
type ValidateRequest struct {
	Type string
	ID   string // instance level ("" at type level)
	// Body is the request body: the resource, or a Parameters with resource, mode and profile
	// (may be empty at instance level: the stored resource is validated).
	Body []byte
	// Query holds mode and profile given in the URL.
	Query url.Values
}

// Validate modes of $validate.
const (
	ModeCreate = "create"
	ModeUpdate = "update"
	ModeDelete = "delete"
)

// Validate runs $validate: base R4 structure, the profiles (those declared, those required, the
// profile parameter) and, with mode create/update/delete, the write checks of that interaction.
// It returns every issue (a resource that does not conform is not an error of the operation);
// errors are for malformed requests (400) and unknown types or instances (404).
func (s *Service) Validate(ctx context.Context, req ValidateRequest) ([]fherr.Issue, error) {
	if err := s.checkType(req.Type); err != nil {
		return nil, err
	}
	body, mode, profs, err := validateParams(req)
	if err != nil {
		return nil, err
	}
	var cur *store.Version
	if req.ID != "" {
		if !validID(req.ID) {
			return nil, fherr.NotFound("%s/%s does not exist", req.Type, req.ID)
		}
		if cur, err = s.current(ctx, req.Type, req.ID); err != nil {
			return nil, err
		}
		exists := cur != nil && !cur.Deleted
		switch {
		case mode == ModeCreate:
			return nil, fherr.Invalid("invalid", "mode", "mode=create is a type-level validation (POST [base]/%s/$validate)", req.Type)
		case !exists && (mode == ModeDelete || len(body) == 0):
			return nil, fherr.NotFound("%s/%s does not exist", req.Type, req.ID)
		case len(body) == 0 && mode != ModeDelete:
			body = cur.Body
		}
	}
	if mode == ModeDelete {
		if req.ID == "" {
			return nil, fherr.Invalid("invalid", "mode", "mode=delete needs an instance: POST [base]/%s/{id}/$validate", req.Type)
		}
		return s.checkIssues(ctx, req.Type, cur, nil)
	}
	if len(body) == 0 {
		return nil, fherr.Invalid("required", "resource", "no resource to validate: send the %s or a Parameters with a resource parameter", req.Type)
	}
	var issues []fherr.Issue
	in, err := s.checkBody(req.Type, body)
	if err != nil {
		fe, ok := fherr.As(err)
		if !ok || fe.Kind != fherr.KindInvalid {
			return nil, err
		}
		issues = append(issues, fe.Issues...)
	} else {
		issues = append(issues, in.warnings...)
	}
	if mode == ModeUpdate {
		id := resourceID(body)
		switch {
		case id == "":
			issues = append(issues, fherr.Issue{Severity: "error", Code: "required", Expression: []string{req.Type + ".id"},
				Diagnostics: "an update needs the id of the resource"})
		case req.ID != "" && id != req.ID:
			issues = append(issues, fherr.Issue{Severity: "error", Code: "invalid", Expression: []string{req.Type + ".id"},
				Diagnostics: "the resource id " + id + " differs from the URL id " + req.ID})
		case req.ID == "":
			if cur, err = s.current(ctx, req.Type, id); err != nil {
				return nil, err
			}
		}
	}
	if s.opts.Profiles != nil && json.Valid(body) {
		issues = append(issues, s.opts.Profiles.Validate(ctx, req.Type, body,
			ValidateProfiles{Profiles: profs, ServerMeta: mode != ""})...)
	}
	if mode != "" {
		more, err := s.checkIssues(ctx, req.Type, cur, body)
		if err != nil {
			return nil, err
		}
		issues = append(issues, more...)
	}
	return dedupIssues(issues), nil
}

// checkIssues runs every write check and returns all their issues (none rejects).
func (s *Service) checkIssues(ctx context.Context, typ string, cur *store.Version, body []byte) ([]fherr.Issue, error) {
	var out []fherr.Issue
	for _, c := range s.opts.Checks {
		issues, err := c.Check(ctx, typ, cur, body)
		if err != nil {
			if fe, ok := fherr.As(err); ok && fe.Kind != fherr.KindFault {
				out = append(out, fe.Issues...)
				continue
			}
			return nil, fherr.Fault(err)
		}
		out = append(out, issues...)
	}
	return out, nil
}

// dedupIssues drops repeated issues (the profile validator runs both as a check and on demand).
func dedupIssues(in []fherr.Issue) []fherr.Issue {
	seen := map[string]bool{}
	out := in[:0]
	for _, is := range in {
		k := is.Severity + "\x00" + is.Code + "\x00" + is.Diagnostics
		for _, e := range is.Expression {
			k += "\x00" + e
		}
		if !seen[k] {
			seen[k] = true
			out = append(out, is)
		}
	}
	return out
}
