package handlers

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"

	"github.com/hearth-server/hearth/core"
)

// operation is what the edge knows about one spec operation, computed once at start.
type operation struct {
	route      routers.Route
	auth       authKind
	body       *openapi3.SchemaRef // nil when the operation takes no body
	params     openapi3.Parameters
	queryAlias map[string]string // lowerCamelCase query name -> wire (snake_case) name
	rpc        bool              // POST or GET /v2/rpc/{id}: raw bodies with ?unwrap, HTTP details for the function
	name       string            // operation name for metrics: GetAccount
}

// Edge is the REST front door's outer layer: it finds the operation, authenticates the
// caller, normalises and validates the request against the spec, then hands it to the
// generated router and the handlers. Everything it refuses gets Nakama's error shape.
type Edge struct {
	mux       *http.ServeMux
	ops       map[string]*operation // by ServeMux pattern, e.g. "GET /v2/account"
	core      *core.Core
	server    *Server
	metrics   RequestMetrics
	log       *slog.Logger
	serverKey string
	httpKey   string
	maxBody   int64
}

func newOperations(doc *openapi3.T) (map[string]*operation, error) {
	ops := map[string]*operation{}
	for path, item := range doc.Paths.Map() {
		for method, op := range item.Operations() {
			o := &operation{
				route:      routers.Route{Spec: doc, Path: path, PathItem: item, Method: method, Operation: op},
				params:     append(append(openapi3.Parameters{}, item.Parameters...), op.Parameters...),
				queryAlias: map[string]string{},
			}
			kind, err := authKindOf(doc, op)
			if err != nil {
				return nil, fmt.Errorf("%s %s: %w", method, path, err)
			}
			o.auth = kind
			o.rpc = op.OperationID == "Nakama_RpcFunc" || op.OperationID == "Nakama_RpcFunc2"
			o.name = strings.TrimPrefix(op.OperationID, "Nakama_")
			if op.RequestBody != nil && op.RequestBody.Value != nil {
				if mt := op.RequestBody.Value.Content.Get("application/json"); mt != nil {
					o.body = mt.Schema
				}
			}
			for _, p := range o.params {
				if p.Value != nil && p.Value.In == openapi3.ParameterInQuery {
					if camel := camelCase(p.Value.Name); camel != p.Value.Name {
						o.queryAlias[camel] = p.Value.Name
					}
				}
			}
			ops[method+" "+path] = o
		}
	}
	return ops, nil
}

// authKindOf reads an operation's security requirements (or the document's default).
func authKindOf(doc *openapi3.T, op *openapi3.Operation) (authKind, error) {
	reqs := doc.Security
	if op.Security != nil {
		reqs = *op.Security
	}
	var schemes []string
	for _, req := range reqs {
		for name := range req {
			schemes = append(schemes, name)
		}
	}
	sort.Strings(schemes)
	switch strings.Join(schemes, "+") {
	case "":
		return authNone, nil
	case "BasicAuth":
		return authServerKey, nil
	case "BearerJwt":
		return authBearer, nil
	case "BearerJwt+HttpKeyAuth":
		return authBearerOrHTTPKey, nil
	}
	return 0, fmt.Errorf("unsupported security %v", schemes)
}

func (e *Edge) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if e.metrics == nil {
		e.serve(w, r)
		return
	}
	start := time.Now()
	sw := &statusWriter{ResponseWriter: w, status: http.StatusOK}
	name := e.serve(sw, r)
	e.metrics.Request(name, sw.status, time.Since(start))
}

// statusWriter remembers the status a handler wrote, for metrics.
type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(code int) {
	w.status = code
	w.ResponseWriter.WriteHeader(code)
}

