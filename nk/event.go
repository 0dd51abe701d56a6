package nk

import (
	"context"
	"errors"

	"github.com/heroiclabs/nakama-common/api"
	"github.com/heroiclabs/nakama-common/runtime"

	"github.com/hearth-server/hearth/hooks"
)

// Event hands an event to the registered event handlers, asynchronously through the
// bounded event queue; it never blocks.
func (m *Module) Event(ctx context.Context, evt *api.Event) error {
	if evt == nil {
		return errors.New("expects event")
	}
	m.runtime.Event(ctx, requestFromContext(ctx), evt)
	return nil
}

// requestFromContext recovers the caller from a module context, so events a module
// emits while serving someone carry that someone.
func requestFromContext(ctx context.Context) hooks.Request {
	var r hooks.Request
	r.UserID, _ = ctx.Value(runtime.RUNTIME_CTX_USER_ID).(string)
	r.Username, _ = ctx.Value(runtime.RUNTIME_CTX_USERNAME).(string)
	r.Vars, _ = ctx.Value(runtime.RUNTIME_CTX_VARS).(map[string]string)
	r.Expiry, _ = ctx.Value(runtime.RUNTIME_CTX_USER_SESSION_EXP).(int64)
	r.SessionID, _ = ctx.Value(runtime.RUNTIME_CTX_SESSION_ID).(string)
	r.ClientIP, _ = ctx.Value(runtime.RUNTIME_CTX_CLIENT_IP).(string)
	r.ClientPort, _ = ctx.Value(runtime.RUNTIME_CTX_CLIENT_PORT).(string)
	r.Lang, _ = ctx.Value(runtime.RUNTIME_CTX_LANG).(string)
	return r
}
