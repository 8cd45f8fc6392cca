package finess

import (
	"context"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
)

// closeMissing closes the stored FINESS resources this import did not produce.
func (ru *run) closeMissing(ctx context.Context) error {
	for _, typ := range []string{TypeOrganization, TypeLocation} {
		ids, err := ru.t.ListIDs(ctx, typ, IDPrefix)
		if err != nil {
			return fmt.Errorf("finess import: list stored %s ids: %w", typ, err)
		}
		var missing []Key
		for _, id := range ids {
			if !ru.produced(typ, id) {
				missing = append(missing, Key{typ, id})
			}
		}
		if len(missing) == 0 {
			continue
		}
		if ru.o.MaxClosed >= 0 && float64(len(missing)) > ru.o.MaxClosed*float64(len(ids)) {
			ru.problem(Problem{Reason: fmt.Sprintf("%d of the %d stored FINESS %s resources are missing from the file (over %.0f%%): the file looks incomplete, none was closed",
				len(missing), len(ids), typ, ru.o.MaxClosed*100)})
			continue
		}
		sort.Slice(missing, func(i, j int) bool { return missing[i].ID < missing[j].ID })
		for start := 0; start < len(missing); start += ru.o.BatchSize {
			if err := ru.closeBatch(ctx, missing[start:min(start+ru.o.BatchSize, len(missing))]); err != nil {
				return err
			}
		}
	}
	return nil
}

func (ru *run) closeBatch(ctx context.Context, keys []Key) error {
	cur, err := ru.t.Current(ctx, keys)
	if err != nil {
		return fmt.Errorf("finess import: read resources to close: %w", err)
	}
	var in []Resource
	for _, k := range keys {
		body, ok := cur[k]
		if !ok {
			continue
		}
		closed, changed, err := closeBody(k.Type, body, ru.m.created)
		if err != nil {
			ru.problem(Problem{ID: k.Type + "/" + k.ID, Reason: "cannot close: " + err.Error()})
			continue
		}
		if changed {
			in = append(in, Resource{k.Type, k.ID, closed})
		}
	}
	return ru.write(ctx, in, make([]int, len(in)), true)
}

// produced reports whether this import wrote typ/id.
func (ru *run) produced(typ, id string) bool {
	switch {
	case typ == TypeLocation && strings.HasPrefix(id, prefixLoc):
		return ru.locs[id[len(prefixLoc):]]
	case typ == TypeOrganization && strings.HasPrefix(id, prefixEG):
		_, ok := ru.sites[id[len(prefixEG):]]
		return ok
	case typ == TypeOrganization && strings.HasPrefix(id, prefixEJ):
		return ru.ejs[id[len(prefixEJ):]]
	}
	return false
}

// sortedGeo lists waiting geolocation lines in file order.
func sortedGeo(m map[string]*Geo) []*Geo {
	out := make([]*Geo, 0, len(m))
	for _, g := range m {
		out = append(out, g)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Line < out[j].Line })
	return out
}

// closeBody marks a FINESS-sourced resource closed on date (YYYY-MM-DD): an Organization gets
// active=false and the end of its organization-period; a Location gets status inactive. changed
// is false when it was closed already.
func closeBody(typ string, current []byte, date string) (body []byte, changed bool, err error) {
	m, err := parseMembers(current)
	if err != nil {
		return nil, false, err
	}
	switch typ {
	case TypeOrganization:
		if string(m["active"]) == "false" {
			return nil, false, nil
		}
		m["active"] = json.RawMessage("false")
		exts := entries(m["extension"])
		found := false
		for i, e := range exts {
			if probeOf(e).URL != extOrgPeriod {
				continue
			}
			var x extension
			if err := json.Unmarshal(e, &x); err != nil {
				return nil, false, fmt.Errorf("organization-period: %w", err)
			}
			if x.ValuePeriod == nil {
				x.ValuePeriod = &period{}
			}
			x.ValuePeriod.End = date
			exts[i], found = marshal(x), true
		}
		if !found {
			exts = append([]json.RawMessage{marshal(extension{URL: extOrgPeriod, ValuePeriod: &period{End: date}})}, exts...)
		}
		setArray(m, "extension", exts)
	case TypeLocation:
		if string(m["status"]) == `"`+statusClose+`"` {
			return nil, false, nil
		}
		m["status"] = marshal(statusClose)
	default:
		return nil, false, fmt.Errorf("cannot close a %s", typ)
	}
	if mt, ok := m["meta"]; ok {
		mm, err := parseMembers(mt)
		if err == nil {
			delete(mm, "versionId")
			delete(mm, "lastUpdated")
			m["meta"] = mm.encode("")
		}
	}
	return m.encode(typ), true, nil
}
