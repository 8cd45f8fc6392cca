package profiles

import "testing"

func TestElementList(t *testing.T) {
	simple := Extension{URL: "http://s", Types: []string{"boolean"}}
	got := simple.ElementList()
	if len(got) != 3 || got[0].ID != "extension" || got[0].Max != "0" || got[1].ID != "url" || got[2].Types[0] != "boolean" {
		t.Errorf("simple: %+v", got)
	}
	complexExt := Extension{URL: "http://c", ExtensionMin: 1, Subs: []SubExt{
		{Name: "a", Min: 1, Max: "1", Types: []string{"string"}},
		{Name: "b", Min: 0, Max: "*", Ext: "http://s"},
	}}
	ids := []string{"extension", "extension:a", "extension:a.extension", "extension:a.url", "extension:a.value[x]",
		"extension:b", "url", "value[x]"}
	got = complexExt.ElementList()
	if len(got) != len(ids) {
		t.Fatalf("complex: %+v", got)
	}
	for i, id := range ids {
		if got[i].ID != id {
			t.Errorf("element %d: %s, want %s", i, got[i].ID, id)
		}
	}
	if *got[0].Min != 1 || got[len(got)-1].Max != "0" || got[5].Ext != "http://s" {
		t.Errorf("complex: %+v", got)
	}
}
