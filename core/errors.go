package core

import (
	"errors"
	"fmt"
)

// Code is a gRPC status code. Nakama's clients see these numbers in REST error bodies
// and socket errors, and SDK users match on them, so Hearth speaks the same numbers.
type Code int32

// The gRPC codes Hearth uses.
const (
	CodeOK                 Code = 0
	CodeCanceled           Code = 1
	CodeUnknown            Code = 2
	CodeInvalidArgument    Code = 3
	CodeDeadlineExceeded   Code = 4
	CodeNotFound           Code = 5
	CodeAlreadyExists      Code = 6
	CodePermissionDenied   Code = 7
	CodeResourceExhausted  Code = 8
	CodeFailedPrecondition Code = 9
	CodeAborted            Code = 10
	CodeOutOfRange         Code = 11
	CodeUnimplemented      Code = 12
	CodeInternal           Code = 13
	CodeUnavailable        Code = 14
	CodeDataLoss           Code = 15
	CodeUnauthenticated    Code = 16
)

// Error is the one error type that crosses the core boundary. Message is the fixed,
// client-facing text (Nakama's wording where Nakama has one); Err is the cause, which is
// logged and never sent to a client.
type Error struct {
	Code    Code
	Message string
	Err     error
}

func (e *Error) Error() string {
	if e.Err != nil {
		return fmt.Sprintf("%s (code %d): %v", e.Message, e.Code, e.Err)
	}
	return fmt.Sprintf("%s (code %d)", e.Message, e.Code)
}

func (e *Error) Unwrap() error { return e.Err }

// Errorf builds a client-facing error with no cause.
func Errorf(code Code, message string) *Error {
	return &Error{Code: code, Message: message}
}

// Internal wraps an unexpected failure: the client sees code 13 and message, the log
// sees the cause.
func Internal(message string, cause error) *Error {
	return &Error{Code: CodeInternal, Message: message, Err: cause}
}

// AsError returns err as an *Error; anything else becomes an internal error whose cause
// is err, so no raw error text can reach a client.
func AsError(err error) *Error {
	var e *Error
	if errors.As(err, &e) {
		return e
	}
	return Internal("Internal server error.", err)
}

// AsErrorOr returns err as an *Error when it is one, else an internal error with message
// whose cause is err.
func AsErrorOr(err error, message string) *Error {
	var e *Error
	if errors.As(err, &e) {
		return e
	}
	return Internal(message, err)
}

// Client-facing refusals shared by several operations, worded as Nakama words them.
var (
	ErrAccountNotFound   = Errorf(CodeNotFound, "User account not found.")
	ErrAccountBanned     = Errorf(CodePermissionDenied, "User account banned.")
	ErrInvalidCredential = Errorf(CodeUnauthenticated, "Invalid credentials.")
	ErrUsernameTaken     = Errorf(CodeAlreadyExists, "Username is already in use.")
)
