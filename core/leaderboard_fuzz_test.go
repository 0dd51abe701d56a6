package core

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/google/uuid"
)

// FuzzLeaderboardCursors feeds client bytes to the record and tournament list cursor
// decoders: they must never panic, and whatever they accept must re-encode to a cursor
// that decodes to the same position.
func FuzzLeaderboardCursors(f *testing.F) {
	f.Add(recordCursor{next: true, leaderboard: "board", expiry: 1_700_000_000, score: -5, subscore: 3, owner: uuid.New(), rank: 9}.encode())
	f.Add(encodeTournamentCursor(3, time.Unix(1_700_000_000, 0), "cup"))
	f.Add("")
	f.Add("AAAA")
	f.Add("%%%")
	f.Fuzz(func(t *testing.T, text string) {
		if c, err := decodeRecordCursor(text); err == nil {
			if back, err := decodeRecordCursor(c.encode()); err != nil || back != c {
				t.Fatalf("record cursor %q: %+v -> %+v", text, c, back)
			}
		}
		if cat, start, id, err := decodeTournamentCursor(text); err == nil {
			if c2, s2, id2, err := decodeTournamentCursor(encodeTournamentCursor(cat, start, id)); err != nil || c2 != cat || !s2.Equal(start) || id2 != id {
				t.Fatalf("tournament cursor %q", text)
			}
		}
	})
}

// FuzzRecordMetadata feeds the metadata field of a score submission: accepted text must be
// a JSON object PostgreSQL can store.
func FuzzRecordMetadata(f *testing.F) {
	for _, s := range []string{"", "{}", `{"a":1}`, "[1]", "null", `{"a":"\u0000"}`, "{", `{"a":1} x`, " {\"a\":\"\xff\"}"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		if !validRecordMetadata(text) || text == "" {
			return
		}
		var m map[string]any
		if err := json.Unmarshal([]byte(text), &m); err != nil || m == nil {
			t.Fatalf("accepted %q", text)
		}
	})
}
