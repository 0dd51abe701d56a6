package nk_test

import (
	"context"
	"database/sql"
	"fmt"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/gorilla/websocket"
	"github.com/heroiclabs/nakama-common/rtapi"
	"github.com/heroiclabs/nakama-common/runtime"
	"github.com/jackc/pgx/v5/stdlib"
	"google.golang.org/protobuf/encoding/protojson"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/types/known/wrapperspb"

	"github.com/hearth-server/hearth/core"
	"github.com/hearth-server/hearth/core/presence"
	"github.com/hearth-server/hearth/internal/dbtest"
	"github.com/hearth-server/hearth/nk"
	"github.com/hearth-server/hearth/realtime"
)

// The runtime's stream, status and session functions, driven as a module calls them,
// against real sockets of a real socket front door sharing the runtime's tracker.

// sockEnv is a runtime, a socket server and their shared tracker, wired as the server
// wires them.
type sockEnv struct {
	nk      runtime.NakamaModule
	core    *core.Core
	tracker *presence.Tracker
	srv     *realtime.Server
	url     string
}

func newSockEnv(t *testing.T) *sockEnv {
	t.Helper()
	log := newDiscardLogger()
	pool := dbtest.Pool(t)
	tracker := presence.New(log)
	t.Cleanup(tracker.Close)
	c := core.New(core.Options{
		Pool: pool, Log: log, BcryptCost: 4,
		Tokens: core.TokenOptions{
			EncryptionKey: []byte("test-session-key"), RefreshEncryptionKey: []byte("test-refresh-key"),
			TokenExpiry: time.Minute, RefreshTokenExpiry: time.Hour,
		},
		NotificationPush:   realtime.NotificationPusher(tracker),
		ChannelMessagePush: realtime.ChannelMessagePusher(tracker),
		Online:             tracker.UserOnline,
	})
	e := &sockEnv{core: c, tracker: tracker}
	rt, err := nk.New(context.Background(), nk.Options{
		Core: c, DB: stdlib.OpenDBFromPool(pool), Log: log, Node: "node-1", Path: t.TempDir(), Tracker: tracker,
		Modules: []nk.InitModule{func(ctx context.Context, logger runtime.Logger, db *sql.DB, n runtime.NakamaModule, init runtime.Initializer) error {
			e.nk = n
			return nil
		}},
	})
	if err != nil {
		t.Fatal(err)
	}
	rt.Start()
	t.Cleanup(func() { rt.Stop(context.Background()) })
	e.srv = realtime.New(realtime.Options{Core: c, Tracker: tracker, Runtime: rt, Config: realtime.DefaultConfig(), Log: log})
	hs := httptest.NewServer(e.srv)
	t.Cleanup(func() {
		e.srv.Close()
		hs.Close()
	})
	e.url = "ws" + strings.TrimPrefix(hs.URL, "http") + "/ws"
	return e
}

// sock is one connected socket of a user.
type sock struct {
	t        *testing.T
	conn     *websocket.Conn
	protobuf bool
	userID   string
	username string
	session  string
	cid      int
	tracker  *presence.Tracker
}

var sockSeq int

// connect makes a user and opens a socket for them; status asks to appear online.
func (e *sockEnv) connect(t *testing.T, format string, status bool) *sock {
	t.Helper()
	sockSeq++
	s, err := e.core.AuthenticateDevice(context.Background(), fmt.Sprintf("stream-device-%06d", sockSeq), core.AuthInput{Create: true, Username: fmt.Sprintf("streamer%06d", sockSeq)})
	if err != nil {
		t.Fatal(err)
	}
	return e.reconnect(t, s.UserID.String(), s.Username, s.Token, format, status)
}

func (e *sockEnv) reconnect(t *testing.T, userID, username, token, format string, status bool) *sock {
	t.Helper()
	before := e.sessions(t, userID)
	q := url.Values{"token": {token}, "format": {format}, "status": {fmt.Sprint(status)}}
	conn, _, err := websocket.DefaultDialer.Dial(e.url+"?"+q.Encode(), nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = conn.Close() })
	c := &sock{t: t, conn: conn, protobuf: format == "protobuf", userID: userID, username: username, tracker: e.tracker}
	c.ok()
	// The new session is the one on the user's notification stream that was not there.
	for sid := range e.sessions(t, userID) {
		if !before[sid] {
			c.session = sid
		}
	}
	if c.session == "" {
		t.Fatal("no session found")
	}
	return c
}

