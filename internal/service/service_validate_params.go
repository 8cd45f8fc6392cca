package service

import (
	"bytes"
	"encoding/json"
	"strconv"

	"github.com/rorfhir/ror/fhir/fherr"
)

// parameter is one Parameters.parameter, with the value types the operations read.
type parameter struct {
	Name           string          `json:"name"`
	Resource       json.RawMessage `json:"resource"`
	ValueCode      *string         `json:"valueCode"`
	ValueString    *string         `json:"valueString"`
	ValueURI       *string         `json:"valueUri"`
	ValueCanonical *string         `json:"valueCanonical"`
}

// text is the value of a code, string, uri or canonical parameter.
func (p parameter) text() (string, bool) {
	for _, v := range []*string{p.ValueCode, p.ValueString, p.ValueURI, p.ValueCanonical} {
		if v != nil {
			return *v, true
		}
	}
	return "", false
}

// parametersOf decodes body when it is a Parameters resource (ok false otherwise).
func parametersOf(body []byte) ([]parameter, bool) {
	var head struct {
		ResourceType string      `json:"resourceType"`
		Parameter    []parameter `json:"parameter"`
	}
	if err := json.Unmarshal(body, &head); err != nil || head.ResourceType != "Parameters" {
		return nil, false
	}
	return head.Parameter, true
}

// validateParams reads the resource, mode and profile of a $validate request from its URL and its
// body (the resource itself, or a Parameters).
func validateParams(req ValidateRequest) (body []byte, mode string, profiles []string, err error) {
	body = bytes.TrimSpace(req.Body)
	mode = req.Query.Get("mode")
	profiles = append(profiles, req.Query["profile"]...)
	if ps, ok := parametersOf(body); ok && req.Type != "Parameters" {
		body = nil
		for i, p := range ps {
			switch p.Name {
			case "resource":
				if len(p.Resource) == 0 {
					return nil, "", nil, fherr.Invalid("required", "Parameters.parameter["+strconv.Itoa(i)+"].resource",
						"the resource parameter carries no resource")
				}
				body = p.Resource
			case "mode":
				if v, ok := p.text(); ok {
					mode = v
				}
			case "profile":
				if v, ok := p.text(); ok {
					profiles = append(profiles, v)
				}
			}
		}
	}
	switch mode {
	case "", ModeCreate, ModeUpdate, ModeDelete:
	default:
		return nil, "", nil, fherr.Invalid("value", "mode", "mode %q is not one of create, update, delete", mode)
	}
	return body, mode, profiles, nil
}

// resourceID is the id of a JSON resource ("" when absent or unreadable).
func resourceID(body []byte) string {
	var head struct {
		ID string `json:"id"`
	}
	_ = json.Unmarshal(body, &head)
	return head.ID
}
