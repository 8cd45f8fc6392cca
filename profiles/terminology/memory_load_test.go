package terminology

import (
	"context"
	"testing"
)

func TestLoadSynthetic(t *testing.T) {
	cs := `{"resourceType":"CodeSystem","url":"http://cs","concept":[{"code":"a","display":"A","concept":[{"code":"a1","display":"A1"}]},{"code":"b","display":"B"}]}`
	vsAll := `{"resourceType":"ValueSet","url":"http://vs/all","compose":{"include":[{"system":"http://cs"}],"exclude":[{"system":"http://cs","concept":[{"code":"b"}]}]}}`
	vsLoop := `{"resourceType":"ValueSet","url":"http://vs/loop","compose":{"include":[{"valueSet":["http://vs/loop2"]}]}}`
	vsLoop2 := `{"resourceType":"ValueSet","url":"http://vs/loop2","compose":{"include":[{"valueSet":["http://vs/loop"]},{"system":"http://s","concept":[{"code":"x"}]}]}}`
	vsMissing := `{"resourceType":"ValueSet","url":"http://vs/missing","compose":{"include":[{"valueSet":["http://vs/nowhere"]}]}}`
	other := `{"resourceType":"Patient"}`
	m, err := Load(context.Background(), BytesSource{[]byte("\xEF\xBB\xBF" + cs), []byte(vsAll), []byte(vsLoop), []byte(vsLoop2), []byte(vsMissing), []byte(other)})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if r, _ := m.ValidateCode(ctx, "http://vs/all", "http://cs", "a1"); !r.Valid || r.Display != "A1" {
		t.Errorf("nested concept: %+v", r)
	}
	if r, _ := m.ValidateCode(ctx, "http://vs/all", "http://cs", "b"); r.Valid {
		t.Errorf("excluded: %+v", r)
	}
	if r, _ := m.ValidateCode(ctx, "http://vs/loop2", "http://s", "x"); !r.Valid {
		t.Errorf("loop: %+v", r)
	}
	if r, _ := m.ValidateCode(ctx, "http://vs/missing", "http://s", "x"); r.Valid || !r.Undecided {
		t.Errorf("missing include: %+v", r)
	}
	if _, err := Load(ctx, BytesSource{[]byte(`{`)}); err == nil {
		t.Error("bad JSON: want an error")
	}
	if m, err := Load(ctx, BytesSource{[]byte(`{"resourceType":"ValueSet"}`)}); err != nil || len(m.ValueSets()) != 0 {
		t.Errorf("ValueSet without url: want it skipped, got %v, %v", m, err)
	}
	if _, err := Load(ctx, DirSource{"/nonexistent/dir"}); err != nil {
		t.Errorf("empty dir: %v", err)
	}
}
