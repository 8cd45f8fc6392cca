package mongo

import (
	"context"
	"fmt"
	"math"
	"testing"

	"github.com/rorfhir/ror/store"
)

// Over the cap, the estimate extrapolates from windows of the type's documents: with a sample
// much smaller than the type, it lands near the true count without counting it.
func TestSampleEstimateExtrapolates(t *testing.T) {
	ctx := context.Background()
	s := openStore(t, server(t))
	var ws []store.Write
	for i := range 120 {
		group := "other"
		if i%3 == 0 {
			group = "x" // 40 of 120
		}
		ws = append(ws, write("Organization", fmt.Sprintf("o%03d", i), 1, t0, store.Index{Tokens: []store.TokenValue{{Param: "group", Code: group}}}))
		if i%30 == 0 { // documents of another type in between
			ws = append(ws, write("Location", fmt.Sprintf("l%03d", i), 1, t0, store.Index{}))
		}
	}
	if _, err := s.PutMany(ctx, ws); err != nil {
		t.Fatal(err)
	}
	q := store.Query{Type: "Organization", Where: []store.Clause{{Any: []store.Cond{{Param: "group", Kind: store.KindToken, Code: "x", AnySystem: true}}}}}
	p, err := s.compile(ctx, q.Type, q.Where, 0)
	if err != nil {
		t.Fatal(err)
	}
	est, err := s.sampleEstimate(ctx, q, p, 24, 4)
	if err != nil {
		t.Fatal(err)
	}
	if math.Abs(float64(est-40)) > 10 {
		t.Errorf("estimate %d from a sample of about 24 documents, want about 40", est)
	}
	q.TotalCap = 10
	if res, err := s.Search(ctx, q); err != nil || res.Total != 40 { // the default sample holds every document of a small type
		t.Errorf("Total %d (%v), want 40", res.Total, err)
	}
}
