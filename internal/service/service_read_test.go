package service

import (
	"context"
	"testing"

	"github.com/rorfhir/ror/fhir/fherr"
)

func TestReadAndVRead(t *testing.T) {
	svc, _ := newTestService(t, Options{})
	ctx := context.Background()
	body := []byte(`{"resourceType":"Location","id":"l1"}`)
	for i := 0; i < 2; i++ {
		if _, err := svc.Update(ctx, "Location", "l1", body, UpdateOptions{}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := svc.Delete(ctx, "Location", "l1", UpdateOptions{}); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name string
		call func() error
		kind fherr.Kind
		ok   bool
	}{
		{"read deleted", func() error { _, err := svc.Read(ctx, "Location", "l1"); return err }, fherr.KindGone, false},
		{"read missing", func() error { _, err := svc.Read(ctx, "Location", "x"); return err }, fherr.KindNotFound, false},
		{"read bad id", func() error { _, err := svc.Read(ctx, "Location", "a_b"); return err }, fherr.KindNotFound, false},
		{"read unknown type", func() error { _, err := svc.Read(ctx, "Patient", "l1"); return err }, fherr.KindNotFound, false},
		{"vread 2", func() error { _, err := svc.VRead(ctx, "Location", "l1", "2"); return err }, 0, true},
		{"vread tombstone", func() error { _, err := svc.VRead(ctx, "Location", "l1", "3"); return err }, fherr.KindGone, false},
		{"vread 4", func() error { _, err := svc.VRead(ctx, "Location", "l1", "4"); return err }, fherr.KindNotFound, false},
		{"vread x", func() error { _, err := svc.VRead(ctx, "Location", "l1", "x"); return err }, fherr.KindNotFound, false},
	}
	for _, tc := range cases {
		err := tc.call()
		if tc.ok {
			if err != nil {
				t.Errorf("%s: %v", tc.name, err)
			}
			continue
		}
		if err == nil || kindOf(t, err) != tc.kind {
			t.Errorf("%s: %v, want kind %v", tc.name, err, tc.kind)
		}
	}
}
