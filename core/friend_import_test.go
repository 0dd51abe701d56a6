package core_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/hearth-server/hearth/core"
	"github.com/hearth-server/hearth/social"
)

// fakeProviders answers the Graph API (/me, /me/friends) and the Steam partner API
// (ticket check, friend list) from maps a test fills in.
type fakeProviders struct {
	mu           sync.Mutex
	fbMe         map[string]string   // token -> facebook id
	fbFriends    map[string][]string // token -> friend facebook ids
	steamTickets map[string]string   // ticket -> steam id
	steamFriends map[string][]string // steam id -> friend steam ids
	down         bool
}

func (f *fakeProviders) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	defer f.mu.Unlock()
	q := r.URL.Query()
	w.Header().Set("Content-Type", "application/json")
	if f.down {
		http.Error(w, "down", http.StatusServiceUnavailable)
		return
	}
	switch {
	case r.URL.Path == "/me":
		id, ok := f.fbMe[q.Get("access_token")]
		if !ok {
			w.WriteHeader(http.StatusUnauthorized)
			_, _ = w.Write([]byte(`{"error":{"message":"bad token","type":"OAuthException","code":190}}`))
			return
		}
		_, _ = w.Write([]byte(`{"id":"` + id + `","name":"FB ` + id + `"}`))
	case r.URL.Path == "/me/friends":
		friends, ok := f.fbFriends[q.Get("access_token")]
		if !ok {
			w.WriteHeader(http.StatusUnauthorized)
			_, _ = w.Write([]byte(`{"error":{"message":"bad token","type":"OAuthException","code":190}}`))
			return
		}
		var parts []string
		for _, id := range friends {
			parts = append(parts, `{"id":"`+id+`"}`)
		}
		_, _ = w.Write([]byte(`{"data":[` + strings.Join(parts, ",") + `],"paging":{}}`))
	case strings.Contains(r.URL.Path, "AuthenticateUserTicket"):
		id, ok := f.steamTickets[q.Get("ticket")]
		if !ok {
			_, _ = w.Write([]byte(`{"response":{"error":{"errorcode":101,"errordesc":"Invalid ticket"}}}`))
			return
		}
		_, _ = w.Write([]byte(`{"response":{"params":{"result":"OK","steamid":"` + id + `","ownersteamid":"` + id + `"}}}`))
	case strings.Contains(r.URL.Path, "GetFriendList"):
		var parts []string
		for _, id := range f.steamFriends[q.Get("steamid")] {
			parts = append(parts, `{"steamid":"`+id+`","relationship":"friend"}`)
		}
		_, _ = w.Write([]byte(`{"friendslist":{"friends":[` + strings.Join(parts, ",") + `]}}`))
	default:
		http.NotFound(w, r)
	}
}

func newImportCore(t *testing.T, f *fakeProviders) (*core.Core, *pgxpool.Pool) {
	t.Helper()
	srv := httptest.NewServer(f)
	t.Cleanup(srv.Close)
	cfg := social.DefaultConfig()
	cfg.Facebook.GraphURL = srv.URL
	cfg.Steam.APIURL = srv.URL
	cfg.Steam.PublisherKey = "publisher-key"
	cfg.Steam.AppID = 480
	cfg.TimeoutMs = 2000
	c, _, pool := newCoreWith(t, core.Options{Social: social.New(cfg, srv.Client())})
	return c, pool
}

