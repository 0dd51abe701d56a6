package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gorilla/websocket"
	"github.com/heroiclabs/nakama-common/rtapi"
	"google.golang.org/protobuf/encoding/protojson"
)

// Realtime socket scenarios: connecting, ping and RPC round trips, the memory an idle
// socket costs, fan-out of one event to many members, and a burst of joins to one stream.
// Chat's are in socket_chat.go.

// wsSettle is how long socket scenarios let the server finish opening or closing
// sockets before measuring or going on (tests shorten it).
var wsSettle = time.Second

var wsDialer = &websocket.Dialer{HandshakeTimeout: 10 * time.Second, Proxy: nil}

// wsURL is the socket address of the target for a session token.
func (t *Target) wsURL(token string, status bool) string {
	q := url.Values{"token": {token}, "format": {"json"}, "status": {strconv.FormatBool(status)}}
	return "ws" + strings.TrimPrefix(t.BaseURL, "http") + "/ws?" + q.Encode()
}

func (t *Target) dialSocket(ctx context.Context, token string, status bool) (*websocket.Conn, error) {
	c, resp, err := wsDialer.DialContext(ctx, t.wsURL(token, status), nil)
	if err != nil {
		if resp != nil {
			return nil, &httpError{Op: "GET /ws", Status: resp.StatusCode}
		}
		return nil, fmt.Errorf("GET /ws: %w", err)
	}
	return c, nil
}

// closeSocket ends a socket politely (close frame, then the connection).
func closeSocket(c *websocket.Conn) {
	_ = c.WriteControl(websocket.CloseMessage, websocket.FormatCloseMessage(websocket.CloseNormalClosure, ""), time.Now().Add(time.Second))
	_ = c.Close()
}

func wsConnect() Scenario {
	var tokens []string
	return Scenario{
		Name: "ws-connect",
		Doc:  "GET /ws upgrade with a session token, then a close: connect rate of the realtime socket",
		Setup: func(ctx context.Context, env *Env) error {
			var err error
			tokens, err = benchTokens(ctx, env, "wc", min(env.Accounts, 100))
			return err
		},
		Op: func(ctx context.Context, w *Worker) error {
			c, err := w.Target.dialSocket(ctx, tokens[w.Rand.IntN(len(tokens))], false)
			if err != nil {
				return err
			}
			closeSocket(c)
			return nil
		},
	}
}

// wsPingSockets is how many sockets ping at once, one client each.
const wsPingSockets = 50

func wsPing() Scenario {
	socks := make([]*websocket.Conn, wsPingSockets)
	cids := make([]int, wsPingSockets)
	return Scenario{
		Name:    "ws-ping",
		Doc:     fmt.Sprintf("a ping envelope and its pong on one of %d sockets, each driven by its own client", wsPingSockets),
		Ref:     Reference{NakamaOpsPerSec: 13900, NakamaServerUsOp: 59, TargetServerUsOp: 30},
		Clients: wsPingSockets,
		Setup: func(ctx context.Context, env *Env) error {
			tokens, err := benchTokens(ctx, env, "wp", wsPingSockets)
			if err != nil {
				return err
			}
			for i, tok := range tokens {
				if socks[i], err = env.Target.dialSocket(ctx, tok, false); err != nil {
					return err
				}
			}
			return nil
		},
		Op: func(ctx context.Context, w *Worker) error {
			cids[w.ID]++
			cid := strconv.Itoa(cids[w.ID])
			reply, err := roundTrip(socks[w.ID], cid, `{"cid":"`+cid+`","ping":{}}`)
			if err == nil && !bytes.Contains(reply, []byte(`"pong"`)) {
				return fmt.Errorf("ping answered with %s", snippet(reply))
			}
			return err
		},
	}
}

// roundTrip sends a text envelope carrying cid and reads until the reply with that cid
// (at most 10 s), skipping pushes in between.
func roundTrip(c *websocket.Conn, cid, envelope string) ([]byte, error) {
	if err := c.WriteMessage(websocket.TextMessage, []byte(envelope)); err != nil {
		return nil, err
	}
	_ = c.SetReadDeadline(time.Now().Add(10 * time.Second))
	want := []byte(`"cid":"` + cid + `"`)
	for {
		_, data, err := c.ReadMessage()
		if err != nil {
			return nil, err
		}
		if bytes.Contains(data, want) {
			return data, nil
		}
	}
}

// wsRPCSockets is how many sockets call the echo RPC at once, one client each.
const wsRPCSockets = 50

