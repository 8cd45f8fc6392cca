// Package conformance is the ror conformance suite: `go test ./conformance/...` starts the real
// server in-process on an embedded SQLite store, loads the ROR IG examples and a generated
// ROR-conformant dataset, collects every kind of answer the server gives (resources, searchset and
// history Bundles, the CapabilityStatement, OperationOutcomes, conformance resources) and has them
// checked by independent public validators run with the machine's Node (npm @medplum/core and the
// official FHIR R4 JSON Schema, exact versions pinned in node/package-lock.json). A real FHIR client
// written by others (npm fhir-kit-client) then drives the server through create, read, paged search,
// update and history.
//
// The non-test files hold what the suite is made of: locating ../shared, the NOS code lists, the
// dataset generator, the collector of answers and the Node runner. They may also serve benchmarks.
//
// This package is a consumer of the server like any client: the server's packages must never
// import it.
package conformance
