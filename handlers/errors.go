package handlers

import (
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"

	"github.com/hearth-server/hearth/core"
)

// httpStatus maps gRPC codes to HTTP statuses the way Nakama's gateway does.
var httpStatus = map[core.Code]int{
	core.CodeOK:                 http.StatusOK,
	core.CodeCanceled:           499,
	core.CodeUnknown:            http.StatusInternalServerError,
	core.CodeInvalidArgument:    http.StatusBadRequest,
	core.CodeDeadlineExceeded:   http.StatusGatewayTimeout,
	core.CodeNotFound:           http.StatusNotFound,
	core.CodeAlreadyExists:      http.StatusConflict,
	core.CodePermissionDenied:   http.StatusForbidden,
	core.CodeResourceExhausted:  http.StatusTooManyRequests,
	core.CodeFailedPrecondition: http.StatusBadRequest,
	core.CodeAborted:            http.StatusConflict,
	core.CodeOutOfRange:         http.StatusBadRequest,
	core.CodeUnimplemented:      http.StatusNotImplemented,
	core.CodeInternal:           http.StatusInternalServerError,
	core.CodeUnavailable:        http.StatusServiceUnavailable,
	core.CodeDataLoss:           http.StatusInternalServerError,
	core.CodeUnauthenticated:    http.StatusUnauthorized,
}

// errorBody is Nakama's REST error shape. "error" repeats the message for older clients
// that read that key.
type errorBody struct {
	Code    core.Code `json:"code"`
	Message string    `json:"message"`
	Error   string    `json:"error"`
}

// writeError is the one place REST errors are written. Anything that is not a
// *core.Error becomes an internal error; causes are logged, never sent.
func writeError(w http.ResponseWriter, r *http.Request, log *slog.Logger, err error) {
	e := core.AsError(err)
	status, ok := httpStatus[e.Code]
	if !ok {
		status = http.StatusInternalServerError
	}
	if e.Err != nil {
		// Server faults are errors; a refused client mistake is worth a line at debug.
		level := slog.LevelDebug
		switch e.Code {
		case core.CodeInternal, core.CodeUnknown, core.CodeDataLoss, core.CodeUnavailable:
			level = slog.LevelError
		}
		log.LogAttrs(r.Context(), level, "request failed",
			slog.String("method", r.Method), slog.String("path", r.URL.Path),
			slog.Int("code", int(e.Code)), slog.String("message", e.Message), slog.Any("cause", e.Err))
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(errorBody{Code: e.Code, Message: e.Message, Error: e.Message})
}

// Refusals made at the edge, before any operation runs.
var (
	errNotFound         = core.Errorf(core.CodeNotFound, "Not Found")
	errMethodNotAllowed = core.Errorf(core.CodeUnimplemented, "Method Not Allowed")
	errBodyTooLarge     = core.Errorf(core.CodeInvalidArgument, "Request body too large.")
	errBodyUnreadable   = core.Errorf(core.CodeInvalidArgument, "Request body could not be read.")
	errBodyNotJSON      = core.Errorf(core.CodeInvalidArgument, "Request body is not valid JSON.")
	errServerKeyMissing = core.Errorf(core.CodeUnauthenticated, "Server key required")
	errServerKeyInvalid = core.Errorf(core.CodeUnauthenticated, "Server key invalid")
	errTokenMissing     = core.Errorf(core.CodeUnauthenticated, "Auth token required")
	errTokenInvalid     = core.Errorf(core.CodeUnauthenticated, "Auth token invalid")
	errHTTPKeyInvalid   = core.Errorf(core.CodeUnauthenticated, "HTTP key invalid")
	errInternal         = core.Errorf(core.CodeInternal, "Internal server error.")
)

// errNotBuilt answers operations whose area has not landed yet.
var errNotBuilt = core.Errorf(core.CodeUnimplemented, "Not implemented yet.")

// errUnwrapped tells ServeHTTP that prepare left an unwrapped RPC for it to answer.
var errUnwrapped = errors.New("rpc called with unwrap")
