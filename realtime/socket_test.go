package realtime_test

import (
	"context"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/gorilla/websocket"
	"github.com/heroiclabs/nakama-common/api"
	"github.com/heroiclabs/nakama-common/rtapi"
	"google.golang.org/protobuf/proto"

	"github.com/hearth-server/hearth/core"
	"github.com/hearth-server/hearth/hooks"
	"github.com/hearth-server/hearth/realtime"
)

func TestUpgradeRefusals(t *testing.T) {
	h := newHarness(t, harnessOptions{})
	u := h.user("up")
	// A core whose clock is two hours behind issues a session that expired long ago.
	past := core.New(core.Options{Pool: h.pool, Tokens: testTokens, BcryptCost: 4, Now: func() time.Time { return time.Now().Add(-2 * time.Hour) }})
	old, err := past.AuthenticateDevice(context.Background(), "expired-device-id", core.AuthInput{Create: true})
	if err != nil {
		t.Fatal(err)
	}
	expired := old.Token
	cases := []struct {
		name, query string
		status      int
		body        string
	}{
		{"bad format", url.Values{"token": {u.token}, "format": {"xml"}}.Encode(), 400, "Invalid format parameter\n"},
		{"no token", "", 401, "Missing or invalid token\n"},
		{"forged token", "token=abc.def.ghi", 401, "Missing or invalid token\n"},
		{"expired token", "token=" + expired, 401, "Missing or invalid token\n"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			status, body := statusCode(t, h.url(tc.query))
			if status != tc.status || body != tc.body {
				t.Fatalf("got %d %q, want %d %q", status, body, tc.status, tc.body)
			}
		})
	}
	t.Run("bearer header", func(t *testing.T) {
		conn, _, err := websocket.DefaultDialer.Dial(h.url(""), map[string][]string{"Authorization": {"Bearer " + u.token}})
		if err != nil {
			t.Fatal(err)
		}
		conn.Close()
		status, _ := func() (int, string) {
			_, resp, err := websocket.DefaultDialer.Dial(h.url("token="+u.token), map[string][]string{"Authorization": {"Basic xyz"}})
			if err == nil {
				t.Fatal("dial with a non-bearer header succeeded")
			}
			return resp.StatusCode, ""
		}()
		if status != 401 {
			t.Fatalf("non-bearer header: %d", status)
		}
	})
}

