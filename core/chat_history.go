package core

import (
	"context"
	"encoding/base64"
	"encoding/binary"
	"hash/fnv"
	"slices"
	"time"

	"github.com/google/uuid"

	"github.com/hearth-server/hearth/gen/db"
)

// Channel history: pages of a channel's stored messages in (create_time, id) order, the
// insertion time to the microsecond and a time-ordered id, so paging never skips or
// repeats messages of the same instant.

// channelListMax bounds a history page, as Nakama's API does.
const channelListMax = 100

// ChannelMessageList is one page of a channel's history. NextCursor continues in the
// listing's direction, PrevCursor goes back (only on pages reached with a cursor); both
// are "" when there is nothing more that way. CacheableCursor marks the newest message
// the page showed: listed forward later, it gives only newer messages, for ever.
type ChannelMessageList struct {
	Messages        []ChannelMessage
	NextCursor      string
	PrevCursor      string
	CacheableCursor string
}

// History refusals, worded as Nakama's REST API words them.
var (
	errChannelListLimit    = Errorf(CodeInvalidArgument, "Invalid limit - limit must be between 1 and 100.")
	errChannelListID       = Errorf(CodeInvalidArgument, "Invalid channel ID.")
	errChannelListCursor   = Errorf(CodeInvalidArgument, "Cursor is invalid or expired.")
	errChannelListGroup    = Errorf(CodeInvalidArgument, "Group not found.")
	errChannelListNotFound = Errorf(CodeInvalidArgument, "Channel not found.")
)

// ChannelMessagesList lists a page of a channel's history, oldest first when forward,
// newest first otherwise. caller is the user asking, uuid.Nil for the runtime: anyone
// may read a room (without joining it), only current members a group, only the two
// users a direct message. A cursor must come from a listing of the same channel in the
// same direction (a cacheable cursor counts as forward).
func (c *Core) ChannelMessagesList(ctx context.Context, caller uuid.UUID, channelID string, limit int, forward bool, cursor string) (ChannelMessageList, error) {
	if limit < 1 || limit > channelListMax {
		return ChannelMessageList{}, errChannelListLimit
	}
	if channelID == "" {
		return ChannelMessageList{}, errChannelListID
	}
	ch, err := ParseChannelID(channelID)
	if err != nil {
		return ChannelMessageList{}, errChannelListID
	}
	var in *messageCursor
	if cursor != "" {
		cur, ok := decodeMessageCursor(cursor)
		if !ok || cur.forward != forward || cur.channel != channelHash(ch.ID) {
			return ChannelMessageList{}, errChannelListCursor
		}
		in = &cur
	}
	if err := c.mayRead(ctx, caller, ch); err != nil {
		return ChannelMessageList{}, err
	}

	// A next page goes on in the listing's direction, a previous page against it.
	ascending := forward
	at := messageStart
	if !forward {
		at = messageEnd
	}
	if in != nil {
		ascending = forward == in.next
		at = in.at
	}
	msgs, err := c.messagesPage(ctx, ch, at, ascending, limit+1)
	if err != nil {
		return ChannelMessageList{}, Internal("Error listing messages from channel.", err)
	}
	more := len(msgs) > limit
	msgs = msgs[:min(len(msgs), limit)]

	var next, prev *messagePosition
	if more {
		next = &messagePosition{msgs[len(msgs)-1].CreateTime, msgs[len(msgs)-1].ID}
	}
	if in != nil && len(msgs) > 0 {
		prev = &messagePosition{msgs[0].CreateTime, msgs[0].ID}
	}
	if in != nil && !in.next {
		// A previous page was read against the direction: turn it round.
		slices.Reverse(msgs)
		next, prev = prev, next
	}

	out := ChannelMessageList{Messages: msgs}
	hash := channelHash(ch.ID)
	if next != nil {
		out.NextCursor = messageCursor{forward: forward, next: true, at: *next, channel: hash}.encode()
	}
	if prev != nil {
		out.PrevCursor = messageCursor{forward: forward, next: false, at: *prev, channel: hash}.encode()
	}
	newest := messageStart
	switch {
	case len(msgs) > 0 && forward:
		newest = messagePosition{msgs[len(msgs)-1].CreateTime, msgs[len(msgs)-1].ID}
	case len(msgs) > 0:
		newest = messagePosition{msgs[0].CreateTime, msgs[0].ID}
	case in != nil:
		newest = in.at
	}
	out.CacheableCursor = messageCursor{forward: true, next: true, at: newest, channel: hash}.encode()
	return out, nil
}

// mayRead checks caller may read ch's history (the runtime, uuid.Nil, always may).
func (c *Core) mayRead(ctx context.Context, caller uuid.UUID, ch Channel) error {
	if caller == uuid.Nil {
		return nil
	}
	switch ch.Stream.Mode {
	case ChannelModeGroup:
		ok, err := c.q.GroupMemberIs(ctx, db.GroupMemberIsParams{GroupID: ch.Stream.Subject, UserID: caller})
		if err != nil {
			return Internal("Error listing messages from channel.", err)
		}
		if !ok {
			return errChannelListGroup
		}
	case ChannelModeDirect:
		if caller != ch.Stream.Subject && caller != ch.Stream.Subcontext {
			return errChannelListNotFound
		}
	}
	return nil
}

