package social

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/golang-jwt/jwt/v5"
	"github.com/google/go-cmp/cmp"
)

// fakeGraph is a Graph API on loopback that knows a few access tokens.
type fakeGraph struct {
	*httptest.Server
	hits atomic.Int32
}

func newFakeGraph(t *testing.T) *fakeGraph {
	t.Helper()
	g := &fakeGraph{}
	graphErr := func(w http.ResponseWriter, status, code int, transient bool) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		fmt.Fprintf(w, `{"error":{"message":"refused","type":"OAuthException","code":%d,"is_transient":%t}}`, code, transient)
	}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /v18.0/me", func(w http.ResponseWriter, r *http.Request) {
		g.hits.Add(1)
		if got := r.URL.Query().Get("fields"); got != "id,name,email,picture" {
			t.Errorf("fields = %q", got)
		}
		switch r.URL.Query().Get("access_token") {
		case "EAAgood":
			fmt.Fprint(w, `{"id":"10001","name":"Ada Player","email":"ada@example.com",
				"picture":{"data":{"height":50,"is_silhouette":false,"url":"https://platform-lookaside.fbsbx.com/a","width":50}}}`)
		case "EAAnoid":
			fmt.Fprint(w, `{"name":"Nobody"}`)
		case "EAAthrottled":
			graphErr(w, http.StatusBadRequest, 4, false)
		case "EAAtransient":
			graphErr(w, http.StatusBadRequest, 190, true)
		case "EAAunauthorized":
			graphErr(w, http.StatusUnauthorized, 190, false)
		case "EAAforbidden":
			graphErr(w, http.StatusForbidden, 200, false)
		case "EAAbroken":
			http.Error(w, "oops", http.StatusInternalServerError)
		case "EAAgarbage":
			fmt.Fprint(w, `<html>`)
		default:
			graphErr(w, http.StatusBadRequest, 190, false)
		}
	})
	mux.HandleFunc("GET /v18.0/me/friends", func(w http.ResponseWriter, r *http.Request) {
		g.hits.Add(1)
		q := r.URL.Query()
		page := func(ids []string, after string) {
			var data []map[string]string
			for _, id := range ids {
				data = append(data, map[string]string{"id": id, "name": "friend " + id})
			}
			paging := map[string]any{"cursors": map[string]string{"before": "b", "after": after}}
			if after != "" {
				paging["next"] = g.URL + "/v18.0/me/friends?after=" + after
			}
			_ = json.NewEncoder(w).Encode(map[string]any{"data": data, "paging": paging, "summary": map[string]int{"total_count": 4}})
		}
		switch tok := q.Get("access_token"); {
		case tok == "EAAgood":
			switch q.Get("after") {
			case "":
				page([]string{"1", "2"}, "c2")
			case "c2":
				page([]string{"3"}, "c3")
			case "c3":
				page([]string{"4"}, "")
			default:
				t.Errorf("unexpected cursor %q", q.Get("after"))
			}
		case tok == "EAAstuck":
			page([]string{"1"}, "same")
		case tok == "EAAfailing" && q.Get("after") == "c2":
			http.Error(w, "oops", http.StatusInternalServerError)
		case tok == "EAAfailing":
			page([]string{"1"}, "c2")
		default:
			graphErr(w, http.StatusBadRequest, 190, false)
		}
	})
	g.Server = httptest.NewServer(mux)
	t.Cleanup(g.Close)
	return g
}

func TestFacebook(t *testing.T) {
	g := newFakeGraph(t)
	c := New(Config{Facebook: FacebookConfig{GraphURL: g.URL + "/v18.0"}}, nil)
	got, err := c.Facebook(context.Background(), "EAAgood")
	if err != nil {
		t.Fatal(err)
	}
	want := Profile{ID: "10001", Email: "ada@example.com", Name: "Ada Player", AvatarURL: "https://platform-lookaside.fbsbx.com/a"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Fatalf("profile (-want +got):\n%s", diff)
	}

	for _, tc := range []struct {
		token string
		want  error
	}{
		{"EAAexpired", ErrInvalid},
		{"EAAunauthorized", ErrInvalid},
		{"EAAforbidden", ErrInvalid},
		{"EAAnoid", ErrInvalid},
		{"", ErrInvalid},
		{"EAAthrottled", ErrUnavailable},
		{"EAAtransient", ErrUnavailable},
		{"EAAbroken", ErrUnavailable},
		{"EAAgarbage", ErrUnavailable},
	} {
		t.Run(tc.token, func(t *testing.T) {
			_, err := c.Facebook(context.Background(), tc.token)
			wantKind(t, err, tc.want)
		})
	}
}

