package profiles

import "github.com/rorfhir/ror/internal/shareddir"

// SharedDir returns the folder of the reference data (ror-ig/, nos/): $ROR_SHARED when set, else
// ../shared next to the repository root.
func SharedDir() (string, error) { return shareddir.Find("ror-ig") }