// messagesPage reads up to n messages strictly after (ascending) or before at, in
// reading order.
func (c *Core) messagesPage(ctx context.Context, ch Channel, at messagePosition, ascending bool, n int) ([]ChannelMessage, error) {
	var out []ChannelMessage
	add := func(id uuid.UUID, code int32, sender uuid.UUID, username, content string, created, updated time.Time) {
		out = append(out, ChannelMessage{
			ID: id, Channel: ch, Code: code, SenderID: sender, Username: username, Content: content,
			CreateTime: created, UpdateTime: updated, Persistent: true,
		})
	}
	if ascending {
		rows, err := c.q.MessagesListAfter(ctx, db.MessagesListAfterParams{ChannelID: ch.ID, AfterTime: at.time, AfterID: at.id, RowLimit: int32(n)})
		if err != nil {
			return nil, err
		}
		out = make([]ChannelMessage, 0, len(rows))
		for _, r := range rows {
			add(r.ID, r.Code, r.SenderID, r.Username, r.Content, r.CreateTime, r.UpdateTime)
		}
		return out, nil
	}
	rows, err := c.q.MessagesListBefore(ctx, db.MessagesListBeforeParams{ChannelID: ch.ID, BeforeTime: at.time, BeforeID: at.id, RowLimit: int32(n)})
	if err != nil {
		return nil, err
	}
	out = make([]ChannelMessage, 0, len(rows))
	for _, r := range rows {
		add(r.ID, r.Code, r.SenderID, r.Username, r.Content, r.CreateTime, r.UpdateTime)
	}
	return out, nil
}

// messagePosition is a place in a channel's (create_time, id) order.
type messagePosition struct {
	time time.Time
	id   uuid.UUID
}

// The positions before and after every message: messages are stamped with the clock,
// so none is older than year 1 or newer than 2262 (the end of Go's UnixNano range).
var (
	messageStart = messagePosition{time.UnixMicro(minCursorMicros).UTC(), uuid.Nil}
	messageEnd   = messagePosition{time.UnixMicro(maxCursorMicros).UTC(), uuid.Max}
)

// The range of cursor times, in Unix microseconds: 0001-01-01 to 2262-04-11.
const (
	minCursorMicros = -62_135_596_800_000_000
	maxCursorMicros = 9_223_372_036_854_775
)

// messageCursorVersion leads every cursor, so the format can change later.
const messageCursorVersion byte = 1

// messageCursorLen is a cursor's size in bytes: version, flags, microseconds, id and
// channel hash.
const messageCursorLen = 1 + 1 + 8 + 16 + 8

// messageCursor is a history position with what it was made for: the listing's
// direction, whether it leads to the next or the previous page, and (as a hash) the
// channel, so a cursor cannot be replayed on another channel or direction, as in Nakama.
type messageCursor struct {
	forward bool
	next    bool
	at      messagePosition
	channel uint64
}

const (
	cursorForward byte = 1 << iota
	cursorNext
)

func (m messageCursor) encode() string {
	var flags byte
	if m.forward {
		flags |= cursorForward
	}
	if m.next {
		flags |= cursorNext
	}
	b := make([]byte, 0, messageCursorLen)
	b = append(b, messageCursorVersion, flags)
	b = binary.BigEndian.AppendUint64(b, uint64(m.at.time.UnixMicro()))
	b = append(b, m.at.id[:]...)
	b = binary.BigEndian.AppendUint64(b, m.channel)
	return base64.RawURLEncoding.EncodeToString(b)
}

// decodeMessageCursor reads a cursor a client gave back, refusing anything encode did
// not make: other lengths, versions or flags, and times PostgreSQL cannot hold.
func decodeMessageCursor(text string) (messageCursor, bool) {
	b, err := base64.RawURLEncoding.DecodeString(text)
	if err != nil || len(b) != messageCursorLen || b[0] != messageCursorVersion || b[1]&^(cursorForward|cursorNext) != 0 {
		return messageCursor{}, false
	}
	micros := int64(binary.BigEndian.Uint64(b[2:10]))
	if micros < minCursorMicros || micros > maxCursorMicros {
		return messageCursor{}, false
	}
	m := messageCursor{forward: b[1]&cursorForward != 0, next: b[1]&cursorNext != 0, channel: binary.BigEndian.Uint64(b[26:])}
	m.at.time = time.UnixMicro(micros).UTC()
	copy(m.at.id[:], b[10:26])
	return m, true
}

// channelHash ties a cursor to its channel without carrying the whole id.
func channelHash(channelID string) uint64 {
	h := fnv.New64a()
	h.Write([]byte(channelID))
	return h.Sum64()
}
