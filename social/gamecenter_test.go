package social

import (
	"bytes"
	"context"
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"encoding/binary"
	"encoding/pem"
	"fmt"
	"math/big"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

const (
	gcPlayer = "T:_1234abcd"
	gcBundle = "com.example.game"
	gcPath   = "/public-key/gc-prod-10.cer"
)

// fakeGameCenter serves a self-signed certificate over TLS the way Apple serves its
// Game Center key, and signs credentials with the certificate's key.
type fakeGameCenter struct {
	*httptest.Server
	key  *rsa.PrivateKey
	der  []byte
	hits atomic.Int32
}

func newFakeGameCenter(t *testing.T) *fakeGameCenter {
	t.Helper()
	g := &fakeGameCenter{key: testKeys()[2]}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(10),
		Subject:      pkix.Name{CommonName: "Apple Inc. Game Center (test)"},
		NotBefore:    time.Now().Add(-time.Hour),
		NotAfter:     time.Now().Add(365 * 24 * time.Hour),
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageCodeSigning},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &g.key.PublicKey, g.key)
	if err != nil {
		t.Fatal(err)
	}
	g.der = der
	mux := http.NewServeMux()
	mux.HandleFunc("GET "+gcPath, func(w http.ResponseWriter, r *http.Request) {
		g.hits.Add(1)
		w.Header().Set("Content-Type", "application/pkix-cert")
		_, _ = w.Write(g.der)
	})
	mux.HandleFunc("GET /public-key/pem.cer", func(w http.ResponseWriter, r *http.Request) {
		g.hits.Add(1)
		_ = pem.Encode(w, &pem.Block{Type: "CERTIFICATE", Bytes: g.der})
	})
	mux.HandleFunc("GET /public-key/garbage.cer", func(w http.ResponseWriter, r *http.Request) {
		g.hits.Add(1)
		_, _ = w.Write([]byte("not a certificate"))
	})
	mux.HandleFunc("GET /public-key/broken.cer", func(w http.ResponseWriter, r *http.Request) {
		g.hits.Add(1)
		http.Error(w, "oops", http.StatusInternalServerError)
	})
	mux.HandleFunc("GET /hop", func(w http.ResponseWriter, r *http.Request) {
		g.hits.Add(1)
		http.Redirect(w, r, gcPath, http.StatusFound)
	})
	mux.HandleFunc("GET /away", func(w http.ResponseWriter, r *http.Request) {
		g.hits.Add(1)
		http.Redirect(w, r, r.URL.Query().Get("to"), http.StatusFound)
	})
	g.Server = httptest.NewTLSServer(mux)
	t.Cleanup(g.Close)
	return g
}

// input signs a credential for player and bundle at ts with the served certificate's key.
func (g *fakeGameCenter) input(t *testing.T, path string, ts int64) GameCenterInput {
	t.Helper()
	salt := []byte("0123456789ab")
	var tsb [8]byte
	binary.BigEndian.PutUint64(tsb[:], uint64(ts))
	digest := sha256.Sum256(bytes.Join([][]byte{[]byte(gcPlayer), []byte(gcBundle), tsb[:], salt}, nil))
	sig, err := rsa.SignPKCS1v15(rand.Reader, g.key, crypto.SHA256, digest[:])
	if err != nil {
		t.Fatal(err)
	}
	return GameCenterInput{
		PlayerID:     gcPlayer,
		BundleID:     gcBundle,
		Timestamp:    ts,
		Salt:         base64.StdEncoding.EncodeToString(salt),
		Signature:    base64.StdEncoding.EncodeToString(sig),
		PublicKeyURL: g.URL + path,
	}
}

// gameCenterClient trusts the fake's TLS certificate and allows its loopback host.
func gameCenterClient(t *testing.T, g *fakeGameCenter, gc GameCenterConfig) (*Client, *fakeClock) {
	t.Helper()
	if gc.PublicKeyHosts == "" {
		gc.PublicKeyHosts = "127.0.0.1"
	}
	return newTestClient(t, Config{GameCenter: gc}, g.Client())
}

