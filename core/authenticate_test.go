package core_test

import (
	"strings"
	"sync"
	"testing"

	"github.com/hearth-server/hearth/core"
)

func TestAuthenticateDeviceCreatesThenLogsIn(t *testing.T) {
	t.Parallel()
	c, _ := newCore(t)

	first, err := c.AuthenticateDevice(ctx, "device-0000001", core.AuthInput{Create: true, Vars: map[string]string{"k": "v"}})
	if err != nil {
		t.Fatal(err)
	}
	if !first.Created || first.Token == "" || first.RefreshToken == "" || len(first.Username) != 10 {
		t.Fatalf("first login = %+v, want a created account with tokens and a generated 10-letter username", first)
	}
	again, err := c.AuthenticateDevice(ctx, "device-0000001", core.AuthInput{Create: true, Username: "ignored-on-login"})
	if err != nil {
		t.Fatal(err)
	}
	if again.Created || again.UserID != first.UserID || again.Username != first.Username {
		t.Fatalf("second login = %+v, want the same account, not created", again)
	}
	caller, err := c.SessionVerify(first.Token)
	if err != nil {
		t.Fatal(err)
	}
	if caller.UserID != first.UserID || caller.Vars["k"] != "v" {
		t.Fatalf("caller = %+v, want the account with vars", caller)
	}
}

func TestAuthenticateRefusals(t *testing.T) {
	t.Parallel()
	c, _ := newCore(t)
	if _, err := c.AuthenticateDevice(ctx, "taken-device-1", core.AuthInput{Create: true, Username: "taken"}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.AuthenticateEmail(ctx, "owner@example.com", "correct-horse", core.AuthInput{Create: true, Username: "owner"}); err != nil {
		t.Fatal(err)
	}
	long := strings.Repeat("x", 129)
	dev := func(id, username string, create bool) func() error {
		return func() error {
			_, err := c.AuthenticateDevice(ctx, id, core.AuthInput{Username: username, Create: create})
			return err
		}
	}
	mail := func(email, password, username string, create bool) func() error {
		return func() error {
			_, err := c.AuthenticateEmail(ctx, email, password, core.AuthInput{Username: username, Create: create})
			return err
		}
	}
	tests := []struct {
		name    string
		call    func() error
		code    core.Code
		message string
	}{
		{"device empty", dev("", "", true), core.CodeInvalidArgument, "Device ID is required."},
		{"device short", dev("123456789", "", true), core.CodeInvalidArgument, "Device ID invalid, must be 10-128 bytes."},
		{"device long", dev(long, "", true), core.CodeInvalidArgument, "Device ID invalid, must be 10-128 bytes."},
		{"device space", dev("device with space", "", true), core.CodeInvalidArgument, "Device ID invalid, no spaces or control characters allowed."},
		{"device control", dev("device\x00-0001", "", true), core.CodeInvalidArgument, "Device ID invalid, no spaces or control characters allowed."},
		{"device unknown no create", dev("unknown-device-1", "", false), core.CodeNotFound, "User account not found."},
		{"username taken", dev("fresh-device-01", "taken", true), core.CodeAlreadyExists, "Username is already in use."},
		{"username tab", dev("fresh-device-02", "a\tb", true), core.CodeInvalidArgument, "Username invalid, no spaces or control characters allowed."},
		{"username long", dev("fresh-device-03", long, true), core.CodeInvalidArgument, "Username invalid, must be 1-128 bytes."},
		{"custom short", func() error { _, err := c.AuthenticateCustom(ctx, "12345", core.AuthInput{Create: true}); return err }, core.CodeInvalidArgument, "Custom ID invalid, must be 6-128 bytes."},
		{"custom empty", func() error { _, err := c.AuthenticateCustom(ctx, "", core.AuthInput{Create: true}); return err }, core.CodeInvalidArgument, "Custom ID is required."},
		{"custom unknown no create", func() error { _, err := c.AuthenticateCustom(ctx, "unknown-custom", core.AuthInput{}); return err }, core.CodeNotFound, "User account not found."},
		{"email bad shape", mail("not-an-email", "password1", "", true), core.CodeInvalidArgument, "Invalid email address format."},
		{"email space", mail("a b@example.com", "password1", "", true), core.CodeInvalidArgument, "Invalid email address, no spaces or control characters allowed."},
		{"email short", mail("a@b.co", "password1", "", true), core.CodeInvalidArgument, "Invalid email address, must be 10-255 bytes."},
		{"password short", mail("someone@example.com", "short", "", true), core.CodeInvalidArgument, "Password must be at least 8 characters long."},
		{"password too long for bcrypt", mail("someone@example.com", strings.Repeat("p", 73), "", true), core.CodeInvalidArgument, "Password must be at most 72 bytes long."},
		{"wrong password", mail("owner@example.com", "wrong-password", "", true), core.CodeUnauthenticated, "Invalid credentials."},
		{"email case folded, wrong password", mail("OWNER@example.com", "wrong-password", "", true), core.CodeUnauthenticated, "Invalid credentials."},
		{"email unknown no create", mail("nobody@example.com", "password1", "", false), core.CodeNotFound, "User account not found."},
		{"username login needs username", mail("", "password1", "", true), core.CodeInvalidArgument, "Username is required when email address is not supplied."},
		{"username login wrong password", mail("", "wrong-password", "owner", true), core.CodeUnauthenticated, "Invalid credentials."},
		{"username login no password set", mail("", "password1", "taken", true), core.CodeUnauthenticated, "Invalid credentials."},
		{"username login unknown", mail("", "password1", "nobody", true), core.CodeNotFound, "User account not found."},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			wantCode(t, tc.call(), tc.code, tc.message)
		})
	}
}

