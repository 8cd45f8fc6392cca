package search

import (
	"errors"
	"fmt"
	"strings"

	"github.com/rorfhir/ror/store"
)

// MaxChainDepth is the number of links a chained or reverse-chained parameter may follow
// (organization.partof.name is 2).
const MaxChainDepth = 3

// skipError is a problem the server may ignore (lenient handling): an unknown parameter, an
// unsupported modifier or feature. ParseQuery turns it into a warning, or an error when strict.
type skipError struct{ msg string }

func (e *skipError) Error() string { return e.msg }

func skipf(format string, args ...any) error { return &skipError{msg: fmt.Sprintf(format, args...)} }

// parseKey reads one occurrence key=value on resource type typ: a plain parameter, a chain
// (ref[:Type].rest) or a reverse chain (_has:Type:ref:rest). depth counts the links followed.
func (r *Registry) parseKey(typ, key, value string, depth int) (store.Clause, error) {
	if depth > MaxChainDepth {
		return store.Clause{}, skipf("parameter %q chains more than %d links", key, MaxChainDepth)
	}
	if rest, ok := strings.CutPrefix(key, "_has:"); ok {
		return r.parseHas(typ, key, rest, value, depth)
	}
	if first, rest, ok := strings.Cut(key, "."); ok {
		return r.parseChain(typ, key, first, rest, value, depth)
	}
	name, mod, _ := strings.Cut(key, ":")
	p, ok := r.byType[typ][name]
	if !ok {
		return store.Clause{}, skipf("unknown search parameter %q for %s", name, typ)
	}
	cl, err := r.parseClause(p, key, mod, value)
	if errors.Is(err, errUnsupportedModifier) {
		return store.Clause{}, skipf("modifier :%s is not supported on %s parameter %q", mod, p.Type, name)
	}
	return cl, err
}

// refParam returns the reference parameter code of typ and the type it points to (given as
// modifier, or its only target).
func (r *Registry) refParam(typ, code, target string) (*compiled, string, error) {
	p, ok := r.byType[typ][code]
	switch {
	case !ok:
		return nil, "", skipf("unknown search parameter %q for %s", code, typ)
	case p.Type != TypeReference:
		return nil, "", skipf("parameter %q of %s is not a reference and cannot be chained", code, typ)
	case target == "" && len(p.Targets) == 1:
		target = p.Targets[0]
	case target == "":
		return nil, "", skipf("parameter %q of %s may point to several types; name one (%s:Type.param)", code, typ, code)
	}
	if _, ok := r.byType[target]; !ok {
		return nil, "", skipf("resource type %q is not searchable here", target)
	}
	return p, target, nil
}

// parseChain reads ref[:Type].rest=value: the reference must point to a resource matching
// rest=value.
func (r *Registry) parseChain(typ, key, first, rest, value string, depth int) (store.Clause, error) {
	code, target, _ := strings.Cut(first, ":")
	p, target, err := r.refParam(typ, code, target)
	if err != nil {
		return store.Clause{}, err
	}
	inner, err := r.parseKey(target, rest, value, depth+1)
	if err != nil || len(inner.Any) == 0 {
		return inner, err
	}
	return store.Clause{Any: []store.Cond{{Param: p.Code, Kind: store.KindReference, Op: store.OpEq,
		Target: &store.Query{Type: target, Where: []store.Clause{inner}}}}}, nil
}

// parseHas reads _has:Type:ref:rest=value: some resource of Type matching rest=value references
// the resource through ref.
func (r *Registry) parseHas(typ, key, spec, value string, depth int) (store.Clause, error) {
	parts := strings.SplitN(spec, ":", 3)
	if len(parts) != 3 || parts[0] == "" || parts[1] == "" || parts[2] == "" {
		return store.Clause{}, skipf("%q: reverse chaining is _has:Type:reference:parameter", key)
	}
	src, code, rest := parts[0], parts[1], parts[2]
	if _, ok := r.byType[src]; !ok {
		return store.Clause{}, skipf("%q: resource type %q is not searchable here", key, src)
	}
	p, ok := r.byType[src][code]
	if !ok || p.Type != TypeReference {
		return store.Clause{}, skipf("%q: %q is not a reference parameter of %s", key, code, src)
	}
	if len(p.Targets) > 0 && !contains(p.Targets, typ) {
		return store.Clause{}, skipf("%q: %s.%s does not point to %s", key, src, code, typ)
	}
	inner, err := r.parseKey(src, rest, value, depth+1)
	if err != nil || len(inner.Any) == 0 {
		return inner, err
	}
	return store.Clause{Any: []store.Cond{{Kind: store.KindHas,
		Has: &store.HasCond{Type: src, Param: p.Code, Where: []store.Clause{inner}}}}}, nil
}

func contains(ss []string, s string) bool {
	for _, x := range ss {
		if x == s {
			return true
		}
	}
	return false
}
