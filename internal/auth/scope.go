package auth

import "strings"

// permission is one SMART v2 permission letter: c(reate) r(ead) u(pdate) d(elete) s(earch).
type permission byte

// required returns the SMART permission an interaction needs, and false when the interaction
// needs none (the CapabilityStatement is public; a batch or transaction needs the permissions of
// its entries, each decided on its own).
//
// SMART v2 puts read, vread and instance history under "r", search and type/system history under
// "s"; v1 ".read" grants both.
func required(i Interaction, instance bool) (permission, bool) {
	switch i {
	case Capabilities, Transaction:
		return 0, false
	case Read, VRead:
		return 'r', true
	case History:
		if instance {
			return 'r', true
		}
		return 's', true
	case Search:
		return 's', true
	case Create:
		return 'c', true
	case Update, Patch:
		return 'u', true
	case Delete:
		return 'd', true
	case Operation:
		return 'r', true
	}
	return 'r', true
}

// grants reports whether one scope string grants permission p on resource type typ ("" for a
// system-level interaction, which only a wildcard scope grants).
//
// Accepted forms: system/<Type|*>.<read|write|*> (SMART v1) and system/<Type|*>.<cruds subset>
// (SMART v2, letters in c,r,u,d,s order, optionally followed by ?query which is not supported and
// makes the scope grant nothing).
func grants(scope, typ string, p permission) bool {
	rest, ok := strings.CutPrefix(scope, "system/")
	if !ok {
		return false
	}
	res, perms, ok := strings.Cut(rest, ".")
	if !ok || res == "" || perms == "" {
		return false
	}
	if res != "*" && res != typ {
		return false
	}
	switch perms {
	case "*":
		return true
	case "read":
		return p == 'r' || p == 's'
	case "write":
		return p == 'c' || p == 'u' || p == 'd'
	}
	if !validV2(perms) {
		return false
	}
	return strings.IndexByte(perms, byte(p)) >= 0
}

// validV2 checks a SMART v2 permission string: a non-empty subsequence of "cruds".
func validV2(perms string) bool {
	const order = "cruds"
	at := 0
	for i := 0; i < len(perms); i++ {
		j := strings.IndexByte(order[at:], perms[i])
		if j < 0 {
			return false
		}
		at += j + 1
	}
	return true
}

// Allowed reports whether any of scopes grants the request.
func Allowed(scopes []string, r Request) bool {
	p, needed := required(r.Interaction, r.ID != "")
	if !needed {
		return true
	}
	for _, s := range scopes {
		if grants(s, r.Type, p) {
			return true
		}
	}
	return false
}
