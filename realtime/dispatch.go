package realtime

import (
	"context"
	"errors"
	"log/slog"
	"reflect"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/heroiclabs/nakama-common/api"
	"github.com/heroiclabs/nakama-common/rtapi"
	"google.golang.org/protobuf/types/known/timestamppb"

	"github.com/hearth-server/hearth/core"
	"github.com/hearth-server/hearth/hooks"
)

// dispatch runs one client message: its handler, wrapped in the runtime's before and
// after hooks (RPCs have none, as in Nakama). The reply, or the error, carries the
// request's cid. A failing message never closes the socket.
func (srv *Server) dispatch(s *Session, in *rtapi.Envelope) {
	cid := in.Cid
	defer func() {
		if v := recover(); v != nil {
			srv.log.Error("panic handling socket message", slog.Any("panic", v), slog.String("message", reflect.TypeOf(in.Message).String()))
			s.Send(errorEnvelope(srv.log, cid, core.Internal("Internal server error.", nil)))
		}
	}()
	if in.Message == nil {
		s.Send(errorEnvelope(srv.log, cid, errMissingMessage))
		return
	}
	h := srv.handlers[reflect.TypeOf(in.Message)]
	if h == nil {
		s.Send(errorEnvelope(srv.log, cid, errUnknownMessage))
		return
	}
	_, isRPC := in.Message.(*rtapi.Envelope_Rpc)
	hooked := srv.rt != nil && !isRPC
	var req hooks.Request
	if hooked {
		req = s.Request()
		out, err := srv.rt.BeforeRt(s.ctx, req, in)
		if err != nil {
			// A refusing hook answers with its own message under RUNTIME_FUNCTION_EXCEPTION.
			s.Send(errorEnvelope(srv.log, cid, &Error{Code: rtapi.Error_RUNTIME_FUNCTION_EXCEPTION, Message: core.AsError(err).Message}))
			return
		}
		if out == nil {
			s.Send(errorEnvelope(srv.log, cid, errHookDisabled))
			return
		}
		in = out
	}
	reply, err := h(s.ctx, s, in)
	if err != nil {
		s.Send(errorEnvelope(srv.log, cid, err))
		return
	}
	if reply != nil {
		reply.Cid = cid
		s.Send(reply)
	}
	if hooked {
		srv.rt.AfterRt(s.ctx, req, in, reply)
	}
}

// ack is the empty reply of messages that answer with nothing but their cid.
func ack() *rtapi.Envelope { return &rtapi.Envelope{} }

func pingHandler(context.Context, *Session, *rtapi.Envelope) (*rtapi.Envelope, error) {
	return &rtapi.Envelope{Message: &rtapi.Envelope_Pong{Pong: &rtapi.Pong{}}}, nil
}

// rpc runs a runtime RPC function. Ids are case-insensitive; the reply echoes the id as
// sent.
func (srv *Server) rpc(ctx context.Context, s *Session, in *rtapi.Envelope) (*rtapi.Envelope, error) {
	m := in.GetRpc()
	if m.GetId() == "" {
		return nil, errRPCIDMissing
	}
	if srv.rt == nil {
		return nil, errRPCNotFound
	}
	out, err := srv.rt.RPC(ctx, s.Request(), strings.ToLower(m.Id), m.Payload)
	if errors.Is(err, hooks.ErrRPCNotFound) {
		return nil, errRPCNotFound
	}
	if err != nil {
		ce := core.AsError(err)
		if ce.Code == core.CodeInternal {
			srv.log.Error("rpc function failed", slog.String("id", m.Id), slog.Any("error", err))
		}
		return nil, &Error{Code: rtapi.Error_RUNTIME_FUNCTION_EXCEPTION, Message: ce.Message}
	}
	return &rtapi.Envelope{Message: &rtapi.Envelope_Rpc{Rpc: &api.Rpc{Id: m.Id, Payload: out}}}, nil
}

// singleSocketNotification tells a socket closed by a newer one of the same user why.
func singleSocketNotification() *rtapi.Envelope {
	return &rtapi.Envelope{Message: &rtapi.Envelope_Notifications{Notifications: &rtapi.Notifications{Notifications: []*api.Notification{{
		Id:         uuid.NewString(),
		Subject:    "single_socket",
		Content:    "{}",
		Code:       core.NotificationCodeSingleSocket,
		CreateTime: timestamppb.New(time.Now().Truncate(time.Second)),
	}}}}}
}
