package profiles

import (
	"encoding/json"
	"fmt"
	"strings"
)

// node is a compiled element: the constraints on one JSON property, its children and its slices.
type node struct {
	name   string // JSON property name, "value[x]" for a choice
	prop   string // name without "[x]"
	choice bool
	isExt  bool // an extension or modifierExtension element
	// required: the element or one of its slices has a minimum, so its absence must be checked
	required bool
	// serverMeta: meta.lastUpdated or meta.versionId, set by the server on writes
	serverMeta bool
	min        int // -1: not constrained
	max        int // -1: not constrained; -2: unbounded ("*")
	types      []string
	targets    []string // resource types a Reference may point to (empty: not checked)
	fixed      any
	pattern    any
	bind       *Binding
	slicing    *Slicing
	slices     []*slice

	children []*node
	ext      *compiledExt // extension slice: the extension's own definition (nil when external)
	extURL   string       // extension slice: the url it matches
	invs     []Invariant
}

// slice is one named slice of a repeating element with the matchers that decide membership.
type slice struct {
	name     string
	node     *node
	matchers []matcher
}

type compiledExt struct {
	def  *Extension
	root *node // constraints relative to Extension
	// contexts: element paths (without indices, "HealthcareService.characteristic") or type names
	// ("ContactPoint") where the extension may appear; "*" for DomainResource contexts.
	contexts []string
}

// compiledProfile is a profile ready to validate.
type compiledProfile struct {
	def  *Profile
	root *node
}

func newNode(name string) *node {
	return &node{name: name, prop: strings.TrimSuffix(name, "[x]"), min: -1, max: -1,
		choice: strings.HasSuffix(name, "[x]"), isExt: name == "extension" || name == "modifierExtension",
		serverMeta: name == "lastUpdated" || name == "versionId"}
}

func (n *node) child(name string) *node {
	for _, c := range n.children {
		if c.name == name {
			return c
		}
	}
	c := newNode(name)
	n.children = append(n.children, c)
	return c
}

func (n *node) sliceNamed(name string) *slice {
	for _, s := range n.slices {
		if s.name == name {
			return s
		}
	}
	s := &slice{name: name, node: newNode(n.name)}
	n.slices = append(n.slices, s)
	return s
}

// find descends through children (not slices) along a dotted path.
func (n *node) find(path string) *node {
	cur := n
	for _, seg := range strings.Split(path, ".") {
		var next *node
		for _, c := range cur.children {
			if c.name == seg {
				next = c
			}
		}
		if next == nil {
			return nil
		}
		cur = next
	}
	return cur
}

// compiler turns definitions into node trees.
type compiler struct {
	defs     *Definitions
	exts     map[string]*compiledExt
	urlTypes map[string]string // profile canonical -> resource type
}

func newCompiler(defs *Definitions) *compiler {
	c := &compiler{defs: defs, exts: map[string]*compiledExt{}, urlTypes: map[string]string{
		"http://interopsante.org/fhir/StructureDefinition/FrOrganization": "Organization",
	}}
	for i := range defs.Profiles {
		c.urlTypes[defs.Profiles[i].URL()] = defs.Profiles[i].Type
	}
	return c
}

func (c *compiler) compileAll() (map[string]*compiledProfile, map[string]*compiledExt, error) {
	// Extensions first (nodes only), then wire extension references, as they may refer to each other.
	for i := range c.defs.Extensions {
		e := &c.defs.Extensions[i]
		root := newNode("Extension")
		for _, el := range e.ElementList() {
			if err := c.apply(root, el); err != nil {
				return nil, nil, fmt.Errorf("profiles: extension %s: %w", e.ID, err)
			}
		}
		ce := &compiledExt{def: e, root: root}
		for _, ctx := range e.Context {
			_, expr, _ := strings.Cut(ctx, ":")
			if expr == "DomainResource" || expr == "Resource" {
				expr = "*"
			}
			ce.contexts = append(ce.contexts, expr)
		}
		c.exts[e.URL] = ce
	}
	for _, ce := range c.exts {
		c.wire(ce.root)
	}
	profiles := map[string]*compiledProfile{}
	for i := range c.defs.Profiles {
		p := &c.defs.Profiles[i]
		root := newNode(p.Type)
		for _, el := range p.Elements {
			if err := c.apply(root, el); err != nil {
				return nil, nil, fmt.Errorf("profiles: profile %s: %w", p.ID, err)
			}
		}
		c.wire(root)
		profiles[p.URL()] = &compiledProfile{def: p, root: root}
	}
	return profiles, c.exts, nil
}

