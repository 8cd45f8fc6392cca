package search

import (
	"errors"
	"math"
	"strconv"
	"strings"

	"github.com/rorfhir/ror/fhir/fherr"
	"github.com/rorfhir/ror/fhir/textfold"
	"github.com/rorfhir/ror/store"
)

// errUnsupportedModifier: the modifier exists in FHIR but not for this parameter here.
var errUnsupportedModifier = errors.New("unsupported modifier")

// nearDefaultKm is the distance of a near search that gives none.
const nearDefaultKm = 10

// parseClause reads one occurrence of a parameter (key = code[:modifier]); its comma-separated
// values are ORed.
func (r *Registry) parseClause(p *compiled, key, mod, value string) (store.Clause, error) {
	var cl store.Clause
	if mod == "missing" {
		if value == "" {
			return cl, nil
		}
		b, err := strconv.ParseBool(value)
		if err != nil || (value != "true" && value != "false") {
			return cl, fherr.Invalid("value", key, "%s expects true or false, got %q", key, value)
		}
		cl.Any = []store.Cond{{Param: p.Code, Kind: kindOf(p.Type), Op: store.OpMissing, Missing: b}}
		return cl, nil
	}
	for _, v := range splitUnescaped(value, ',') {
		if v == "" {
			continue
		}
		c, err := r.parseCond(p, key, mod, v)
		if err != nil {
			return store.Clause{}, err
		}
		cl.Any = append(cl.Any, c)
	}
	return cl, nil
}

func kindOf(typ string) store.Kind {
	switch typ {
	case TypeToken:
		return store.KindToken
	case TypeString:
		return store.KindString
	case TypeDate:
		return store.KindDate
	case TypeNumber, TypeQuantity:
		return store.KindNumber
	case TypeReference:
		return store.KindReference
	case TypeURI:
		return store.KindURI
	case TypeSpecial:
		return store.KindNear
	}
	return 0
}

func (r *Registry) parseCond(p *compiled, key, mod, v string) (store.Cond, error) {
	switch p.Type {
	case TypeToken:
		return parseToken(p, key, mod, v)
	case TypeString:
		c := store.Cond{Param: p.Code, Kind: store.KindString, Op: store.OpPrefix, Value: textfold.Fold(unescape(v))}
		switch mod {
		case "":
		case "exact":
			c.Op, c.Value = store.OpExact, unescape(v)
		case "contains":
			c.Op = store.OpContains
		default:
			return c, errUnsupportedModifier
		}
		return c, nil
	case TypeDate:
		if mod != "" {
			return store.Cond{}, errUnsupportedModifier
		}
		return r.parseDateCond(p, key, v)
	case TypeNumber, TypeQuantity:
		if mod != "" {
			return store.Cond{}, errUnsupportedModifier
		}
		return parseNumberCond(p, key, v)
	case TypeReference:
		return r.parseReference(p, key, mod, v)
	case TypeURI:
		c := store.Cond{Param: p.Code, Kind: store.KindURI, Op: store.OpEq, Value: unescape(v)}
		switch mod {
		case "":
		case "above":
			c.Op = store.OpAbove
		case "below":
			c.Op = store.OpBelow
		default:
			return c, errUnsupportedModifier
		}
		return c, nil
	case TypeSpecial:
		if mod != "" {
			return store.Cond{}, errUnsupportedModifier
		}
		return parseNear(p, key, v)
	}
	return store.Cond{}, errUnsupportedModifier
}

