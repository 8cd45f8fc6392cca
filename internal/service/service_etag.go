package service

import (
	"strconv"
	"strings"

	"github.com/rorfhir/ror/fhir/fherr"
)

// ParseIfMatch reads an If-Match value, W/"n" (or "n", or n): the version the client expects to
// be current; 0 when v is empty; 400 when it is not a version tag.
func ParseIfMatch(v string) (int64, error) { return parseVersionTag("If-Match", v) }

// parseVersionTag reads a version tag given in what (a header or a Bundle element).
func parseVersionTag(what, v string) (int64, error) {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0, nil
	}
	n, err := strconv.ParseInt(strings.Trim(strings.TrimPrefix(v, "W/"), `"`), 10, 64)
	if err != nil || n <= 0 {
		return 0, fherr.Invalid("invalid", "", `%s %q is not a version tag such as W/"3"`, what, v)
	}
	return n, nil
}
