package finess

import (
	"context"
	"encoding/json"
	"reflect"
	"strings"

	"github.com/rorfhir/ror/fhir/fherr"
	"github.com/rorfhir/ror/store"
)

// Guard refuses API writes that change a FINESS-owned element of a FINESS-sourced resource. It is
// meant to be one of the service's checks (its Check has the service.Check signature).
//
// A resource is FINESS-sourced when its id starts with IDPrefix ("finess-"): ids cannot change, so
// a client cannot remove the mark, and creating a resource with such an id is refused too. The
// owned elements are those the import writes (see the rules in resource_owned.go): Organization
// active, name, address, partOf, the finess/idNatSt/SIRET identifiers, the category and SPH types,
// the telecoms with element id finess-phone/finess-fax, the organization-period extension and the
// region tag; Location status, name, address, position, managingOrganization, the commune COG
// extension and the region tag.
//
// The import's own writes carry a context mark (set by Importer, unexported key: nothing a client
// sends can produce it) and pass.
type Guard struct{}

// Check returns error-severity business-rule issues, one per changed FINESS-owned element; none
// when the write may proceed. body is nil for a delete.
func (Guard) Check(ctx context.Context, typ string, current *store.Version, body []byte) ([]fherr.Issue, error) {
	if IsImport(ctx) {
		return nil, nil
	}
	rs := rulesFor(typ)
	if rs == nil {
		return nil, nil
	}
	if current == nil || current.Deleted {
		if body != nil && strings.HasPrefix(bodyID(body), IDPrefix) {
			return []fherr.Issue{issue(typ+".id", "ids starting with %q are reserved to resources imported from FINESS", IDPrefix)}, nil
		}
		return nil, nil
	}
	if !strings.HasPrefix(current.ID, IDPrefix) {
		return nil, nil
	}
	if body == nil {
		return []fherr.Issue{issue(typ, "%s/%s comes from FINESS and cannot be deleted: the FINESS import closes establishments that FINESS closes", typ, current.ID)}, nil
	}
	was, err := owned(rs, current.Body)
	if err != nil {
		return nil, nil // a stored body that is not an object: nothing to compare
	}
	now, err := owned(rs, body)
	if err != nil {
		return nil, nil // the structure check reports a malformed body
	}
	var issues []fherr.Issue
	for i, r := range rs {
		if !reflect.DeepEqual(was[i], now[i]) {
			expr := typ + "." + r.expr
			issues = append(issues, issue(expr, "%s comes from FINESS and cannot be changed in the ROR: it must be corrected in FINESS (the next import brings the correction)", expr))
		}
	}
	return issues, nil
}

func issue(expr, format string, args ...any) fherr.Issue {
	e := fherr.New(fherr.KindUnprocessable, "business-rule", expr, format, args...)
	return e.Issues[0]
}

func bodyID(body []byte) string {
	var v struct {
		ID string `json:"id"`
	}
	_ = json.Unmarshal(body, &v)
	return v.ID
}
