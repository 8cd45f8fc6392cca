package search

import (
	"net/url"
	"strings"
)

// Include is one _include or _revinclude directive: resources of Source reference resources of
// Target through Param. For _include the matches (or, with Iterate, the included resources too) are
// the sources and the referenced resources are added; for _revinclude they are the targets and
// the resources referencing them are added.
type Include struct {
	Rev     bool   // _revinclude
	Iterate bool   // :iterate (or the R4 alias :recurse)
	Source  string // resource type holding the reference
	Param   string // reference parameter of Source; "*" = every reference parameter of Source
	Target  string // "" = any type the parameter allows
}

// String is the directive as a query parameter value.
func (in Include) String() string {
	s := in.Source + ":" + in.Param
	if in.Target != "" {
		s += ":" + in.Target
	}
	return s
}

// IncludeParams returns the reference parameter codes of the directive ("*" expanded), in order.
func (r *Registry) IncludeParams(in Include) []string {
	if in.Param != "*" {
		return []string{in.Param}
	}
	var out []string
	for _, p := range r.Params(in.Source) {
		if p.Type == TypeReference {
			out = append(out, p.Code)
		}
	}
	return out
}

// parseIncludes reads the values of _include[:iterate] or _revinclude[:iterate].
func (r *Registry) parseIncludes(typ, key string, vals []string, s *Search, canon *[]string, skip func(string, string, ...any) error) error {
	name, mod, _ := strings.Cut(key, ":")
	in := Include{Rev: name == "_revinclude"}
	switch mod {
	case "":
	case "iterate", "recurse":
		in.Iterate = true
	default:
		return skip(key, "modifier :%s is not supported on %s; parameter %q ignored", mod, name, key)
	}
	for _, v := range vals {
		if v == "" {
			continue
		}
		d := in
		parts := strings.Split(v, ":")
		if v == "*" {
			d.Source, d.Param = typ, "*"
			if d.Rev {
				return skip(key, "%s=* is not supported (name the type and parameter); %q ignored", name, v)
			}
		} else {
			if len(parts) < 2 || len(parts) > 3 {
				if err := skip(key, "%s expects Type:parameter[:TargetType], got %q; ignored", name, v); err != nil {
					return err
				}
				continue
			}
			d.Source, d.Param = parts[0], parts[1]
			if len(parts) == 3 {
				d.Target = parts[2]
			}
		}
		if !d.Rev && d.Source != typ {
			// An _include from another type can only apply to included resources (the ROR's delta
			// query relies on it without :iterate): it is followed as with :iterate.
			d.Iterate = true
		}
		if err := r.checkInclude(typ, d); err != "" {
			if err := skip(key, "%s=%s: %s; ignored", key, v, err); err != nil {
				return err
			}
			continue
		}
		s.Includes = append(s.Includes, d)
		*canon = append(*canon, url.QueryEscape(key)+"="+url.QueryEscape(v))
	}
	return nil
}

// checkInclude returns why the directive cannot be followed ("" when it can).
func (r *Registry) checkInclude(typ string, in Include) string {
	if _, ok := r.byType[in.Source]; !ok {
		return "resource type " + in.Source + " is not served"
	}
	if in.Param == "*" {
		return ""
	}
	p, ok := r.byType[in.Source][in.Param]
	if !ok || p.Type != TypeReference {
		return in.Param + " is not a reference parameter of " + in.Source
	}
	if in.Target != "" && len(p.Targets) > 0 && !contains(p.Targets, in.Target) {
		return in.Source + "." + in.Param + " does not point to " + in.Target
	}
	if in.Rev && !in.Iterate && len(p.Targets) > 0 && !contains(p.Targets, typ) && in.Target == "" {
		return in.Source + "." + in.Param + " does not point to " + typ
	}
	return ""
}
