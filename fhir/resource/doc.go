// Package resource handles FHIR resources as the client's raw JSON bytes: Parse reads what the
// server needs (type, id, meta) and checks its shape, Stamp sets id and meta.versionId/lastUpdated
// while keeping every other member as sent (decimals, primitive extensions, contained and unknown
// elements), and CheckStructure checks a body against the base R4 structure definitions.
//
// Bodies are never unmarshalled into typed structs or maps of interface{} on the write path: the
// top level is scanned, member values are kept as raw JSON.
//
// This package must not import api, internal/..., store or any store backend; it may import
// fhir/fherr only.
package resource
