package nk_test

import (
	"context"
	"database/sql"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/heroiclabs/nakama-common/api"
	"github.com/heroiclabs/nakama-common/rtapi"
	"github.com/heroiclabs/nakama-common/runtime"

	"github.com/hearth-server/hearth/core"
	"github.com/hearth-server/hearth/hooks"
	"github.com/hearth-server/hearth/nk"
)

func TestSessionLogout(t *testing.T) {
	e := newEnv(t)
	id, name := e.user(t)
	token, _, err := e.nk.AuthenticateTokenGenerate(id, name, 0, nil)
	must(t, err)
	if _, err := e.core.SessionVerify(token); err != nil {
		t.Fatal(err)
	}
	must(t, e.nk.SessionLogout(id, "", "")) // neither token: every session ends
	if _, err := e.core.SessionVerify(token); err == nil {
		t.Fatal("token still valid after logging out every session")
	}
	wantArgError(t, e.nk.SessionLogout(badID, "", ""))
}

func TestEventAndSessionEvents(t *testing.T) {
	got := make(chan *api.Event, 8)
	ctxs := make(chan context.Context, 8)
	module := func(_ context.Context, _ runtime.Logger, _ *sql.DB, _ runtime.NakamaModule, init runtime.Initializer) error {
		record := func(ctx context.Context, _ runtime.Logger, evt *api.Event) { ctxs <- ctx; got <- evt }
		must(t, init.RegisterEvent(record))
		must(t, init.RegisterEventSessionStart(record))
		return init.RegisterEventSessionEnd(record)
	}
	e := newEnv(t, module)
	wantArgError(t, e.nk.Event(ctx, nil))
	must(t, e.nk.Event(ctx, &api.Event{Name: "from_module", Properties: map[string]string{"k": "v"}}))
	req := hooks.Request{UserID: unknownID, Username: "someone", SessionID: "session-1"}
	e.rt.SessionStart(ctx, req)
	e.rt.SessionEnd(ctx, req, "closed")
	want := []string{"from_module", "session_start", "session_end"}
	for i, name := range want {
		select {
		case evt := <-got:
			c := <-ctxs
			if evt.Name != name || evt.Timestamp == nil {
				t.Fatalf("event %d: %v, want %s", i, evt, name)
			}
			if i > 0 && (c.Value(runtime.RUNTIME_CTX_SESSION_ID) != "session-1" || c.Value(runtime.RUNTIME_CTX_MODE) != "event") {
				t.Fatalf("session event context: %v %v", c.Value(runtime.RUNTIME_CTX_SESSION_ID), c.Value(runtime.RUNTIME_CTX_MODE))
			}
			if name == "session_end" && evt.Properties["reason"] != "closed" {
				t.Fatalf("session_end reason: %v", evt.Properties)
			}
		case <-time.After(5 * time.Second):
			t.Fatalf("event %s not delivered", name)
		}
	}
}

func TestEventQueueNeverBlocks(t *testing.T) {
	release := make(chan struct{})
	module := func(_ context.Context, _ runtime.Logger, _ *sql.DB, _ runtime.NakamaModule, init runtime.Initializer) error {
		return init.RegisterEvent(func(context.Context, runtime.Logger, *api.Event) { <-release })
	}
	e := newEnv(t, module)
	defer close(release)
	done := make(chan struct{})
	go func() {
		for range 100_000 { // far more than the queue holds, with a handler that never returns
			_ = e.nk.Event(ctx, &api.Event{Name: "flood"})
		}
		close(done)
	}()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("Event blocked behind a stuck handler")
	}
}

type recordingMetrics struct {
	counters map[string]int64
	gauges   map[string]float64
	timers   map[string]float64
	sessions int
}

