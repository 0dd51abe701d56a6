package core_test

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/hearth-server/hearth/core"
	"github.com/hearth-server/hearth/social"
)

const fbigSecret = "instant-game-secret"

// signedPlayerInfo makes Facebook Instant Games player info signed with secret.
func signedPlayerInfo(t *testing.T, secret, playerID string, issuedAt time.Time) string {
	t.Helper()
	payload, _ := json.Marshal(map[string]any{"algorithm": "HMAC-SHA256", "issued_at": issuedAt.Unix(), "player_id": playerID})
	p := base64.RawURLEncoding.EncodeToString(payload)
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write([]byte(p))
	return base64.RawURLEncoding.EncodeToString(mac.Sum(nil)) + "." + p
}

// fakeSteam answers AuthenticateUserTicket for tickets it knows; down makes it fail.
type fakeSteam struct {
	mu      sync.Mutex
	tickets map[string]string // ticket -> steam id
	down    bool
}

func (f *fakeSteam) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.down {
		http.Error(w, "maintenance", http.StatusServiceUnavailable)
		return
	}
	if r.URL.Query().Get("key") != "publisher-key" || r.URL.Query().Get("appid") != "480" {
		http.Error(w, "forbidden", http.StatusForbidden)
		return
	}
	id, ok := f.tickets[r.URL.Query().Get("ticket")]
	w.Header().Set("Content-Type", "application/json")
	if !ok {
		_, _ = w.Write([]byte(`{"response":{"error":{"errorcode":101,"errordesc":"Invalid ticket"}}}`))
		return
	}
	_, _ = w.Write([]byte(`{"response":{"params":{"result":"OK","steamid":"` + id + `","ownersteamid":"` + id + `"}}}`))
}

func newSocialCore(t *testing.T, importer core.FriendImporter) (*core.Core, *fakeSteam) {
	t.Helper()
	steam := &fakeSteam{tickets: map[string]string{"abcd01": "76561197960265728", "abcd02": "76561197960265729"}}
	srv := httptest.NewServer(steam)
	t.Cleanup(srv.Close)
	cfg := social.DefaultConfig()
	cfg.FacebookInstantGame.AppSecret = fbigSecret
	cfg.Steam.PublisherKey = "publisher-key"
	cfg.Steam.AppID = 480
	cfg.Steam.APIURL = srv.URL
	cfg.TimeoutMs = 2000
	c, _, _ := newCoreWith(t, core.Options{Social: social.New(cfg, srv.Client()), FriendImporter: importer})
	return c, steam
}

func TestAuthenticateFacebookInstantGame(t *testing.T) {
	t.Parallel()
	c, _ := newSocialCore(t, nil)
	info := signedPlayerInfo(t, fbigSecret, "player-42", time.Now())
	cred := core.SocialCredential{Token: info}
	first, err := c.AuthenticateSocial(ctx, core.ProviderFacebookInstantGame, cred, false, core.AuthInput{Create: true})
	if err != nil {
		t.Fatal(err)
	}
	again, err := c.AuthenticateSocial(ctx, core.ProviderFacebookInstantGame, cred, false, core.AuthInput{})
	if err != nil {
		t.Fatal(err)
	}
	if !first.Created || again.Created || again.UserID != first.UserID {
		t.Fatalf("first %+v, again %+v", first, again)
	}
	acct, _ := c.AccountGet(ctx, first.UserID)
	if acct.User.FacebookInstantGameID != "player-42" {
		t.Fatalf("facebook instant game id = %q", acct.User.FacebookInstantGameID)
	}

	forged := core.SocialCredential{Token: signedPlayerInfo(t, "wrong-secret", "player-42", time.Now())}
	_, err = c.AuthenticateSocial(ctx, core.ProviderFacebookInstantGame, forged, false, core.AuthInput{Create: true})
	wantCode(t, err, core.CodeUnauthenticated, "Could not authenticate Facebook Instant Game profile.")
	_, err = c.AuthenticateSocial(ctx, core.ProviderFacebookInstantGame, core.SocialCredential{}, false, core.AuthInput{Create: true})
	wantCode(t, err, core.CodeInvalidArgument, "Signed Player Info for a Facebook Instant Game is required.")
}

