package sqlite

import (
	"context"
	"fmt"
	"math"
	"testing"

	"github.com/rorfhir/ror/store"
)

// Over the cap, the estimate extrapolates from windows of the type's rows: with a sample much
// smaller than the type, it lands near the true count without counting it.
func TestSampleEstimateExtrapolates(t *testing.T) {
	ctx := context.Background()
	s := OpenTemp(t)
	var ws []store.Write
	for i := range 600 {
		group := "other"
		if i%3 == 0 {
			group = "x" // 200 of 600
		}
		ws = append(ws, store.Write{Type: "Organization", ID: fmt.Sprintf("o%03d", i), VersionID: 1, Body: []byte(`{}`),
			Index: store.Index{Tokens: []store.TokenValue{{Param: "group", Code: group}}}})
		if i%50 == 0 { // rows of another type in between
			ws = append(ws, store.Write{Type: "Location", ID: fmt.Sprintf("l%03d", i), VersionID: 1, Body: []byte(`{}`)})
		}
	}
	for _, w := range ws {
		if _, err := s.Put(ctx, w); err != nil {
			t.Fatal(err)
		}
	}
	q := store.Query{Type: "Organization", Where: []store.Clause{{Any: []store.Cond{{Param: "group", Kind: store.KindToken, Code: "x", AnySystem: true}}}}}
	c := &compiler{ctx: ctx, q: s.read, d: s.dicts, codec: s.codec}
	est, err := s.sampleEstimate(ctx, s.read, c, q, 60, 6)
	if err != nil {
		t.Fatal(err)
	}
	if math.Abs(float64(est-200)) > 30 {
		t.Errorf("estimate %d from a sample of about 60 rows, want about 200", est)
	}
	q.TotalCap = 10
	res, err := s.Search(ctx, q)
	if err != nil || res.Total != 200 { // the default sample holds every row of a small type
		t.Errorf("Total %d (%v), want 200", res.Total, err)
	}
}
