package mongo

import (
	"math"
	"strings"

	"github.com/rorfhir/ror/store"
)

// Flat index keys. Every search value of a resource becomes one or more strings in a multikey
// array field of its `resources` document, each naming its parameter, so that a condition on one
// value is a single equality, $in or anchored prefix on one field (no $elemMatch, which FerretDB
// silently mis-handles). Layout: [tag] param SEP value.
//
// Ranges cannot use such keys: on an array, {$gte: a, $lt: b} may be satisfied by two different
// elements (one of another parameter). So dates, numbers and coordinates are numbers in one array
// per parameter (dlo.<param>, num.<param>...): a single comparison on it is exact; several
// comparisons that must hold on the same value form a superset, finished in Go.
const (
	sep    = "\x1f" // between parameter and value parts; below every printable character
	sepEnd = "\x20" // sep+1: upper bound of all keys of one parameter
)

// Field names of the flat keys in `resources` documents.
const (
	fTok = "tok" // tokens: s/c/y/x tags
	fStr = "str" // strings: n (normalised) / e (exact) tags
	fRef = "ref" // references: t (Type/id) / i (id) / y (type) / u (url) tags
	fURI = "uri" // uris
	fDLo = "dlo" // date low bounds: dlo.<param> = [Unix ms]
	fDHi = "dhi" // date high bounds
	fNum = "num" // numbers and quantity values: num.<param> = [float]
	fLat = "lat" // coordinates: lat.<param> = [degrees]
	fLon = "lon" // coordinates: lon.<param> = [degrees]
	fHas = "has" // kind letter + param for every parameter with a value (:missing)
	fSo  = "so"  // sort keys: sub-document param -> key
)

// Tags of token, string and reference keys.
const (
	tagSysCode = "s" // token system|code (also |code)
	tagCode    = "c" // token code, any system
	tagSys     = "y" // token system|, any code
	tagText    = "x" // token :text
	tagNorm    = "n" // string normalised
	tagExact   = "e" // string as in the resource
	tagRefTID  = "t" // reference Type/id
	tagRefID   = "i" // reference id, any type
	tagRefType = "y" // reference type (:Type)
	tagRefURL  = "u" // reference URL
)

func key(tag, param string, parts ...string) string {
	return tag + param + sep + strings.Join(parts, sep)
}

// kindLetter names a Kind in `has` keys.
func kindLetter(k store.Kind) string {
	return string(rune('a' + int(k)))
}

func hasKey(k store.Kind, param string) string { return kindLetter(k) + param }

// sortField is the document path of a parameter's sort key. Parameters are opaque strings:
// characters that MongoDB gives a meaning in field names are escaped.
func sortField(param string) string { return fSo + "." + escField(param) }

// valueField is the document path of a parameter's numeric values of one kind (fDLo...).
func valueField(kind, param string) string { return kind + "." + escField(param) }

// escField makes a parameter usable as a field name.
func escField(param string) string {
	return strings.NewReplacer("%", "%25", ".", "%2E", "$", "%24").Replace(param)
}

// flatKeys returns the flat key arrays of ix (nil arrays omitted by the caller).
type flatKeys struct {
	Tok, Str, Ref, URI, Has []string
	DLo, DHi                map[string][]int64
	Num, Lat, Lon           map[string][]float64
	So                      map[string]string
}

func buildKeys(ix store.Index) flatKeys {
	var k flatKeys
	seen := map[string]bool{}
	has := func(kind store.Kind, p string) {
		h := hasKey(kind, p)
		if !seen[h] {
			seen[h] = true
			k.Has = append(k.Has, h)
		}
	}
	for _, v := range ix.Tokens {
		has(store.KindToken, v.Param)
		k.Tok = append(k.Tok, key(tagSysCode, v.Param, v.System, v.Code), key(tagCode, v.Param, v.Code),
			key(tagSys, v.Param, v.System))
		if v.Text != "" {
			k.Tok = append(k.Tok, key(tagText, v.Param, v.Text))
		}
	}
	for _, v := range ix.Strings {
		has(store.KindString, v.Param)
		k.Str = append(k.Str, key(tagNorm, v.Param, v.Norm), key(tagExact, v.Param, v.Exact))
	}
	for _, v := range ix.References {
		has(store.KindReference, v.Param)
		if v.ID != "" {
			k.Ref = append(k.Ref, key(tagRefTID, v.Param, v.Type+"/"+v.ID), key(tagRefID, v.Param, v.ID))
		}
		if v.Type != "" {
			k.Ref = append(k.Ref, key(tagRefType, v.Param, v.Type))
		}
		if v.URL != "" {
			k.Ref = append(k.Ref, key(tagRefURL, v.Param, v.URL))
		}
	}
	for _, v := range ix.URIs {
		has(store.KindURI, v.Param)
		k.URI = append(k.URI, key("", v.Param, v.URI))
	}
	for _, v := range ix.Dates {
		has(store.KindDate, v.Param)
		k.DLo = addValue(k.DLo, v.Param, v.Lo)
		k.DHi = addValue(k.DHi, v.Param, v.Hi)
	}
	for _, v := range ix.Numbers {
		has(store.KindNumber, v.Param)
		if !math.IsNaN(v.Value) {
			k.Num = addValue(k.Num, v.Param, v.Value)
		}
	}
	for _, v := range ix.Coords {
		has(store.KindNear, v.Param)
		k.Lat = addValue(k.Lat, v.Param, v.Lat)
		k.Lon = addValue(k.Lon, v.Param, v.Lon)
	}
	if len(ix.Sorts) > 0 {
		k.So = make(map[string]string, len(ix.Sorts))
		for _, v := range ix.Sorts {
			if _, dup := k.So[escField(v.Param)]; !dup {
				k.So[escField(v.Param)] = v.Key
			}
		}
	}
	k.Tok, k.Str, k.Ref, k.URI = dedup(k.Tok), dedup(k.Str), dedup(k.Ref), dedup(k.URI)
	return k
}

func dedup(s []string) []string {
	if len(s) < 2 {
		return s
	}
	seen := make(map[string]bool, len(s))
	out := s[:0]
	for _, x := range s {
		if !seen[x] {
			seen[x] = true
			out = append(out, x)
		}
	}
	return out
}

func addValue[V int64 | float64](m map[string][]V, param string, v V) map[string][]V {
	if m == nil {
		m = map[string][]V{}
	}
	f := escField(param)
	m[f] = append(m[f], v)
	return m
}
