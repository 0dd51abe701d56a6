package realtime

import (
	"encoding/json"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"

	"github.com/heroiclabs/nakama-common/api"
	"github.com/heroiclabs/nakama-common/rtapi"
	"google.golang.org/protobuf/types/known/timestamppb"
	"google.golang.org/protobuf/types/known/wrapperspb"
)

func channelMessageEnvelope(cid string, m *api.ChannelMessage) *rtapi.Envelope {
	return &rtapi.Envelope{Cid: cid, Message: &rtapi.Envelope_ChannelMessage{ChannelMessage: m}}
}

// sameAsProtojson checks appendEnvelopeJSON against protojson with the socket's options:
// where protojson encodes env, the hand-written document must parse to the same value;
// where protojson refuses, the hand-written encoder must hand env over to it.
func sameAsProtojson(t *testing.T, env *rtapi.Envelope) {
	t.Helper()
	want, werr := jsonOut.Marshal(env)
	got, ok := appendEnvelopeJSON(nil, env)
	if werr != nil {
		if ok {
			t.Fatalf("protojson refuses %v (%v), the hand-written encoder wrote %s", env, werr, got)
		}
		return
	}
	if !ok {
		t.Fatalf("hand-written encoder refused %v, protojson wrote %s", env, want)
	}
	var g, w any
	if err := json.Unmarshal(got, &g); err != nil {
		t.Fatalf("hand-written %s is not JSON: %v", got, err)
	}
	if err := json.Unmarshal(want, &w); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(g, w) {
		t.Fatalf("hand-written %s\nprotojson    %s", got, want)
	}
}

func TestEnvelopeJSONMatchesProtojson(t *testing.T) {
	full := &api.ChannelMessage{
		ChannelId: "2...room", MessageId: "0e5b4a3c-6a52-4b6f-9d6a-1f0b8d8c9a11", Code: wrapperspb.Int32(0),
		SenderId: "1e5b4a3c-6a52-4b6f-9d6a-1f0b8d8c9a11", Username: "bob", Content: `{"msg":"hi \"there\"\n"}`,
		CreateTime: &timestamppb.Timestamp{Seconds: 1764000000}, UpdateTime: &timestamppb.Timestamp{Seconds: 1764000001},
		Persistent: wrapperspb.Bool(false), RoomName: "room", GroupId: "g", UserIdOne: "a", UserIdTwo: "b",
	}
	for name, env := range map[string]*rtapi.Envelope{
		"every field":              channelMessageEnvelope("7", full),
		"empty message":            channelMessageEnvelope("", &api.ChannelMessage{}),
		"negative code":            channelMessageEnvelope("", &api.ChannelMessage{Code: wrapperspb.Int32(-5)}),
		"persistent":               channelMessageEnvelope("", &api.ChannelMessage{Persistent: wrapperspb.Bool(true)}),
		"control characters":       channelMessageEnvelope("", &api.ChannelMessage{Content: "\x00\x01\x1f\t\b\f\r\\/<>&\u2028\u00e9\U0001F600"}),
		"milliseconds":             channelMessageEnvelope("", &api.ChannelMessage{CreateTime: &timestamppb.Timestamp{Seconds: 1, Nanos: 120_000_000}}),
		"microseconds":             channelMessageEnvelope("", &api.ChannelMessage{CreateTime: &timestamppb.Timestamp{Seconds: 1, Nanos: 123_450_000}}),
		"nanoseconds":              channelMessageEnvelope("", &api.ChannelMessage{CreateTime: &timestamppb.Timestamp{Seconds: -1, Nanos: 1}}),
		"earliest time":            channelMessageEnvelope("", &api.ChannelMessage{CreateTime: &timestamppb.Timestamp{Seconds: minTimestampSeconds}}),
		"latest time":              channelMessageEnvelope("", &api.ChannelMessage{UpdateTime: &timestamppb.Timestamp{Seconds: maxTimestampSeconds, Nanos: 999_999_999}}),
		"time out of range":        channelMessageEnvelope("", &api.ChannelMessage{CreateTime: &timestamppb.Timestamp{Seconds: maxTimestampSeconds + 1}}),
		"negative nanos":           channelMessageEnvelope("", &api.ChannelMessage{CreateTime: &timestamppb.Timestamp{Nanos: -1}}),
		"invalid UTF-8 in content": channelMessageEnvelope("", &api.ChannelMessage{Content: "a\xffb"}),
		"invalid UTF-8 in cid":     channelMessageEnvelope("\xc3", &api.ChannelMessage{}),
	} {
		t.Run(name, func(t *testing.T) { sameAsProtojson(t, env) })
	}
	// Other envelopes are protojson's.
	if _, ok := appendEnvelopeJSON(nil, &rtapi.Envelope{Message: &rtapi.Envelope_Pong{Pong: &rtapi.Pong{}}}); ok {
		t.Fatal("a pong was written by hand")
	}
	if _, ok := appendEnvelopeJSON(nil, &rtapi.Envelope{Message: &rtapi.Envelope_ChannelMessage{}}); ok {
		t.Fatal("a channel_message without a message was written by hand")
	}
}

// TestEnvelopeJSONMatchesProtojsonRandomly compares random messages, with strings drawn
// from characters that need escaping, multi-byte runes and plain text.
func TestEnvelopeJSONMatchesProtojsonRandomly(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	pieces := []string{"", "a", "hello", `"`, `\`, "\n", "\x00", "\x7f", "é", "€", "😀", "\u2028", "<&>", "\xff"}
	text := func() string {
		var sb strings.Builder
		for range r.IntN(6) {
			sb.WriteString(pieces[r.IntN(len(pieces))])
		}
		return sb.String()
	}
	ts := func() *timestamppb.Timestamp {
		if r.IntN(4) == 0 {
			return nil
		}
		nanos := []int32{0, 1, 1000, 1_000_000, r.Int32N(1e9)}[r.IntN(5)]
		return &timestamppb.Timestamp{Seconds: r.Int64N(maxTimestampSeconds-minTimestampSeconds) + minTimestampSeconds, Nanos: nanos}
	}
	for range 5000 {
		m := &api.ChannelMessage{
			ChannelId: text(), MessageId: text(), SenderId: text(), Username: text(), Content: text(),
			CreateTime: ts(), UpdateTime: ts(), RoomName: text(), GroupId: text(), UserIdOne: text(), UserIdTwo: text(),
		}
		if r.IntN(2) == 0 {
			m.Code = wrapperspb.Int32(r.Int32() - r.Int32())
		}
		if r.IntN(2) == 0 {
			m.Persistent = wrapperspb.Bool(r.IntN(2) == 0)
		}
		sameAsProtojson(t, channelMessageEnvelope(text(), m))
	}
}

// FuzzEnvelopeJSON: chat content, usernames and room names come from clients.
func FuzzEnvelopeJSON(f *testing.F) {
	f.Add("1", "bob", `{"a":"b"}`, "room", int64(1764000000), int32(0), int32(0))
	f.Add("", "\x00", "\xff", "\u2028", int64(maxTimestampSeconds+1), int32(-1), int32(7))
	f.Fuzz(func(t *testing.T, cid, username, content, room string, secs int64, nanos, code int32) {
		sameAsProtojson(t, channelMessageEnvelope(cid, &api.ChannelMessage{
			Username: username, Content: content, RoomName: room, Code: wrapperspb.Int32(code),
			CreateTime: &timestamppb.Timestamp{Seconds: secs, Nanos: nanos}, Persistent: wrapperspb.Bool(true),
		}))
	})
}
