package sqlite

import (
	"context"
	sqldriver "database/sql/driver"
	"fmt"
	"sync"

	"github.com/rorfhir/ror/store"
	"modernc.org/sqlite"
)

// A near sort orders by the great-circle distance from the query's point to the resource's
// nearest indexed position (ix_coord), computed by store.DistanceKm, the function of every
// backend, registered with SQLite as ror_distance_key: its text keys (store.DistanceKey) compare
// byte-wise like the stored sort keys, so that the keyset (after) and the page order need
// nothing special. The near condition that goes with the sort drives the search and bounds the
// rows whose distance is computed.

// registerFuncs registers the SQL functions of the store with the driver, once per process
// (before any connection opens: registered functions reach new connections only):
// ror_distance_km(lat1, lon1, lat2, lon2) is store.DistanceKm (the near filter), and
// ror_distance_key the store.DistanceKey of it (the near sort).
var registerFuncs = sync.OnceValue(func() error {
	fns := map[string]func(float64) sqldriver.Value{
		"ror_distance_km":  func(km float64) sqldriver.Value { return km },
		"ror_distance_key": func(km float64) sqldriver.Value { return store.DistanceKey(km) },
	}
	for name, out := range fns {
		err := sqlite.RegisterDeterministicScalarFunction(name, 4,
			func(_ *sqlite.FunctionContext, args []sqldriver.Value) (sqldriver.Value, error) {
				var f [4]float64
				for i, a := range args {
					switch v := a.(type) {
					case float64:
						f[i] = v
					case int64:
						f[i] = float64(v)
					default:
						return nil, nil // NULL in, NULL out
					}
				}
				return out(store.DistanceKm(f[0], f[1], f[2], f[3])), nil
			})
		if err != nil {
			return fmt.Errorf("sqlite: register %s: %w", name, err)
		}
	}
	return nil
})

// nearSortKey compiles sort key i of q, a distance, as a join that brings the point and the
// parameter (alias s<i>) and the key expression on row r.
func nearSortKey(ctx context.Context, tx querier, c *compiler, typ string, i int, k store.SortKey) (join string, args []any, expr string, err error) {
	pid, err := c.d.param(ctx, tx, typ, k.Param)
	if err != nil {
		return "", nil, "", err
	}
	a := fmt.Sprintf("s%d", i)
	join = "JOIN (SELECT ? AS lat, ? AS lon, ? AS pid) " + a
	expr = "(SELECT min(ror_distance_key(" + a + ".lat, " + a + ".lon, x.lat, x.lon)) FROM ix_coord x WHERE x.rid = r.rid AND x.pid = " + a + ".pid)"
	return join, []any{k.Near.Lat, k.Near.Lon, pid}, expr, nil
}

// nearFirst says whether the first sort key of q is a distance (read in one phase: it has no
// index order).
func nearFirst(q store.Query) bool {
	return len(q.Sort) > 0 && q.Sort[0].Near != nil
}
