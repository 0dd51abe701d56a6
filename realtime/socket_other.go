//go:build !unix

package realtime

import "net"

// socketIO is unavailable here: every frame goes through the writer goroutine, and a
// session waits inside its read, holding its buffer.
func socketIO(net.Conn) (writeNow func([]byte) int, waitReadable func() error) { return nil, nil }
