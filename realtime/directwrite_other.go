//go:build !unix

package realtime

import "net"

// directWriter is unavailable here: every frame goes through the writer goroutine.
func directWriter(net.Conn) func([]byte) int { return nil }
