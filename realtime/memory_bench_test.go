package realtime_test

import (
	"bufio"
	"fmt"
	"net"
	"net/http"
	"runtime"
	"testing"
	"time"
)

// BenchmarkIdleSocketMemory opens 5000 idle sockets (5 for each of 1000 users) and
// reports the heap and goroutine stacks they hold, per socket, after a GC: the server's
// share of an idle connection (the raw client connections, a few hundred bytes each, are
// counted too). make bench runs it; the loadgen's ws-idle-memory scenario gives the same
// from outside, as resident memory.
func BenchmarkIdleSocketMemory(b *testing.B) {
	const users, perUser = 1000, 5
	h := newHarness(b, harnessOptions{})
	tokens := make([]string, users)
	for i := range tokens {
		tokens[i] = h.user("mem").token
	}
	addr := h.http.Listener.Addr().String()
	before := liveBytes()
	conns := make([]net.Conn, 0, users*perUser)
	defer func() {
		for _, c := range conns {
			c.Close()
		}
	}()
	for i := range users * perUser {
		c, err := rawUpgrade(addr, tokens[i%users])
		if err != nil {
			b.Fatal(err)
		}
		conns = append(conns, c)
	}
	for h.srv.SessionCount() < len(conns) {
		time.Sleep(10 * time.Millisecond)
	}
	h.tracker.Flush()
	after := liveBytes()
	b.ReportMetric(float64(after-before)/float64(len(conns)), "B/socket")
	for range b.N {
	}
}

// liveBytes is heap in use plus goroutine stacks, after a full collection.
func liveBytes() int64 {
	runtime.GC()
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return int64(m.HeapAlloc + m.StackInuse)
}

// rawUpgrade opens a socket with a bare connection: the handshake, then only the
// net.Conn is kept (no client-side buffers or goroutines).
func rawUpgrade(addr, token string) (net.Conn, error) {
	c, err := net.Dial("tcp", addr)
	if err != nil {
		return nil, err
	}
	fmt.Fprintf(c, "GET /ws?token=%s HTTP/1.1\r\nHost: %s\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n", token, addr)
	resp, err := http.ReadResponse(bufio.NewReaderSize(c, 512), nil)
	if err != nil {
		c.Close()
		return nil, err
	}
	if resp.StatusCode != http.StatusSwitchingProtocols {
		c.Close()
		return nil, fmt.Errorf("upgrade: %s", resp.Status)
	}
	return c, nil
}
