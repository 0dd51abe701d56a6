package nk

import (
	"context"
	"log/slog"
	"strconv"
	"strings"
	"time"

	"github.com/heroiclabs/nakama-common/api"
	"github.com/heroiclabs/nakama-common/rtapi"
	"google.golang.org/protobuf/reflect/protoreflect"
	"google.golang.org/protobuf/types/known/timestamppb"

	"github.com/hearth-server/hearth/core"
	"github.com/hearth-server/hearth/hooks"
)

// rtMessageName is the hook name of an envelope's message ("channelmessagesend"), the
// lowercase name modules pass to RegisterBeforeRt/RegisterAfterRt.
func rtMessageName(e *rtapi.Envelope) string {
	if e == nil {
		return ""
	}
	m := e.ProtoReflect()
	od := m.Descriptor().Oneofs().ByName("message")
	if od == nil {
		return ""
	}
	fd := m.WhichOneof(od)
	if fd == nil {
		return ""
	}
	return rtHookName(fd)
}

// rtHookName turns a oneof field (channel_message_send) into the registration name,
// which Nakama derives from the Go type name (Envelope_ChannelMessageSend).
func rtHookName(fd protoreflect.FieldDescriptor) string {
	return strings.ToLower(strings.ReplaceAll(string(fd.Name()), "_", ""))
}

// BeforeRt runs the before hook registered for the envelope's message, if any.
func (r *Runtime) BeforeRt(ctx context.Context, req hooks.Request, in *rtapi.Envelope) (out *rtapi.Envelope, err error) {
	if len(r.beforeRt) == 0 {
		return in, nil
	}
	name := rtMessageName(in)
	fn := r.beforeRt[name]
	if fn == nil {
		return in, nil
	}
	ctx = r.moduleContext(ctx, modeBefore, &req)
	l := r.rtlog.WithFields(map[string]any{"api_id": name, "mode": modeBefore})
	if r.safely("before "+name, func() { out, err = fn(ctx, l, r.db, r.nk, in) }) {
		return nil, core.Errorf(core.CodeInternal, "Internal server error.")
	}
	if err != nil {
		return nil, moduleError(err)
	}
	return out, nil
}

// AfterRt runs the after hook registered for the request's message, if any. Its error
// is only logged: the reply has been sent.
func (r *Runtime) AfterRt(ctx context.Context, req hooks.Request, in, out *rtapi.Envelope) {
	if len(r.afterRt) == 0 {
		return
	}
	name := rtMessageName(in)
	fn := r.afterRt[name]
	if fn == nil {
		return
	}
	ctx = r.moduleContext(ctx, modeAfter, &req)
	l := r.rtlog.WithFields(map[string]any{"api_id": name, "mode": modeAfter})
	var err error
	r.safely("after "+name, func() { err = fn(ctx, l, r.db, r.nk, out, in) })
	if err != nil {
		r.log.Warn("realtime after hook failed", slog.String("message", name), slog.Any("error", err))
	}
}

// SessionStart fires the session_start event when a socket opens.
func (r *Runtime) SessionStart(ctx context.Context, req hooks.Request) {
	if r.nk.metrics != nil {
		r.nk.metrics.SessionOpened()
	}
	if len(r.sessionStart) == 0 {
		return
	}
	r.eventQueue.push(queuedEvent{
		req:      req,
		handlers: r.sessionStart,
		evt: &api.Event{
			Name:       "session_start",
			Properties: map[string]string{},
			Timestamp:  nowProto(),
		},
	})
}

// SessionEnd fires the session_end event when a socket closes, with the reason.
func (r *Runtime) SessionEnd(ctx context.Context, req hooks.Request, reason string) {
	if r.nk.metrics != nil {
		r.nk.metrics.SessionClosed()
	}
	if len(r.sessionEnd) == 0 {
		return
	}
	r.eventQueue.push(queuedEvent{
		req:      req,
		handlers: r.sessionEnd,
		evt: &api.Event{
			Name:       "session_end",
			Properties: map[string]string{"reason": reason},
			Timestamp:  nowProto(),
		},
	})
}

// Event queues a client event for the registered event handlers; it never blocks.
func (r *Runtime) Event(ctx context.Context, req hooks.Request, evt *api.Event) {
	if len(r.events) == 0 || evt == nil {
		return
	}
	if evt.Timestamp == nil {
		evt.Timestamp = nowProto()
	}
	r.eventQueue.push(queuedEvent{req: req, handlers: r.events, evt: evt})
}

func (r *Runtime) deliverEvent(q queuedEvent) {
	ctx := r.moduleContext(context.Background(), modeEvent, &q.req)
	for i, fn := range q.handlers {
		r.safely("event handler "+strconv.Itoa(i), func() { fn(ctx, r.rtlog, q.evt) })
	}
}

func nowProto() *timestamppb.Timestamp { return timestamppb.New(time.Now()) }
