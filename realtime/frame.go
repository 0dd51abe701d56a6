package realtime

import (
	"encoding/binary"

	"github.com/heroiclabs/nakama-common/rtapi"
	"google.golang.org/protobuf/proto"

	"github.com/hearth-server/hearth/core/presence"
)

// The session writes its own frames; gorilla/websocket only reads. A server's frames
// are unmasked, so one rendering of a fan-out message, header included, serves every
// recipient in that format, and a write to an idle socket can be made directly by the
// sender (session.go) instead of through gorilla's per-frame writer and deadline.
// RFC 6455 section 5.2 defines the layout.

const (
	opText   = 0x1
	opBinary = 0x2
	opClose  = 0x8
	opPing   = 0x9
	opPong   = 0xA

	finalBit       = 0x80
	maxFrameHeader = 10 // 2 bytes, plus 8 for a payload length over 65535
)

// frameHeaderLen is the header size of a server frame carrying n payload bytes.
func frameHeaderLen(n int) int {
	switch {
	case n < 126:
		return 2
	case n <= 0xFFFF:
		return 4
	default:
		return 10
	}
}

// putFrameHeader writes the header of a final, unmasked frame into b, which is
// frameHeaderLen(n) bytes long.
func putFrameHeader(b []byte, op byte, n int) {
	b[0] = finalBit | op
	switch len(b) {
	case 2:
		b[1] = byte(n)
	case 4:
		b[1] = 126
		binary.BigEndian.PutUint16(b[2:], uint16(n))
	default:
		b[1] = 127
		binary.BigEndian.PutUint64(b[2:], uint64(n))
	}
}

// newFrame returns a whole frame carrying payload.
func newFrame(op byte, payload []byte) []byte {
	h := frameHeaderLen(len(payload))
	b := make([]byte, h+len(payload))
	putFrameHeader(b[:h], op, len(payload))
	copy(b[h:], payload)
	return b
}

// pingFrame is the server's keep-alive ping (no payload); frames are never written to,
// so one serves every session.
var pingFrame = newFrame(opPing, nil)

// encodeFrame renders an envelope in a socket format as one whole data frame: text for
// JSON, binary for protobuf. The payload is marshalled after room for the longest
// header, and the header is placed right before it, so nothing is copied.
func encodeFrame(f presence.Format, env *rtapi.Envelope) ([]byte, error) {
	b := make([]byte, maxFrameHeader, 256)
	var err error
	op := byte(opText)
	if f == presence.FormatProtobuf {
		op = opBinary
		b, err = proto.MarshalOptions{}.MarshalAppend(b, env)
	} else if fast, ok := appendEnvelopeJSON(b, env); ok {
		b = fast
	} else {
		b, err = jsonOut.MarshalAppend(b, env)
	}
	if err != nil {
		return nil, err
	}
	n := len(b) - maxFrameHeader
	start := maxFrameHeader - frameHeaderLen(n)
	putFrameHeader(b[start:maxFrameHeader], op, n)
	return b[start:], nil
}