func (e *sockEnv) sessions(t *testing.T, userID string) map[string]bool {
	t.Helper()
	ps, err := e.nk.StreamUserList(presence.ModeNotifications, userID, "", "", true, true)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]bool{}
	for _, p := range ps {
		out[p.GetSessionId()] = true
	}
	return out
}

func (c *sock) send(env *rtapi.Envelope) string {
	c.t.Helper()
	c.cid++
	env.Cid = fmt.Sprint(c.cid)
	var b []byte
	var err error
	typ := websocket.TextMessage
	if c.protobuf {
		b, err = proto.Marshal(env)
		typ = websocket.BinaryMessage
	} else {
		b, err = protojson.Marshal(env)
	}
	if err == nil {
		err = c.conn.WriteMessage(typ, b)
	}
	if err != nil {
		c.t.Fatal(err)
	}
	return env.Cid
}

func (c *sock) read() (*rtapi.Envelope, error) {
	_ = c.conn.SetReadDeadline(time.Now().Add(5 * time.Second))
	_, data, err := c.conn.ReadMessage()
	if err != nil {
		return nil, err
	}
	env := &rtapi.Envelope{}
	if c.protobuf {
		return env, proto.Unmarshal(data, env)
	}
	return env, protojson.Unmarshal(data, env)
}

// waitFor reads until match accepts an envelope.
func (c *sock) waitFor(match func(*rtapi.Envelope) bool) *rtapi.Envelope {
	c.t.Helper()
	for {
		env, err := c.read()
		if err != nil {
			c.t.Fatalf("read: %v", err)
		}
		if match(env) {
			return env
		}
	}
}

// ok pings and reads through the pong, dropping what came before it.
func (c *sock) ok() {
	c.t.Helper()
	cid := c.send(&rtapi.Envelope{Message: &rtapi.Envelope_Ping{Ping: &rtapi.Ping{}}})
	c.waitFor(func(e *rtapi.Envelope) bool { return e.Cid == cid })
}

// noneBefore pings and fails if anything matching arrives before the pong: a push made
// earlier (presence events flushed first) is queued before the pong.
func (c *sock) noneBefore(match func(*rtapi.Envelope) bool) {
	c.t.Helper()
	c.tracker.Flush()
	cid := c.send(&rtapi.Envelope{Message: &rtapi.Envelope_Ping{Ping: &rtapi.Ping{}}})
	c.waitFor(func(e *rtapi.Envelope) bool {
		if e.Cid != cid && match(e) {
			c.t.Fatalf("unexpected envelope %v", e)
		}
		return e.Cid == cid
	})
}

// closed waits for the server to close the socket.
func (c *sock) closed() {
	c.t.Helper()
	for {
		if _, err := c.read(); err != nil {
			if ne, ok := err.(interface{ Timeout() bool }); ok && ne.Timeout() {
				c.t.Fatal("socket stayed open")
			}
			return
		}
	}
}

func (c *sock) presence() runtime.Presence {
	return presence.Presence{SessionID: uuid.MustParse(c.session), UserID: uuid.MustParse(c.userID)}
}

func isStreamEvent(e *rtapi.Envelope) bool { return e.GetStreamPresenceEvent() != nil }
func isStreamData(e *rtapi.Envelope) bool  { return e.GetStreamData() != nil }

// wantErrorText asserts a plain argument error with Nakama's text.
func wantErrorText(t *testing.T, err error, text string) {
	t.Helper()
	wantArgError(t, err)
	if err.Error() != text {
		t.Fatalf("error %q, want %q", err, text)
	}
}