func TestGameCenter(t *testing.T) {
	g := newFakeGameCenter(t)
	c, clock := gameCenterClient(t, g, GameCenterConfig{})
	now := clock.Now()
	ms := now.UnixMilli()
	edit := func(in GameCenterInput, change func(*GameCenterInput)) GameCenterInput {
		change(&in)
		return in
	}
	valid := g.input(t, gcPath, ms)

	for _, tc := range []struct {
		name  string
		in    GameCenterInput
		want  error
		fetch bool // whether the certificate may be fetched
	}{
		{"valid, milliseconds as GameKit gives them", valid, nil, true},
		{"valid, seconds", g.input(t, gcPath, now.Unix()), nil, true},
		{"PEM certificate", g.input(t, "/public-key/pem.cer", ms), nil, true},
		{"redirect on the allowed host", g.input(t, "/hop", ms), nil, true},
		{"wrong player", edit(valid, func(in *GameCenterInput) { in.PlayerID = "T:_other" }), ErrInvalid, true},
		{"wrong bundle", edit(valid, func(in *GameCenterInput) { in.BundleID = "com.example.other" }), ErrInvalid, true},
		{"wrong salt", edit(valid, func(in *GameCenterInput) { in.Salt = base64.StdEncoding.EncodeToString([]byte("another salt")) }), ErrInvalid, true},
		{"wrong timestamp", edit(valid, func(in *GameCenterInput) { in.Timestamp = ms - 1 }), ErrInvalid, true},
		{"bad signature", edit(valid, func(in *GameCenterInput) {
			in.Signature = base64.StdEncoding.EncodeToString(bytes.Repeat([]byte{7}, 256))
		}), ErrInvalid, true},
		{"stale", g.input(t, gcPath, now.Add(-2*time.Hour).UnixMilli()), ErrInvalid, false},
		{"stale, seconds", g.input(t, gcPath, now.Add(-2*time.Hour).Unix()), ErrInvalid, false},
		{"from the future", g.input(t, gcPath, now.Add(time.Hour).UnixMilli()), ErrInvalid, false},
		{"no timestamp", edit(valid, func(in *GameCenterInput) { in.Timestamp = 0 }), ErrInvalid, false},
		{"negative timestamp", edit(valid, func(in *GameCenterInput) { in.Timestamp = -1 }), ErrInvalid, false},
		{"salt not base64", edit(valid, func(in *GameCenterInput) { in.Salt = "%%%" }), ErrInvalid, false},
		{"signature not base64", edit(valid, func(in *GameCenterInput) { in.Signature = "%%%" }), ErrInvalid, false},
		{"no player", edit(valid, func(in *GameCenterInput) { in.PlayerID = "" }), ErrInvalid, false},
		{"no signature", edit(valid, func(in *GameCenterInput) { in.Signature = "" }), ErrInvalid, false},
		{"http", edit(valid, func(in *GameCenterInput) { in.PublicKeyURL = strings.Replace(in.PublicKeyURL, "https:", "http:", 1) }), ErrInvalid, false},
		{"host not allowed", edit(valid, func(in *GameCenterInput) { in.PublicKeyURL = "http://evil.example" + gcPath }), ErrInvalid, false},
		{"host not allowed, https", edit(valid, func(in *GameCenterInput) { in.PublicKeyURL = "https://evil.example" + gcPath }), ErrInvalid, false},
		{"allowed host as a prefix", edit(valid, func(in *GameCenterInput) { in.PublicKeyURL = "https://127.0.0.1.evil.example" + gcPath }), ErrInvalid, false},
		{"allowed host as user info", edit(valid, func(in *GameCenterInput) { in.PublicKeyURL = "https://127.0.0.1@evil.example" + gcPath }), ErrInvalid, false},
		{"no path", edit(valid, func(in *GameCenterInput) { in.PublicKeyURL = g.URL + "/" }), ErrInvalid, false},
		{"not a URL", edit(valid, func(in *GameCenterInput) { in.PublicKeyURL = "https://[::1" }), ErrInvalid, false},
		{"redirect off the allowed hosts", g.input(t, "/away?to="+url.QueryEscape("https://localhost:1"+gcPath), ms), ErrInvalid, true},
		{"redirect to http", g.input(t, "/away?to="+url.QueryEscape(strings.Replace(g.URL, "https:", "http:", 1)+gcPath), ms), ErrInvalid, true},
		{"certificate not found", g.input(t, "/public-key/missing.cer", ms), ErrInvalid, true},
		{"not a certificate", g.input(t, "/public-key/garbage.cer", ms), ErrInvalid, true},
		{"server error", g.input(t, "/public-key/broken.cer", ms), ErrUnavailable, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c.gcCerts = newCertCache() // each case fetches for itself
			before := g.hits.Load()
			wantKind(t, c.GameCenter(context.Background(), tc.in), tc.want)
			if fetched := g.hits.Load() != before; fetched && !tc.fetch {
				t.Fatal("the certificate was fetched for a credential refused on its face")
			}
		})
	}
}

func TestGameCenterCertificateCached(t *testing.T) {
	g := newFakeGameCenter(t)
	c, clock := gameCenterClient(t, g, GameCenterConfig{MaxAgeSec: -1})
	for range 3 {
		if err := c.GameCenter(context.Background(), g.input(t, gcPath, clock.Now().UnixMilli())); err != nil {
			t.Fatal(err)
		}
	}
	// A forged signature is checked against the cached certificate too.
	forged := g.input(t, gcPath, clock.Now().UnixMilli())
	forged.PlayerID = "T:_victim"
	wantKind(t, c.GameCenter(context.Background(), forged), ErrInvalid)
	if n := g.hits.Load(); n != 1 {
		t.Fatalf("certificate fetched %d times, want once", n)
	}
	clock.Add(gcCertTTL)
	if err := c.GameCenter(context.Background(), g.input(t, gcPath, clock.Now().UnixMilli())); err != nil {
		t.Fatal(err)
	}
	if n := g.hits.Load(); n != 2 {
		t.Fatalf("certificate fetched %d times after expiry, want twice", n)
	}
}

