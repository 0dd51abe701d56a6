package realtime_test

import (
	"context"
	"strings"
	"testing"

	"github.com/google/uuid"
	"github.com/heroiclabs/nakama-common/rtapi"
	"github.com/heroiclabs/nakama-common/runtime"
	"google.golang.org/protobuf/types/known/wrapperspb"

	"github.com/hearth-server/hearth/core"
	"github.com/hearth-server/hearth/core/presence"
	"github.com/hearth-server/hearth/realtime"
)

func notificationStream(u user) presence.Stream {
	return presence.Stream{Mode: presence.ModeNotifications, Subject: u.id}
}

func sendNotification(t testing.TB, h *harness, u user, subject string) {
	t.Helper()
	if err := h.core.NotificationSend(context.Background(), core.NotificationSend{UserID: u.id, Subject: subject, Code: 1, Content: map[string]any{"a": 1}}); err != nil {
		t.Fatal(err)
	}
}

// statusOf waits for a status event about u.
func statusOf(c *client, u user) *rtapi.StatusPresenceEvent {
	c.t.Helper()
	return c.waitFor(func(e *rtapi.Envelope) bool {
		ev := e.GetStatusPresenceEvent()
		for _, p := range append(append([]*rtapi.UserPresence{}, ev.GetJoins()...), ev.GetLeaves()...) {
			if p.UserId == u.id.String() {
				return true
			}
		}
		return false
	}).GetStatusPresenceEvent()
}

func statusUpdate(s *string) *rtapi.Envelope {
	u := &rtapi.StatusUpdate{}
	if s != nil {
		u.Status = wrapperspb.String(*s)
	}
	return &rtapi.Envelope{Message: &rtapi.Envelope_StatusUpdate{StatusUpdate: u}}
}

func str(s string) *string { return &s }

func TestStatus(t *testing.T) {
	each(t, func(t *testing.T, format string) {
		h := newHarness(t, harnessOptions{})
		ua, ub, uc := h.user("sa"), h.user("sb"), h.user("sc")
		a := h.dial(ua, format, true)
		b := h.dial(ub, format, true)
		// A sees its own status appear.
		ev := statusOf(a, ua)
		if len(ev.Joins) != 1 || ev.Joins[0].UserId != ua.id.String() {
			t.Fatalf("own join %v", ev)
		}

		// Follow by id (A is online) and username (C is offline): the reply lists A.
		reply := b.call(&rtapi.Envelope{Message: &rtapi.Envelope_StatusFollow{StatusFollow: &rtapi.StatusFollow{UserIds: []string{ua.id.String(), ub.id.String()}, Usernames: []string{uc.username, "nobody-here"}}}})
		ps := reply.GetStatus().GetPresences()
		if len(ps) != 1 || ps[0].UserId != ua.id.String() || ps[0].Username != ua.username || ps[0].Status == nil || ps[0].Status.Value != "" {
			t.Fatalf("follow reply %v", reply)
		}

		// A changes status: B and A see the old one leave and the new one join.
		if env := a.call(statusUpdate(str("busy"))); env.Message != nil {
			t.Fatalf("status update reply %v", env)
		}
		for _, c := range []*client{a, b} {
			ev := statusOf(c, ua)
			if len(ev.Joins) != 1 || ev.Joins[0].Status.GetValue() != "busy" || len(ev.Leaves) != 1 || ev.Leaves[0].Status == nil || ev.Leaves[0].Status.Value != "" {
				t.Fatalf("update event %v", ev)
			}
		}
		// C connects: B follows C by username, so B sees C come online.
		c := h.dial(uc, format, true)
		ev = statusOf(b, uc)
		if len(ev.Joins) != 1 || ev.Joins[0].UserId != uc.id.String() {
			t.Fatalf("C online %v", ev)
		}
		// Appear offline, then disconnect: B sees leaves.
		a.call(statusUpdate(nil))
		ev = statusOf(b, ua)
		if len(ev.Leaves) != 1 || ev.Leaves[0].UserId != ua.id.String() || len(ev.Joins) != 0 {
			t.Fatalf("appear offline %v", ev)
		}
		c.conn.Close()
		ev = statusOf(b, uc)
		if len(ev.Leaves) != 1 || ev.Leaves[0].UserId != uc.id.String() {
			t.Fatalf("disconnect %v", ev)
		}

		// Refusals.
		wantError(t, b.call(&rtapi.Envelope{Message: &rtapi.Envelope_StatusFollow{StatusFollow: &rtapi.StatusFollow{UserIds: []string{"x"}}}}), rtapi.Error_BAD_INPUT, "Invalid user identifier")
		wantError(t, b.call(&rtapi.Envelope{Message: &rtapi.Envelope_StatusFollow{StatusFollow: &rtapi.StatusFollow{Usernames: []string{""}}}}), rtapi.Error_BAD_INPUT, "Invalid username")
		wantError(t, b.call(&rtapi.Envelope{Message: &rtapi.Envelope_StatusUnfollow{StatusUnfollow: &rtapi.StatusUnfollow{UserIds: []string{"x"}}}}), rtapi.Error_BAD_INPUT, "Invalid user identifier")
		wantError(t, a.call(statusUpdate(str(strings.Repeat("s", 2049)))), rtapi.Error_BAD_INPUT, "Status must be 2048 characters or less")
		if env := b.call(&rtapi.Envelope{Message: &rtapi.Envelope_StatusFollow{StatusFollow: &rtapi.StatusFollow{}}}); env.GetStatus() == nil {
			t.Fatalf("empty follow %v", env)
		}

		// Unfollow A: B no longer hears of A.
		if env := b.call(&rtapi.Envelope{Message: &rtapi.Envelope_StatusUnfollow{StatusUnfollow: &rtapi.StatusUnfollow{UserIds: []string{ua.id.String()}}}}); env.Message != nil {
			t.Fatalf("unfollow reply %v", env)
		}
		a.call(statusUpdate(str("back")))
		statusOf(a, ua) // A still hears itself
		h.tracker.Flush()
		b.ok()
		b.quiet(func(e *rtapi.Envelope) bool {
			ev := e.GetStatusPresenceEvent()
			return ev != nil && len(ev.Joins) > 0 && ev.Joins[0].UserId == ua.id.String()
		})
	})
}

