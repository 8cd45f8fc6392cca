package store

// Query is a search already parsed and normalised by the search layer: FHIR prefixes, modifiers
// and precision are turned into the simple predicates below, so that every backend evaluates the
// same thing.
type Query struct {
	Type  string   // resource type searched (required)
	Where []Clause // all clauses must hold (a repeated FHIR parameter is several clauses)
	// Sort lists the sort keys, first is major. Results are always finally ordered by ID ascending,
	// which makes the order total (the keyset). Empty Sort = by ID ascending.
	Sort []SortKey
	// Count is the page size. 0 returns no resources (with Total when asked).
	Count int
	// After is the keyset position: results strictly after it in the query's order.
	After *Position
	// MaxSeq, when > 0, hides resources whose current version has Seq > MaxSeq (the snapshot of
	// the first page), so that following pages never repeat a resource updated meanwhile.
	MaxSeq int64
	// Total asks for the exact number of matches (ignoring Count, After).
	Total bool
	// TotalCap, when > 0 and Total is false, asks for a cheap total: SearchResult.Total is the
	// exact number of matches when there are at most TotalCap (the store counts no further than
	// TotalCap+1), else an estimate above TotalCap extrapolated from a bounded sample of the
	// type's resources (never a count of every match).
	TotalCap int
}

// SortKey is one sort criterion: a parameter whose SortValue is compared, or "_id".
type SortKey struct {
	Param string
	Desc  bool
	// Near, when set, makes Param a near parameter (CoordValue) and the key the great-circle
	// distance (DistanceKm) from Near to the resource's nearest position of Param, nearest first
	// unless Desc. A resource without a position sorts last in either direction. Its Position
	// key is DistanceKey of that distance.
	Near *Point
	// KeyMin and KeyMax, when set on the first key, bound its values over every match of the
	// query: the caller guarantees that each match has a value of this key, within [KeyMin,
	// KeyMax] (byte-wise, as SortValue.Key). They change no result; a store may use them to read
	// the key's index in that range only and to skip the resources without the key.
	KeyMin, KeyMax *string
}

// Point is a WGS84 position in degrees.
type Point struct {
	Lat, Lon float64
}

// Position is where a page ended: the last resource's sort key values (one per Query.Sort entry,
// nil for a resource without a value) and its ID.
type Position struct {
	Keys []*string
	ID   string
}

// SearchResult is one page of matches.
type SearchResult struct {
	Matches []Version
	// Next is the position to continue from, nil when this page is the last.
	Next *Position
	// Total is the number of matches when Query.Total was set (or its bounded count or estimate
	// when Query.TotalCap was), else -1.
	Total int
	// MaxSeq is the highest Seq of the store when the search ran (to pin Query.MaxSeq on the
	// following pages).
	MaxSeq int64
}

// Clause holds when any of its conditions holds (FHIR comma = OR).
type Clause struct {
	Any []Cond
}

// Kind says which Index values a condition reads.
type Kind int

// Kinds of condition.
const (
	KindToken Kind = iota + 1
	KindString
	KindDate
	KindNumber
	KindReference
	KindURI
	KindNear
	KindHas // reverse chaining; see Cond.Has
	KindOr  // nested alternatives (_filter's or, not and parentheses); see Cond.Or
)

// Op is the operator of a condition, per kind.
type Op int

// Operators.
const (
	// OpEq: token, reference, uri: equality as described on Cond. string: Norm equals Value.
	OpEq       Op = iota
	OpPrefix      // string: Norm starts with Value (anchored; Value is already folded)
	OpExact       // string: Exact equals Value
	OpContains    // string: Norm contains Value
	OpText        // token: Text starts with Value (folded)
	OpAbove       // uri: the stored URI is a prefix of Value (Value is below it)
	OpBelow       // uri: Value is a prefix of the stored URI
	OpRange       // date, number: every Bound holds for one value
	OpMissing     // any kind: see Cond.Missing
)

// BoundField names which stored end a Bound compares.
type BoundField int

// Bound fields.
const (
	FieldLo    BoundField = iota // DateValue.Lo
	FieldHi                      // DateValue.Hi
	FieldValue                   // NumberValue.Value
)

// CmpOp compares a stored field with a Bound value.
type CmpOp int

// Comparisons.
const (
	CmpLT CmpOp = iota
	CmpLE
	CmpGT
	CmpGE
)

// Bound is one comparison: stored field <Cmp> Value.
type Bound struct {
	Field BoundField
	Cmp   CmpOp
	Value float64 // Unix milliseconds for dates
}

// Cond is one condition on one parameter's values. A resource matches when one of its values of
// Param satisfies it (or, with Not, when none does).
type Cond struct {
	Param string
	Kind  Kind
	Op    Op
	// Not inverts the condition: the resource has no value of Param satisfying it (:not, ne).
	Not bool

	// Token (OpEq): Code must equal Code unless AnyCode; System must equal System unless AnySystem.
	// "code" = AnySystem; "system|code" = both; "|code" = System "" ; "system|" = AnyCode.
	System    string
	Code      string
	AnySystem bool
	AnyCode   bool

	// String, URI, token :text: the value compared (already folded where the op says so).
	Value string

	// Date and number (OpRange): every bound must hold for the same stored value. Number
	// conditions may also require a unit: when UnitSystem or UnitCode is not "", it must match.
	Bounds     []Bound
	UnitSystem string
	UnitCode   string

	// Reference (OpEq): Type and ID when ID != "" (Type "" = any type); URL when URL != "";
	// Type alone (ID and URL "") = any reference to that type (:Type modifier).
	// Target, when set, is a chained search: the reference must point to a resource of
	// Target.Type matching Target (its Sort, Count, After and Total are ignored).
	Type   string
	ID     string
	URL    string
	Target *Query

	// Near: the resource has a position within Km kilometres of (Lat, Lon) (great-circle distance).
	Lat, Lon, Km float64

	// Missing (OpMissing): true = the resource has no value of Param; false = it has one.
	Missing bool

	// Has (KindHas): some resource of Has.Type matching Has.Where references this resource
	// through its reference parameter Has.Param.
	Has *HasCond

	// Or (KindOr): the resource satisfies every clause of at least one alternative (with Not: of
	// none). Param and Op are ignored. Alternatives may nest (a Cond of an alternative's clause may
	// itself be KindOr), and may hold chains and reverse chains.
	Or [][]Clause
}

// HasCond is a reverse chain (_has:Type:param:...).
type HasCond struct {
	Type  string
	Param string
	Where []Clause
}
