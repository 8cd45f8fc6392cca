package api

// capOperation is an operation of the CapabilityStatement.
type capOperation struct {
	Name       string `json:"name"`
	Definition string `json:"definition"`
}

// r4Operation is the canonical prefix of the R4 OperationDefinitions.
const r4Operation = "http://hl7.org/fhir/OperationDefinition/"

// typeOperations lists the operations supported on typ: $validate everywhere, $validate-code and
// $expand on ValueSet.
func typeOperations(typ string) []capOperation {
	ops := []capOperation{{Name: "validate", Definition: r4Operation + "Resource-validate"}}
	if typ == "ValueSet" {
		ops = append(ops,
			capOperation{Name: "validate-code", Definition: r4Operation + "ValueSet-validate-code"},
			capOperation{Name: "expand", Definition: r4Operation + "ValueSet-expand"})
	}
	return ops
}

// conformanceResources are the read-only resources generated from the server's definitions:
// StructureDefinition (the ROR profiles and extensions) and SearchParameter (the registry).
func conformanceResources() []capResource {
	ro := func(typ string, params ...capSearchParam) capResource {
		return capResource{
			Type:              typ,
			Interaction:       []capInteraction{{Code: "read"}, {Code: "search-type"}},
			Versioning:        "no-version",
			ConditionalRead:   "not-supported",
			ConditionalDelete: "not-supported",
			SearchParam:       params,
		}
	}
	p := func(name, typ string) capSearchParam { return capSearchParam{Name: name, Type: typ} }
	return []capResource{
		ro("SearchParameter", p("_id", "token"), p("base", "token"), p("code", "token"), p("name", "string"),
			p("type", "token"), p("url", "uri")),
		ro("StructureDefinition", p("_id", "token"), p("base", "uri"), p("derivation", "token"), p("kind", "token"),
			p("name", "string"), p("status", "token"), p("title", "string"), p("type", "token"), p("url", "uri"),
			p("version", "token")),
	}
}
