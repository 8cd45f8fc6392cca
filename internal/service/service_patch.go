package service

import (
	"context"
	"net/http"
	"strings"

	"github.com/rorfhir/ror/fhir/fherr"
	"github.com/rorfhir/ror/fhir/resource"
)

// Patch applies a JSON Patch document (RFC 6902) to the current version of typ/id and stores the
// result as its next version, by the path of an update (body checks, pluggable checks such as
// the profiles and the FINESS-owned elements, If-Match), recorded with the method PATCH. The
// patch may not change id, resourceType, meta.versionId or meta.lastUpdated. Without IfMatch, a
// race lost to another writer re-applies the patch to the new current version (a bounded number
// of times).
func (s *Service) Patch(ctx context.Context, typ, id string, patch []byte, opts UpdateOptions) (WriteResult, error) {
	if err := s.checkType(typ); err != nil {
		return WriteResult{}, err
	}
	p, err := parsePatch(patch, s.opts.MaxBodyBytes)
	if err != nil {
		return WriteResult{}, err
	}
	return s.commitRetrying(ctx, typ, id, opts.IfMatch, func(ctx context.Context) (planned, error) {
		return s.planPatch(ctx, typ, id, p, opts)
	})
}

// planPatch applies p to the current version of typ/id and prepares the result as its next
// version.
func (s *Service) planPatch(ctx context.Context, typ, id string, p jsonPatch, opts UpdateOptions) (planned, error) {
	if !validID(id) {
		return planned{}, fherr.NotFound("%s/%s does not exist", typ, id)
	}
	cur, err := s.current(ctx, typ, id)
	if err != nil {
		return planned{}, err
	}
	if cur == nil {
		return planned{}, fherr.NotFound("%s/%s does not exist: there is nothing to patch", typ, id)
	}
	if cur.Deleted {
		return planned{}, goneErr(*cur)
	}
	if err := ifMatch(opts.IfMatch, cur, typ, id); err != nil {
		return planned{}, err
	}
	body, err := p.apply(cur.Body, typ+"/"+id, s.opts.MaxBodyBytes)
	if err != nil {
		return planned{}, err
	}
	if err := p.checkServerSet(typ, cur.Body, body); err != nil {
		return planned{}, err
	}
	in, err := s.checkBody(typ, body)
	if err != nil {
		return planned{}, err
	}
	return s.planNext(ctx, http.MethodPatch, typ, id, cur, in)
}

// serverSet are the elements a patch may not change: the resource's identity and the meta the
// server sets, as JSON pointers.
var serverSet = []struct {
	pointer, name string
	get           func(resource.Info) string
}{
	{"/resourceType", "resourceType", func(i resource.Info) string { return i.Type }},
	{"/id", "id", func(i resource.Info) string { return i.ID }},
	{"/meta/versionId", "meta.versionId", func(i resource.Info) string { return i.VersionID }},
	{"/meta/lastUpdated", "meta.lastUpdated", func(i resource.Info) string { return i.LastUpdated }},
}

// checkServerSet refuses (400) a patch that targets id, resourceType, meta.versionId or
// meta.lastUpdated (a test of their value is allowed), or that changes one of them by replacing
// or removing what holds it (meta, the whole resource). before and after are the current body
// and the patched one.
func (p jsonPatch) checkServerSet(typ string, before, after []byte) error {
	for i, op := range p.ops {
		if op.Op == "test" {
			continue
		}
		for _, e := range serverSet {
			if op.Path == e.pointer || op.Op == "move" && op.From == e.pointer {
				return fherr.Invalid("invalid", typ+"."+e.name,
					"JSON Patch %s may not change %s: it is set by the server", op.label(i), e.name)
			}
		}
	}
	was, err := resource.Parse(before)
	if err != nil {
		return nil // the stored body always parses; nothing to compare otherwise
	}
	now, err := resource.Parse(after)
	if err != nil {
		return nil // the body checks that follow say what is wrong with the result
	}
	for _, e := range serverSet {
		if e.get(was) == e.get(now) {
			continue
		}
		by := "the patch"
		if i, ok := p.lastTouching(e.pointer); ok {
			by = "JSON Patch " + p.ops[i].label(i)
		}
		return fherr.Invalid("invalid", typ+"."+e.name,
			"%s changes %s from %q to %q: it is set by the server; patch the other members instead", by, e.name, e.get(was), e.get(now))
	}
	return nil
}

// lastTouching returns the last operation (other than test) that writes pointer or one of its
// ancestors.
func (p jsonPatch) lastTouching(pointer string) (int, bool) {
	for i := len(p.ops) - 1; i >= 0; i-- {
		op := p.ops[i]
		if op.Op == "test" {
			continue
		}
		if covers(op.Path, pointer) || op.Op == "move" && covers(op.From, pointer) {
			return i, true
		}
	}
	return 0, false
}

// covers reports whether writing at JSON pointer p changes what is at pointer q.
func covers(p, q string) bool { return p == q || strings.HasPrefix(q, p+"/") }
