package service

import (
	"context"
	"errors"
	"fmt"

	"github.com/rorfhir/ror/store"
)

// ReindexSummary counts what Reindex did.
type ReindexSummary struct {
	Reindexed int // resources whose search values were rewritten
	Skipped   int // resources changed or deleted meanwhile (their new version has fresh values)
}

// reindexPage is the number of resources read per store query by Reindex.
const reindexPage = 500

// Reindex extracts again the search values of the current version of every stored resource with
// the service's registry and rewrites them in place (no new version), for when the search
// parameters change. progress, when not nil, is called after each page with the type and the
// running summary.
func (s *Service) Reindex(ctx context.Context, progress func(typ string, sum ReindexSummary)) (ReindexSummary, error) {
	var sum ReindexSummary
	for _, typ := range s.Types() {
		q := store.Query{Type: typ, Count: reindexPage}
		for {
			res, err := s.st.Search(ctx, q)
			if err != nil {
				return sum, fmt.Errorf("reindex %s: %w", typ, err)
			}
			for _, v := range res.Matches {
				idx, err := s.reg.Extract(v.Type, v.Body)
				if err != nil {
					return sum, fmt.Errorf("reindex %s/%s: %w", v.Type, v.ID, err)
				}
				err = s.st.Reindex(ctx, v.Type, v.ID, v.VersionID, idx)
				switch {
				case errors.Is(err, store.ErrVersionConflict) || errors.Is(err, store.ErrNotFound):
					sum.Skipped++
				case err != nil:
					return sum, fmt.Errorf("reindex %s/%s: %w", v.Type, v.ID, err)
				default:
					sum.Reindexed++
				}
			}
			if progress != nil {
				progress(typ, sum)
			}
			if res.Next == nil {
				break
			}
			q.After = res.Next
		}
	}
	return sum, nil
}
