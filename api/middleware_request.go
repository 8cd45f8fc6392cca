package api

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"runtime/debug"
	"strconv"
	"sync/atomic"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/rs/zerolog"

	"github.com/rorfhir/ror/fhir/fherr"
)

const (
	headerRequestID = "X-Request-Id"
	ctxKeyCause     = "ror.cause" // the error behind a 5xx, for the log line
)

// requestIDs generates request ids: a random per-process prefix and a counter (cheap, unique).
type requestIDs struct {
	prefix string
	n      atomic.Uint64
}

func newRequestIDs() *requestIDs {
	var b [6]byte
	_, _ = rand.Read(b[:])
	return &requestIDs{prefix: hex.EncodeToString(b[:]) + "-"}
}

func (g *requestIDs) next() string {
	return g.prefix + strconv.FormatUint(g.n.Add(1), 36)
}

// validRequestID accepts client ids of up to 128 visible ASCII characters.
func validRequestID(id string) bool {
	if id == "" || len(id) > 128 {
		return false
	}
	for i := 0; i < len(id); i++ {
		if id[i] < 0x21 || id[i] > 0x7e {
			return false
		}
	}
	return true
}

// middleware wraps every request: request id (echoed or generated), panic recovery into a 500
// OperationOutcome, and one log line (request id, method, path, status, latency, bytes).
func (s *server) middleware(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		start := time.Now()
		req := c.Request()
		id := req.Header.Get(headerRequestID)
		if !validRequestID(id) {
			id = s.ids.next()
		}
		c.Response().Header().Set(headerRequestID, id)

		err := s.recoverCall(next, c)
		if err != nil {
			c.Error(err)
		}

		res := c.Response()
		lvl := zerolog.InfoLevel
		if res.Status >= 500 {
			lvl = zerolog.ErrorLevel
		}
		ev := s.log.WithLevel(lvl)
		if ev == nil {
			return nil
		}
		ev = ev.Str("request_id", id).Str("method", req.Method).Str("path", req.URL.Path).
			Int("status", res.Status).Dur("latency", time.Since(start)).Int64("bytes", res.Size)
		if cause, ok := c.Get(ctxKeyCause).(error); ok && cause != nil {
			ev = ev.AnErr("cause", cause)
		}
		if st, ok := c.Get(ctxKeyStack).(string); ok {
			ev = ev.Str("stack", st)
		}
		ev.Msg("request")
		return nil
	}
}

const ctxKeyStack = "ror.stack"

// recoverCall runs next, turning a panic into a 500 fault (cause and stack logged, not shown).
func (s *server) recoverCall(next echo.HandlerFunc, c echo.Context) (err error) {
	defer func() {
		if r := recover(); r != nil {
			c.Set(ctxKeyStack, string(debug.Stack()))
			err = fherr.Fault(fmt.Errorf("panic: %v", r))
		}
	}()
	return next(c)
}
