package service

import (
	"context"
	"encoding/base64"
	"hash/fnv"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/rorfhir/ror/fhir/fherr"
	"github.com/rorfhir/ror/fhir/search"
	"github.com/rorfhir/ror/store"
)

// cursorParam is the query parameter carrying the opaque paging cursor of history and search.
const cursorParam = search.CursorParam

// HistoryRequest selects a history: system level (Type ""), type level (ID "") or instance level.
type HistoryRequest struct {
	Type   string
	ID     string
	Params url.Values // _count, _since, _at, _cursor
}

// HistoryResult is one page of history, newest first.
type HistoryResult struct {
	Versions []store.Version
	// Self is the canonical query string of this page; Next the one of the following page ("" when
	// this page is the last). Both are relative to the history URL.
	Self string
	Next string
}

// History returns a page of versions, newest first, keyset-paged on the change sequence: a client
// following Next never sees a change twice and never misses a change committed before its first
// page, even while writes arrive.
func (s *Service) History(ctx context.Context, r HistoryRequest) (HistoryResult, error) {
	if r.Type != "" {
		if err := s.checkType(r.Type); err != nil {
			return HistoryResult{}, err
		}
	}
	q := store.HistoryQuery{Type: r.Type, ID: r.ID, Count: s.opts.HistoryCount}
	canon := url.Values{}
	var cursor string
	for k, vs := range r.Params {
		if len(vs) == 0 {
			continue
		}
		v := vs[len(vs)-1]
		switch k {
		case "_count":
			n, err := strconv.Atoi(v)
			if err != nil || n < 0 {
				return HistoryResult{}, fherr.Invalid("value", "", "_count must be a non-negative integer, got %q", v)
			}
			q.Count = min(n, s.opts.MaxHistoryCount)
		case "_since", "_at":
			t, err := parseInstant(v)
			if err != nil {
				return HistoryResult{}, fherr.Invalid("value", "", "%s must be a FHIR instant or dateTime, got %q", k, v)
			}
			if k == "_since" {
				q.Since = t
			} else {
				q.At = t
			}
			canon.Set(k, v)
		case cursorParam:
			cursor = v
		case "_format", "_pretty":
		default:
			return HistoryResult{}, fherr.Invalid("not-supported", "", "history does not support the parameter %s", k)
		}
	}
	canon.Set("_count", strconv.Itoa(q.Count))
	fp := historyFingerprint(q)
	if cursor != "" {
		seq, err := decodeHistoryCursor(cursor, fp)
		if err != nil {
			return HistoryResult{}, err
		}
		q.BeforeSeq = seq
		canon.Set(cursorParam, cursor)
	}
	res := HistoryResult{Self: canon.Encode()}
	if r.ID != "" {
		if !validID(r.ID) {
			return HistoryResult{}, fherr.NotFound("%s/%s does not exist", r.Type, r.ID)
		}
		cur, err := s.current(ctx, r.Type, r.ID)
		if err != nil {
			return HistoryResult{}, err
		}
		if cur == nil {
			return HistoryResult{}, fherr.NotFound("%s/%s does not exist", r.Type, r.ID)
		}
	}
	if q.Count == 0 {
		return res, nil
	}
	page, err := s.st.History(ctx, q)
	if err != nil {
		return HistoryResult{}, storeErr(err)
	}
	res.Versions = page.Versions
	if page.NextBeforeSeq > 0 {
		canon.Set(cursorParam, encodeHistoryCursor(page.NextBeforeSeq, fp))
		res.Next = canon.Encode()
	}
	return res, nil
}

// historyFingerprint binds a cursor to the history it pages.
func historyFingerprint(q store.HistoryQuery) uint32 {
	h := fnv.New32a()
	h.Write([]byte(q.Type + "/" + q.ID + "|" + strconv.FormatInt(q.Since.UnixMilli(), 10) + "|" +
		strconv.FormatInt(q.At.UnixMilli(), 10)))
	return h.Sum32()
}

func encodeHistoryCursor(beforeSeq int64, fp uint32) string {
	raw := "h1." + strconv.FormatInt(beforeSeq, 36) + "." + strconv.FormatUint(uint64(fp), 36)
	return base64.RawURLEncoding.EncodeToString([]byte(raw))
}

func decodeHistoryCursor(c string, fp uint32) (int64, error) {
	bad := fherr.Wrap(store.ErrInvalidCursor, fherr.KindInvalid, "invalid", "",
		"the %s parameter is not a cursor of this history", cursorParam)
	raw, err := base64.RawURLEncoding.DecodeString(c)
	if err != nil {
		return 0, bad
	}
	parts := strings.Split(string(raw), ".")
	if len(parts) != 3 || parts[0] != "h1" {
		return 0, bad
	}
	seq, err := strconv.ParseInt(parts[1], 36, 64)
	if err != nil || seq <= 0 {
		return 0, bad
	}
	got, err := strconv.ParseUint(parts[2], 36, 32)
	if err != nil || uint32(got) != fp {
		return 0, bad
	}
	return seq, nil
}

// parseInstant reads a FHIR instant, dateTime or date (partial dates give the start of the
// period; a date without a time zone is taken as UTC).
func parseInstant(v string) (time.Time, error) {
	v = strings.ReplaceAll(v, " ", "+") // an unescaped '+' of a time zone arrives as a space
	layouts := []string{time.RFC3339Nano, "2006-01-02T15:04:05Z07:00", "2006-01-02T15:04Z07:00", "2006-01-02", "2006-01", "2006"}
	var err error
	for _, l := range layouts {
		var t time.Time
		if t, err = time.Parse(l, v); err == nil {
			return t.UTC(), nil
		}
	}
	return time.Time{}, err
}
