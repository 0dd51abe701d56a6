package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gorilla/websocket"
	"github.com/heroiclabs/nakama-common/rtapi"
	"google.golang.org/protobuf/encoding/protojson"
)

// Chat socket scenarios: one room's messages fanned out to its members, and a burst of
// members joining one room at once.

// wsChatMembers sockets are in the room of each chat scenario.
const wsChatMembers = 200

// joinRoom sends a channel_join for a visible member of a room and waits for the channel
// reply.
func joinRoom(c *websocket.Conn, cid, room string) error {
	req := fmt.Sprintf(`{"cid":%q,"channel_join":{"target":%q,"type":1,"persistence":true,"hidden":false}}`, cid, room)
	reply, err := roundTrip(c, cid, req)
	if err == nil && !bytes.Contains(reply, []byte(`"channel"`)) {
		return fmt.Errorf("channel_join answered with %s", snippet(reply))
	}
	return err
}

// latencies keeps a bounded number of delivery latencies for a percentile.
type latencies struct {
	mu  sync.Mutex
	all []time.Duration
}

// latencyKeep bounds what one run keeps (10k deliveries/s for a minute).
const latencyKeep = 600_000

func (l *latencies) add(d time.Duration) {
	l.mu.Lock()
	if len(l.all) < latencyKeep {
		l.all = append(l.all, d)
	}
	l.mu.Unlock()
}

// takeP99 returns the 99th percentile in milliseconds (nil without deliveries) and resets.
func (l *latencies) takeP99() *float64 {
	l.mu.Lock()
	all := l.all
	l.all = nil
	l.mu.Unlock()
	if len(all) == 0 {
		return nil
	}
	slices.Sort(all)
	return ptr(float64(percentile(all, 99)) / float64(time.Millisecond))
}

// wsChatFanout: 200 sockets (of up to 200 accounts) are visible members of one room; each
// operation is one chat message from the first of them, delivered to all 200 (the sender
// included, as Nakama does). Server µs/op ÷ 200 = µs per delivery; deliveries/s = ops/s ×
// 200; the extra figure is the 99th percentile of single deliveries' latencies, from the
// send to a member's read.
func wsChatFanout() Scenario {
	var (
		socks []*websocket.Conn
		room  string
		// The content {"fanout":<seq>} as it appears inside the envelope's JSON string.
		f = newFanout(`{\"fanout\":`, wsChatMembers)
	)
	return Scenario{
		Name: "ws-chat-fanout-200",
		Doc: fmt.Sprintf("one channel_message_send to a room whose %d visible members (the sender among them) all receive the channel_message; server µs/op ÷ %d = µs per delivery, ops/s × %d = deliveries/s",
			wsChatMembers, wsChatMembers, wsChatMembers),
		Ref:     Reference{NakamaOpsPerSec: 10000.0 / wsChatMembers, NakamaServerUsOp: 22 * wsChatMembers, TargetServerUsOp: 10 * wsChatMembers},
		Clients: 1,
		Extra: &ExtraFigure{Name: "p99 latency of one delivery (warm-up included; Nakama 3.40: 7 ms)", Unit: "ms", Take: func() *float64 {
			return f.lat.takeP99()
		}},
		Setup: func(ctx context.Context, env *Env) error {
			tokens, err := benchTokens(ctx, env, "cf", min(env.Accounts, wsChatMembers))
			if err != nil {
				return err
			}
			room = fmt.Sprintf("bench-%s-fanout", env.RunID)
			socks = make([]*websocket.Conn, wsChatMembers)
			for i := range socks {
				if socks[i], err = env.Target.dialSocket(ctx, tokens[i%len(tokens)], false); err != nil {
					return err
				}
				if err := joinRoom(socks[i], "j", room); err != nil {
					return err
				}
			}
			for i, c := range socks {
				_ = c.SetReadDeadline(time.Time{})
				go f.read(i, c)
			}
			return nil
		},
		Op: func(ctx context.Context, w *Worker) error {
			seq, err := f.send(func(seq int64) error {
				msg := fmt.Sprintf(`{"cid":"%d","channel_message_send":{"channel_id":%q,"content":"{\"fanout\":%d}"}}`, seq, "2..."+room, seq)
				return socks[0].WriteMessage(websocket.TextMessage, []byte(msg))
			})
			if err != nil {
				return err
			}
			return f.wait(ctx, seq, "message")
		},
	}
}

// wsChatJoinBurst: 200 sockets of as many accounts (fewer when -accounts is lower)
// connect, then all join one new room at the same moment as visible members, so every
// member is told of up to 200 joins at once. An operation fails if the server drops any socket, a join is refused, or the
// earliest joiner has not heard of all 200 joins within 10 s; then all close.
func wsChatJoinBurst() Scenario {
	var (
		tokens  []string
		members int
		runID   string
		bursts  atomic.Int64
	)
	return Scenario{
		Name: "ws-chat-join-burst-200",
		Doc: fmt.Sprintf("%d connected sockets (fewer when -accounts is lower) join one new room at once as visible members and stay until every join is announced; fails if any socket is dropped (Nakama 3.40 drops 2-5 of 200)",
			wsChatMembers),
		Clients: 1,
		Setup: func(ctx context.Context, env *Env) (err error) {
			runID = env.RunID
			members = min(env.Accounts, wsChatMembers)
			tokens, err = benchTokens(ctx, env, "cj", members)
			return err
		},
		Op: func(ctx context.Context, w *Worker) error {
			room := fmt.Sprintf("bench-%s-burst-%d", runID, bursts.Add(1))
			var (
				socks   = make([]*websocket.Conn, members)
				joins   = make([]atomic.Int64, members)
				refused atomic.Value // the first error reply to a join
				dropped atomic.Int64
				stop    atomic.Bool
				start   = make(chan struct{})
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
				time.Sleep(wsSettle / 2) // the sessions end before the next burst
			}()
			// Connect every socket first (a pong proves the session is open), so the burst
			// is of joins alone.
			if err := parallel(ctx, members, 32, func(ctx context.Context, i int) error {
				c, err := w.Target.dialSocket(ctx, tokens[i], false)
				if err != nil {
					return err
				}
				socks[i] = c
				return pingPong(c)
			}); err != nil {
				return err
			}
			for i, c := range socks {
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
						if protojson.Unmarshal(data, env) != nil {
							continue
						}
						if e := env.GetError(); e != nil {
							refused.CompareAndSwap(nil, fmt.Sprintf("join refused: code %d %q", e.Code, e.Message))
						}
						if ev := env.GetChannelPresenceEvent(); ev != nil && ev.RoomName == room {
							joins[i].Add(int64(len(ev.Joins)))
						}
					}
				})
				go func() {
					<-start
					join, _ := json.Marshal(map[string]any{"cid": "j", "channel_join": map[string]any{"target": room, "type": 1, "hidden": false}})
					if err := c.WriteMessage(websocket.TextMessage, join); err != nil && !stop.Load() {
						dropped.Add(1)
					}
				}()
			}
			close(start)
			deadline := time.Now().Add(10 * time.Second)
			for {
				if d := dropped.Load(); d > 0 {
					return fmt.Errorf("%d of %d sockets dropped", d, members)
				}
				if r := refused.Load(); r != nil {
					return fmt.Errorf("%s", r)
				}
				var most int64
				for i := range joins {
					most = max(most, joins[i].Load())
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
