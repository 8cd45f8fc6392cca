package resource

import (
	"regexp"
	"strings"
	"sync"

	apb "github.com/google/fhir/go/proto/google/fhir/proto/annotations_go_proto"
	d4pb "github.com/google/fhir/go/proto/google/fhir/proto/r4/core/datatypes_go_proto"
	rpb "github.com/google/fhir/go/proto/google/fhir/proto/r4/core/resources/bundle_and_contained_resource_go_proto"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protoreflect"
)

// The tables below replay, for the fast walk (resource_check_walk.go), what jsonformat derives
// from the google/fhir R4 descriptors: which JSON keys a message accepts (its field map, choice
// types flattened, "_x" keys of primitives), the primitive type behind each key, the required
// fields, the codes of required bindings and the reference target types. They are built once, on
// first use, and never modified afterwards.

// primKind is how the walk checks a JSON value.
type primKind uint8

const (
	kMessage     primKind = iota // a complex type: a JSON object walked with its own table
	kUnsupported                 // a key jsonformat knows but the walk does not vouch for
	kBoolean
	kInteger
	kPositiveInt
	kUnsignedInt
	kDecimal
	kString   // google.fhir.r4.core.String: no control characters, at most 1 MB
	kText     // Markdown, Xhtml: any string
	kCode     // Code: value_regex [^\s]+(\s[^\s]+)*
	kEnumCode // a code of a required binding (an enum): one of its codes
	kAnyCode  // a specialised code whose value is a plain string
	kID
	kOID
	kUUID
	kURI // Uri, Url, Canonical: url.Parse must accept it
	kDate
	kDateTime
	kInstant
	kTime
	kBase64
)

// keyInfo is what a JSON key of a message means.
type keyInfo struct {
	name       string   // the key itself, for FHIRPath expressions of warnings
	slot       int      // index of the proto field in its message (choice keys share it)
	choice     int      // 1 + index of the type within a choice field, 0 when not a choice
	repeated   bool     // the JSON value is an array
	underscore bool     // "_x": the id and extensions of primitive x
	kind       primKind // for "_x", the kind of x
	msg        *msgInfo // kMessage: the table of the object; "_x": the table of the primitive
	codes      map[string]struct{}
	contained  bool     // resources: "contained" (google.protobuf.Any) or a ContainedResource
	refTypes   []string // Reference fields: valid_reference_type (empty: any)
	refURI     bool     // Reference.reference: checked against the field's refTypes
	partner    string   // repeated primitives: "_x" for "x" and "x" for "_x"
}

// msgInfo is the table of one message type.
type msgInfo struct {
	name      string
	keys      map[string]*keyInfo
	slots     int   // number of proto fields
	required  []int // slots of the fields REQUIRED_BY_FHIR
	reference bool  // the Reference datatype (fhir_reference_type)
}

// checkTables is everything the walk needs, immutable once built.
type checkTables struct {
	resources map[string]*msgInfo // by resource type
	refTypes  map[string]bool     // resource types a Reference can name ("Organization/1")
	oid, uuid *regexp.Regexp
}

var tables = sync.OnceValue(buildTables)

type tableBuilder struct {
	msgs  map[protoreflect.FullName]*msgInfo
	codes map[protoreflect.FullName]map[string]struct{}
}

func buildTables() *checkTables {
	t := &checkTables{resources: map[string]*msgInfo{}, refTypes: map[string]bool{}}
	b := &tableBuilder{msgs: map[protoreflect.FullName]*msgInfo{}, codes: map[protoreflect.FullName]map[string]struct{}{}}
	cr := (&rpb.ContainedResource{}).ProtoReflect().Descriptor()
	oneof := cr.Oneofs().ByName("oneof_resource")
	for i := 0; i < oneof.Fields().Len(); i++ {
		m := oneof.Fields().Get(i).Message()
		if m == nil {
			continue
		}
		t.resources[string(m.Name())] = b.message(m)
	}
	ref := (&d4pb.Reference{}).ProtoReflect().Descriptor().Oneofs().ByName("reference")
	for i := 0; i < ref.Fields().Len(); i++ {
		if rt := proto.GetExtension(ref.Fields().Get(i).Options(), apb.E_ReferencedFhirType).(string); rt != "" {
			t.refTypes[rt] = true
		}
	}
	t.oid = valueRegex((&d4pb.Oid{}).ProtoReflect().Descriptor())
	t.uuid = valueRegex((&d4pb.Uuid{}).ProtoReflect().Descriptor())
	return t
}

