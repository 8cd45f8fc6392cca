package sqlite

import (
	"bytes"
	"context"
	"testing"

	"github.com/klauspost/compress/zstd"

	"github.com/rorfhir/ror/store"
)

// TestBodiesOfEveryEncodingReadBack: a large body is stored compressed (S2) and read back byte
// for byte, by Read, VRead and Search; a small one is stored raw; a body stored in zstd by an
// earlier version of the server still reads back.
func TestBodiesOfEveryEncodingReadBack(t *testing.T) {
	ctx := context.Background()
	s := OpenTemp(t)
	big := []byte(`{"resourceType":"Organization","id":"big","name":"` + string(bytes.Repeat([]byte("Centre hospitalier "), 40)) + `","x":4.50}`)
	small := []byte(`{"resourceType":"Organization","id":"small"}`)
	old := []byte(`{"resourceType":"Organization","id":"old","name":"` + string(bytes.Repeat([]byte("Clinique du parc "), 40)) + `"}`)
	for _, w := range []store.Write{
		{Type: "Organization", ID: "big", VersionID: 1, Body: big},
		{Type: "Organization", ID: "small", VersionID: 1, Body: small},
		{Type: "Organization", ID: "old", VersionID: 1, Body: old},
	} {
		if _, err := s.Put(ctx, w); err != nil {
			t.Fatal(err)
		}
	}
	// Rewrite "old" as an earlier version of the server stored it.
	zenc, err := zstd.NewWriter(nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.lockWriter(ctx); err != nil {
		t.Fatal(err)
	}
	err = s.w.exec("UPDATE version SET body = ?, enc = ? WHERE id = 'old'", zenc.EncodeAll(old, nil), int64(encZstd))
	s.unlockWriter()
	if err != nil {
		t.Fatal(err)
	}
	want := map[string][]byte{"big": big, "small": small, "old": old}
	wantEnc := map[string]int64{"big": encS2, "small": encRaw, "old": encZstd}
	for id, body := range want {
		var enc int64
		if err := s.read.QueryRowContext(ctx, "SELECT enc FROM version WHERE id = ?", id).Scan(&enc); err != nil {
			t.Fatal(err)
		}
		if enc != wantEnc[id] {
			t.Errorf("%s stored with encoding %d, want %d", id, enc, wantEnc[id])
		}
		v, err := s.Read(ctx, "Organization", id)
		if err != nil || !bytes.Equal(v.Body, body) {
			t.Errorf("Read %s = %q, %v; want the bytes written", id, v.Body, err)
		}
		v, err = s.VRead(ctx, "Organization", id, 1)
		if err != nil || !bytes.Equal(v.Body, body) {
			t.Errorf("VRead %s = %q, %v; want the bytes written", id, v.Body, err)
		}
	}
	res, err := s.Search(ctx, store.Query{Type: "Organization", Count: 10})
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range res.Matches {
		if !bytes.Equal(m.Body, want[m.ID]) {
			t.Errorf("Search: %s = %q, want the bytes written", m.ID, m.Body)
		}
	}
	if len(res.Matches) != 3 {
		t.Errorf("Search: %d matches, want 3", len(res.Matches))
	}
}
