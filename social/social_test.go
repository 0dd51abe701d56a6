package social

import (
	"context"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"gopkg.in/yaml.v3"
)

// Providers that need the server's own credentials say so before looking at anything.
func TestNotConfigured(t *testing.T) {
	for _, tc := range []struct {
		name string
		cfg  Config
		call func(c *Client) error
	}{
		{"apple", Config{}, func(c *Client) error {
			_, err := c.Apple(context.Background(), "a.b.c")
			return err
		}},
		{"facebook instant game", Config{}, func(c *Client) error {
			_, err := c.FacebookInstant("sig.payload")
			return err
		}},
		{"steam without anything", Config{}, func(c *Client) error {
			_, err := c.Steam(context.Background(), "abcd")
			return err
		}},
		{"steam without app id", Config{Steam: SteamConfig{PublisherKey: "k"}}, func(c *Client) error {
			_, err := c.Steam(context.Background(), "abcd")
			return err
		}},
		{"steam without publisher key", Config{Steam: SteamConfig{AppID: 480}}, func(c *Client) error {
			_, err := c.Steam(context.Background(), "abcd")
			return err
		}},
		{"steam friends", Config{Steam: SteamConfig{AppID: 480}}, func(c *Client) error {
			_, err := c.SteamFriends(context.Background(), "76561197960287930")
			return err
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			wantKind(t, tc.call(New(tc.cfg, noNetwork(t))), ErrNotConfigured)
		})
	}
}

func TestDefaults(t *testing.T) {
	c := New(Config{}, nil)
	if c.cfg != DefaultConfig() {
		t.Fatalf("zero config filled to %+v, want %+v", c.cfg, DefaultConfig())
	}
	if c.timeout != 5*time.Second {
		t.Fatalf("timeout %v", c.timeout)
	}
	if len(c.Warnings()) != 3 {
		t.Fatalf("warnings %q", c.Warnings())
	}
	c = New(Config{
		Google:               GoogleConfig{ClientIDs: "web"},
		FacebookLimitedLogin: FacebookLimitedLoginConfig{AppID: "1"},
		GameCenter:           GameCenterConfig{BundleIDs: "com.example.game"},
	}, nil)
	if w := c.Warnings(); len(w) != 0 {
		t.Fatalf("warnings %q", w)
	}
}

func TestSplitList(t *testing.T) {
	got := strings.Join(splitList(" a, ,b ,,c"), "|")
	if got != "a|b|c" {
		t.Fatalf("splitList = %q", got)
	}
	if splitList("") != nil {
		t.Fatal("empty list not nil")
	}
}

// The project's config loader binds every leaf to a flag and an environment variable,
// which it can do only for strings, ints and bools carrying yaml and usage tags.
func TestConfigBindable(t *testing.T) {
	var walk func(prefix string, typ reflect.Type)
	walk = func(prefix string, typ reflect.Type) {
		for i := range typ.NumField() {
			f := typ.Field(i)
			key := prefix + f.Tag.Get("yaml")
			if f.Tag.Get("yaml") == "" {
				t.Errorf("%s%s has no yaml tag", prefix, f.Name)
			}
			switch f.Type.Kind() {
			case reflect.Struct:
				walk(key+".", f.Type)
			case reflect.String, reflect.Int, reflect.Int64, reflect.Bool:
				if f.Tag.Get("usage") == "" {
					t.Errorf("%s has no usage tag", key)
				}
			default:
				t.Errorf("%s is a %s", key, f.Type.Kind())
			}
		}
	}
	walk("social.", reflect.TypeFor[Config]())
}

func TestConfigYAML(t *testing.T) {
	const doc = `
apple:
  bundle_id: com.example.game
google:
  client_ids: web.apps.googleusercontent.com,android.apps.googleusercontent.com
facebook_limited_login:
  app_id: "1234567890"
facebook_instant_game:
  app_secret: s3cret
game_center:
  bundle_ids: com.example.game
steam:
  publisher_key: KEY
  app_id: 480
timeout_ms: 2000
`
	cfg := DefaultConfig()
	dec := yaml.NewDecoder(strings.NewReader(doc))
	dec.KnownFields(true)
	if err := dec.Decode(&cfg); err != nil {
		t.Fatal(err)
	}
	want := DefaultConfig()
	want.Apple.BundleID = "com.example.game"
	want.Google.ClientIDs = "web.apps.googleusercontent.com,android.apps.googleusercontent.com"
	want.FacebookLimitedLogin.AppID = "1234567890"
	want.FacebookInstantGame.AppSecret = "s3cret"
	want.GameCenter.BundleIDs = "com.example.game"
	want.Steam.PublisherKey = "KEY"
	want.Steam.AppID = 480
	want.TimeoutMs = 2000
	if diff := cmp.Diff(want, cfg); diff != "" {
		t.Fatalf("config (-want +got):\n%s", diff)
	}
}

// Provider calls may follow redirects, but never from https to plain http, which would
// put access tokens and keys on the wire in the clear.
func TestNoDowngradeRedirect(t *testing.T) {
	var plainHits atomic.Int32
	plain := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { plainHits.Add(1) }))
	defer plain.Close()
	redirector := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, plain.URL+r.URL.RequestURI(), http.StatusFound)
	}))
	defer redirector.Close()
	c := New(Config{Facebook: FacebookConfig{GraphURL: redirector.URL}}, redirector.Client())
	_, err := c.Facebook(context.Background(), "EAAsecret")
	wantKind(t, err, ErrUnavailable)
	if plainHits.Load() != 0 {
		t.Fatal("followed a redirect from https to http")
	}
}