// wsRPCEcho: the socket's rpc envelope to the bench server's echo function (linked into
// bin/hearth-bench), matched by cid, the payload checked.
func wsRPCEcho() Scenario {
	socks := make([]*websocket.Conn, wsRPCSockets)
	cids := make([]int, wsRPCSockets)
	return Scenario{
		Name:    "ws-rpc-echo",
		Doc:     fmt.Sprintf("an rpc envelope to the echo function and its reply on one of %d sockets, each driven by its own client (needs bin/hearth-bench)", wsRPCSockets),
		Ref:     Reference{NakamaOpsPerSec: 8143, NakamaServerUsOp: 124, TargetServerUsOp: 40},
		Clients: wsRPCSockets,
		Setup: func(ctx context.Context, env *Env) error {
			tokens, err := benchTokens(ctx, env, "wr", wsRPCSockets)
			if err != nil {
				return err
			}
			for i, tok := range tokens {
				if socks[i], err = env.Target.dialSocket(ctx, tok, false); err != nil {
					return err
				}
			}
			if err := socketEcho(socks[0], "probe", `{"probe":true}`); err != nil {
				return fmt.Errorf("%w (ws-rpc-echo needs a server with the echo RPC: bin/hearth-bench)", err)
			}
			return nil
		},
		Op: func(ctx context.Context, w *Worker) error {
			cids[w.ID]++
			cid := strconv.Itoa(cids[w.ID])
			return socketEcho(socks[w.ID], cid, fmt.Sprintf(`{"player":%d,"move":"e2e4","seq":%s}`, w.ID, cid))
		},
	}
}

// socketEcho calls the echo RPC over a JSON socket and checks the payload comes back.
func socketEcho(c *websocket.Conn, cid, payload string) error {
	req, err := json.Marshal(map[string]any{"cid": cid, "rpc": map[string]string{"id": "echo", "payload": payload}})
	if err != nil {
		return err
	}
	data, err := roundTrip(c, cid, string(req))
	if err != nil {
		return err
	}
	var reply struct {
		RPC *struct {
			Payload string `json:"payload"`
		} `json:"rpc"`
	}
	if json.Unmarshal(data, &reply) != nil || reply.RPC == nil || reply.RPC.Payload != payload {
		return fmt.Errorf("rpc echo answered with %s", snippet(data))
	}
	return nil
}

// pingPong sends a ping envelope and reads until its pong.
func pingPong(c *websocket.Conn) error {
	if err := c.WriteMessage(websocket.TextMessage, []byte(`{"cid":"p","ping":{}}`)); err != nil {
		return err
	}
	_ = c.SetReadDeadline(time.Now().Add(10 * time.Second))
	defer c.SetReadDeadline(time.Time{})
	for {
		_, data, err := c.ReadMessage()
		if err != nil {
			return err
		}
		if bytes.Contains(data, []byte(`"pong"`)) {
			return nil
		}
	}
}

// wsIdlePerAccount sockets are opened per prepared account by ws-idle-memory (5000 at
// the default -accounts 1000).
const wsIdlePerAccount = 5

func wsIdleMemory() Scenario {
	var (
		tokens  []string
		pid     int
		base    int64 // resident KiB when the scenario starts
		mu      sync.Mutex
		figures []float64
	)
	return Scenario{
		Name: "ws-idle-memory",
		Doc: fmt.Sprintf("opens %d idle sockets per prepared account (5000 at -accounts 1000), reads the server's resident memory, closes them; "+
			"the figure is KiB of resident memory per open socket over the size before the scenario's first operation (median of the run's operations)", wsIdlePerAccount),
		Ref:     Reference{NakamaServerUsOp: 0},
		Clients: 1,
		Extra: &ExtraFigure{Name: "server memory per idle socket", Unit: "KiB", Target: 12, Take: func() *float64 {
			mu.Lock()
			defer mu.Unlock()
			if len(figures) == 0 {
				return nil
			}
			slices.Sort(figures)
			v := figures[len(figures)/2]
			figures = nil
			return &v
		}},
		Setup: func(ctx context.Context, env *Env) error {
			pid = env.ServerPID
			var err error
			if tokens, err = benchTokens(ctx, env, "wi", env.Accounts); err != nil {
				return err
			}
			base, _ = residentKiB(pid)
			return nil
		},
		Op: func(ctx context.Context, w *Worker) error {
			n := wsIdlePerAccount * len(tokens)
			socks := make([]*websocket.Conn, n)
			defer func() {
				for _, c := range socks {
					if c != nil {
						closeSocket(c)
					}
				}
				time.Sleep(wsSettle) // let the server finish closing before the next op
			}()
			if err := parallel(ctx, n, 64, func(ctx context.Context, i int) error {
				c, err := w.Target.dialSocket(ctx, tokens[i%len(tokens)], false)
				socks[i] = c
				return err
			}); err != nil {
				return err
			}
			time.Sleep(wsSettle) // the server's last sessions settle
			// Against the resident size before the first operation: a Go process keeps
			// memory it freed, so a later operation's own "before" already holds the
			// previous sockets' pages and would read near zero.
			open, err := residentKiB(pid)
			if base > 0 && err == nil {
				mu.Lock()
				figures = append(figures, float64(open-base)/float64(n))
				mu.Unlock()
			}
			return nil
		},
	}
}

// residentKiB reads a process's resident memory (VmRSS) in KiB.
func residentKiB(pid int) (int64, error) {
	if pid <= 0 {
		return 0, errors.New("no server pid")
	}
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0, err
	}
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, "VmRSS:"); ok {
			return strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 10, 64)
		}
	}
	return 0, errors.New("no VmRSS")
}

