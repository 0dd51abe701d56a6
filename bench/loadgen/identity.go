package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"os"
	"runtime"
	"strings"
	"time"
)

// Identity scenarios: session refresh, public profile lookups and password sign-in.

// identitySession is the part of an api.Session these scenarios use.
type identitySession struct {
	Token        string `json:"token"`
	RefreshToken string `json:"refresh_token"`
	Created      bool   `json:"created"`
}

// basicSessionCall sends a request authenticated with the server key (the authenticate
// calls and session refresh) and decodes the session it answers. Anything but a 200
// carrying a token is an error.
func (t *Target) basicSessionCall(ctx context.Context, op, path string, body any) (identitySession, error) {
	b, err := json.Marshal(body)
	if err != nil {
		return identitySession{}, err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, t.BaseURL+path, bytes.NewReader(b))
	if err != nil {
		return identitySession{}, err
	}
	req.Header.Set("Authorization", t.basicAuth)
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json")
	status, rb, err := t.do(req)
	if err != nil {
		return identitySession{}, fmt.Errorf("%s: %w", op, err)
	}
	if status != http.StatusOK {
		return identitySession{}, &httpError{Op: op, Status: status, Body: snippet(rb)}
	}
	var s identitySession
	if err := json.Unmarshal(rb, &s); err != nil || s.Token == "" {
		return identitySession{}, &httpError{Op: op + " (no token in 200)", Status: status, Body: snippet(rb)}
	}
	return s, nil
}

// deviceSession authenticates (creating) a device and returns the whole session, refresh
// token included.
func (t *Target) deviceSession(ctx context.Context, deviceID string) (identitySession, error) {
	s, err := t.basicSessionCall(ctx, "authenticate/device", "/v2/account/authenticate/device?create=true",
		map[string]string{"id": deviceID})
	if err == nil && s.RefreshToken == "" {
		err = errors.New("authenticate/device: 200 without a refresh_token")
	}
	return s, err
}

// AuthEmail calls POST /v2/account/authenticate/email with the server key.
func (t *Target) AuthEmail(ctx context.Context, email, password string, create bool) (identitySession, error) {
	path := "/v2/account/authenticate/email?create=false"
	if create {
		path = "/v2/account/authenticate/email?create=true"
	}
	return t.basicSessionCall(ctx, "authenticate/email", path, map[string]string{"email": email, "password": password})
}

// SessionRefresh calls POST /v2/account/session/refresh with the server key.
func (t *Target) SessionRefresh(ctx context.Context, refreshToken string) (identitySession, error) {
	return t.basicSessionCall(ctx, "session/refresh", "/v2/account/session/refresh", map[string]string{"token": refreshToken})
}

// UsersGet calls GET /v2/user?<query> with a session token and returns the ids of the users
// in the reply.
func (t *Target) UsersGet(ctx context.Context, token, query string) ([]string, error) {
	const op = "GET /v2/user"
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, t.BaseURL+"/v2/user?"+query, nil)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Accept", "application/json")
	status, rb, err := t.do(req)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", op, err)
	}
	if status != http.StatusOK {
		return nil, &httpError{Op: op, Status: status, Body: snippet(rb)}
	}
	var res struct {
		Users []struct {
			ID string `json:"id"`
		} `json:"users"`
	}
	if err := json.Unmarshal(rb, &res); err != nil {
		return nil, &httpError{Op: op + " (reply not JSON)", Status: status, Body: snippet(rb)}
	}
	ids := make([]string, len(res.Users))
	for i, u := range res.Users {
		ids[i] = u.ID
	}
	return ids, nil
}

func sessionRefresh() Scenario {
	var refresh []string
	return Scenario{
		Name: "session-refresh",
		Doc:  "POST /v2/account/session/refresh with the refresh token of one of N accounts",
		Ref:  Reference{TargetServerUsOp: 150},
		Setup: func(ctx context.Context, env *Env) error {
			refresh = make([]string, env.Accounts)
			return parallel(ctx, len(refresh), env.Workers, func(ctx context.Context, i int) error {
				s, err := env.Target.deviceSession(ctx, fmt.Sprintf("bench-%s-sr-%06d", env.RunID, i))
				refresh[i] = s.RefreshToken
				return err
			})
		},
		Op: func(ctx context.Context, w *Worker) error {
			s, err := w.Target.SessionRefresh(ctx, refresh[w.Rand.IntN(len(refresh))])
			if err == nil && s.RefreshToken == "" {
				return errors.New("session/refresh: 200 without a refresh_token")
			}
			return err
		},
	}
}

// usersPerGet is how many ids one users-get-10 operation asks for.
const usersPerGet = 10

