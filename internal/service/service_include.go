package service

import (
	"context"
	"fmt"
	"strconv"

	"github.com/rorfhir/ror/fhir/fherr"
	"github.com/rorfhir/ror/fhir/search"
	"github.com/rorfhir/ror/store"
)

// MaxIncluded bounds the resources _include and _revinclude add to one page of a search; past it
// the page carries a warning and the remaining included resources are left out.
const MaxIncluded = 1000

// maxIncludeRounds bounds the rounds of :iterate (each round follows the links of the resources
// the previous one added).
const maxIncludeRounds = 8

// idChunk is the number of ids or references per store query of an include.
const idChunk = 200

// includes resolves the _include and _revinclude directives of sr for the page matches: each
// resource appears once (matches are never repeated as included), deleted ones never.
func (s *Service) includes(ctx context.Context, sr search.Search, matches []store.Version) ([]store.Version, []fherr.Issue, error) {
	if len(sr.Includes) == 0 || len(matches) == 0 {
		return nil, nil, nil
	}
	seen := make(map[string]bool, len(matches))
	for _, m := range matches {
		seen[m.Type+"/"+m.ID] = true
	}
	var out []store.Version
	frontier := matches
	for round := 0; len(frontier) > 0 && round < maxIncludeRounds; round++ {
		var added []store.Version
		for _, in := range sr.Includes {
			if round > 0 && !in.Iterate {
				continue
			}
			budget := MaxIncluded - len(out) - len(added)
			if budget <= 0 {
				return out, []fherr.Issue{truncatedIssue()}, nil
			}
			var got []store.Version
			var err error
			if in.Rev {
				got, err = s.revInclude(ctx, in, frontier, budget+1)
			} else {
				got, err = s.include(ctx, in, frontier, seen, budget+1)
			}
			if err != nil {
				return nil, nil, err
			}
			for _, v := range got {
				k := v.Type + "/" + v.ID
				if seen[k] {
					continue
				}
				if len(out)+len(added) >= MaxIncluded {
					return append(out, added...), []fherr.Issue{truncatedIssue()}, nil
				}
				seen[k] = true
				added = append(added, v)
			}
		}
		out = append(out, added...)
		frontier = added
	}
	return out, nil, nil
}

func truncatedIssue() fherr.Issue {
	return fherr.Issue{Severity: "warning", Code: "too-costly", Expression: []string{"_include"},
		Diagnostics: "more than " + strconv.Itoa(MaxIncluded) + " resources to include for this page; the others are left out (use a smaller _count)"}
}

// include reads the resources the frontier's resources of in.Source reference through in.Param.
func (s *Service) include(ctx context.Context, in search.Include, frontier []store.Version, seen map[string]bool, limit int) ([]store.Version, error) {
	refs, err := s.references(ctx, in.Source, frontier, s.reg.IncludeParams(in))
	if err != nil {
		return nil, err
	}
	byType := map[string][]string{}
	var types []string
	added := map[string]bool{}
	for _, rvs := range refs {
		for _, rv := range rvs {
			k := rv.Type + "/" + rv.ID
			if (in.Target != "" && rv.Type != in.Target) || seen[k] || added[k] || !s.types[rv.Type] {
				continue
			}
			added[k] = true
			if byType[rv.Type] == nil {
				types = append(types, rv.Type)
			}
			byType[rv.Type] = append(byType[rv.Type], rv.ID)
		}
	}
	var out []store.Version
	for _, typ := range types {
		ids := byType[typ]
		for lo := 0; lo < len(ids) && len(out) < limit; lo += idChunk { // read by key, in the order of the references
			vs, err := store.ReadCurrent(ctx, s.st, typ, ids[lo:min(lo+idChunk, len(ids))])
			if err != nil {
				return nil, storeErr(err)
			}
			out = append(out, vs[:min(len(vs), limit-len(out))]...)
		}
	}
	return out, nil
}

// references returns the local references through params of the frontier's live resources of
// type source, one slice per such resource in frontier order. They come from the store's index
// when the store can give them (store.ReferenceReader: no body is decoded), else from the body,
// as for a resource updated since its page was read.
func (s *Service) references(ctx context.Context, source string, frontier []store.Version, params []string) ([][]store.ReferenceValue, error) {
	var vs []store.Version
	for _, v := range frontier {
		if v.Type == source && !v.Deleted {
			vs = append(vs, v)
		}
	}
	out := make([][]store.ReferenceValue, len(vs))
	var ok []bool
	if rr, can := s.st.(store.ReferenceReader); can && len(vs) > 0 {
		refs, oks, err := rr.ReadReferences(ctx, vs, params)
		if err != nil {
			return nil, storeErr(err)
		}
		if len(refs) != len(vs) || len(oks) != len(vs) {
			return nil, storeErr(fmt.Errorf("store: %d references for %d resources", len(refs), len(vs)))
		}
		out, ok = refs, oks
	}
	for i, v := range vs {
		if ok == nil || !ok[i] {
			out[i] = s.reg.References(v.Type, v.Body, params)
		}
	}
	return out, nil
}

// revInclude reads the resources of in.Source that reference one of the frontier's resources
// through in.Param.
func (s *Service) revInclude(ctx context.Context, in search.Include, frontier []store.Version, limit int) ([]store.Version, error) {
	params := s.reg.IncludeParams(in)
	var conds []store.Cond
	for _, v := range frontier {
		if in.Target != "" && v.Type != in.Target {
			continue
		}
		for _, p := range params {
			conds = append(conds, store.Cond{Param: p, Kind: store.KindReference, Op: store.OpEq, Type: v.Type, ID: v.ID})
		}
	}
	var out []store.Version
	for lo := 0; lo < len(conds) && len(out) < limit; lo += idChunk {
		cl := store.Clause{Any: conds[lo:min(lo+idChunk, len(conds))]}
		res, err := s.st.Search(ctx, store.Query{Type: in.Source, Where: []store.Clause{cl}, Count: limit - len(out)})
		if err != nil {
			return nil, storeErr(err)
		}
		out = append(out, res.Matches...)
	}
	return out, nil
}
