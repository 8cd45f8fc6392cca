package app

import (
	"io"
	"time"

	"github.com/rs/zerolog"

	"github.com/rorfhir/ror/internal/config"
)

// NewLogger builds the server's logger from the configuration (JSON lines by default, a
// human-readable console format on request). It is passed down explicitly: no global logger.
func NewLogger(cfg config.Config, w io.Writer) zerolog.Logger {
	level, err := zerolog.ParseLevel(cfg.LogLevel)
	if err != nil {
		level = zerolog.InfoLevel
	}
	if cfg.LogFormat == "console" {
		w = zerolog.ConsoleWriter{Out: w, TimeFormat: time.RFC3339}
	}
	return zerolog.New(w).Level(level).With().Timestamp().Logger()
}
