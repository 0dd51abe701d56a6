// Package social verifies credentials issued by third-party identity providers — Sign in
// with Apple, Google, Facebook (Graph access tokens and Limited Login ID tokens), Facebook
// Instant Games, Apple Game Center and Steam — and reports who they identify. It has no
// database: core decides what an identity means for accounts.
//
// Every provider endpoint is configurable so tests can point the client at fakes on
// loopback that produce genuinely signed material. Failures come in three kinds that
// callers branch on with errors.Is: ErrNotConfigured (the server lacks the provider's
// settings), ErrInvalid (the credential is bad, expired, forged or meant for someone
// else) and ErrUnavailable (the provider could not be asked: unreachable, slow, 5xx).
package social

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// ErrNotConfigured means the provider's settings are missing, so no credential for it can
// be checked. Nakama answers such requests with FailedPrecondition
// "<Provider> authentication is not configured.".
var ErrNotConfigured = errors.New("provider not configured")

// ErrInvalid means the credential was checked and refused: malformed, badly signed,
// expired, stale, issued to another application, or rejected by the provider.
var ErrInvalid = errors.New("invalid credential")

// ErrUnavailable means the provider could not give an answer — unreachable, timed out,
// answering 5xx or nonsense — so the credential is neither accepted nor refused.
var ErrUnavailable = errors.New("provider unavailable")

// Provider endpoints used when the configuration leaves them empty.
const (
	DefaultAppleKeysURL                = "https://appleid.apple.com/auth/keys"
	DefaultGoogleKeysURL               = "https://www.googleapis.com/oauth2/v3/certs"
	DefaultFacebookGraphURL            = "https://graph.facebook.com/v18.0"
	DefaultFacebookLimitedLoginKeysURL = "https://www.facebook.com/.well-known/oauth/openid/jwks/"
	DefaultGameCenterPublicKeyHosts    = "*.apple.com"
	DefaultSteamAPIURL                 = "https://partner.steam-api.com"
)

// Defaults for the numeric settings.
const (
	DefaultTimeoutMs                = 5000
	DefaultFacebookInstantMaxAgeSec = 3600
	DefaultGameCenterMaxAgeSec      = 3600
)

// Config holds the providers' settings. Keys are Nakama's where Nakama has the setting
// (social.apple.bundle_id, social.steam.publisher_key, ...); fields are only strings,
// ints and bools, lists comma-separated, so the project's config loader can bind each to
// a flag and an environment variable.
type Config struct {
	Apple                AppleConfig                `yaml:"apple"`
	Google               GoogleConfig               `yaml:"google"`
	Facebook             FacebookConfig             `yaml:"facebook"`
	FacebookLimitedLogin FacebookLimitedLoginConfig `yaml:"facebook_limited_login"`
	FacebookInstantGame  FacebookInstantGameConfig  `yaml:"facebook_instant_game"`
	GameCenter           GameCenterConfig           `yaml:"game_center"`
	Steam                SteamConfig                `yaml:"steam"`
	TimeoutMs            int                        `yaml:"timeout_ms" usage:"time limit in milliseconds for each call to an identity provider"`
}

// AppleConfig configures Sign in with Apple.
type AppleConfig struct {
	BundleID string `yaml:"bundle_id" usage:"Sign in with Apple bundle ID (comma-separated to also accept a web Services ID); ID tokens must name one as audience; empty disables Apple authentication"`
	KeysURL  string `yaml:"keys_url" usage:"Apple's JWKS URL for ID token signing keys"`
}

// GoogleConfig configures Google Sign-In. Nakama keeps the client IDs under the top-level
// google_auth.client_ids key.
type GoogleConfig struct {
	ClientIDs string `yaml:"client_ids" usage:"comma-separated OAuth client IDs accepted as an ID token's audience and authorized party; empty accepts tokens issued to any client, as Nakama does"`
	KeysURL   string `yaml:"keys_url" usage:"Google's JWKS URL for ID token signing keys"`
}

// FacebookConfig configures Facebook Login with Graph API access tokens.
type FacebookConfig struct {
	GraphURL string `yaml:"graph_url" usage:"Facebook Graph API base URL, including the version"`
}

// FacebookLimitedLoginConfig configures Facebook Limited Login, whose credentials are
// OpenID Connect ID tokens rather than Graph access tokens.
type FacebookLimitedLoginConfig struct {
	AppID   string `yaml:"app_id" usage:"Facebook app ID Limited Login tokens must name as audience; empty accepts any app, as Nakama does"`
	KeysURL string `yaml:"keys_url" usage:"Facebook's JWKS URL for Limited Login token signing keys"`
}

// FacebookInstantGameConfig configures Facebook Instant Games signed player info.
type FacebookInstantGameConfig struct {
	AppSecret string `yaml:"app_secret" usage:"Facebook Instant Game app secret; empty disables Facebook Instant Game authentication"`
	MaxAgeSec int    `yaml:"issued_at_max_age_sec" usage:"oldest signed player info accepted, in seconds since its issued_at; negative accepts any age (Nakama does not check)"`
}

