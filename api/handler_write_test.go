package api

import (
	"net/http/httptest"
	"testing"
)

func TestPreferAndIfMatch(t *testing.T) {
	r := httptest.NewRequest("PUT", "/", nil)
	r.Header.Add("Prefer", "handling=strict; return=OperationOutcome")
	if preferReturn(r) != "OperationOutcome" || preferHandling(r) != "strict" {
		t.Fatalf("prefer: %q %q", preferReturn(r), preferHandling(r))
	}
	for h, want := range map[string]int64{"": 0, `W/"3"`: 3, `"12"`: 12, `7`: 7, `W/"x"`: -1, `*`: -1, `W/"0"`: -1} {
		r := httptest.NewRequest("PUT", "/", nil)
		r.Header.Set("If-Match", h)
		got, err := ifMatch(r)
		if (want < 0) != (err != nil) || (want >= 0 && got != want) {
			t.Errorf("If-Match %q: %d %v", h, got, err)
		}
	}
}
