package api

import (
	"bytes"
	"strconv"
	"time"
	"unicode/utf8"

	"github.com/rorfhir/ror/store"
)

// bundleWriter writes a Bundle by hand so that entries embed the stored resource bytes as they
// are (encoding/json would re-compact and re-validate them).
type bundleWriter struct {
	buf     bytes.Buffer
	base    string // FHIR base URL, for fullUrl
	entries int
}

// grow makes room for a Bundle of n entries holding the bodies of vss, so that a page of
// several hundred kilobytes is written without copying it again at each doubling.
func (w *bundleWriter) grow(n int, vss ...[]store.Version) {
	size := 512 + n*(len(w.base)+128)
	for _, vs := range vss {
		for _, v := range vs {
			size += len(v.Type) + len(v.ID) + len(v.Body)
		}
	}
	w.buf.Grow(size)
}

// start writes the Bundle's head: type, timestamp, total (when >= 0) and links (relation, url
// pairs).
func (w *bundleWriter) start(typ string, at time.Time, total int, links ...string) {
	w.buf.WriteString(`{"resourceType":"Bundle","type":`)
	writeJSONString(&w.buf, typ)
	w.buf.WriteString(`,"timestamp":`)
	writeJSONString(&w.buf, at.UTC().Format("2006-01-02T15:04:05.000Z07:00"))
	if total >= 0 {
		w.buf.WriteString(`,"total":`)
		w.buf.WriteString(strconv.Itoa(total))
	}
	if len(links) > 0 {
		w.buf.WriteString(`,"link":[`)
		for i := 0; i+1 < len(links); i += 2 {
			if i > 0 {
				w.buf.WriteByte(',')
			}
			w.buf.WriteString(`{"relation":`)
			writeJSONString(&w.buf, links[i])
			w.buf.WriteString(`,"url":`)
			writeJSONString(&w.buf, links[i+1])
			w.buf.WriteByte('}')
		}
		w.buf.WriteByte(']')
	}
}

// nextEntry opens the entry array, or separates the next entry from the previous one.
func (w *bundleWriter) nextEntry() {
	if w.entries == 0 {
		w.buf.WriteString(`,"entry":[`)
	} else {
		w.buf.WriteByte(',')
	}
	w.entries++
}

// startEntry opens the next entry with its fullUrl.
func (w *bundleWriter) startEntry(fullURL string) {
	w.nextEntry()
	w.buf.WriteString(`{"fullUrl":`)
	writeJSONString(&w.buf, fullURL)
}

func (w *bundleWriter) openEntry(v store.Version) {
	w.startEntry(w.base + "/" + v.Type + "/" + v.ID)
	if !v.Deleted && len(v.Body) > 0 {
		w.buf.WriteString(`,"resource":`)
		w.buf.Write(v.Body)
	}
}

// match adds a search match.
func (w *bundleWriter) match(v store.Version) {
	w.openEntry(v)
	w.buf.WriteString(`,"search":{"mode":"match"}}`)
}

// included adds a resource added by _include or _revinclude.
func (w *bundleWriter) included(v store.Version) {
	w.openEntry(v)
	w.buf.WriteString(`,"search":{"mode":"include"}}`)
}

// raw adds an entry holding a resource already encoded, with its fullUrl and search mode.
func (w *bundleWriter) raw(fullURL string, resource []byte, mode string) {
	w.startEntry(fullURL)
	w.buf.WriteString(`,"resource":`)
	w.buf.Write(resource)
	w.buf.WriteString(`,"search":{"mode":`)
	writeJSONString(&w.buf, mode)
	w.buf.WriteString(`}}`)
}

// outcome adds a search outcome entry (an OperationOutcome already encoded).
func (w *bundleWriter) outcome(oo []byte) {
	w.nextEntry()
	w.buf.WriteString(`{"resource":`)
	w.buf.Write(oo)
	w.buf.WriteString(`,"search":{"mode":"outcome"}}`)
}

// version adds a history entry: the version with its request and response.
func (w *bundleWriter) version(v store.Version) {
	w.openEntry(v)
	method, status := "PUT", "200 OK"
	switch {
	case v.Deleted:
		method, status = "DELETE", "204 No Content"
	case v.Method == "PUT" && v.VersionID == 1:
		status = "201 Created" // an update-as-create: replayed under its own id
	case v.Method == "POST" || v.Method == "" && v.VersionID == 1:
		// a create with a server-assigned id (or a version 1 stored before the method was kept)
		method, status = "POST", "201 Created"
	}
	url := v.Type + "/" + v.ID
	if method == "POST" {
		url = v.Type
	}
	w.buf.WriteString(`,"request":{"method":"` + method + `","url":`)
	writeJSONString(&w.buf, url)
	w.buf.WriteString(`},"response":{"status":"` + status + `","etag":`)
	writeJSONString(&w.buf, etag(v.VersionID))
	w.buf.WriteString(`,"lastModified":`)
	writeJSONString(&w.buf, v.LastUpdated.UTC().Format("2006-01-02T15:04:05.000Z07:00"))
	w.buf.WriteString(`}}`)
}

// bytes closes the Bundle and returns it.
func (w *bundleWriter) bytes() []byte {
	if w.entries > 0 {
		w.buf.WriteByte(']')
	}
	w.buf.WriteByte('}')
	return w.buf.Bytes()
}

// writeJSONString writes s as a JSON string.
func writeJSONString(b *bytes.Buffer, s string) {
	const hex = "0123456789abcdef"
	b.WriteByte('"')
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			switch {
			case c == '"' || c == '\\':
				b.WriteByte('\\')
				b.WriteByte(c)
			case c < 0x20:
				b.WriteString(`\u00`)
				b.WriteByte(hex[c>>4])
				b.WriteByte(hex[c&0xf])
			default:
				b.WriteByte(c)
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b.WriteString(`\ufffd`)
		} else {
			b.WriteString(s[i : i+size])
		}
		i += size
	}
	b.WriteByte('"')
}
