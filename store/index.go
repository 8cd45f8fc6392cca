package store

// Index holds the search values extracted from one resource version at write time, in flat,
// index-friendly form. The search layer (fhir/search) produces it; backends store it next to the
// current version and query it with equality, IN, ranges and anchored prefixes only, so that one
// query plan works in SQL, in MongoDB and in FerretDB.
//
// Param is the search parameter code as the query names it ("identifier", "name", "_lastUpdated",
// ...). The search layer may add derived entries under synthetic names (for example
// "organization:identifier" for the :identifier modifier of a reference): backends treat every Param
// as an opaque string.
type Index struct {
	Tokens     []TokenValue
	Strings    []StringValue
	Dates      []DateValue
	Numbers    []NumberValue
	References []ReferenceValue
	URIs       []URIValue
	Coords     []CoordValue
	Sorts      []SortValue
}

// TokenValue is a coded value, identifier, boolean or id.
type TokenValue struct {
	Param  string
	System string // "" when the value has no system
	Code   string
	Text   string // accent-folded, lower-cased display/text, for :text ("" if none)
}

// StringValue is a string searched by prefix, :exact and :contains.
type StringValue struct {
	Param string
	Norm  string // accent-folded, lower-cased, spaces collapsed (prefix and :contains)
	Exact string // as in the resource (:exact)
}

// DateValue is a date, dateTime, instant or Period as an inclusive range of Unix milliseconds.
// An open end is math.MinInt64 or math.MaxInt64.
type DateValue struct {
	Param string
	Lo    int64
	Hi    int64
}

// NumberValue is a number, or a quantity with its unit system and code.
type NumberValue struct {
	Param  string
	Value  float64
	System string // quantity unit system ("" for plain numbers)
	Code   string // quantity unit code ("" for plain numbers)
}

// ReferenceValue is a reference. Local references ("Organization/123", or a full URL on this
// server's base) have Type and ID; other references keep the URL.
type ReferenceValue struct {
	Param string
	Type  string
	ID    string
	URL   string
}

// URIValue is a uri, url or canonical value.
type URIValue struct {
	Param string
	URI   string
}

// CoordValue is a geographic position (WGS84 degrees), for near.
type CoordValue struct {
	Param string
	Lat   float64
	Lon   float64
}

// SortValue is the sort key of a parameter for one resource: a string whose byte-wise order is the
// order of the values (the search layer encodes dates and numbers so that it holds). A resource
// without a value for a parameter has no SortValue for it and sorts last in either direction.
type SortValue struct {
	Param string
	Key   string
}