func TestGameCenterBundleIDs(t *testing.T) {
	g := newFakeGameCenter(t)
	c, clock := gameCenterClient(t, g, GameCenterConfig{BundleIDs: "com.example.other, " + gcBundle})
	if err := c.GameCenter(context.Background(), g.input(t, gcPath, clock.Now().UnixMilli())); err != nil {
		t.Fatal(err)
	}
	c, clock = gameCenterClient(t, g, GameCenterConfig{BundleIDs: "com.example.other"})
	before := g.hits.Load()
	wantKind(t, c.GameCenter(context.Background(), g.input(t, gcPath, clock.Now().UnixMilli())), ErrInvalid)
	if g.hits.Load() != before {
		t.Fatal("fetched the certificate for a bundle ID that is not accepted")
	}
}

func TestGameCenterUnavailable(t *testing.T) {
	g := newFakeGameCenter(t)
	in := g.input(t, gcPath, time.Now().UnixMilli())
	g.Close()
	c, _ := gameCenterClient(t, g, GameCenterConfig{})
	c.now = time.Now
	wantKind(t, c.GameCenter(context.Background(), in), ErrUnavailable)

	slow := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { <-r.Context().Done() }))
	defer slow.Close()
	c = New(Config{GameCenter: GameCenterConfig{PublicKeyHosts: "127.0.0.1"}, TimeoutMs: 100}, slow.Client())
	in.PublicKeyURL = slow.URL + gcPath
	start := time.Now()
	wantKind(t, c.GameCenter(context.Background(), in), ErrUnavailable)
	if elapsed := time.Since(start); elapsed > 2*time.Second {
		t.Fatalf("took %v with a 100ms timeout", elapsed)
	}
}

// The default configuration trusts only Apple's hosts, over https.
func TestGameCenterDefaultHosts(t *testing.T) {
	c := New(Config{}, noNetwork(t))
	for raw, want := range map[string]bool{
		"https://static.gc.apple.com/public-key/gc-prod-10.cer":       true,
		"https://STATIC.GC.APPLE.COM/public-key/gc-prod-10.cer":       true,
		"https://static.gc.apple.com./public-key/gc-prod-10.cer":      true,
		"https://static.gc.apple.com:443/public-key/gc-prod-10.cer":   true,
		"http://static.gc.apple.com/public-key/gc-prod-10.cer":        false,
		"https://apple.com/public-key/gc-prod-10.cer":                 false,
		"https://evilapple.com/public-key/gc-prod-10.cer":             false,
		"https://static.gc.apple.com.evil.example/public-key/x.cer":   false,
		"https://static.gc.apple.com@evil.example/public-key/x.cer":   false,
		"https://evil.example/static.gc.apple.com/public-key/x.cer":   false,
		"https://127.0.0.1/public-key/gc-prod-10.cer":                 false,
		"https://static.gc.apple.com/":                                false,
		"https://static.gc.apple.com":                                 false,
		"ftp://static.gc.apple.com/public-key/gc-prod-10.cer":         false,
		"static.gc.apple.com/public-key/gc-prod-10.cer":               false,
		"https://static.gc.apple.com%2eevil.example/public-key/x.cer": false,
	} {
		u, err := url.Parse(raw)
		if err != nil {
			if want {
				t.Errorf("%s: %v", raw, err)
			}
			continue
		}
		if got := c.allowedPublicKeyURL(u) == nil; got != want {
			t.Errorf("%s allowed = %v, want %v", raw, got, want)
		}
	}
	// A refused URL is refused before any network access (noNetwork would complain).
	err := c.GameCenter(context.Background(), GameCenterInput{
		PlayerID: gcPlayer, BundleID: gcBundle, Timestamp: time.Now().UnixMilli(),
		Salt: "c2FsdA==", Signature: "c2ln", PublicKeyURL: "http://evil.example/public-key/gc-prod-10.cer",
	})
	wantKind(t, err, ErrInvalid)
}

// The certificate cache is bounded: client-chosen URLs cannot grow it without limit.
func TestCertCacheBounded(t *testing.T) {
	cc := newCertCache()
	now := time.Now()
	cert := &x509.Certificate{}
	cc.put("expired", cert, now, now.Add(-time.Second))
	for i := range 2 * gcCacheMax {
		cc.put(fmt.Sprintf("u%d", i), cert, now, now.Add(time.Hour))
		if n := len(cc.entries); n > gcCacheMax {
			t.Fatalf("%d entries", n)
		}
	}
	if _, ok := cc.get("expired", now); ok {
		t.Fatal("expired entry served")
	}
	last := fmt.Sprintf("u%d", 2*gcCacheMax-1)
	if _, ok := cc.get(last, now); !ok {
		t.Fatal("newest entry missing")
	}
}
