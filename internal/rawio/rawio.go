//go:build unix

// Package rawio makes a socket's reads and writes raw system calls, unannounced to the Go
// scheduler.
//
// Why: a net.Conn's Read and Write tell the runtime they are entering a system call. When
// the process has just been idle, that announcement wakes the runtime's monitor thread
// (sysmon) and resets it to polling every 20 µs for the next millisecond. A server that
// answers one request and goes idle again pays that on every request: with perf on the
// chat fan-out, sysmon's sleeps and wake-ups were 13% of the server's CPU, invisible to
// pprof. The descriptors net hands out are non-blocking, so these calls return at once
// and there is nothing for the scheduler to take over; waiting for readiness still goes
// through the runtime's poller (syscall.RawConn), so deadlines, Close and the poller's
// wake-ups behave as with net.Conn.
package rawio

import (
	"io"
	"net"
	"os"
	"sync"
	"syscall"
	"unsafe"
)

// Conn is a net.Conn whose Read, Write and WriteBuffers are raw system calls on its
// descriptor. Everything else is the wrapped connection's.
type Conn struct {
	net.Conn
	raw syscall.RawConn

	// Read state, handed to the poller's callback without a closure per call.
	rmu    sync.Mutex
	rbuf   []byte
	rn     int
	rerrno syscall.Errno
	readFn func(fd uintptr) bool

	// Write state; wbufs and iov are used by WriteBuffers.
	wmu     sync.Mutex
	wbuf    []byte
	wbufs   [][]byte
	iov     []syscall.Iovec
	wn      int64
	werrno  syscall.Errno
	writeFn func(fd uintptr) bool
	vecFn   func(fd uintptr) bool
}

// Wrap returns c as a *Conn, or c unchanged when it has no descriptor of its own (TLS,
// pipes) or is already one.
func Wrap(c net.Conn) net.Conn {
	if _, ok := c.(*Conn); ok {
		return c
	}
	sc, ok := c.(syscall.Conn)
	if !ok {
		return c
	}
	raw, err := sc.SyscallConn()
	if err != nil {
		return c
	}
	rc := &Conn{Conn: c, raw: raw}
	rc.readFn, rc.writeFn, rc.vecFn = rc.read, rc.write, rc.writev
	return rc
}

// Listen wraps every connection ln accepts.
func Listen(ln net.Listener) net.Listener { return listener{ln} }

type listener struct{ net.Listener }

func (l listener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err != nil {
		return nil, err
	}
	return Wrap(c), nil
}

// SyscallConn is the wrapped connection's, so callers can still reach the descriptor.
func (c *Conn) SyscallConn() (syscall.RawConn, error) { return c.raw, nil }

// CloseWrite shuts the sending half when the wrapped connection can (net/http uses it).
func (c *Conn) CloseWrite() error {
	if cw, ok := c.Conn.(interface{ CloseWrite() error }); ok {
		return cw.CloseWrite()
	}
	return nil
}

// Read reads what has arrived, waiting in the poller when nothing has.
func (c *Conn) Read(p []byte) (int, error) {
	if len(p) == 0 {
		return 0, nil
	}
	c.rmu.Lock()
	defer c.rmu.Unlock()
	c.rbuf, c.rn, c.rerrno = p, 0, 0
	err := c.raw.Read(c.readFn)
	n, errno := c.rn, c.rerrno
	c.rbuf = nil
	switch {
	case err != nil:
		return 0, err // deadline passed or connection closed, already a *net.OpError
	case errno != 0:
		return 0, c.opError("read", errno)
	case n == 0:
		return 0, io.EOF
	}
	return n, nil
}

func (c *Conn) read(fd uintptr) bool {
	for {
		n, errno := rawRead(fd, c.rbuf)
		switch errno {
		case 0:
			c.rn = n
			return true
		case syscall.EINTR:
		case syscall.EAGAIN:
			return false
		default:
			c.rerrno = errno
			return true
		}
	}
}