// TestStatusFollowLimit: more than 1000 users in one follow is refused (COMPAT.md). Such
// a list only fits in a socket message larger than Nakama's default limit.
func TestStatusFollowLimit(t *testing.T) {
	cfg := realtime.DefaultConfig()
	cfg.MaxMessageSize = 1 << 20
	h := newHarness(t, harnessOptions{cfg: &cfg})
	c := h.dial(h.user("many"), "json", false)
	ids := make([]string, 1001)
	for i := range ids {
		ids[i] = uuid.NewString()
	}
	wantError(t, c.call(&rtapi.Envelope{Message: &rtapi.Envelope_StatusFollow{StatusFollow: &rtapi.StatusFollow{UserIds: ids}}}), rtapi.Error_BAD_INPUT, "No more than 1000 users can be requested at once.")
	if env := c.call(&rtapi.Envelope{Message: &rtapi.Envelope_StatusFollow{StatusFollow: &rtapi.StatusFollow{UserIds: ids[:1000]}}}); env.GetStatus() == nil {
		t.Fatalf("follow of 1000 unknown users %v", env)
	}
}

func TestOnline(t *testing.T) {
	h := newHarness(t, harnessOptions{})
	on, off := h.user("on"), h.user("off")
	c := h.dial(on, "json", true)
	h.dial(off, "json", false).ok()
	c.ok()
	online := func() map[uuid.UUID]bool {
		users, err := h.core.UsersGet(context.Background(), core.UsersGetInput{IDs: []string{on.id.String(), off.id.String()}})
		if err != nil {
			t.Fatal(err)
		}
		m := map[uuid.UUID]bool{}
		for _, u := range users {
			m[u.ID] = u.Online
		}
		return m
	}
	if got := online(); !got[on.id] || got[off.id] {
		t.Fatalf("online %v", got)
	}
	c.call(statusUpdate(nil))
	if got := online(); got[on.id] {
		t.Fatalf("after appearing offline: %v", got)
	}
}

