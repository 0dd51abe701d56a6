package nk_test

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestAccountGetId(t *testing.T) {
	e := newEnv(t)
	id, name := e.user(t)
	a, err := e.nk.AccountGetId(ctx, id)
	must(t, err)
	if a.User.Id != id || a.User.Username != name || len(a.Devices) != 1 || a.Wallet != "{}" {
		t.Fatalf("account: %v", a)
	}
	wantArgError(t, mustErr(e.nk.AccountGetId(ctx, badID)))
	wantCode(t, mustErr(e.nk.AccountGetId(ctx, unknownID)), 5)
}

func mustErr[T any](_ T, err error) error { return err }

func TestAccountsGetId(t *testing.T) {
	e := newEnv(t)
	a, _ := e.user(t)
	b, _ := e.user(t)
	got, err := e.nk.AccountsGetId(ctx, []string{a, b, unknownID}, nil)
	must(t, err)
	if len(got) != 2 {
		t.Fatalf("got %d accounts, want 2", len(got))
	}
	wantArgError(t, mustErr(e.nk.AccountsGetId(ctx, []string{badID}, nil)))

	// By device id: e.user's device ids are nk-test-device-NNNNNN; an account found both
	// ways comes back once.
	acct, err := e.nk.AccountGetId(ctx, b)
	must(t, err)
	device := acct.Devices[0].Id
	got, err = e.nk.AccountsGetId(ctx, nil, []string{device, "no-such-device"})
	must(t, err)
	if len(got) != 1 || got[0].User.Id != b {
		t.Fatalf("by device: %v", got)
	}
	got, err = e.nk.AccountsGetId(ctx, []string{a, b}, []string{device})
	must(t, err)
	if len(got) != 2 {
		t.Fatalf("by id and device: got %d accounts, want 2", len(got))
	}
	got, err = e.nk.AccountsGetId(ctx, nil, nil)
	if err != nil || got == nil || len(got) != 0 {
		t.Fatalf("nothing asked: %v, %v", got, err)
	}
	wantArgError(t, mustErr(e.nk.AccountsGetId(ctx, nil, []string{""})))
}

func TestAccountUpdateId(t *testing.T) {
	e := newEnv(t)
	id, name := e.user(t)
	must(t, e.nk.AccountUpdateId(ctx, id, "", map[string]any{"level": 3}, "Display", "", "Paris", "fr", ""))
	a, err := e.nk.AccountGetId(ctx, id)
	must(t, err)
	if a.User.Username != name || a.User.DisplayName != "Display" || a.User.Location != "Paris" || a.User.LangTag != "fr" || !strings.Contains(a.User.Metadata, `"level": 3`) && !strings.Contains(a.User.Metadata, `"level":3`) {
		t.Fatalf("updated: %v", a.User)
	}
	_, other := e.user(t)
	wantCode(t, e.nk.AccountUpdateId(ctx, id, other, nil, "", "", "", "", ""), 3) // as Nakama: 400 for a rename to a taken name
	wantArgError(t, e.nk.AccountUpdateId(ctx, "", "x", nil, "", "", "", "", ""))
}

func TestAccountDeleteId(t *testing.T) {
	e := newEnv(t)
	id, _ := e.user(t)
	must(t, e.nk.AccountDeleteId(ctx, id, false))
	wantCode(t, mustErr(e.nk.AccountGetId(ctx, id)), 5)
	wantArgError(t, e.nk.AccountDeleteId(ctx, badID, false))
}

func TestAccountExportId(t *testing.T) {
	e := newEnv(t)
	id, _ := e.user(t)
	out, err := e.nk.AccountExportId(ctx, id)
	must(t, err)
	var export map[string]any
	if err := json.Unmarshal([]byte(out), &export); err != nil || export["account"] == nil {
		t.Fatalf("export: %v %s", err, out)
	}
	wantCode(t, mustErr(e.nk.AccountExportId(ctx, unknownID)), 5)
}