func TestPingAndErrors(t *testing.T) {
	each(t, func(t *testing.T, format string) {
		h := newHarness(t, harnessOptions{})
		c := h.dial(h.user("p"), format, false)

		env := c.call(ping())
		if env.GetPong() == nil {
			t.Fatalf("want pong, got %v", env)
		}

		// No message at all.
		wantError(t, c.call(&rtapi.Envelope{}), rtapi.Error_MISSING_PAYLOAD, "Missing message.")
		// A message the server has no handler for.
		wantError(t, c.call(&rtapi.Envelope{Message: &rtapi.Envelope_MatchCreate{MatchCreate: &rtapi.MatchCreate{}}}), rtapi.Error_UNRECOGNIZED_PAYLOAD, "Unrecognized message.")
		// A reply-less server message sent by the client is unknown too.
		wantError(t, c.call(&rtapi.Envelope{Message: &rtapi.Envelope_Pong{Pong: &rtapi.Pong{}}}), rtapi.Error_UNRECOGNIZED_PAYLOAD, "Unrecognized message.")

		// Malformed frames: the cid is salvaged where it can be.
		if format == "json" {
			c.writeRaw(websocket.TextMessage, []byte(`{"cid":"m1","ping":{},"bogus":1}`))
			wantError(t, c.reply("m1"), rtapi.Error_UNRECOGNIZED_PAYLOAD, "Received malformed payload.")
			c.writeRaw(websocket.TextMessage, []byte(`{"cid":`))
			wantError(t, c.next(), rtapi.Error_UNRECOGNIZED_PAYLOAD, "Received malformed payload.")
			c.writeRaw(websocket.BinaryMessage, []byte(`{"cid":"m2","ping":{}}`))
			wantError(t, c.reply("m2"), rtapi.Error_UNRECOGNIZED_PAYLOAD, "Received unexpected WebSocket message type.")
		} else {
			b, _ := proto.Marshal(&rtapi.Envelope{Cid: "m1"})
			c.writeRaw(websocket.BinaryMessage, append(b, 0xff, 0xff, 0xff))
			wantError(t, c.reply("m1"), rtapi.Error_UNRECOGNIZED_PAYLOAD, "Received malformed payload.")
			c.writeRaw(websocket.TextMessage, []byte("hello"))
			wantError(t, c.next(), rtapi.Error_UNRECOGNIZED_PAYLOAD, "Received unexpected WebSocket message type.")
		}

		// Oversized: refused, drained, and the socket stays usable.
		c.send(&rtapi.Envelope{Message: &rtapi.Envelope_Rpc{Rpc: &api.Rpc{Id: "x", Payload: strings.Repeat("a", 5000)}}})
		wantError(t, c.next(), rtapi.Error_BAD_INPUT, "Message exceeds the maximum size.")

		// Bad input inside a known message.
		wantError(t, c.call(&rtapi.Envelope{Message: &rtapi.Envelope_Rpc{Rpc: &api.Rpc{}}}), rtapi.Error_BAD_INPUT, "RPC ID must be set")
		// No runtime loaded: every RPC is unknown.
		wantError(t, c.call(&rtapi.Envelope{Message: &rtapi.Envelope_Rpc{Rpc: &api.Rpc{Id: "nope"}}}), rtapi.Error_RUNTIME_FUNCTION_NOT_FOUND, "RPC function not found")

		c.ok()
	})
}

// fakeRuntime records hook calls and answers RPCs from a table.
type fakeRuntime struct {
	mu     sync.Mutex
	calls  []string
	before func(in *rtapi.Envelope) (*rtapi.Envelope, error)
	ended  chan string
}

func (f *fakeRuntime) record(s string) {
	f.mu.Lock()
	f.calls = append(f.calls, s)
	f.mu.Unlock()
}

func (f *fakeRuntime) RPC(_ context.Context, r hooks.Request, id, payload string) (string, error) {
	f.record("rpc " + id)
	switch id {
	case "echo":
		return r.UserID + ":" + payload, nil
	case "fail":
		return "", &core.Error{Code: core.CodeInvalidArgument, Message: "bad echo"}
	}
	return "", hooks.ErrRPCNotFound
}

func (f *fakeRuntime) BeforeRt(_ context.Context, _ hooks.Request, in *rtapi.Envelope) (*rtapi.Envelope, error) {
	f.record("before")
	f.mu.Lock()
	before := f.before
	f.mu.Unlock()
	if before != nil {
		return before(in)
	}
	return in, nil
}

func (f *fakeRuntime) AfterRt(_ context.Context, _ hooks.Request, in, out *rtapi.Envelope) {
	f.record("after")
}

func (f *fakeRuntime) SessionStart(context.Context, hooks.Request) { f.record("start") }
func (f *fakeRuntime) SessionEnd(_ context.Context, _ hooks.Request, reason string) {
	f.record("end")
	f.ended <- reason
}

func (f *fakeRuntime) setBefore(fn func(in *rtapi.Envelope) (*rtapi.Envelope, error)) {
	f.mu.Lock()
	f.before = fn
	f.mu.Unlock()
}

func (f *fakeRuntime) log() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]string(nil), f.calls...)
}