func TestStreamArgumentRefusals(t *testing.T) {
	e := newSockEnv(t)
	n := e.nk
	s := e.connect(t, "json", false)
	u, sid := s.userID, s.session
	const (
		subject    = "stream subject must be a valid identifier"
		subcontext = "stream subcontext must be a valid identifier"
		userID     = "expects valid user id"
		sessionID  = "expects valid session id"
		noSession  = "session not found"
	)
	badPresence := fakePresence{user: badID, session: sid}
	for _, tc := range []struct {
		name string
		err  error
		want string
	}{
		{"list subject", errOf(n.StreamUserList(9, badID, "", "", true, true)), subject},
		{"list subcontext", errOf(n.StreamUserList(9, "", badID, "", true, true)), subcontext},
		{"get user", errOf(n.StreamUserGet(9, "", "", "", badID, sid)), userID},
		{"get session", errOf(n.StreamUserGet(9, "", "", "", u, badID)), sessionID},
		{"get subject", errOf(n.StreamUserGet(9, badID, "", "", u, sid)), subject},
		{"join user", errOf(n.StreamUserJoin(9, "", "", "", badID, sid, false, false, "")), userID},
		{"join session", errOf(n.StreamUserJoin(9, "", "", "", u, badID, false, false, "")), sessionID},
		{"join subject", errOf(n.StreamUserJoin(9, badID, "", "", u, sid, false, false, "")), subject},
		{"join subcontext", errOf(n.StreamUserJoin(9, "", badID, "", u, sid, false, false, "")), subcontext},
		{"join unknown session", errOf(n.StreamUserJoin(9, "", "", "", u, uuid.NewString(), false, false, "")), noSession},
		{"join someone else's session", errOf(n.StreamUserJoin(9, "", "", "", unknownID, sid, false, false, "")), noSession},
		{"update user", n.StreamUserUpdate(9, "", "", "", badID, sid, false, false, ""), userID},
		{"update session", n.StreamUserUpdate(9, "", "", "", u, badID, false, false, ""), sessionID},
		{"update subject", n.StreamUserUpdate(9, badID, "", "", u, sid, false, false, ""), subject},
		{"update unknown session", n.StreamUserUpdate(9, "", "", "", u, uuid.NewString(), false, false, ""), noSession},
		{"leave user", n.StreamUserLeave(9, "", "", "", badID, sid), userID},
		{"leave session", n.StreamUserLeave(9, "", "", "", u, badID), sessionID},
		{"leave subject", n.StreamUserLeave(9, badID, "", "", u, sid), subject},
		{"kick nil", n.StreamUserKick(9, "", "", "", nil), "expects a valid presence"},
		{"kick user", n.StreamUserKick(9, "", "", "", badPresence), userID},
		{"kick subject", n.StreamUserKick(9, badID, "", "", s.presence()), subject},
		{"count subject", errOf(n.StreamCount(9, badID, "", "")), subject},
		{"count subcontext", errOf(n.StreamCount(9, "", badID, "")), subcontext},
		{"close subject", n.StreamClose(9, badID, "", ""), subject},
		{"send subject", n.StreamSend(9, badID, "", "", "d", nil, true), subject},
		{"send presence", n.StreamSend(9, "", "", "", "d", []runtime.Presence{fakePresence{user: u, session: badID}}, true), "expects each presence session id to be a valid identifier"},
		{"send raw subject before message", n.StreamSendRaw(9, badID, "", "", nil, nil, true), subject},
		{"send raw nil", n.StreamSendRaw(9, "", "", "", nil, nil, true), "expects a valid message"},
		{"send raw empty", n.StreamSendRaw(9, "", "", "", &rtapi.Envelope{}, nil, true), "expects a valid message"},
		{"send raw presence", n.StreamSendRaw(9, "", "", "", &rtapi.Envelope{Message: &rtapi.Envelope_Pong{}}, []runtime.Presence{fakePresence{session: ""}}, true), "expects each presence session id to be a valid identifier"},
		{"follow session", n.StatusFollow(badID, []string{u}), sessionID},
		{"follow user", n.StatusFollow(sid, []string{badID}), userID},
		{"follow nil user", n.StatusFollow(sid, []string{uuid.Nil.String()}), userID},
		{"follow unknown session", n.StatusFollow(uuid.NewString(), []string{u}), noSession},
		{"unfollow session", n.StatusUnfollow(badID, []string{u}), sessionID},
		{"unfollow user", n.StatusUnfollow(sid, []string{badID}), userID},
		{"disconnect session", n.SessionDisconnect(ctx, badID), sessionID},
	} {
		t.Run(tc.name, func(t *testing.T) { wantErrorText(t, tc.err, tc.want) })
	}
	// Not errors: unknown sessions where Nakama ignores them.
	must(t, n.SessionDisconnect(ctx, uuid.NewString()))
	must(t, n.StreamUserLeave(9, "", "", "", u, uuid.NewString()))
	must(t, n.StatusUnfollow(uuid.NewString(), []string{u}))
	if m, err := n.StreamUserGet(9, "", "", "", u, sid); m != nil || err != nil {
		t.Fatalf("get of no presence: %v %v", m, err)
	}
	// A presence is named by session and user together: leaving or kicking with another
	// user's id leaves it on the stream, as in Nakama.
	if _, err := n.StreamUserJoin(9, "", "", "owned", u, sid, false, false, ""); err != nil {
		t.Fatal(err)
	}
	must(t, n.StreamUserLeave(9, "", "", "owned", unknownID, sid))
	must(t, n.StreamUserKick(9, "", "", "owned", fakePresence{user: unknownID, session: sid}))
	if c, _ := n.StreamCount(9, "", "", "owned"); c != 1 {
		t.Fatalf("presence count after another user's leave %d", c)
	}
	must(t, n.StreamUserLeave(9, "", "", "owned", u, sid))
	if c, _ := n.StreamCount(9, "", "", "owned"); c != 0 {
		t.Fatalf("presence count after own leave %d", c)
	}
	s.ok() // the socket is untouched
}

