package realtime

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"strings"
	"testing"
)

// recorder notes the events a frameReader reports, as text.
type recorder struct{ got []string }

func (r *recorder) onMessage(op byte, data []byte, tooLarge bool) {
	if tooLarge {
		r.got = append(r.got, fmt.Sprintf("message %d too large", op))
		return
	}
	r.got = append(r.got, fmt.Sprintf("message %d %q", op, data))
}
func (r *recorder) onPing(data []byte) { r.got = append(r.got, fmt.Sprintf("ping %q", data)) }
func (r *recorder) onPong()            { r.got = append(r.got, "pong") }
func (r *recorder) onClose(code int, hasCode bool) {
	r.got = append(r.got, fmt.Sprintf("close %d %v", code, hasCode))
}

// clientFrame builds a frame as a client sends it: masked with a fixed key.
func clientFrame(first byte, payload []byte) []byte {
	var b []byte
	switch n := len(payload); {
	case n < 126:
		b = []byte{first, 0x80 | byte(n)}
	case n <= 0xFFFF:
		b = binary.BigEndian.AppendUint16([]byte{first, 0x80 | 126}, uint16(n))
	default:
		b = binary.BigEndian.AppendUint64([]byte{first, 0x80 | 127}, uint64(n))
	}
	key := []byte{0x37, 0xfa, 0x21, 0x3d}
	b = append(b, key...)
	for i, c := range payload {
		b = append(b, c^key[i&3])
	}
	return b
}

// readFrames feeds stream to a reader in pieces of at most step bytes, carrying what
// it leaves unused as a session does, and returns the events and the error.
func readFrames(stream []byte, step, maxMessage int) ([]string, error) {
	rec := &recorder{}
	fr := &frameReader{maxMessage: int64(maxMessage), events: rec}
	defer fr.release()
	stream = bytes.Clone(stream) // unmasked in place
	var pending []byte
	for len(stream) > 0 {
		n := min(step, len(stream))
		buf := append(pending, stream[:n]...)
		stream = stream[n:]
		used, err := fr.feed(buf)
		if err != nil {
			return rec.got, err
		}
		pending = append([]byte(nil), buf[used:]...)
	}
	if len(pending) > 0 || !fr.idle() {
		return rec.got, errors.New("incomplete")
	}
	return rec.got, nil
}

