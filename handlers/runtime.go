package handlers

import (
	"context"
	"errors"
	"io"
	"net/http"

	nkapi "github.com/heroiclabs/nakama-common/api"
	"google.golang.org/protobuf/types/known/timestamppb"

	"github.com/hearth-server/hearth/core"
	"github.com/hearth-server/hearth/gen/api"
	"github.com/hearth-server/hearth/hooks"
)

// Server runtime over REST: RPC functions (POST and GET /v2/rpc/{id}) and client events
// (POST /v2/event). With no runtime loaded every RPC id is unknown and events go nowhere.

// Refusals of the RPC routes, in Nakama's words.
var (
	errRPCNotFound   = core.Errorf(core.CodeNotFound, "RPC function not found")
	errRPCAuthNeeded = core.Errorf(core.CodeUnauthenticated, "Auth token or HTTP key required")
)

type rpcHTTPKey struct{}

// rpcHTTP is what an RPC function sees of its HTTP request (RUNTIME_CTX_HEADERS and
// RUNTIME_CTX_QUERY_PARAMS); the edge records it for the RPC routes only.
type rpcHTTP struct {
	headers map[string][]string
	query   map[string][]string
}

func withRPCHTTP(ctx context.Context, r *http.Request) context.Context {
	q := r.URL.Query()
	q.Del("http_key") // the key is a credential, not a parameter for the function
	return context.WithValue(ctx, rpcHTTPKey{}, rpcHTTP{headers: r.Header.Clone(), query: q})
}

// runtimeRequest describes the caller of a request for the runtime's context values.
func runtimeRequest(ctx context.Context) hooks.Request {
	var r hooks.Request
	if c, ok := callerFrom(ctx); ok {
		r.UserID = c.UserID.String()
		r.Username = c.Username
		r.Vars = c.Vars
		r.Expiry = c.ExpiresAt
	}
	r.ClientIP, r.ClientPort = clientAddr(ctx)
	if h, ok := ctx.Value(rpcHTTPKey{}).(rpcHTTP); ok {
		r.Headers, r.QueryParams = h.headers, h.query
	}
	return r
}

func (s *Server) rpc(ctx context.Context, id, payload string) (string, error) {
	if s.Runtime == nil {
		return "", errRPCNotFound
	}
	out, err := s.Runtime.RPC(ctx, runtimeRequest(ctx), id, payload)
	if errors.Is(err, hooks.ErrRPCNotFound) {
		return "", errRPCNotFound
	}
	return out, err
}

// NakamaRpcFunc runs an RPC with the payload given as a JSON string body, answering
// {"payload": ...}.
func (s *Server) NakamaRpcFunc(ctx context.Context, req api.NakamaRpcFuncRequestObject) (api.NakamaRpcFuncResponseObject, error) {
	out, err := s.rpc(ctx, req.Id, deref(req.Body))
	if err != nil {
		return nil, err
	}
	return api.NakamaRpcFunc200JSONResponse{Payload: str(out)}, nil
}

// NakamaRpcFunc2 runs an RPC with the payload from the query. Nakama drops that payload
// and calls the function with none; Hearth passes it (COMPAT.md).
func (s *Server) NakamaRpcFunc2(ctx context.Context, req api.NakamaRpcFunc2RequestObject) (api.NakamaRpcFunc2ResponseObject, error) {
	out, err := s.rpc(ctx, req.Id, deref(req.Params.Payload))
	if err != nil {
		return nil, err
	}
	return api.NakamaRpcFunc2200JSONResponse{Payload: str(out)}, nil
}

// serveRPCUnwrapped answers an RPC called with ?unwrap: the body is the payload as it
// is, and the function's result is the response body, with the request's content type.
func (e *Edge) serveRPCUnwrapped(w http.ResponseWriter, r *http.Request, id string) {
	var payload string
	if r.Method == http.MethodPost {
		raw, err := io.ReadAll(http.MaxBytesReader(nil, r.Body, e.maxBody))
		if err != nil {
			var tooLarge *http.MaxBytesError
			if errors.As(err, &tooLarge) {
				writeError(w, r, e.log, errBodyTooLarge)
				return
			}
			writeError(w, r, e.log, errBodyUnreadable)
			return
		}
		payload = string(raw)
	} else {
		payload = r.URL.Query().Get("payload")
	}
	out, err := e.server.rpc(r.Context(), id, payload)
	if err != nil {
		writeError(w, r, e.log, err)
		return
	}
	contentType := r.Header.Get("Content-Type")
	if contentType == "" {
		contentType = "text/plain"
	}
	w.Header().Set("Content-Type", contentType)
	w.WriteHeader(http.StatusOK)
	_, _ = io.WriteString(w, out)
}

// NakamaEvent queues a client event for the runtime's event handlers and answers at
// once; delivery is asynchronous and never blocks the request.
func (s *Server) NakamaEvent(ctx context.Context, req api.NakamaEventRequestObject) (api.NakamaEventResponseObject, error) {
	if s.Runtime != nil && req.Body != nil {
		evt := &nkapi.Event{Name: deref(req.Body.Name), External: true}
		if req.Body.Properties != nil {
			evt.Properties = *req.Body.Properties
		}
		if req.Body.Timestamp != nil {
			evt.Timestamp = timestamppb.New(*req.Body.Timestamp)
		}
		s.Runtime.Event(ctx, runtimeRequest(ctx), evt)
	}
	return api.NakamaEvent200JSONResponse{}, nil
}
