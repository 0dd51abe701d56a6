package handlers

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"

	"github.com/hearth-server/hearth/core"
	"github.com/hearth-server/hearth/hooks"
	"github.com/hearth-server/hearth/internal/dbtest"
	"github.com/hearth-server/hearth/spec"
)

const (
	testServerKey = "test-server-key"
	testHTTPKey   = "test-http-key"
)

// harness drives the real edge, generated router, handlers and core on a database of the
// test's own, and validates every response against the served spec.
type harness struct {
	t    testing.TB
	edge *Edge
	srv  *httptest.Server
	doc  *openapi3.T
	core *core.Core // for arranging what clients cannot create (chat messages come over the socket; leaderboards from the server)
}

func newHarness(t testing.TB) *harness {
	t.Helper()
	return newHarnessWith(t, nil)
}

// newHarnessWith builds the harness with a runtime made from the test's core, or none
// when runtime is nil.
func newHarnessWith(t testing.TB, runtime func(c *core.Core) hooks.REST) *harness {
	t.Helper()
	doc, err := spec.Load()
	if err != nil {
		t.Fatal(err)
	}
	c := core.New(core.Options{
		Pool: dbtest.Pool(t),
		Tokens: core.TokenOptions{
			EncryptionKey:        []byte("test-session-key"),
			RefreshEncryptionKey: []byte("test-refresh-key"),
			TokenExpiry:          time.Minute,
			RefreshTokenExpiry:   time.Hour,
		},
		BcryptCost: 4,
	})
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	if testing.Verbose() {
		log = slog.Default()
	}
	var rt hooks.REST
	if runtime != nil {
		rt = runtime(c)
	}
	edge, err := New(Options{Core: c, Log: log, Spec: doc, ServerKey: testServerKey, HTTPKey: testHTTPKey, MaxRequestSizeBytes: 4096, Runtime: rt})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(edge)
	t.Cleanup(srv.Close)
	return &harness{t: t, edge: edge, srv: srv, doc: doc, core: c}
}

// credential is how a test request authenticates.
type credential func(*http.Request)

func serverKey(key string) credential {
	return func(r *http.Request) {
		r.Header.Set("Authorization", "Basic "+base64.StdEncoding.EncodeToString([]byte(key+":")))
	}
}

func bearer(token string) credential {
	return func(r *http.Request) { r.Header.Set("Authorization", "Bearer "+token) }
}

func header(value string) credential {
	return func(r *http.Request) { r.Header.Set("Authorization", value) }
}

var noAuth credential = func(*http.Request) {}

// response is a decoded reply.
type response struct {
	status int
	body   []byte
}

func (r response) json(t testing.TB) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(r.body, &m); err != nil {
		t.Fatalf("response %d is not a JSON object: %q", r.status, r.body)
	}
	return m
}

// do sends one request and checks the response against the spec.
func (h *harness) do(method, target string, cred credential, body string) response {
	h.t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, h.srv.URL+target, rd)
	if err != nil {
		h.t.Fatal(err)
	}
	cred(req)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		h.t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		h.t.Fatal(err)
	}
	h.validate(req, resp, raw)
	return response{status: resp.StatusCode, body: raw}
}

// validate checks a response of a spec operation against the document: success bodies
// against the operation's 200 schema, errors against the rpcStatus default.
func (h *harness) validate(req *http.Request, resp *http.Response, body []byte) {
	h.t.Helper()
	probe := req.Clone(context.Background())
	probe.URL.Path = strings.TrimPrefix(req.URL.Path, h.srv.URL)
	_, pattern := h.edge.mux.Handler(probe)
	op := h.edge.ops[pattern]
	if op == nil {
		// Not a spec operation (unknown path, wrong method): the error shape still holds.
		h.assertErrorShape(body)
		return
	}
	in := &openapi3filter.ResponseValidationInput{
		RequestValidationInput: &openapi3filter.RequestValidationInput{Request: probe, Route: &op.route},
		Status:                 resp.StatusCode,
		Header:                 resp.Header,
		Body:                   io.NopCloser(bytes.NewReader(body)),
		Options:                &openapi3filter.Options{IncludeResponseStatus: true},
	}
	if err := openapi3filter.ValidateResponse(context.Background(), in); err != nil {
		h.t.Fatalf("%s %s: response %d does not match the spec: %v\nbody: %s", req.Method, req.URL.Path, resp.StatusCode, err, body)
	}
	if resp.StatusCode != http.StatusOK {
		h.assertErrorShape(body)
	}
}

func (h *harness) assertErrorShape(body []byte) {
	h.t.Helper()
	var e struct {
		Code    *int    `json:"code"`
		Message *string `json:"message"`
		Error   *string `json:"error"`
	}
	if err := json.Unmarshal(body, &e); err != nil || e.Code == nil || e.Message == nil || *e.Message == "" {
		h.t.Fatalf("error body %q is not {code, message}", body)
	}
}

// wantError checks status, code and message of a refusal.
func wantError(t *testing.T, r response, status, code int, message string) {
	t.Helper()
	m := r.json(t)
	if r.status != status || m["code"] != float64(code) || m["message"] != message {
		t.Fatalf("got %d %s, want %d {code %d, message %q}", r.status, r.body, status, code, message)
	}
}

// authDevice creates (or logs into) a device account and returns its session.
func (h *harness) authDevice(id string) (token, refresh string) {
	h.t.Helper()
	r := h.do("POST", "/v2/account/authenticate/device", serverKey(testServerKey), `{"id":"`+id+`"}`)
	if r.status != http.StatusOK {
		h.t.Fatalf("authenticate %s: %d %s", id, r.status, r.body)
	}
	m := r.json(h.t)
	return m["token"].(string), m["refresh_token"].(string)
}
