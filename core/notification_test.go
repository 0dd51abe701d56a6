package core_test

import (
	"context"
	"fmt"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/uuid"

	"github.com/hearth-server/hearth/core"
	"github.com/hearth-server/hearth/internal/dbtest"
)

// pushLog records what the live-delivery hook was given.
type pushLog struct {
	mu    sync.Mutex
	calls [][]core.Notification
}

func (p *pushLog) push(_ context.Context, ns []core.Notification) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.calls = append(p.calls, ns)
}

func coreWithPush(t *testing.T) (*core.Core, *pushLog) {
	t.Helper()
	log := &pushLog{}
	c := core.New(core.Options{
		Pool: dbtest.Pool(t), NotificationPush: log.push, BcryptCost: 4,
		Tokens: core.TokenOptions{EncryptionKey: []byte("k"), RefreshEncryptionKey: []byte("r"), TokenExpiry: 60e9, RefreshTokenExpiry: 3600e9},
	})
	runCtx, stop := context.WithCancel(context.Background())
	t.Cleanup(stop)
	if err := c.Start(runCtx); err != nil {
		t.Fatal(err)
	}
	return c, log
}

func subjects(l core.NotificationList) []string {
	out := make([]string, len(l.Notifications))
	for i, n := range l.Notifications {
		out[i] = n.Subject
	}
	return out
}

func TestNotificationsSendListDelete(t *testing.T) {
	t.Parallel()
	c, push := coreWithPush(t)
	a, b := newPlayer(t, c, "a"), newPlayer(t, c, "b")

	sends := []core.NotificationSend{
		{UserID: a.UserID, Subject: "one", Content: map[string]any{"n": 1}, Code: 1, Persistent: true},
		{UserID: a.UserID, Subject: "live only", Code: 2},
		{UserID: b.UserID, Subject: "for b", Code: 3, SenderID: a.UserID, Persistent: true},
		{UserID: a.UserID, Subject: "two", Code: 4, Persistent: true},
	}
	if err := c.NotificationsSend(ctx, sends); err != nil {
		t.Fatal(err)
	}
	if err := c.NotificationSend(ctx, core.NotificationSend{UserID: a.UserID, Subject: "three", Persistent: true}); err != nil {
		t.Fatal(err)
	}
	// The hook got every notification, persistent or not, after commit.
	if len(push.calls) != 2 || len(push.calls[0]) != 4 || push.calls[0][1].Persistent || push.calls[1][0].Subject != "three" {
		t.Fatalf("pushes = %+v", push.calls)
	}
	all, err := c.NotificationsList(ctx, a.UserID, 100, "")
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"one", "two", "three"}, subjects(all)); diff != "" {
		t.Fatalf("a's list (-want +got):\n%s", diff)
	}
	if n := all.Notifications[0]; n.Content != `{"n": 1}` || n.Code != 1 || n.SenderID != uuid.Nil || !n.Persistent || n.CreateTime.IsZero() {
		t.Fatalf("first = %+v", n)
	}
	if n := all.Notifications[2]; n.Content != "{}" {
		t.Fatalf("nil content stored as %q", n.Content)
	}

	// b cannot delete a's notifications; a deletes its own (malformed ids are ignored).
	if err := c.NotificationsDelete(ctx, b.UserID, []string{all.Notifications[0].ID.String()}); err != nil {
		t.Fatal(err)
	}
	if err := c.NotificationsDelete(ctx, a.UserID, []string{all.Notifications[1].ID.String(), "not-a-uuid"}); err != nil {
		t.Fatal(err)
	}
	left, _ := c.NotificationsList(ctx, a.UserID, 100, "")
	if diff := cmp.Diff([]string{"one", "three"}, subjects(left)); diff != "" {
		t.Fatalf("after delete (-want +got):\n%s", diff)
	}

	// Send to all: stored for every account (not the system user), pushed once.
	if err := c.NotificationSendAll(ctx, core.NotificationSend{Subject: "hello all", Code: 9, Persistent: true}); err != nil {
		t.Fatal(err)
	}
	for _, p := range []player{a, b} {
		l, _ := c.NotificationsList(ctx, p.UserID, 100, "")
		if got := subjects(l); got[len(got)-1] != "hello all" {
			t.Fatalf("%s: %v", p.Username, got)
		}
	}
	if last := push.calls[len(push.calls)-1]; len(last) != 1 || last[0].UserID != uuid.Nil {
		t.Fatalf("send-all push = %+v", last)
	}
	if err := c.NotificationSendAll(ctx, core.NotificationSend{Subject: "live all"}); err != nil {
		t.Fatal(err)
	}
	l, _ := c.NotificationsList(ctx, b.UserID, 100, "")
	if got := subjects(l); got[len(got)-1] != "hello all" {
		t.Fatalf("non-persistent send-all was stored: %v", got)
	}

	// Refusals.
	tests := []struct {
		name    string
		err     error
		message string
	}{
		{"no recipient", c.NotificationSend(ctx, core.NotificationSend{Subject: "x"}), "Notification recipient must be a user."},
		{"no subject", c.NotificationSend(ctx, core.NotificationSend{UserID: a.UserID}), "Notification subject must be 1-255 characters."},
		{"long subject", c.NotificationSend(ctx, core.NotificationSend{UserID: a.UserID, Subject: string(make([]rune, 256))}), "Notification subject must be 1-255 characters."},
		{"NUL content", c.NotificationSend(ctx, core.NotificationSend{UserID: a.UserID, Subject: "x", Content: map[string]any{"a": "\x00"}}), "Notification content must be a JSON object."},
		{"limit 0", listErr(c, a, 0, ""), "Invalid limit - limit must be between 1 and 100."},
		{"limit 101", listErr(c, a, 101, ""), "Invalid limit - limit must be between 1 and 100."},
		{"bad cursor", listErr(c, a, 1, "%%%"), "Malformed cursor was used."},
		{"short cursor", listErr(c, a, 1, "AQ"), "Malformed cursor was used."},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) { wantCode(t, tc.err, core.CodeInvalidArgument, tc.message) })
	}
}

