package realtime_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/gorilla/websocket"
	"github.com/heroiclabs/nakama-common/rtapi"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/jackc/pgx/v5/stdlib"
	"google.golang.org/protobuf/encoding/protojson"
	"google.golang.org/protobuf/proto"

	"github.com/hearth-server/hearth/core"
	"github.com/hearth-server/hearth/core/presence"
	"github.com/hearth-server/hearth/hooks"
	"github.com/hearth-server/hearth/internal/dbtest"
	"github.com/hearth-server/hearth/nk"
	"github.com/hearth-server/hearth/realtime"
)

func TestMain(m *testing.M) { dbtest.Main(m) }

var testTokens = core.TokenOptions{
	EncryptionKey:        []byte("test-session-key"),
	RefreshEncryptionKey: []byte("test-refresh-key"),
	TokenExpiry:          time.Minute,
	RefreshTokenExpiry:   time.Hour,
}

// harness runs the real socket front door, core and tracker on a database of the test's
// own, behind an httptest server.
type harness struct {
	t       testing.TB
	pool    *pgxpool.Pool
	core    *core.Core
	tracker *presence.Tracker
	srv     *realtime.Server
	http    *httptest.Server
}

type harnessOptions struct {
	cfg     *realtime.Config
	runtime hooks.Realtime
	// modules, when set, run in a real nk.Runtime wired as the server wires it (the
	// socket's hooks, the tracker behind nk's stream functions); it replaces runtime.
	modules []nk.InitModule
}

func newHarness(t testing.TB, o harnessOptions) *harness {
	t.Helper()
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	if testing.Verbose() {
		log = slog.Default()
	}
	pool := dbtest.Pool(t)
	tracker := presence.New(log)
	t.Cleanup(tracker.Close)
	c := core.New(core.Options{
		Pool:               pool,
		Log:                log,
		Tokens:             testTokens,
		BcryptCost:         4,
		NotificationPush:   realtime.NotificationPusher(tracker),
		ChannelMessagePush: realtime.ChannelMessagePusher(tracker),
		Online:             tracker.UserOnline,
	})
	cfg := realtime.DefaultConfig()
	if o.cfg != nil {
		cfg = *o.cfg
	}
	if o.modules != nil {
		rt, err := nk.New(context.Background(), nk.Options{
			Core: c, DB: stdlib.OpenDBFromPool(pool), Log: log, Node: "node-1", Path: t.TempDir(),
			Modules: o.modules, Tracker: tracker,
		})
		if err != nil {
			t.Fatal(err)
		}
		rt.Start()
		t.Cleanup(func() { rt.Stop(context.Background()) })
		o.runtime = rt
	}
	srv := realtime.New(realtime.Options{Core: c, Tracker: tracker, Runtime: o.runtime, Config: cfg, Log: log})
	hs := httptest.NewServer(srv)
	t.Cleanup(func() {
		srv.Close()
		hs.Close()
	})
	return &harness{t: t, pool: pool, core: c, tracker: tracker, srv: srv, http: hs}
}

// user is an account with a session token.
type user struct {
	id       uuid.UUID
	username string
	token    string
}

var userSeq atomic.Int64

func (h *harness) user(name string) user {
	h.t.Helper()
	n := userSeq.Add(1)
	sess, err := h.core.AuthenticateDevice(context.Background(), fmt.Sprintf("device-%s-%d-xxxxxxxx", name, n), core.AuthInput{Create: true, Username: fmt.Sprintf("%s%d", name, n)})
	if err != nil {
		h.t.Fatal(err)
	}
	return user{id: sess.UserID, username: sess.Username, token: sess.Token}
}

// client is a gorilla websocket client speaking one format.
type client struct {
	t      testing.TB
	conn   *websocket.Conn
	format string
	cid    int
	// pending holds pushes read while waiting for a chat reply (chat_test.go's ack):
	// a sender's own message is queued before its ack, as in Nakama.
	pending []*rtapi.Envelope
	tracker *presence.Tracker
}

func (h *harness) url(query string) string {
	return "ws" + strings.TrimPrefix(h.http.URL, "http") + "/ws?" + query
}

func (h *harness) dial(u user, format string, status bool) *client {
	h.t.Helper()
	q := url.Values{"token": {u.token}, "format": {format}, "status": {fmt.Sprint(status)}}
	conn, resp, err := websocket.DefaultDialer.Dial(h.url(q.Encode()), nil)
	if err != nil {
		h.t.Fatalf("dial: %v (%v)", err, resp)
	}
	c := &client{t: h.t, conn: conn, format: format, tracker: h.tracker}
	h.t.Cleanup(func() { _ = conn.Close() })
	return c
}

