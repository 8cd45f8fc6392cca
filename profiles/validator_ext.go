package profiles

import (
	"strings"
)

// checkExtension validates an extension occurrence against its own definition.
func (st *state) checkExtension(ce *compiledExt, it *item, elem *elemRef) {
	st.walkChildren(ce.root, it.obj(), &it.loc, elem)
}

// checkOtherExtensions handles the extensions no slice of the profile claims: a known ROR extension
// is validated against its definition and its context; a sub-extension with a relative url that
// the complex extension does not define is an error (regional extensions, with absolute urls, are
// allowed and kept untouched).
func (st *state) checkOtherExtensions(parent, n *node, items []item, elemPath *elemRef) {
	if parent.ext != nil {
		// the profile's own constraints on an extension slice: the extension's definition, walked
		// separately, already handles the sub-extensions these constraints do not claim
		return
	}
	for i := range items {
		it := &items[i]
		claimed := false
		for _, s := range n.slices {
			if sliceMatches(s, it) {
				claimed = true
				break
			}
		}
		if claimed {
			continue
		}
		m, _ := it.v.(map[string]any)
		url, _ := m["url"].(string)
		if parent.name == "Extension" && len(n.slices) > 0 && url != "" && !strings.Contains(url, ":") {
			st.add("error", "structure", &it.loc, "%s: unknown sub-extension %q (expected one of: %s)",
				elemPath, url, sliceNames(n))
			continue
		}
		ce, ok := st.v.exts[url]
		if !ok {
			continue
		}
		where := elemPath.plain()
		if !contextAllows(ce.contexts, where) {
			st.add("error", "structure", &it.loc, "extension %s is not allowed on %s (allowed on: %s)",
				url, where, strings.Join(ce.contexts, ", "))
		}
		st.checkExtension(ce, it, &elemRef{parent: elemPath, name: "extension", sep: '.'})
	}
}

// contextAllows says whether an extension whose contexts are ctxs may appear on element path.
// Type contexts are recognised from the element name (telecom: ContactPoint, address: Address,
// contact/availableTime/notAvailable/position: BackboneElement); a context we cannot resolve
// (an extension context, the IG's dangling ror-organization-eg-location) allows.
func contextAllows(ctxs []string, path string) bool {
	last := path[strings.LastIndex(path, ".")+1:]
	for _, c := range ctxs {
		switch c {
		case "*":
			if !strings.Contains(path, ".") {
				return true
			}
		case "ContactPoint":
			if last == "telecom" {
				return true
			}
		case "Address":
			if last == "address" {
				return true
			}
		case "BackboneElement":
			switch last {
			case "contact", "availableTime", "notAvailable", "position", "qualification":
				return true
			}
		case "Element":
			return true
		default:
			if strings.Contains(c, "://") {
				return true
			}
			if c == path {
				return true
			}
		}
	}
	return false
}
