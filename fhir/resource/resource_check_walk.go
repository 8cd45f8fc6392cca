package resource

import (
	"bytes"
	"encoding/base64"
	"math"
	"net/url"
	"strconv"
	"time"
	"unicode/utf8"

	"github.com/rorfhir/ror/fhir/fherr"
)

// checkWalk is the fast path of CheckStructure: one scan of body (valid JSON: the caller checked)
// against the tables of resource_check_table.go. ok means the walk vouches for Parse's and
// jsonformat's decisions: the body is one object with resourceType typ, accepted, with warnings
// for the unknown elements (exactly the ones jsonformat strips). Whatever Parse checks, the walk
// checks too (duplicate members, resourceType, id syntax, types of meta's elements). When it is not sure (any error, but also rare valid forms
// it does not handle: nulls, escapes in keys, upper-case keys, primitives with an extension and no
// value, base64 with spaces...) it says !ok and the caller runs jsonformat.
//
// Every check is as strict as jsonformat's or stricter; where jsonformat skips a check (inside
// contained resources it validates neither required elements nor reference types) the walk still
// makes it, which only sends more bodies to the fallback.
func checkWalk(typ string, body []byte) (warnings []fherr.Issue, ok bool) {
	t := tables()
	m := t.resources[typ]
	i := skipSpace(body, 0)
	if m == nil || i >= len(body) {
		return nil, false
	}
	var slots [64]uint64
	var path [12]pathSeg
	w := walker{t: t, b: body, slots: slots[:0], path: append(path[:0], pathSeg{name: typ, idx: -1})}
	w.object(i, m, true, nil)
	if w.bad {
		return nil, false
	}
	return w.warnings, true
}

// pathSeg is one step of the FHIRPath of the element being walked: name, then [idx] when idx >= 0.
type pathSeg struct {
	name string
	idx  int
}

// Bits of a slot (one per proto field of the object being walked).
const (
	slotValue  = 1 << 0 // the key "x" was seen
	slotExt    = 1 << 1 // the key "_x" was seen
	slotEmpty  = 1 << 2 // "x" or "_x" was an empty array (jsonformat sets nothing)
	choiceBits = 8      // the choice type seen, 1-based, from this bit
	lenShift   = 32     // the length of the first of "x" and "_x" (arrays), from this bit
)

type walker struct {
	t        *checkTables
	b        []byte
	bad      bool      // the walk cannot vouch for the body
	slots    []uint64  // a stack: the slots of each object being walked
	path     []pathSeg // FHIRPath of the element being walked (for warnings)
	warnings []fherr.Issue
	scratch  []byte // unescaped strings
	bin      []byte // decoded base64
}

