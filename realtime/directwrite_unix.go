//go:build unix

package realtime

import (
	"net"
	"syscall"
)

// directWriter returns a function that writes to c's socket without waiting: one
// write(2) on the non-blocking descriptor, under the descriptor's write lock, returning
// how many bytes the kernel took (0 when it took none or on any error; the writer
// goroutine then meets the error and handles it). nil when c has no descriptor (TLS).
func directWriter(c net.Conn) func([]byte) int {
	sc, ok := c.(syscall.Conn)
	if !ok {
		return nil
	}
	raw, err := sc.SyscallConn()
	if err != nil {
		return nil
	}
	return func(frame []byte) int {
		n := 0
		err := raw.Write(func(fd uintptr) bool {
			if m, err := syscall.Write(int(fd), frame); err == nil {
				n = m
			}
			return true // never wait for the socket to become writable
		})
		if err != nil {
			return 0
		}
		return n
	}
}
