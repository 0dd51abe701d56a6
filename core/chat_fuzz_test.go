package core

import (
	"testing"
	"time"

	"github.com/google/uuid"
)

// FuzzParseChannelID feeds client text to the channel id parser: it must never panic,
// and whatever it accepts must name the same channel when its canonical id is parsed
// again.
func FuzzParseChannelID(f *testing.F) {
	a, b := uuid.MustParse("0b1f61a2-8c7e-4f56-9a0e-3c1d2e4f5a6b"), uuid.MustParse("f0e1d2c3-b4a5-4687-98a9-baabbccddeef")
	for _, s := range []string{
		"2...lobby", "3." + a.String() + "..", DirectChannel(b, a).ID, "4...", "3...", "2...", "2..." + string(make([]byte, 65)),
		"2.x..room", "5.a.b.c", "", "...", "3.{" + a.String() + "}..", "4." + a.String() + ".urn:uuid:" + b.String() + ".",
		"2...\xff", "2...a.b.c",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		ch, err := ParseChannelID(text)
		if err != nil {
			return
		}
		again, err := ParseChannelID(ch.ID)
		if err != nil || again != ch {
			t.Fatalf("%q parsed to %+v, its id %q to %+v (%v)", text, ch, ch.ID, again, err)
		}
	})
}

// FuzzMessageCursor feeds client text to the history cursor decoder: it must never
// panic, and whatever it accepts must re-encode to a cursor that decodes the same.
func FuzzMessageCursor(f *testing.F) {
	f.Add(messageCursor{forward: true, next: true, at: messagePosition{time.UnixMicro(1_700_000_000_123_456).UTC(), uuid.Max}, channel: 7}.encode())
	f.Add(messageCursor{at: messageStart}.encode())
	f.Add(messageCursor{at: messageEnd, next: true}.encode())
	f.Add("")
	f.Add("AAAA")
	f.Add("%%%")
	f.Fuzz(func(t *testing.T, text string) {
		c, ok := decodeMessageCursor(text)
		if !ok {
			return
		}
		back, ok := decodeMessageCursor(c.encode())
		if !ok || back != c {
			t.Fatalf("cursor %q: %+v -> %+v", text, c, back)
		}
	})
}
