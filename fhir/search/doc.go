// Package search is the search layer of the server: search parameters as data (Param, Registry,
// R4Base), extraction of their values from a resource's JSON at write time (Registry.Extract →
// store.Index), parsing of a FHIR search query into the store's normalised predicates
// (Registry.ParseQuery → store.Query plus the result controls), and the stateless paging cursor.
//
// Extraction and query parsing read the same registry, so what is indexed and what can be searched
// cannot drift; the CapabilityStatement is generated from it too.
//
// This package imports store for its types only (Index, Query) and fhir/fherr, fhir/textfold. It
// must not import api, internal/..., or any store backend.
package search