func TestAuthenticate(t *testing.T) {
	e := newEnv(t)
	id, name, created, err := e.nk.AuthenticateCustom(ctx, "custom-id-0001", "customer", true)
	must(t, err)
	if !created || name != "customer" {
		t.Fatalf("custom: %s %s %v", id, name, created)
	}
	again, _, created, err := e.nk.AuthenticateCustom(ctx, "custom-id-0001", "", true)
	if err != nil || again != id || created {
		t.Fatalf("custom again: %v %v %v", again, created, err)
	}
	wantCode(t, third(e.nk.AuthenticateCustom(ctx, "abc", "", true)), 3)
	wantCode(t, third(e.nk.AuthenticateCustom(ctx, "custom-id-unknown", "", false)), 5)
	wantArgError(t, third(e.nk.AuthenticateCustom(ctx, "", "", true)))

	_, _, created, err = e.nk.AuthenticateEmail(ctx, "player@example.com", "password1", "", true)
	if err != nil || !created {
		t.Fatalf("email: %v", err)
	}
	wantCode(t, third(e.nk.AuthenticateEmail(ctx, "player@example.com", "wrong-password", "", true)), 16)
	wantArgError(t, third(e.nk.AuthenticateEmail(ctx, "player@example.com", "", "", true)))

	_, _, _, err = e.nk.AuthenticateDevice(ctx, "device-id-0001", "customer", true)
	wantCode(t, err, 6) // username taken
	wantArgError(t, third(e.nk.AuthenticateDevice(ctx, "", "", true)))

	// Social providers check their argument before any network call.
	wantArgError(t, third(e.nk.AuthenticateApple(ctx, "", "", true)))
	wantArgError(t, third(e.nk.AuthenticateFacebook(ctx, "", true, "", true)))
	wantArgError(t, third(e.nk.AuthenticateFacebookInstantGame(ctx, "", "", true)))
	wantArgError(t, third(e.nk.AuthenticateGameCenter(ctx, "", "", 0, "", "", "", "", true)))
	wantArgError(t, third(e.nk.AuthenticateGoogle(ctx, "", "", true)))
	wantArgError(t, third(e.nk.AuthenticateSteam(ctx, "", "", true)))
	wantCode(t, third(e.nk.AuthenticateFacebookInstantGame(ctx, "not.signed", "", true)), 9) // not configured
}

func third[A, B, C any](_ A, _ B, _ C, err error) error { return err }

func TestAuthenticateTokenGenerate(t *testing.T) {
	e := newEnv(t)
	id, name := e.user(t)
	token, exp, err := e.nk.AuthenticateTokenGenerate(id, name, 0, map[string]string{"k": "v"})
	must(t, err)
	caller, err := e.core.SessionVerify(token)
	must(t, err)
	if caller.UserID.String() != id || caller.Vars["k"] != "v" || caller.ExpiresAt != exp {
		t.Fatalf("token: %v exp %d", caller, exp)
	}
	_, _, err = e.nk.AuthenticateTokenGenerate(badID, name, 0, nil)
	wantArgError(t, err)
	_, _, err = e.nk.AuthenticateTokenGenerate(id, "", 0, nil)
	wantArgError(t, err)
}

