package core

import (
	"encoding/json"
	"strings"
	"testing"
)

// FuzzFriendCursors feeds client bytes to the friend, friends-of-friends and notification
// cursor decoders: they must never panic, and whatever they accept must re-encode to a
// cursor that decodes to the same position.
func FuzzFriendCursors(f *testing.F) {
	f.Add(friendListCursor{filter: -1, state: 2, position: 42}.encode())
	f.Add(friendListCursor{filter: 3, state: 3, position: -1}.encode())
	f.Add(friendsOfFriendsCursor{}.encode())
	f.Add(notificationCursor{micros: 1_700_000_000_000_000}.encode())
	f.Add("")
	f.Add("AAAA")
	f.Add("%%%")
	f.Fuzz(func(t *testing.T, text string) {
		if c, ok := decodeFriendListCursor(text); ok {
			if back, ok := decodeFriendListCursor(c.encode()); !ok || back != c {
				t.Fatalf("friend cursor %q: %+v -> %+v", text, c, back)
			}
		}
		if c, ok := decodeFriendsOfFriendsCursor(text); ok {
			if back, ok := decodeFriendsOfFriendsCursor(c.encode()); !ok || back != c {
				t.Fatalf("fof cursor %q: %+v -> %+v", text, c, back)
			}
		}
		if c, ok := decodeNotificationCursor(text); ok {
			if back, ok := decodeNotificationCursor(c.encode()); !ok || back != c {
				t.Fatalf("notification cursor %q: %+v -> %+v", text, c, back)
			}
		}
	})
}

// FuzzFriendMetadata feeds the metadata query parameter of POST /v2/friend: accepted text
// must be a JSON object PostgreSQL can store.
func FuzzFriendMetadata(f *testing.F) {
	for _, s := range []string{"", "{}", `{"a":1}`, "[1]", "null", `{"a":"\u0000"}`, "{", `{"a":1} x`, `{"a":1e1000000}`, `{"a":"\ud800"}`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		out, err := friendMetadata(text)
		if err != nil {
			return
		}
		var m map[string]any
		if err := json.Unmarshal(out, &m); err != nil || m == nil || strings.Contains(string(out), `\u0000`) {
			t.Fatalf("accepted %q as %q", text, out)
		}
	})
}
