package search

import (
	"errors"
	"fmt"
	"net/url"
	"sort"
	"strconv"
	"strings"

	"github.com/rorfhir/ror/fhir/fherr"
	"github.com/rorfhir/ror/store"
)

// Options are the server's search settings.
type Options struct {
	DefaultCount int  // page size without _count (0 = 200)
	MaxCount     int  // largest page size; a larger _count is lowered to it (0 = 1000)
	Strict       bool // Prefer: handling=strict: unknown or unsupported parameters are errors
}

// Summary and total modes.
const (
	SummaryNone  = ""
	SummaryTrue  = "true"
	SummaryText  = "text"
	SummaryData  = "data"
	SummaryCount = "count"
	SummaryFalse = "false"

	TotalNone     = "none"
	TotalEstimate = "estimate"
	TotalAccurate = "accurate"
)

// Search is a parsed search: the store query and the result controls.
type Search struct {
	Query    store.Query
	Count    int             // page size (also in Query.Count, which is 0 for _summary=count)
	Sort     []store.SortKey // also in Query.Sort
	Summary  string          // SummaryNone, or the _summary value
	Total    string          // TotalNone (default), TotalEstimate or TotalAccurate
	Elements []string        // _elements, as given
	// Includes lists the _include and _revinclude directives, in the order given.
	Includes []Include
	// Canonical is the query string of the self link: the understood parameters in a canonical
	// order and form, with the effective _count; unknown and ignored parameters left out, no cursor.
	Canonical string
	// Cursor is the decoded _cursor when the request continues a paged search (Query.After and
	// Query.MaxSeq are set from it).
	Cursor *Cursor
	// hash identifies the query for cursors.
	hash uint64
}

// NextCursor returns the cursor of the page after the one ending at next, for this search.
func (s Search) NextCursor(next store.Position, maxSeq int64) string {
	return EncodeCursor(Cursor{After: next, MaxSeq: maxSeq, QueryHash: s.hash})
}

// Result parameters handled here (not search parameters).
var ignoredParams = map[string]bool{"_format": true, "_pretty": true}

// notSupported are FHIR search features recognised but not implemented yet.
var notSupported = map[string]string{
	"_contained":     "_contained",
	"_containedType": "_containedType", "_text": "_text", "_content": "_content", "_list": "_list",
	"_query": "_query", "_type": "_type",
}