// fakePresence is a presence a module builds by hand.
type fakePresence struct {
	runtime.Presence
	user, session string
}

func (p fakePresence) GetUserId() string    { return p.user }
func (p fakePresence) GetSessionId() string { return p.session }

func errOf[A any](_ A, err error) error { return err }

func TestStreamFunctions(t *testing.T) {
	for _, format := range []string{"json", "protobuf"} {
		t.Run(format, func(t *testing.T) {
			e := newSockEnv(t)
			n := e.nk
			a, b, c := e.connect(t, format, false), e.connect(t, format, false), e.connect(t, "json", false)
			subject, sub, label := uuid.NewString(), uuid.NewString(), "room"
			const mode = 42

			// A joins: new, and A hears its own join with the presence's fields.
			if ok, err := n.StreamUserJoin(mode, subject, sub, label, a.userID, a.session, false, true, "playing"); err != nil || !ok {
				t.Fatalf("join: %v %v", ok, err)
			}
			ev := a.waitFor(isStreamEvent).GetStreamPresenceEvent()
			if s := ev.Stream; s.Mode != mode || s.Subject != subject || s.Subcontext != sub || s.Label != label {
				t.Fatalf("event stream %v", s)
			}
			if len(ev.Joins) != 1 || ev.Joins[0].SessionId != a.session || ev.Joins[0].UserId != a.userID || ev.Joins[0].Username != a.username ||
				!ev.Joins[0].Persistence || ev.Joins[0].Status.GetValue() != "playing" {
				t.Fatalf("join event %v", ev)
			}
			if ok, err := n.StreamUserJoin(mode, subject, sub, label, a.userID, a.session, true, false, "other"); err != nil || ok {
				t.Fatalf("second join: %v %v", ok, err)
			}
			meta, err := n.StreamUserGet(mode, subject, sub, label, a.userID, a.session)
			if err != nil || meta == nil || meta.GetHidden() || !meta.GetPersistence() || meta.GetStatus() != "playing" || meta.GetUsername() != a.username {
				t.Fatalf("get: %v %v", meta, err)
			}
			if meta, err := n.StreamUserGet(mode, subject, sub, label, b.userID, a.session); meta != nil || err != nil {
				t.Fatalf("get with the wrong user: %v %v", meta, err)
			}

			// Update tracks a session that is not there yet (B, hidden: no event), and
			// changes one that is (A: a leave of the old and a join of the new).
			must(t, n.StreamUserUpdate(mode, subject, sub, label, b.userID, b.session, true, false, ""))
			must(t, n.StreamUserUpdate(mode, subject, sub, label, a.userID, a.session, false, true, "won"))
			ev = a.waitFor(isStreamEvent).GetStreamPresenceEvent()
			if len(ev.Leaves) != 1 || ev.Leaves[0].Status.GetValue() != "playing" || len(ev.Joins) != 1 || ev.Joins[0].Status.GetValue() != "won" {
				t.Fatalf("update event %v", ev)
			}
			if count, err := n.StreamCount(mode, subject, sub, label); err != nil || count != 2 {
				t.Fatalf("count %d %v", count, err)
			}
			all, _ := n.StreamUserList(mode, subject, sub, label, true, true)
			visible, _ := n.StreamUserList(mode, subject, sub, label, false, true)
			hidden, _ := n.StreamUserList(mode, subject, sub, label, true, false)
			if len(all) != 2 || len(visible) != 1 || visible[0].GetSessionId() != a.session || len(hidden) != 1 || hidden[0].GetUserId() != b.userID ||
				!hidden[0].GetHidden() || hidden[0].GetNodeId() == "" {
				t.Fatalf("lists all=%v visible=%v hidden=%v", all, visible, hidden)
			}
			if none, _ := n.StreamUserList(mode, subject, sub, label, false, false); len(none) != 0 {
				t.Fatalf("list of neither %v", none)
			}

			// Data: nil or empty presences reach every member, hidden ones included; named
			// presences reach those sessions, members or not, as in Nakama.
			for i, to := range [][]runtime.Presence{nil, {}} {
				data := fmt.Sprintf("all-%d", i)
				must(t, n.StreamSend(mode, subject, sub, label, data, to, true))
				for _, s := range []*sock{a, b} {
					d := s.waitFor(isStreamData).GetStreamData()
					if d.Data != data || !d.Reliable || d.Stream.Mode != mode || d.Stream.Subject != subject || d.Stream.Label != label || d.Sender != nil {
						t.Fatalf("data %v", d)
					}
				}
			}
			c.noneBefore(isStreamData)
			must(t, n.StreamSend(mode, subject, sub, label, "to b and c", []runtime.Presence{b.presence(), fakePresence{session: c.session}}, false))
			for _, s := range []*sock{b, c} {
				if d := s.waitFor(isStreamData).GetStreamData(); d.Data != "to b and c" || d.Reliable {
					t.Fatalf("targeted data %v", d)
				}
			}
			a.noneBefore(isStreamData)
			raw := &rtapi.Envelope{Message: &rtapi.Envelope_StatusPresenceEvent{StatusPresenceEvent: &rtapi.StatusPresenceEvent{
				Joins: []*rtapi.UserPresence{{UserId: a.userID, SessionId: a.session, Status: wrapperspb.String("raw")}},
			}}}
			must(t, n.StreamSendRaw(mode, subject, sub, label, raw, nil, true))
			for _, s := range []*sock{a, b} {
				if ev := s.waitFor(func(e *rtapi.Envelope) bool { return e.GetStatusPresenceEvent() != nil }).GetStatusPresenceEvent(); ev.Joins[0].Status.GetValue() != "raw" {
					t.Fatalf("raw %v", ev)
				}
			}
			must(t, n.StreamSendRaw(mode, subject, sub, label, &rtapi.Envelope{Message: &rtapi.Envelope_StreamData{StreamData: &rtapi.StreamData{Data: "raw to a"}}}, []runtime.Presence{a.presence()}, true))
			if d := a.waitFor(isStreamData).GetStreamData(); d.Data != "raw to a" {
				t.Fatalf("raw to a %v", d)
			}
			b.noneBefore(isStreamData)

			// C joins visibly; kicking C and B's leave: A hears C go (B was hidden).
			if ok, _ := n.StreamUserJoin(mode, subject, sub, label, c.userID, c.session, false, false, ""); !ok {
				t.Fatal("C's join not new")
			}
			a.waitFor(isStreamEvent)
			for _, p := range mustList(t, n, mode, subject, sub, label) {
				if p.GetSessionId() == c.session {
					must(t, n.StreamUserKick(mode, subject, sub, label, p))
				}
			}
			if ev := a.waitFor(isStreamEvent).GetStreamPresenceEvent(); len(ev.Leaves) != 1 || ev.Leaves[0].SessionId != c.session {
				t.Fatalf("kick event %v", ev)
			}
			must(t, n.StreamUserLeave(mode, subject, sub, label, b.userID, b.session))
			if count, _ := n.StreamCount(mode, subject, sub, label); count != 1 {
				t.Fatalf("count after kick and leave %d", count)
			}
			a.noneBefore(isStreamEvent)

			// Close takes everyone off; data to the stream then reaches nobody.
			must(t, n.StreamClose(mode, subject, sub, label))
			if count, _ := n.StreamCount(mode, subject, sub, label); count != 0 {
				t.Fatalf("count after close %d", count)
			}
			must(t, n.StreamSend(mode, subject, sub, label, "after close", nil, true))
			a.noneBefore(isStreamData)
			// The socket's own presences are not touched by closing another stream.
			if len(e.sessions(t, a.userID)) != 1 {
				t.Fatal("notification presence lost")
			}
		})
	}
}