func TestStreamsPresenceRules(t *testing.T) {
	each(t, func(t *testing.T, format string) {
		h := newHarness(t, harnessOptions{})
		ua, ub := h.user("pa"), h.user("pb")
		a := h.dial(ua, format, false)
		a.ok()
		first := sessionOf(t, h, ua)
		a2 := h.dial(ua, "json", false) // the same user on a second device
		a2.ok()
		b := h.dial(ub, "protobuf", false)
		b.ok()
		sa, sb := []uuid.UUID{first}, sessionOf(t, h, ub)
		for _, s := range sessionsOf(h, ua) {
			if s != first {
				sa = append(sa, s)
			}
		}
		if len(sa) != 2 {
			t.Fatalf("user A sessions %v", sa)
		}
		subject := uuid.NewString()
		tr := h.tracker
		isStream := func(e *rtapi.Envelope) bool { return e.GetStreamPresenceEvent() != nil }

		// A joins: A sees its own join.
		if ok, err := tr.StreamUserJoin(9, subject, "", "lbl", ua.id.String(), sa[0].String(), false, true, "st"); err != nil || !ok {
			t.Fatalf("join: %v %v", ok, err)
		}
		ev := a.waitFor(isStream).GetStreamPresenceEvent()
		if ev.Stream.Mode != 9 || ev.Stream.Subject != subject || ev.Stream.Label != "lbl" || len(ev.Joins) != 1 || ev.Joins[0].SessionId != sa[0].String() || ev.Joins[0].Status.GetValue() != "st" || !ev.Joins[0].Persistence {
			t.Fatalf("self join %v", ev)
		}
		// The second device joins: both of A's sessions see it, as separate presences.
		if ok, _ := tr.StreamUserJoin(9, subject, "", "lbl", ua.id.String(), sa[1].String(), false, false, ""); !ok {
			t.Fatal("second join not new")
		}
		for _, c := range []*client{a, a2} {
			ev := c.waitFor(isStream).GetStreamPresenceEvent()
			if len(ev.Joins) != 1 || ev.Joins[0].SessionId != sa[1].String() {
				t.Fatalf("second device join %v", ev)
			}
		}
		// Joining again is not new and changes nothing.
		if ok, _ := tr.StreamUserJoin(9, subject, "", "lbl", ua.id.String(), sa[1].String(), true, false, ""); ok {
			t.Fatal("rejoin reported new")
		}
		// B joins hidden: no events anywhere; listed only with hidden ones.
		if ok, _ := tr.StreamUserJoin(9, subject, "", "lbl", ub.id.String(), sb.String(), true, false, ""); !ok {
			t.Fatal("hidden join not new")
		}
		if n, _ := tr.StreamCount(9, subject, "", "lbl"); n != 3 {
			t.Fatalf("count %d", n)
		}
		if l, _ := tr.StreamUserList(9, subject, "", "lbl", false, true); len(l) != 2 {
			t.Fatalf("visible %d", len(l))
		}
		if l, _ := tr.StreamUserList(9, subject, "", "lbl", true, false); len(l) != 1 || l[0].GetUserId() != ub.id.String() || !l[0].GetHidden() {
			t.Fatalf("hidden %v", l)
		}
		if m, _ := tr.StreamUserGet(9, subject, "", "lbl", ub.id.String(), sb.String()); m == nil || !m.GetHidden() || m.GetUsername() != ub.username {
			t.Fatalf("get %v", m)
		}

		// Data reaches everyone, hidden members included; or only the presences named.
		if err := tr.StreamSend(9, subject, "", "lbl", "hello", nil, true); err != nil {
			t.Fatal(err)
		}
		for _, c := range []*client{a, a2, b} {
			d := c.waitFor(func(e *rtapi.Envelope) bool { return e.GetStreamData() != nil }).GetStreamData()
			if d.Data != "hello" || d.Stream.Label != "lbl" || !d.Reliable {
				t.Fatalf("data %v", d)
			}
		}
		hidden, _ := tr.StreamUserList(9, subject, "", "lbl", true, false)
		if err := tr.StreamSendRaw(9, subject, "", "lbl", &rtapi.Envelope{Message: &rtapi.Envelope_StreamData{StreamData: &rtapi.StreamData{Data: "only b"}}}, hidden, false); err != nil {
			t.Fatal(err)
		}
		if d := b.waitFor(func(e *rtapi.Envelope) bool { return e.GetStreamData() != nil }).GetStreamData(); d.Data != "only b" {
			t.Fatalf("raw %v", d)
		}

		// Kick the second device: the first sees it leave.
		visible, _ := tr.StreamUserList(9, subject, "", "lbl", false, true)
		for _, p := range visible {
			if p.GetSessionId() == sa[1].String() {
				if err := tr.StreamUserKick(9, subject, "", "lbl", p); err != nil {
					t.Fatal(err)
				}
			}
		}
		ev = a.waitFor(isStream).GetStreamPresenceEvent()
		if len(ev.Leaves) != 1 || ev.Leaves[0].SessionId != sa[1].String() {
			t.Fatalf("kick %v", ev)
		}
		// Update announces leave of the old and join of the new.
		if err := tr.StreamUserUpdate(9, subject, "", "lbl", ua.id.String(), sa[0].String(), false, true, "new"); err != nil {
			t.Fatal(err)
		}
		ev = a.waitFor(isStream).GetStreamPresenceEvent()
		if len(ev.Joins) != 1 || ev.Joins[0].Status.GetValue() != "new" || len(ev.Leaves) != 1 || ev.Leaves[0].Status.GetValue() != "st" {
			t.Fatalf("update %v", ev)
		}
		if err := tr.StreamUserLeave(9, subject, "", "lbl", ub.id.String(), sb.String()); err != nil {
			t.Fatal(err)
		}
		if err := tr.StreamClose(9, subject, "", "lbl"); err != nil {
			t.Fatal(err)
		}
		if n, _ := tr.StreamCount(9, subject, "", "lbl"); n != 0 {
			t.Fatalf("count after close %d", n)
		}

		// Refusals.
		if _, err := tr.StreamUserJoin(9, "not-an-id", "", "", ua.id.String(), sa[0].String(), false, false, ""); err != presence.ErrStreamSubject {
			t.Fatalf("bad subject: %v", err)
		}
		if _, err := tr.StreamUserJoin(9, "", "", "", ua.id.String(), uuid.NewString(), false, false, ""); err != presence.ErrSessionNotFound {
			t.Fatalf("unknown session: %v", err)
		}
		if _, err := tr.StreamUserJoin(9, "", "", "", ub.id.String(), sa[0].String(), false, false, ""); err != presence.ErrSessionNotFound {
			t.Fatalf("someone else's session: %v", err)
		}
		if _, err := tr.StreamUserJoin(9, "", "", "", "x", sa[0].String(), false, false, ""); err != presence.ErrUserID {
			t.Fatalf("bad user: %v", err)
		}

		// Server-side disconnect.
		if err := tr.SessionDisconnect(context.Background(), sb.String(), runtime.PresenceReasonDisconnect); err != nil {
			t.Fatal(err)
		}
		b.closed()
		// A session that is not connected is not an error, as in Nakama.
		if err := tr.SessionDisconnect(context.Background(), uuid.NewString()); err != nil {
			t.Fatalf("disconnect unknown: %v", err)
		}
	})
}

