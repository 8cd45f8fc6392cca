package api

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/rorfhir/ror/store"
)

// read: GET [base]/{type}/{id}.
func (s *server) read(c echo.Context, typ string) error {
	v, err := s.svc.Read(c.Request().Context(), typ, c.Param("id"))
	if err != nil {
		return err
	}
	return sendVersion(c, v)
}

// vread: GET [base]/{type}/{id}/_history/{vid}.
func (s *server) vread(c echo.Context, typ string) error {
	v, err := s.svc.VRead(c.Request().Context(), typ, c.Param("id"), c.Param("vid"))
	if err != nil {
		return err
	}
	return sendVersion(c, v)
}

// sendVersion answers a read with the stored bytes, ETag and Last-Modified, or 304 when the
// client's copy is current (If-None-Match, else If-Modified-Since).
func sendVersion(c echo.Context, v store.Version) error {
	h := c.Response().Header()
	tag := etag(v.VersionID)
	lastMod := v.LastUpdated.UTC().Format(http.TimeFormat)
	h["Etag"] = []string{tag}
	h["Last-Modified"] = []string{lastMod}
	if notModified(c.Request(), v, tag) {
		return c.NoContent(http.StatusNotModified)
	}
	return c.Blob(http.StatusOK, contentTypeFHIR, v.Body)
}

// notModified evaluates If-None-Match (any listed tag equal, weak comparison, or *) and, when
// absent, If-Modified-Since (second precision, as HTTP dates have).
func notModified(r *http.Request, v store.Version, tag string) bool {
	if inm := r.Header.Get("If-None-Match"); inm != "" {
		for _, t := range strings.Split(inm, ",") {
			t = strings.TrimSpace(t)
			if t == "*" || strings.TrimPrefix(t, "W/") == strings.TrimPrefix(tag, "W/") {
				return true
			}
		}
		return false
	}
	if ims := r.Header.Get("If-Modified-Since"); ims != "" {
		t, err := http.ParseTime(ims)
		if err != nil {
			return false
		}
		return !v.LastUpdated.Truncate(time.Second).After(t)
	}
	return false
}

// etag is the weak entity tag of a version: W/"n".
func etag(vid int64) string {
	b := make([]byte, 0, 24)
	b = append(b, `W/"`...)
	b = strconv.AppendInt(b, vid, 10)
	b = append(b, '"')
	return string(b)
}
