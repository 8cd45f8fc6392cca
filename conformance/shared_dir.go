package conformance

import "github.com/rorfhir/ror/internal/shareddir"

// SharedDir locates the read-only reference data folder (the ROR IG files, the NOS code lists):
// $ROR_SHARED when set, else ../shared beside the repository root.
func SharedDir() (string, error) { return shareddir.Find("ror-ig") }
