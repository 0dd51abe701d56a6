//go:build unix

package realtime

import (
	"net"
	"syscall"
)

// socketIO returns the session's two direct uses of c's socket descriptor, or nils when
// c has none (TLS, which may also hold decrypted bytes of its own):
//
//   - writeNow writes without waiting: one write(2) on the non-blocking descriptor,
//     under the descriptor's write lock, returning how many bytes the kernel took (0
//     when it took none or on any error; the writer goroutine then meets the error).
//     Only one write is made at a time (Session.writing).
//   - waitReadable waits until there is something to read (or the stream ended, or the
//     read deadline passed) without reading it, so a waiting session holds no read
//     buffer. It peeks first and waits only after the kernel said there was nothing,
//     which the runtime's edge-triggered poller requires. Only the reader calls it.
//
// Their per-call state lives in one struct made here, so neither allocates per call.
func socketIO(c net.Conn) (writeNow func([]byte) int, waitReadable func() error) {
	sc, ok := c.(syscall.Conn)
	if !ok {
		return nil, nil
	}
	raw, err := sc.SyscallConn()
	if err != nil {
		return nil, nil
	}
	f := &fdIO{raw: raw}
	f.writeOnce, f.peekOnce = f.writeFrame, f.peek
	return f.write, f.wait
}

type fdIO struct {
	raw syscall.RawConn

	frame     []byte // the write in progress
	written   int
	writeOnce func(fd uintptr) bool

	waited   bool // the wait in progress has seen nothing to read
	peekByte [1]byte
	peekOnce func(fd uintptr) bool
}

func (f *fdIO) write(frame []byte) int {
	f.frame, f.written = frame, 0
	err := f.raw.Write(f.writeOnce)
	f.frame = nil
	if err != nil {
		return 0
	}
	return f.written
}

func (f *fdIO) writeFrame(fd uintptr) bool {
	if n, err := syscall.Write(int(fd), f.frame); err == nil {
		f.written = n
	}
	return true // never wait for the socket to become writable
}

func (f *fdIO) wait() error {
	f.waited = false
	return f.raw.Read(f.peekOnce)
}

func (f *fdIO) peek(fd uintptr) bool {
	if f.waited {
		return true // the poller says readable; the read that follows will tell
	}
	_, _, err := syscall.Recvfrom(int(fd), f.peekByte[:], syscall.MSG_PEEK|syscall.MSG_DONTWAIT)
	if err == syscall.EAGAIN || err == syscall.EWOULDBLOCK {
		f.waited = true
		return false
	}
	return true // data, end of stream or an error: the read meets it
}