// GameCenterConfig configures Apple Game Center identity verification signatures.
type GameCenterConfig struct {
	PublicKeyHosts string `yaml:"public_key_hosts" usage:"comma-separated hosts the public key URL may name (https only); *.example.com matches any subdomain"`
	BundleIDs      string `yaml:"bundle_ids" usage:"comma-separated bundle IDs accepted in Game Center credentials; empty accepts any, as Nakama does"`
	MaxAgeSec      int    `yaml:"timestamp_max_age_sec" usage:"oldest signature accepted, in seconds since its timestamp; negative accepts any age (Nakama does not check)"`
}

// SteamConfig configures Steam session ticket authentication.
type SteamConfig struct {
	PublisherKey string `yaml:"publisher_key" usage:"Steam Web API publisher key; empty disables Steam authentication"`
	AppID        int    `yaml:"app_id" usage:"Steam app ID tickets must be issued for; 0 disables Steam authentication"`
	APIURL       string `yaml:"api_url" usage:"Steam partner Web API base URL"`
}

// DefaultConfig returns the settings Hearth ships with: the providers' public endpoints,
// no application credentials (so Apple, Facebook Instant Games and Steam answer
// ErrNotConfigured until configured) and the default limits.
func DefaultConfig() Config {
	return Config{
		Apple:                AppleConfig{KeysURL: DefaultAppleKeysURL},
		Google:               GoogleConfig{KeysURL: DefaultGoogleKeysURL},
		Facebook:             FacebookConfig{GraphURL: DefaultFacebookGraphURL},
		FacebookLimitedLogin: FacebookLimitedLoginConfig{KeysURL: DefaultFacebookLimitedLoginKeysURL},
		FacebookInstantGame:  FacebookInstantGameConfig{MaxAgeSec: DefaultFacebookInstantMaxAgeSec},
		GameCenter:           GameCenterConfig{PublicKeyHosts: DefaultGameCenterPublicKeyHosts, MaxAgeSec: DefaultGameCenterMaxAgeSec},
		Steam:                SteamConfig{APIURL: DefaultSteamAPIURL},
		TimeoutMs:            DefaultTimeoutMs,
	}
}

// withDefaults fills the settings left at their zero value, so a zero Config is usable.
func (cfg Config) withDefaults() Config {
	d := DefaultConfig()
	fill := func(s *string, def string) {
		if strings.TrimSpace(*s) == "" {
			*s = def
		}
	}
	fill(&cfg.Apple.KeysURL, d.Apple.KeysURL)
	fill(&cfg.Google.KeysURL, d.Google.KeysURL)
	fill(&cfg.Facebook.GraphURL, d.Facebook.GraphURL)
	fill(&cfg.FacebookLimitedLogin.KeysURL, d.FacebookLimitedLogin.KeysURL)
	fill(&cfg.GameCenter.PublicKeyHosts, d.GameCenter.PublicKeyHosts)
	fill(&cfg.Steam.APIURL, d.Steam.APIURL)
	if cfg.FacebookInstantGame.MaxAgeSec == 0 {
		cfg.FacebookInstantGame.MaxAgeSec = d.FacebookInstantGame.MaxAgeSec
	}
	if cfg.GameCenter.MaxAgeSec == 0 {
		cfg.GameCenter.MaxAgeSec = d.GameCenter.MaxAgeSec
	}
	if cfg.TimeoutMs <= 0 {
		cfg.TimeoutMs = d.TimeoutMs
	}
	return cfg
}

// Profile is what a provider says about the person a credential identifies. ID is the
// provider's stable user ID (Apple/Google/Facebook subject, Steam ID); the other fields
// are filled only where the provider supplies them.
type Profile struct {
	ID            string
	Email         string
	EmailVerified bool
	Name          string
	AvatarURL     string
}

// Client verifies credentials against the configured providers. It caches the
// providers' signing keys and Game Center certificates, and is safe for concurrent use.
type Client struct {
	cfg     Config
	timeout time.Duration
	http    *http.Client // provider APIs and key sets
	gcHTTP  *http.Client // Game Center certificates: every redirect hop must pass the host check

	appleAudiences  []string
	googleClientIDs []string
	gcHosts         []string
	gcBundleIDs     []string

	appleKeys    *keySet
	googleKeys   *keySet
	facebookKeys *keySet
	gcCerts      *certCache

	now func() time.Time // tests move the clock across expiry and refetch limits
}

// New builds a Client. hc carries the transport (nil means http.DefaultTransport); its
// redirect policy is replaced and its Timeout is left alone, since each provider call
// gets cfg.TimeoutMs of its own. Empty endpoint settings take the providers' defaults.
func New(cfg Config, hc *http.Client) *Client {
	cfg = cfg.withDefaults()
	if hc == nil {
		hc = &http.Client{}
	}
	c := &Client{
		cfg:             cfg,
		timeout:         time.Duration(cfg.TimeoutMs) * time.Millisecond,
		appleAudiences:  splitList(cfg.Apple.BundleID),
		googleClientIDs: splitList(cfg.Google.ClientIDs),
		gcHosts:         splitList(strings.ToLower(cfg.GameCenter.PublicKeyHosts)),
		gcBundleIDs:     splitList(cfg.GameCenter.BundleIDs),
		gcCerts:         newCertCache(),
		now:             time.Now,
	}
	apis := *hc
	apis.CheckRedirect = limitRedirects
	c.http = &apis
	certs := *hc
	certs.CheckRedirect = c.checkGameCenterRedirect
	c.gcHTTP = &certs

	c.appleKeys = newKeySet(c, "apple", cfg.Apple.KeysURL)
	c.googleKeys = newKeySet(c, "google", cfg.Google.KeysURL)
	c.facebookKeys = newKeySet(c, "facebook limited login", cfg.FacebookLimitedLogin.KeysURL)
	return c
}

