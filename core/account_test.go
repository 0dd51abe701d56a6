package core_test

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/google/uuid"

	"github.com/hearth-server/hearth/core"
)

func ptr(s string) *string { return &s }

func TestAccountGetNewDeviceAccount(t *testing.T) {
	t.Parallel()
	c, _ := newCore(t)
	s, err := c.AuthenticateDevice(ctx, "account-device-1", core.AuthInput{Create: true, Username: "newbie"})
	if err != nil {
		t.Fatal(err)
	}
	got, err := c.AccountGet(ctx, s.UserID)
	if err != nil {
		t.Fatal(err)
	}
	want := core.Account{
		User:      core.User{ID: s.UserID, Username: "newbie", LangTag: "en", Metadata: "{}"},
		Wallet:    "{}",
		DeviceIDs: []string{"account-device-1"},
	}
	if diff := cmp.Diff(want, got, cmpopts.IgnoreFields(core.User{}, "CreateTime", "UpdateTime")); diff != "" {
		t.Fatalf("account (-want +got):\n%s", diff)
	}
	if got.User.CreateTime.IsZero() || got.User.UpdateTime.IsZero() {
		t.Fatal("create/update time not set")
	}

	_, err = c.AccountGet(ctx, uuid.New())
	wantCode(t, err, core.CodeNotFound, "Account not found.")
}

func TestAccountUpdate(t *testing.T) {
	t.Parallel()
	c, _ := newCore(t)
	s, err := c.AuthenticateDevice(ctx, "update-device-1", core.AuthInput{Create: true, Username: "before"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.AuthenticateDevice(ctx, "update-device-2", core.AuthInput{Create: true, Username: "someone else"}); err != nil {
		t.Fatal(err)
	}

	err = c.AccountUpdate(ctx, s.UserID, core.AccountUpdate{
		Username: ptr("after"), DisplayName: ptr("Ünïcode Name"), AvatarURL: ptr("https://example.com/a.png"),
		LangTag: ptr("fr"), Location: ptr("Paris"), Timezone: ptr("Europe/Paris"),
	})
	if err != nil {
		t.Fatal(err)
	}
	got, err := c.AccountGet(ctx, s.UserID)
	if err != nil {
		t.Fatal(err)
	}
	want := core.User{ID: s.UserID, Username: "after", DisplayName: "Ünïcode Name", AvatarURL: "https://example.com/a.png",
		LangTag: "fr", Location: "Paris", Timezone: "Europe/Paris", Metadata: "{}"}
	if diff := cmp.Diff(want, got.User, cmpopts.IgnoreFields(core.User{}, "CreateTime", "UpdateTime")); diff != "" {
		t.Fatalf("user (-want +got):\n%s", diff)
	}

	// Empty strings clear; absent fields stay.
	if err := c.AccountUpdate(ctx, s.UserID, core.AccountUpdate{DisplayName: ptr(""), Location: ptr("")}); err != nil {
		t.Fatal(err)
	}
	got, _ = c.AccountGet(ctx, s.UserID)
	if got.User.DisplayName != "" || got.User.Location != "" || got.User.Timezone != "Europe/Paris" || got.User.Username != "after" {
		t.Fatalf("after clearing: %+v", got.User)
	}

	// A no-op update leaves update_time alone.
	before := got.User.UpdateTime
	if err := c.AccountUpdate(ctx, s.UserID, core.AccountUpdate{Timezone: ptr("Europe/Paris")}); err != nil {
		t.Fatal(err)
	}
	got, _ = c.AccountGet(ctx, s.UserID)
	if !got.User.UpdateTime.Equal(before) {
		t.Fatalf("no-op update moved update_time from %v to %v", before, got.User.UpdateTime)
	}

	tests := []struct {
		name    string
		update  core.AccountUpdate
		code    core.Code
		message string
	}{
		{"nothing", core.AccountUpdate{}, core.CodeInvalidArgument, "No fields to update."},
		{"empty username", core.AccountUpdate{Username: ptr("")}, core.CodeInvalidArgument, "Username invalid, must be 1-128 bytes."},
		{"long username", core.AccountUpdate{Username: ptr(strings.Repeat("u", 129))}, core.CodeInvalidArgument, "Username invalid, must be 1-128 bytes."},
		{"control username", core.AccountUpdate{Username: ptr("a\nb")}, core.CodeInvalidArgument, "Username invalid, no spaces or control characters allowed."},
		{"taken username", core.AccountUpdate{Username: ptr("someone else")}, core.CodeInvalidArgument, "Username is already in use."},
		{"long display name", core.AccountUpdate{DisplayName: ptr(strings.Repeat("é", 256))}, core.CodeInvalidArgument, "Display name invalid, must be at most 255 characters."},
		{"long lang tag", core.AccountUpdate{LangTag: ptr(strings.Repeat("x", 19))}, core.CodeInvalidArgument, "Lang tag invalid, must be at most 18 characters."},
		{"long avatar", core.AccountUpdate{AvatarURL: ptr(strings.Repeat("x", 513))}, core.CodeInvalidArgument, "Avatar URL invalid, must be at most 512 characters."},
		{"nul in location", core.AccountUpdate{Location: ptr("a\x00b")}, core.CodeInvalidArgument, "Location invalid, no null characters allowed."},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			wantCode(t, c.AccountUpdate(ctx, s.UserID, tc.update), tc.code, tc.message)
		})
	}
	// Nothing from the refused updates was written.
	after, _ := c.AccountGet(ctx, s.UserID)
	if after.User.Username != "after" || after.User.LangTag != "fr" {
		t.Fatalf("a refused update changed the account: %+v", after.User)
	}
}
