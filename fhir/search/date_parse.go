package search

import (
	"errors"
	"time"
)

// dateRange is a FHIR date, dateTime or instant read as the inclusive range of Unix milliseconds
// its precision covers: "2024" is the whole year, "2024-05-01T10:00" the whole minute.
type dateRange struct {
	Lo, Hi int64
}

var errBadDate = errors.New("bad date")

// parseDateRange reads YYYY, YYYY-MM, YYYY-MM-DD, or YYYY-MM-DDThh:mm[:ss[.f+]][Z|±hh:mm]. Values
// without a zone are read in zone.
func parseDateRange(s string, zone *time.Location) (dateRange, error) {
	num := func(from, n int) (int, bool) {
		if from+n > len(s) {
			return 0, false
		}
		v := 0
		for i := from; i < from+n; i++ {
			c := s[i]
			if c < '0' || c > '9' {
				return 0, false
			}
			v = v*10 + int(c-'0')
		}
		return v, true
	}
	year, ok := num(0, 4)
	if !ok {
		return dateRange{}, errBadDate
	}
	month, day, hour, minute, sec, nsec := 1, 1, 0, 0, 0, 0
	var step func(time.Time) time.Time
	i := 4
	switch {
	case len(s) == 4:
		step = func(t time.Time) time.Time { return t.AddDate(1, 0, 0) }
	case len(s) == 7 && s[4] == '-':
		if month, ok = num(5, 2); !ok || month < 1 || month > 12 {
			return dateRange{}, errBadDate
		}
		step = func(t time.Time) time.Time { return t.AddDate(0, 1, 0) }
	case len(s) >= 10 && s[4] == '-' && s[7] == '-':
		month, ok = num(5, 2)
		if !ok || month < 1 || month > 12 {
			return dateRange{}, errBadDate
		}
		if day, ok = num(8, 2); !ok || day < 1 || day > daysIn(year, month) {
			return dateRange{}, errBadDate
		}
		i = 10
		step = func(t time.Time) time.Time { return t.AddDate(0, 0, 1) }
	default:
		return dateRange{}, errBadDate
	}
	loc := zone
	if i == 10 && len(s) > 10 {
		if s[10] != 'T' || len(s) < 16 || s[13] != ':' {
			return dateRange{}, errBadDate
		}
		h, ok1 := num(11, 2)
		m, ok2 := num(14, 2)
		if !ok1 || !ok2 || h > 23 || m > 59 {
			return dateRange{}, errBadDate
		}
		hour, minute = h, m
		i = 16
		step = func(t time.Time) time.Time { return t.Add(time.Minute) }
		if i < len(s) && s[i] == ':' {
			if sec, ok = num(i+1, 2); !ok || sec > 60 {
				return dateRange{}, errBadDate
			}
			if sec == 60 {
				sec = 59 // leap second
			}
			i += 3
			step = func(t time.Time) time.Time { return t.Add(time.Second) }
			if i < len(s) && s[i] == '.' {
				j := i + 1
				unit := time.Second
				for j < len(s) && s[j] >= '0' && s[j] <= '9' {
					if unit > time.Millisecond {
						unit /= 10
						nsec += int(s[j]-'0') * int(unit)
					}
					j++
				}
				if j == i+1 {
					return dateRange{}, errBadDate
				}
				i = j
				u := unit
				step = func(t time.Time) time.Time { return t.Add(u) }
			}
		}
		switch {
		case i == len(s):
		case s[i] == 'Z' && i+1 == len(s):
			loc = time.UTC
		case (s[i] == '+' || s[i] == '-') && i+6 == len(s) && s[i+3] == ':':
			zh, ok1 := num(i+1, 2)
			zm, ok2 := num(i+4, 2)
			if !ok1 || !ok2 || zh > 14 || zm > 59 {
				return dateRange{}, errBadDate
			}
			off := zh*3600 + zm*60
			if s[i] == '-' {
				off = -off
			}
			loc = time.FixedZone("", off)
		default:
			return dateRange{}, errBadDate
		}
	}
	start := time.Date(year, time.Month(month), day, hour, minute, sec, nsec, loc)
	end := step(start)
	return dateRange{Lo: start.UnixMilli(), Hi: end.UnixMilli() - 1}, nil
}

func daysIn(year, month int) int {
	return time.Date(year, time.Month(month)+1, 0, 0, 0, 0, 0, time.UTC).Day()
}