// object walks the object at b[i] with table m and returns the index after it. resource: the
// object is a resource (its "resourceType" is not an element); ctx: the key that holds the
// object (its reference target types when m is Reference).
func (w *walker) object(i int, m *msgInfo, resource bool, ctx *keyInfo) int {
	b := w.b
	if b[i] != '{' {
		w.bad = true
		return i
	}
	obj, base := i, len(w.slots)
	w.slots = append(w.slots, make([]uint64, m.slots)...)
	pending := 0 // "_x" seen without "x"
	hasType := false
	i = skipSpace(b, i+1)
	for b[i] != '}' {
		kEnd, esc := stringEnd(b, i)
		key := b[i+1 : kEnd-1]
		i = skipSpace(b, kEnd)
		i = skipSpace(b, i+1) // ':'
		if esc {
			w.bad = true
			return i
		}
		ki := m.keys[string(key)]
		switch {
		case resource && string(key) == "resourceType":
			// Not an element; the type of the resource, once (what Parse checks for the
			// top-level resource, resourceTypeOf for a contained one).
			end, esc := stringEnd(b, i)
			if hasType || b[i] != '"' || esc || string(b[i+1:end-1]) != m.name {
				w.bad = true
				return i
			}
			hasType, i = true, end
		case ki == nil:
			end := skipValue(b, i)
			if !w.unknown(key, b[i:end]) {
				return i
			}
			i = end
		case ki.kind == kUnsupported:
			w.bad = true
			return i
		default:
			s := w.slots[base+ki.slot]
			flag, other := uint64(slotValue), uint64(slotExt)
			if ki.underscore {
				flag, other = slotExt, slotValue
			}
			if s&(flag|slotEmpty) != 0 { // the same key twice, two types of one choice, [] and more
				w.bad = true
				return i
			}
			if ki.choice != 0 {
				if c := s >> choiceBits & 0xffff; c != 0 && c != uint64(ki.choice) {
					w.bad = true
					return i
				}
				s |= uint64(ki.choice) << choiceBits
			}
			if s&other == 0 {
				if ki.underscore {
					pending++
				}
			} else if !ki.underscore {
				pending--
			}
			w.path = append(w.path, pathSeg{name: ki.name, idx: -1})
			var n int
			i, n = w.member(obj, i, ki, ctx)
			w.path = w.path[:len(w.path)-1]
			if w.bad {
				return i
			}
			switch {
			case ki.repeated && n == 0: // not there, as far as "required" is concerned
				if s&(slotValue|slotExt) != 0 {
					w.bad = true // jsonformat's result depends on the order of the keys
					return i
				}
				flag = slotEmpty
			case ki.repeated:
				if s&other != 0 && uint64(n) != s>>lenShift {
					w.bad = true // "x" and "_x" of different lengths
					return i
				}
				s = s&(1<<lenShift-1) | uint64(n)<<lenShift
			}
			w.slots[base+ki.slot] = s | flag
		}
		i = skipSpace(b, i)
		if b[i] == ',' {
			i = skipSpace(b, i+1)
		}
	}
	for _, r := range m.required {
		if w.slots[base+r]&slotValue == 0 {
			w.bad = true
			return i
		}
	}
	if pending != 0 || resource && !hasType {
		w.bad = true
		return i
	}
	w.slots = w.slots[:base]
	return i + 1
}

// unknown records key (with value raw) as an unknown element of the object being walked, as
// jsonformat does, unless jsonformat might read it as a known one (it lower-cases the first
// letter), the key is not plain text, or jsoniter might refuse the value (see rawOK).
func (w *walker) unknown(key, raw []byte) bool {
	k := key
	if len(k) > 0 && k[0] == '_' {
		k = k[1:]
	}
	if len(k) > 0 && 'A' <= k[0] && k[0] <= 'Z' || !utf8.Valid(key) || !rawOK(raw) {
		w.bad = true
		return false
	}
	var p []byte
	for j, s := range w.path {
		if j > 0 {
			p = append(p, '.')
		}
		p = append(p, s.name...)
		if s.idx >= 0 {
			p = append(p, '[')
			p = strconv.AppendInt(p, int64(s.idx), 10)
			p = append(p, ']')
		}
	}
	w.warnings = append(w.warnings, unknownIssue(unknownElem{path: string(p), key: string(key)}, "warning"))
	return true
}

// member walks the value of key ki at b[i], a member of the object at b[obj]; n is the length of
// an array.
func (w *walker) member(obj, i int, ki *keyInfo, ctx *keyInfo) (next, n int) {
	b := w.b
	if !ki.repeated {
		return w.value(i, ki, ctx), 0
	}
	if b[i] != '[' {
		w.bad = true
		return i, 0
	}
	var skip []bool
	if ki.partner != "" {
		var ok bool
		if skip, ok = pairSkips(b, obj, i, ki); !ok {
			w.bad = true
			return i, 0
		}
	}
	i = skipSpace(b, i+1)
	for b[i] != ']' {
		if skip != nil && skip[n] {
			i = skipValue(b, i)
		} else {
			w.path[len(w.path)-1].idx = n
			if i = w.value(i, ki, ctx); w.bad {
				return i, n
			}
		}
		n++
		i = skipSpace(b, i)
		if b[i] == ',' {
			i = skipSpace(b, i+1)
		}
	}
	return i + 1, n
}

