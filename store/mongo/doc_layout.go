package mongo

import (
	"math"
	"strconv"
	"time"

	"github.com/rorfhir/ror/store"
)

// Collections.
const (
	collVersions  = "versions"  // one document per version (the source of truth)
	collResources = "resources" // the current version of each resource, with its flat index keys
)

// noEnd is the `end` of a version not superseded yet.
const noEnd = math.MaxInt64

// versionDoc is one version in `versions`. The unique index on (type, id, v) is the version lock:
// of several writers inserting the same version, exactly one succeeds.
type versionDoc struct {
	Key     string       `bson:"_id"` // type/id/v
	Type    string       `bson:"type"`
	ID      string       `bson:"id"`
	V       int64        `bson:"v"`
	Seq     int64        `bson:"seq"`
	LU      int64        `bson:"lu"`  // LastUpdated, Unix ms
	End     int64        `bson:"end"` // LastUpdated of the next version (noEnd while current)
	Deleted bool         `bson:"del"`
	Body    []byte       `bson:"body,omitempty"`
	Pending bool         `bson:"pend,omitempty"` // written, current pointer not yet moved
	Method  string       `bson:"m,omitempty"`    // store.Write.Method
	Index   *store.Index `bson:"ix,omitempty"`   // kept until superseded, to roll the pointer forward
}

// resourceDoc is the current version of one resource in `resources`, with its search keys.
// Tombstones stay (Deleted, no body, no keys) so that the pointer only moves forward.
type resourceDoc struct {
	Key     string               `bson:"_id"` // type/id
	Type    string               `bson:"type"`
	ID      string               `bson:"id"`
	V       int64                `bson:"v"`
	Seq     int64                `bson:"seq"`
	LU      int64                `bson:"lu"`
	Deleted bool                 `bson:"del"`
	Body    []byte               `bson:"body,omitempty"`
	Tok     []string             `bson:"tok,omitempty"`
	Str     []string             `bson:"str,omitempty"`
	Ref     []string             `bson:"ref,omitempty"`
	URI     []string             `bson:"uri,omitempty"`
	DLo     map[string][]int64   `bson:"dlo,omitempty"`
	DHi     map[string][]int64   `bson:"dhi,omitempty"`
	Num     map[string][]float64 `bson:"num,omitempty"`
	Lat     map[string][]float64 `bson:"lat,omitempty"`
	Lon     map[string][]float64 `bson:"lon,omitempty"`
	Has     []string             `bson:"has,omitempty"`
	So      map[string]string    `bson:"so,omitempty"`
	Index   *store.Index         `bson:"ix,omitempty"` // the raw values, for checks done in Go
}

func resourceKey(typ, id string) string { return typ + "/" + id }

func versionKey(typ, id string, v int64) string {
	return typ + "/" + id + "/" + strconv.FormatInt(v, 10)
}

func newVersionDoc(w store.Write, seq int64) versionDoc {
	d := versionDoc{
		Key: versionKey(w.Type, w.ID, w.VersionID), Type: w.Type, ID: w.ID, V: w.VersionID, Seq: seq,
		LU: w.LastUpdated.UnixMilli(), End: noEnd, Deleted: w.Deleted, Pending: true, Method: w.Method,
	}
	if !w.Deleted {
		d.Body = w.Body
		ix := w.Index
		d.Index = &ix
	}
	return d
}

// current builds the `resources` document of a version.
func (d versionDoc) current() resourceDoc {
	r := resourceDoc{
		Key: resourceKey(d.Type, d.ID), Type: d.Type, ID: d.ID, V: d.V, Seq: d.Seq, LU: d.LU,
		Deleted: d.Deleted, Body: d.Body,
	}
	if d.Deleted || d.Index == nil {
		return r
	}
	k := buildKeys(*d.Index)
	r.Tok, r.Str, r.Ref, r.URI = k.Tok, k.Str, k.Ref, k.URI
	r.DLo, r.DHi, r.Num, r.Lat, r.Lon = k.DLo, k.DHi, k.Num, k.Lat, k.Lon
	r.Has, r.So = k.Has, k.So
	r.Index = d.Index
	return r
}

func (d versionDoc) version() store.Version {
	v := toVersion(d.Type, d.ID, d.V, d.Seq, d.LU, d.Deleted, d.Body)
	v.Method = d.Method
	return v
}

func (r resourceDoc) version() store.Version {
	return toVersion(r.Type, r.ID, r.V, r.Seq, r.LU, r.Deleted, r.Body)
}

func toVersion(typ, id string, v, seq, lu int64, del bool, body []byte) store.Version {
	out := store.Version{Type: typ, ID: id, VersionID: v, Seq: seq, LastUpdated: time.UnixMilli(lu).UTC(),
		Deleted: del}
	if !del {
		out.Body = body
		if out.Body == nil {
			out.Body = []byte{}
		}
	}
	return out
}
