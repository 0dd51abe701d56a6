package realtime

import (
	"encoding/json"
	"unicode/utf8"

	"github.com/heroiclabs/nakama-common/rtapi"
	"google.golang.org/protobuf/encoding/protojson"
	"google.golang.org/protobuf/encoding/protowire"
	"google.golang.org/protobuf/proto"

	"github.com/hearth-server/hearth/core/presence"
)

// Nakama's socket JSON: protobuf field names, enums as numbers, zero values left out
// (int64 go out as strings, as protojson always does). Input accepts either field
// spelling and refuses unknown fields, as Nakama's decoder does.
var (
	jsonOut = protojson.MarshalOptions{UseProtoNames: true, UseEnumNumbers: true, EmitUnpopulated: false}
	jsonIn  = protojson.UnmarshalOptions{DiscardUnknown: false}
)

// decode parses one client frame. On failure it still returns the envelope's cid when
// it can be read, so the error reply reaches the request that caused it.
func decode(f presence.Format, data []byte) (*rtapi.Envelope, string, error) {
	env := &rtapi.Envelope{}
	var err error
	if f == presence.FormatProtobuf {
		err = proto.Unmarshal(data, env)
	} else {
		err = jsonIn.Unmarshal(data, env)
	}
	if err != nil {
		return nil, salvageCid(f, data), err
	}
	return env, env.Cid, nil
}

// salvageCid reads the cid from a frame that failed to decode as a whole.
func salvageCid(f presence.Format, data []byte) string {
	if f == presence.FormatJSON {
		var v struct {
			Cid string `json:"cid"`
		}
		if json.Unmarshal(data, &v) != nil || !utf8.ValidString(v.Cid) {
			return ""
		}
		return v.Cid
	}
	for len(data) > 0 {
		num, typ, n := protowire.ConsumeTag(data)
		if n < 0 {
			return ""
		}
		data = data[n:]
		if num == 1 && typ == protowire.BytesType {
			b, m := protowire.ConsumeBytes(data)
			if m < 0 {
				return ""
			}
			if !utf8.Valid(b) {
				return "" // a reply cannot carry it: protobuf strings are UTF-8
			}
			return string(b)
		}
		m := protowire.ConsumeFieldValue(num, typ, data)
		if m < 0 {
			return ""
		}
		data = data[m:]
	}
	return ""
}

// encoded renders one envelope lazily, as a whole frame at most once per format, for
// fan-out.
type encoded struct {
	env    *rtapi.Envelope
	frames [2][]byte
	err    [2]error
	done   [2]bool
}

func (e *encoded) get(f presence.Format) ([]byte, error) {
	if !e.done[f] {
		e.frames[f], e.err[f] = encodeFrame(f, e.env)
		e.done[f] = true
	}
	return e.frames[f], e.err[f]
}