func TestSteamAuthenticateLinkUnlinkAndOutage(t *testing.T) {
	t.Parallel()
	var imported []string
	var mu sync.Mutex
	c, steam := newSocialCore(t, func(_ context.Context, _ uuid.UUID, p core.Provider, credential string) error {
		mu.Lock()
		defer mu.Unlock()
		imported = append(imported, string(p)+":"+credential)
		return nil
	})

	s, err := c.AuthenticateSocial(ctx, core.ProviderSteam, core.SocialCredential{Token: "abcd01"}, true, core.AuthInput{Create: true, Username: "gabe"})
	if err != nil {
		t.Fatal(err)
	}
	acct, _ := c.AccountGet(ctx, s.UserID)
	if acct.User.SteamID != "76561197960265728" || acct.User.Username != "gabe" {
		t.Fatalf("account = %+v", acct.User)
	}
	mu.Lock()
	if len(imported) != 1 || imported[0] != "steam:76561197960265728" {
		t.Fatalf("friend import calls = %v, want one Steam import by steam id", imported)
	}
	mu.Unlock()

	_, err = c.AuthenticateSocial(ctx, core.ProviderSteam, core.SocialCredential{Token: "ffff99"}, false, core.AuthInput{Create: true})
	wantCode(t, err, core.CodeUnauthenticated, "Could not authenticate Steam profile.")

	// Linking a Steam identity another account holds is refused; unlinking the only one is too.
	d := mustDevice(t, c, "steam-linker-1")
	wantCode(t, c.LinkSocial(ctx, d.UserID, core.ProviderSteam, core.SocialCredential{Token: "abcd01"}, false), core.CodeAlreadyExists, "Steam ID is already in use.")
	if err := c.LinkSocial(ctx, d.UserID, core.ProviderSteam, core.SocialCredential{Token: "abcd02"}, false); err != nil {
		t.Fatal(err)
	}
	wantCode(t, c.UnlinkSocial(ctx, s.UserID, core.ProviderSteam, core.SocialCredential{}), core.CodePermissionDenied, core.ErrLastIdentifier.Message)
	wantCode(t, c.UnlinkSocial(ctx, d.UserID, core.ProviderSteam, core.SocialCredential{Token: "abcd01"}), core.CodePermissionDenied, core.ErrLastIdentifier.Message)
	if err := c.UnlinkSocial(ctx, d.UserID, core.ProviderSteam, core.SocialCredential{Token: "abcd02"}); err != nil {
		t.Fatal(err)
	}

	steam.mu.Lock()
	steam.down = true
	steam.mu.Unlock()
	_, err = c.AuthenticateSocial(ctx, core.ProviderSteam, core.SocialCredential{Token: "abcd01"}, false, core.AuthInput{})
	wantCode(t, err, core.CodeUnavailable, "Steam is unavailable, try again later.")
}

func TestSocialNotConfigured(t *testing.T) {
	t.Parallel()
	c, _ := newCore(t) // no provider settings at all
	for _, p := range []core.Provider{core.ProviderApple, core.ProviderSteam, core.ProviderFacebookInstantGame} {
		_, err := c.AuthenticateSocial(ctx, p, core.SocialCredential{Token: "abcd01"}, false, core.AuthInput{Create: true})
		var e *core.Error
		if !errors.As(err, &e) || e.Code != core.CodeFailedPrecondition || e.Message != map[core.Provider]string{
			core.ProviderApple: "Apple authentication is not configured.", core.ProviderSteam: "Steam authentication is not configured.",
			core.ProviderFacebookInstantGame: "Facebook Instant Game authentication is not configured.",
		}[p] {
			t.Fatalf("%s: %v", p, err)
		}
	}
	// Apple and Steam say "not configured" even before looking at the token, as Nakama does.
	_, err := c.AuthenticateSocial(ctx, core.ProviderApple, core.SocialCredential{}, false, core.AuthInput{Create: true})
	wantCode(t, err, core.CodeFailedPrecondition, "Apple authentication is not configured.")
	d := mustDevice(t, c, "unconfigured-link")
	wantCode(t, c.LinkSocial(ctx, d.UserID, core.ProviderSteam, core.SocialCredential{Token: "abcd01"}, false), core.CodeFailedPrecondition, "Steam authentication is not configured.")
}

func TestFacebookProfileImportAndSync(t *testing.T) {
	t.Parallel()
	graph := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/me" || r.URL.Query().Get("access_token") != "fb-token-1" {
			w.WriteHeader(http.StatusUnauthorized)
			_, _ = w.Write([]byte(`{"error":{"message":"Invalid OAuth access token.","type":"OAuthException","code":190}}`))
			return
		}
		_, _ = w.Write([]byte(`{"id":"fb-1001","name":"Fay Book","email":"fay@example.com","picture":{"data":{"url":"https://example.com/fay.png"}}}`))
	}))
	t.Cleanup(graph.Close)
	cfg := social.DefaultConfig()
	cfg.Facebook.GraphURL = graph.URL
	var calls []string
	importer := func(_ context.Context, _ uuid.UUID, p core.Provider, credential string) error {
		calls = append(calls, string(p)+":"+credential)
		return nil
	}
	withImporter, _, _ := newCoreWith(t, core.Options{Social: social.New(cfg, graph.Client()), FriendImporter: importer})
	s, err := withImporter.AuthenticateSocial(ctx, core.ProviderFacebook, core.SocialCredential{Token: "fb-token-1"}, true, core.AuthInput{Create: true})
	if err != nil {
		t.Fatal(err)
	}
	acct, _ := withImporter.AccountGet(ctx, s.UserID)
	if acct.User.FacebookID != "fb-1001" || acct.User.DisplayName != "Fay Book" || acct.User.AvatarURL != "https://example.com/fay.png" || acct.Email != "fay@example.com" {
		t.Fatalf("imported profile = %+v email %q", acct.User, acct.Email)
	}
	if len(calls) != 1 || calls[0] != "facebook:fb-token-1" {
		t.Fatalf("friend import calls = %v", calls)
	}
	_, err = withImporter.AuthenticateSocial(ctx, core.ProviderFacebook, core.SocialCredential{Token: "expired"}, true, core.AuthInput{Create: true})
	wantCode(t, err, core.CodeUnauthenticated, "Could not authenticate Facebook profile.")

	// With the built-in importer, a failing friend import (this fake Graph API has no
	// friends endpoint) does not fail the login, as in Nakama.
	builtIn, _, _ := newCoreWith(t, core.Options{Social: social.New(cfg, graph.Client())})
	if _, err := builtIn.AuthenticateSocial(ctx, core.ProviderFacebook, core.SocialCredential{Token: "fb-token-1"}, true, core.AuthInput{Create: true}); err != nil {
		t.Fatalf("sync with a failing friend import: %v", err)
	}
}
