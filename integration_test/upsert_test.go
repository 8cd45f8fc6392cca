package integration

import (
	"context"
	"fmt"
	"testing"

	"github.com/rorfhir/ror/internal/service"
)

// TestUpsertOnSQLite: the importer's batch path writes through store.PutMany, skips unchanged
// content and its results are visible through the API.
func TestUpsertOnSQLite(t *testing.T) {
	e := newEnv(t, service.Options{UpsertBatch: 7})
	ctx := context.Background()
	var in []service.Input
	for i := 0; i < 20; i++ {
		in = append(in, service.Input{Type: "Organization", ID: fmt.Sprintf("f%02d", i),
			Body: []byte(fmt.Sprintf(`{"resourceType":"Organization","identifier":[{"system":%q,"value":"%09d"}],"name":"F %d"}`, finessSys, i, i))})
	}
	res, err := e.svc.Upsert(ctx, in)
	if err != nil {
		t.Fatal(err)
	}
	for i, r := range res {
		if r.Outcome != service.Created || r.Version.VersionID != 1 || r.Version.Seq == 0 {
			t.Fatalf("input %d: %+v", i, r)
		}
	}
	in[3].Body = []byte(fmt.Sprintf(`{"resourceType":"Organization","identifier":[{"system":%q,"value":"000000003"}],"name":"F 3 renamed"}`, finessSys))
	res, err = e.svc.Upsert(ctx, in)
	if err != nil {
		t.Fatal(err)
	}
	counts := map[service.Outcome]int{}
	for _, r := range res {
		counts[r.Outcome]++
	}
	if counts[service.Updated] != 1 || counts[service.Unchanged] != 19 || res[3].Outcome != service.Updated {
		t.Fatalf("second run: %v", counts)
	}
	e.run([]scenario{
		{name: "updated by upsert", method: "GET", path: "/fhir/Organization/f03", status: 200,
			json: `{"name":"F 3 renamed","meta":{"versionId":"2"}}`, header: map[string]string{"ETag": `W/"2"`}},
		{name: "unchanged keeps version 1", method: "GET", path: "/fhir/Organization/f04", status: 200, json: `{"meta":{"versionId":"1"}}`},
		{name: "indexed by upsert", method: "GET", path: "/fhir/Organization?identifier=000000007", status: 200,
			json: `{"entry":[{"resource":{"id":"f07"}}]}`},
		{name: "history has 21 versions", method: "GET", path: "/fhir/Organization/_history?_count=100", status: 200,
			json: `{"entry":[` + repeat(`"*"`, 21) + `]}`},
	})
}

func repeat(s string, n int) string {
	out := s
	for i := 1; i < n; i++ {
		out += "," + s
	}
	return out
}
