package api

import (
	"encoding/json"
	"fmt"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/rorfhir/ror/internal/service"
)

// The CapabilityStatement, as typed structs: only what the server fills in.
type capabilityStatement struct {
	ResourceType   string           `json:"resourceType"`
	Status         string           `json:"status"`
	Date           string           `json:"date"`
	Publisher      string           `json:"publisher,omitempty"`
	Kind           string           `json:"kind"`
	Software       capSoftware      `json:"software"`
	Implementation *capImplementing `json:"implementation,omitempty"`
	FHIRVersion    string           `json:"fhirVersion"`
	Format         []string         `json:"format"`
	Rest           []capRest        `json:"rest"`
}

type capSoftware struct {
	Name    string `json:"name"`
	Version string `json:"version,omitempty"`
}

type capImplementing struct {
	Description string `json:"description"`
}

type capRest struct {
	Mode        string           `json:"mode"`
	Resource    []capResource    `json:"resource"`
	Interaction []capInteraction `json:"interaction"`
}

type capInteraction struct {
	Code          string `json:"code"`
	Documentation string `json:"documentation,omitempty"`
}

type capResource struct {
	Type              string           `json:"type"`
	Interaction       []capInteraction `json:"interaction"`
	Versioning        string           `json:"versioning"`
	ReadHistory       bool             `json:"readHistory"`
	UpdateCreate      bool             `json:"updateCreate"`
	ConditionalCreate bool             `json:"conditionalCreate"`
	ConditionalRead   string           `json:"conditionalRead"`
	ConditionalUpdate bool             `json:"conditionalUpdate"`
	ConditionalDelete string           `json:"conditionalDelete"`
	SearchParam       []capSearchParam `json:"searchParam,omitempty"`
	SupportedProfile  []string         `json:"supportedProfile,omitempty"`
	Operation         []capOperation   `json:"operation,omitempty"`
}

type capSearchParam struct {
	Name          string `json:"name"`
	Definition    string `json:"definition,omitempty"`
	Type          string `json:"type"`
	Documentation string `json:"documentation,omitempty"`
}

// searchOrder documents the order of a search without _sort (fhir/search/query_sync_order.go).
const searchOrder = "Without _sort, results come in id order, except a search bounded below on _lastUpdated " +
	"(ge, gt, sa, eq), which comes in _lastUpdated order, oldest change first, as with _sort=_lastUpdated " +
	"(the self link says so). Following next links never repeats a resource: the pages keep the first page's snapshot."

// typeInteractions are the interactions every served type supports (FHIR codes).
func typeInteractions() []capInteraction {
	var out []capInteraction
	for _, code := range []string{"read", "vread", "update", "delete", "history-instance", "history-type", "create"} {
		out = append(out, capInteraction{Code: code})
	}
	out = append(out, capInteraction{Code: "search-type", Documentation: searchOrder})
	return append(out, capInteraction{Code: "patch", Documentation: patchFormats +
		". The patched resource goes through the checks of an update; it may not change id, resourceType, meta.versionId or meta.lastUpdated."})
}

// systemInteractions are the system-level interactions: history, batch and, when the store
// applies several writes all or nothing, transaction.
func systemInteractions(svc *service.Service) []capInteraction {
	entries := fmt.Sprintf("POST [base] with a Bundle of at most %d entries (POST, with ifNoneExist; PUT, with ifMatch; "+
		"PATCH, a Binary holding a JSON Patch; DELETE; GET and HEAD: read, vread, search); each entry is authorized and "+
		"checked as the same interaction sent alone", svc.MaxBundleEntries())
	out := []capInteraction{
		{Code: "history-system"},
		{Code: "batch", Documentation: entries + ". Each entry is processed on its own, with its own response."},
	}
	if svc.TransactionsSupported() {
		out = append(out, capInteraction{Code: "transaction", Documentation: entries +
			". All the writes are stored or none; urn:uuid and urn:oid fullUrls of the entries and conditional " +
			"references (Type?search, which must match exactly one resource and needs the right to search Type) are resolved."})
	}
	return out
}

// buildCapabilityStatement describes what the server supports, from the service: its types and
// the search parameters of its registry. Built once at start.
func buildCapabilityStatement(svc *service.Service, version string, now time.Time) []byte {
	if version == "" {
		version = "dev"
	}
	cs := capabilityStatement{
		ResourceType:   "CapabilityStatement",
		Status:         "active",
		Date:           now.UTC().Format(time.RFC3339),
		Publisher:      "ror",
		Kind:           "instance",
		Software:       capSoftware{Name: "ror", Version: version},
		Implementation: &capImplementing{Description: "ror: FHIR R4 server of the ROR (Répertoire Opérationnel des Ressources)"},
		FHIRVersion:    "4.0.1",
		Format:         []string{"application/fhir+json", "json"},
	}
	rest := capRest{Mode: "server", Interaction: systemInteractions(svc)}
	for _, typ := range svc.Types() {
		r := capResource{
			Type:              typ,
			Versioning:        "versioned-update",
			ReadHistory:       true,
			UpdateCreate:      true,
			ConditionalCreate: true,
			ConditionalRead:   "full-support",
			ConditionalUpdate: false,
			ConditionalDelete: "not-supported",
		}
		r.Interaction = typeInteractions()
		for _, p := range svc.SearchParams(typ) {
			r.SearchParam = append(r.SearchParam, capSearchParam{
				Name: p.Name, Definition: p.Definition, Type: p.Type, Documentation: p.Documentation,
			})
		}
		r.SupportedProfile = svc.SupportedProfiles(typ)
		r.Operation = typeOperations(typ)
		rest.Resource = append(rest.Resource, r)
	}
	rest.Resource = append(rest.Resource, conformanceResources()...)
	cs.Rest = []capRest{rest}
	b, err := json.Marshal(cs)
	if err != nil { // plain strings and bools only
		panic("api: CapabilityStatement cannot be encoded: " + err.Error())
	}
	return b
}

// metadata: GET [base]/metadata.
func (s *server) metadata(c echo.Context, _ string) error {
	return c.Blob(http.StatusOK, contentTypeFHIR, s.capability)
}