func TestLinkUnlink(t *testing.T) {
	e := newEnv(t)
	id, _ := e.user(t)
	must(t, e.nk.LinkDevice(ctx, id, "second-device-01"))
	must(t, e.nk.LinkCustom(ctx, id, "custom-link-01"))
	must(t, e.nk.LinkEmail(ctx, id, "link@example.com", "password1"))
	a, err := e.nk.AccountGetId(ctx, id)
	must(t, err)
	if len(a.Devices) != 2 || a.CustomId != "custom-link-01" || a.Email != "link@example.com" {
		t.Fatalf("linked: %v", a)
	}
	other, _ := e.user(t)
	wantCode(t, e.nk.LinkCustom(ctx, other, "custom-link-01"), 6)
	wantCode(t, e.nk.LinkEmail(ctx, other, "bad-email", "password1"), 3)
	wantArgError(t, e.nk.LinkDevice(ctx, badID, "x-device-0001"))

	must(t, e.nk.UnlinkDevice(ctx, id, "second-device-01"))
	must(t, e.nk.UnlinkCustom(ctx, id, "custom-link-01"))
	must(t, e.nk.UnlinkEmail(ctx, id, "link@example.com"))
	wantCode(t, e.nk.UnlinkCustom(ctx, id, "custom-link-01"), 7) // not linked / last identifier
	wantArgError(t, e.nk.UnlinkDevice(ctx, id, ""))

	for name, err := range map[string]error{
		"LinkApple": e.nk.LinkApple(ctx, badID, "t"), "LinkFacebook": e.nk.LinkFacebook(ctx, badID, "", "t", false),
		"LinkFacebookInstantGame": e.nk.LinkFacebookInstantGame(ctx, badID, "t"), "LinkGameCenter": e.nk.LinkGameCenter(ctx, badID, "p", "b", 1, "s", "s", "u"),
		"LinkGoogle": e.nk.LinkGoogle(ctx, badID, "t"), "LinkSteam": e.nk.LinkSteam(ctx, badID, "", "t", false),
		"UnlinkApple": e.nk.UnlinkApple(ctx, badID, "t"), "UnlinkFacebook": e.nk.UnlinkFacebook(ctx, badID, "t"),
		"UnlinkFacebookInstantGame": e.nk.UnlinkFacebookInstantGame(ctx, badID, "t"), "UnlinkGameCenter": e.nk.UnlinkGameCenter(ctx, badID, "p", "b", 1, "s", "s", "u"),
		"UnlinkGoogle": e.nk.UnlinkGoogle(ctx, badID, "t"), "UnlinkSteam": e.nk.UnlinkSteam(ctx, badID, "t"),
	} {
		t.Run(name, func(t *testing.T) { wantArgError(t, err) })
	}
	wantCode(t, e.nk.LinkFacebookInstantGame(ctx, id, "not.signed"), 9) // not configured
}

func TestUsers(t *testing.T) {
	e := newEnv(t)
	a, an := e.user(t)
	b, bn := e.user(t)
	got, err := e.nk.UsersGetId(ctx, []string{a, b}, nil)
	must(t, err)
	if len(got) != 2 {
		t.Fatalf("UsersGetId: %d", len(got))
	}
	wantArgError(t, mustErr(e.nk.UsersGetId(ctx, []string{badID}, nil)))
	got, err = e.nk.UsersGetUsername(ctx, []string{an, bn, "nobody-here"})
	must(t, err)
	if len(got) != 2 {
		t.Fatalf("UsersGetUsername: %d", len(got))
	}
	got, err = e.nk.UsersGetRandom(ctx, 5)
	must(t, err)
	if len(got) != 2 {
		t.Fatalf("UsersGetRandom: %d", len(got))
	}
	wantArgError(t, mustErr(e.nk.UsersGetRandom(ctx, -1)))

	must(t, e.nk.UsersBanId(ctx, []string{a}))
	_, _, _, err = e.nk.AuthenticateDevice(ctx, "nk-test-device-banned", "", true)
	must(t, err)
	acct, err := e.nk.AccountGetId(ctx, a)
	must(t, err)
	if acct.DisableTime == nil {
		t.Fatal("ban should set disable_time")
	}
	must(t, e.nk.UsersUnbanId(ctx, []string{a}))
	acct, _ = e.nk.AccountGetId(ctx, a)
	if acct.DisableTime != nil {
		t.Fatal("unban should clear disable_time")
	}
	wantArgError(t, e.nk.UsersBanId(ctx, []string{badID}))
	wantArgError(t, e.nk.UsersUnbanId(ctx, []string{badID}))
}
