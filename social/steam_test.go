package social

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/google/go-cmp/cmp"
)

const (
	steamKey    = "PUBLISHERKEY0123"
	steamAppID  = 480
	steamPlayer = "76561197960287930"
)

// fakeSteam is the partner Web API on loopback.
type fakeSteam struct {
	*httptest.Server
	hits atomic.Int32
}

func newFakeSteam(t *testing.T) *fakeSteam {
	t.Helper()
	s := &fakeSteam{}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /ISteamUserAuth/AuthenticateUserTicket/v1/", func(w http.ResponseWriter, r *http.Request) {
		s.hits.Add(1)
		q := r.URL.Query()
		if q.Get("key") != steamKey {
			http.Error(w, "<html>Forbidden</html>", http.StatusForbidden)
			return
		}
		if q.Get("appid") != fmt.Sprint(steamAppID) || q.Get("format") != "json" {
			t.Errorf("query %v", q)
		}
		switch q.Get("ticket") {
		case "14000000deadbeef":
			fmt.Fprintf(w, `{"response":{"params":{"result":"OK","steamid":%q,"ownersteamid":%q,"vacbanned":false,"publisherbanned":false}}}`, steamPlayer, steamPlayer)
		case "0bad":
			fmt.Fprint(w, `{"response":{"error":{"errorcode":101,"errordesc":"Invalid ticket"}}}`)
		case "0ddba11":
			fmt.Fprint(w, `{"response":{"params":{"result":"Denied","steamid":"0"}}}`)
		case "e0e0":
			fmt.Fprint(w, `{"response":{}}`)
		case "50050":
			http.Error(w, "busy", http.StatusServiceUnavailable)
		case "401401":
			http.Error(w, "unauthorized", http.StatusUnauthorized)
		default:
			http.Error(w, "Required parameter 'ticket' is missing", http.StatusBadRequest)
		}
	})
	mux.HandleFunc("GET /ISteamUser/GetFriendList/v1/", func(w http.ResponseWriter, r *http.Request) {
		s.hits.Add(1)
		q := r.URL.Query()
		if q.Get("key") != steamKey || q.Get("relationship") != "friend" {
			http.Error(w, "forbidden", http.StatusForbidden)
			return
		}
		switch q.Get("steamid") {
		case steamPlayer:
			fmt.Fprint(w, `{"friendslist":{"friends":[
				{"steamid":"76561197960265731","relationship":"friend","friend_since":0},
				{"steamid":"76561197960265740","relationship":"friend","friend_since":1},
				{"steamid":"bogus","relationship":"friend","friend_since":2}]}}`)
		case "76561197960265731":
			http.Error(w, "private", http.StatusUnauthorized)
		default:
			http.Error(w, "oops", http.StatusInternalServerError)
		}
	})
	s.Server = httptest.NewServer(mux)
	t.Cleanup(s.Close)
	return s
}

func steamClient(s *fakeSteam, key string) *Client {
	return New(Config{Steam: SteamConfig{PublisherKey: key, AppID: steamAppID, APIURL: s.URL + "/"}}, nil)
}

func TestSteam(t *testing.T) {
	s := newFakeSteam(t)
	c := steamClient(s, steamKey)
	got, err := c.Steam(context.Background(), "14000000deadbeef")
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(Profile{ID: steamPlayer}, got); diff != "" {
		t.Fatalf("profile (-want +got):\n%s", diff)
	}

	for _, tc := range []struct {
		name, ticket string
		want         error
		call         bool
	}{
		{"ticket refused", "0bad", ErrInvalid, true},
		{"result not OK", "0ddba11", ErrInvalid, true},
		{"bad request", "abcdef", ErrInvalid, true},
		{"neither params nor error", "e0e0", ErrUnavailable, true},
		{"steam busy", "50050", ErrUnavailable, true},
		{"steam says unauthorized", "401401", ErrUnavailable, true},
		{"not hex", "not-a-ticket", ErrInvalid, false},
		{"empty", "", ErrInvalid, false},
		{"huge", strings.Repeat("ab", 8<<10), ErrInvalid, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before := s.hits.Load()
			_, err := c.Steam(context.Background(), tc.ticket)
			wantKind(t, err, tc.want)
			if called := s.hits.Load() != before; called != tc.call {
				t.Fatalf("called steam = %v, want %v", called, tc.call)
			}
		})
	}

	t.Run("publisher key refused", func(t *testing.T) {
		_, err := steamClient(s, "WRONGKEY").Steam(context.Background(), "14000000deadbeef")
		wantKind(t, err, ErrUnavailable)
		if strings.Contains(err.Error(), "WRONGKEY") {
			t.Fatalf("error %q reveals the publisher key", err)
		}
	})
}

func TestSteamUnavailable(t *testing.T) {
	c := New(Config{Steam: SteamConfig{PublisherKey: steamKey, AppID: steamAppID, APIURL: closedURL(t)}}, nil)
	_, err := c.Steam(context.Background(), "14000000deadbeef")
	wantKind(t, err, ErrUnavailable)
	if strings.Contains(err.Error(), steamKey) {
		t.Fatalf("error %q reveals the publisher key", err)
	}
	c = New(Config{Steam: SteamConfig{PublisherKey: steamKey, AppID: steamAppID, APIURL: slowServer(t).URL}, TimeoutMs: 100}, nil)
	_, err = c.Steam(context.Background(), "14000000deadbeef")
	wantKind(t, err, ErrUnavailable)
}

func TestSteamFriends(t *testing.T) {
	s := newFakeSteam(t)
	c := steamClient(s, steamKey)
	got, err := c.SteamFriends(context.Background(), steamPlayer)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"76561197960265731", "76561197960265740"}, got); diff != "" {
		t.Fatalf("friends (-want +got):\n%s", diff)
	}
	// A private profile has no friends to import, as Nakama treats it.
	got, err = c.SteamFriends(context.Background(), "76561197960265731")
	if err != nil || len(got) != 0 {
		t.Fatalf("private profile: %v, %v", got, err)
	}
	_, err = c.SteamFriends(context.Background(), "76561197960265799")
	wantKind(t, err, ErrUnavailable)
	_, err = steamClient(s, "WRONGKEY").SteamFriends(context.Background(), steamPlayer)
	wantKind(t, err, ErrUnavailable)
	before := s.hits.Load()
	_, err = c.SteamFriends(context.Background(), "me&key=other")
	wantKind(t, err, ErrInvalid)
	if s.hits.Load() != before {
		t.Fatal("called steam with a malformed steam id")
	}
}
