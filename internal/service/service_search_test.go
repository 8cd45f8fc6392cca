package service

import (
	"context"
	"fmt"
	"net/url"
	"strings"
	"testing"

	"github.com/rorfhir/ror/fhir/fherr"
)

func TestSearchPagingAndControls(t *testing.T) {
	svc, _ := newTestService(t, Options{DefaultCount: 2})
	ctx := context.Background()
	for i := 0; i < 5; i++ {
		body := fmt.Sprintf(`{"resourceType":"Task","id":"t%d","status":"draft","intent":"order"}`, i)
		if _, err := svc.Update(ctx, "Task", fmt.Sprintf("t%d", i), []byte(body), UpdateOptions{}); err != nil {
			t.Fatal(err)
		}
	}
	var ids []string
	params := url.Values{}
	for pages := 0; ; pages++ {
		res, err := svc.Search(ctx, "Task", params, SearchOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if pages > 0 && !strings.Contains(res.Self, "_cursor=") {
			t.Errorf("self of page %d lacks its cursor: %s", pages, res.Self)
		}
		for _, v := range res.Matches {
			ids = append(ids, v.ID)
		}
		if res.Next == "" {
			break
		}
		if params, err = url.ParseQuery(res.Next); err != nil {
			t.Fatal(err)
		}
	}
	if strings.Join(ids, ",") != "t0,t1,t2,t3,t4" {
		t.Fatalf("pages gave %v", ids)
	}
	res, err := svc.Search(ctx, "Task", url.Values{"_summary": {"count"}}, SearchOptions{})
	if err != nil || res.Total != 5 || len(res.Matches) != 0 {
		t.Fatalf("_summary=count: %+v %v", res, err)
	}
	res, err = svc.Search(ctx, "Task", url.Values{"_summary": {"true"}, "colour": {"x"}}, SearchOptions{})
	if err != nil || len(res.Warnings) != 1 || res.Total != -1 {
		t.Fatalf("warnings: %+v %v", res, err)
	}
	if b := string(res.Matches[0].Body); !strings.Contains(b, "SUBSETTED") || !strings.Contains(b, `"status":"draft"`) {
		t.Errorf("_summary=true: %s", b)
	}
	res, err = svc.Search(ctx, "Task", url.Values{"_elements": {"intent"}}, SearchOptions{})
	if b := string(res.Matches[0].Body); err != nil || !strings.Contains(b, `"intent"`) || strings.Contains(b, `"status"`) ||
		!strings.HasPrefix(b, `{"resourceType":"Task","id":"t0","meta":{`) {
		t.Errorf("_elements: %s %v", b, err)
	}
	_, err = svc.Search(ctx, "Task", url.Values{"colour": {"x"}}, SearchOptions{Strict: true})
	if kindOf(t, err) != fherr.KindInvalid {
		t.Fatalf("strict: %v", err)
	}
	_, err = svc.Search(ctx, "Patient", nil, SearchOptions{})
	if kindOf(t, err) != fherr.KindNotFound {
		t.Fatalf("unknown type: %v", err)
	}
}

func TestConditionalCreateRejectsControls(t *testing.T) {
	svc, _ := newTestService(t, Options{})
	body := []byte(`{"resourceType":"Organization"}`)
	for _, cond := range []string{"_count=1", "", "%zz", "_sort=_id"} {
		_, err := svc.Create(context.Background(), "Organization", body, CreateOptions{IfNoneExist: cond})
		if cond == "" {
			if err != nil {
				t.Errorf("no condition: %v", err)
			}
			continue
		}
		if kindOf(t, err) != fherr.KindInvalid {
			t.Errorf("%q: %v", cond, err)
		}
	}
}
