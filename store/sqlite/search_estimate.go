package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"math"

	"github.com/rorfhir/ror/store"
)

// A cheap total (Query.TotalCap, for _total=estimate) never counts every match. It counts the
// matches up to TotalCap+1 (a count that stops there); when there are more, it tests a sample of
// the type's resources: estimateWindows windows of consecutive rows (rid order, that is creation
// order) spread evenly over the type's rows, about estimateSample rows in all, and scales the
// share of matches in the sample to the type's rows. A type with few rows is sampled whole: the
// estimate is then exact.
const (
	estimateSample  = 2000
	estimateWindows = 50
)

// estimateTotal sets res.Total to the bounded count or the estimate of the matches of q, whose
// predicate on row r is base.
func (s *Store) estimateTotal(ctx context.Context, rd reader, c *compiler, q store.Query, base frag, res *store.SearchResult) error {
	var n int
	err := rd.QueryRowContext(ctx, "SELECT count(*) FROM (SELECT 1 FROM resource r WHERE "+base.sql+" LIMIT ?)",
		append(append([]any{}, base.args...), q.TotalCap+1)...).Scan(&n)
	if err != nil {
		return fmt.Errorf("sqlite: search estimate: %w", err)
	}
	if n <= q.TotalCap {
		res.Total = n
		return nil
	}
	est, err := s.sampleEstimate(ctx, rd, c, q, estimateSample, estimateWindows)
	if err != nil {
		return err
	}
	res.Total = max(est, q.TotalCap+1)
	return nil
}

// sampleEstimate extrapolates the number of matches of q from about sample rows of its type,
// read in windows consecutive rids.
func (s *Store) sampleEstimate(ctx context.Context, rd reader, c *compiler, q store.Query, sample, windows int) (int, error) {
	var lo, hi sql.NullInt64
	var rows int64
	err := rd.QueryRowContext(ctx, "SELECT min(rid), max(rid), count(*) FROM resource WHERE type = ?", q.Type).Scan(&lo, &hi, &rows)
	if err != nil {
		return 0, fmt.Errorf("sqlite: search estimate: %w", err)
	}
	if rows == 0 {
		return 0, nil
	}
	span := hi.Int64 - lo.Int64 + 1
	// Windows of width w every step rids: about sample rows of the type in all.
	w := int64(math.Ceil(float64(sample) / float64(windows) * float64(span) / float64(rows)))
	step := span / int64(windows)
	if step < w || w*int64(windows) >= span {
		w, step = span, span // one window: the whole type
	}
	pred, err := c.walkRows("r", q.Type, q.Where)
	if err != nil {
		return 0, err
	}
	if q.MaxSeq > 0 {
		pred = frag{sql: pred.sql + " AND r.seq <= ?", args: append(pred.args, q.MaxSeq)}
	}
	args := []any{lo.Int64, step, step, hi.Int64}
	args = append(append(args, pred.args...), w, q.Type)
	var seen, matched int64
	err = rd.QueryRowContext(ctx, "WITH RECURSIVE win(a) AS (SELECT ? UNION ALL SELECT a + ? FROM win WHERE a + ? <= ?) "+
		"SELECT count(*), coalesce(sum(CASE WHEN "+pred.sql+" THEN 1 ELSE 0 END), 0) "+
		"FROM win JOIN resource r ON r.rid >= win.a AND r.rid < win.a + ? WHERE r.type = ?", args...).Scan(&seen, &matched)
	if err != nil {
		return 0, fmt.Errorf("sqlite: search estimate: %w", err)
	}
	if seen == 0 {
		return 0, nil
	}
	return int(math.Round(float64(matched) / float64(seen) * float64(rows))), nil
}
