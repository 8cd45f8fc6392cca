package app

import (
	"context"
	"fmt"

	"github.com/rorfhir/ror/fhir/fherr"
	"github.com/rorfhir/ror/internal/service"
	"github.com/rorfhir/ror/profiles"
)

// profileService adapts the profile validator to what the service needs ($validate,
// supportedProfile, the StructureDefinitions served).
type profileService struct {
	v   *profiles.Validator
	sds [][]byte
}

func newProfileService(v *profiles.Validator) (profileService, error) {
	raws, err := v.Definitions().StructureDefinitions()
	if err != nil {
		return profileService{}, fmt.Errorf("generate the StructureDefinitions: %w", err)
	}
	sds := make([][]byte, len(raws))
	for i, r := range raws {
		sds[i] = r
	}
	return profileService{v: v, sds: sds}, nil
}

// Validate implements service.Profiles.
func (p profileService) Validate(ctx context.Context, typ string, body []byte, o service.ValidateProfiles) []fherr.Issue {
	return p.v.ValidateWith(ctx, typ, body, profiles.ValidateOptions{Profiles: o.Profiles, ServerMeta: o.ServerMeta})
}

// SupportedProfiles implements service.Profiles.
func (p profileService) SupportedProfiles(typ string) []string { return p.v.SupportedProfiles(typ) }

// StructureDefinitions implements service.Profiles.
func (p profileService) StructureDefinitions() [][]byte { return p.sds }
