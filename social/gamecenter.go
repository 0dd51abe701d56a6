package social

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/rsa"
	"crypto/x509"
	"encoding/base64"
	"encoding/binary"
	"encoding/pem"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"time"
)

// Game Center limits.
const (
	gcMaxCertBody   = 64 << 10        // Apple's certificates are about 1.5 KB
	gcMillisAbove   = 100_000_000_000 // timestamps above this are milliseconds (seconds would be year 5138)
	gcCacheMax      = 32              // certificates held; Apple serves one or two at a time
	gcCertTTL       = 24 * time.Hour  // when Apple sends no max-age
	gcCertMinTTL    = 5 * time.Minute // floor on Apple's max-age
	gcMaxRedirects  = 3               // hops followed when fetching a certificate
	gcMaxFieldBytes = 2048            // every field, the URL included, is far shorter
)

// errGameCenterRedirect marks a certificate fetch that was redirected off the allowed
// hosts: the client supplied a URL that does not lead to Apple, so the credential is bad.
var errGameCenterRedirect = errors.New("public key URL redirects to a host that is not allowed")

// GameCenterInput is what GameKit's identity verification signature gives the client
// (fetchItems(forIdentityVerificationSignature:), formerly
// generateIdentityVerificationSignature), as Nakama's AccountGameCenter carries it.
type GameCenterInput struct {
	PlayerID     string // the player ID the signature covers (teamPlayerID for fetchItems)
	BundleID     string // the app's bundle identifier
	Timestamp    int64  // as GameKit gives it: milliseconds since the epoch (seconds are also understood)
	Salt         string // standard base64
	Signature    string // standard base64
	PublicKeyURL string // where Apple publishes the signing certificate
}

// GameCenter verifies a Game Center identity verification signature, answering nil when
// PlayerID is proven. Checks, cheapest first: every field present; BundleID one of
// social.game_center.bundle_ids when set; PublicKeyURL https, with a path, on a host
// matching social.game_center.public_key_hosts (Apple's *.apple.com by default) — a URL
// that fails is ErrInvalid and is never fetched; Timestamp no older than
// timestamp_max_age_sec; then the certificate at PublicKeyURL (fetched once and cached,
// redirects held to the same host rule) must verify a SHA-256 signature over PlayerID,
// BundleID, Timestamp as a big-endian uint64 and the decoded salt.
//
// Nakama makes the same URL and signature checks but checks no timestamp and no bundle
// ID, and fetches the certificate on every call. Neither Nakama nor Hearth verifies the
// certificate's chain to Apple: trust rests on fetching it over https from Apple's host.
func (c *Client) GameCenter(ctx context.Context, in GameCenterInput) error {
	for _, f := range []struct{ name, value string }{
		{"player id", in.PlayerID}, {"bundle id", in.BundleID}, {"salt", in.Salt},
		{"signature", in.Signature}, {"public key url", in.PublicKeyURL},
	} {
		if f.value == "" {
			return fmt.Errorf("game center: %w: no %s", ErrInvalid, f.name)
		}
		if len(f.value) > gcMaxFieldBytes {
			return fmt.Errorf("game center: %w: %s is %d bytes long", ErrInvalid, f.name, len(f.value))
		}
	}
	if in.Timestamp <= 0 {
		return fmt.Errorf("game center: %w: timestamp %d", ErrInvalid, in.Timestamp)
	}
	if len(c.gcBundleIDs) > 0 && !slices.Contains(c.gcBundleIDs, in.BundleID) {
		return fmt.Errorf("game center: %w: bundle id %q not accepted", ErrInvalid, in.BundleID)
	}
	u, err := url.Parse(in.PublicKeyURL)
	if err != nil {
		return fmt.Errorf("game center: %w: public key url: %w", ErrInvalid, scrubURL(err))
	}
	if err := c.allowedPublicKeyURL(u); err != nil {
		return fmt.Errorf("game center: %w: %w", ErrInvalid, err)
	}
	salt, err := base64.StdEncoding.DecodeString(in.Salt)
	if err != nil {
		return fmt.Errorf("game center: %w: salt: %w", ErrInvalid, err)
	}
	sig, err := base64.StdEncoding.DecodeString(in.Signature)
	if err != nil {
		return fmt.Errorf("game center: %w: signature: %w", ErrInvalid, err)
	}
	if maxAge := c.cfg.GameCenter.MaxAgeSec; maxAge > 0 {
		if outsideWindow(c.now(), gameCenterTime(in.Timestamp), maxAge) {
			return fmt.Errorf("game center: %w: timestamp %d outside the accepted %ds", ErrInvalid, in.Timestamp, maxAge)
		}
	}

	cert, err := c.gameCenterCert(ctx, u.String())
	if err != nil {
		return err
	}
	var alg x509.SignatureAlgorithm
	switch cert.PublicKey.(type) {
	case *rsa.PublicKey:
		alg = x509.SHA256WithRSA
	case *ecdsa.PublicKey:
		alg = x509.ECDSAWithSHA256 // not used by Apple today; costs nothing to accept
	default:
		return fmt.Errorf("game center: %w: certificate key of type %T", ErrInvalid, cert.PublicKey)
	}
	var ts [8]byte
	binary.BigEndian.PutUint64(ts[:], uint64(in.Timestamp))
	signed := bytes.Join([][]byte{[]byte(in.PlayerID), []byte(in.BundleID), ts[:], salt}, nil)
	if err := cert.CheckSignature(alg, signed, sig); err != nil {
		return fmt.Errorf("game center: %w: signature: %w", ErrInvalid, err)
	}
	return nil
}

