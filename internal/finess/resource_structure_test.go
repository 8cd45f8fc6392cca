package finess

import (
	"context"
	"flag"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/rorfhir/ror/fhir/resource"
)

// The fixture's resources pass the server's structure check without warnings.
func TestFixtureResourcesPassCheckStructure(t *testing.T) {
	tg := newFakeTarget()
	importFile(t, tg, "fixture.csv", Options{})
	for k, b := range tg.bodies {
		warnings, err := resource.CheckStructure(k.Type, b)
		if err != nil {
			t.Errorf("%v: %v", k, err)
		}
		for _, w := range warnings {
			t.Errorf("%v: warning %+v", k, w)
		}
	}
}

var fullCheck = flag.Bool("fullcheck", false, "check every resource of the national file (about 2.5 min on 2 cores) instead of 1 in 20 plus every overseas one")

// Resources produced from the national file pass the server's structure check: 1 in 20 and every
// overseas one by default, all of them with -fullcheck.
func TestNationalResourcesPassCheckStructure(t *testing.T) {
	if testing.Short() {
		t.Skip("national file: not in -short mode")
	}
	f, err := os.Open(nationalFile(t))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	work := make(chan Resource, 1024)
	var mu sync.Mutex
	var failures, checked int
	var wg sync.WaitGroup
	for range 2 {
		wg.Go(func() {
			for r := range work {
				_, err := resource.CheckStructure(r.Type, r.Body)
				mu.Lock()
				checked++
				if err != nil {
					failures++
					if failures <= 5 {
						t.Errorf("%s/%s: %v", r.Type, r.ID, err)
					}
				}
				mu.Unlock()
			}
		})
	}
	start := time.Now()
	n := 0
	d := &discard{bodies: func(r Resource) {
		n++
		if *fullCheck || n%20 == 0 || strings.Contains(r.ID, "-97") {
			work <- r
		}
	}}
	_, err = NewImporter(d, Options{}).Run(context.Background(), f)
	close(work)
	wg.Wait()
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%d resources checked in %v, %d failures", checked, time.Since(start), failures)
}
