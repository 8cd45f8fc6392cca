package service

import (
	"context"
	"testing"
)

func TestReindexVisitsEveryResource(t *testing.T) {
	svc, _ := newTestService(t, Options{})
	ctx := context.Background()
	for _, id := range []string{"a", "b", "c"} {
		if _, err := svc.Update(ctx, "Organization", id, []byte(`{"resourceType":"Organization","id":"`+id+`"}`), UpdateOptions{}); err != nil {
			t.Fatal(err)
		}
	}
	pages := 0
	sum, err := svc.Reindex(ctx, func(string, ReindexSummary) { pages++ })
	if err != nil {
		t.Fatal(err)
	}
	if sum.Reindexed != 3 || sum.Skipped != 0 || pages == 0 {
		t.Errorf("summary %+v after %d pages", sum, pages)
	}
}
