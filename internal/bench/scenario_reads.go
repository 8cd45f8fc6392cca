package bench

import (
	"context"
	"fmt"
	"math/rand/v2"
	"net/http"
	"strconv"
	"strings"
	"sync"

	"github.com/rorfhir/ror/internal/service"
)

// pathWorker sends GETs to paths drawn at random, checked by check.
type pathWorker struct {
	rnd    *rand.Rand
	paths  []string
	header http.Header
	check  func(Response) (int, error)
}

func (w *pathWorker) Next() Request {
	return Request{Method: http.MethodGet, Path: w.paths[w.rnd.IntN(len(w.paths))], Header: w.header}
}

func (w *pathWorker) Check(r Response) (int, error) { return w.check(r) }

func newRand(worker int) *rand.Rand { return rand.New(rand.NewPCG(6, uint64(worker))) }

// expectStatus checks the status alone; the answer counts as one resource.
func expectStatus(want int) func(Response) (int, error) {
	return func(r Response) (int, error) {
		if r.Status != want {
			return 0, StatusError(r, want)
		}
		return 1, nil
	}
}

func payloadOf(r Response) Payload {
	return Payload{Status: r.Status, ContentType: r.Header.Get("Content-Type"), Body: r.Body}
}

// sitePaths returns up to n resource paths of the imported sites, alternating EG Organizations
// and Locations, with suffix appended.
func sitePaths(env *Env, n int, suffix string) []string {
	var out []string
	for i := 0; i < len(env.Sites) && len(out) < n; i++ {
		s := env.Sites[(i*7919)%len(env.Sites)]
		if i%2 == 1 && s.LocID != "" {
			out = append(out, "/fhir/Location/"+s.LocID+suffix)
		} else {
			out = append(out, "/fhir/Organization/"+s.OrgID+suffix)
		}
	}
	return out
}

func readScenario(name, desc, suffix string) Scenario {
	return Scenario{Name: name, Description: desc, Prepare: func(ctx context.Context, env *Env) (*Plan, error) {
		paths := sitePaths(env, 20000, suffix)
		if len(paths) == 0 {
			return nil, fmt.Errorf("no imported site")
		}
		resp, err := probe(ctx, env, Request{Method: http.MethodGet, Path: paths[0]}, http.StatusOK)
		if err != nil {
			return nil, err
		}
		return &Plan{Baseline: payloadOf(resp), NewWorker: func(i int) Worker {
			return &pathWorker{rnd: newRand(i), paths: paths, check: expectStatus(http.StatusOK)}
		}}, nil
	}}
}

func readByID() Scenario {
	return readScenario("read_by_id", "GET [base]/Organization/{id} or Location/{id} of random imported sites", "")
}

func vread() Scenario {
	return readScenario("vread", "GET [base]/{type}/{id}/_history/1 of random imported sites", "/_history/1")
}

// createWorker posts new HealthcareServices attached to random sites.
type createWorker struct {
	env *Env
	rnd *rand.Rand
	id  int
	k   int
}

func (w *createWorker) Next() Request {
	w.k++
	site := w.env.Sites[w.rnd.IntN(len(w.env.Sites))]
	return Request{Method: http.MethodPost, Path: "/fhir/HealthcareService", Header: jsonBody,
		Body: ServiceBody("", w.id*1_000_000+w.k, site, w.env.Codes, "créé")}
}

func (w *createWorker) Check(r Response) (int, error) { return expectStatus(http.StatusCreated)(r) }

func create() Scenario {
	return Scenario{Name: "create", Description: "POST [base]/HealthcareService: a new ROR HealthcareService (profile-checked, indexed)",
		Prepare: func(ctx context.Context, env *Env) (*Plan, error) {
			w := &createWorker{env: env, rnd: newRand(1000)}
			resp, err := probe(ctx, env, w.Next(), http.StatusCreated)
			if err != nil {
				return nil, err
			}
			return &Plan{Baseline: payloadOf(resp), NewWorker: func(i int) Worker {
				return &createWorker{env: env, rnd: newRand(i), id: i + 1}
			}}, nil
		}}
}

// updatesPerWorker is the number of resources each update worker owns.
const updatesPerWorker = 4

// updateWorker updates its own HealthcareServices in turn, with If-Match on the version it last saw.
type updateWorker struct {
	env      *Env
	ids      []string
	versions []int64 // shared with the plan: a later run continues from the versions seen
	mu       *sync.Mutex
	k, last  int
}

func (w *updateWorker) Next() Request {
	w.k++
	w.last = w.k % len(w.ids)
	w.mu.Lock()
	v := w.versions[w.last]
	w.mu.Unlock()
	id := w.ids[w.last]
	site := w.env.Sites[w.k%len(w.env.Sites)]
	h := http.Header{"If-Match": {`W/"` + strconv.FormatInt(v, 10) + `"`}}
	for k, vs := range jsonBody {
		h[k] = vs
	}
	return Request{Method: http.MethodPut, Path: "/fhir/HealthcareService/" + id, Header: h,
		Body: ServiceBody(id, w.k, site, w.env.Codes, "v"+strconv.FormatInt(v+1, 10))}
}

func (w *updateWorker) Check(r Response) (int, error) {
	if r.Status != http.StatusOK {
		return 0, StatusError(r, http.StatusOK)
	}
	etag := strings.TrimSuffix(strings.TrimPrefix(r.Header.Get("ETag"), `W/"`), `"`)
	v, err := strconv.ParseInt(etag, 10, 64)
	if err != nil {
		return 0, fmt.Errorf("bad ETag %q", r.Header.Get("ETag"))
	}
	w.mu.Lock()
	w.versions[w.last] = v
	w.mu.Unlock()
	return 1, nil
}

func updateIfMatch() Scenario {
	return Scenario{Name: "update_if_match", Description: "PUT [base]/HealthcareService/{id} with If-Match: each worker updates its own services, following their versions",
		Prepare: func(ctx context.Context, env *Env) (*Plan, error) {
			n := env.Concurrency * updatesPerWorker
			ids := make([]string, n)
			in := make([]service.Input, n)
			for i := range n {
				ids[i] = fmt.Sprintf("bench-upd-%04d", i)
				in[i] = service.Input{Type: "HealthcareService", ID: ids[i], Body: ServiceBody(ids[i], i, env.Sites[i%len(env.Sites)], env.Codes, "v1")}
			}
			res, err := env.Service.Upsert(ctx, in)
			if err != nil {
				return nil, err
			}
			versions := make([]int64, n)
			for i, r := range res {
				if r.Outcome == service.Failed {
					return nil, fmt.Errorf("set-up of %s: %v", ids[i], r.Err)
				}
				versions[i] = r.Version.VersionID
			}
			mu := &sync.Mutex{}
			worker := func(i int) *updateWorker {
				lo := (i % env.Concurrency) * updatesPerWorker
				return &updateWorker{env: env, ids: ids[lo : lo+updatesPerWorker], versions: versions[lo : lo+updatesPerWorker], mu: mu}
			}
			w := worker(0)
			resp, err := probe(ctx, env, w.Next(), http.StatusOK)
			if err != nil {
				return nil, err
			}
			if _, err := w.Check(resp); err != nil {
				return nil, err
			}
			return &Plan{Baseline: payloadOf(resp), NewWorker: func(i int) Worker { return worker(i) }}, nil
		}}
}
