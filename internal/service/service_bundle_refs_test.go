package service

import (
	"errors"
	"testing"
)

func TestRewriteReferencesKeepsEverythingElse(t *testing.T) {
	to := map[string]string{"urn:uuid:a": "Organization/1", `urn:uuid:"q"`: "Organization/2"}
	fn := func(ref string) (string, bool, error) {
		v, ok := to[ref]
		return v, ok, nil
	}
	cases := []struct{ in, want string }{
		{`{"a":{"reference":"urn:uuid:a"}}`, `{"a":{"reference":"Organization/1"}}`},
		// only the values of "reference" members, at any depth, in arrays, whatever the spacing
		{`{"reference" : "urn:uuid:a", "x":[{"y":[{"reference":"urn:uuid:a","display":"urn:uuid:a"}]}], "n":4.50}`,
			`{"reference" : "Organization/1", "x":[{"y":[{"reference":"Organization/1","display":"urn:uuid:a"}]}], "n":4.50}`},
		// an escaped value is replaced whole; a non-string reference or an unknown one is kept
		{`{"r":[{"reference":"urn:uuid:\"q\""},{"reference":"urn:\u0075uid:a"},{"reference":1},{"reference":"Organization/9"}]}`,
			`{"r":[{"reference":"Organization/2"},{"reference":"Organization/1"},{"reference":1},{"reference":"Organization/9"}]}`},
		// a "reference" key inside an object that is the value of another "reference" key
		{`{"reference":{"reference":"urn:uuid:a"},"after":"urn:uuid:a"}`, `{"reference":{"reference":"Organization/1"},"after":"urn:uuid:a"}`},
	}
	for _, tc := range cases {
		got, err := rewriteReferences([]byte(tc.in), fn)
		if err != nil || string(got) != tc.want {
			t.Errorf("rewrite %s\n got %s (%v)\nwant %s", tc.in, got, err, tc.want)
		}
	}
	boom := errors.New("boom")
	if _, err := rewriteReferences([]byte(`{"reference":"x"}`), func(string) (string, bool, error) { return "", false, boom }); !errors.Is(err, boom) {
		t.Errorf("the resolver's error is not returned: %v", err)
	}
	if _, err := rewriteReferences([]byte(`{"reference":`), fn); err == nil {
		t.Error("malformed JSON accepted")
	}
}
