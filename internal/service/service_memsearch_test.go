package service

import (
	"errors"
	"net/url"
	"strings"
	"testing"

	"github.com/rorfhir/ror/fhir/fherr"
)

type memItem struct{ id, url string }

var memItemFilters = map[string]func(memItem) []string{
	"_id": func(m memItem) []string { return []string{m.id} },
	"url": func(m memItem) []string { return []string{m.url} },
}

func TestMemSearch(t *testing.T) {
	items := []memItem{{"a", "http://x/a"}, {"b", "http://x/b"}, {"c", "http://x/c"}}
	tests := []struct {
		name     string
		query    string
		strict   bool
		want     []int
		warnings int
		wantErr  bool
	}{
		{"no parameter: everything", "", false, []int{0, 1, 2}, 0, false},
		{"comma is OR", "_id=a,c", false, []int{0, 2}, 0, false},
		{"repeated is AND", "_id=a,b&_id=b,c", false, []int{1}, 0, false},
		{"canonical url ignores |version", "url=http://x/b|0.7.0", false, []int{1}, 0, false},
		{"paging parameters are ignored", "_count=1&_id=a", false, []int{0}, 0, false},
		{"unknown parameter: warning, ignored", "name=z&_id=a", false, []int{0}, 1, false},
		{"unknown parameter, strict: error", "name=z", true, nil, 0, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			q, _ := url.ParseQuery(tt.query)
			got, issues, err := memSearch("Thing", items, memItemFilters, q, tt.strict)
			if tt.wantErr {
				var fe *fherr.Error
				if !errors.As(err, &fe) || fe.Kind != fherr.KindInvalid || !strings.Contains(fe.Error(), "use _id, url") {
					t.Fatalf("err = %v, want a 400 naming the supported parameters", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != len(tt.want) {
				t.Fatalf("got %v, want %v", got, tt.want)
			}
			for i := range got {
				if got[i] != tt.want[i] {
					t.Fatalf("got %v, want %v", got, tt.want)
				}
			}
			if len(issues) != tt.warnings {
				t.Errorf("%d warnings, want %d: %v", len(issues), tt.warnings, issues)
			}
		})
	}
}