func mustList(t *testing.T, n runtime.NakamaModule, mode uint8, subject, sub, label string) []runtime.Presence {
	t.Helper()
	ps, err := n.StreamUserList(mode, subject, sub, label, true, true)
	if err != nil {
		t.Fatal(err)
	}
	return ps
}

func TestStatusFollowAndDisconnect(t *testing.T) {
	for _, format := range []string{"json", "protobuf"} {
		t.Run(format, func(t *testing.T) {
			e := newSockEnv(t)
			n := e.nk
			a, b := e.connect(t, format, false), e.connect(t, format, true)
			statusOf := func(s *sock, userID string) func(*rtapi.Envelope) bool {
				return func(env *rtapi.Envelope) bool {
					ev := env.GetStatusPresenceEvent()
					for _, p := range append(append([]*rtapi.UserPresence{}, ev.GetJoins()...), ev.GetLeaves()...) {
						if p.UserId == userID {
							return true
						}
					}
					return false
				}
			}
			statusUpdate := func(s *sock, status string) {
				t.Helper()
				cid := s.send(&rtapi.Envelope{Message: &rtapi.Envelope_StatusUpdate{StatusUpdate: &rtapi.StatusUpdate{Status: wrapperspb.String(status)}}})
				s.waitFor(func(e *rtapi.Envelope) bool { return e.Cid == cid })
			}

			// The module makes A's session follow B: A hears B's status changes.
			must(t, n.StatusFollow(a.session, []string{b.userID}))
			statusUpdate(b, "busy")
			ev := a.waitFor(statusOf(a, b.userID)).GetStatusPresenceEvent()
			if len(ev.Joins) != 1 || ev.Joins[0].Status.GetValue() != "busy" || ev.Joins[0].SessionId != b.session {
				t.Fatalf("followed status %v", ev)
			}
			// Unfollowed, A hears nothing more.
			must(t, n.StatusUnfollow(a.session, []string{b.userID}))
			statusUpdate(b, "away")
			a.noneBefore(statusOf(a, b.userID))
			// Following nobody is fine.
			must(t, n.StatusFollow(a.session, nil))

			// A server-side disconnect closes B's socket; A, following again, hears B go.
			must(t, n.StatusFollow(a.session, []string{b.userID}))
			must(t, n.SessionDisconnect(ctx, b.session, runtime.PresenceReasonDisconnect))
			b.closed()
			ev = a.waitFor(statusOf(a, b.userID)).GetStatusPresenceEvent()
			if len(ev.Leaves) != 1 || ev.Leaves[0].SessionId != b.session {
				t.Fatalf("disconnect status %v", ev)
			}
			// The closed session can be neither followed from nor joined to a stream.
			waitGone(t, e, b)
			wantErrorText(t, n.StatusFollow(b.session, []string{a.userID}), "session not found")
			wantErrorText(t, errOf(n.StreamUserJoin(7, "", "", "x", b.userID, b.session, false, false, "")), "session not found")
		})
	}
}