// Unwrap lets http.ResponseController (flush, hijack for websocket upgrades) reach the
// connection's writer.
func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// serve answers r and returns the name of the operation it matched.
func (e *Edge) serve(w http.ResponseWriter, r *http.Request) (name string) {
	name = "unknown"
	defer func() {
		if v := recover(); v != nil {
			if v == http.ErrAbortHandler {
				panic(v)
			}
			e.log.Error("panic serving request", slog.String("path", r.URL.Path), slog.Any("panic", v))
			writeError(w, r, e.log, errInternal)
		}
	}()

	_, pattern := e.mux.Handler(r)
	op := e.ops[pattern]
	if op != nil {
		name = op.name
	}
	if op == nil {
		switch {
		case pattern != "":
			e.mux.ServeHTTP(w, r) // routes outside the spec: /openapi.yaml
		case e.pathKnown(r):
			writeError(w, r, e.log, errMethodNotAllowed)
		default:
			writeError(w, r, e.log, errNotFound)
		}
		return name
	}

	r, err := e.prepare(r, op)
	if err == errUnwrapped {
		e.serveRPCUnwrapped(w, r, pathParams(op.route.Path, r.URL.Path)["id"])
		return name
	}
	if err != nil {
		writeError(w, r, e.log, err)
		return name
	}
	e.mux.ServeHTTP(w, r)
	return name
}

// pathKnown reports whether some other method serves r's path, which makes a miss a
// wrong method (501, as in Nakama) rather than an unknown path (404).
func (e *Edge) pathKnown(r *http.Request) bool {
	probe := r.Clone(r.Context())
	for _, m := range []string{http.MethodGet, http.MethodPost, http.MethodPut, http.MethodDelete} {
		probe.Method = m
		if _, pattern := e.mux.Handler(probe); e.ops[pattern] != nil {
			return true
		}
	}
	return false
}

// prepare authenticates, normalises and validates a request for op.
func (e *Edge) prepare(r *http.Request, op *operation) (*http.Request, error) {
	ctx, err := e.authenticate(r, op.auth)
	if err != nil {
		return r, err
	}
	ctx = withClientIP(ctx, r.RemoteAddr)
	if op.rpc {
		ctx = withRPCHTTP(ctx, r)
	}
	r = r.WithContext(ctx)
	normalizeQuery(r, op.queryAlias)
	if op.rpc {
		if _, unwrap := r.URL.Query()["unwrap"]; unwrap {
			// Raw payloads skip body decoding and validation: Edge answers them itself.
			return r, errUnwrapped
		}
	}

	if op.body != nil {
		body, err := e.readBody(r, op.body)
		if err != nil {
			return r, err
		}
		r.Body = io.NopCloser(bytes.NewReader(body))
		r.ContentLength = int64(len(body))
	}

	input := &openapi3filter.RequestValidationInput{
		Request:    r,
		PathParams: pathParams(op.route.Path, r.URL.Path),
		Route:      &op.route,
		Options:    &openapi3filter.Options{AuthenticationFunc: openapi3filter.NoopAuthenticationFunc, ExcludeRequestBody: true},
	}
	for _, p := range op.params {
		if p.Value.In == openapi3.ParameterInQuery && !p.Value.Required && !strings.Contains(r.URL.RawQuery, p.Value.Name) {
			continue // absent optional parameter: nothing to validate
		}
		if err := openapi3filter.ValidateParameter(ctx, input, p.Value); err != nil {
			return r, parameterError(p.Value.Name, err)
		}
	}
	return r, nil
}

// readBody reads, normalises and validates a JSON body, returning it re-encoded in the
// wire spelling the generated decoder expects.
func (e *Edge) readBody(r *http.Request, schema *openapi3.SchemaRef) ([]byte, error) {
	raw, err := io.ReadAll(http.MaxBytesReader(nil, r.Body, e.maxBody))
	if err != nil {
		var tooLarge *http.MaxBytesError
		if errors.As(err, &tooLarge) {
			return nil, errBodyTooLarge
		}
		return nil, errBodyUnreadable
	}
	if len(bytes.TrimSpace(raw)) == 0 {
		// An absent body is an empty message, as in Nakama's gateway.
		raw = []byte("{}")
		if schema.Value != nil && schema.Value.Type.Is(openapi3.TypeString) {
			raw = []byte(`""`)
		}
	}
	value, err := decodeJSON(raw)
	if err != nil {
		return nil, errBodyNotJSON
	}
	value, err = normalize(schema, value, "")
	if err != nil {
		return nil, err
	}
	if err := schema.Value.VisitJSON(value, openapi3.VisitAsRequest()); err != nil {
		return nil, schemaError(err)
	}
	return json.Marshal(value)
}

