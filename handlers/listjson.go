package handlers

import (
	"encoding/hex"
	"encoding/json"
	"net/http"
	"strconv"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"

	"github.com/hearth-server/hearth/core"
	"github.com/hearth-server/hearth/internal/jsonw"
)

// The list endpoints (friends, groups, group members, user groups, users) write their
// bodies by hand from core's values. Encoding a page of 100 through the generated types
// cost more than the database query: converting every field into a pointer, then
// reflection over three hundred structs (profile of GET /v2/friend?limit=100: 150 µs of
// encoding/json, 55 µs of conversion and the garbage collection of 3,700 allocations per
// page). The field names and omission rules are the generated types' — the spec's;
// TestListJSONMatchesGenerated holds each writer equal to encoding/json of the generated
// type, and the harness validates every response against the spec.

// jsonBody appends one JSON document. Fields with zero values are omitted, as Nakama
// omits them.
type jsonBody struct {
	jsonw.Object
}

var jsonBodies = sync.Pool{New: func() any { return &jsonBody{jsonw.Object{B: make([]byte, 0, 32<<10)}} }}

func newJSONBody() *jsonBody {
	j := jsonBodies.Get().(*jsonBody)
	j.Reset()
	return j
}

func (j *jsonBody) str(k, v string) {
	if v == "" {
		return
	}
	j.Key(k)
	j.B = appendJSONString(j.B, v)
}

func (j *jsonBody) int32(k string, v int32) {
	if v == 0 {
		return
	}
	j.wrappedInt32(k, v)
}

// wrappedInt32 writes a number Nakama wraps in its protobuf, so 0 is sent too.
func (j *jsonBody) wrappedInt32(k string, v int32) {
	j.Key(k)
	j.B = appendInt(j.B, int64(v))
}

func (j *jsonBody) boolTrue(k string, v bool) {
	if !v {
		return
	}
	j.wrappedBool(k, v)
}

// wrappedBool writes a boolean Nakama wraps in its protobuf, so false is sent too.
func (j *jsonBody) wrappedBool(k string, v bool) {
	j.Key(k)
	if v {
		j.B = append(j.B, "true"...)
	} else {
		j.B = append(j.B, "false"...)
	}
}

// time writes whole seconds in UTC, as timestamp() does for the generated types, with
// the digits placed by hand: time.AppendFormat's layout interpretation was a tenth of a
// friends page.
func (j *jsonBody) time(k string, t time.Time) {
	if t.IsZero() {
		return
	}
	j.Key(k)
	t = t.UTC()
	year, month, day := t.Date()
	hour, minute, second := t.Clock()
	if year < 0 || year > 9999 {
		j.B = append(j.B, '"')
		j.B = t.Truncate(time.Second).AppendFormat(j.B, time.RFC3339)
		j.B = append(j.B, '"')
		return
	}
	j.B = append(j.B, '"',
		byte('0'+year/1000), byte('0'+year/100%10), byte('0'+year/10%10), byte('0'+year%10), '-',
		byte('0'+int(month)/10), byte('0'+int(month)%10), '-', byte('0'+day/10), byte('0'+day%10), 'T',
		byte('0'+hour/10), byte('0'+hour%10), ':', byte('0'+minute/10), byte('0'+minute%10), ':',
		byte('0'+second/10), byte('0'+second%10), 'Z', '"')
}

// id writes a uuid in its canonical text form without the allocation of String.
func (j *jsonBody) id(k string, id uuid.UUID) {
	j.Key(k)
	var text [36]byte
	hex.Encode(text[0:8], id[0:4])
	text[8] = '-'
	hex.Encode(text[9:13], id[4:6])
	text[13] = '-'
	hex.Encode(text[14:18], id[6:8])
	text[18] = '-'
	hex.Encode(text[19:23], id[8:10])
	text[23] = '-'
	hex.Encode(text[24:], id[10:])
	j.B = append(j.B, '"')
	j.B = append(j.B, text[:]...)
	j.B = append(j.B, '"')
}

// visit sends the body as a 200 JSON response and returns the buffer to the pool.
func (j *jsonBody) visit(w http.ResponseWriter) error {
	j.B = append(j.B, '\n') // encoding/json's Encoder ends documents with a newline
	// With its length known the body is not sent in chunks, which costs a write of
	// its own for the last one.
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Content-Length", strconv.Itoa(len(j.B)))
	w.WriteHeader(http.StatusOK)
	_, err := w.Write(j.B)
	if cap(j.B) <= 1<<20 { // keep the pool from holding on to rare huge pages
		jsonBodies.Put(j)
	}
	return err
}