func listErr(c *core.Core, p player, limit int, cursor string) error {
	_, err := c.NotificationsList(ctx, p.UserID, limit, cursor)
	return err
}

// A cacheable cursor returns exactly the notifications made after it, even when many
// share a transaction (and so a start time) — Nakama's whole-second times skip some.
func TestNotificationCacheableCursor(t *testing.T) {
	t.Parallel()
	c, _ := coreWithPush(t)
	a := newPlayer(t, c, "a")

	empty, err := c.NotificationsList(ctx, a.UserID, 10, "")
	if err != nil || len(empty.Notifications) != 0 || empty.CacheableCursor == "" {
		t.Fatalf("empty list = %+v, %v", empty, err)
	}
	cursor := empty.CacheableCursor
	var want, got []string
	for batch := range 5 {
		var sends []core.NotificationSend
		for i := range 7 {
			s := fmt.Sprintf("b%d-%d", batch, i)
			want = append(want, s)
			sends = append(sends, core.NotificationSend{UserID: a.UserID, Subject: s, Persistent: true})
		}
		if err := c.NotificationsSend(ctx, sends); err != nil {
			t.Fatal(err)
		}
		// Catch up in pages of 3, as a client polling with its cached cursor would.
		for {
			page, err := c.NotificationsList(ctx, a.UserID, 3, cursor)
			if err != nil {
				t.Fatal(err)
			}
			if page.CacheableCursor == "" {
				t.Fatal("no cacheable cursor")
			}
			cursor = page.CacheableCursor
			got = append(got, subjects(page)...)
			if len(page.Notifications) == 0 {
				break
			}
		}
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Fatalf("caught up (-want +got):\n%s", diff)
	}
	// The default page is one notification, the oldest.
	first, _ := c.NotificationsList(ctx, a.UserID, 1, "")
	if diff := cmp.Diff([]string{"b0-0"}, subjects(first)); diff != "" {
		t.Fatalf("first page (-want +got):\n%s", diff)
	}
}