// schemaError turns a validation failure into a clean client message naming the field.
func schemaError(err error) error {
	var se *openapi3.SchemaError
	if errors.As(err, &se) {
		field := fieldPath(se.JSONPointer())
		if field == "" {
			field = "body"
		}
		return core.Errorf(core.CodeInvalidArgument, fmt.Sprintf("Invalid value for field %q: %s.", field, strings.TrimSuffix(se.Reason, ".")))
	}
	return &core.Error{Code: core.CodeInvalidArgument, Message: "Invalid request body.", Err: err}
}

// fieldPath renders a JSON pointer the way the normaliser names fields: a.b[0].c.
func fieldPath(pointer []string) string {
	var b strings.Builder
	for _, p := range pointer {
		if _, err := strconv.Atoi(p); err == nil && b.Len() > 0 {
			b.WriteString("[" + p + "]")
			continue
		}
		if b.Len() > 0 {
			b.WriteByte('.')
		}
		b.WriteString(p)
	}
	return b.String()
}

func parameterError(name string, err error) error {
	reason := "invalid value"
	var re *openapi3filter.RequestError
	if errors.As(err, &re) {
		var se *openapi3.SchemaError
		var pe *openapi3filter.ParseError
		switch {
		case errors.Is(re.Err, openapi3filter.ErrInvalidEmptyValue):
			reason = "must not be empty"
		case errors.As(re.Err, &se):
			reason = strings.TrimSuffix(se.Reason, ".")
		case errors.As(re.Err, &pe):
			reason = "value has the wrong type"
		}
	}
	return &core.Error{Code: core.CodeInvalidArgument, Message: fmt.Sprintf("Invalid value for parameter %q: %s.", name, reason), Err: err}
}

// normalizeQuery renames lowerCamelCase query parameters to their wire names.
func normalizeQuery(r *http.Request, alias map[string]string) {
	if len(alias) == 0 || r.URL.RawQuery == "" {
		return
	}
	present := false
	for camel := range alias {
		if strings.Contains(r.URL.RawQuery, camel) {
			present = true
			break
		}
	}
	if !present {
		return // the common case: clients send wire names; skip parsing the query
	}
	q := r.URL.Query()
	changed := false
	for camel, snake := range alias {
		if vs, ok := q[camel]; ok {
			q[snake] = append(q[snake], vs...)
			delete(q, camel)
			changed = true
		}
	}
	if changed {
		r.URL.RawQuery = q.Encode()
	}
}

// pathParams extracts {name} segments of a spec path from a request path.
func pathParams(specPath, path string) map[string]string {
	out := map[string]string{}
	want := strings.Split(specPath, "/")
	got := strings.Split(path, "/")
	for i, seg := range want {
		if i < len(got) && strings.HasPrefix(seg, "{") && strings.HasSuffix(seg, "}") {
			v, err := url.PathUnescape(got[i])
			if err != nil {
				v = got[i]
			}
			out[seg[1:len(seg)-1]] = v
		}
	}
	return out
}

// camelCase is the inverse of snakeCase, for accepting both spellings of a query name.
func camelCase(s string) string {
	if !strings.Contains(s, "_") {
		return s
	}
	var b strings.Builder
	upper := false
	for _, r := range s {
		if r == '_' {
			upper = true
			continue
		}
		if upper && r >= 'a' && r <= 'z' {
			r -= 'a' - 'A'
		}
		upper = false
		b.WriteRune(r)
	}
	return b.String()
}