func (m *recordingMetrics) CounterAdd(name string, _ map[string]string, d int64) {
	m.counters[name] += d
}
func (m *recordingMetrics) GaugeSet(name string, _ map[string]string, v float64) { m.gauges[name] = v }
func (m *recordingMetrics) TimerRecord(name string, _ map[string]string, s float64) {
	m.timers[name] += s
}
func (m *recordingMetrics) SessionOpened() { m.sessions++ }
func (m *recordingMetrics) SessionClosed() { m.sessions-- }

func TestMetrics(t *testing.T) {
	m := &recordingMetrics{counters: map[string]int64{}, gauges: map[string]float64{}, timers: map[string]float64{}}
	var module runtime.NakamaModule
	rt, err := nk.New(ctx, nk.Options{Log: newDiscardLogger(), Metrics: m, Modules: []nk.InitModule{
		func(_ context.Context, _ runtime.Logger, _ *sql.DB, n runtime.NakamaModule, _ runtime.Initializer) error {
			module = n
			return nil
		},
	}})
	must(t, err)
	module.MetricsCounterAdd("wins", map[string]string{"mode": "duel"}, 2)
	module.MetricsGaugeSet("queue", nil, 4.5)
	module.MetricsTimerRecord("turn", nil, 1500*time.Millisecond)
	rt.SessionStart(ctx, hooks.Request{})
	if m.counters["wins"] != 2 || m.gauges["queue"] != 4.5 || m.timers["turn"] != 1.5 || m.sessions != 1 {
		t.Fatalf("metrics: %+v", m)
	}
}

func TestReadFile(t *testing.T) {
	e := newEnv(t)
	must(t, os.MkdirAll(filepath.Join(e.dir, "data"), 0o755))
	must(t, os.WriteFile(filepath.Join(e.dir, "data", "levels.json"), []byte(`{"levels":3}`), 0o644))
	f, err := e.nk.ReadFile("data/levels.json")
	must(t, err)
	body, _ := io.ReadAll(f)
	f.Close()
	if string(body) != `{"levels":3}` {
		t.Fatalf("read %q", body)
	}
	for _, bad := range []string{"", "../outside.txt", "/etc/passwd", "data/../../x"} {
		if f, err := e.nk.ReadFile(bad); err == nil {
			f.Close()
			t.Errorf("ReadFile(%q) should be refused", bad)
		}
	}
	if _, err := e.nk.ReadFile("missing.txt"); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("missing file: %v", err)
	}
}

func TestNotSupportedYet(t *testing.T) {
	e := newEnv(t)
	n := e.nk
	calls := map[string]error{
		"MatchCreate":       errOf2(n.MatchCreate(ctx, "m", nil)),
		"PartyList":         errOf3(n.PartyList(ctx, 1, nil, false, "", "")),
		"PurchasesList":     errOf2(n.PurchasesList(ctx, "", 1, "")),
		"SubscriptionsList": errOf2(n.SubscriptionsList(ctx, "", 1, "")),
		"AccountImportId":   errOf2(n.AccountImportId(ctx, "{}", unknownID)),
	}
	for name, err := range calls {
		t.Run(name, func(t *testing.T) {
			wantCode(t, err, 12)
			if !strings.Contains(err.Error(), "not supported yet") {
				t.Errorf("message %q", err)
			}
		})
	}
}

func errOf2[A any](_ A, err error) error { return err }