func TestAuthenticateEmailAndUsernameLogin(t *testing.T) {
	t.Parallel()
	c, _ := newCore(t)
	created, err := c.AuthenticateEmail(ctx, "Player.One@Example.com", "hunter2-hunter2", core.AuthInput{Create: true, Username: "player one"})
	if err != nil {
		t.Fatal(err)
	}
	if !created.Created || created.Username != "player one" {
		t.Fatalf("created = %+v", created)
	}
	// Emails are stored lower-cased, so any casing logs in.
	byEmail, err := c.AuthenticateEmail(ctx, "player.one@example.COM", "hunter2-hunter2", core.AuthInput{Create: false})
	if err != nil {
		t.Fatal(err)
	}
	byUsername, err := c.AuthenticateEmail(ctx, "", "hunter2-hunter2", core.AuthInput{Username: "player one"})
	if err != nil {
		t.Fatal(err)
	}
	if byEmail.UserID != created.UserID || byUsername.UserID != created.UserID || byEmail.Created || byUsername.Created {
		t.Fatalf("logins = %+v / %+v, want the created account", byEmail, byUsername)
	}
	acct, err := c.AccountGet(ctx, created.UserID)
	if err != nil {
		t.Fatal(err)
	}
	if acct.Email != "player.one@example.com" {
		t.Fatalf("email = %q, want it lower-cased", acct.Email)
	}
}

func TestAuthenticateCustom(t *testing.T) {
	t.Parallel()
	c, _ := newCore(t)
	first, err := c.AuthenticateCustom(ctx, "custom-123", core.AuthInput{Create: true, Username: "custom user"})
	if err != nil {
		t.Fatal(err)
	}
	second, err := c.AuthenticateCustom(ctx, "custom-123", core.AuthInput{})
	if err != nil {
		t.Fatal(err)
	}
	if !first.Created || second.Created || first.UserID != second.UserID || second.Username != "custom user" {
		t.Fatalf("first = %+v, second = %+v", first, second)
	}
}

// Concurrent first logins with one device id must all land on one account: Nakama
// answers the losers with an internal error, Hearth with the winner's account.
func TestAuthenticateDeviceConcurrentCreate(t *testing.T) {
	t.Parallel()
	c, _ := newCore(t)
	const n = 8
	var wg sync.WaitGroup
	sessions := make([]core.Session, n)
	errs := make([]error, n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sessions[i], errs[i] = c.AuthenticateDevice(ctx, "shared-device-id", core.AuthInput{Create: true})
		}()
	}
	wg.Wait()
	created := 0
	for i := range n {
		if errs[i] != nil {
			t.Fatalf("login %d: %v", i, errs[i])
		}
		if sessions[i].UserID != sessions[0].UserID {
			t.Fatalf("login %d landed on %s, login 0 on %s", i, sessions[i].UserID, sessions[0].UserID)
		}
		if sessions[i].Created {
			created++
		}
	}
	if created != 1 {
		t.Fatalf("%d logins report creating the account, want exactly 1", created)
	}
}

func TestAuthenticateBannedAccount(t *testing.T) {
	t.Parallel()
	c, _, pool := newCoreWithPool(t)
	s, err := c.AuthenticateDevice(ctx, "soon-banned-1", core.AuthInput{Create: true})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := pool.Exec(ctx, "UPDATE users SET disable_time = now() WHERE id = $1", s.UserID); err != nil {
		t.Fatal(err)
	}
	_, err = c.AuthenticateDevice(ctx, "soon-banned-1", core.AuthInput{Create: true})
	wantCode(t, err, core.CodePermissionDenied, "User account banned.")
	_, err = c.SessionRefresh(ctx, core.SessionRefreshInput{RefreshToken: s.RefreshToken})
	wantCode(t, err, core.CodePermissionDenied, "User account banned.")
}
