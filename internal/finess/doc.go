// Package finess imports the FINESS establishments extraction that data.gouv.fr publishes
// ("etalab-cs1100507-stock-*.csv") into ROR resources: one Organization per legal entity (EJ), one
// per site (EG, partOf its EJ) and one Location per geolocated site, following the ror-organization
// and ror-location profiles (IG ans.fhir.fr.ror 0.7.0).
//
// The work is pure logic over a stream: Reader parses the file line by line (quoted fields,
// Latin-1 files, bad lines reported and skipped), the projections convert Lambert-93 and the
// overseas UTM zones to WGS84, the mapping builds deterministic compact JSON, and Importer sends
// batches to a Target (the write path of the server, adapted by the caller) and closes the
// establishments that disappeared from the file. Guard keeps the FINESS-sourced elements owned by
// the import: API writes that change them are refused.
//
// Throughput: the file is read on while batches are written (Options.InFlight batches at once,
// distinct resources, outcomes counted and reported in file order); the Target (the service's
// Upsert) prepares each batch in parallel. On the real store the critical path is the store's
// single writer (PutMany with the search index), not the reading, mapping or checks.
//
// Sites without a commune code: the ror-location profile requires the commune COG extension, so a
// geolocated site whose commune field is empty gets no valid Location; the server refuses it and
// the import reports it (line, id, reason) in Rejected. The commune is not guessed: in the shared
// national file the two such sites (770015121, 770022424) have CEDEX postal lines that no other
// line shares. Their EG Organizations are written.
//
// Identifiers (ids) of the resources, derived from the FINESS numbers so that a re-import finds
// them: Organization/finess-ej-<nofinessej>, Organization/finess-eg-<nofinesset>,
// Location/finess-loc-<nofinesset>. A resource whose id starts with "finess-" is FINESS-sourced.
//
// This package must not import api, internal/service, echo, or any store backend; it imports
// store only for the Version type the Guard receives, and fhir/fherr for its issues.
package finess