func appendInt(b []byte, v int64) []byte {
	var digits [20]byte
	neg := v < 0
	u := uint64(v)
	if neg {
		u = uint64(-v)
	}
	i := len(digits)
	for {
		i--
		digits[i] = byte('0' + u%10)
		u /= 10
		if u == 0 {
			break
		}
	}
	if neg {
		b = append(b, '-')
	}
	return append(b, digits[i:]...)
}

// appendJSONString quotes s. Plain printable ASCII and valid UTF-8 are copied as they
// are; anything needing an escape (quotes, backslashes, control characters, invalid
// UTF-8, and the HTML characters encoding/json escapes) goes through encoding/json.
func appendJSONString(b []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < 0x20 || c == '"' || c == '\\' || c == '<' || c == '>' || c == '&' {
			return appendJSONStringSlow(b, s)
		}
		if c >= utf8.RuneSelf {
			r, size := utf8.DecodeRuneInString(s[i:])
			if r == utf8.RuneError || r == '\u2028' || r == '\u2029' {
				return appendJSONStringSlow(b, s)
			}
			i += size - 1
		}
	}
	b = append(b, '"')
	b = append(b, s...)
	return append(b, '"')
}

func appendJSONStringSlow(b []byte, s string) []byte {
	quoted, _ := json.Marshal(s) // a string always marshals
	return append(b, quoted...)
}

// user writes an api.User object.
func (j *jsonBody) user(u core.User) {
	j.Open()
	j.id("id", u.ID)
	j.str("username", u.Username)
	j.str("display_name", u.DisplayName)
	j.str("avatar_url", u.AvatarURL)
	j.str("lang_tag", u.LangTag)
	j.str("location", u.Location)
	j.str("timezone", u.Timezone)
	j.str("metadata", u.Metadata)
	j.str("facebook_id", u.FacebookID)
	j.str("google_id", u.GoogleID)
	j.str("gamecenter_id", u.GamecenterID)
	j.str("steam_id", u.SteamID)
	j.boolTrue("online", u.Online)
	j.int32("edge_count", u.EdgeCount)
	j.time("create_time", u.CreateTime)
	j.time("update_time", u.UpdateTime)
	j.str("facebook_instant_game_id", u.FacebookInstantGameID)
	j.str("apple_id", u.AppleID)
	j.Close()
}

// group writes an api.Group object; open is wrapped in Nakama's protobuf, so it is
// always sent.
func (j *jsonBody) group(g core.Group) {
	j.Open()
	j.id("id", g.ID)
	if g.CreatorID != uuid.Nil {
		j.id("creator_id", g.CreatorID)
	}
	j.str("name", g.Name)
	j.str("description", g.Description)
	j.str("lang_tag", g.LangTag)
	j.str("metadata", g.Metadata)
	j.str("avatar_url", g.AvatarURL)
	j.wrappedBool("open", g.Open)
	j.int32("edge_count", g.EdgeCount)
	j.int32("max_count", g.MaxCount)
	j.time("create_time", g.CreateTime)
	j.time("update_time", g.UpdateTime)
	j.Close()
}

// The writers of each list response. Each returns a type implementing the generated
// response interface of its operation.

type friendListJSON struct{ *jsonBody }

func (r friendListJSON) VisitNakamaListFriendsResponse(w http.ResponseWriter) error {
	return r.visit(w)
}

func writeFriendList(list core.FriendList) friendListJSON {
	j := newJSONBody()
	j.Open()
	j.Array("friends", len(list.Friends), func(i int) {
		f := list.Friends[i]
		j.Open()
		j.Key("user")
		j.user(f.User)
		j.wrappedInt32("state", f.State) // Nakama always sends the state, 0 included
		j.time("update_time", f.UpdateTime)
		j.str("metadata", f.Metadata)
		j.Close()
	})
	j.str("cursor", list.Cursor)
	j.Close()
	return friendListJSON{j}
}

type groupListJSON struct{ *jsonBody }

func (r groupListJSON) VisitNakamaListGroupsResponse(w http.ResponseWriter) error {
	return r.visit(w)
}

func writeGroupList(list core.GroupList) groupListJSON {
	j := newJSONBody()
	j.Open()
	j.Array("groups", len(list.Groups), func(i int) { j.group(list.Groups[i]) })
	j.str("cursor", list.Cursor)
	j.Close()
	return groupListJSON{j}
}

