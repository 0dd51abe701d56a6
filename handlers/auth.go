package handlers

import (
	"context"
	"crypto/subtle"
	"encoding/base64"
	"net"
	"net/http"
	"strings"

	"github.com/hearth-server/hearth/core"
)

// authKind is how an operation authenticates its caller, read from the spec's security.
type authKind int

const (
	authNone            authKind = iota // /healthcheck
	authServerKey                       // authenticate calls and session refresh: HTTP basic with the server key
	authBearer                          // everything else: a session token
	authBearerOrHTTPKey                 // RPC: a session token, or the runtime http_key for server-to-server calls
)

type callerKey struct{}

// withCaller records the verified caller in the request context.
func withCaller(ctx context.Context, c core.Caller) context.Context {
	return context.WithValue(ctx, callerKey{}, c)
}

// callerFrom returns the caller an authenticated request carries.
func callerFrom(ctx context.Context) (core.Caller, bool) {
	c, ok := ctx.Value(callerKey{}).(core.Caller)
	return c, ok
}

// authenticate checks the credentials op needs and returns the context to serve it with.
// The refusals and their wording are Nakama's, since SDK users match on them.
func (e *Edge) authenticate(r *http.Request, kind authKind) (context.Context, error) {
	ctx := r.Context()
	header := r.Header.Get("Authorization")
	switch kind {
	case authNone:
		return ctx, nil
	case authServerKey:
		if header == "" {
			return nil, errServerKeyMissing
		}
		user, ok := basicAuthUser(header)
		if !ok || !equalKeys(user, e.serverKey) {
			return nil, errServerKeyInvalid
		}
		return ctx, nil
	case authBearerOrHTTPKey:
		if header == "" {
			key := r.URL.Query().Get("http_key")
			if key == "" {
				return nil, errRPCAuthNeeded
			}
			if !equalKeys(key, e.httpKey) {
				return nil, errHTTPKeyInvalid
			}
			return ctx, nil
		}
		if user, ok := basicAuthUser(header); ok {
			// Server-to-server callers may also present the http_key as a basic-auth user.
			if !equalKeys(user, e.httpKey) {
				return nil, errHTTPKeyInvalid
			}
			return ctx, nil
		}
	}
	if header == "" {
		return nil, errTokenMissing
	}
	token, ok := strings.CutPrefix(header, "Bearer ")
	if !ok {
		return nil, errTokenInvalid
	}
	caller, err := e.core.SessionVerify(token)
	if err != nil {
		return nil, errTokenInvalid
	}
	return withCaller(ctx, caller), nil
}

func basicAuthUser(header string) (string, bool) {
	encoded, ok := strings.CutPrefix(header, "Basic ")
	if !ok {
		return "", false
	}
	raw, err := base64.StdEncoding.DecodeString(encoded)
	if err != nil {
		return "", false
	}
	user, _, ok := strings.Cut(string(raw), ":")
	return user, ok
}

// equalKeys compares secrets in constant time.
func equalKeys(given, want string) bool {
	return subtle.ConstantTimeCompare([]byte(given), []byte(want)) == 1
}

type clientAddrKey struct{}

type clientAddress struct{ ip, port string }

// clientIP is the caller's address, for per-IP login lockouts. It is the connection's
// peer: X-Forwarded-For is not trusted, since any client can set it.
func clientIP(ctx context.Context) string {
	ip, _ := clientAddr(ctx)
	return ip
}

// clientAddr is the caller's IP and port, which runtime functions also see.
func clientAddr(ctx context.Context) (ip, port string) {
	a, _ := ctx.Value(clientAddrKey{}).(clientAddress)
	return a.ip, a.port
}

func withClientIP(ctx context.Context, remoteAddr string) context.Context {
	host, port, err := net.SplitHostPort(remoteAddr)
	if err != nil {
		host, port = remoteAddr, ""
	}
	return context.WithValue(ctx, clientAddrKey{}, clientAddress{ip: host, port: port})
}