// ParseQuery turns the query parameters of a search on resource type typ into a Search. Problems
// the server may ignore (unknown parameters, unsupported features) are returned as warning issues
// and left out of Canonical, or are a KindInvalid error naming the parameter when opts.Strict.
// Malformed values are always a KindInvalid error naming the parameter and what was expected.
func (r *Registry) ParseQuery(typ string, params url.Values, opts Options) (Search, []fherr.Issue, error) {
	if opts.DefaultCount <= 0 {
		opts.DefaultCount = 200
	}
	if opts.MaxCount <= 0 {
		opts.MaxCount = 1000
	}
	if opts.DefaultCount > opts.MaxCount {
		opts.DefaultCount = opts.MaxCount
	}
	s := Search{Query: store.Query{Type: typ}, Count: opts.DefaultCount, Total: TotalNone}
	var issues []fherr.Issue
	var canon []string // "key=escapedValue"
	cursorText := ""
	skip := func(name, format string, args ...any) error {
		is := fherr.Issue{Severity: "warning", Code: "not-supported", Diagnostics: fmt.Sprintf(format, args...), Expression: []string{name}}
		if opts.Strict {
			is.Severity = "error"
			return &fherr.Error{Kind: fherr.KindInvalid, Issues: []fherr.Issue{is}}
		}
		issues = append(issues, is)
		return nil
	}

	keys := make([]string, 0, len(params))
	for k := range params {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, key := range keys {
		vals := params[key]
		name, _, _ := strings.Cut(key, ":")
		switch {
		case ignoredParams[name]:
			continue
		case key == CursorParam:
			cursorText = vals[len(vals)-1]
			continue
		case key == "_count":
			n, err := strconv.Atoi(vals[len(vals)-1])
			if err != nil || n < 0 {
				return Search{}, nil, fherr.Invalid("value", "_count", "_count must be a non-negative integer, got %q", vals[len(vals)-1])
			}
			if n > opts.MaxCount {
				issues = append(issues, fherr.Issue{Severity: "information", Code: "informational", Expression: []string{"_count"},
					Diagnostics: "_count " + strconv.Itoa(n) + " is over the maximum page size; " + strconv.Itoa(opts.MaxCount) + " is used"})
				n = opts.MaxCount
			}
			s.Count = n
			continue
		case key == "_sort":
			sk, err := r.parseSort(typ, vals[len(vals)-1], skip)
			if err != nil {
				return Search{}, nil, err
			}
			s.Sort = sk
			if len(sk) > 0 {
				canon = append(canon, "_sort="+url.QueryEscape(sortString(sk)))
			}
			continue
		case key == "_summary":
			v := vals[len(vals)-1]
			switch v {
			case SummaryTrue, SummaryText, SummaryData, SummaryCount, SummaryFalse:
				s.Summary = v
				canon = append(canon, "_summary="+v)
			default:
				return Search{}, nil, fherr.Invalid("value", "_summary", "_summary must be one of true, text, data, count, false; got %q", v)
			}
			continue
		case key == "_total":
			v := vals[len(vals)-1]
			switch v {
			case TotalNone, TotalEstimate, TotalAccurate:
				s.Total = v
				canon = append(canon, "_total="+v)
			default:
				return Search{}, nil, fherr.Invalid("value", "_total", "_total must be one of none, estimate, accurate; got %q", v)
			}
			continue
		case key == "_elements":
			var els []string
			for _, v := range vals {
				for _, e := range strings.Split(v, ",") {
					if e = strings.TrimSpace(e); e != "" {
						els = append(els, e)
					}
				}
			}
			s.Elements = els
			if len(els) > 0 {
				canon = append(canon, "_elements="+url.QueryEscape(strings.Join(els, ",")))
			}
			continue
		}
		if what, ok := notSupported[name]; ok {
			if err := skip(key, "%s is not supported yet; parameter %q ignored", what, key); err != nil {
				return Search{}, nil, err
			}
			continue
		}
		switch name {
		case "_include", "_revinclude":
			if err := r.parseIncludes(typ, key, vals, &s, &canon, skip); err != nil {
				return Search{}, nil, err
			}
			continue
		case "_filter":
			for _, v := range vals {
				cls, err := r.parseFilter(typ, v)
				if err != nil {
					return Search{}, nil, err
				}
				s.Query.Where = append(s.Query.Where, cls...)
				canon = append(canon, "_filter="+url.QueryEscape(v))
			}
			continue
		}
		for _, v := range vals {
			cl, err := r.parseKey(typ, key, v, 0)
			var se *skipError
			if errors.As(err, &se) {
				if err := skip(key, "%s; parameter %q ignored", se.msg, key); err != nil {
					return Search{}, nil, err
				}
				break
			}
			if err != nil {
				return Search{}, nil, err
			}
			if len(cl.Any) == 0 {
				continue // an empty value is ignored
			}
			s.Query.Where = append(s.Query.Where, cl)
			canon = append(canon, url.QueryEscape(key)+"="+url.QueryEscape(v))
		}
	}

	if len(s.Sort) == 0 {
		if s.Sort = syncOrder(s.Query.Where); s.Sort != nil {
			canon = append(canon, "_sort="+url.QueryEscape(sortString(s.Sort)))
		}
	}
	sort.Strings(canon)
	noCount := strings.Join(canon, "&")
	s.hash = queryHash(typ, noCount)
	s.Canonical = noCount
	if c := "_count=" + strconv.Itoa(s.Count); s.Canonical == "" {
		s.Canonical = c
	} else {
		s.Canonical = c + "&" + s.Canonical
	}

	if err := r.setNearPoints(typ, s.Sort, s.Query.Where); err != nil {
		return Search{}, nil, err
	}
	s.Query.Sort = withKeyBounds(s.Sort, s.Query.Where)
	s.Query.Count = s.Count
	s.Query.Total = s.Total == TotalAccurate
	if s.Total == TotalEstimate {
		s.Query.TotalCap = EstimateExactUpTo
	}
	if s.Summary == SummaryCount {
		s.Query.Count = 0
		s.Query.Total = true
	}
	if cursorText != "" {
		c, err := DecodeCursor(cursorText)
		if err != nil {
			return Search{}, nil, fherr.Wrap(err, fherr.KindInvalid, "invalid", CursorParam, "the paging cursor is malformed; start the search again")
		}
		if c.QueryHash != s.hash {
			return Search{}, nil, fherr.Wrap(store.ErrInvalidCursor, fherr.KindInvalid, "invalid", CursorParam, "the paging cursor belongs to another search; follow the next link as given")
		}
		if len(c.After.Keys) != len(s.Sort) {
			return Search{}, nil, fherr.Wrap(store.ErrInvalidCursor, fherr.KindInvalid, "invalid", CursorParam, "the paging cursor does not match the sort order")
		}
		after := c.After
		s.Query.After = &after
		s.Query.MaxSeq = c.MaxSeq
		s.Cursor = &c
	}
	return s, issues, nil
}

// parseSort reads _sort=a,-b. Unknown keys are skipped (or an error when strict).
func (r *Registry) parseSort(typ, v string, skip func(string, string, ...any) error) ([]store.SortKey, error) {
	var out []store.SortKey
	for _, part := range strings.Split(v, ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		desc := strings.HasPrefix(part, "-")
		name := strings.TrimPrefix(part, "-")
		if name != "_id" {
			p, ok := r.byType[typ][name]
			if !ok || !Sortable(p.Param) && !nearSortable(p) {
				if err := skip("_sort", "_sort key %q is not a sortable search parameter of %s; ignored", name, typ); err != nil {
					return nil, err
				}
				continue
			}
		}
		out = append(out, store.SortKey{Param: name, Desc: desc})
	}
	return out, nil
}

func sortString(keys []store.SortKey) string {
	parts := make([]string, len(keys))
	for i, k := range keys {
		if k.Desc {
			parts[i] = "-" + k.Param
		} else {
			parts[i] = k.Param
		}
	}
	return strings.Join(parts, ",")
}
