package search

import (
	"testing"
	"time"
)

func ms(s string) int64 {
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		panic(err)
	}
	return t.UnixMilli()
}

func TestParseDateRange(t *testing.T) {
	paris, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		t.Skip("no tz database:", err)
	}
	tests := []struct {
		in     string
		zone   *time.Location
		lo, hi string // RFC 3339; hi is the last millisecond included
	}{
		{"2024", time.UTC, "2024-01-01T00:00:00Z", "2024-12-31T23:59:59.999Z"},
		{"2024-02", time.UTC, "2024-02-01T00:00:00Z", "2024-02-29T23:59:59.999Z"},
		{"2023-02-28", time.UTC, "2023-02-28T00:00:00Z", "2023-02-28T23:59:59.999Z"},
		{"2024-05-01", paris, "2024-04-30T22:00:00Z", "2024-05-01T21:59:59.999Z"},
		{"2024-05-01T10:00", time.UTC, "2024-05-01T10:00:00Z", "2024-05-01T10:00:59.999Z"},
		{"2024-05-01T10:00:05Z", paris, "2024-05-01T10:00:05Z", "2024-05-01T10:00:05.999Z"},
		{"2024-05-01T10:00:05+02:00", time.UTC, "2024-05-01T08:00:05Z", "2024-05-01T08:00:05.999Z"},
		{"2024-05-01T10:00:05-03:30", time.UTC, "2024-05-01T13:30:05Z", "2024-05-01T13:30:05.999Z"},
		{"2024-05-01T10:00:05.5Z", time.UTC, "2024-05-01T10:00:05.5Z", "2024-05-01T10:00:05.599Z"},
		{"2024-05-01T10:00:05.123Z", time.UTC, "2024-05-01T10:00:05.123Z", "2024-05-01T10:00:05.123Z"},
		{"2024-05-01T10:00:05.123456Z", time.UTC, "2024-05-01T10:00:05.123Z", "2024-05-01T10:00:05.123Z"},
		{"2025-04-08T13:05:27.000+00:00", time.UTC, "2025-04-08T13:05:27Z", "2025-04-08T13:05:27Z"},
	}
	for _, tc := range tests {
		got, err := parseDateRange(tc.in, tc.zone)
		if err != nil {
			t.Errorf("%s: %v", tc.in, err)
			continue
		}
		if got.Lo != ms(tc.lo) || got.Hi != ms(tc.hi) {
			t.Errorf("%s = [%s, %s], want [%s, %s]", tc.in, time.UnixMilli(got.Lo).UTC().Format(time.RFC3339Nano),
				time.UnixMilli(got.Hi).UTC().Format(time.RFC3339Nano), tc.lo, tc.hi)
		}
	}
	for _, bad := range []string{"", "24", "2024-1", "2024-13", "2024-02-30", "2024-05-01T", "2024-05-01T25:00", "2024-05-01 10:00",
		"2024-05-01T10:00:05.Z", "2024-05-01T10:00:05+2", "2024-05-01T10:00:05X", "abcd", "2024/05/01", "2024-05-01T10:60"} {
		if _, err := parseDateRange(bad, time.UTC); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
}
