package search

import (
	"errors"
	"net/url"
	"reflect"
	"strings"
	"testing"

	"github.com/rorfhir/ror/fhir/fherr"
	"github.com/rorfhir/ror/store"
)

func TestCursorRoundTrip(t *testing.T) {
	k1, k2 := "8000018f3398c100", "b\x00é|&="
	for _, c := range []Cursor{
		{After: store.Position{ID: "a"}, MaxSeq: 1, QueryHash: 42},
		{After: store.Position{Keys: []*string{&k1, nil, &k2}, ID: "ror-org-750712184"}, MaxSeq: 1 << 40, QueryHash: ^uint64(0)},
		{After: store.Position{Keys: []*string{nil}, ID: ""}},
	} {
		s := EncodeCursor(c)
		if strings.ContainsAny(s, "+/=&?% ") {
			t.Errorf("cursor %q is not URL-safe", s)
		}
		got, err := DecodeCursor(s)
		if err != nil {
			t.Fatalf("DecodeCursor(%q): %v", s, err)
		}
		if !reflect.DeepEqual(got, c) {
			t.Errorf("round trip %+v → %+v", c, got)
		}
	}
}

func TestCursorMalformed(t *testing.T) {
	good := EncodeCursor(Cursor{After: store.Position{ID: "abc"}, MaxSeq: 9, QueryHash: 1})
	for _, s := range []string{"", "!!", "AAAA", good[:len(good)-2], good + "AA", strings.Replace(good, "A", "B", 1)} {
		if _, err := DecodeCursor(s); err == nil {
			if s == strings.Replace(good, "A", "B", 1) {
				continue // a flipped bit may still decode; the query hash check catches it
			}
			t.Errorf("DecodeCursor(%q) accepted", s)
		} else if !errors.Is(err, store.ErrInvalidCursor) {
			t.Errorf("DecodeCursor(%q) = %v, want ErrInvalidCursor", s, err)
		}
	}
}

// TestCursorInQuery: a next link's cursor is accepted by the same query (page size may change),
// sets After and MaxSeq, and is a 400 with any other query or sort.
func TestCursorInQuery(t *testing.T) {
	reg := Default()
	q := mustQuery(t, "name=sa&_sort=-_lastUpdated&_count=2")
	first, _, err := reg.ParseQuery("Organization", q, Options{})
	if err != nil {
		t.Fatal(err)
	}
	key := int64Key(1714557600000)
	cur := first.NextCursor(store.Position{Keys: []*string{&key}, ID: "o9"}, 77)

	next := url.Values{}
	for k, v := range q {
		next[k] = v
	}
	next.Set(CursorParam, cur)
	next.Set("_count", "5")
	s, _, err := reg.ParseQuery("Organization", next, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if s.Query.After == nil || s.Query.After.ID != "o9" || *s.Query.After.Keys[0] != key || s.Query.MaxSeq != 77 || s.Cursor == nil {
		t.Errorf("After %+v MaxSeq %d", s.Query.After, s.Query.MaxSeq)
	}
	if strings.Contains(s.Canonical, CursorParam) || s.Canonical != "_count=5&_sort=-_lastUpdated&name=sa" {
		t.Errorf("canonical %q", s.Canonical)
	}

	for _, other := range []string{"name=sb&_sort=-_lastUpdated", "name=sa&_sort=_lastUpdated", "name=sa"} {
		o := mustQuery(t, other)
		o.Set(CursorParam, cur)
		_, _, err := reg.ParseQuery("Organization", o, Options{})
		e, ok := fherr.As(err)
		if !ok || e.Kind != fherr.KindInvalid || e.Issues[0].Expression[0] != CursorParam || !errors.Is(err, store.ErrInvalidCursor) {
			t.Errorf("%s with another query's cursor: %v", other, err)
		}
	}
	if _, _, err := reg.ParseQuery("Location", next, Options{}); err == nil {
		t.Error("cursor accepted on another type")
	}
	bad := mustQuery(t, "name=sa")
	bad.Set(CursorParam, "garbage")
	if _, _, err := reg.ParseQuery("Organization", bad, Options{}); err == nil || !errors.Is(err, store.ErrInvalidCursor) {
		t.Errorf("garbage cursor: %v", err)
	}
}