func usersGet10() Scenario {
	type account struct{ token, param string }
	var accounts []account
	return Scenario{
		Name: "users-get-10",
		Doc:  "GET /v2/user?ids=…×10: the public profiles of 10 random accounts of N, with one's session token",
		Ref:  Reference{TargetServerUsOp: 150},
		Setup: func(ctx context.Context, env *Env) error {
			accounts = make([]account, max(env.Accounts, usersPerGet))
			return parallel(ctx, len(accounts), env.Workers, func(ctx context.Context, i int) error {
				s, err := env.Target.deviceSession(ctx, fmt.Sprintf("bench-%s-ug-%06d", env.RunID, i))
				if err != nil {
					return err
				}
				uid, err := tokenUserID(s.Token)
				accounts[i] = account{token: s.Token, param: "ids=" + uid}
				return err
			})
		},
		Op: func(ctx context.Context, w *Worker) error {
			var picked [usersPerGet]int
			params := make([]string, 0, usersPerGet)
		pick:
			for len(params) < usersPerGet { // distinct, so the reply must hold exactly 10
				i := w.Rand.IntN(len(accounts))
				for _, p := range picked[:len(params)] {
					if p == i {
						continue pick
					}
				}
				picked[len(params)] = i
				params = append(params, accounts[i].param)
			}
			ids, err := w.Target.UsersGet(ctx, accounts[w.Rand.IntN(len(accounts))].token, strings.Join(params, "&"))
			if err != nil {
				return err
			}
			if len(ids) != usersPerGet {
				return fmt.Errorf("GET /v2/user: %d users for %d distinct existing ids", len(ids), usersPerGet)
			}
			want := strings.Join(params, "&")
			for _, id := range ids {
				if id == "" || !strings.Contains(want, "ids="+id) {
					return fmt.Errorf("GET /v2/user: user %q was not asked for", id)
				}
			}
			return nil
		},
	}
}

// Password sign-in costs one bcrypt comparison at the server's cost (13 by default, as in
// Nakama): hundreds of milliseconds of CPU, so the cores, not the requests, are the limit.
const (
	emailAccounts = 100
	emailPassword = "bench-password-123"
	// emailMinSignIn: one unloaded sign-in faster than this means a bcrypt cost far below 13
	// (cost 13 takes hundreds of ms on any current core; cost 4 a few ms).
	emailMinSignIn = 50 * time.Millisecond
)

func authEmailExisting() Scenario {
	var emails []string
	// At most one sign-in per core is in flight (server and load generator share the
	// machine), which keeps every core hashing. With all -c clients in flight at once the
	// server would share the cores between them: every request would take about c hashes'
	// time (seconds, near the timeout) and they would complete in bursts, few or none inside
	// the window. The wait for a slot counts in the latency, so p50/p99 here are mostly
	// queueing: c clients on a few hashes per second.
	slots := make(chan struct{}, runtime.NumCPU())
	return Scenario{
		Name: "auth-email-existing",
		Doc: "POST /v2/account/authenticate/email?create=true with the right password for one of 100 accounts " +
			"(bcrypt cost 13; hashes/s per core = 1e6 / server µs/op; Nakama 3.40: about 2)",
		Ref: Reference{NakamaServerUsOp: 500_000}, // about 2 hashes/s per core
		Setup: func(ctx context.Context, env *Env) error {
			if v, ok := os.LookupEnv("HEARTH_SECURITY_BCRYPT_COST"); ok && strings.TrimSpace(v) != "13" {
				return fmt.Errorf("HEARTH_SECURITY_BCRYPT_COST=%s is set (a started server inherits it): this scenario measures cost 13", v)
			}
			emails = make([]string, emailAccounts)
			for i := range emails {
				emails[i] = fmt.Sprintf("bench-%s-%03d@example.com", env.RunID, i)
			}
			err := parallel(ctx, len(emails), min(env.Workers, cap(slots)), func(ctx context.Context, i int) error {
				s, err := env.Target.AuthEmail(ctx, emails[i], emailPassword, true)
				if err == nil && !s.Created {
					err = fmt.Errorf("authenticate/email: new address %s answered without created=true", emails[i])
				}
				return err
			})
			if err != nil {
				return err
			}
			t0 := time.Now()
			if _, err := env.Target.AuthEmail(ctx, emails[0], emailPassword, false); err != nil {
				return err
			}
			if d := time.Since(t0); d < emailMinSignIn {
				return fmt.Errorf("one sign-in took %s: the server's bcrypt cost is far below 13 "+
					"(--security.bcrypt_cost in -hearth-args or its config?); this scenario measures cost 13", d.Round(time.Microsecond))
			}
			return nil
		},
		Op: func(ctx context.Context, w *Worker) error {
			select {
			case slots <- struct{}{}:
			case <-ctx.Done():
				return ctx.Err()
			}
			defer func() { <-slots }()
			s, err := w.Target.AuthEmail(ctx, emails[w.Rand.IntN(len(emails))], emailPassword, true)
			if err == nil && s.Created {
				return errors.New("authenticate/email: existing address answered created=true")
			}
			return err
		},
	}
}
