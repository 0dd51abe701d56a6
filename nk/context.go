package nk

import (
	"context"

	"github.com/heroiclabs/nakama-common/runtime"

	"github.com/hearth-server/hearth/hooks"
)

// Execution modes, as Nakama names them in runtime.RUNTIME_CTX_MODE.
const (
	modeRunOnce          = "run_once"
	modeRPC              = "rpc"
	modeBefore           = "before"
	modeAfter            = "after"
	modeEvent            = "event"
	modeLeaderboardReset = "leaderboard_reset"
	modeTournamentEnd    = "tournament_end"
	modeTournamentReset  = "tournament_reset"
	modeShutdown         = "shutdown"
	// modeStorageIndexFilter is Nakama's mode name for storage index filter functions.
	modeStorageIndexFilter = "storage_index_filter"
)

// Version is what modules read from runtime.RUNTIME_CTX_VERSION.
const Version = "hearth"

// moduleContext sets the context values Nakama gives a module function: always env,
// mode, node and version; the caller's details only when there is a caller.
func (r *Runtime) moduleContext(ctx context.Context, mode string, req *hooks.Request) context.Context {
	ctx = withValue(ctx, runtime.RUNTIME_CTX_ENV, r.env)
	ctx = withValue(ctx, runtime.RUNTIME_CTX_MODE, mode)
	ctx = withValue(ctx, runtime.RUNTIME_CTX_NODE, r.node)
	ctx = withValue(ctx, runtime.RUNTIME_CTX_VERSION, Version)
	if req == nil {
		return ctx
	}
	if req.Headers != nil {
		ctx = withValue(ctx, runtime.RUNTIME_CTX_HEADERS, req.Headers)
	}
	if req.QueryParams != nil {
		ctx = withValue(ctx, runtime.RUNTIME_CTX_QUERY_PARAMS, req.QueryParams)
	}
	if req.UserID != "" {
		ctx = withValue(ctx, runtime.RUNTIME_CTX_USER_ID, req.UserID)
		ctx = withValue(ctx, runtime.RUNTIME_CTX_USERNAME, req.Username)
		if req.Vars != nil {
			ctx = withValue(ctx, runtime.RUNTIME_CTX_VARS, req.Vars)
		}
		ctx = withValue(ctx, runtime.RUNTIME_CTX_USER_SESSION_EXP, req.Expiry)
		if req.SessionID != "" {
			ctx = withValue(ctx, runtime.RUNTIME_CTX_SESSION_ID, req.SessionID)
		}
	}
	if req.ClientIP != "" {
		ctx = withValue(ctx, runtime.RUNTIME_CTX_CLIENT_IP, req.ClientIP)
	}
	if req.ClientPort != "" {
		ctx = withValue(ctx, runtime.RUNTIME_CTX_CLIENT_PORT, req.ClientPort)
	}
	if req.Lang != "" {
		ctx = withValue(ctx, runtime.RUNTIME_CTX_LANG, req.Lang)
	}
	return ctx
}

// withValue sets one of nakama-common's context keys, which are plain strings: modules
// read them with ctx.Value(runtime.RUNTIME_CTX_...), so the key type must be string.
func withValue(ctx context.Context, key string, v any) context.Context {
	//lint:ignore SA1029 nakama-common defines these keys as strings; modules look them up that way
	return context.WithValue(ctx, key, v)
}
