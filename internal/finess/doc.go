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
// Identifiers (ids) of the resources, derived from the FINESS numbers so that a re-import finds
// them: Organization/finess-ej-<nofinessej>, Organization/finess-eg-<nofinesset>,
// Location/finess-loc-<nofinesset>. A resource whose id starts with "finess-" is FINESS-sourced.
//
// This package must not import api, internal/service, echo, or any store backend; it imports
// store only for the Version type the Guard receives, and fhir/fherr for its issues.
package finess
