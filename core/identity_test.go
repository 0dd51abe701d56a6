package core_test

import (
	"context"
	"encoding/json"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/hearth-server/hearth/core"
)

func mustDevice(t *testing.T, c *core.Core, id string) core.Session {
	t.Helper()
	s, err := c.AuthenticateDevice(ctx, id, core.AuthInput{Create: true})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestSessionLogout(t *testing.T) {
	t.Parallel()
	c, _ := newCore(t)
	s := mustDevice(t, c, "logout-device-1")

	// Someone else's token is not yours to log out.
	other := mustDevice(t, c, "logout-device-2")
	wantCode(t, c.SessionLogout(ctx, s.UserID, other.Token, ""), core.CodeInvalidArgument, "Session token invalid.")
	wantCode(t, c.SessionLogout(ctx, s.UserID, "", other.RefreshToken), core.CodeInvalidArgument, "Refresh token invalid.")

	// Logging out the session token alone leaves the refresh token working.
	if err := c.SessionLogout(ctx, s.UserID, s.Token, ""); err != nil {
		t.Fatal(err)
	}
	_, err := c.SessionVerify(s.Token)
	wantCode(t, err, core.CodeUnauthenticated, "Auth token invalid")
	fresh, err := c.SessionRefresh(ctx, core.SessionRefreshInput{RefreshToken: s.RefreshToken})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.SessionVerify(fresh.Token); err != nil {
		t.Fatalf("session refreshed after a session-only logout is refused: %v", err)
	}

	// Both tokens: both stop at once.
	if err := c.SessionLogout(ctx, s.UserID, fresh.Token, fresh.RefreshToken); err != nil {
		t.Fatal(err)
	}
	_, err = c.SessionVerify(fresh.Token)
	wantCode(t, err, core.CodeUnauthenticated, "Auth token invalid")
	_, err = c.SessionRefresh(ctx, core.SessionRefreshInput{RefreshToken: fresh.RefreshToken})
	wantCode(t, err, core.CodeUnauthenticated, "Refresh token invalid or expired.")

	// Neither: every session of the user ends; other users are untouched.
	a, b := mustDevice(t, c, "logout-device-1"), mustDevice(t, c, "logout-device-1")
	if err := c.SessionLogout(ctx, s.UserID, "", ""); err != nil {
		t.Fatal(err)
	}
	for _, tok := range []string{a.Token, b.Token} {
		if _, err := c.SessionVerify(tok); err == nil {
			t.Fatal("a session survived logging out everywhere")
		}
	}
	if _, err := c.SessionVerify(other.Token); err != nil {
		t.Fatalf("another user's session ended: %v", err)
	}
	// A new login after that works.
	if _, err := c.SessionVerify(mustDevice(t, c, "logout-device-1").Token); err != nil {
		t.Fatal(err)
	}
}

// A logout on one node holds on another node sharing the database, and after a restart.
func TestRevocationReachesOtherNodesAndSurvivesRestart(t *testing.T) {
	t.Parallel()
	nodeA, _, pool := newCoreWithPool(t)
	nodeB := startCoreOn(t, pool)
	s := mustDevice(t, nodeA, "multi-node-device")
	if _, err := nodeB.SessionVerify(s.Token); err != nil {
		t.Fatal(err)
	}
	if err := nodeA.SessionLogout(ctx, s.UserID, s.Token, s.RefreshToken); err != nil {
		t.Fatal(err)
	}
	waitFor(t, func() bool { _, err := nodeB.SessionVerify(s.Token); return err != nil }, "node B to learn of the logout")
	_, err := nodeB.SessionRefresh(ctx, core.SessionRefreshInput{RefreshToken: s.RefreshToken})
	wantCode(t, err, core.CodeUnauthenticated, "Refresh token invalid or expired.")

	restarted := startCoreOn(t, pool)
	if _, err := restarted.SessionVerify(s.Token); err == nil {
		t.Fatal("a restarted node accepts a logged-out token")
	}
}

func startCoreOn(t *testing.T, pool *pgxpool.Pool) *core.Core {
	t.Helper()
	c := core.New(core.Options{
		Pool: pool,
		Tokens: core.TokenOptions{
			EncryptionKey: []byte("test-session-key"), RefreshEncryptionKey: []byte("test-refresh-key"),
			TokenExpiry: time.Minute, RefreshTokenExpiry: time.Hour,
		},
		BcryptCost: 4,
	})
	runCtx, stop := context.WithCancel(ctx)
	t.Cleanup(stop) // before the pool closes: the listener holds a connection
	if err := c.Start(runCtx); err != nil {
		t.Fatal(err)
	}
	return c
}

func waitFor(t *testing.T, cond func() bool, what string) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func TestSingleSession(t *testing.T) {
	t.Parallel()
	c, _, _ := newCoreWith(t, core.Options{SingleSession: true})
	first := mustDevice(t, c, "single-session-1")
	second := mustDevice(t, c, "single-session-1")
	if _, err := c.SessionVerify(first.Token); err == nil {
		t.Fatal("the older session survived a new login under single_session")
	}
	if _, err := c.SessionRefresh(ctx, core.SessionRefreshInput{RefreshToken: first.RefreshToken}); err == nil {
		t.Fatal("the older refresh token survived a new login under single_session")
	}
	if _, err := c.SessionVerify(second.Token); err != nil {
		t.Fatal(err)
	}
	// Off by default: sessions coexist.
	plain, _ := newCore(t)
	a, b := mustDevice(t, plain, "multi-session-1"), mustDevice(t, plain, "multi-session-1")
	for _, s := range []core.Session{a, b} {
		if _, err := plain.SessionVerify(s.Token); err != nil {
			t.Fatal(err)
		}
	}
}

func TestBanAndUnban(t *testing.T) {
	t.Parallel()
	c, _ := newCore(t)
	s := mustDevice(t, c, "ban-device-001")
	if err := c.UsersBan(ctx, []uuid.UUID{s.UserID}); err != nil {
		t.Fatal(err)
	}
	_, err := c.SessionVerify(s.Token)
	wantCode(t, err, core.CodeUnauthenticated, "Auth token invalid")
	_, err = c.SessionRefresh(ctx, core.SessionRefreshInput{RefreshToken: s.RefreshToken})
	wantCode(t, err, core.CodeUnauthenticated, "Refresh token invalid or expired.")
	_, err = c.AuthenticateDevice(ctx, "ban-device-001", core.AuthInput{Create: true})
	wantCode(t, err, core.CodePermissionDenied, "User account banned.")
	acct, err := c.AccountGet(ctx, s.UserID)
	if err != nil || acct.DisableTime.IsZero() {
		t.Fatalf("disable time not set: %v %v", acct.DisableTime, err)
	}

	if err := c.UsersUnban(ctx, []uuid.UUID{s.UserID}); err != nil {
		t.Fatal(err)
	}
	again := mustDevice(t, c, "ban-device-001")
	if _, err := c.SessionVerify(again.Token); err != nil {
		t.Fatal(err)
	}
	if _, err := c.SessionVerify(s.Token); err == nil {
		t.Fatal("a token from before the ban works again after unban")
	}
}

func TestPasswordLockout(t *testing.T) {
	t.Parallel()
	c, clk, _ := newCoreWith(t, core.Options{Lockout: &core.LockoutOptions{AccountAttempts: 3, IPAttempts: 5, Period: time.Minute}})
	if _, err := c.AuthenticateEmail(ctx, "locked@example.com", "right-password", core.AuthInput{Create: true, Username: "locked"}); err != nil {
		t.Fatal(err)
	}
	in := core.AuthInput{ClientIP: "192.0.2.1"}
	for i := 0; i < 3; i++ {
		_, err := c.AuthenticateEmail(ctx, "locked@example.com", "wrong-password", in)
		wantCode(t, err, core.CodeUnauthenticated, "Invalid credentials.")
	}
	// Locked: even the right password is refused, from any address.
	_, err := c.AuthenticateEmail(ctx, "locked@example.com", "right-password", core.AuthInput{ClientIP: "198.51.100.7"})
	wantCode(t, err, core.CodeResourceExhausted, "Try again later.")
	clk.advance(61 * time.Second)
	if _, err := c.AuthenticateEmail(ctx, "locked@example.com", "right-password", in); err != nil {
		t.Fatalf("lockout did not expire: %v", err)
	}

	// Per IP: failures across different accounts lock the address.
	for i := 0; i < 5; i++ {
		_, _ = c.AuthenticateEmail(ctx, "nobody"+strings.Repeat("x", i)+"@example.com", "whatever-1", core.AuthInput{ClientIP: "203.0.113.9"})
	}
	_, err = c.AuthenticateEmail(ctx, "locked@example.com", "right-password", core.AuthInput{ClientIP: "203.0.113.9"})
	wantCode(t, err, core.CodeResourceExhausted, "Try again later.")
	if _, err := c.AuthenticateEmail(ctx, "locked@example.com", "right-password", core.AuthInput{ClientIP: "203.0.113.10"}); err != nil {
		t.Fatalf("another address is locked out too: %v", err)
	}
}

func TestLinkAndUnlink(t *testing.T) {
	t.Parallel()
	c, _ := newCore(t)
	me := mustDevice(t, c, "link-device-001")
	other := mustDevice(t, c, "link-device-999")
	if err := c.LinkCustom(ctx, other.UserID, "others-custom"); err != nil {
		t.Fatal(err)
	}

	steps := []struct {
		name    string
		err     error
		code    core.Code
		message string
	}{
		{"link custom", c.LinkCustom(ctx, me.UserID, "my-custom-id"), 0, ""},
		{"link custom again is a no-op", c.LinkCustom(ctx, me.UserID, "my-custom-id"), 0, ""},
		{"link taken custom", c.LinkCustom(ctx, me.UserID, "others-custom"), core.CodeAlreadyExists, "Custom ID is already in use."},
		{"link short custom", c.LinkCustom(ctx, me.UserID, "abc"), core.CodeInvalidArgument, "Invalid custom ID, must be 6-128 bytes."},
		{"link email", c.LinkEmail(ctx, me.UserID, "Me@Example.com", "password-1"), 0, ""},
		{"link device", c.LinkDevice(ctx, me.UserID, "link-device-002"), 0, ""},
		{"link own device again", c.LinkDevice(ctx, me.UserID, "link-device-002"), 0, ""},
		{"link others device", c.LinkDevice(ctx, me.UserID, "link-device-999"), core.CodeAlreadyExists, "Device ID already in use."},
		{"link email no password", c.LinkEmail(ctx, me.UserID, "me2@example.com", ""), core.CodeInvalidArgument, "Email address and password is required."},
		{"unlink device not held", c.UnlinkDevice(ctx, me.UserID, "link-device-999"), core.CodePermissionDenied, core.ErrLastIdentifier.Message},
		{"unlink device empty", c.UnlinkDevice(ctx, me.UserID, ""), core.CodeInvalidArgument, "A device ID must be supplied."},
		{"unlink wrong custom", c.UnlinkCustom(ctx, me.UserID, "not-my-custom"), core.CodePermissionDenied, core.ErrLastIdentifier.Message},
		{"unlink custom", c.UnlinkCustom(ctx, me.UserID, "my-custom-id"), 0, ""},
		{"unlink custom again", c.UnlinkCustom(ctx, me.UserID, ""), core.CodePermissionDenied, core.ErrLastIdentifier.Message},
		{"unlink device", c.UnlinkDevice(ctx, me.UserID, "link-device-001"), 0, ""},
		{"unlink email by other case", c.UnlinkEmail(ctx, me.UserID, "ME@example.com"), 0, ""},
		{"unlink last device", c.UnlinkDevice(ctx, me.UserID, "link-device-002"), core.CodePermissionDenied, core.ErrLastIdentifier.Message},
	}
	for _, st := range steps {
		if st.code == 0 {
			if st.err != nil {
				t.Fatalf("%s: %v", st.name, st.err)
			}
			continue
		}
		t.Run(st.name, func(t *testing.T) { wantCode(t, st.err, st.code, st.message) })
	}
	acct, err := c.AccountGet(ctx, me.UserID)
	if err != nil {
		t.Fatal(err)
	}
	if acct.CustomID != "" || acct.Email != "" || len(acct.DeviceIDs) != 1 || acct.DeviceIDs[0] != "link-device-002" {
		t.Fatalf("account after unlinks = %+v", acct)
	}
	// The unlinked email and password no longer log in.
	_, err = c.AuthenticateEmail(ctx, "me@example.com", "password-1", core.AuthInput{})
	wantCode(t, err, core.CodeNotFound, "User account not found.")
}

// Two concurrent unlinks of an account's last two identifiers never leave it with none.
func TestConcurrentUnlinkKeepsOneIdentifier(t *testing.T) {
	t.Parallel()
	c, _ := newCore(t)
	for round := 0; round < 20; round++ {
		s := mustDevice(t, c, "race-device-"+string(rune('a'+round))+"-1")
		if err := c.LinkCustom(ctx, s.UserID, "race-custom-"+string(rune('a'+round))); err != nil {
			t.Fatal(err)
		}
		var wg sync.WaitGroup
		errs := make([]error, 2)
		wg.Add(2)
		go func() {
			defer wg.Done()
			errs[0] = c.UnlinkDevice(ctx, s.UserID, "race-device-"+string(rune('a'+round))+"-1")
		}()
		go func() { defer wg.Done(); errs[1] = c.UnlinkCustom(ctx, s.UserID, "") }()
		wg.Wait()
		if (errs[0] == nil) == (errs[1] == nil) {
			t.Fatalf("round %d: want exactly one unlink to succeed, got %v / %v", round, errs[0], errs[1])
		}
	}
}

func TestUsersGetAndRandom(t *testing.T) {
	t.Parallel()
	c, _ := newCore(t)
	a := mustDevice(t, c, "users-device-a")
	b, err := c.AuthenticateDevice(ctx, "users-device-b", core.AuthInput{Create: true, Username: "bee"})
	if err != nil {
		t.Fatal(err)
	}
	users, err := c.UsersGet(ctx, core.UsersGetInput{IDs: []string{a.UserID.String(), b.UserID.String(), uuid.NewString()}, Usernames: []string{"bee", "nobody"}})
	if err != nil {
		t.Fatal(err)
	}
	if len(users) != 2 {
		t.Fatalf("got %d users, want 2 (deduplicated, unknown absent): %+v", len(users), users)
	}
	_, err = c.UsersGet(ctx, core.UsersGetInput{IDs: []string{"not-a-uuid"}})
	wantCode(t, err, core.CodeInvalidArgument, "ID 'not-a-uuid' is not a valid system ID.")

	random, err := c.UsersGetRandom(ctx, 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(random) != 2 {
		t.Fatalf("random users = %d, want both real users and never the system user", len(random))
	}
}

func TestAccountDeleteAndExport(t *testing.T) {
	t.Parallel()
	c, _, pool := newCoreWithPool(t)
	s := mustDevice(t, c, "delete-device-1")
	if err := c.AccountMetadataUpdate(ctx, s.UserID, map[string]any{"level": 7}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.StorageWrite(ctx, core.AsUser(s.UserID), []core.StorageWrite{{Collection: "saves", Key: "slot1", UserID: s.UserID, Value: `{"hp":3}`}}); err != nil {
		t.Fatal(err)
	}
	if _, _, err := c.WalletUpdate(ctx, s.UserID, map[string]int64{"gold": 5}, map[string]any{"why": "quest"}, true); err != nil {
		t.Fatal(err)
	}
	export, err := c.AccountExport(ctx, s.UserID)
	if err != nil {
		t.Fatal(err)
	}
	var doc map[string]any
	if err := json.Unmarshal([]byte(export), &doc); err != nil {
		t.Fatal(err)
	}
	acct := doc["account"].(map[string]any)
	if acct["user"].(map[string]any)["metadata"].(map[string]any)["level"] != float64(7) || acct["devices"].([]any)[0] != "delete-device-1" {
		t.Fatalf("export = %s", export)
	}
	objects, ledger := doc["objects"].([]any), doc["wallet_ledgers"].([]any)
	if len(objects) != 1 || objects[0].(map[string]any)["value"].(map[string]any)["hp"] != float64(3) ||
		len(ledger) != 1 || ledger[0].(map[string]any)["changeset"].(map[string]any)["gold"] != float64(5) {
		t.Fatalf("export sections: objects %v, ledger %v", doc["objects"], doc["wallet_ledgers"])
	}

	if err := c.AccountDelete(ctx, s.UserID, true); err != nil {
		t.Fatal(err)
	}
	if _, err := c.SessionVerify(s.Token); err == nil {
		t.Fatal("a deleted account's token still works")
	}
	_, err = c.AccountGet(ctx, s.UserID)
	wantCode(t, err, core.CodeNotFound, "Account not found.")
	var tombstones int
	if err := pool.QueryRow(ctx, "SELECT count(*) FROM user_tombstone WHERE user_id = $1", s.UserID).Scan(&tombstones); err != nil || tombstones != 1 {
		t.Fatalf("tombstones = %d, %v", tombstones, err)
	}
	var left int
	if err := pool.QueryRow(ctx, "SELECT (SELECT count(*) FROM storage WHERE user_id = $1) + (SELECT count(*) FROM wallet_ledger WHERE user_id = $1)", s.UserID).Scan(&left); err != nil || left != 0 {
		t.Fatalf("rows left behind by the deleted account: %d, %v", left, err)
	}
	// The device is free again: logging in with it creates a new account.
	again := mustDevice(t, c, "delete-device-1")
	if !again.Created || again.UserID == s.UserID {
		t.Fatalf("device login after deletion = %+v", again)
	}
	wantCode(t, c.AccountDelete(ctx, s.UserID, false), core.CodeNotFound, "Account not found.")
	wantCode(t, c.AccountDelete(ctx, uuid.Nil, false), core.CodeInvalidArgument, "Cannot delete the system user.")
}

func TestAuthenticateTokenGenerate(t *testing.T) {
	t.Parallel()
	c, clk := newCore(t)
	s := mustDevice(t, c, "token-gen-device")
	exp := clk.now().Add(10 * time.Minute).Unix()
	token, gotExp, err := c.AuthenticateTokenGenerate(ctx, s.UserID, "", exp, map[string]string{"via": "server"})
	if err != nil {
		t.Fatal(err)
	}
	caller, err := c.SessionVerify(token)
	if err != nil {
		t.Fatal(err)
	}
	if gotExp != exp || caller.ExpiresAt != exp || caller.Username != s.Username || caller.Vars["via"] != "server" {
		t.Fatalf("caller = %+v, exp %d", caller, gotExp)
	}
	_, _, err = c.AuthenticateTokenGenerate(ctx, uuid.New(), "", 0, nil)
	wantCode(t, err, core.CodeNotFound, "User account not found.")
	_, _, err = c.AuthenticateTokenGenerate(ctx, s.UserID, "", clk.now().Add(-time.Second).Unix(), nil)
	wantCode(t, err, core.CodeInvalidArgument, "Expiry must be in the future.")
}