func valueRegex(d protoreflect.MessageDescriptor) *regexp.Regexp {
	return regexp.MustCompile("^" + proto.GetExtension(d.Options(), apb.E_ValueRegex).(string) + "$")
}

func isChoice(d protoreflect.MessageDescriptor) bool {
	return d != nil && proto.HasExtension(d.Options(), apb.E_IsChoiceType)
}

func isPrimitive(d protoreflect.MessageDescriptor) bool {
	return proto.GetExtension(d.Options(), apb.E_StructureDefinitionKind).(apb.StructureDefinitionKindValue) == apb.StructureDefinitionKindValue_KIND_PRIMITIVE_TYPE
}

// upperFirst is strings.Title for the ASCII camelCase JSON names of the descriptors.
func upperFirst(s string) string {
	if s == "" || s[0] < 'a' || s[0] > 'z' {
		return s
	}
	return string(s[0]-'a'+'A') + s[1:]
}

// message returns the table of d, building it (and the tables it refers to) on first call.
func (b *tableBuilder) message(d protoreflect.MessageDescriptor) *msgInfo {
	if m, ok := b.msgs[d.FullName()]; ok {
		return m
	}
	m := &msgInfo{name: string(d.Name()), keys: map[string]*keyInfo{},
		reference: proto.HasExtension(d.Options(), apb.E_FhirReferenceType)}
	b.msgs[d.FullName()] = m // before the fields: types are recursive
	fields := d.Fields()
	// Same order and same names as jsonformat's buildFieldMap (later fields win a clash).
	for i := 0; i < fields.Len(); i++ {
		f := fields.Get(i)
		if proto.GetExtension(f.Options(), apb.E_ValidationRequirement).(apb.Requirement) == apb.Requirement_REQUIRED_BY_FHIR {
			m.required = append(m.required, i)
		}
		if isChoice(f.Message()) {
			cf := f.Message().Fields()
			for j := 0; j < cf.Len(); j++ {
				sub := cf.Get(j)
				name := f.JSONName() + upperFirst(sub.JSONName())
				m.keys[name] = b.key(name, i, j+1, sub, false, m.reference)
				if sub.Message() != nil && isPrimitive(sub.Message()) {
					m.keys["_"+name] = b.key("_"+name, i, j+1, sub, true, m.reference)
				}
			}
			continue
		}
		k := b.key(f.JSONName(), i, 0, f, false, m.reference)
		m.keys[f.JSONName()] = k
		if f.Kind() == protoreflect.MessageKind && isPrimitive(f.Message()) {
			u := b.key("_"+f.JSONName(), i, 0, f, true, m.reference)
			m.keys["_"+f.JSONName()] = u
			if f.IsList() {
				k.partner, u.partner = u.name, k.name
			}
		}
	}
	// Slots only for the fields the walk may see (Reference has some 150 fields, nearly all
	// of them typed ids the walk leaves to jsonformat).
	slot := map[int]int{}
	slotOf := func(field int) int {
		s, ok := slot[field]
		if !ok {
			s = len(slot)
			slot[field] = s
		}
		return s
	}
	for j, r := range m.required {
		m.required[j] = slotOf(r)
	}
	for _, k := range m.keys {
		if k.kind != kUnsupported {
			k.slot = slotOf(k.slot)
		} else {
			k.slot = -1
		}
	}
	m.slots = len(slot)
	return m
}