func TestFriendsImportFacebook(t *testing.T) {
	t.Parallel()
	f := &fakeProviders{
		fbMe:      map[string]string{"tok-a": "fb-a", "tok-b": "fb-b", "tok-c": "fb-c", "tok-d": "fb-d"},
		fbFriends: map[string][]string{"tok-a": {"fb-b", "fb-c", "fb-nobody"}, "tok-d": {"fb-a"}},
	}
	c, pool := newImportCore(t, f)
	login := func(token, name string) player {
		s, err := c.AuthenticateSocial(ctx, core.ProviderFacebook, core.SocialCredential{Token: token}, false, core.AuthInput{Create: true, Username: name})
		if err != nil {
			t.Fatal(err)
		}
		return player{Caller: core.Caller{UserID: s.UserID, Username: s.Username}, id: s.UserID.String()}
	}
	b, cc := login("tok-b", "bob"), login("tok-c", "carol")
	other := newPlayer(t, c, "other")
	// a's first login with sync befriends b and c through the installed importer.
	sa, err := c.AuthenticateSocial(ctx, core.ProviderFacebook, core.SocialCredential{Token: "tok-a"}, true, core.AuthInput{Create: true, Username: "alice"})
	if err != nil {
		t.Fatal(err)
	}
	a := player{Caller: core.Caller{UserID: sa.UserID, Username: "alice"}, id: sa.UserID.String()}
	if diff := cmp.Diff(map[string]int32{"bob": 0, "carol": 0}, states(t, c, a)); diff != "" {
		t.Fatalf("alice after sync (-want +got):\n%s", diff)
	}
	n, _ := c.NotificationsList(ctx, b.UserID, 10, "")
	if len(n.Notifications) != 1 || n.Notifications[0].Code != core.NotificationCodeFriendJoinGame || n.Notifications[0].Subject != "Your friend has just joined the game" {
		t.Fatalf("bob's notifications = %+v", n.Notifications)
	}

	// Explicit import with reset: a's other relationships go (carol blocked by a stays).
	if err := c.FriendsAdd(ctx, a.Caller, ids(other), ""); err != nil {
		t.Fatal(err)
	}
	if err := c.FriendsBlock(ctx, a.Caller, ids(cc)); err != nil {
		t.Fatal(err)
	}
	f.fbFriends["tok-a"] = []string{"fb-b", "fb-c"}
	if err := c.FriendsImportFacebook(ctx, a.Caller, "tok-a", true); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(map[string]int32{"bob": 0, "carol": 3}, states(t, c, a)); diff != "" {
		t.Fatalf("alice after reset import (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(map[string]int32{}, states(t, c, other)); diff != "" {
		t.Fatalf("other after reset (-want +got):\n%s", diff)
	}
	// A pending invite becomes a friendship.
	d := login("tok-d", "dave")
	if err := c.FriendsAdd(ctx, a.Caller, ids(d), ""); err != nil {
		t.Fatal(err)
	}
	if err := c.FriendsImportFacebook(ctx, d.Caller, "tok-d", false); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(map[string]int32{"alice": 0}, states(t, c, d)); diff != "" {
		t.Fatalf("dave (-want +got):\n%s", diff)
	}
	checkCounts(t, pool, a, b, cc, d, other)
	wantCode(t, c.FriendsImportFacebook(ctx, a.Caller, "", false), core.CodeInvalidArgument, "Facebook token is required.")
	wantCode(t, c.FriendsImportFacebook(ctx, a.Caller, "expired", false), core.CodeUnauthenticated, "Could not authenticate Facebook profile.")
	f.mu.Lock()
	f.down = true
	f.mu.Unlock()
	wantCode(t, c.FriendsImportFacebook(ctx, a.Caller, "tok-a", false), core.CodeUnavailable, "Facebook is unavailable, try again later.")
}

func TestFriendsImportSteam(t *testing.T) {
	t.Parallel()
	f := &fakeProviders{
		steamTickets: map[string]string{"aa01": "76561197960265728", "bb02": "76561197960265729"},
		steamFriends: map[string][]string{"76561197960265728": {"76561197960265729", "76561197960265730"}},
	}
	c, _ := newImportCore(t, f)
	sb, err := c.AuthenticateSocial(ctx, core.ProviderSteam, core.SocialCredential{Token: "bb02"}, false, core.AuthInput{Create: true, Username: "bob"})
	if err != nil {
		t.Fatal(err)
	}
	a := newPlayer(t, c, "alice")
	if err := c.FriendsImportSteam(ctx, a.Caller, "aa01", false); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(map[string]int32{"bob": 0}, states(t, c, a)); diff != "" {
		t.Fatalf("alice (-want +got):\n%s", diff)
	}
	_ = sb
	wantCode(t, c.FriendsImportSteam(ctx, a.Caller, "", false), core.CodeInvalidArgument, "Steam token is required.")
	wantCode(t, c.FriendsImportSteam(ctx, a.Caller, "ffff", false), core.CodeUnauthenticated, "Could not authenticate Steam profile.")
	unconfigured, _, _ := newCoreWithPool(t)
	wantCode(t, unconfigured.FriendsImportSteam(ctx, a.Caller, "aa01", false), core.CodeFailedPrecondition, "Steam authentication is not configured.")
}
