//go:build !unix

package realtime

import "net"

// socketIO is unavailable here: every frame goes through the writer goroutine, and a
// session waits inside its read, holding its buffer.
func socketIO(net.Conn) *fdIO { return nil }

type fdIO struct{}

func (*fdIO) write([]byte) int { return 0 }
func (*fdIO) wait() error      { return nil }
