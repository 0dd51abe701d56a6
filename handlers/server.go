// Package handlers is the REST front door. Edge authenticates, normalises and validates
// each request against the wire spec; Server implements the generated strict server
// interface by converting wire types to core calls and back. Handlers hold no SQL and
// no behaviour of their own.
package handlers

import (
	"context"
	"log/slog"
	"net/http"
	"time"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/hearth-server/hearth/core"
	"github.com/hearth-server/hearth/gen/api"
	"github.com/hearth-server/hearth/hooks"
	"github.com/hearth-server/hearth/spec"
)

// Server implements the REST API. Its fields are its dependencies, set once in New.
type Server struct {
	Core *core.Core
	Log  *slog.Logger
	// Runtime runs modules' RPCs, hooks and event handlers; nil when none are loaded.
	Runtime hooks.REST
}

var _ api.StrictServerInterface = (*Server)(nil)

// Options configure the REST front door.
type Options struct {
	Core                *core.Core
	Log                 *slog.Logger
	Spec                *openapi3.T
	ServerKey           string
	HTTPKey             string
	MaxRequestSizeBytes int64
	// Runtime, when set, serves RPCs and events and wraps operations with modules' hooks.
	Runtime hooks.REST
	// Metrics, when set, records every request by operation.
	Metrics RequestMetrics
}

// RequestMetrics records one REST request: its operation (GetAccount; "unknown" when no
// operation matched), HTTP status and duration.
type RequestMetrics interface {
	Request(operation string, status int, d time.Duration)
}

// New builds the REST front door: the edge in front of the generated router and Server.
func New(o Options) (*Edge, error) {
	if o.Log == nil {
		o.Log = slog.Default()
	}
	ops, err := newOperations(o.Spec)
	if err != nil {
		return nil, err
	}
	mux := http.NewServeMux()
	srv := &Server{Core: o.Core, Log: o.Log, Runtime: o.Runtime}
	var middlewares []api.StrictMiddlewareFunc
	if o.Runtime != nil {
		middlewares = append(middlewares, o.Runtime.Middleware(runtimeRequest))
	}
	strict := api.NewStrictHandlerWithOptions(srv, middlewares, api.StrictHTTPServerOptions{
		RequestErrorHandlerFunc: func(w http.ResponseWriter, r *http.Request, err error) {
			writeError(w, r, o.Log, &core.Error{Code: core.CodeInvalidArgument, Message: "Invalid request body.", Err: err})
		},
		ResponseErrorHandlerFunc: func(w http.ResponseWriter, r *http.Request, err error) {
			writeError(w, r, o.Log, err)
		},
	})
	api.HandlerWithOptions(strict, api.StdHTTPServerOptions{
		BaseRouter: mux,
		ErrorHandlerFunc: func(w http.ResponseWriter, r *http.Request, err error) {
			// The edge validated every parameter already; this only catches what slips by.
			writeError(w, r, o.Log, &core.Error{Code: core.CodeInvalidArgument, Message: "Invalid request parameters.", Err: err})
		},
	})
	mux.HandleFunc("GET /openapi.yaml", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/yaml")
		_, _ = w.Write(spec.YAML)
	})
	return &Edge{
		mux:       mux,
		ops:       ops,
		core:      o.Core,
		server:    srv,
		metrics:   o.Metrics,
		log:       o.Log,
		serverKey: o.ServerKey,
		httpKey:   o.HTTPKey,
		maxBody:   o.MaxRequestSizeBytes,
	}, nil
}

// caller returns the authenticated caller; the edge guarantees one on bearer routes.
func caller(ctx context.Context) (core.Caller, error) {
	c, ok := callerFrom(ctx)
	if !ok {
		return core.Caller{}, errTokenMissing
	}
	return c, nil
}

// Healthcheck answers 200 {} while the server is up.
func (s *Server) NakamaHealthcheck(ctx context.Context, _ api.NakamaHealthcheckRequestObject) (api.NakamaHealthcheckResponseObject, error) {
	return api.NakamaHealthcheck200JSONResponse{}, nil
}
