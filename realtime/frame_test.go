package realtime

import (
	"bytes"
	"encoding/binary"
	"errors"
	"testing"

	"github.com/heroiclabs/nakama-common/rtapi"
	"google.golang.org/protobuf/types/known/wrapperspb"

	"github.com/hearth-server/hearth/core/presence"
)

// parseFrame reads one whole server frame as a client must (RFC 6455 5.2): final,
// unmasked, no reserved bits, the length in its shortest form, nothing after it.
func parseFrame(b []byte) (op byte, payload []byte, err error) {
	if len(b) < 2 {
		return 0, nil, errors.New("short header")
	}
	if b[0]&0xF0 != finalBit || b[1]&0x80 != 0 {
		return 0, nil, errors.New("not a final unmasked frame without reserved bits")
	}
	op, n, h := b[0]&0x0F, uint64(b[1]), 2
	switch n {
	case 126:
		if len(b) < 4 {
			return 0, nil, errors.New("short header")
		}
		n, h = uint64(binary.BigEndian.Uint16(b[2:])), 4
		if n < 126 {
			return 0, nil, errors.New("length not in its shortest form")
		}
	case 127:
		if len(b) < 10 {
			return 0, nil, errors.New("short header")
		}
		n, h = binary.BigEndian.Uint64(b[2:]), 10
		if n <= 0xFFFF || n>>63 != 0 {
			return 0, nil, errors.New("length not in its shortest form")
		}
	}
	if uint64(len(b)-h) != n {
		return 0, nil, errors.New("payload length does not match the header")
	}
	return op, b[h:], nil
}

// encodePayload is an envelope's payload as encodeFrame frames it.
func encodePayload(f presence.Format, env *rtapi.Envelope) ([]byte, error) {
	b, err := encodeFrame(f, env)
	if err != nil {
		return nil, err
	}
	_, p, err := parseFrame(b)
	return p, err
}

func TestFrameLengths(t *testing.T) {
	for _, n := range []int{0, 1, 125, 126, 127, 0xFFFF, 0x10000, 0x10001, 1 << 20} {
		payload := bytes.Repeat([]byte{'x'}, n)
		b := newFrame(opBinary, payload)
		if len(b) != frameHeaderLen(n)+n {
			t.Errorf("%d bytes: frame is %d bytes", n, len(b))
		}
		op, got, err := parseFrame(b)
		if err != nil || op != opBinary || !bytes.Equal(got, payload) {
			t.Errorf("%d bytes: op %x, %d bytes back, %v", n, op, len(got), err)
		}
	}
	if op, p, err := parseFrame(pingFrame); err != nil || op != opPing || len(p) != 0 {
		t.Errorf("ping frame: op %x payload %q %v", op, p, err)
	}
}

func TestEncodeFrame(t *testing.T) {
	big := string(bytes.Repeat([]byte{'a'}, 70000))
	for _, status := range []string{"", "s", string(bytes.Repeat([]byte{'b'}, 200)), big} {
		env := &rtapi.Envelope{Cid: "7", Message: &rtapi.Envelope_StatusUpdate{StatusUpdate: &rtapi.StatusUpdate{}}}
		if status != "" {
			env.GetStatusUpdate().Status = wrapperspb.String(status)
		}
		for f, op := range map[presence.Format]byte{presence.FormatJSON: opText, presence.FormatProtobuf: opBinary} {
			b, err := encodeFrame(f, env)
			if err != nil {
				t.Fatal(err)
			}
			gotOp, payload, err := parseFrame(b)
			if err != nil || gotOp != op {
				t.Fatalf("format %d, status of %d bytes: op %x %v", f, len(status), gotOp, err)
			}
			back, _, err := decode(f, payload)
			if err != nil || back.GetStatusUpdate().GetStatus().GetValue() != status {
				t.Fatalf("format %d, status of %d bytes: payload does not decode back: %v", f, len(status), err)
			}
		}
	}
}