func TestRealtimeHooks(t *testing.T) {
	var afterIn, afterOut *rtapi.Envelope
	module := func(_ context.Context, _ runtime.Logger, _ *sql.DB, _ runtime.NakamaModule, init runtime.Initializer) error {
		must(t, init.RegisterBeforeRt("ChannelMessageSend", func(ctx context.Context, _ runtime.Logger, _ *sql.DB, _ runtime.NakamaModule, in *rtapi.Envelope) (*rtapi.Envelope, error) {
			msg := in.GetChannelMessageSend()
			switch {
			case strings.Contains(msg.Content, "bad word"):
				return nil, runtime.NewError("profanity detected", 3)
			case strings.Contains(msg.Content, "drop"):
				return nil, nil
			}
			msg.Content = strings.ReplaceAll(msg.Content, "darn", "****")
			return in, nil
		}))
		return init.RegisterAfterRt("channelmessagesend", func(_ context.Context, _ runtime.Logger, _ *sql.DB, _ runtime.NakamaModule, out, in *rtapi.Envelope) error {
			afterOut, afterIn = out, in
			return errors.New("only logged")
		})
	}
	e := newEnv(t, module)
	send := func(content string) *rtapi.Envelope {
		return &rtapi.Envelope{Message: &rtapi.Envelope_ChannelMessageSend{ChannelMessageSend: &rtapi.ChannelMessageSend{ChannelId: "2...room", Content: content}}}
	}
	req := hooks.Request{UserID: unknownID, SessionID: "s1"}

	out, err := e.rt.BeforeRt(ctx, req, send(`{"t":"oh darn"}`))
	must(t, err)
	if out.GetChannelMessageSend().Content != `{"t":"oh ****"}` {
		t.Fatalf("filtered: %v", out)
	}
	_, err = e.rt.BeforeRt(ctx, req, send(`{"t":"a bad word"}`))
	var ce *core.Error
	if !errors.As(err, &ce) || ce.Code != 3 || ce.Message != "profanity detected" {
		t.Fatalf("rejected: %v", err)
	}
	out, err = e.rt.BeforeRt(ctx, req, send(`{"t":"drop"}`))
	if err != nil || out != nil {
		t.Fatalf("dropped: %v %v", out, err)
	}
	other := &rtapi.Envelope{Message: &rtapi.Envelope_Ping{Ping: &rtapi.Ping{}}}
	if out, err := e.rt.BeforeRt(ctx, req, other); err != nil || out != other {
		t.Fatalf("message without a hook: %v %v", out, err)
	}
	ack := &rtapi.Envelope{Message: &rtapi.Envelope_ChannelMessageAck{ChannelMessageAck: &rtapi.ChannelMessageAck{MessageId: "m"}}}
	in := send("x")
	e.rt.AfterRt(ctx, req, in, ack)
	if afterIn != in || afterOut != ack {
		t.Fatal("after hook did not see request and reply")
	}
}

func TestInitModuleFailureAndContext(t *testing.T) {
	var initCtx context.Context
	_, err := nk.New(ctx, nk.Options{Log: newDiscardLogger(), Node: "n1", Env: map[string]string{"a": "b"}, Modules: []nk.InitModule{
		func(ctx context.Context, _ runtime.Logger, _ *sql.DB, _ runtime.NakamaModule, init runtime.Initializer) error {
			initCtx = ctx
			cfg, err := init.GetConfig()
			if err != nil || cfg == nil {
				return errors.New("no config")
			}
			return errors.New("module refuses to start")
		},
	}})
	if err == nil || !strings.Contains(err.Error(), "module refuses to start") {
		t.Fatalf("InitModule failure: %v", err)
	}
	if initCtx.Value(runtime.RUNTIME_CTX_MODE) != "run_once" || initCtx.Value(runtime.RUNTIME_CTX_NODE) != "n1" || initCtx.Value(runtime.RUNTIME_CTX_ENV).(map[string]string)["a"] != "b" {
		t.Fatal("InitModule context lacks mode, node or env")
	}
}

func TestPluginErrors(t *testing.T) {
	dir := t.TempDir()
	// No plugins: a missing directory is fine.
	if _, err := nk.New(ctx, nk.Options{Log: newDiscardLogger(), Path: filepath.Join(dir, "missing")}); err != nil {
		t.Fatal(err)
	}
	must(t, os.WriteFile(filepath.Join(dir, "broken.so"), []byte("not a plugin"), 0o644))
	_, err := nk.New(ctx, nk.Options{Log: newDiscardLogger(), Path: dir})
	if err == nil || !strings.Contains(err.Error(), "broken.so") {
		t.Fatalf("a broken plugin should stop the start naming the file: %v", err)
	}
}
