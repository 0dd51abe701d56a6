package main

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"time"
)

// Target is the server under load and the HTTP client that talks to it.
type Target struct {
	BaseURL   string // http://127.0.0.1:port
	basicAuth string // "Basic base64(serverkey:)"
	Client    *http.Client
}

func newTarget(addr, serverKey string, conns int, timeout time.Duration) *Target {
	tr := &http.Transport{
		Proxy:               nil, // never route loopback load through an environment proxy
		DialContext:         (&net.Dialer{Timeout: 5 * time.Second, KeepAlive: 30 * time.Second}).DialContext,
		MaxIdleConns:        2 * conns,
		MaxIdleConnsPerHost: 2 * conns, // ≥ the number of clients, so every client keeps its connection alive
		IdleConnTimeout:     90 * time.Second,
		DisableCompression:  true,
		ForceAttemptHTTP2:   false,
	}
	return &Target{
		BaseURL:   "http://" + addr,
		basicAuth: "Basic " + base64.StdEncoding.EncodeToString([]byte(serverKey+":")),
		Client:    &http.Client{Transport: tr, Timeout: timeout},
	}
}

// httpError is a request that got an unexpected answer.
type httpError struct {
	Op     string
	Status int
	Body   string
}

func (e *httpError) Error() string {
	return fmt.Sprintf("%s: HTTP %d: %s", e.Op, e.Status, e.Body)
}

const maxBody = 1 << 20

// do sends req and returns the status and body. The body is always read to the end and
// closed so the keep-alive connection goes back to the pool.
func (t *Target) do(req *http.Request) (int, []byte, error) {
	resp, err := t.Client.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxBody))
	if err != nil {
		return resp.StatusCode, body, err
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	return resp.StatusCode, body, nil
}

func snippet(b []byte) string {
	s := strings.TrimSpace(string(b))
	if len(s) > 300 {
		s = s[:300] + "…"
	}
	return s
}

// authResult is the part of an api.Session the load generator checks.
type authResult struct {
	Token   string `json:"token"`
	Created bool   `json:"created"`
}

// AuthDevice calls POST /v2/account/authenticate/device with the server key and returns the
// session. Anything but a 200 carrying a token is an error.
func (t *Target) AuthDevice(ctx context.Context, deviceID string, create bool) (authResult, error) {
	const op = "authenticate/device"
	body, err := json.Marshal(struct {
		ID string `json:"id"`
	}{deviceID})
	if err != nil {
		return authResult{}, err
	}
	url := t.BaseURL + "/v2/account/authenticate/device?create=false"
	if create {
		url = t.BaseURL + "/v2/account/authenticate/device?create=true"
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		return authResult{}, err
	}
	req.Header.Set("Authorization", t.basicAuth)
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json")
	status, rb, err := t.do(req)
	if err != nil {
		return authResult{}, fmt.Errorf("%s: %w", op, err)
	}
	if status != http.StatusOK {
		return authResult{}, &httpError{Op: op, Status: status, Body: snippet(rb)}
	}
	var res authResult
	if err := json.Unmarshal(rb, &res); err != nil || res.Token == "" {
		return authResult{}, &httpError{Op: op + " (no token in 200)", Status: status, Body: snippet(rb)}
	}
	return res, nil
}

// GetAccount calls GET /v2/account with a session token. Anything but a 200 carrying a user
// is an error.
func (t *Target) GetAccount(ctx context.Context, token string) error {
	const op = "GET /v2/account"
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, t.BaseURL+"/v2/account", nil)
	if err != nil {
		return err
	}
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Accept", "application/json")
	status, rb, err := t.do(req)
	if err != nil {
		return fmt.Errorf("%s: %w", op, err)
	}
	if status != http.StatusOK {
		return &httpError{Op: op, Status: status, Body: snippet(rb)}
	}
	var res struct {
		User *struct {
			ID string `json:"id"`
		} `json:"user"`
	}
	if err := json.Unmarshal(rb, &res); err != nil || res.User == nil || res.User.ID == "" {
		return &httpError{Op: op + " (no user in 200)", Status: status, Body: snippet(rb)}
	}
	return nil
}

// Healthy reports whether GET /healthcheck answers 200.
func (t *Target) Healthy(ctx context.Context) bool {
	ctx, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, t.BaseURL+"/healthcheck", nil)
	if err != nil {
		return false
	}
	status, _, err := t.do(req)
	return err == nil && status == http.StatusOK
}