// Warnings lists settings under which the client accepts more than it should, for the
// server to log at start, as config.Warnings does for insecure defaults.
func (c *Client) Warnings() []string {
	var out []string
	if len(c.googleClientIDs) == 0 {
		out = append(out, "google.client_ids is not configured: Google ID tokens issued to any OAuth client are accepted (Nakama's behaviour); set it to accept only your own")
	}
	if c.cfg.FacebookLimitedLogin.AppID == "" {
		out = append(out, "facebook_limited_login.app_id is not configured: Limited Login tokens issued to any Facebook app are accepted (Nakama's behaviour)")
	}
	if len(c.gcBundleIDs) == 0 {
		out = append(out, "game_center.bundle_ids is not configured: Game Center signatures made for any app are accepted (Nakama's behaviour)")
	}
	return out
}

// response is a provider's answer, read in full (within a size limit).
type response struct {
	status int
	header http.Header
	body   []byte
}

// get fetches rawURL within the client's per-call time limit, reading at most limit
// bytes of body. Any failure to obtain an answer is ErrUnavailable; the status is the
// caller's to judge. Errors never include the URL, whose query may hold access tokens
// and the publisher key.
func (c *Client) get(ctx context.Context, hc *http.Client, what, rawURL string, limit int64) (response, error) {
	ctx, cancel := context.WithTimeout(ctx, c.timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, rawURL, nil)
	if err != nil {
		return response{}, fmt.Errorf("%s: %w: building request: %w", what, ErrUnavailable, scrubURL(err))
	}
	req.Header.Set("User-Agent", "hearth")
	resp, err := hc.Do(req)
	if err != nil {
		return response{}, fmt.Errorf("%s: %w: %w", what, ErrUnavailable, scrubURL(err))
	}
	defer func() { _ = resp.Body.Close() }()
	body, err := io.ReadAll(io.LimitReader(resp.Body, limit+1))
	if err != nil {
		return response{}, fmt.Errorf("%s: %w: reading response: %w", what, ErrUnavailable, scrubURL(err))
	}
	if int64(len(body)) > limit {
		return response{}, fmt.Errorf("%s: %w: response larger than %d bytes", what, ErrUnavailable, limit)
	}
	return response{status: resp.StatusCode, header: resp.Header, body: body}, nil
}

// scrubURL drops the URL that net/http puts in its errors: provider URLs carry access
// tokens and keys in their query strings, and errors end up in logs.
func scrubURL(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		return ue.Err
	}
	return err
}

// limitRedirects allows a few redirects, as http.Client does by default, but never a
// downgrade from https, which would expose tokens and keys in the query string.
func limitRedirects(req *http.Request, via []*http.Request) error {
	if len(via) >= 5 {
		return errors.New("too many redirects")
	}
	if via[0].URL.Scheme == "https" && req.URL.Scheme != "https" {
		return errors.New("redirect from https to " + req.URL.Scheme)
	}
	return nil
}

// splitList splits a comma-separated setting, dropping blanks.
func splitList(s string) []string {
	var out []string
	for _, part := range strings.Split(s, ",") {
		if part = strings.TrimSpace(part); part != "" {
			out = append(out, part)
		}
	}
	return out
}

// futureSkew is how far ahead of our clock a signed timestamp may be: clocks differ.
const futureSkew = 5 * time.Minute

// outsideWindow reports whether a credential signed at is more than maxAgeSec older than
// now or more than futureSkew newer. It counts in seconds so no setting can overflow.
func outsideWindow(now, at time.Time, maxAgeSec int) bool {
	return now.Unix()-at.Unix() > int64(maxAgeSec) || at.Sub(now) > futureSkew
}

// snippet shortens a provider's response body for an error message.
func snippet(b []byte) string {
	const max = 200
	s := strings.ToValidUTF8(string(b), "?")
	if len(s) > max {
		s = s[:max] + "..."
	}
	return s
}

// Configured reports whether a provider that cannot work without settings has them:
// "apple" (a bundle id), "steam" (publisher key and app id) and "facebook_instant_game"
// (the app secret). Providers that verify against public keys alone are always
// configured.
func (c *Client) Configured(provider string) bool {
	switch provider {
	case "apple":
		return len(c.appleAudiences) > 0
	case "steam":
		return c.cfg.Steam.PublisherKey != "" && c.cfg.Steam.AppID != 0
	case "facebook_instant_game":
		return c.cfg.FacebookInstantGame.AppSecret != ""
	}
	return true
}
