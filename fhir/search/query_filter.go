package search

import (
	"errors"
	"strings"

	"github.com/rorfhir/ror/fhir/fherr"
	"github.com/rorfhir/ror/fhir/textfold"
	"github.com/rorfhir/ror/store"
)

// The _filter subset understood (anything else is a 400 naming the unsupported part):
//
//	expr       = term { "or" term }
//	term       = factor { "and" factor }
//	factor     = [ "not" ] ( "(" expr ")" | comparison )
//	comparison = path op value
//	path       = parameter { "." parameter }   (a chain through reference parameters, 3 links at most)
//	op         = eq | ne | gt | lt | ge | le | sw | ew | co
//	value      = token | "quoted string" (\" and \\ escapes)
//
// Operators per parameter type: string: eq (case- and accent-insensitive equality), ne, sw
// (prefix), co (contains); token, reference, uri: eq, ne (uri also sw: the URI starts with the
// value); date, number, quantity: eq, ne, gt, lt, ge, le with the precision rules of the search
// prefixes. ew and the operators po, ss, sb, in, ni, re, ap, sa, eb, pr are not supported.

// filterError is a 400 naming the part of _filter that is not understood.
func filterError(format string, args ...any) error {
	return fherr.Invalid("not-supported", "_filter", "_filter: "+format, args...)
}

// parseFilter turns a _filter expression into clauses (all must hold).
func (r *Registry) parseFilter(typ, expr string) ([]store.Clause, error) {
	toks, err := lexFilter(expr)
	if err != nil {
		return nil, err
	}
	p := filterParser{r: r, typ: typ, toks: toks}
	c, err := p.or()
	if err != nil {
		return nil, err
	}
	if p.pos < len(p.toks) {
		return nil, filterError("unexpected %q at position %d", p.toks[p.pos].text, p.toks[p.pos].at+1)
	}
	if c.Kind == store.KindOr && !c.Not && len(c.Or) == 1 {
		return c.Or[0], nil // a plain conjunction: its clauses drive the search directly
	}
	return []store.Clause{{Any: []store.Cond{c}}}, nil
}

type filterTok struct {
	text   string
	quoted bool
	at     int
}

func lexFilter(s string) ([]filterTok, error) {
	var out []filterTok
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r':
			i++
		case c == '(' || c == ')':
			out = append(out, filterTok{text: string(c), at: i})
			i++
		case c == '"':
			var b strings.Builder
			j := i + 1
			for ; j < len(s) && s[j] != '"'; j++ {
				if s[j] == '\\' && j+1 < len(s) {
					j++
				}
				b.WriteByte(s[j])
			}
			if j >= len(s) {
				return nil, filterError("unterminated string starting at position %d", i+1)
			}
			out = append(out, filterTok{text: b.String(), quoted: true, at: i})
			i = j + 1
		default:
			j := i
			for j < len(s) && !strings.ContainsRune(" \t\r\n()\"", rune(s[j])) {
				j++
			}
			out = append(out, filterTok{text: s[i:j], at: i})
			i = j
		}
	}
	return out, nil
}

type filterParser struct {
	r    *Registry
	typ  string
	toks []filterTok
	pos  int
}

func (p *filterParser) peekWord(w string) bool {
	return p.pos < len(p.toks) && !p.toks[p.pos].quoted && strings.EqualFold(p.toks[p.pos].text, w)
}

func (p *filterParser) next() (filterTok, bool) {
	if p.pos >= len(p.toks) {
		return filterTok{}, false
	}
	p.pos++
	return p.toks[p.pos-1], true
}

// or returns a KindOr condition whose alternatives are the terms.
func (p *filterParser) or() (store.Cond, error) {
	var alts [][]store.Clause
	for {
		t, err := p.and()
		if err != nil {
			return store.Cond{}, err
		}
		alts = append(alts, t)
		if !p.peekWord("or") {
			break
		}
		p.pos++
	}
	return store.Cond{Kind: store.KindOr, Or: alts}, nil
}

// and returns the clauses of a conjunction.
func (p *filterParser) and() ([]store.Clause, error) {
	var cls []store.Clause
	for {
		c, err := p.factor()
		if err != nil {
			return nil, err
		}
		if c.Kind == store.KindOr && !c.Not && len(c.Or) == 1 {
			cls = append(cls, c.Or[0]...) // a parenthesised conjunction
		} else {
			cls = append(cls, store.Clause{Any: []store.Cond{c}})
		}
		if !p.peekWord("and") {
			return cls, nil
		}
		p.pos++
	}
}