// pairSkips replays fixNullPairs (which adapts "x" and "_x" arrays of equal lengths for
// jsonformat) for the array at b[i] of the repeated primitive ki, member of the object at b[obj]:
// skip tells which elements jsonformat never checks (a null value drops its extension too, a
// null extension becomes {}), nil when none; !ok when a null stays (jsonformat refuses it) or the
// only values are nulls.
func pairSkips(b []byte, obj, i int, ki *keyInfo) (skip []bool, ok bool) {
	own, n := arrayNulls(b, i)
	if own == nil && !ki.underscore {
		return nil, true
	}
	p := memberValue(b, obj, ki.partner)
	if p < 0 || b[p] != '[' {
		return nil, own == nil
	}
	other, m := arrayNulls(b, p)
	if own == nil && other == nil {
		return nil, true
	}
	if m != n {
		return nil, own == nil // no fix: the nulls stay
	}
	skip = make([]bool, n)
	values := 0
	for j := range skip {
		ownNull, otherNull := own != nil && own[j], other != nil && other[j]
		if ownNull && otherNull {
			return nil, false
		}
		if ki.underscore {
			skip[j] = ownNull || otherNull
		} else {
			skip[j] = ownNull
		}
		if !ownNull && !ki.underscore || !otherNull && ki.underscore {
			values++
		}
	}
	return skip, values > 0
}

// arrayNulls returns which elements of the array at b[i] are null (nil when none) and its length.
func arrayNulls(b []byte, i int) (nulls []bool, n int) {
	var at []int
	i = skipSpace(b, i+1)
	for b[i] != ']' {
		if b[i] == 'n' {
			at = append(at, n)
		}
		i = skipSpace(b, skipValue(b, i))
		if b[i] == ',' {
			i = skipSpace(b, i+1)
		}
		n++
	}
	if at == nil {
		return nil, n
	}
	nulls = make([]bool, n)
	for _, j := range at {
		nulls[j] = true
	}
	return nulls, n
}

// memberValue returns the index of the value of member key of the object at b[obj], -1 if none.
func memberValue(b []byte, obj int, key string) int {
	i := skipSpace(b, obj+1)
	for b[i] != '}' {
		kEnd, _ := stringEnd(b, i)
		k := b[i+1 : kEnd-1]
		i = skipSpace(b, kEnd)
		i = skipSpace(b, i+1)
		if string(k) == key {
			return i
		}
		i = skipSpace(b, skipValue(b, i))
		if b[i] == ',' {
			i = skipSpace(b, i+1)
		}
	}
	return -1
}

// value walks one value (not an array) of key ki at b[i].
func (w *walker) value(i int, ki *keyInfo, ctx *keyInfo) int {
	b := w.b
	switch {
	case ki.underscore:
		return w.object(i, ki.msg, false, nil)
	case ki.contained:
		return w.contained(i)
	case ki.kind == kMessage:
		return w.object(i, ki.msg, false, ki)
	}
	switch ki.kind {
	case kBoolean:
		switch b[i] {
		case 't':
			return i + 4
		case 'f':
			return i + 5
		}
		w.bad = true
		return i
	case kDecimal, kInteger, kPositiveInt, kUnsignedInt:
		end := numberEnd(b, i)
		if !numberOK(ki.kind, b[i:end]) {
			w.bad = true
		}
		return end
	}
	if b[i] != '"' {
		w.bad = true
		return i
	}
	end, esc := stringEnd(b, i)
	v := b[i+1 : end-1]
	if !utf8.Valid(v) {
		w.bad = true
		return end
	}
	if esc {
		if v = w.unescape(v); v == nil {
			w.bad = true
			return end
		}
	}
	if len(v) == 0 || !w.primitiveOK(ki, v, ctx) {
		w.bad = true
	}
	return end
}

// contained walks a contained resource at b[i].
func (w *walker) contained(i int) int {
	rt := resourceTypeOf(w.b, i)
	m := w.t.resources[string(rt)]
	if rt == nil || m == nil {
		w.bad = true
		return i
	}
	return w.object(i, m, true, nil)
}

