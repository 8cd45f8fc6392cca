package bench

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"sort"
	"strconv"
	"time"
)

var (
	matchMark   = []byte(`"mode":"match"`)
	includeMark = []byte(`"mode":"include"`)
)

// checkSearch accepts a 200 searchset with at least minMatches matches; items counts the matches
// and included resources.
func checkSearch(minMatches int) func(Response) (int, error) {
	return func(r Response) (int, error) {
		if r.Status != http.StatusOK {
			return 0, StatusError(r, http.StatusOK)
		}
		m := bytes.Count(r.Body, matchMark)
		if m < minMatches {
			return 0, fmt.Errorf("%d matches, want at least %d", m, minMatches)
		}
		return m + bytes.Count(r.Body, includeMark), nil
	}
}

// maxProbes bounds the probes of a search scenario's set-up.
const maxProbes = 12

// searchScenario probes the first maxProbes candidate queries and keeps those that answer with at
// least one match (the measure is of queries that find something, as users' do; when every probe
// matched, the unprobed candidates are kept too); the baseline answers the median-size bundle of
// the probes.
func searchScenario(name, desc string, candidates func(env *Env) []string) Scenario {
	return Scenario{Name: name, Description: desc, Search: true, Prepare: func(ctx context.Context, env *Env) (*Plan, error) {
		var kept []string
		var sizes []Response
		var lastErr error
		all := candidates(env)
		probed := all[:min(len(all), maxProbes)]
		for _, p := range probed {
			resp, err := probe(ctx, env, Request{Method: http.MethodGet, Path: p, Header: strictSearch}, http.StatusOK)
			if _, na := isNotAvailable(err); na {
				return nil, err
			}
			if err != nil {
				lastErr = err
				continue
			}
			if bytes.Count(resp.Body, matchMark) > 0 {
				kept = append(kept, p)
				sizes = append(sizes, resp)
			}
		}
		if len(kept) == 0 {
			if lastErr != nil {
				return nil, lastErr
			}
			return nil, fmt.Errorf("no candidate query finds anything in this dataset")
		}
		if len(kept) == len(probed) {
			kept = all // every probe matched: the unprobed candidates are of the same kind
		}
		sort.Slice(sizes, func(i, j int) bool { return len(sizes[i].Body) < len(sizes[j].Body) })
		return &Plan{Baseline: payloadOf(sizes[len(sizes)/2]), Items: "resources", NewWorker: func(i int) Worker {
			return &pathWorker{rnd: newRand(i), paths: kept, header: strictSearch, check: checkSearch(1)}
		}}, nil
	}}
}

func searchIdentifier() Scenario {
	return searchScenario("search_identifier", "Organization?identifier=https://finess.esante.gouv.fr|{FINESS ET number} (one match)", func(env *Env) []string {
		var out []string
		for i := 0; i < len(env.Sites) && len(out) < 2000; i++ {
			s := env.Sites[(i*104729)%len(env.Sites)]
			out = append(out, "/fhir/Organization?identifier="+url.QueryEscape("https://finess.esante.gouv.fr|"+s.FinessET))
		}
		return out
	})
}

// namePrefixes are name searches as users type them: lower case, with or without accents,
// matching FINESS names written HÔPITAL, HOPITAL, Résidence...
var namePrefixes = []string{"hopital", "hôpital", "residence", "résidence", "centre hospitalier", "clinique",
	"ehpad", "maison de sante", "maison de santé", "pharmacie", "foyer", "cabinet", "centre medico"}

func searchNamePrefix() Scenario {
	return searchScenario("search_name_prefix_accents", "Organization?name={prefix}, folded: name=hopital finds HÔPITAL and Hôpital (first page of 200)", func(*Env) []string {
		out := make([]string, len(namePrefixes))
		for i, p := range namePrefixes {
			out[i] = "/fhir/Organization?name=" + url.QueryEscape(p)
		}
		return out
	})
}

func searchPostalCode() Scenario {
	return searchScenario("search_postal_code", "Organization?address-postalcode={département, e.g. 75} (prefix; first page of 200)", func(env *Env) []string {
		seen := map[string]bool{}
		var out []string
		for _, d := range []string{"75", "13", "69", "33", "59", "31", "67", "06", "44", "35"} {
			seen[d] = true
			out = append(out, "/fhir/Organization?address-postalcode="+d)
		}
		for _, s := range env.Sites {
			if len(s.Postal) >= 2 && !seen[s.Postal[:2]] && len(out) < 20 {
				seen[s.Postal[:2]] = true
				out = append(out, "/fhir/Organization?address-postalcode="+s.Postal[:2])
			}
		}
		return out
	})
}

func searchNear() Scenario {
	return searchScenario("search_near_10km", "Location?near={lat}|{lon}|10|km around random imported sites (first page of 200)", func(env *Env) []string {
		var out []string
		for i := 0; i < len(env.Sites) && len(out) < 200; i++ {
			s := env.Sites[(i*7919)%len(env.Sites)]
			if s.LocID == "" || s.Lat == 0 && s.Lon == 0 {
				continue
			}
			v := strconv.FormatFloat(s.Lat, 'f', 5, 64) + "|" + strconv.FormatFloat(s.Lon, 'f', 5, 64) + "|10|km"
			out = append(out, "/fhir/Location?near="+url.QueryEscape(v))
		}
		return out
	})
}

// lastUpdatedDelta is the consumers' delta: the services changed since T (half of them), with their
// organizations when include is set.
func lastUpdatedDelta(include bool) Scenario {
	name, desc := "lastupdated_delta", "HealthcareService?_lastUpdated=ge{T} (half of the generated services changed since T; first page of 200)"
	if include {
		name, desc = "lastupdated_delta_include", "the same with &_include=HealthcareService:organization"
	}
	return searchScenario(name, desc, func(env *Env) []string {
		var out []string
		for _, d := range []time.Duration{0, time.Millisecond, 2 * time.Millisecond} {
			q := "/fhir/HealthcareService?_lastUpdated=" + url.QueryEscape("ge"+env.DeltaSince.Add(-d).UTC().Format("2006-01-02T15:04:05.000Z07:00"))
			if include {
				q += "&_include=" + url.QueryEscape("HealthcareService:organization")
			}
			out = append(out, q)
		}
		return out
	})
}

func activityCareMode() Scenario {
	return searchScenario("healthcareservice_activity_caremode", "HealthcareService?specialty={J17 activity}&characteristic={J19 care mode}", func(env *Env) []string {
		var out []string
		for i := 0; i < min(env.Services, 400) && len(out) < 24; i++ {
			a, m := env.Codes.serviceCodes(i)
			q := "/fhir/HealthcareService?specialty=" + url.QueryEscape(SystemJ17+"|"+a.Code) + "&characteristic=" + url.QueryEscape(SystemJ19+"|"+m.Code)
			if !slices.Contains(out, q) {
				out = append(out, q)
			}
		}
		return out
	})
}
