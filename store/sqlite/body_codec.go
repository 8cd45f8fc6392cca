package sqlite

import (
	"fmt"

	"github.com/klauspost/compress/zstd"
)

// Body encodings, in column version.enc.
const (
	encRaw  = 0 // the bytes as given
	encZstd = 1 // a zstd frame of the bytes
)

// bodyCodec compresses stored bodies: JSON shrinks about 2x, which more than pays for the few
// microseconds of decoding on reads (smaller file, more of it in cache). The bytes served back are
// exactly the bytes given. Both methods are safe for concurrent use.
type bodyCodec struct {
	enc *zstd.Encoder
	dec *zstd.Decoder
}

// minPack is the smallest body worth compressing.
const minPack = 256

func newBodyCodec() (*bodyCodec, error) {
	enc, err := zstd.NewWriter(nil, zstd.WithEncoderLevel(zstd.SpeedDefault), zstd.WithEncoderCRC(false))
	if err != nil {
		return nil, fmt.Errorf("sqlite: body encoder: %w", err)
	}
	dec, err := zstd.NewReader(nil, zstd.WithDecoderConcurrency(0))
	if err != nil {
		_ = enc.Close()
		return nil, fmt.Errorf("sqlite: body decoder: %w", err)
	}
	return &bodyCodec{enc: enc, dec: dec}, nil
}

// close releases the encoder. The decoder is left to the garbage collector: it holds no
// goroutine when used through DecodeAll only, and closing it would race with a read decoding
// during Close.
func (c *bodyCodec) close() {
	_ = c.enc.Close()
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
	z := c.enc.EncodeAll(body, make([]byte, 0, len(body)/2))
	if len(z) > len(body)-len(body)/8 {
		return packedBody{b: body, enc: encRaw}
	}
	return packedBody{b: z, enc: encZstd}
}

// unpack decodes a stored body.
func (c *bodyCodec) unpack(b []byte, enc int64) ([]byte, error) {
	switch enc {
	case encRaw:
		return b, nil
	case encZstd:
		out, err := c.dec.DecodeAll(b, nil)
		if err != nil {
			return nil, fmt.Errorf("sqlite: decode stored body: %w", err)
		}
		return out, nil
	}
	return nil, fmt.Errorf("sqlite: stored body has unknown encoding %d", enc)
}
