package realtime

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"sync"
	"unicode/utf8"
)

// The session reads its client's frames itself too: gorilla/websocket's reader holds a
// read buffer and a goroutine stack deep enough to need 4 KiB on every idle socket.
// frameReader is a parser fed whatever arrived, in pieces of any size, so a socket can
// wait for data holding no buffer at all (session.go).

// frameEvents receives what a client's frames mean.
type frameEvents interface {
	// onMessage receives a whole text or binary message; data is only valid during the
	// call. A message longer than the limit arrives as tooLarge, without its data.
	onMessage(op byte, data []byte, tooLarge bool)
	onPing(data []byte)
	onPong()
	// onClose receives the client's close frame; hasCode is false for an empty one.
	onClose(code int, hasCode bool)
}

// errCloseReceived ends parsing after a close frame: nothing may follow it.
var errCloseReceived = errors.New("websocket: close frame received")

// protocolError is a client's breach of RFC 6455; the server answers it with a close
// frame of status 1002 carrying the reason, then closes.
type protocolError string

func (e protocolError) Error() string { return "websocket: " + string(e) }

// frameReader parses a client's byte stream (RFC 6455 5.2-5.5): client frames must be
// masked, carry no reserved bits (no extension is negotiated) and use a known opcode;
// control frames (close, ping, pong) are final, at most 125 bytes, and may come between
// the fragments of a message; a message is a text or binary frame, then continuation
// frames up to a final one.
type frameReader struct {
	maxMessage int64
	events     frameEvents

	inFrame bool // a header has been read; its payload (left bytes) is coming
	op      byte
	fin     bool
	left    uint64
	mask    [4]byte
	maskAt  int
	control [maxControlPayload]byte
	ctlLen  int

	msgOp   byte          // the message in progress; 0 between messages
	msg     *bytes.Buffer // its data so far, from the frames pool
	msgSize int64         // its length so far, counting what went past the limit
}

const maxControlPayload = 125

// feed parses b, unmasking payloads in place, and reports what completes to the events.
// It returns how many bytes it used: all of b, or fewer when b ends inside a frame
// header, whose bytes the caller passes again with what follows. After an error the
// reader must not be fed again.
func (r *frameReader) feed(b []byte) (int, error) {
	used := 0
	for {
		if r.inFrame && r.left == 0 {
			if err := r.endFrame(); err != nil {
				return used, err
			}
		}
		if used == len(b) {
			return used, nil
		}
		if !r.inFrame {
			n, err := r.startFrame(b[used:])
			if err != nil || n == 0 {
				return used, err
			}
			used += n
			continue
		}
		n := int(min(uint64(len(b)-used), r.left))
		r.payload(b[used : used+n])
		used += n
		r.left -= uint64(n)
	}
}

// idle reports whether the reader is between frames with no message open: the state in
// which the socket can wait holding nothing.
func (r *frameReader) idle() bool { return !r.inFrame && r.msgOp == 0 }

// release returns a message buffer still held (the connection ended mid-message).
func (r *frameReader) release() {
	if r.msg != nil {
		frames.Put(r.msg)
		r.msg, r.msgOp = nil, 0
	}
}

// startFrame reads the frame header at the start of b; 0 when b does not hold all of it.
func (r *frameReader) startFrame(b []byte) (int, error) {
	if len(b) < 2 {
		return 0, nil
	}
	if b[0]&0x70 != 0 {
		return 0, protocolError(fmt.Sprintf("unexpected reserved bits 0x%x", b[0]&0x70))
	}
	op, fin := b[0]&0x0F, b[0]&finalBit != 0
	switch op {
	case 0, opText, opBinary, opClose, opPing, opPong:
	default:
		return 0, protocolError(fmt.Sprintf("unknown opcode %d", op))
	}
	if b[1]&0x80 == 0 {
		return 0, protocolError("incorrect mask flag") // clients must mask every frame
	}
	n, h := uint64(b[1]&0x7F), 2
	switch n {
	case 126:
		if len(b) < 4 {
			return 0, nil
		}
		n, h = uint64(binary.BigEndian.Uint16(b[2:])), 4
	case 127:
		if len(b) < 10 {
			return 0, nil
		}
		n, h = binary.BigEndian.Uint64(b[2:]), 10
		if n>>63 != 0 {
			return 0, protocolError("invalid payload length")
		}
	}
	if len(b) < h+4 {
		return 0, nil
	}
	if op >= opClose {
		if !fin {
			return 0, protocolError("control frame not final")
		}
		if n > maxControlPayload {
			return 0, protocolError("control frame length > 125")
		}
		r.ctlLen = 0
	} else if op == 0 {
		if r.msgOp == 0 {
			return 0, protocolError("continuation after final message frame")
		}
	} else {
		if r.msgOp != 0 {
			return 0, protocolError("message start before final message frame")
		}
		r.msgOp, r.msgSize = op, 0
		r.msg = frames.Get().(*bytes.Buffer)
		r.msg.Reset()
	}
	copy(r.mask[:], b[h:h+4])
	r.inFrame, r.op, r.fin, r.left, r.maskAt = true, op, fin, n, 0
	return h + 4, nil
}

// payload takes the next piece of the current frame's payload.
func (r *frameReader) payload(p []byte) {
	for i := range p {
		p[i] ^= r.mask[(r.maskAt+i)&3]
	}
	r.maskAt = (r.maskAt + len(p)) & 3
	if r.op >= opClose {
		r.ctlLen += copy(r.control[r.ctlLen:], p)
		return
	}
	if r.msgSize+int64(len(p)) <= r.maxMessage {
		r.msg.Write(p)
	} else if r.msg.Len() > 0 {
		r.msg.Reset() // too large: the data goes, only its length counts
	}
	r.msgSize += int64(len(p))
}

// endFrame acts on a frame whose payload is complete.
func (r *frameReader) endFrame() error {
	r.inFrame = false
	switch r.op {
	case opPing:
		r.events.onPing(r.control[:r.ctlLen])
	case opPong:
		r.events.onPong()
	case opClose:
		p := r.control[:r.ctlLen]
		switch {
		case len(p) == 0:
			r.events.onClose(0, false)
		case len(p) == 1:
			return protocolError("invalid close frame")
		default:
			code := int(binary.BigEndian.Uint16(p))
			if !validCloseCode(code) {
				return protocolError("invalid close code")
			}
			if !utf8.Valid(p[2:]) {
				return protocolError("invalid utf8 payload in close frame")
			}
			r.events.onClose(code, true)
		}
		return errCloseReceived
	default:
		if !r.fin {
			return nil
		}
		op, msg, tooLarge := r.msgOp, r.msg, r.msgSize > r.maxMessage
		r.msgOp, r.msg = 0, nil
		r.events.onMessage(op, msg.Bytes(), tooLarge)
		if msg.Cap() <= 64<<10 {
			frames.Put(msg)
		}
	}
	return nil
}

// validCloseCode reports whether a client may send code in a close frame (RFC 6455
// 7.4.1 and the IANA registry): the defined codes a peer may send, and 3000-4999 for
// libraries and applications.
func validCloseCode(code int) bool {
	switch {
	case code >= 3000 && code <= 4999:
		return true
	case code < 1000 || code > 1014:
		return false
	}
	return code != 1004 && code != 1005 && code != 1006
}

// frames pools message buffers, held only while a message is being read.
var frames = sync.Pool{New: func() any { return new(bytes.Buffer) }}