// resourceTypeOf returns the resourceType of the object at b[i] (nil if it is not an object, or
// has no resourceType, or more than one, or one that is not a plain string).
func resourceTypeOf(b []byte, i int) []byte {
	if b[i] != '{' {
		return nil
	}
	var rt []byte
	i = skipSpace(b, i+1)
	for b[i] != '}' {
		kEnd, esc := stringEnd(b, i)
		key := b[i+1 : kEnd-1]
		i = skipSpace(b, kEnd)
		i = skipSpace(b, i+1)
		vEnd := skipValue(b, i)
		if !esc && string(key) == "resourceType" {
			if rt != nil || b[i] != '"' {
				return nil
			}
			if _, vesc := stringEnd(b, i); vesc {
				return nil
			}
			rt = b[i+1 : vEnd-1]
		}
		i = skipSpace(b, vEnd)
		if b[i] == ',' {
			i = skipSpace(b, i+1)
		}
	}
	return rt
}

// primitiveOK checks the (unescaped, non-empty, valid UTF-8) text v of a string primitive.
func (w *walker) primitiveOK(ki *keyInfo, v []byte, ctx *keyInfo) bool {
	switch ki.kind {
	case kString:
		if len(v) > 1<<20 {
			return false
		}
		for _, c := range v {
			if c < 0x20 && c != '\t' && c != '\n' && c != '\r' {
				return false
			}
		}
		return !ki.refURI || w.referenceOK(v, ctx)
	case kText, kAnyCode:
		return true
	case kCode:
		return codeOK(v)
	case kEnumCode:
		_, ok := ki.codes[string(v)]
		return ok
	case kID:
		return idOK(v)
	case kOID:
		return w.t.oid.Match(v)
	case kUUID:
		return w.t.uuid.Match(v)
	case kURI:
		if fastURI(v) {
			return true
		}
		_, err := url.Parse(string(v))
		return err == nil
	case kDate:
		return dateOK(v)
	case kDateTime:
		return dateOK(v) || dateTimeOK(v)
	case kInstant:
		return dateTimeOK(v)
	case kTime:
		return timeOK(v)
	case kBase64:
		if bytes.IndexByte(v, ' ') >= 0 {
			return false // jsonformat's separator and stride handling
		}
		if n := base64.StdEncoding.DecodedLen(len(v)); cap(w.bin) < n {
			w.bin = make([]byte, n)
		}
		_, err := base64.StdEncoding.Decode(w.bin[:cap(w.bin)], v)
		return err == nil
	}
	return false
}

// referenceOK replays jsonformat's NormalizeReference and reference type validation for the
// reference v of a Reference held by key ctx: "Type/id" and "Type/id/_history/vid" name a resource
// type that must be one of ctx's target types.
func (w *walker) referenceOK(v []byte, ctx *keyInfo) bool {
	if v[0] == '#' {
		return true
	}
	n := bytes.Count(v, []byte("/"))
	if n != 1 && n != 3 {
		return true
	}
	typ, rest, _ := bytes.Cut(v, []byte("/"))
	id, rest, _ := bytes.Cut(rest, []byte("/"))
	if n == 3 {
		hist, vid, _ := bytes.Cut(rest, []byte("/"))
		if string(hist) != "_history" {
			return true
		}
		if !idOK(vid) {
			return false
		}
	}
	if len(id) == 0 || !w.t.refTypes[string(typ)] {
		return false // not a type of R4 (jsonformat may reject it) or no id: let jsonformat say
	}
	if ctx == nil || len(ctx.refTypes) == 0 {
		return true
	}
	for _, rt := range ctx.refTypes {
		if rt == string(typ) {
			return true
		}
	}
	return false
}

// unescape decodes the JSON escapes of a string into w.scratch; nil for a surrogate (jsoniter and
// encoding/json may differ on those).
func (w *walker) unescape(raw []byte) []byte {
	out := w.scratch[:0]
	for i := 0; i < len(raw); i++ {
		c := raw[i]
		if c != '\\' {
			out = append(out, c)
			continue
		}
		i++
		switch raw[i] {
		case 'b':
			out = append(out, '\b')
		case 'f':
			out = append(out, '\f')
		case 'n':
			out = append(out, '\n')
		case 'r':
			out = append(out, '\r')
		case 't':
			out = append(out, '\t')
		case 'u':
			if i+4 >= len(raw) {
				return nil
			}
			r, err := strconv.ParseUint(string(raw[i+1:i+5]), 16, 32)
			if err != nil || 0xD800 <= r && r <= 0xDFFF {
				return nil
			}
			out = utf8.AppendRune(out, rune(r))
			i += 4
		default: // '"', '\\', '/'
			out = append(out, raw[i])
		}
	}
	w.scratch = out
	return out
}

