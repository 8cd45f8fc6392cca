// Package bench is the benchmark suite of the ror server (issue 6): on a fresh data directory it
// imports the national FINESS file (timing it next to a raw store insert of the same documents),
// generates ROR HealthcareServices through the service's batch path, serves the real HTTP stack on
// a loopback listener and drives it with a closed-loop load generator, scenario by scenario, next
// to a plain net/http baseline returning the same bytes from memory. It reports a Markdown table,
// a JSON document (see Report) and the goals of the issue, each met or not with its number.
//
// The server runs in the benchmark's own process: the resident memory reported (VmRSS sampled
// during each scenario) is that of the whole process, load generator included (an upper bound of
// the server's). cmd/rorbench is the thin command around Run.
//
// Scenarios whose server feature does not exist yet (the server answers 400 not-supported under
// Prefer: handling=strict, 404 or 405) are reported as "not available yet" with the server's
// reason; they light up by themselves when the feature lands.
package bench
