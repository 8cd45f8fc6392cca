package api

import (
	"net/http"
	"strconv"

	"github.com/rorfhir/ror/internal/auth"
	"github.com/rorfhir/ror/internal/service"
	"github.com/rorfhir/ror/store"
)

// entryAnswer is the answer to one entry of a batch or transaction: Bundle.entry.fullUrl,
// resource and response.
type entryAnswer struct {
	fullURL  string
	resource []byte
	status   int
	location string
	version  store.Version // etag and lastModified, when VersionID > 0
	outcome  []byte
}

// bundleResponse encodes the batch-response or transaction-response: one entry per request
// entry, in order, each answered as the same interaction sent alone would be (status, Location,
// ETag, Last-Modified, the resource or the OperationOutcome the client prefers).
func (s *server) bundleResponse(r *http.Request, res service.BundleResult) []byte {
	base := s.fhirBase(r)
	ret := preferReturn(r)
	w := bundleWriter{base: base}
	w.start(res.Type, s.now(), -1)
	for _, e := range res.Entries {
		a := s.answerEntry(base, ret, e)
		if e.Head {
			a.resource = nil
		}
		w.entryAnswer(a)
	}
	return w.bytes()
}

// answerEntry is the answer to entry e.
func (s *server) answerEntry(base, ret string, e service.EntryResult) entryAnswer {
	switch {
	case e.Err != nil:
		f := failureOf(e.Err)
		return entryAnswer{status: f.status, outcome: f.outcome, version: f.tombstone}
	case e.Search != nil:
		return entryAnswer{status: http.StatusOK, resource: s.searchset(base, e.SearchType, *e.Search)}
	case !e.Interaction.IsWrite():
		v := e.Read
		return entryAnswer{status: http.StatusOK, fullURL: base + "/" + v.Type + "/" + v.ID, resource: v.Body, version: v}
	case e.Interaction == auth.Delete:
		a := entryAnswer{status: http.StatusNoContent, version: e.Write.Version}
		if ret == "OperationOutcome" {
			a.outcome = deleteOutcome(e.Write.Version.Type, e.Write.Version.ID, e.Write)
		}
		return a
	}
	v := e.Write.Version
	a := entryAnswer{status: writeStatus(e.Write), fullURL: base + "/" + v.Type + "/" + v.ID, version: v,
		location: base + "/" + v.Type + "/" + v.ID + "/_history/" + strconv.FormatInt(v.VersionID, 10)}
	switch {
	case ret == "OperationOutcome":
		a.outcome = writeOutcome(e.Write)
	case ret != "minimal":
		a.resource = v.Body
	}
	if a.outcome == nil && len(e.Write.Warnings) > 0 {
		a.outcome = outcomeJSON(e.Write.Warnings, "")
	}
	return a
}

// entryAnswer adds the answer to one entry of a batch or transaction.
func (w *bundleWriter) entryAnswer(a entryAnswer) {
	w.nextEntry()
	w.buf.WriteByte('{')
	if a.fullURL != "" {
		w.buf.WriteString(`"fullUrl":`)
		writeJSONString(&w.buf, a.fullURL)
		w.buf.WriteByte(',')
	}
	if len(a.resource) > 0 {
		w.buf.WriteString(`"resource":`)
		w.buf.Write(a.resource)
		w.buf.WriteByte(',')
	}
	w.buf.WriteString(`"response":{"status":`)
	writeJSONString(&w.buf, strconv.Itoa(a.status)+" "+http.StatusText(a.status))
	if a.location != "" {
		w.buf.WriteString(`,"location":`)
		writeJSONString(&w.buf, a.location)
	}
	if a.version.VersionID > 0 {
		w.buf.WriteString(`,"etag":`)
		writeJSONString(&w.buf, etag(a.version.VersionID))
		w.buf.WriteString(`,"lastModified":`)
		writeJSONString(&w.buf, a.version.LastUpdated.UTC().Format("2006-01-02T15:04:05.000Z07:00"))
	}
	if len(a.outcome) > 0 {
		w.buf.WriteString(`,"outcome":`)
		w.buf.Write(a.outcome)
	}
	w.buf.WriteString(`}}`)
}