// stringEnd returns the index after the JSON string at b[i] and whether it has escapes.
func stringEnd(b []byte, i int) (int, bool) {
	esc := false
	for i++; i < len(b); i++ {
		switch b[i] {
		case '\\':
			esc = true
			i++
		case '"':
			return i + 1, esc
		}
	}
	return len(b), esc
}

func numberEnd(b []byte, i int) int {
	for ; i < len(b); i++ {
		switch c := b[i]; {
		case '0' <= c && c <= '9', c == '-', c == '+', c == '.', c == 'e', c == 'E':
		default:
			return i
		}
	}
	return i
}

// rawOK tells whether jsoniter, which jsonformat uses to split the body, surely accepts the
// value raw of an element the walk skips: valid UTF-8, no escapes, numbers jsoniter reads.
func rawOK(raw []byte) bool {
	if !utf8.Valid(raw) {
		return false
	}
	for i := 0; i < len(raw); {
		switch c := raw[i]; {
		case c == '"':
			end, esc := stringEnd(raw, i)
			if esc {
				return false
			}
			i = end
		case c == '-' || '0' <= c && c <= '9':
			end := numberEnd(raw, i)
			if !numberOK(kDecimal, raw[i:end]) {
				return false
			}
			i = end
		default:
			i++
		}
	}
	return true
}

// numberOK checks a JSON number token for kind k. Valid JSON numbers match the Decimal
// value_regex (the same grammar), but jsoniter, which jsonformat uses to split the body, refuses
// some of those it reads as floats (a sign or an exponent): 1e400 makes the whole body invalid.
func numberOK(k primKind, v []byte) bool {
	if len(v) == 0 || v[0] != '-' && (v[0] < '0' || v[0] > '9') {
		return false
	}
	if k == kDecimal {
		if !bytes.ContainsAny(v, "-eE") {
			return true
		}
		_, err := strconv.ParseFloat(string(v), 64)
		return err == nil
	}
	neg := v[0] == '-'
	digits := v
	if neg {
		digits = v[1:]
	}
	if len(digits) == 0 || len(digits) > 10 || len(digits) > 1 && digits[0] == '0' {
		return false
	}
	var n int64
	for _, c := range digits {
		if c < '0' || c > '9' {
			return false
		}
		n = n*10 + int64(c-'0')
	}
	switch k {
	case kInteger:
		return !(neg && n == 0) && n <= math.MaxInt32+int64(b2i(neg))
	case kPositiveInt:
		return !neg && n >= 1 && n <= math.MaxInt32
	case kUnsignedInt:
		return !neg && n <= math.MaxInt32
	}
	return false
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

// codeOK is the Code value_regex [^\s]+(\s[^\s]+)* (\s: tab, newline, form feed, return, space).
func codeOK(v []byte) bool {
	space := func(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\f' || c == '\r' }
	if len(v) == 0 || space(v[0]) || space(v[len(v)-1]) {
		return false
	}
	for j := 1; j < len(v); j++ {
		if space(v[j]) && space(v[j-1]) {
			return false
		}
	}
	return true
}

// idOK is the Id value_regex [A-Za-z0-9\-\.]{1,64}.
func idOK(v []byte) bool {
	if len(v) == 0 || len(v) > MaxIDLength {
		return false
	}
	for _, c := range v {
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '-' || c == '.') {
			return false
		}
	}
	return true
}

// fastURI recognises the usual URIs (scheme:opaque, scheme://host[:port]/path?query#fragment,
// without '%', '@' in the authority or any character url.Parse might refuse) that url.Parse
// accepts; false means "ask url.Parse".
func fastURI(v []byte) bool {
	colon := -1
	for j, c := range v {
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9':
		case c == ':':
			if colon < 0 {
				colon = j
			}
		case c == '+', c == '-', c == '.', c == '_', c == '~', c == '/', c == '?', c == '#', c == '@',
			c == '!', c == '$', c == '&', c == '\'', c == '(', c == ')', c == '*', c == ',', c == ';', c == '=':
		default:
			return false
		}
	}
	if colon < 1 || !('a' <= v[0] && v[0] <= 'z' || 'A' <= v[0] && v[0] <= 'Z') {
		return false
	}
	for _, c := range v[1:colon] {
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '+' || c == '-' || c == '.') {
			return false
		}
	}
	rest := v[colon+1:]
	if k := bytes.IndexByte(rest, '#'); k >= 0 {
		rest = rest[:k]
	}
	if k := bytes.IndexByte(rest, '?'); k >= 0 {
		rest = rest[:k]
	}
	if !bytes.HasPrefix(rest, []byte("//")) {
		return true // opaque or absolute path
	}
	auth := rest[2:]
	if k := bytes.IndexByte(auth, '/'); k >= 0 {
		auth = auth[:k]
	}
	if bytes.IndexByte(auth, '@') >= 0 {
		return false
	}
	if k := bytes.LastIndexByte(auth, ':'); k >= 0 {
		for _, c := range auth[k+1:] {
			if c < '0' || c > '9' {
				return false
			}
		}
	}
	return true
}

