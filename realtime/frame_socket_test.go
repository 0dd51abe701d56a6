package realtime_test

import (
	"context"
	"errors"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gorilla/websocket"
	"github.com/heroiclabs/nakama-common/rtapi"
	"github.com/heroiclabs/nakama-common/runtime"

	"github.com/hearth-server/hearth/core"
	"github.com/hearth-server/hearth/realtime"
)

// The session writes its own frames (frame.go); these tests read them with gorilla's
// client, which checks them as RFC 6455 requires.

func TestServerPingsKeepAnsweringClientsAlive(t *testing.T) {
	cfg := realtime.DefaultConfig()
	cfg.PingPeriod, cfg.PongWait = 50*time.Millisecond, 300*time.Millisecond
	h := newHarness(t, harnessOptions{cfg: &cfg})
	c := h.dial(h.user("alive"), "json", false)
	var pings atomic.Int32
	c.conn.SetPingHandler(func(data string) error {
		pings.Add(1)
		return c.conn.WriteControl(websocket.PongMessage, []byte(data), time.Now().Add(time.Second))
	})
	for end := time.Now().Add(time.Second); time.Now().Before(end); {
		c.ok() // reading runs the ping handler
		time.Sleep(20 * time.Millisecond)
	}
	if n := pings.Load(); n < 5 {
		t.Fatalf("%d server pings in a second at a 50 ms period", n)
	}
}

func TestSilentClientIsDisconnected(t *testing.T) {
	cfg := realtime.DefaultConfig()
	cfg.PingPeriod, cfg.PongWait = 50*time.Millisecond, 300*time.Millisecond
	h := newHarness(t, harnessOptions{cfg: &cfg})
	c := h.dial(h.user("silent"), "json", false)
	c.conn.SetPingHandler(func(string) error { return nil }) // never answers
	start := time.Now()
	for time.Since(start) < 5*time.Second {
		c.send(ping())
		if _, err := c.read(time.Second); err != nil {
			if waited := time.Since(start); waited < cfg.PongWait {
				t.Fatalf("closed after %v, before the pong wait", waited)
			}
			return
		}
	}
	t.Fatal("a client that never answers pings stayed connected")
}

func TestClientPingGetsPong(t *testing.T) {
	h := newHarness(t, harnessOptions{})
	c := h.dial(h.user("pinger"), "protobuf", false)
	got := make(chan string, 1)
	c.conn.SetPongHandler(func(data string) error { got <- data; return nil })
	if err := c.conn.WriteControl(websocket.PingMessage, []byte("are you there"), time.Now().Add(time.Second)); err != nil {
		t.Fatal(err)
	}
	c.ok()
	select {
	case data := <-got:
		if data != "are you there" {
			t.Fatalf("pong carries %q", data)
		}
	default:
		t.Fatal("no pong before the next reply")
	}
}

func TestCloseHandshake(t *testing.T) {
	t.Run("client closes", func(t *testing.T) {
		h := newHarness(t, harnessOptions{})
		u := h.user("closer")
		c := h.dial(u, "json", false)
		c.ok()
		if err := c.conn.WriteControl(websocket.CloseMessage, websocket.FormatCloseMessage(4001, "bye"), time.Now().Add(time.Second)); err != nil {
			t.Fatal(err)
		}
		wantClose(t, c, 4001)
		waitGone(t, h, u)
	})
	t.Run("server disconnects", func(t *testing.T) {
		h := newHarness(t, harnessOptions{})
		u := h.user("kicked")
		c := h.dial(u, "protobuf", false)
		c.ok()
		h.srv.Session(sessionOf(t, h, u)).Disconnect(nil, runtime.PresenceReasonDisconnect)
		wantClose(t, c, websocket.CloseNormalClosure)
		waitGone(t, h, u)
	})
}

func TestLargeFramesArriveWhole(t *testing.T) {
	each(t, func(t *testing.T, format string) {
		h := newHarness(t, harnessOptions{})
		u := h.user("large")
		c := h.dial(u, format, false)
		c.ok()
		for _, n := range []int{100, 70_000, 300_000} {
			payload := strings.Repeat("y", n)
			if err := h.core.NotificationSend(context.Background(), core.NotificationSend{UserID: u.id, Subject: "big", Content: map[string]any{"p": payload}}); err != nil {
				t.Fatal(err)
			}
			env := c.waitFor(func(e *rtapi.Envelope) bool { return e.GetNotifications() != nil })
			if content := env.GetNotifications().Notifications[0].Content; !strings.Contains(content, payload) || len(content) > n+20 {
				t.Fatalf("%d bytes sent, content of %d came back", n, len(content))
			}
		}
		c.ok()
	})
}

// wantClose reads until the server's close frame and checks its code.
func wantClose(t *testing.T, c *client, code int) {
	t.Helper()
	for {
		_, err := c.read(5 * time.Second)
		if err == nil {
			continue
		}
		var ce *websocket.CloseError
		if !errors.As(err, &ce) || ce.Code != code {
			t.Fatalf("read ended with %v, want a close frame with code %d", err, code)
		}
		return
	}
}

// waitGone waits for the server to drop u's session.
func waitGone(t *testing.T, h *harness, u user) {
	t.Helper()
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		if h.srv.SessionCount() == 0 {
			return
		}
	}
	t.Fatalf("session of %s still registered", u.id)
}
