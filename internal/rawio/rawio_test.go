//go:build unix

package rawio

import (
	"bytes"
	"errors"
	"io"
	"net"
	"os"
	"sync"
	"testing"
	"time"
)

// pair returns both ends of a loopback TCP connection, each wrapped.
func pair(t *testing.T) (client, server *Conn) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	ln = Listen(ln)
	accepted := make(chan net.Conn, 1)
	go func() {
		c, err := ln.Accept()
		if err != nil {
			t.Error(err)
		}
		accepted <- c
	}()
	c, err := net.Dial("tcp", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	s := <-accepted
	if s == nil {
		t.FailNow()
	}
	t.Cleanup(func() { c.Close(); s.Close() })
	sc, ok := s.(*Conn)
	if !ok {
		t.Fatalf("Listen accepted a %T, want *Conn", s)
	}
	return Wrap(c).(*Conn), sc
}

func TestWrapKeepsWhatItCannotWrap(t *testing.T) {
	a, b := net.Pipe()
	defer a.Close()
	defer b.Close()
	if got := Wrap(a); got != a {
		t.Fatalf("Wrap(pipe) = %T, want the pipe itself", got)
	}
	c, _ := pair(t)
	if got := Wrap(c); got != net.Conn(c) {
		t.Fatal("Wrap of a *Conn wrapped it again")
	}
	if _, err := c.SyscallConn(); err != nil {
		t.Fatal(err)
	}
}

func TestReadWriteRoundTrip(t *testing.T) {
	c, s := pair(t)
	if n, err := c.Write([]byte("hello")); n != 5 || err != nil {
		t.Fatalf("Write = %d, %v", n, err)
	}
	buf := make([]byte, 16)
	n, err := io.ReadAtLeast(s, buf, 5)
	if err != nil || string(buf[:n]) != "hello" {
		t.Fatalf("Read = %q, %v", buf[:n], err)
	}
	if n, err := s.Read(nil); n != 0 || err != nil {
		t.Fatalf("empty Read = %d, %v; want 0, nil", n, err)
	}
	if n, err := s.Write(nil); n != 0 || err != nil {
		t.Fatalf("empty Write = %d, %v; want 0, nil", n, err)
	}
}

func TestReadEndsWithEOF(t *testing.T) {
	c, s := pair(t)
	if _, err := c.Write([]byte("last")); err != nil {
		t.Fatal(err)
	}
	if err := c.CloseWrite(); err != nil {
		t.Fatal(err)
	}
	got, err := io.ReadAll(s)
	if err != nil || string(got) != "last" {
		t.Fatalf("ReadAll = %q, %v; want the bytes, then EOF", got, err)
	}
}

func TestReadDeadline(t *testing.T) {
	_, s := pair(t)
	if err := s.SetReadDeadline(time.Now().Add(20 * time.Millisecond)); err != nil {
		t.Fatal(err)
	}
	_, err := s.Read(make([]byte, 8))
	if !errors.Is(err, os.ErrDeadlineExceeded) {
		t.Fatalf("Read past its deadline = %v, want os.ErrDeadlineExceeded", err)
	}
	var ne net.Error
	if !errors.As(err, &ne) || !ne.Timeout() {
		t.Fatalf("Read past its deadline = %v, want a net.Error that is a timeout", err)
	}
}

func TestReadUnblockedByClose(t *testing.T) {
	_, s := pair(t)
	done := make(chan error, 1)
	go func() {
		_, err := s.Read(make([]byte, 8))
		done <- err
	}()
	time.Sleep(10 * time.Millisecond)
	s.Close()
	select {
	case err := <-done:
		if !errors.Is(err, net.ErrClosed) {
			t.Fatalf("Read on a closed connection = %v, want net.ErrClosed", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Read still waiting after Close")
	}
}

// TestLargeWriteWaitsForRoom writes far more than the socket buffers hold, so the write
// meets EAGAIN and waits in the poller while the reader drains slowly.
func TestLargeWriteWaitsForRoom(t *testing.T) {
	c, s := pair(t)
	want := bytes.Repeat([]byte("0123456789abcdef"), 1<<19) // 8 MiB
	errc := make(chan error, 1)
	go func() {
		n, err := s.Write(want)
		if err == nil && n != len(want) {
			err = io.ErrShortWrite
		}
		errc <- err
	}()
	got := make([]byte, 0, len(want))
	buf := make([]byte, 1000) // small reads keep the writer waiting
	for len(got) < len(want) {
		n, err := c.Read(buf)
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, buf[:n]...)
	}
	if err := <-errc; err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Fatal("bytes arrived changed or out of order")
	}
}

// TestWriteBuffers sends more buffers than one writev takes, empty ones among them, and
// more bytes than the socket holds, so it splits, resumes mid-buffer and waits.
func TestWriteBuffers(t *testing.T) {
	c, s := pair(t)
	var bufs [][]byte
	var want []byte
	for i := range 3000 {
		b := bytes.Repeat([]byte{byte(i)}, i%7*1000)
		bufs = append(bufs, b)
		want = append(want, b...)
	}
	type result struct {
		n   int64
		err error
	}
	done := make(chan result, 1)
	go func() {
		n, err := s.WriteBuffers(bufs)
		done <- result{n, err}
	}()
	got := make([]byte, len(want))
	if _, err := io.ReadFull(c, got); err != nil {
		t.Fatal(err)
	}
	r := <-done
	if r.err != nil || r.n != int64(len(want)) {
		t.Fatalf("WriteBuffers = %d, %v; want %d, nil", r.n, r.err, len(want))
	}
	if !bytes.Equal(got, want) {
		t.Fatal("bytes arrived changed or out of order")
	}
	for i, p := range s.iov[:cap(s.iov)] {
		if p.Base != nil {
			t.Fatalf("iovec %d still points at a written buffer", i)
		}
	}
}

func TestWriteToClosedPeerFails(t *testing.T) {
	c, s := pair(t)
	c.Close()
	var err error
	for range 100 { // the first writes may land before the reset arrives
		if _, err = s.Write(make([]byte, 64<<10)); err != nil {
			break
		}
		time.Sleep(time.Millisecond)
	}
	var oe *net.OpError
	if !errors.As(err, &oe) || oe.Op != "write" {
		t.Fatalf("Write to a closed peer = %v, want a *net.OpError from write", err)
	}
}

// TestConcurrentReadAndWrite runs one reader and one writer on each end at once, as a
// server's connection does.
func TestConcurrentReadAndWrite(t *testing.T) {
	c, s := pair(t)
	const rounds = 2000
	msg := []byte("ping-pong-payload")
	var wg sync.WaitGroup
	for _, end := range []*Conn{c, s} {
		wg.Add(2)
		go func() {
			defer wg.Done()
			for range rounds {
				if _, err := end.Write(msg); err != nil {
					t.Error(err)
					return
				}
			}
		}()
		go func() {
			defer wg.Done()
			buf := make([]byte, len(msg)*rounds)
			if _, err := io.ReadFull(end, buf); err != nil {
				t.Error(err)
				return
			}
			if !bytes.Equal(buf, bytes.Repeat(msg, rounds)) {
				t.Error("bytes arrived changed")
			}
		}()
	}
	wg.Wait()
}