// apply records one element constraint in the tree under root.
func (c *compiler) apply(root *node, el Element) error {
	cur := root
	for _, seg := range strings.Split(el.ID, ".") {
		name, sliceName, isSlice := strings.Cut(seg, ":")
		cur = cur.child(name)
		if isSlice {
			cur = cur.sliceNamed(sliceName).node
		}
	}
	if el.Min != nil {
		cur.min = *el.Min
	}
	switch el.Max {
	case "":
	case "*":
		cur.max = -2
	default:
		var m int
		if _, err := fmt.Sscanf(el.Max, "%d", &m); err != nil {
			return fmt.Errorf("%s: bad max %q: %w", el.ID, el.Max, err)
		}
		cur.max = m
	}
	if len(el.Types) > 0 {
		cur.types = el.Types
	}
	if el.Ext != "" {
		cur.extURL = el.Ext
	} else if el.BaseURL != "" {
		cur.extURL = el.BaseURL
	}
	for _, t := range el.Targets {
		if typ, ok := c.targetType(t); ok && !contains(cur.targets, typ) {
			cur.targets = append(cur.targets, typ)
		}
	}
	var err error
	if cur.fixed, err = decodeTyped(el.Fixed); err != nil {
		return fmt.Errorf("%s: fixed: %w", el.ID, err)
	}
	if cur.pattern, err = decodeTyped(el.Pattern); err != nil {
		return fmt.Errorf("%s: pattern: %w", el.ID, err)
	}
	if el.Bind != nil {
		cur.bind = el.Bind
	}
	if el.Slicing != nil {
		cur.slicing = el.Slicing
	}
	cur.invs = append(cur.invs, el.Invariants...)
	if len(el.Match) > 0 {
		// Match belongs to the slice: find it again (cur is the slice's node).
		if s := lastSlice(root, el.ID); s != nil {
			for path, vals := range el.Match {
				s.matchers = append(s.matchers, valueIn(path, vals))
			}
		}
	}
	return nil
}

func lastSlice(root *node, id string) *slice {
	cur := root
	var s *slice
	for _, seg := range strings.Split(id, ".") {
		name, sliceName, isSlice := strings.Cut(seg, ":")
		cur = cur.child(name)
		s = nil
		if isSlice {
			s = cur.sliceNamed(sliceName)
			cur = s.node
		}
	}
	return s
}

func decodeTyped(m map[string]json.RawMessage) (any, error) {
	for _, raw := range m {
		var v any
		if err := json.Unmarshal(raw, &v); err != nil {
			return nil, err
		}
		return v, nil
	}
	return nil, nil
}

func (c *compiler) targetType(profileURL string) (string, bool) {
	if t, ok := c.urlTypes[profileURL]; ok {
		return t, true
	}
	if t, ok := strings.CutPrefix(profileURL, "http://hl7.org/fhir/StructureDefinition/"); ok {
		return t, true
	}
	return "", false
}

// wire links extension slices to compiled extensions and builds slice matchers, recursively.
func (c *compiler) wire(n *node) {
	for _, ch := range n.children {
		c.wire(ch)
	}
	n.required = n.min > 0
	for _, s := range n.slices {
		n.required = n.required || s.node.min > 0
	}
	isExt := n.name == "extension" || n.name == "modifierExtension"
	for _, s := range n.slices {
		c.wire(s.node)
		if isExt {
			url := s.node.extURL
			if url == "" {
				if f, ok := s.node.find("url").fixedString(); ok {
					url = f
				} else if e, ok := c.extByID(s.name); ok {
					url = e.URL // a slice named after the extension it holds
				} else {
					url = s.name // a local sub-extension of a complex extension
				}
			}
			s.node.extURL = url
			s.node.ext = c.exts[url]
			s.matchers = []matcher{urlIs(url)}
			continue
		}
		if len(s.matchers) > 0 && !hasOtherDisc(n.slicing, s) {
			continue
		}
		s.matchers = append(s.matchers, c.discMatchers(n, s)...)
	}
}

func (c *compiler) extByID(id string) (*Extension, bool) {
	for i := range c.defs.Extensions {
		if c.defs.Extensions[i].ID == id {
			return &c.defs.Extensions[i], true
		}
	}
	return nil, false
}

func (n *node) fixedString() (string, bool) {
	if n == nil {
		return "", false
	}
	s, ok := n.fixed.(string)
	return s, ok
}

// hasOtherDisc says whether the slicing has discriminators that a slice's Match does not replace
// (extension(...) and $this type discriminators stay).
func hasOtherDisc(sl *Slicing, s *slice) bool {
	if sl == nil {
		return false
	}
	for _, d := range sl.Disc {
		_, path, _ := strings.Cut(d, ":")
		if strings.HasPrefix(path, "extension(") || path == "$this" {
			return true
		}
	}
	return false
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