func TestRPCAndHooks(t *testing.T) {
	each(t, func(t *testing.T, format string) {
		rt := &fakeRuntime{ended: make(chan string, 1)}
		h := newHarness(t, harnessOptions{runtime: rt})
		u := h.user("rpc")
		c := h.dial(u, format, false)

		env := c.call(&rtapi.Envelope{Message: &rtapi.Envelope_Rpc{Rpc: &api.Rpc{Id: "ECHO", Payload: "{}"}}})
		if got := env.GetRpc(); got.GetId() != "ECHO" || got.GetPayload() != u.id.String()+":{}" {
			t.Fatalf("rpc reply %v", env)
		}
		wantError(t, c.call(&rtapi.Envelope{Message: &rtapi.Envelope_Rpc{Rpc: &api.Rpc{Id: "fail"}}}), rtapi.Error_RUNTIME_FUNCTION_EXCEPTION, "bad echo")
		wantError(t, c.call(&rtapi.Envelope{Message: &rtapi.Envelope_Rpc{Rpc: &api.Rpc{Id: "missing"}}}), rtapi.Error_RUNTIME_FUNCTION_NOT_FOUND, "RPC function not found")

		c.ok()
		rt.setBefore(func(in *rtapi.Envelope) (*rtapi.Envelope, error) {
			return nil, &core.Error{Code: core.CodeInvalidArgument, Message: "not now"}
		})
		wantError(t, c.call(ping()), rtapi.Error_RUNTIME_FUNCTION_EXCEPTION, "not now")
		rt.setBefore(func(in *rtapi.Envelope) (*rtapi.Envelope, error) { return nil, nil })
		wantError(t, c.call(ping()), rtapi.Error_UNRECOGNIZED_PAYLOAD, "Requested resource was not found.")
		rt.setBefore(nil)

		_ = c.conn.Close()
		select {
		case <-rt.ended:
		case <-time.After(5 * time.Second):
			t.Fatal("no session end")
		}
		want := []string{"start", "rpc echo", "rpc fail", "rpc missing", "before", "after", "before", "before", "end"}
		if got := rt.log(); strings.Join(got, ",") != strings.Join(want, ",") {
			t.Fatalf("hook calls %v, want %v", got, want)
		}
	})
}

func TestSlowConsumerIsDisconnected(t *testing.T) {
	cfg := realtime.DefaultConfig()
	cfg.OutgoingQueueSize = 4
	h := newHarness(t, harnessOptions{cfg: &cfg})
	slowUser, fastUser := h.user("slow"), h.user("fast")
	slow := h.dial(slowUser, "json", false)
	fast := h.dial(fastUser, "json", false)
	slow.ok()
	fast.ok()

	// The slow client stops reading; pushes pile up past its queue and its socket
	// buffers, so the server drops it. The fast client keeps receiving.
	payload := strings.Repeat("x", 60000)
	deadline := time.Now().Add(10 * time.Second)
	for h.srv.Session(sessionOf(t, h, slowUser)) != nil {
		if time.Now().After(deadline) {
			t.Fatal("slow client never disconnected")
		}
		if err := h.core.NotificationSend(context.Background(), core.NotificationSend{UserID: slowUser.id, Subject: "big", Content: map[string]any{"p": payload}}); err != nil {
			t.Fatal(err)
		}
	}
	sendNotification(t, h, fastUser, "hi")
	fast.waitFor(func(e *rtapi.Envelope) bool { return e.GetNotifications() != nil })
	fast.ok()
}

func TestSingleSocket(t *testing.T) {
	cfg := realtime.DefaultConfig()
	cfg.SingleSocket = true
	h := newHarness(t, harnessOptions{cfg: &cfg})
	u := h.user("single")
	first := h.dial(u, "json", true)
	first.ok()
	second := h.dial(u, "protobuf", true)
	second.ok()
	env := first.waitFor(func(e *rtapi.Envelope) bool { return e.GetNotifications() != nil })
	n := env.GetNotifications().Notifications[0]
	if n.Code != core.NotificationCodeSingleSocket || n.Subject != "single_socket" {
		t.Fatalf("notification %v", n)
	}
	first.closed()
	second.ok()
}

func sessionOf(t testing.TB, h *harness, u user) uuid.UUID {
	t.Helper()
	for _, p := range h.tracker.List(notificationStream(u), true, true) {
		return p.SessionID
	}
	return uuid.Nil
}
