package service

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/rorfhir/ror/fhir/fherr"
	"github.com/rorfhir/ror/fhir/search"
)

// fixedNow is the clock of the tests.
var fixedNow = time.Date(2026, 1, 2, 3, 4, 5, 678_900_000, time.UTC)

func newTestService(t *testing.T, opts Options) (*Service, *memStore) {
	t.Helper()
	st := newMemStore()
	if opts.Now == nil {
		opts.Now = func() time.Time { return fixedNow }
	}
	return New(st, search.Default(), opts), st
}

// kindOf returns the fherr kind of err (failing the test when err is not an *fherr.Error).
func kindOf(t *testing.T, err error) fherr.Kind {
	t.Helper()
	fe, ok := fherr.As(err)
	if !ok {
		t.Fatalf("error %v (%T) is not an *fherr.Error", err, err)
	}
	return fe.Kind
}

func TestOptionsDefaults(t *testing.T) {
	o := Options{DefaultCount: 5000}.withDefaults()
	if o.MaxBodyBytes != DefaultMaxBodyBytes || o.MaxCount != DefaultMaxCount || o.DefaultCount != DefaultMaxCount {
		t.Fatalf("defaults: %+v", o)
	}
	if o.Now == nil || o.NewID == nil {
		t.Fatal("Now and NewID must default")
	}
}

// TestRandomIDIsValid: server-assigned ids are valid FHIR ids of 32 hex digits, all distinct,
// and ids assigned one after the other sort in that order (time-ordered: the store's id
// indexes grow at their end).
func TestRandomIDIsValid(t *testing.T) {
	prev := ""
	for range 10000 {
		id := randomID()
		if !validID(id) || len(id) != 32 || strings.Trim(id, "0123456789abcdef") != "" {
			t.Fatalf("randomID: %q is not 32 hex digits", id)
		}
		if id <= prev {
			t.Fatalf("randomID: %q after %q, want ids in the order they are assigned", id, prev)
		}
		prev = id
	}
}

func TestValidID(t *testing.T) {
	for id, want := range map[string]bool{
		"abc": true, "A-1.b": true, "": false, "a_b": false, "a/b": false, "é": false,
		"0123456789012345678901234567890123456789012345678901234567890123":  true,
		"01234567890123456789012345678901234567890123456789012345678901234": false,
	} {
		if got := validID(id); got != want {
			t.Errorf("validID(%q) = %v", id, got)
		}
	}
}

func TestStoreErrKeepsSentinels(t *testing.T) {
	if k := kindOf(t, storeErr(errors.New("boom"))); k != fherr.KindFault {
		t.Errorf("plain error: kind %v", k)
	}
}
