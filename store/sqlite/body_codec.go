package sqlite

import (
	"fmt"

	"github.com/klauspost/compress/s2"
	"github.com/klauspost/compress/zstd"
)

// Body encodings, in column version.enc.
const (
	encRaw  = 0 // the bytes as given
	encZstd = 1 // a zstd frame of the bytes (written before encS2; still read)
	encS2   = 2 // an S2 block of the bytes
)

// bodyCodec compresses stored bodies with S2: JSON shrinks about 2.2x (zstd: 2.75x), and a body
// of 2 KB decodes in about 1.5 µs (zstd: 8 µs) and encodes in 3 µs (zstd: 15 µs), which matters
// on a page of 200 bodies and on every write. The bytes served back are exactly the bytes given.
// Bodies written in zstd by earlier versions are still decoded. Both methods are safe for
// concurrent use; the codec needs no closing (the zstd decoder holds no goroutine when used
// through DecodeAll only).
type bodyCodec struct {
	zdec *zstd.Decoder
}

// minPack is the smallest body worth compressing.
const minPack = 256

func newBodyCodec() (*bodyCodec, error) {
	dec, err := zstd.NewReader(nil, zstd.WithDecoderConcurrency(0))
	if err != nil {
		return nil, fmt.Errorf("sqlite: body decoder: %w", err)
	}
	return &bodyCodec{zdec: dec}, nil
}

// packedBody is a body as stored.
type packedBody struct {
	b   []byte
	enc int64
}

// pack encodes a body for storage; it keeps it raw when compression does not save an eighth.
func (c *bodyCodec) pack(body []byte) packedBody {
	if len(body) < minPack {
		return packedBody{b: body, enc: encRaw}
	}
	z := s2.EncodeBetter(make([]byte, s2.MaxEncodedLen(len(body))), body)
	if len(z) > len(body)-len(body)/8 {
		return packedBody{b: body, enc: encRaw}
	}
	return packedBody{b: z, enc: encS2}
}

// unpack decodes a stored body.
func (c *bodyCodec) unpack(b []byte, enc int64) ([]byte, error) {
	switch enc {
	case encRaw:
		return b, nil
	case encS2:
		out, err := s2.Decode(nil, b)
		if err != nil {
			return nil, fmt.Errorf("sqlite: decode stored body: %w", err)
		}
		return out, nil
	case encZstd:
		out, err := c.zdec.DecodeAll(b, nil)
		if err != nil {
			return nil, fmt.Errorf("sqlite: decode stored body: %w", err)
		}
		return out, nil
	}
	return nil, fmt.Errorf("sqlite: stored body has unknown encoding %d", enc)
}
