package service

import (
	"context"
	"fmt"
	"net/url"
	"testing"
	"time"

	"github.com/rorfhir/ror/fhir/fherr"
)

func TestHistoryPagesWithoutRepeatOrLoss(t *testing.T) {
	svc, _ := newTestService(t, Options{})
	ctx := context.Background()
	put := func(id string) {
		t.Helper()
		body := fmt.Sprintf(`{"resourceType":"Organization","id":%q}`, id)
		if _, err := svc.Update(ctx, "Organization", id, []byte(body), UpdateOptions{}); err != nil {
			t.Fatal(err)
		}
	}
	for i := 0; i < 7; i++ {
		put(fmt.Sprint("o", i%3))
	}
	seen := map[int64]bool{}
	params := url.Values{"_count": {"2"}}
	for pages := 0; ; pages++ {
		res, err := svc.History(ctx, HistoryRequest{Params: params})
		if err != nil {
			t.Fatal(err)
		}
		for _, v := range res.Versions {
			if seen[v.Seq] {
				t.Fatalf("seq %d seen twice", v.Seq)
			}
			seen[v.Seq] = true
		}
		put("late") // writes arriving while paging are not part of this walk
		if res.Next == "" {
			break
		}
		if params, err = url.ParseQuery(res.Next); err != nil {
			t.Fatal(err)
		}
	}
	for s := int64(1); s <= 7; s++ {
		if !seen[s] {
			t.Fatalf("seq %d missed (seen %v)", s, seen)
		}
	}
}

func TestHistoryParams(t *testing.T) {
	svc, _ := newTestService(t, Options{})
	ctx := context.Background()
	if _, err := svc.Update(ctx, "Organization", "o1", []byte(`{"resourceType":"Organization","id":"o1"}`), UpdateOptions{}); err != nil {
		t.Fatal(err)
	}
	bad := []url.Values{
		{"_count": {"x"}}, {"_count": {"-1"}}, {"_since": {"yesterday"}}, {"_at": {"2020-13"}},
		{"_cursor": {"nope"}}, {"name": {"x"}},
	}
	for _, p := range bad {
		_, err := svc.History(ctx, HistoryRequest{Type: "Organization", Params: p})
		if kindOf(t, err) != fherr.KindInvalid {
			t.Errorf("%v: %v", p, err)
		}
	}
	// a cursor of another history is refused
	res, err := svc.History(ctx, HistoryRequest{Params: url.Values{"_count": {"0"}}})
	if err != nil || len(res.Versions) != 0 {
		t.Fatalf("_count=0: %+v %v", res, err)
	}
	c := encodeHistoryCursor(5, 1234)
	if _, err := svc.History(ctx, HistoryRequest{Params: url.Values{"_cursor": {c}}}); kindOf(t, err) != fherr.KindInvalid {
		t.Errorf("foreign cursor: %v", err)
	}
	_, err = svc.History(ctx, HistoryRequest{Type: "Organization", ID: "nope"})
	if kindOf(t, err) != fherr.KindNotFound {
		t.Errorf("instance history of a missing resource: %v", err)
	}
	res, err = svc.History(ctx, HistoryRequest{Type: "Organization", ID: "o1", Params: url.Values{"_since": {"2026-01-02T03:04:05 00:00"}}})
	if err != nil || len(res.Versions) != 1 {
		t.Errorf("_since with a '+' decoded as space: %+v %v", res, err)
	}
	res, err = svc.History(ctx, HistoryRequest{Type: "Organization", Params: url.Values{"_since": {"2027"}}})
	if err != nil || len(res.Versions) != 0 {
		t.Errorf("_since in the future: %+v %v", res, err)
	}
}

func TestParseInstant(t *testing.T) {
	for in, want := range map[string]time.Time{
		"2024":                          time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC),
		"2024-03":                       time.Date(2024, 3, 1, 0, 0, 0, 0, time.UTC),
		"2024-03-04":                    time.Date(2024, 3, 4, 0, 0, 0, 0, time.UTC),
		"2024-03-04T05:06:07Z":          time.Date(2024, 3, 4, 5, 6, 7, 0, time.UTC),
		"2024-03-04T05:06:07.123+01:00": time.Date(2024, 3, 4, 4, 6, 7, 123e6, time.UTC),
	} {
		got, err := parseInstant(in)
		if err != nil || !got.Equal(want) {
			t.Errorf("parseInstant(%q) = %v, %v", in, got, err)
		}
	}
}
