package realtime

import (
	"strconv"
	"time"
	"unicode/utf8"

	"github.com/heroiclabs/nakama-common/rtapi"
	"google.golang.org/protobuf/types/known/timestamppb"
)

// Every chat message fans out as a channel_message envelope, and protojson spent about
// 50 µs on each one (reflection over the message and its wrapper and timestamp fields:
// 3% of ws-chat-fanout-200's server CPU). appendEnvelopeJSON writes that envelope by
// hand; every other envelope goes through protojson. TestEnvelopeJSONMatchesProtojson
// and its fuzz test hold the two equal as JSON documents.

// appendEnvelopeJSON appends env as Nakama's socket JSON when it is an envelope written
// by hand, and reports false (b unchanged) for anything else, or when a value is one
// protojson refuses (invalid UTF-8, a timestamp out of range), so protojson answers.
func appendEnvelopeJSON(b []byte, env *rtapi.Envelope) ([]byte, bool) {
	msg, ok := env.Message.(*rtapi.Envelope_ChannelMessage)
	if !ok || msg.ChannelMessage == nil {
		return b, false
	}
	m := msg.ChannelMessage
	w := socketJSON{b: b}
	w.open()
	w.str("cid", env.Cid)
	w.key("channel_message")
	w.open()
	w.str("channel_id", m.ChannelId)
	w.str("message_id", m.MessageId)
	if m.Code != nil {
		w.key("code")
		w.b = strconv.AppendInt(w.b, int64(m.Code.Value), 10)
	}
	w.str("sender_id", m.SenderId)
	w.str("username", m.Username)
	w.str("content", m.Content)
	w.timestamp("create_time", m.CreateTime)
	w.timestamp("update_time", m.UpdateTime)
	if m.Persistent != nil {
		w.key("persistent")
		w.b = strconv.AppendBool(w.b, m.Persistent.Value)
	}
	w.str("room_name", m.RoomName)
	w.str("group_id", m.GroupId)
	w.str("user_id_one", m.UserIdOne)
	w.str("user_id_two", m.UserIdTwo)
	w.close()
	w.close()
	if w.refused {
		return b, false
	}
	return w.b, true
}

// socketJSON appends one JSON object with protojson's rules for Nakama's options: proto
// field names, empty strings and absent messages left out.
type socketJSON struct {
	b       []byte
	first   bool // nothing written yet in the innermost object
	refused bool // a value protojson would refuse to encode
}

func (w *socketJSON) open()  { w.b, w.first = append(w.b, '{'), true }
func (w *socketJSON) close() { w.b, w.first = append(w.b, '}'), false }

func (w *socketJSON) key(k string) {
	if !w.first {
		w.b = append(w.b, ',')
	}
	w.first = false
	w.b = append(w.b, '"')
	w.b = append(w.b, k...)
	w.b = append(w.b, '"', ':')
}

func (w *socketJSON) str(k, v string) {
	if v == "" {
		return
	}
	w.key(k)
	w.quote(v)
}

// quote escapes what JSON requires (quotes, backslashes, control characters) and
// nothing else, as protojson does; it refuses invalid UTF-8, as protojson does.
func (w *socketJSON) quote(s string) {
	w.b = append(w.b, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c >= utf8.RuneSelf {
			r, size := utf8.DecodeRuneInString(s[i:])
			if r == utf8.RuneError && size == 1 {
				w.refused = true
				return
			}
			i += size
			continue
		}
		if c >= 0x20 && c != '"' && c != '\\' {
			i++
			continue
		}
		w.b = append(w.b, s[start:i]...)
		switch c {
		case '"', '\\':
			w.b = append(w.b, '\\', c)
		case '\n':
			w.b = append(w.b, '\\', 'n')
		case '\r':
			w.b = append(w.b, '\\', 'r')
		case '\t':
			w.b = append(w.b, '\\', 't')
		case '\b':
			w.b = append(w.b, '\\', 'b')
		case '\f':
			w.b = append(w.b, '\\', 'f')
		default:
			const hex = "0123456789abcdef"
			w.b = append(w.b, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xf])
		}
		i++
		start = i
	}
	w.b = append(w.b, s[start:]...)
	w.b = append(w.b, '"')
}

// The range of google.protobuf.Timestamp: 0001-01-01T00:00:00Z to 9999-12-31T23:59:59Z.
const (
	minTimestampSeconds = -62135596800
	maxTimestampSeconds = 253402300799
)

// timestamp writes an RFC 3339 time in UTC whose fraction has 0, 3, 6 or 9 digits, the
// fewest that hold the nanoseconds exactly, as protojson does.
func (w *socketJSON) timestamp(k string, ts *timestamppb.Timestamp) {
	if ts == nil {
		return
	}
	secs, nanos := ts.Seconds, ts.Nanos
	if secs < minTimestampSeconds || secs > maxTimestampSeconds || nanos < 0 || nanos >= 1e9 {
		w.refused = true
		return
	}
	w.key(k)
	w.b = append(w.b, '"')
	w.b = time.Unix(secs, 0).UTC().AppendFormat(w.b, "2006-01-02T15:04:05")
	if nanos != 0 {
		digits := 9
		for digits > 3 && nanos%1000 == 0 {
			nanos /= 1000
			digits -= 3
		}
		w.b = append(w.b, '.')
		var frac [9]byte
		for i := digits - 1; i >= 0; i-- {
			frac[i] = byte('0' + nanos%10)
			nanos /= 10
		}
		w.b = append(w.b, frac[:digits]...)
	}
	w.b = append(w.b, 'Z', '"')
}