func TestFrameReader(t *testing.T) {
	cat := func(frames ...[]byte) []byte { return bytes.Join(frames, nil) }
	closePayload := func(code int, reason string) []byte {
		return append(binary.BigEndian.AppendUint16(nil, uint16(code)), reason...)
	}
	long := strings.Repeat("z", 70000)
	for _, tc := range []struct {
		name   string
		stream []byte
		want   []string
		err    string
	}{
		{"text", clientFrame(0x81, []byte(`{"ping":{}}`)), []string{`message 1 "{\"ping\":{}}"`}, ""},
		{"binary, empty", clientFrame(0x82, nil), []string{`message 2 ""`}, ""},
		{"16-bit length", clientFrame(0x81, []byte(strings.Repeat("a", 300))), []string{fmt.Sprintf("message 1 %q", strings.Repeat("a", 300))}, ""},
		{"fragments around control frames", cat(clientFrame(0x01, []byte("he")), clientFrame(0x89, []byte("p")), clientFrame(0x00, []byte("ll")), clientFrame(0x8A, nil), clientFrame(0x80, []byte("o"))),
			[]string{`ping "p"`, "pong", `message 1 "hello"`}, ""},
		{"at the limit", clientFrame(0x81, []byte(strings.Repeat("b", 400))), []string{fmt.Sprintf("message 1 %q", strings.Repeat("b", 400))}, ""},
		{"one past the limit", clientFrame(0x81, []byte(strings.Repeat("b", 401))), []string{"message 1 too large"}, ""},
		{"over the limit, then more", cat(clientFrame(0x81, []byte(long)), clientFrame(0x81, []byte("after"))), []string{"message 1 too large", `message 1 "after"`}, ""},
		{"over the limit in fragments", cat(clientFrame(0x02, []byte(strings.Repeat("c", 250))), clientFrame(0x80, []byte(strings.Repeat("c", 250)))), []string{"message 2 too large"}, ""},
		{"close with code", cat(clientFrame(0x88, closePayload(4001, "bye")), clientFrame(0x81, []byte("ignored"))), []string{"close 4001 true"}, errCloseReceived.Error()},
		{"empty close", clientFrame(0x88, nil), []string{"close 0 false"}, errCloseReceived.Error()},
		{"unmasked", []byte{0x81, 0x01, 'x'}, nil, "incorrect mask flag"},
		{"reserved bits", clientFrame(0xC1, []byte("x")), nil, "unexpected reserved bits 0x40"},
		{"unknown opcode", clientFrame(0x83, nil), nil, "unknown opcode 3"},
		{"control too long", clientFrame(0x89, []byte(strings.Repeat("p", 126))), nil, "control frame length > 125"},
		{"control not final", clientFrame(0x09, nil), nil, "control frame not final"},
		{"continuation first", clientFrame(0x80, []byte("x")), nil, "continuation after final message frame"},
		{"new message inside one", cat(clientFrame(0x01, []byte("a")), clientFrame(0x81, []byte("b"))), nil, "message start before final message frame"},
		{"close of one byte", clientFrame(0x88, []byte{3}), nil, "invalid close frame"},
		{"close code 1005", clientFrame(0x88, closePayload(1005, "")), nil, "invalid close code"},
		{"close code 2999", clientFrame(0x88, closePayload(2999, "")), nil, "invalid close code"},
		{"close reason not UTF-8", clientFrame(0x88, closePayload(1000, "\xff")), nil, "invalid utf8 payload in close frame"},
		{"64-bit length with the top bit", []byte{0x82, 0xFF, 0x80, 0, 0, 0, 0, 0, 0, 0, 1, 2, 3, 4}, nil, "invalid payload length"},
	} {
		for _, step := range []int{1, 3, 7, 4096, 1 << 20} {
			got, err := readFrames(tc.stream, step, 400)
			if tc.err == "" && err != nil || tc.err != "" && (err == nil || !strings.HasSuffix(err.Error(), tc.err)) {
				t.Errorf("%s, pieces of %d: error %v, want %q", tc.name, step, err, tc.err)
			}
			if strings.Join(got, "|") != strings.Join(tc.want, "|") {
				t.Errorf("%s, pieces of %d: events %q, want %q", tc.name, step, got, tc.want)
			}
		}
	}
}

// FuzzFrameReader feeds arbitrary client bytes in pieces of every size: the reader must
// never panic, and what it reports must not depend on how the bytes were split.
func FuzzFrameReader(f *testing.F) {
	f.Add(clientFrame(0x81, []byte(`{"cid":"1","ping":{}}`)), uint8(1))
	f.Add(append(clientFrame(0x01, []byte("ab")), clientFrame(0x80, []byte("c"))...), uint8(2))
	f.Add(clientFrame(0x88, []byte{0x03, 0xe8, 'o', 'k'}), uint8(3))
	f.Add(clientFrame(0x82, bytes.Repeat([]byte{7}, 200)), uint8(5))
	f.Add([]byte{0x81, 0xFE, 0x00}, uint8(1))
	f.Fuzz(func(t *testing.T, stream []byte, step uint8) {
		whole, wholeErr := readFrames(stream, len(stream)+1, 128)
		split, splitErr := readFrames(stream, int(step)+1, 128)
		if strings.Join(whole, "|") != strings.Join(split, "|") || (wholeErr == nil) != (splitErr == nil) {
			t.Fatalf("whole: %q %v; in pieces of %d: %q %v", whole, wholeErr, int(step)+1, split, splitErr)
		}
	})
}