// wsFanoutMembers sockets receive each fan-out event.
const wsFanoutMembers = 200

// wsFanout: 200 sockets of one user, all following its status; each operation is one
// status change, delivered to all 200. Status events take the same path as every
// stream's presence events (tracker → one encoding per format → each socket's queue).
func wsFanout() Scenario {
	var (
		socks []*websocket.Conn
		f     = newFanout(`"status":"f-`, wsFanoutMembers)
	)
	return Scenario{
		Name: "ws-fanout-200",
		Doc: fmt.Sprintf("one status_update whose status event reaches %d sockets (one user's sockets, all following its status); server µs/op ÷ %d = µs per delivery",
			wsFanoutMembers, wsFanoutMembers),
		Ref:     Reference{NakamaServerUsOp: 22 * wsFanoutMembers, TargetServerUsOp: 10 * wsFanoutMembers},
		Clients: 1,
		Setup: func(ctx context.Context, env *Env) error {
			tokens, err := benchTokens(ctx, env, "wf", 1)
			if err != nil {
				return err
			}
			socks = make([]*websocket.Conn, wsFanoutMembers)
			for i := range socks {
				if socks[i], err = env.Target.dialSocket(ctx, tokens[0], true); err != nil {
					return err
				}
			}
			// A pong proves the server finished opening the session (following its
			// status) after the upgrade answered: only then is it sure to get events.
			for _, c := range socks {
				if err := pingPong(c); err != nil {
					return err
				}
			}
			for i, c := range socks {
				go f.read(i, c)
			}
			return nil
		},
		Op: func(ctx context.Context, w *Worker) error {
			seq, err := f.send(func(seq int64) error {
				msg := fmt.Sprintf(`{"cid":"%d","status_update":{"status":"f-%d"}}`, seq, seq)
				return socks[0].WriteMessage(websocket.TextMessage, []byte(msg))
			})
			if err != nil {
				return err
			}
			return f.wait(ctx, seq, "status event")
		},
	}
}

// wsBurstMembers sockets join one stream at once in ws-join-burst-200.
const wsBurstMembers = 200

// wsJoinBurst: 200 sockets of one user connect at once with status=true, so 200 visible
// presences join the user's status stream together and every socket is told of the joins
// after its own. An operation fails if the server drops any socket.
func wsJoinBurst() Scenario {
	var (
		token   string
		members int
	)
	return Scenario{
		Name: "ws-join-burst-200",
		Doc: fmt.Sprintf("%d sockets (fewer when -accounts is lower) join one stream at once (one user's status stream) and stay until every join is announced; fails if any socket is dropped (Nakama 3.40 drops 2-5 of 200)",
			wsBurstMembers),
		Clients: 1,
		Setup: func(ctx context.Context, env *Env) error {
			members = min(wsBurstMembers, env.Accounts)
			tokens, err := benchTokens(ctx, env, "wj", 1)
			if err == nil {
				token = tokens[0]
			}
			return err
		},
		Op: func(ctx context.Context, w *Worker) error {
			var (
				socks   = make([]*websocket.Conn, members)
				joins   = make([]atomic.Int64, members)
				dropped atomic.Int64
				stop    atomic.Bool
				readers sync.WaitGroup
			)
			defer func() {
				stop.Store(true)
				for _, c := range socks {
					if c != nil {
						closeSocket(c)
					}
				}
				readers.Wait()
				time.Sleep(wsSettle / 2) // the leaves go out before the next burst
			}()
			err := parallel(ctx, members, members, func(ctx context.Context, i int) error {
				c, err := w.Target.dialSocket(ctx, token, true)
				if err != nil {
					return err
				}
				socks[i] = c
				readers.Go(func() {
					for {
						_, data, err := c.ReadMessage()
						if err != nil {
							if !stop.Load() {
								dropped.Add(1)
							}
							return
						}
						env := &rtapi.Envelope{}
						if protojson.Unmarshal(data, env) == nil {
							joins[i].Add(int64(len(env.GetStatusPresenceEvent().GetJoins())))
						}
					}
				})
				return nil
			})
			if err != nil {
				return err
			}
			// The earliest joiner hears of every join; wait for that, then check nobody
			// was dropped.
			deadline := time.Now().Add(10 * time.Second)
			for {
				var most int64
				for i := range joins {
					most = max(most, joins[i].Load())
				}
				if d := dropped.Load(); d > 0 {
					return fmt.Errorf("%d of %d sockets dropped", d, members)
				}
				if most >= int64(members) {
					break
				}
				if time.Now().After(deadline) {
					return fmt.Errorf("after 10 s the earliest joiner had heard of %d of %d joins", most, members)
				}
				time.Sleep(5 * time.Millisecond)
			}
			time.Sleep(wsSettle / 5)
			if d := dropped.Load(); d > 0 {
				return fmt.Errorf("%d of %d sockets dropped", d, members)
			}
			return nil
		},
	}
}