// Write writes all of p, waiting in the poller whenever the socket's buffer is full.
func (c *Conn) Write(p []byte) (int, error) {
	c.wmu.Lock()
	defer c.wmu.Unlock()
	c.wbuf, c.wn, c.werrno = p, 0, 0
	err := c.raw.Write(c.writeFn)
	n, errno := int(c.wn), c.werrno
	c.wbuf = nil
	if err == nil && errno != 0 {
		err = c.opError("write", errno)
	}
	return n, err
}

func (c *Conn) write(fd uintptr) bool {
	for int(c.wn) < len(c.wbuf) {
		n, errno := rawWrite(fd, c.wbuf[c.wn:])
		switch errno {
		case 0:
			c.wn += int64(n)
		case syscall.EINTR:
		case syscall.EAGAIN:
			return false
		default:
			c.werrno = errno
			return true
		}
	}
	return true
}

// WriteBuffers writes every buffer in order with as few writev calls as the kernel
// allows, like net.Buffers.WriteTo (which cannot see this type), and like it consumes
// bufs: the elements may be resliced.
func (c *Conn) WriteBuffers(bufs [][]byte) (int64, error) {
	c.wmu.Lock()
	defer c.wmu.Unlock()
	c.wbufs, c.wn, c.werrno = bufs, 0, 0
	err := c.raw.Write(c.vecFn)
	n, errno := c.wn, c.werrno
	c.wbufs = nil
	clear(c.iov[:cap(c.iov)]) // hold no frames while idle
	if err == nil && errno != 0 {
		err = c.opError("writev", errno)
	}
	return n, err
}

func (c *Conn) writev(fd uintptr) bool {
	for {
		c.iov = c.iov[:0]
		for _, b := range c.wbufs {
			if len(b) == 0 {
				continue
			}
			c.iov = append(c.iov, syscall.Iovec{Base: &b[0]})
			c.iov[len(c.iov)-1].SetLen(len(b))
			if len(c.iov) == maxIovecs {
				break
			}
		}
		if len(c.iov) == 0 {
			return true
		}
		n, errno := rawWritev(fd, c.iov)
		switch errno {
		case 0:
			c.wn += int64(n)
			c.consume(n)
		case syscall.EINTR:
		case syscall.EAGAIN:
			return false
		default:
			c.werrno = errno
			return true
		}
	}
}

// maxIovecs is Linux's IOV_MAX: a longer writev is refused.
const maxIovecs = 1024

// consume drops the first n written bytes from wbufs.
func (c *Conn) consume(n int) {
	for len(c.wbufs) > 0 && n >= len(c.wbufs[0]) {
		n -= len(c.wbufs[0])
		c.wbufs[0] = nil
		c.wbufs = c.wbufs[1:]
	}
	if n > 0 {
		c.wbufs[0] = c.wbufs[0][n:]
	}
}

func (c *Conn) opError(op string, errno syscall.Errno) error {
	return &net.OpError{Op: op, Net: c.LocalAddr().Network(), Source: c.LocalAddr(), Addr: c.RemoteAddr(), Err: os.NewSyscallError(op, errno)}
}

// The calls themselves. Buffers are never empty here.

func rawRead(fd uintptr, p []byte) (int, syscall.Errno) {
	n, _, errno := syscall.RawSyscall(syscall.SYS_READ, fd, uintptr(unsafe.Pointer(&p[0])), uintptr(len(p)))
	return int(n), errno
}

func rawWrite(fd uintptr, p []byte) (int, syscall.Errno) {
	n, _, errno := syscall.RawSyscall(syscall.SYS_WRITE, fd, uintptr(unsafe.Pointer(&p[0])), uintptr(len(p)))
	return int(n), errno
}

func rawWritev(fd uintptr, iov []syscall.Iovec) (int, syscall.Errno) {
	n, _, errno := syscall.RawSyscall(syscall.SYS_WRITEV, fd, uintptr(unsafe.Pointer(&iov[0])), uintptr(len(iov)))
	return int(n), errno
}