func TestFacebookUnavailable(t *testing.T) {
	t.Run("connection refused", func(t *testing.T) {
		c := New(Config{Facebook: FacebookConfig{GraphURL: closedURL(t)}}, nil)
		_, err := c.Facebook(context.Background(), "EAAsecret")
		wantKind(t, err, ErrUnavailable)
		if strings.Contains(err.Error(), "EAAsecret") {
			t.Fatalf("error %q reveals the access token", err)
		}
	})
	t.Run("slow", func(t *testing.T) {
		c := New(Config{Facebook: FacebookConfig{GraphURL: slowServer(t).URL}, TimeoutMs: 100}, nil)
		_, err := c.Facebook(context.Background(), "EAAsecret")
		wantKind(t, err, ErrUnavailable)
		if strings.Contains(err.Error(), "EAAsecret") {
			t.Fatalf("error %q reveals the access token", err)
		}
	})
}

func TestFacebookFriends(t *testing.T) {
	g := newFakeGraph(t)
	c := New(Config{Facebook: FacebookConfig{GraphURL: g.URL + "/v18.0/"}}, nil)
	got, err := c.FacebookFriends(context.Background(), "EAAgood")
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"1", "2", "3", "4"}, got); diff != "" {
		t.Fatalf("friends (-want +got):\n%s", diff)
	}

	got, err = c.FacebookFriends(context.Background(), "EAAstuck")
	if err != nil || len(got) != 1 { // two pages of the same friend, then the loop is noticed
		t.Fatalf("stuck cursor: %v, %v", got, err)
	}
	_, err = c.FacebookFriends(context.Background(), "EAAfailing")
	wantKind(t, err, ErrUnavailable)
	_, err = c.FacebookFriends(context.Background(), "EAAexpired")
	wantKind(t, err, ErrInvalid)
	_, err = c.FacebookFriends(context.Background(), "")
	wantKind(t, err, ErrInvalid)
}

func limitedLoginSetup(t *testing.T, appID string) (*Client, *idTokenFixture, *fakeGraph) {
	t.Helper()
	keys := testKeys()
	srv := newJWKSServer(t)
	srv.publish("fb-1", &keys[0].PublicKey)
	g := newFakeGraph(t)
	c, clock := newTestClient(t, Config{
		Facebook:             FacebookConfig{GraphURL: g.URL + "/v18.0"},
		FacebookLimitedLogin: FacebookLimitedLoginConfig{AppID: appID, KeysURL: srv.URL},
	}, nil)
	f := &idTokenFixture{t: t, key: keys[0], other: keys[1], kid: "fb-1", now: clock.Now(), iss: "https://www.facebook.com", aud: "1234567890"}
	return c, f, g
}

func TestFacebookLimitedLogin(t *testing.T) {
	var cases []idTokenCase
	for _, tc := range commonIDTokenCases() {
		switch tc.name {
		case "malformed", "empty", "huge": // not JWT-shaped: those are Graph access tokens
		default:
			cases = append(cases, tc)
		}
	}
	cases = append(cases, idTokenCase{"issuer without www", func(f *idTokenFixture) string {
		return f.with(func(c jwt.MapClaims) { c["iss"] = "https://facebook.com" })
	}, nil})
	runIDTokenCases(t, cases, func(t *testing.T) (*idTokenFixture, func(context.Context, string) error) {
		c, f, g := limitedLoginSetup(t, "1234567890")
		t.Cleanup(func() {
			if n := g.hits.Load(); n != 0 {
				t.Errorf("a Limited Login token was sent to the Graph API %d times", n)
			}
		})
		return f, func(ctx context.Context, tok string) error {
			_, err := c.Facebook(ctx, tok)
			return err
		}
	})
}

func TestFacebookLimitedLoginProfile(t *testing.T) {
	c, f, _ := limitedLoginSetup(t, "")
	got, err := c.Facebook(context.Background(), f.with(func(c jwt.MapClaims) {
		c["aud"] = "any-app" // no app ID configured: Nakama's behaviour
		c["sub"] = "10001"
		c["name"] = "Ada Player"
		c["picture"] = "https://platform-lookaside.fbsbx.com/b"
	}))
	if err != nil {
		t.Fatal(err)
	}
	want := Profile{ID: "10001", Email: "player@example.com", Name: "Ada Player", AvatarURL: "https://platform-lookaside.fbsbx.com/b"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Fatalf("profile (-want +got):\n%s", diff)
	}
}
