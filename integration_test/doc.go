// Package integration holds the HTTP scenario tests of the ror server: the real api and service
// over a real store (SQLite in a temporary directory), driven through httptest, with answers
// compared structurally. It has no non-test code.
//
// It may import anything in the module; nothing may import it.
package integration