// parseToken reads code, system|code, |code, system| (with :not, :text, :of-type).
func parseToken(p *compiled, key, mod, v string) (store.Cond, error) {
	c := store.Cond{Param: p.Code, Kind: store.KindToken, Op: store.OpEq}
	switch mod {
	case "", "not":
		c.Not = mod == "not"
	case "text":
		c.Op, c.Value = store.OpText, textfold.Fold(unescape(v))
		return c, nil
	case "of-type":
		parts := splitUnescaped(v, '|')
		if len(parts) != 3 || parts[1] == "" || parts[2] == "" {
			return c, fherr.Invalid("value", key, "%s expects system|code|value (the identifier type, then the identifier value), got %q", key, v)
		}
		c.Param = p.Code + suffixOfType
		c.System, c.Code = unescape(parts[0]), unescape(parts[1])+"|"+unescape(parts[2])
		return c, nil
	default:
		return c, errUnsupportedModifier
	}
	parts := splitUnescaped(v, '|')
	switch len(parts) {
	case 1:
		c.AnySystem, c.Code = true, unescape(parts[0])
	case 2:
		c.System, c.Code = unescape(parts[0]), unescape(parts[1])
		if c.Code == "" {
			if c.System == "" {
				return c, fherr.Invalid("value", key, "%s expects code, system|code, |code or system|, got %q", key, v)
			}
			c.AnyCode = true
		}
	default:
		return c, fherr.Invalid("value", key, "%s expects code, system|code, |code or system| (escape a literal | as \\|), got %q", key, v)
	}
	return c, nil
}

// parseReference reads id, Type/id or an absolute URL (with :Type and :identifier).
func (r *Registry) parseReference(p *compiled, key, mod, v string) (store.Cond, error) {
	c := store.Cond{Param: p.Code, Kind: store.KindReference, Op: store.OpEq}
	v = unescape(v)
	switch {
	case mod == "identifier":
		t, err := parseToken(&compiled{Param: Param{Code: p.Code + suffixIdentifier, Type: TypeToken}}, key, "", v)
		return t, err
	case mod != "" && !isResourceType(mod):
		return c, errUnsupportedModifier
	}
	if typ, id, ok := splitLocalRef(v, r.baseURL); ok {
		if mod != "" && mod != typ {
			return c, fherr.Invalid("value", key, "%s: the reference %q is not of type %s", key, v, mod)
		}
		c.Type, c.ID = typ, id
		return c, nil
	}
	if strings.Contains(v, "/") || strings.Contains(v, ":") {
		c.URL = v
		return c, nil
	}
	if !validID(v) {
		return c, fherr.Invalid("value", key, "%s expects an id, Type/id or an absolute URL, got %q", key, v)
	}
	c.Type, c.ID = mod, v
	return c, nil
}

// parseNear reads lat|long|distance|unit (distance in km by default; units km, m, mi).
func parseNear(p *compiled, key, v string) (store.Cond, error) {
	bad := func() (store.Cond, error) {
		return store.Cond{}, fherr.Invalid("value", key, "%s expects latitude|longitude|distance|unit (degrees, then a distance in km, m or mi), got %q", key, v)
	}
	parts := strings.Split(v, "|")
	if len(parts) < 2 || len(parts) > 4 {
		return bad()
	}
	lat, err1 := strconv.ParseFloat(parts[0], 64)
	lon, err2 := strconv.ParseFloat(parts[1], 64)
	if err1 != nil || err2 != nil || math.Abs(lat) > 90 || math.Abs(lon) > 180 {
		return bad()
	}
	km := float64(nearDefaultKm)
	if len(parts) >= 3 && parts[2] != "" {
		d, err := strconv.ParseFloat(parts[2], 64)
		if err != nil || d < 0 || math.IsInf(d, 0) {
			return bad()
		}
		km = d
		if len(parts) == 4 {
			switch parts[3] {
			case "", "km", "[km]":
			case "m":
				km = d / 1000
			case "mi", "[mi_i]", "[mi_us]":
				km = d * 1.609344
			default:
				return bad()
			}
		}
	}
	return store.Cond{Param: p.Code, Kind: store.KindNear, Lat: lat, Lon: lon, Km: km}, nil
}

// splitUnescaped splits s on sep not preceded by a backslash (escapes are kept).
func splitUnescaped(s string, sep byte) []string {
	var out []string
	start := 0
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '\\':
			i++
		case sep:
			out = append(out, s[start:i])
			start = i + 1
		}
	}
	return append(out, s[start:])
}

// unescape removes the backslashes of \, \| \$ \\.
func unescape(s string) string {
	if !strings.Contains(s, `\`) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' && i+1 < len(s) {
			i++
		}
		b.WriteByte(s[i])
	}
	return b.String()
}
