package service

import (
	"context"
	"strconv"
	"time"

	"github.com/rorfhir/ror/fhir/fherr"
	"github.com/rorfhir/ror/fhir/resource"
	"github.com/rorfhir/ror/store"
)

// incoming is a request body that passed the checks that do not depend on the stored state.
type incoming struct {
	typ      string
	id       string // from the body ("" when absent)
	body     []byte
	warnings []fherr.Issue
}

// checkBody applies the rules every written body follows, before anything is read from the store:
// size limit, well-formed JSON resource, resourceType equal to the URL type, base R4 structure,
// and id syntax when the body has one. Each failure is a 400 saying what and where.
func (s *Service) checkBody(typ string, body []byte) (incoming, error) {
	if err := s.checkType(typ); err != nil {
		return incoming{}, err
	}
	if int64(len(body)) > s.opts.MaxBodyBytes {
		return incoming{}, fherr.Invalid("too-long", "",
			"the body is larger than the limit of %d bytes", s.opts.MaxBodyBytes)
	}
	if len(body) == 0 {
		return incoming{}, fherr.Invalid("required", "", "the request has no body; a %s resource was expected", typ)
	}
	info, err := resource.Parse(body)
	if err != nil {
		return incoming{}, asInvalid(err, "structure", "the body is not a FHIR JSON resource")
	}
	if info.Type != typ {
		return incoming{}, fherr.Invalid("invalid", "resourceType",
			"resourceType is %q but the URL is for %s", info.Type, typ)
	}
	if info.ID != "" && !validID(info.ID) {
		return incoming{}, fherr.Invalid("value", typ+".id",
			"%q is not a valid id (1 to 64 of A-Z a-z 0-9 - .)", info.ID)
	}
	warnings, err := resource.CheckStructure(typ, body)
	if err != nil {
		return incoming{}, asInvalid(err, "structure", "the body is not a valid %s", typ)
	}
	return incoming{typ: typ, id: info.ID, body: body, warnings: warnings}, nil
}

// asInvalid keeps an *fherr.Error as is and turns any other error into a 400.
func asInvalid(err error, code, format string, args ...any) error {
	if _, ok := fherr.As(err); ok {
		return err
	}
	e := fherr.Invalid(code, "", format, args...)
	e.Issues[0].Diagnostics += ": " + err.Error()
	e.Err = err
	return e
}

// runChecks applies the pluggable checks; issues of severity error or fatal reject the write
// with 422, others come back as warnings.
func (s *Service) runChecks(ctx context.Context, typ string, current *store.Version, body []byte) ([]fherr.Issue, error) {
	var warnings, errs []fherr.Issue
	for _, c := range s.opts.Checks {
		issues, err := c.Check(ctx, typ, current, body)
		if err != nil {
			if _, ok := fherr.As(err); ok {
				return nil, err
			}
			return nil, fherr.Fault(err)
		}
		for _, is := range issues {
			if is.Severity == "error" || is.Severity == "fatal" {
				errs = append(errs, is)
			} else {
				warnings = append(warnings, is)
			}
		}
	}
	if len(errs) > 0 {
		return nil, fherr.Unprocessable(append(errs, warnings...)...)
	}
	return warnings, nil
}

// prepare stamps body as version vid of typ/id at time at and extracts its search values; method
// is the HTTP method the write stands for (store.Write.Method).
func (s *Service) prepare(method, typ, id string, vid int64, at time.Time, body []byte) (store.Write, error) {
	stamped, err := resource.Stamp(body, id, strconv.FormatInt(vid, 10), at)
	if err != nil {
		return store.Write{}, asInvalid(err, "structure", "the body cannot be stamped with id and meta")
	}
	idx, err := s.reg.Extract(typ, stamped)
	if err != nil {
		return store.Write{}, asInvalid(err, "processing", "search values cannot be extracted")
	}
	return store.Write{Type: typ, ID: id, VersionID: vid, LastUpdated: at, Body: stamped, Index: idx, Method: method}, nil
}
