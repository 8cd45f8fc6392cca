package integration

import (
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"

	"github.com/rorfhir/ror/internal/service"
)

// The read-by-id path against a plain net/http handler serving the same bytes from memory (the
// issue's goal: at least 0.4x). Run with: go test ./integration_test -run '^$' -bench Read -cpu 2
// (the numbers of record come from a load tool on loopback; these are for quick comparisons).

func benchGet(b *testing.B, url string) {
	tr := &http.Transport{MaxIdleConnsPerHost: 64}
	defer tr.CloseIdleConnections()
	client := &http.Client{Transport: tr}
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			res, err := client.Get(url)
			if err != nil {
				b.Error(err)
				return
			}
			_, _ = io.Copy(io.Discard, res.Body)
			res.Body.Close()
			if res.StatusCode != 200 {
				b.Errorf("status %d", res.StatusCode)
				return
			}
		}
	})
}

func igLocation(b *testing.B) []byte {
	body, err := os.ReadFile(filepath.Join(sharedDir(b), "ror-ig", "examples", "Location-ror-location-exemple.json"))
	if err != nil {
		b.Fatal(err)
	}
	return body
}

func BenchmarkReadByID(b *testing.B) {
	e := newEnv(b, service.Options{})
	if res := e.do("PUT", "/fhir/Location/ror-location-exemple", string(igLocation(b))); res.status != 201 {
		b.Fatalf("seed: %d %s", res.status, res.body)
	}
	benchGet(b, e.srv.URL+"/fhir/Location/ror-location-exemple")
}

func BenchmarkReadPlainNetHTTP(b *testing.B) {
	body := igLocation(b)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/fhir+json; charset=utf-8")
		w.Header().Set("ETag", `W/"1"`)
		_, _ = w.Write(body)
	}))
	defer srv.Close()
	benchGet(b, srv.URL+"/fhir/Location/ror-location-exemple")
}