func sessionsOf(h *harness, u user) []uuid.UUID {
	var out []uuid.UUID
	for _, p := range h.tracker.List(notificationStream(u), true, true) {
		out = append(out, p.SessionID)
	}
	return out
}

func TestLiveNotifications(t *testing.T) {
	each(t, func(t *testing.T, format string) {
		h := newHarness(t, harnessOptions{})
		ua, ub := h.user("na"), h.user("nb")
		a1 := h.dial(ua, format, false)
		a2 := h.dial(ua, "json", false)
		b := h.dial(ub, format, false)
		a1.ok()
		a2.ok()
		b.ok()
		isNote := func(e *rtapi.Envelope) bool { return e.GetNotifications() != nil }

		sendNotification(t, h, ua, "to a")
		for _, c := range []*client{a1, a2} {
			n := c.waitFor(isNote).GetNotifications().Notifications
			if len(n) != 1 || n[0].Subject != "to a" || n[0].Content != `{"a":1}` || n[0].Code != 1 || n[0].Id == "" || n[0].CreateTime == nil {
				t.Fatalf("notification %v", n)
			}
		}
		// A friend request makes a live notification for its target.
		if err := h.core.FriendsAdd(context.Background(), core.Caller{UserID: ub.id, Username: ub.username}, core.FriendTargets{IDs: []string{ua.id.String()}}, ""); err != nil {
			t.Fatal(err)
		}
		n := a1.waitFor(isNote).GetNotifications().Notifications
		if len(n) != 1 || n[0].Code != core.NotificationCodeFriendRequest || n[0].SenderId != ub.id.String() || !n[0].Persistent {
			t.Fatalf("friend request %v", n)
		}
		// Everyone.
		if err := h.core.NotificationSendAll(context.Background(), core.NotificationSend{Subject: "all", Code: 2}); err != nil {
			t.Fatal(err)
		}
		for _, c := range []*client{a1, a2, b} {
			c.waitFor(func(e *rtapi.Envelope) bool {
				return isNote(e) && e.GetNotifications().Notifications[0].Subject == "all"
			})
		}
	})
}