func two(v []byte) (int, bool) {
	if v[0] < '0' || v[0] > '9' || v[1] < '0' || v[1] > '9' {
		return 0, false
	}
	return int(v[0]-'0')*10 + int(v[1]-'0'), true
}

// dateOK: YYYY, YYYY-MM or YYYY-MM-DD, a real day (jsonformat's regex then time.Parse). Year 0
// and negative years are left to jsonformat.
func dateOK(v []byte) bool {
	if len(v) != 4 && len(v) != 7 && len(v) != 10 {
		return false
	}
	hi, ok1 := two(v[0:2])
	lo, ok2 := two(v[2:4])
	year := hi*100 + lo
	if !ok1 || !ok2 || year == 0 {
		return false
	}
	if len(v) == 4 {
		return true
	}
	month, ok := two(v[5:7])
	if v[4] != '-' || !ok || month < 1 || month > 12 {
		return false
	}
	if len(v) == 7 {
		return true
	}
	day, ok := two(v[8:10])
	return v[7] == '-' && ok && day >= 1 && day <= daysIn(time.Month(month), year)
}

func daysIn(m time.Month, year int) int {
	return time.Date(year, m+1, 0, 0, 0, 0, 0, time.UTC).Day()
}

// dateTimeOK: YYYY-MM-DDThh:mm:ss[.fraction](Z|+hh:mm|-hh:mm), the instant form of dateTime
// (jsonformat's regex, then time.Parse).
func dateTimeOK(v []byte) bool {
	if len(v) < 20 || !dateOK(v[:10]) || v[10] != 'T' {
		return false
	}
	rest, ok := clockOK(v[11:])
	if !ok {
		return false
	}
	switch {
	case len(rest) == 1 && rest[0] == 'Z':
		return true
	case len(rest) == 6 && (rest[0] == '+' || rest[0] == '-') && rest[3] == ':':
		h, ok1 := two(rest[1:3])
		m, ok2 := two(rest[4:6])
		return ok1 && ok2 && (h <= 13 && m <= 59 || h == 14 && m == 0)
	}
	return false
}

// timeOK: hh:mm:ss[.fraction].
func timeOK(v []byte) bool {
	rest, ok := clockOK(v)
	return ok && len(rest) == 0
}

// clockOK reads hh:mm:ss[.fraction] (1 to 9 digits) and returns what follows.
func clockOK(v []byte) ([]byte, bool) {
	if len(v) < 8 || v[2] != ':' || v[5] != ':' {
		return nil, false
	}
	h, ok1 := two(v[0:2])
	m, ok2 := two(v[3:5])
	s, ok3 := two(v[6:8])
	if !ok1 || !ok2 || !ok3 || h > 23 || m > 59 || s > 59 {
		return nil, false
	}
	v = v[8:]
	if len(v) > 0 && v[0] == '.' {
		n := 1
		for n < len(v) && '0' <= v[n] && v[n] <= '9' {
			n++
		}
		if n == 1 || n > 10 {
			return nil, false
		}
		v = v[n:]
	}
	return v, true
}
