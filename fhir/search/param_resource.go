package search

import (
	"encoding/json"
	"strings"
)

// searchParameter is the SearchParameter resource served for a Param (read-only, generated from
// the registry).
type searchParameter struct {
	ResourceType string   `json:"resourceType"`
	ID           string   `json:"id"`
	URL          string   `json:"url"`
	Name         string   `json:"name"`
	Status       string   `json:"status"`
	Description  string   `json:"description"`
	Code         string   `json:"code"`
	Base         []string `json:"base"`
	Type         string   `json:"type"`
	Expression   string   `json:"expression,omitempty"`
	Target       []string `json:"target,omitempty"`
	Modifier     []string `json:"modifier,omitempty"`
	Comparator   []string `json:"comparator,omitempty"`
	Chain        []string `json:"chain,omitempty"`
}

// ParamID returns the id of p's SearchParameter resource: its own ID, else the last segment of
// its URL.
func ParamID(p Param) string {
	if p.ID != "" {
		return p.ID
	}
	return p.URL[strings.LastIndexByte(p.URL, '/')+1:]
}

// Documentation is what the server says of p: its description and, when the published definition
// was broken, how the server's departs from it.
func Documentation(p Param) string {
	if p.Fix == "" {
		return p.Description
	}
	return p.Description + ". Server fix: " + p.Fix + "."
}

// modifiersOf lists the modifiers the server supports per parameter type.
func modifiersOf(typ string) []string {
	switch typ {
	case TypeString:
		return []string{"missing", "exact", "contains"}
	case TypeToken:
		return []string{"missing", "not", "text", "ofType"} // ofType: the code of the :of-type modifier
	case TypeReference:
		return []string{"missing", "type", "identifier"}
	case TypeURI:
		return []string{"missing", "above", "below"}
	}
	return []string{"missing"}
}

// SearchParameterJSON returns the SearchParameter resource describing p as the server implements
// it (expression, types, supported modifiers and comparators; Documentation as description).
func SearchParameterJSON(p Param) []byte {
	sp := searchParameter{ResourceType: "SearchParameter", ID: ParamID(p), URL: p.URL, Name: p.Code, Status: "active",
		Description: Documentation(p), Code: p.Code, Base: p.Base, Type: p.Type, Expression: p.Expression,
		Target: p.Targets, Modifier: modifiersOf(p.Type)}
	switch p.Type {
	case TypeDate, TypeNumber, TypeQuantity:
		sp.Comparator = prefixes[:]
	case TypeReference:
		sp.Chain = []string{"*"}
	}
	b, err := json.Marshal(sp)
	if err != nil { // strings only
		panic("search: SearchParameter cannot be encoded: " + err.Error())
	}
	return b
}
