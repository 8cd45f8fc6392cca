package search

import (
	"github.com/rorfhir/ror/fhir/fherr"
	"github.com/rorfhir/ror/store"
)

// nearSortable says whether p is a near parameter (special type), which _sort accepts: it orders
// by the distance from the point of the search's near condition (FHIR R4 Location near).
func nearSortable(p *compiled) bool {
	return p.Type == TypeSpecial && kindOf(p.Type) == store.KindNear
}

// setNearPoints gives each distance sort key of keys its point: the one point of the near
// condition of where on the same parameter. Without such a condition, or with several points
// (a comma list or a repeated parameter), the distance is undefined: a KindInvalid error.
func (r *Registry) setNearPoints(typ string, keys []store.SortKey, where []store.Clause) error {
	for i, k := range keys {
		p, ok := r.byType[typ][k.Param]
		if !ok || !nearSortable(p) {
			continue
		}
		var pts []store.Point
		for _, cl := range where {
			for _, c := range cl.Any {
				if c.Kind == store.KindNear && c.Param == k.Param && c.Op == store.OpEq && !c.Not {
					pts = append(pts, store.Point{Lat: c.Lat, Lon: c.Lon})
				}
			}
		}
		switch len(pts) {
		case 0:
			return fherr.Invalid("required", "_sort",
				"_sort=%s orders by the distance from the point of the %s parameter: %s is required (e.g. %s=48.85|2.35|10|km)",
				k.Param, k.Param, k.Param, k.Param)
		case 1:
			keys[i].Near = &pts[0]
		default:
			return fherr.Invalid("invalid", "_sort",
				"_sort=%s needs exactly one %s point to measure from; the search gives %d", k.Param, k.Param, len(pts))
		}
	}
	return nil
}
