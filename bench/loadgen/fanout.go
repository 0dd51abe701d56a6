package main

import (
	"bytes"
	"context"
	"fmt"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/gorilla/websocket"
)

// fanout follows the events of a fan-out scenario (ws-fanout-200, ws-chat-fanout-200):
// each operation sends one event carrying a sequence number, and the operation ends
// when every member socket has read it.
type fanout struct {
	marker []byte // what precedes the sequence number's digits in the event's frame
	cur    atomic.Int64
	got    atomic.Int64
	sentAt atomic.Int64 // unix ns of the current event's send
	all    chan struct{}
	seen   []atomic.Int64 // per socket: the last sequence number it saw (-1: reader ended)
	lat    latencies
}

func newFanout(marker string, members int) *fanout {
	return &fanout{marker: []byte(marker), all: make(chan struct{}, 1), seen: make([]atomic.Int64, members)}
}

// read reads member i's socket until it ends, counting the current event's arrivals and
// their latencies; other frames (presence events, acks) are skipped.
func (f *fanout) read(i int, c *websocket.Conn) {
	for {
		_, data, err := c.ReadMessage()
		if err != nil {
			f.seen[i].Store(-1)
			return
		}
		at := bytes.Index(data, f.marker)
		if at < 0 {
			continue
		}
		rest := data[at+len(f.marker):]
		end := bytes.IndexFunc(rest, func(r rune) bool { return r < '0' || r > '9' })
		if end <= 0 {
			continue
		}
		seq, err := strconv.ParseInt(string(rest[:end]), 10, 64)
		if err != nil {
			continue
		}
		f.seen[i].Store(seq)
		if seq == f.cur.Load() {
			f.lat.add(time.Duration(time.Now().UnixNano() - f.sentAt.Load()))
			if f.got.Add(1) == int64(len(f.seen)) {
				f.all <- struct{}{}
			}
		}
	}
}

// send starts the next event: send writes it, given its sequence number.
func (f *fanout) send(send func(seq int64) error) (int64, error) {
	f.got.Store(0)
	seq := f.cur.Add(1)
	f.sentAt.Store(time.Now().UnixNano())
	return seq, send(seq)
}

// wait waits until every member has read event seq; what names the event in an error.
func (f *fanout) wait(ctx context.Context, seq int64, what string) error {
	select {
	case <-f.all:
		return nil
	case <-time.After(10 * time.Second):
		var missing []string
		for i := range f.seen {
			if v := f.seen[i].Load(); v != seq {
				missing = append(missing, fmt.Sprintf("socket %d last saw %d", i, v))
			}
		}
		return fmt.Errorf("%s %d reached %d of %d sockets (%s)", what, seq, f.got.Load(), len(f.seen), strings.Join(missing, ", "))
	case <-ctx.Done():
		return ctx.Err()
	}
}
