//go:build unix

package realtime

import (
	"net"
	"syscall"
	"unsafe"
)

// socketIO returns the session's direct access to c's socket descriptor, or nil when c
// has none (TLS, which may also hold decrypted bytes of its own):
//
//   - write writes without waiting: one write(2) on the non-blocking descriptor,
//     returning how many bytes the kernel took (0 when it took none or on any error;
//     the writer goroutine then meets the error). Only one write is made at a time
//     (the session's queue lock). It bypasses the runtime's descriptor lock and poller
//     bookkeeping (about a twentieth of a fan-out delivery's CPU); the caller fences it
//     off instead: the session writes only under its queue lock, which its close takes
//     before closing the connection, so no write reaches a descriptor number reused by
//     another connection.
//   - wait waits until there is something to read (or the stream ended, or the read
//     deadline passed) without reading it, so a waiting session holds no read buffer.
//     It peeks first and waits only after the kernel said there was nothing, which the
//     runtime's edge-triggered poller requires. Only the reader calls it.
//
// Their per-call state lives in the struct, so neither allocates per call.
func socketIO(c net.Conn) *fdIO {
	sc, ok := c.(syscall.Conn)
	if !ok {
		return nil
	}
	raw, err := sc.SyscallConn()
	if err != nil {
		return nil
	}
	f := &fdIO{raw: raw}
	if err := raw.Control(func(fd uintptr) { f.fd = fd }); err != nil {
		return nil
	}
	f.peekOnce = f.peek
	return f
}

type fdIO struct {
	raw syscall.RawConn
	fd  uintptr

	waited   bool // the wait in progress has seen nothing to read
	peekByte [1]byte
	peekOnce func(fd uintptr) bool
}

func (f *fdIO) write(frame []byte) int {
	// The descriptor is non-blocking, so the call returns at once and the scheduler
	// need not be told of it. Frames are never empty.
	n, _, errno := syscall.RawSyscall(syscall.SYS_WRITE, f.fd, uintptr(unsafe.Pointer(&frame[0])), uintptr(len(frame)))
	if errno != 0 {
		return 0
	}
	return int(n)
}

func (f *fdIO) wait() error {
	f.waited = false
	return f.raw.Read(f.peekOnce)
}

func (f *fdIO) peek(fd uintptr) bool {
	if f.waited {
		return true // the poller says readable; the read that follows will tell
	}
	// Raw, like every read and write of a session (internal/rawio says why).
	for {
		_, _, errno := syscall.RawSyscall6(syscall.SYS_RECVFROM, fd, uintptr(unsafe.Pointer(&f.peekByte[0])), 1,
			syscall.MSG_PEEK|syscall.MSG_DONTWAIT, 0, 0)
		switch errno {
		case syscall.EINTR:
		case syscall.EAGAIN:
			f.waited = true
			return false
		default:
			return true // data, end of stream or an error: the read meets it
		}
	}
}
