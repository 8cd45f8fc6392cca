package search

import (
	"encoding/base64"
	"encoding/binary"
	"errors"
	"hash/fnv"

	"github.com/rorfhir/ror/store"
)

// CursorParam is the query parameter carrying a paging cursor in next links.
const CursorParam = "_cursor"

// cursorVersion is the first byte of every cursor; bump it when the layout changes.
const cursorVersion = 1

// Cursor is the state of a paged search, held by the client in the next link (the server keeps
// none): where the previous page ended, the change-sequence snapshot of the first page, and a hash
// of the query it belongs to.
type Cursor struct {
	After     store.Position
	MaxSeq    int64
	QueryHash uint64
}

// EncodeCursor returns c as an opaque URL-safe string.
func EncodeCursor(c Cursor) string {
	b := make([]byte, 0, 64)
	b = append(b, cursorVersion)
	b = binary.BigEndian.AppendUint64(b, c.QueryHash)
	b = binary.AppendVarint(b, c.MaxSeq)
	b = binary.AppendUvarint(b, uint64(len(c.After.Keys)))
	for _, k := range c.After.Keys {
		if k == nil {
			b = append(b, 0)
			continue
		}
		b = append(b, 1)
		b = binary.AppendUvarint(b, uint64(len(*k)))
		b = append(b, *k...)
	}
	b = binary.AppendUvarint(b, uint64(len(c.After.ID)))
	b = append(b, c.After.ID...)
	return base64.RawURLEncoding.EncodeToString(b)
}

var errCursor = errors.New("malformed cursor")

// DecodeCursor reads a cursor made by EncodeCursor. Errors wrap store.ErrInvalidCursor.
func DecodeCursor(s string) (Cursor, error) {
	var c Cursor
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil || len(b) < 9 || b[0] != cursorVersion {
		return c, errors.Join(store.ErrInvalidCursor, errCursor)
	}
	c.QueryHash = binary.BigEndian.Uint64(b[1:9])
	b = b[9:]
	var n int
	if c.MaxSeq, n = binary.Varint(b); n <= 0 {
		return c, errors.Join(store.ErrInvalidCursor, errCursor)
	}
	b = b[n:]
	nk, n := binary.Uvarint(b)
	if n <= 0 || nk > 16 {
		return c, errors.Join(store.ErrInvalidCursor, errCursor)
	}
	b = b[n:]
	readStr := func() (string, bool) {
		l, n := binary.Uvarint(b)
		if n <= 0 || uint64(len(b)-n) < l {
			return "", false
		}
		s := string(b[n : n+int(l)])
		b = b[n+int(l):]
		return s, true
	}
	for i := uint64(0); i < nk; i++ {
		if len(b) == 0 {
			return c, errors.Join(store.ErrInvalidCursor, errCursor)
		}
		flag := b[0]
		b = b[1:]
		switch flag {
		case 0:
			c.After.Keys = append(c.After.Keys, nil)
		case 1:
			k, ok := readStr()
			if !ok {
				return c, errors.Join(store.ErrInvalidCursor, errCursor)
			}
			c.After.Keys = append(c.After.Keys, &k)
		default:
			return c, errors.Join(store.ErrInvalidCursor, errCursor)
		}
	}
	id, ok := readStr()
	if !ok || len(b) != 0 {
		return c, errors.Join(store.ErrInvalidCursor, errCursor)
	}
	c.After.ID = id
	return c, nil
}

// queryHash identifies a search (type and canonical query, page size excluded).
func queryHash(typ, canonicalNoCount string) uint64 {
	h := fnv.New64a()
	h.Write([]byte(typ))
	h.Write([]byte{'?'})
	h.Write([]byte(canonicalNoCount))
	return h.Sum64()
}