// each runs a subtest per socket format.
func each(t *testing.T, fn func(t *testing.T, format string)) {
	for _, f := range []string{"json", "protobuf"} {
		t.Run(f, func(t *testing.T) { fn(t, f) })
	}
}

func (c *client) writeRaw(typ int, data []byte) {
	c.t.Helper()
	if err := c.conn.WriteMessage(typ, data); err != nil {
		c.t.Fatal(err)
	}
}

// send writes env with a fresh cid and returns the cid.
func (c *client) send(env *rtapi.Envelope) string {
	c.t.Helper()
	c.cid++
	env.Cid = fmt.Sprint(c.cid)
	c.sendAsIs(env)
	return env.Cid
}

func (c *client) sendAsIs(env *rtapi.Envelope) {
	c.t.Helper()
	if c.format == "protobuf" {
		b, err := proto.Marshal(env)
		if err != nil {
			c.t.Fatal(err)
		}
		c.writeRaw(websocket.BinaryMessage, b)
		return
	}
	b, err := protojson.Marshal(env)
	if err != nil {
		c.t.Fatal(err)
	}
	c.writeRaw(websocket.TextMessage, b)
}

// next reads the next envelope, failing after a few seconds.
func (c *client) next() *rtapi.Envelope {
	c.t.Helper()
	env, err := c.read(5 * time.Second)
	if err != nil {
		c.t.Fatalf("read: %v", err)
	}
	return env
}

func (c *client) read(wait time.Duration) (*rtapi.Envelope, error) {
	_ = c.conn.SetReadDeadline(time.Now().Add(wait))
	typ, data, err := c.conn.ReadMessage()
	if err != nil {
		return nil, err
	}
	env := &rtapi.Envelope{}
	if c.format == "protobuf" {
		if typ != websocket.BinaryMessage {
			return nil, fmt.Errorf("protobuf socket got frame type %d", typ)
		}
		return env, proto.Unmarshal(data, env)
	}
	if typ != websocket.TextMessage {
		return nil, fmt.Errorf("json socket got frame type %d", typ)
	}
	return env, protojson.Unmarshal(data, env)
}

// reply reads until the envelope with cid arrives, skipping pushes.
func (c *client) reply(cid string) *rtapi.Envelope {
	c.t.Helper()
	return c.waitFor(func(e *rtapi.Envelope) bool { return e.Cid == cid })
}

// waitFor reads until match accepts an envelope.
func (c *client) waitFor(match func(*rtapi.Envelope) bool) *rtapi.Envelope {
	c.t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for time.Now().Before(deadline) {
		env := c.next()
		if match(env) {
			return env
		}
	}
	c.t.Fatal("expected envelope never arrived")
	return nil
}

// quiet asserts that nothing matching arrives for a short while.
func (c *client) quiet(match func(*rtapi.Envelope) bool) {
	c.t.Helper()
	for {
		env, err := c.read(200 * time.Millisecond)
		if err != nil {
			// A read timeout leaves gorilla's connection unusable; callers use quiet last.
			return
		}
		if match(env) {
			c.t.Fatalf("unexpected envelope: %v", env)
		}
	}
}

// call sends and waits for the reply.
func (c *client) call(env *rtapi.Envelope) *rtapi.Envelope {
	c.t.Helper()
	return c.reply(c.send(env))
}

func wantError(t testing.TB, env *rtapi.Envelope, code rtapi.Error_Code, message string) {
	t.Helper()
	e := env.GetError()
	if e == nil {
		t.Fatalf("want error %d %q, got %v", code, message, env)
	}
	if e.Code != int32(code) || e.Message != message {
		t.Fatalf("error = %d %q, want %d %q", e.Code, e.Message, code, message)
	}
}

func ping() *rtapi.Envelope {
	return &rtapi.Envelope{Message: &rtapi.Envelope_Ping{Ping: &rtapi.Ping{}}}
}

// ok checks a socket still answers.
func (c *client) ok() {
	c.t.Helper()
	if env := c.call(ping()); env.GetPong() == nil {
		c.t.Fatalf("want pong, got %v", env)
	}
}

// closed waits for the server to close the socket.
func (c *client) closed() {
	c.t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for time.Now().Before(deadline) {
		if _, err := c.read(time.Until(deadline)); err != nil {
			return
		}
	}
	c.t.Fatal("socket stayed open")
}

func statusCode(t testing.TB, url string) (int, string) {
	t.Helper()
	_, resp, err := websocket.DefaultDialer.Dial(url, nil)
	if err == nil {
		t.Fatal("dial succeeded")
	}
	if resp == nil {
		t.Fatalf("no response: %v", err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

var _ = http.StatusOK