func (b *tableBuilder) key(name string, slot, choice int, f protoreflect.FieldDescriptor, underscore, inReference bool) *keyInfo {
	k := &keyInfo{name: name, slot: slot, choice: choice, repeated: f.IsList(), underscore: underscore}
	k.refTypes = proto.GetExtension(f.Options(), apb.E_ValidReferenceType).([]string)
	for _, rt := range k.refTypes {
		if rt == "Resource" {
			k.refTypes = nil // any resource
			break
		}
	}
	d := f.Message()
	switch {
	case d == nil, f.IsMap():
		k.kind = kUnsupported
	case d.FullName() == "google.fhir.r4.core.ContainedResource":
		k.kind, k.contained = kMessage, true
	case d.FullName() == "google.protobuf.Any":
		// jsonformat reads an Any as contained resources only under the key "contained".
		k.kind, k.contained = kMessage, name == "contained"
		if !k.contained {
			k.kind = kUnsupported
		}
	case isPrimitive(d):
		k.kind = b.primitive(d)
		if inReference && k.kind == kString && f.Name() == "uri" && name == "reference" {
			k.refURI = true
		} else if inReference && f.ContainingOneof() != nil {
			k.kind = kUnsupported // fragment, the typed ids: not FHIR JSON
		}
		if k.kind == kEnumCode {
			k.codes = b.enumCodes(d)
		}
		if underscore && k.kind != kUnsupported {
			k.msg = b.message(d)
		}
	case isChoice(d):
		k.kind = kUnsupported // a choice inside a choice: none in R4
	default:
		k.kind = kMessage
		k.msg = b.message(d)
	}
	return k
}

// primitive maps a primitive type to its kind, as jsonformat's parsePrimitiveType switches on the
// message name before looking for a code of a value set.
func (b *tableBuilder) primitive(d protoreflect.MessageDescriptor) primKind {
	switch d.Name() {
	case "Base64Binary":
		return kBase64
	case "Boolean":
		return kBoolean
	case "Code":
		return kCode
	case "Date":
		return kDate
	case "DateTime":
		return kDateTime
	case "Decimal":
		return kDecimal
	case "Id":
		return kID
	case "Instant":
		return kInstant
	case "Integer":
		return kInteger
	case "Oid":
		return kOID
	case "PositiveInt":
		return kPositiveInt
	case "String":
		return kString
	case "Time":
		return kTime
	case "UnsignedInt":
		return kUnsignedInt
	case "Url", "Uri", "Canonical":
		return kURI
	case "Markdown", "Xhtml":
		return kText
	case "Uuid":
		return kUUID
	case "ReferenceId":
		return kUnsupported
	}
	if !proto.HasExtension(d.Options(), apb.E_FhirValuesetUrl) {
		return kUnsupported
	}
	v := d.Fields().ByName("value")
	switch {
	case v == nil:
		return kUnsupported
	case v.Kind() == protoreflect.StringKind:
		return kAnyCode
	case v.Kind() == protoreflect.EnumKind:
		return kEnumCode
	}
	return kUnsupported
}

// enumCodes lists the codes jsonformat's UnmarshalCode accepts for a code type: for each value but
// the zero one, its name in lower case with '-' for '_' (the upper-casing jsonformat does gives
// the name back) and its fhir_original_code. Each code is checked against jsonformat's own
// look-up before it is kept.
func (b *tableBuilder) enumCodes(d protoreflect.MessageDescriptor) map[string]struct{} {
	e := d.Fields().ByName("value").Enum()
	if c, ok := b.codes[e.FullName()]; ok {
		return c
	}
	codes := map[string]struct{}{}
	values := e.Values()
	for i := 0; i < values.Len(); i++ {
		v := values.Get(i)
		if v.Number() == 0 {
			continue
		}
		for _, c := range []string{
			strings.ReplaceAll(strings.ToLower(string(v.Name())), "_", "-"),
			proto.GetExtension(v.Options(), apb.E_FhirOriginalCode).(string),
		} {
			if c != "" && googleCodeNumber(e, c) == v.Number() {
				codes[c] = struct{}{}
			}
		}
	}
	b.codes[e.FullName()] = codes
	return codes
}

// googleCodeNumber is jsonformat's UnmarshalCode look-up (0 when the code is rejected).
func googleCodeNumber(e protoreflect.EnumDescriptor, val string) protoreflect.EnumNumber {
	name := strings.ReplaceAll(strings.ToUpper(val), "-", "_")
	if v := e.Values().ByName(protoreflect.Name(name)); v != nil && v.Number() != 0 {
		return v.Number()
	}
	values := e.Values()
	for i := 0; i < values.Len(); i++ {
		if proto.GetExtension(values.Get(i).Options(), apb.E_FhirOriginalCode).(string) == val {
			return values.Get(i).Number()
		}
	}
	return 0
}