// TestLargeFanOut sends notifications to more sockets than one goroutine delivers to
// (Deliver shares such fan-outs across processors), in both formats at once: each socket
// gets each exactly once.
func TestLargeFanOut(t *testing.T) {
	h := newHarness(t, harnessOptions{})
	u := h.user("fan")
	clients := make([]*client, 600)
	for i := range clients {
		clients[i] = h.dial(u, []string{"json", "protobuf"}[i%2], false)
	}
	for _, c := range clients {
		c.ok() // every socket is registered before the notification goes out
	}
	// The second notification is what follows the first on every socket: none got a
	// copy twice.
	for _, subject := range []string{"first", "second"} {
		sendNotification(t, h, u, subject)
		for i, c := range clients {
			env := c.next()
			if n := env.GetNotifications().GetNotifications(); len(n) != 1 || n[0].Subject != subject {
				t.Fatalf("socket %d (%s) got %v, want %q", i, c.format, env, subject)
			}
		}
	}
}

func TestGroupMessagesReachGroupChannel(t *testing.T) {
	each(t, func(t *testing.T, format string) {
		h := newHarness(t, harnessOptions{})
		ua, ub := h.user("ga"), h.user("gb")
		a := h.dial(ua, format, false)
		a.ok()
		g, err := h.core.GroupCreate(context.Background(), ua.id, core.GroupCreateInput{Name: "g-" + uuid.NewString(), Open: true, MaxCount: 10})
		if err != nil {
			t.Fatal(err)
		}
		// What chat's channel_join will do for a group channel.
		h.tracker.Track(sessionOf(t, h, ua), ua.id, formatOf(format), presence.Stream{Mode: presence.ModeGroup, Subject: g.ID}, presence.Meta{Username: ua.username, Persistence: true})
		if err := h.core.GroupJoin(context.Background(), core.Caller{UserID: ub.id, Username: ub.username}, g.ID.String()); err != nil {
			t.Fatal(err)
		}
		m := a.waitFor(func(e *rtapi.Envelope) bool { return e.GetChannelMessage() != nil }).GetChannelMessage()
		if m.ChannelId != core.GroupChannelID(g.ID) || m.GroupId != g.ID.String() || m.Code.GetValue() != 3 || m.SenderId != ub.id.String() || m.Username != ub.username || !m.Persistent.GetValue() {
			t.Fatalf("group message %v", m)
		}
	})
}

func formatOf(f string) presence.Format {
	if f == "protobuf" {
		return presence.FormatProtobuf
	}
	return presence.FormatJSON
}
