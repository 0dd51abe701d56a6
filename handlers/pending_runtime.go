package handlers

import (
	"context"

	"github.com/hearth-server/hearth/gen/api"
)

// Server runtime: RPC functions and events. These operations answer 501 with code 12 until the area lands,
// so a client gets a clear refusal instead of a wrong answer (README.md lists them).

// NakamaEvent is not built yet.
func (s *Server) NakamaEvent(context.Context, api.NakamaEventRequestObject) (api.NakamaEventResponseObject, error) {
	return nil, errNotBuilt
}

// NakamaRpcFunc2 is not built yet.
func (s *Server) NakamaRpcFunc2(context.Context, api.NakamaRpcFunc2RequestObject) (api.NakamaRpcFunc2ResponseObject, error) {
	return nil, errNotBuilt
}

// NakamaRpcFunc is not built yet.
func (s *Server) NakamaRpcFunc(context.Context, api.NakamaRpcFuncRequestObject) (api.NakamaRpcFuncResponseObject, error) {
	return nil, errNotBuilt
}
