package realtime

import (
	"errors"
	"log/slog"

	"github.com/heroiclabs/nakama-common/rtapi"

	"github.com/hearth-server/hearth/core"
)

// Error is a refusal on the socket: an rtapi.Error code (0-7) and a fixed,
// client-facing message. Handlers return it where Nakama answers with a socket-specific
// code; core errors are mapped by errorEnvelope.
type Error struct {
	Code    rtapi.Error_Code
	Message string
}

func (e *Error) Error() string { return e.Message }

// socketError builds a refusal.
func socketError(code rtapi.Error_Code, message string) *Error {
	return &Error{Code: code, Message: message}
}

// Refusals of the front door itself, with Nakama's codes and messages where Nakama has
// them.
var (
	errMissingMessage  = socketError(rtapi.Error_MISSING_PAYLOAD, "Missing message.")
	errUnknownMessage  = socketError(rtapi.Error_UNRECOGNIZED_PAYLOAD, "Unrecognized message.")
	errMalformed       = socketError(rtapi.Error_UNRECOGNIZED_PAYLOAD, "Received malformed payload.")
	errWrongFrameType  = socketError(rtapi.Error_UNRECOGNIZED_PAYLOAD, "Received unexpected WebSocket message type.")
	errTooLarge        = socketError(rtapi.Error_BAD_INPUT, "Message exceeds the maximum size.")
	errHookDisabled    = socketError(rtapi.Error_UNRECOGNIZED_PAYLOAD, "Requested resource was not found.")
	errRPCIDMissing    = socketError(rtapi.Error_BAD_INPUT, "RPC ID must be set")
	errRPCNotFound     = socketError(rtapi.Error_RUNTIME_FUNCTION_NOT_FOUND, "RPC function not found")
	errInvalidUserID   = socketError(rtapi.Error_BAD_INPUT, "Invalid user identifier")
	errInvalidUsername = socketError(rtapi.Error_BAD_INPUT, "Invalid username")
	errStatusTooLong   = socketError(rtapi.Error_BAD_INPUT, "Status must be 2048 characters or less")
)

// errorEnvelope turns any handler error into the rtapi.Error the client receives.
// Core refusals keep their message: input and permission refusals become BAD_INPUT, as
// Nakama's pipeline answers them; anything unexpected is RUNTIME_EXCEPTION with a fixed
// message, its cause logged and never sent.
func errorEnvelope(log *slog.Logger, cid string, err error) *rtapi.Envelope {
	var se *Error
	if !errors.As(err, &se) {
		ce := core.AsError(err)
		se = &Error{Code: rtapi.Error_BAD_INPUT, Message: ce.Message}
		if ce.Code == core.CodeInternal || ce.Code == core.CodeUnknown || ce.Code == core.CodeUnavailable {
			se.Code = rtapi.Error_RUNTIME_EXCEPTION
			log.Error("socket request failed", slog.String("cid", cid), slog.Any("error", err))
		}
	}
	return &rtapi.Envelope{Cid: cid, Message: &rtapi.Envelope_Error{Error: &rtapi.Error{Code: int32(se.Code), Message: se.Message}}}
}
