package api

import (
	"net/http/httptest"
	"testing"
	"time"

	"github.com/rorfhir/ror/store"
)

func TestNotModified(t *testing.T) {
	v := store.Version{VersionID: 3, LastUpdated: time.Date(2026, 1, 2, 3, 4, 5, 600e6, time.UTC)}
	cases := []struct {
		inm, ims string
		want     bool
	}{
		{"", "", false},
		{`W/"3"`, "", true},
		{`"3"`, "", true},
		{`W/"2", W/"3"`, "", true},
		{`W/"2"`, "Fri, 02 Jan 2026 03:04:05 GMT", false}, // If-None-Match wins
		{"*", "", true},
		{"", "Fri, 02 Jan 2026 03:04:05 GMT", true},
		{"", "Fri, 02 Jan 2026 03:04:04 GMT", false},
		{"", "garbage", false},
	}
	for _, tc := range cases {
		r := httptest.NewRequest("GET", "/", nil)
		if tc.inm != "" {
			r.Header.Set("If-None-Match", tc.inm)
		}
		if tc.ims != "" {
			r.Header.Set("If-Modified-Since", tc.ims)
		}
		if got := notModified(r, v, etag(v.VersionID)); got != tc.want {
			t.Errorf("If-None-Match %q If-Modified-Since %q: %v", tc.inm, tc.ims, got)
		}
	}
}