func (p *filterParser) factor() (store.Cond, error) {
	if p.peekWord("not") {
		p.pos++
		c, err := p.factor()
		c.Not = !c.Not
		return c, err
	}
	t, ok := p.next()
	if !ok {
		return store.Cond{}, filterError("the expression ends too early")
	}
	if t.text == "(" && !t.quoted {
		c, err := p.or()
		if err != nil {
			return store.Cond{}, err
		}
		if t, ok := p.next(); !ok || t.text != ")" || t.quoted {
			return store.Cond{}, filterError("missing ) for the ( at position %d", t.at+1)
		}
		return c, nil
	}
	opTok, ok1 := p.next()
	val, ok2 := p.next()
	if !ok1 || !ok2 {
		return store.Cond{}, filterError("incomplete comparison starting with %q (expected parameter operator value)", t.text)
	}
	return p.comparison(t, strings.ToLower(opTok.text), val)
}

// comparison builds the condition of path op value, following the chain of path.
func (p *filterParser) comparison(path filterTok, op string, val filterTok) (store.Cond, error) {
	if path.quoted || strings.ContainsAny(path.text, "[]") {
		return store.Cond{}, filterError("%q is not a supported parameter path (filters inside paths are not supported)", path.text)
	}
	links := strings.Split(path.text, ".")
	if len(links) > MaxChainDepth+1 {
		return store.Cond{}, filterError("%q chains more than %d links", path.text, MaxChainDepth)
	}
	typ := p.typ
	var chain []*compiled
	var types []string
	for _, l := range links[:len(links)-1] {
		rp, target, err := p.r.refParam(typ, l, "")
		if err != nil {
			return store.Cond{}, filterError("%s: %v", path.text, err)
		}
		chain, types = append(chain, rp), append(types, target)
		typ = target
	}
	name := links[len(links)-1]
	prm, ok := p.r.byType[typ][name]
	if !ok {
		return store.Cond{}, filterError("unknown parameter %q of %s in %q", name, typ, path.text)
	}
	c, err := p.r.filterCond(prm, path.text, op, val.text)
	if err != nil {
		return store.Cond{}, err
	}
	for i := len(chain) - 1; i >= 0; i-- {
		c = store.Cond{Param: chain[i].Code, Kind: store.KindReference, Op: store.OpEq,
			Target: &store.Query{Type: types[i], Where: []store.Clause{{Any: []store.Cond{c}}}}}
	}
	return c, nil
}

// filterCond maps one comparison on parameter prm to a condition.
func (r *Registry) filterCond(prm *compiled, path, op, v string) (store.Cond, error) {
	unsupported := func() (store.Cond, error) {
		return store.Cond{}, filterError("operator %q is not supported on %s parameter %q", op, prm.Type, path)
	}
	switch op {
	case "eq", "ne", "gt", "lt", "ge", "le", "sw", "ew", "co":
	default:
		return store.Cond{}, filterError("operator %q is not supported (supported: eq ne gt lt ge le sw co; ew only where stated)", op)
	}
	var c store.Cond
	var err error
	switch prm.Type {
	case TypeString:
		c = store.Cond{Param: prm.Code, Kind: store.KindString, Value: textfold.Fold(v)}
		switch op {
		case "eq", "ne":
			c.Op = store.OpEq
		case "sw":
			c.Op = store.OpPrefix
		case "co":
			c.Op = store.OpContains
		default:
			return unsupported()
		}
	case TypeDate, TypeNumber, TypeQuantity:
		if op == "sw" || op == "ew" || op == "co" {
			return unsupported()
		}
		if op == "ne" {
			c, err = r.parseCond(prm, path, "", "eq"+v)
		} else {
			c, err = r.parseCond(prm, path, "", op+v)
		}
	case TypeToken, TypeReference:
		if op != "eq" && op != "ne" {
			return unsupported()
		}
		c, err = r.parseCond(prm, path, "", escapeCommas(v))
	case TypeURI:
		switch op {
		case "eq", "ne":
			c, err = r.parseCond(prm, path, "", v)
		case "sw":
			c, err = r.parseCond(prm, path, "below", v)
		default:
			return unsupported()
		}
	default:
		return unsupported()
	}
	if errors.Is(err, errUnsupportedModifier) {
		return unsupported()
	}
	if err != nil {
		return store.Cond{}, filterError("%v", err)
	}
	if op == "ne" {
		c.Not = !c.Not
	}
	return c, nil
}

// escapeCommas keeps a filter value whole where the search syntax would split it.
func escapeCommas(v string) string { return strings.ReplaceAll(v, ",", `\,`) }
