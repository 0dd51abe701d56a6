package social

import (
	"context"
	"crypto/rsa"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"math/big"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

// Key-set caching limits. Providers publish new keys well before signing with them, so a
// cached set is normally enough; the limits bound what a stream of garbage tokens or an
// outage can make us do.
const (
	keysDefaultTTL  = time.Hour       // when the provider sends no max-age (Nakama refreshes hourly)
	keysMinTTL      = 5 * time.Minute // floor on the provider's max-age
	keysMaxTTL      = 24 * time.Hour  // ceiling on the provider's max-age
	keysMinRefetch  = time.Minute     // an unknown kid refetches at most this often
	keysFailBackoff = 5 * time.Second // after a failed fetch, callers fail fast for this long
	keysMaxStale    = 24 * time.Hour  // expired keys still verify while the provider is unreachable
	keysMaxBody     = 1 << 20         // a JWKS is a few KB
	keysMaxCount    = 64              // a provider publishes two or three
	keysMinModulus  = 2048            // bits; providers use 2048, weaker keys are not trusted
)

// ID token limits.
const (
	algRS256         = "RS256"  // the only algorithm these providers sign ID tokens with
	maxIDTokenLength = 16 << 10 // ID tokens are ~1 KB; refuse absurd input before parsing
)

// keySet caches one provider's JWKS (RSA keys by kid), refreshing when the provider's
// max-age runs out and, rate-limited, when a token names a kid it does not hold.
type keySet struct {
	c    *Client
	name string
	url  string
	sem  chan struct{} // one fetch at a time; waiters give up with their context

	mu          sync.Mutex
	keys        map[string]*rsa.PublicKey
	expires     time.Time // keys are current until then
	fetched     time.Time // last successful fetch
	lastAttempt time.Time // last fetch, successful or not
	lastErr     error     // nil when the last attempt succeeded
	gen         uint64    // counts attempts, so a waiter can tell one finished meanwhile
}

func newKeySet(c *Client, name, url string) *keySet {
	return &keySet{c: c, name: name, url: url, sem: make(chan struct{}, 1)}
}

// key returns the public key named kid. An unknown kid is ErrInvalid once a current key
// set has been consulted; a key set that cannot be fetched is ErrUnavailable unless a
// previously fetched key, not too stale, can stand in.
func (ks *keySet) key(ctx context.Context, kid string) (*rsa.PublicKey, error) {
	now := ks.c.now()
	ks.mu.Lock()
	k, ok := ks.keys[kid]
	fresh := now.Before(ks.expires)
	sinceAttempt := now.Sub(ks.lastAttempt)
	failed := ks.lastErr != nil
	gen := ks.gen
	ks.mu.Unlock()

	if ok && fresh {
		return k, nil
	}
	var fetch bool
	switch {
	case !fresh:
		fetch = !failed || sinceAttempt >= keysFailBackoff
	default: // fresh set without this kid: maybe a rotation we have not seen yet
		fetch = sinceAttempt >= keysMinRefetch
	}
	var fetchErr error
	if fetch {
		if fetchErr = ks.refresh(ctx, gen); fetchErr == nil {
			ks.mu.Lock()
			k, ok = ks.keys[kid]
			ks.mu.Unlock()
			if ok {
				return k, nil
			}
			return nil, fmt.Errorf("%s: %w: unknown key id %q", ks.name, ErrInvalid, kid)
		}
	}

	ks.mu.Lock()
	stale := now.Sub(ks.fetched) < keysMaxStale
	lastErr := ks.lastErr
	ks.mu.Unlock()
	switch {
	case ok && stale:
		return k, nil // the provider is unreachable; keys rarely get revoked
	case fetchErr != nil:
		return nil, fetchErr
	case !fresh:
		return nil, fmt.Errorf("%s: %w: signing keys unavailable after a failed fetch: %w", ks.name, ErrUnavailable, lastErr)
	default:
		return nil, fmt.Errorf("%s: %w: unknown key id %q", ks.name, ErrInvalid, kid)
	}
}

// refresh fetches the key set unless an attempt finished while this caller waited (seen
// is the attempt counter the caller read), in which case that attempt's outcome stands.
// The fetch is detached from the caller's context, which ends only the caller's wait:
// one impatient client must not fail the fetch for everyone queued behind it. The
// per-call timeout still bounds it.
func (ks *keySet) refresh(ctx context.Context, seen uint64) error {
	gaveUp := func() error {
		return fmt.Errorf("%s signing keys: %w: %w", ks.name, ErrUnavailable, ctx.Err())
	}
	select {
	case ks.sem <- struct{}{}:
	case <-ctx.Done():
		return gaveUp()
	}
	ks.mu.Lock()
	if ks.gen != seen {
		err := ks.lastErr
		ks.mu.Unlock()
		<-ks.sem
		return err
	}
	ks.mu.Unlock()

	done := make(chan error, 1)
	go func() {
		defer func() { <-ks.sem }()
		keys, ttl, err := ks.fetch(context.WithoutCancel(ctx))
		now := ks.c.now()
		ks.mu.Lock()
		ks.gen++
		ks.lastAttempt = now
		ks.lastErr = err
		if err == nil {
			ks.keys = keys
			ks.fetched = now
			ks.expires = now.Add(ttl)
		}
		ks.mu.Unlock()
		done <- err
	}()
	select {
	case err := <-done:
		return err
	case <-ctx.Done():
		return gaveUp()
	}
}

// jwk is one key of a JSON Web Key Set, as Apple, Google and Facebook publish them.
type jwk struct {
	Kty string `json:"kty"`
	Kid string `json:"kid"`
	Use string `json:"use"`
	Alg string `json:"alg"`
	N   string `json:"n"`
	E   string `json:"e"`
}

// fetch downloads and parses the key set, skipping keys that cannot verify RS256 tokens.
func (ks *keySet) fetch(ctx context.Context) (map[string]*rsa.PublicKey, time.Duration, error) {
	what := ks.name + " signing keys"
	resp, err := ks.c.get(ctx, ks.c.http, what, ks.url, keysMaxBody)
	if err != nil {
		return nil, 0, err
	}
	if resp.status != http.StatusOK {
		return nil, 0, fmt.Errorf("%s: %w: status %d: %s", what, ErrUnavailable, resp.status, snippet(resp.body))
	}
	var set struct {
		Keys []jwk `json:"keys"`
	}
	if err := json.Unmarshal(resp.body, &set); err != nil {
		return nil, 0, fmt.Errorf("%s: %w: decoding: %w", what, ErrUnavailable, err)
	}
	keys := make(map[string]*rsa.PublicKey, len(set.Keys))
	for _, k := range set.Keys {
		if len(keys) == keysMaxCount {
			break
		}
		if pub, ok := k.rsaKey(); ok {
			keys[k.Kid] = pub
		}
	}
	if len(keys) == 0 {
		return nil, 0, fmt.Errorf("%s: %w: no usable RSA signing keys among %d", what, ErrUnavailable, len(set.Keys))
	}
	return keys, cacheTTL(resp.header, keysDefaultTTL, keysMinTTL, keysMaxTTL), nil
}

// rsaKey converts a JWK to an RSA public key, refusing keys not meant for RS256
// signatures: a key is trusted only for the algorithm its publisher declared.
func (k jwk) rsaKey() (*rsa.PublicKey, bool) {
	if k.Kty != "RSA" || k.Kid == "" || (k.Use != "" && k.Use != "sig") || (k.Alg != "" && k.Alg != algRS256) {
		return nil, false
	}
	n, err := decodeB64URL(k.N)
	if err != nil || len(n)*8 < keysMinModulus {
		return nil, false
	}
	e, err := decodeB64URL(k.E)
	if err != nil || len(e) == 0 || len(e) > 4 {
		return nil, false
	}
	exp := new(big.Int).SetBytes(e)
	if exp.Cmp(big.NewInt(1)) <= 0 || exp.Cmp(big.NewInt(1<<31-1)) > 0 {
		return nil, false
	}
	pub := &rsa.PublicKey{N: new(big.Int).SetBytes(n), E: int(exp.Int64())}
	if pub.N.BitLen() < keysMinModulus {
		return nil, false
	}
	return pub, true
}

// cacheTTL reads the provider's Cache-Control max-age, clamped to [lo, hi]; def when
// there is none.
func cacheTTL(h http.Header, def, lo, hi time.Duration) time.Duration {
	for _, directive := range strings.Split(h.Get("Cache-Control"), ",") {
		v, ok := strings.CutPrefix(strings.ToLower(strings.TrimSpace(directive)), "max-age=")
		if !ok {
			continue
		}
		sec, err := strconv.ParseInt(v, 10, 64)
		if err != nil || sec < 0 {
			return def
		}
		if sec > int64(hi/time.Second) {
			return hi // also keeps the multiplication below from overflowing
		}
		return max(time.Duration(sec)*time.Second, lo)
	}
	return def
}

// decodeB64URL decodes base64url with or without padding, as JWKs and signed requests
// are written both ways in the wild.
func decodeB64URL(s string) ([]byte, error) {
	return base64.RawURLEncoding.DecodeString(strings.TrimRight(s, "="))
}

// flexBool decodes a JSON boolean that some providers (Apple) send as a string.
type flexBool bool

func (b *flexBool) UnmarshalJSON(data []byte) error {
	var v any
	if err := json.Unmarshal(data, &v); err != nil {
		return err
	}
	switch v := v.(type) {
	case bool:
		*b = flexBool(v)
	case string:
		parsed, err := strconv.ParseBool(v)
		if err != nil {
			return fmt.Errorf("boolean claim %q: %w", v, err)
		}
		*b = flexBool(parsed)
	case nil:
		*b = false
	default:
		return fmt.Errorf("boolean claim of type %T", v)
	}
	return nil
}

// idClaims are the ID token claims the providers' profiles are read from.
type idClaims struct {
	jwt.RegisteredClaims
	AuthorizedParty string   `json:"azp"`
	Email           string   `json:"email"`
	EmailVerified   flexBool `json:"email_verified"`
	Name            string   `json:"name"`
	Picture         string   `json:"picture"`
}

// idTokenRules are what a provider's ID tokens must satisfy beyond a good signature.
type idTokenRules struct {
	provider  string
	keys      *keySet
	issuers   []string // iss must be one of these
	audiences []string // when set, aud must be exactly one value and one of these
}

// verifyIDToken checks an RS256 ID token against the provider's key set: algorithm,
// signature, expiry (required), not-before, issuer, audience and a non-empty subject.
func (c *Client) verifyIDToken(ctx context.Context, raw string, r idTokenRules) (*idClaims, error) {
	if len(raw) > maxIDTokenLength {
		return nil, fmt.Errorf("%s id token: %w: %d bytes long", r.provider, ErrInvalid, len(raw))
	}
	parser := jwt.NewParser(
		// Pinning the algorithm is what stops "alg":"none" and HS256 signed with the
		// public key from being accepted; it is checked before any key is fetched.
		jwt.WithValidMethods([]string{algRS256}),
		jwt.WithExpirationRequired(),
		jwt.WithTimeFunc(c.now),
	)
	claims := &idClaims{}
	_, err := parser.ParseWithClaims(raw, claims, func(t *jwt.Token) (any, error) {
		kid, _ := t.Header["kid"].(string)
		if kid == "" {
			return nil, fmt.Errorf("%w: no kid header", ErrInvalid)
		}
		return r.keys.key(ctx, kid)
	})
	if err != nil {
		if errors.Is(err, ErrUnavailable) || errors.Is(err, ErrInvalid) {
			return nil, fmt.Errorf("%s id token: %w", r.provider, err)
		}
		return nil, fmt.Errorf("%s id token: %w: %w", r.provider, ErrInvalid, err)
	}
	if !slices.Contains(r.issuers, claims.Issuer) {
		return nil, fmt.Errorf("%s id token: %w: issuer %q", r.provider, ErrInvalid, claims.Issuer)
	}
	if len(r.audiences) > 0 {
		// One audience, ours: a token minted for several parties, or for another app
		// that happens to share the user, is not a login to this one.
		if len(claims.Audience) != 1 || !slices.Contains(r.audiences, claims.Audience[0]) {
			return nil, fmt.Errorf("%s id token: %w: audience %q not accepted", r.provider, ErrInvalid, []string(claims.Audience))
		}
	}
	if claims.Subject == "" {
		return nil, fmt.Errorf("%s id token: %w: no subject", r.provider, ErrInvalid)
	}
	return claims, nil
}

// looksLikeJWT reports whether s has the three-segment shape of a JWT; Graph access
// tokens never contain dots.
func looksLikeJWT(s string) bool {
	return strings.Count(s, ".") == 2
}
