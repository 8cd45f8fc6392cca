// Package search is the search layer of the server: search parameters as data (Param, Registry,
// R4BaseParams), extraction of their values from a resource's JSON at write time (Registry.Extract
// → store.Index), parsing of a FHIR search query into the store's normalised predicates
// (Registry.ParseQuery → store.Query plus the result controls), and the stateless paging cursor.
//
// Extraction and query parsing read the same registry, so what is indexed and what can be searched
// cannot drift; the CapabilityStatement is generated from it too (Registry.Params).
//
// Typical use by the HTTP layer:
//
//	s, warnings, err := reg.ParseQuery("Organization", r.URL.Query(), search.Options{MaxCount: 1000, Strict: strict})
//	res, err := st.Search(ctx, s.Query)
//	self := base + "/Organization?" + s.Canonical
//	if res.Next != nil {
//		next := self + "&" + search.CursorParam + "=" + s.NextCursor(*res.Next, res.MaxSeq)
//	}
//
// The registry of the server (Default) holds the R4 base parameters (R4BaseParams) and the 36
// SearchParameters of the ROR IG (RORParams): our own definitions with the IG's canonical URLs.
// Where the published definition is broken the server implements what it clearly intends, and
// Param.Fix says how (served in the CapabilityStatement's searchParam.documentation and in the
// SearchParameter resources): capacity parameters read CodeableConcept sub-extensions that the IG
// reads with .as(code); equipment-feature and limit-value also read ror-location-equipment-limit
// nested in ror-location-equipment; the dangling extension URLs of oi-name, HealthcareService
// equipment-type and near-insee-code are completed with the 0.7.0 / fr-core extensions carrying the
// data (near-insee-code is a token); price-validity-start-date reads ror-organization-price;
// special-price reads specialPrice; amount-value is served as price-amount-value.
//
// Expressions are evaluated by a small path walker (paths, "|", where(resolve() is T),
// where(field='v'), ofType(T), "as T") on the decoded JSON; anything else falls back to the
// FHIRPath engine (github.com/gofhir/fhirpath), about 2.5x slower.
//
// Derived index entries use synthetic parameter names: "<code>:of-type" (identifier type and
// value, Code = "typeCode|value") and "<code>:identifier" (identifier of a reference).
// A parameter with several values gets the smallest as its sort key, in either direction. No sort
// key is kept for _id (the stores sort by id natively), _profile, _security, _source, _tag and
// phonetic (Sortable): _sort refuses them, which keeps the index under the size of the stored JSON.
//
// This package imports store for its types only (Index, Query) and fhir/fherr, fhir/textfold. It
// must not import api, internal/..., or any store backend.
package search
