package sqlite

// SchemaVersion is the schema version this program migrates to (for tests).
var SchemaVersion = len(migrations())
