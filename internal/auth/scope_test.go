package auth

import "testing"

func TestAllowed(t *testing.T) {
	tests := []struct {
		name   string
		scopes []string
		req    Request
		want   bool
	}{
		{"v1 read grants read", []string{"system/*.read"}, Request{Interaction: Read, Type: "Organization", ID: "1"}, true},
		{"v1 read grants search", []string{"system/*.read"}, Request{Interaction: Search, Type: "Organization"}, true},
		{"v1 read refuses create", []string{"system/*.read"}, Request{Interaction: Create, Type: "Organization"}, false},
		{"v1 write grants update", []string{"system/Location.write"}, Request{Interaction: Update, Type: "Location", ID: "x"}, true},
		{"v1 write on another type", []string{"system/Location.write"}, Request{Interaction: Update, Type: "Organization", ID: "x"}, false},
		{"v1 star grants delete", []string{"system/*.*"}, Request{Interaction: Delete, Type: "Task", ID: "x"}, true},
		{"v2 rs grants read", []string{"system/*.rs"}, Request{Interaction: VRead, Type: "Organization", ID: "1"}, true},
		{"v2 rs grants type history", []string{"system/*.rs"}, Request{Interaction: History, Type: "Organization"}, true},
		{"v2 r alone refuses search", []string{"system/*.r"}, Request{Interaction: Search, Type: "Organization"}, false},
		{"v2 r grants instance history", []string{"system/*.r"}, Request{Interaction: History, Type: "Organization", ID: "1"}, true},
		{"v2 s grants type history", []string{"system/*.s"}, Request{Interaction: History, Type: "Organization"}, true},
		{"v2 cud grants patch", []string{"system/Location.cud"}, Request{Interaction: Patch, Type: "Location", ID: "1"}, true},
		{"v2 cud refuses read", []string{"system/Location.cud"}, Request{Interaction: Read, Type: "Location", ID: "1"}, false},
		{"v2 letters out of order are invalid", []string{"system/*.sr"}, Request{Interaction: Read, Type: "Location", ID: "1"}, false},
		{"v2 unknown letter invalid", []string{"system/*.rx"}, Request{Interaction: Read, Type: "Location", ID: "1"}, false},
		{"user scopes are not system scopes", []string{"user/*.read"}, Request{Interaction: Read, Type: "Location", ID: "1"}, false},
		{"system history needs a wildcard", []string{"system/Organization.rs"}, Request{Interaction: History}, false},
		{"system history with wildcard", []string{"system/*.rs"}, Request{Interaction: History}, true},
		{"capabilities need nothing", nil, Request{Interaction: Capabilities}, true},
		{"a bundle needs no scope of its own (its entries do)", []string{"system/Task.c"}, Request{Interaction: Transaction}, true},
		{"no scope refuses read", nil, Request{Interaction: Read, Type: "Organization", ID: "1"}, false},
		{"second scope grants", []string{"system/Task.c", "system/Organization.cruds"}, Request{Interaction: Delete, Type: "Organization", ID: "1"}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Allowed(tt.scopes, tt.req); got != tt.want {
				t.Errorf("Allowed(%v, %+v) = %v, want %v", tt.scopes, tt.req, got, tt.want)
			}
		})
	}
}
