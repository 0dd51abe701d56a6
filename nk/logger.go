package nk

import (
	"context"
	"fmt"
	"log/slog"
	"maps"

	"github.com/heroiclabs/nakama-common/runtime"
)

// logger is the runtime.Logger modules receive: printf-style calls over slog, with
// fields carried as slog attributes.
type logger struct {
	log    *slog.Logger
	fields map[string]any
}

var _ runtime.Logger = (*logger)(nil)

func newLogger(log *slog.Logger) *logger {
	return &logger{log: log, fields: map[string]any{}}
}

func (l *logger) emit(level slog.Level, format string, v []any) {
	if !l.log.Enabled(context.Background(), level) {
		return
	}
	l.log.Log(context.Background(), level, fmt.Sprintf(format, v...))
}

func (l *logger) Debug(format string, v ...any) { l.emit(slog.LevelDebug, format, v) }
func (l *logger) Info(format string, v ...any)  { l.emit(slog.LevelInfo, format, v) }
func (l *logger) Warn(format string, v ...any)  { l.emit(slog.LevelWarn, format, v) }
func (l *logger) Error(format string, v ...any) { l.emit(slog.LevelError, format, v) }

// WithField returns a logger that adds key to every line.
func (l *logger) WithField(key string, v any) runtime.Logger {
	return l.WithFields(map[string]any{key: v})
}

// WithFields returns a logger that adds fields to every line.
func (l *logger) WithFields(fields map[string]any) runtime.Logger {
	out := &logger{log: l.log, fields: maps.Clone(l.fields)}
	for k, v := range fields {
		out.fields[k] = v
		out.log = out.log.With(slog.Any(k, v))
	}
	return out
}

// Fields returns the fields this logger adds.
func (l *logger) Fields() map[string]any { return maps.Clone(l.fields) }
