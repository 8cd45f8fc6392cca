package finess

import (
	"context"
	"testing"
)

func TestImportMark(t *testing.T) {
	ctx := context.Background()
	if IsImport(ctx) {
		t.Error("a plain context is not the import's")
	}
	if !IsImport(importing(ctx)) {
		t.Error("the import's context is not recognised")
	}
	// A look-alike key of another type does not count.
	type importKey struct{}
	if IsImport(context.WithValue(ctx, importKey{}, true)) {
		t.Error("forged mark accepted")
	}
}