// gameCenterTime reads a GameKit timestamp, which is in milliseconds, while still
// understanding seconds from clients that convert it.
func gameCenterTime(ts int64) time.Time {
	if ts > gcMillisAbove {
		return time.UnixMilli(ts)
	}
	return time.Unix(ts, 0)
}

// allowedPublicKeyURL is the rule for certificate URLs, applied to the client's URL and
// to every redirect: https (tokens are not involved, but the certificate is the whole
// trust anchor), no credentials, a path, and an allowed host.
func (c *Client) allowedPublicKeyURL(u *url.URL) error {
	if u.Scheme != "https" {
		return fmt.Errorf("public key url scheme %q is not https", u.Scheme)
	}
	if u.User != nil || u.Opaque != "" {
		return errors.New("public key url is not a plain https URL")
	}
	if u.Path == "" || u.Path == "/" {
		return errors.New("public key url has no path")
	}
	if !hostAllowed(u.Hostname(), c.gcHosts) {
		return fmt.Errorf("public key url host %q is not allowed", u.Hostname())
	}
	return nil
}

// hostAllowed matches host against patterns: "*.apple.com" matches any subdomain of
// apple.com (not apple.com itself), anything else matches exactly, ignoring case.
func hostAllowed(host string, patterns []string) bool {
	host = strings.TrimSuffix(strings.ToLower(host), ".")
	if host == "" {
		return false
	}
	for _, p := range patterns {
		if suffix, ok := strings.CutPrefix(p, "*."); ok {
			if strings.HasSuffix(host, "."+suffix) {
				return true
			}
		} else if host == p {
			return true
		}
	}
	return false
}

func (c *Client) checkGameCenterRedirect(req *http.Request, via []*http.Request) error {
	if len(via) >= gcMaxRedirects {
		return fmt.Errorf("%w: too many redirects", errGameCenterRedirect)
	}
	if err := c.allowedPublicKeyURL(req.URL); err != nil {
		return fmt.Errorf("%w: %w", errGameCenterRedirect, err)
	}
	return nil
}

// gameCenterCert returns the certificate at rawURL, from the cache when it holds one.
func (c *Client) gameCenterCert(ctx context.Context, rawURL string) (*x509.Certificate, error) {
	if cert, ok := c.gcCerts.get(rawURL, c.now()); ok {
		return cert, nil
	}
	const what = "game center public key"
	resp, err := c.get(ctx, c.gcHTTP, what, rawURL, gcMaxCertBody)
	if errors.Is(err, errGameCenterRedirect) {
		return nil, fmt.Errorf("%s: %w: %w", what, ErrInvalid, errGameCenterRedirect)
	}
	if err != nil {
		return nil, err
	}
	switch {
	case resp.status == http.StatusOK:
	case resp.status >= 400 && resp.status < 500 && resp.status != http.StatusTooManyRequests:
		// Apple's host answered that the client's URL names nothing.
		return nil, fmt.Errorf("%s: %w: status %d", what, ErrInvalid, resp.status)
	default:
		return nil, fmt.Errorf("%s: %w: status %d", what, ErrUnavailable, resp.status)
	}
	der := resp.body
	if block, _ := pem.Decode(resp.body); block != nil {
		der = block.Bytes // Apple serves DER; PEM is accepted as Nakama does
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		return nil, fmt.Errorf("%s: %w: parsing certificate: %w", what, ErrInvalid, err)
	}
	now := c.now()
	c.gcCerts.put(rawURL, cert, now, now.Add(cacheTTL(resp.header, gcCertTTL, gcCertMinTTL, gcCertTTL)))
	return cert, nil
}

// certCache holds fetched Game Center certificates by URL, bounded because the URLs come
// from clients (restricted to Apple's hosts, but with any path).
type certCache struct {
	mu      sync.Mutex
	entries map[string]certEntry
}

type certEntry struct {
	cert    *x509.Certificate
	expires time.Time
}

func newCertCache() *certCache {
	return &certCache{entries: make(map[string]certEntry)}
}

func (cc *certCache) get(u string, now time.Time) (*x509.Certificate, bool) {
	cc.mu.Lock()
	defer cc.mu.Unlock()
	e, ok := cc.entries[u]
	if !ok || !now.Before(e.expires) {
		return nil, false
	}
	return e.cert, true
}

// put stores a certificate, making room by dropping expired entries and, if the cache is
// still full, arbitrary ones: a refetch is cheap, an unbounded map is not.
func (cc *certCache) put(u string, cert *x509.Certificate, now, expires time.Time) {
	cc.mu.Lock()
	defer cc.mu.Unlock()
	if len(cc.entries) >= gcCacheMax {
		for k, e := range cc.entries {
			if !now.Before(e.expires) || len(cc.entries) >= gcCacheMax {
				delete(cc.entries, k)
			}
		}
	}
	cc.entries[u] = certEntry{cert: cert, expires: expires}
}
