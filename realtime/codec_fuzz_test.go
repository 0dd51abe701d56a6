package realtime

import (
	"testing"
	"unicode/utf8"

	"github.com/heroiclabs/nakama-common/api"
	"github.com/heroiclabs/nakama-common/rtapi"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/types/known/wrapperspb"

	"github.com/hearth-server/hearth/core/presence"
)

// seedEnvelopes are the client messages the socket serves, as fuzz seeds.
func seedEnvelopes() []*rtapi.Envelope {
	return []*rtapi.Envelope{
		{Cid: "1", Message: &rtapi.Envelope_Ping{Ping: &rtapi.Ping{}}},
		{Cid: "2", Message: &rtapi.Envelope_Rpc{Rpc: &api.Rpc{Id: "x", Payload: `{"a":1}`}}},
		{Cid: "3", Message: &rtapi.Envelope_StatusFollow{StatusFollow: &rtapi.StatusFollow{UserIds: []string{"0e5b4a3c-6a52-4b6f-9d6a-1f0b8d8c9a11"}, Usernames: []string{"bob"}}}},
		{Cid: "4", Message: &rtapi.Envelope_StatusUpdate{StatusUpdate: &rtapi.StatusUpdate{Status: wrapperspb.String("busy")}}},
		{Cid: "5", Message: &rtapi.Envelope_StatusUnfollow{StatusUnfollow: &rtapi.StatusUnfollow{UserIds: []string{"x"}}}},
		{Cid: "6", Message: &rtapi.Envelope_ChannelJoin{ChannelJoin: &rtapi.ChannelJoin{Target: "room", Type: 1, Persistence: wrapperspb.Bool(true)}}},
		{Cid: "7", Message: &rtapi.Envelope_MatchDataSend{MatchDataSend: &rtapi.MatchDataSend{MatchId: "m", OpCode: 9, Data: []byte{0, 1, 2}}}},
		{},
	}
}

func fuzzDecode(t *testing.T, f presence.Format, data []byte) {
	env, cid, err := decode(f, data)
	if !utf8.ValidString(cid) {
		t.Fatalf("cid %q is not UTF-8", cid)
	}
	if err != nil {
		// The error reply must always be encodable.
		if _, err := encodePayload(f, errorEnvelope(nil, cid, errMalformed)); err != nil {
			t.Fatalf("error reply does not encode: %v", err)
		}
		return
	}
	out, err := encodePayload(f, env)
	if err != nil {
		t.Fatalf("decoded envelope does not encode: %v", err)
	}
	again, _, err := decode(f, out)
	if err != nil {
		t.Fatalf("re-encoded envelope does not decode: %v", err)
	}
	if !proto.Equal(env, again) {
		t.Fatalf("round trip changed the envelope: %v vs %v", env, again)
	}
}

func FuzzDecodeJSON(f *testing.F) {
	for _, e := range seedEnvelopes() {
		b, _ := encodePayload(presence.FormatJSON, e)
		f.Add(b)
	}
	f.Add([]byte(`{"cid":"1","ping":{},"x":1}`))
	f.Add([]byte(`{"cid":"1","statusUpdate":{"status":"a"}}`))
	f.Add([]byte(`{"cid":"1","match_data_send":{"op_code":"12","data":"AAE="}}`))
	f.Add([]byte(`{"cid":`))
	f.Fuzz(func(t *testing.T, data []byte) { fuzzDecode(t, presence.FormatJSON, data) })
}

func FuzzDecodeProtobuf(f *testing.F) {
	for _, e := range seedEnvelopes() {
		b, _ := encodePayload(presence.FormatProtobuf, e)
		f.Add(b)
	}
	f.Add([]byte{0x0a, 0x02, 0xff, 0xfe})
	f.Add([]byte{0x0a, 0x01, 'x', 0xff})
	f.Fuzz(func(t *testing.T, data []byte) { fuzzDecode(t, presence.FormatProtobuf, data) })
}