// waitGone waits until a closed socket's session has been untracked.
func waitGone(t *testing.T, e *sockEnv, s *sock) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for e.sessions(t, s.userID)[s.session] {
		if time.Now().After(deadline) {
			t.Fatal("session never untracked")
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// TestStreamJoinWhileSessionCloses races StreamUserJoin and StatusFollow against real
// sockets closing: whatever the interleaving, once the session is gone it holds no
// presence. The window is narrow, so this is the end-to-end check of the invariant;
// core/presence's TestStreamUserJoinWhileSessionCloses forces the interleaving.
func TestStreamJoinWhileSessionCloses(t *testing.T) {
	e := newSockEnv(t)
	n := e.nk
	for i := 0; i < 20; i++ {
		s := e.connect(t, "protobuf", false)
		label := fmt.Sprint("race-", i)
		var wg sync.WaitGroup
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				_, err := n.StreamUserJoin(7, "", "", label, s.userID, s.session, false, false, "")
				_ = n.StatusFollow(s.session, []string{s.userID})
				if err != nil {
					return
				}
				// Leave again so every round tracks anew.
				_ = n.StreamUserLeave(7, "", "", label, s.userID, s.session)
			}
		}()
		_ = s.conn.Close()
		wg.Wait()
		waitGone(t, e, s)
		if ps := mustList(t, n, 7, "", "", label); len(ps) != 0 {
			t.Fatalf("round %d: presences outlived their session: %v", i, ps)
		}
		if streams := e.tracker.SessionStreams(uuid.MustParse(s.session)); len(streams) != 0 {
			t.Fatalf("round %d: session still on %v", i, streams)
		}
	}
}
