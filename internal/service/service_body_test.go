package service

import (
	"context"
	"errors"
	"testing"

	"github.com/rorfhir/ror/fhir/fherr"
	"github.com/rorfhir/ror/store"
)

func TestAsInvalid(t *testing.T) {
	fe := fherr.Gone("x")
	if asInvalid(fe, "structure", "y") != error(fe) {
		t.Error("an *fherr.Error must pass unchanged")
	}
	err := asInvalid(errors.New("bad"), "structure", "the body is %s", "wrong")
	got, ok := fherr.As(err)
	if !ok || got.Kind != fherr.KindInvalid || got.Issues[0].Diagnostics != "the body is wrong: bad" || got.Issues[0].Code != "structure" {
		t.Fatalf("%+v", got)
	}
}

func TestRunChecksFailure(t *testing.T) {
	boom := CheckFunc(func(context.Context, string, *store.Version, []byte) ([]fherr.Issue, error) {
		return nil, errors.New("validator down")
	})
	svc, _ := newTestService(t, Options{Checks: []Check{boom}})
	_, err := svc.runChecks(context.Background(), "Organization", nil, []byte(`{}`))
	if kindOf(t, err) != fherr.KindFault {
		t.Fatalf("a failing check is a fault: %v", err)
	}
}
