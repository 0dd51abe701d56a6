// Package hooks holds the interfaces through which the front doors call into the server
// runtime (RPCs, before/after hooks, session events). The runtime (nk/) implements them;
// a nil implementation means no module is loaded and every hook point is a no-op.
//
// It is its own small package so the realtime front door, the REST front door and the
// runtime can be built independently of one another.
package hooks

import (
	"context"
	"errors"

	"github.com/heroiclabs/nakama-common/rtapi"
)

// ErrRPCNotFound is returned by RPC when no function is registered under the id.
var ErrRPCNotFound = errors.New("rpc function not found")

// Request describes who made a front-door request, as the runtime's context values
// (runtime.RUNTIME_CTX_*) need it. Fields that do not apply stay zero.
type Request struct {
	UserID     string
	Username   string
	Vars       map[string]string
	Expiry     int64  // session token expiry, unix seconds
	SessionID  string // socket session id; empty over REST
	ClientIP   string
	ClientPort string
	Lang       string
	// Headers and QueryParams are set for REST calls (RPCs made with http_key read them).
	Headers     map[string][]string
	QueryParams map[string][]string
}

// Realtime is what the socket front door asks of the runtime.
type Realtime interface {
	// RPC runs a registered RPC function. Unknown ids return ErrRPCNotFound; errors a
	// module returns are *core.Error values carrying the code the module chose.
	RPC(ctx context.Context, r Request, id, payload string) (string, error)
	// BeforeRt runs the before hook registered for the envelope's message type, if any.
	// It returns the envelope to process (possibly changed); nil means the hook dropped
	// it and nothing is answered. An error refuses the message.
	BeforeRt(ctx context.Context, r Request, in *rtapi.Envelope) (*rtapi.Envelope, error)
	// AfterRt runs the after hook for the message type, if any, with the request and
	// the reply (nil when the message has no reply).
	AfterRt(ctx context.Context, r Request, in, out *rtapi.Envelope)
	// SessionStart and SessionEnd fire the runtime's session events when a socket opens
	// and closes.
	SessionStart(ctx context.Context, r Request)
	SessionEnd(ctx context.Context, r Request, reason string)
}
