package bulkload

import "testing"

func TestProblemString(t *testing.T) {
	for _, c := range []struct {
		p    Problem
		want string
	}{
		{Problem{Source: "a.ndjson", Line: 3, Entry: -1, ID: "Location/x", Reason: "bad"}, "a.ndjson:3: Location/x: bad"},
		{Problem{Source: "b.json", Entry: 2, Reason: "no resource"}, "b.json: entry[2]: no resource"},
		{Problem{Source: "c.json", Entry: -1, Reason: "not JSON"}, "c.json: not JSON"},
	} {
		if got := c.p.String(); got != c.want {
			t.Errorf("%q, want %q", got, c.want)
		}
	}
}