type groupUserListJSON struct{ *jsonBody }

func (r groupUserListJSON) VisitNakamaListGroupUsersResponse(w http.ResponseWriter) error {
	return r.visit(w)
}

func writeGroupUserList(list core.GroupUserList) groupUserListJSON {
	j := newJSONBody()
	j.Open()
	j.Array("group_users", len(list.Users), func(i int) {
		j.Open()
		j.Key("user")
		j.user(list.Users[i].User)
		j.wrappedInt32("state", list.Users[i].State)
		j.Close()
	})
	j.str("cursor", list.Cursor)
	j.Close()
	return groupUserListJSON{j}
}

type userGroupListJSON struct{ *jsonBody }

func (r userGroupListJSON) VisitNakamaListUserGroupsResponse(w http.ResponseWriter) error {
	return r.visit(w)
}

func writeUserGroupList(list core.UserGroupList) userGroupListJSON {
	j := newJSONBody()
	j.Open()
	j.Array("user_groups", len(list.Groups), func(i int) {
		j.Open()
		j.Key("group")
		j.group(list.Groups[i].Group)
		j.wrappedInt32("state", list.Groups[i].State)
		j.Close()
	})
	j.str("cursor", list.Cursor)
	j.Close()
	return userGroupListJSON{j}
}

type usersJSON struct{ *jsonBody }

func (r usersJSON) VisitNakamaGetUsersResponse(w http.ResponseWriter) error {
	return r.visit(w)
}

func writeUsers(users []core.User) usersJSON {
	j := newJSONBody()
	j.Open()
	j.Array("users", len(users), func(i int) { j.user(users[i]) })
	j.Close()
	return usersJSON{j}
}

// MarshalJSON lets code that handles responses generically (runtime after hooks that
// convert a response through JSON) read a hand-written body like a generated one.
func (j *jsonBody) MarshalJSON() ([]byte, error) {
	return append([]byte(nil), j.B...), nil
}

// int64String writes an int64 as a JSON string (proto3 JSON's int64), omitted when 0.
func (j *jsonBody) int64String(k string, v int64) {
	if v == 0 {
		return
	}
	j.Key(k)
	j.B = append(j.B, '"')
	j.B = appendInt(j.B, v)
	j.B = append(j.B, '"')
}

// record writes one leaderboard or tournament record as wireRecord shapes it.
func (j *jsonBody) record(r core.Record) {
	j.Open()
	j.str("leaderboard_id", r.LeaderboardID)
	j.id("owner_id", r.OwnerID)
	j.str("username", r.Username)
	j.int64String("score", r.Score)
	j.int64String("subscore", r.Subscore)
	j.int32("num_score", r.NumScore)
	j.str("metadata", r.Metadata)
	j.time("create_time", r.CreateTime)
	j.time("update_time", r.UpdateTime)
	j.time("expiry_time", r.ExpiryTime)
	j.int64String("rank", r.Rank)
	if r.MaxNumScore > 0 {
		j.Key("max_num_score")
		j.B = appendInt(j.B, int64(r.MaxNumScore))
	}
	j.Close()
}

// recordListJSON is a page of leaderboard or tournament records (listing and around-owner;
// the tournament list type is the leaderboard one under another name).
type recordListJSON struct{ *jsonBody }

func (r recordListJSON) VisitNakamaListLeaderboardRecordsResponse(w http.ResponseWriter) error {
	return r.visit(w)
}

func (r recordListJSON) VisitNakamaListLeaderboardRecordsAroundOwnerResponse(w http.ResponseWriter) error {
	return r.visit(w)
}

func (r recordListJSON) VisitNakamaListTournamentRecordsResponse(w http.ResponseWriter) error {
	return r.visit(w)
}

func (r recordListJSON) VisitNakamaListTournamentRecordsAroundOwnerResponse(w http.ResponseWriter) error {
	return r.visit(w)
}

func writeRecordList(list core.RecordList) recordListJSON {
	j := newJSONBody()
	j.Open()
	j.Array("records", len(list.Records), func(i int) { j.record(list.Records[i]) })
	j.Array("owner_records", len(list.OwnerRecords), func(i int) { j.record(list.OwnerRecords[i]) })
	j.str("next_cursor", list.NextCursor)
	j.str("prev_cursor", list.PrevCursor)
	j.int64String("rank_count", list.RankCount)
	j.Close()
	return recordListJSON{j}
}
