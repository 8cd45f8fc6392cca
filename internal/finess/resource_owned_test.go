package finess

import (
	"bytes"
	"testing"
)

// The fast paths of merge give what the full merge gives.
func TestMergeFastPathsAgreeWithFullMerge(t *testing.T) {
	tg := newFakeTarget()
	importFile(t, tg, "fixture.csv", Options{})
	for k, fresh := range tg.bodies {
		full, err := mergeSlow(k.Type, nil, fresh)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(full, fresh) {
			t.Errorf("%v: mapping order differs from encode:\n%s\n%s", k, fresh, full)
		}
		stamped := bytes.Replace(fresh, []byte(`"meta":{`), []byte(`"meta":{"versionId":"3","lastUpdated":"2021-01-09T10:00:00.000Z",`), 1)
		if got := stripServerMeta(stamped); !bytes.Equal(got, fresh) {
			t.Errorf("%v: stripServerMeta gives %s", k, got)
		}
		full, err = mergeSlow(k.Type, stamped, fresh)
		if err != nil || !bytes.Equal(full, fresh) {
			t.Errorf("%v: full merge with the stamped version differs: %v\n%s", k, err, full)
		}
	}
}

func TestStripServerMetaLeavesOthers(t *testing.T) {
	for _, b := range []string{`{"resourceType":"Location","id":"x","meta":{"profile":["p"]}}`, `{}`, `{"meta":{"versionId":"1"}}`} {
		if got := stripServerMeta([]byte(b)); string(got) != b {
			t.Errorf("%s -> %s", b, got)
		}
	}
	if got := stripServerMeta([]byte(`{"resourceType":"L","id":"x","meta":{"versionId":"1","lastUpdated":"t"}}`)); string(got) != `{"resourceType":"L","id":"x","meta":{}}` {
		t.Errorf("only server members: %s", got)
	}
}
