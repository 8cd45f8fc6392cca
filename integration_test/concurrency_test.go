package integration

import (
	"fmt"
	"net/url"
	"sync"
	"testing"

	"github.com/rorfhir/ror/internal/service"
)

// TestIfMatchRace: in each round every goroutine updates the same version with If-Match; exactly
// one wins, the others get 412; the history then holds every version once.
func TestIfMatchRace(t *testing.T) {
	e := newEnv(t, service.Options{})
	const goroutines, rounds = 8, 12
	body := func(g, r int) string {
		return fmt.Sprintf(`{"resourceType":"Organization","id":"race","name":"g%d-r%d"}`, g, r)
	}
	if res := e.do("PUT", "/fhir/Organization/race", body(-1, -1)); res.status != 201 {
		t.Fatalf("seed: %d %s", res.status, res.body)
	}
	winners := map[int]string{} // version -> name of the winning write
	for r := 0; r < rounds; r++ {
		version := r + 1
		start := make(chan struct{})
		statuses := make([]int, goroutines)
		etags := make([]string, goroutines)
		var wg sync.WaitGroup
		for g := 0; g < goroutines; g++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-start
				res := e.do("PUT", "/fhir/Organization/race", body(g, r), fmt.Sprintf(`If-Match: W/"%d"`, version))
				statuses[g], etags[g] = res.status, res.header.Get("ETag")
			}()
		}
		close(start)
		wg.Wait()
		won := 0
		for g, st := range statuses {
			switch st {
			case 200:
				won++
				if want := fmt.Sprintf(`W/"%d"`, version+1); etags[g] != want {
					t.Fatalf("round %d: winner ETag %s, want %s", r, etags[g], want)
				}
				winners[version+1] = fmt.Sprintf("g%d-r%d", g, r)
			case 412:
			default:
				t.Fatalf("round %d: goroutine %d got %d", r, g, st)
			}
		}
		if won != 1 {
			t.Fatalf("round %d: %d winners, want exactly 1 (%v)", r, won, statuses)
		}
	}
	names := historyNames(t, e, "/fhir/Organization/race/_history?_count=5")
	if len(names) != rounds+1 {
		t.Fatalf("history holds %d versions, want %d", len(names), rounds+1)
	}
	for v, name := range winners {
		if names[v] != name {
			t.Errorf("version %d is %q in history, but %q won it", v, names[v], name)
		}
	}
}

// TestUnconditionalUpdatesAreNotLost: concurrent updates without If-Match all succeed (the
// service retries lost races) and each is one version in the history.
func TestUnconditionalUpdatesAreNotLost(t *testing.T) {
	e := newEnv(t, service.Options{UpdateRetries: 1000})
	const goroutines, each = 6, 8
	var wg sync.WaitGroup
	errs := make(chan string, goroutines*each)
	for g := 0; g < goroutines; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < each; i++ {
				res := e.do("PUT", "/fhir/Organization/busy",
					fmt.Sprintf(`{"resourceType":"Organization","id":"busy","name":"g%d-i%d"}`, g, i))
				if res.status != 200 && res.status != 201 {
					errs <- fmt.Sprintf("g%d i%d: %d %s", g, i, res.status, res.body)
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	names := historyNames(t, e, "/fhir/Organization/busy/_history?_count=7")
	if len(names) != goroutines*each {
		t.Fatalf("history holds %d versions, want %d", len(names), goroutines*each)
	}
	seen := map[string]bool{}
	for _, n := range names {
		if seen[n] {
			t.Fatalf("write %s appears twice", n)
		}
		seen[n] = true
	}
}

// historyNames pages through a history and returns version -> name, failing on a repeated version.
func historyNames(t *testing.T, e *env, path string) map[int]string {
	t.Helper()
	out := map[int]string{}
	for path != "" {
		b := e.do("GET", path, "")
		if b.status != 200 {
			t.Fatalf("GET %s: %d %s", path, b.status, b.body)
		}
		page := b.json(t)
		entries, _ := page["entry"].([]any)
		for _, en := range entries {
			res := en.(map[string]any)["resource"].(map[string]any)
			var v int
			fmt.Sscan(res["meta"].(map[string]any)["versionId"].(string), &v)
			if _, dup := out[v]; dup {
				t.Fatalf("version %d seen twice", v)
			}
			out[v], _ = res["name"].(string)
		}
		path = nextPath(t, e, page)
	}
	return out
}

// nextPath is the path of a Bundle's next link ("" when none).
func nextPath(t *testing.T, e *env, bundle map[string]any) string {
	links, _ := bundle["link"].([]any)
	for _, l := range links {
		l := l.(map[string]any)
		if l["relation"] == "next" {
			u, err := url.Parse(l["url"].(string))
			if err != nil {
				t.Fatal(err)
			}
			return u.RequestURI()
		}
	}
	return ""
}

// TestHistoryPagingWhileWriting: paging through the system history while writes happen shows
// every change committed before the first page exactly once.
func TestHistoryPagingWhileWriting(t *testing.T) {
	e := newEnv(t, service.Options{})
	var mu sync.Mutex
	committed := map[string]bool{} // "Type/id W/\"v\"" of writes whose answer arrived
	write := func(id string) {
		res := e.do("PUT", "/fhir/Location/"+id, fmt.Sprintf(`{"resourceType":"Location","id":%q}`, id))
		if res.status != 200 && res.status != 201 {
			t.Errorf("PUT %s: %d %s", id, res.status, res.body)
			return
		}
		mu.Lock()
		committed["Location/"+id+" "+res.header.Get("ETag")] = true
		mu.Unlock()
	}
	for i := 0; i < 40; i++ {
		write(fmt.Sprintf("l%d", i%15))
	}
	stop := make(chan struct{})
	var wg sync.WaitGroup
	for w := 0; w < 2; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; ; i++ {
				select {
				case <-stop:
					return
				default:
				}
				write(fmt.Sprintf("w%d-%d", w, i%5))
			}
		}()
	}
	write("before-first-page") // at least one write is certainly committed while writers run
	mu.Lock()
	before := make(map[string]bool, len(committed))
	for k := range committed {
		before[k] = true
	}
	mu.Unlock()

	seen := map[string]int{}
	path := "/fhir/_history?_count=6"
	for path != "" {
		res := e.do("GET", path, "")
		if res.status != 200 {
			t.Fatalf("GET %s: %d %s", path, res.status, res.body)
		}
		page := res.json(t)
		entries, _ := page["entry"].([]any)
		for _, en := range entries {
			en := en.(map[string]any)
			req := en["request"].(map[string]any)
			key := fmt.Sprint(req["url"], " ", en["response"].(map[string]any)["etag"])
			if req["method"] == "POST" { // a create's request url is the type
				key = fmt.Sprint(en["fullUrl"].(string)[len(e.base)+1:], " ", en["response"].(map[string]any)["etag"])
			}
			seen[key]++
		}
		path = nextPath(t, e, page)
	}
	close(stop)
	wg.Wait()
	for k, n := range seen {
		if n > 1 {
			t.Errorf("%s seen %d times", k, n)
		}
	}
	for k := range before {
		if seen[k] != 1 {
			t.Errorf("%s committed before the first page but seen %d times", k, seen[k])
		}
	}
	if len(before) < 41 {
		t.Fatalf("only %d writes before the first page", len(before))
	}
}
