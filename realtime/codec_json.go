package realtime

import (
	"strconv"
	"time"
	"unicode/utf8"

	"github.com/heroiclabs/nakama-common/rtapi"
	"google.golang.org/protobuf/types/known/timestamppb"

	"github.com/hearth-server/hearth/internal/jsonw"
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
	w := socketJSON{Object: jsonw.Object{B: b}}
	w.Open()
	w.str("cid", env.Cid)
	w.Key("channel_message")
	w.Open()
	w.str("channel_id", m.ChannelId)
	w.str("message_id", m.MessageId)
	if m.Code != nil {
		w.Key("code")
		w.B = strconv.AppendInt(w.B, int64(m.Code.Value), 10)
	}
	w.str("sender_id", m.SenderId)
	w.str("username", m.Username)
	w.str("content", m.Content)
	w.timestamp("create_time", m.CreateTime)
	w.timestamp("update_time", m.UpdateTime)
	if m.Persistent != nil {
		w.Key("persistent")
		w.B = strconv.AppendBool(w.B, m.Persistent.Value)
	}
	w.str("room_name", m.RoomName)
	w.str("group_id", m.GroupId)
	w.str("user_id_one", m.UserIdOne)
	w.str("user_id_two", m.UserIdTwo)
	w.Close()
	w.Close()
	if w.refused {
		return b, false
	}
	return w.B, true
}

// socketJSON appends one JSON object with protojson's rules for Nakama's options: proto
// field names, empty strings and absent messages left out.
type socketJSON struct {
	jsonw.Object
	refused bool // a value protojson would refuse to encode
}

func (w *socketJSON) str(k, v string) {
	if v == "" {
		return
	}
	w.Key(k)
	w.quote(v)
}

// quote escapes what JSON requires (quotes, backslashes, control characters) and
// nothing else, as protojson does; it refuses invalid UTF-8, as protojson does.
func (w *socketJSON) quote(s string) {
	w.B = append(w.B, '"')
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
		w.B = append(w.B, s[start:i]...)
		switch c {
		case '"', '\\':
			w.B = append(w.B, '\\', c)
		case '\n':
			w.B = append(w.B, '\\', 'n')
		case '\r':
			w.B = append(w.B, '\\', 'r')
		case '\t':
			w.B = append(w.B, '\\', 't')
		case '\b':
			w.B = append(w.B, '\\', 'b')
		case '\f':
			w.B = append(w.B, '\\', 'f')
		default:
			const hex = "0123456789abcdef"
			w.B = append(w.B, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xf])
		}
		i++
		start = i
	}
	w.B = append(w.B, s[start:]...)
	w.B = append(w.B, '"')
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
	w.Key(k)
	w.B = append(w.B, '"')
	w.B = time.Unix(secs, 0).UTC().AppendFormat(w.B, "2006-01-02T15:04:05")
	if nanos != 0 {
		digits := 9
		for digits > 3 && nanos%1000 == 0 {
			nanos /= 1000
			digits -= 3
		}
		w.B = append(w.B, '.')
		var frac [9]byte
		for i := digits - 1; i >= 0; i-- {
			frac[i] = byte('0' + nanos%10)
			nanos /= 10
		}
		w.B = append(w.B, frac[:digits]...)
	}
	w.B = append(w.B, 'Z', '"')
}
