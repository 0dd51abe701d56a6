//go:build !unix

package rawio

import "net"

// Wrap returns c unchanged: raw calls are made only on unix.
func Wrap(c net.Conn) net.Conn { return c }

// Listen returns ln unchanged.
func Listen(ln net.Listener) net.Listener { return ln }
