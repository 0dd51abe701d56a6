package core

import (
	"context"
	"strings"
	"unicode/utf8"

	"github.com/google/uuid"

	"github.com/hearth-server/hearth/gen/db"
)

// Chat channels: their ids, their presence streams, and who may join them. A channel id
// is the text form of the channel's presence stream, "mode.subject.subcontext.label", as
// Nakama writes it, so ids built here, by Nakama clients' saved state and by runtime
// modules all agree.
//
// The socket drives chat through these functions and tracks presences itself:
//   - channel_join: ChannelJoin; track the session on result.Channel.Stream with its
//     Persistence and Hidden flags; if the presence is new, ChannelJoinRecheck (untrack
//     and refuse on failure), then, when the channel is a direct message and the other
//     user has no visible presence on the stream, ChannelDirectInvite.
//   - channel_leave: ParseChannelID, untrack the session from its Stream.
//   - channel_message_send/update/remove: ParseMessageID (update, remove),
//     ParseChannelID, CheckMessageContent (send, update), then refuse sessions not
//     tracked on the stream
//     ("Must join channel before sending messages", "... updating ...", "... removing
//     ..."), then ChannelMessageSend/Update/Remove with the presence's Persistence; the
//     returned message is the ack. Deliveries reach every member through
//     Options.ChannelMessagePush, which sends each message to its Channel.Stream.

// ChannelType is what a channel_join targets, numbered as rtapi.ChannelJoin_Type.
type ChannelType int32

// Channel types. 0 (unspecified) joins a room, as in Nakama.
const (
	ChannelTypeRoom   ChannelType = 1
	ChannelTypeDirect ChannelType = 2
	ChannelTypeGroup  ChannelType = 3
)

// Presence stream modes of chat channels, numbered as Nakama numbers them.
const (
	ChannelModeRoom   uint8 = 2
	ChannelModeGroup  uint8 = 3
	ChannelModeDirect uint8 = 4
)

// channelRoomNameMax is the longest room name, in bytes.
const channelRoomNameMax = 64

// ChannelStream is the presence stream a chat channel's members are tracked on and its
// messages are delivered to: rooms have the name as label, groups the group id as
// subject, direct messages the two user ids as subject and subcontext (the smaller one,
// as text, first, so both users name the same stream).
type ChannelStream struct {
	Mode       uint8
	Subject    uuid.UUID
	Subcontext uuid.UUID
	Label      string
}

// Channel is one chat channel: its client-visible id and its stream.
type Channel struct {
	ID     string
	Stream ChannelStream
}

// RoomName is the room's name, or "" when the channel is not a room.
func (ch Channel) RoomName() string {
	if ch.Stream.Mode != ChannelModeRoom {
		return ""
	}
	return ch.Stream.Label
}

// GroupID is the group's id as text, or "" when the channel is not a group's.
func (ch Channel) GroupID() string {
	if ch.Stream.Mode != ChannelModeGroup {
		return ""
	}
	return ch.Stream.Subject.String()
}

// UserIDOne is the first user of a direct message channel as text, or "".
func (ch Channel) UserIDOne() string {
	if ch.Stream.Mode != ChannelModeDirect {
		return ""
	}
	return ch.Stream.Subject.String()
}

// UserIDTwo is the second user of a direct message channel as text, or "".
func (ch Channel) UserIDTwo() string {
	if ch.Stream.Mode != ChannelModeDirect {
		return ""
	}
	return ch.Stream.Subcontext.String()
}

// channelOf builds the channel of a stream, writing the id as Nakama does: the nil id
// as an empty part.
func channelOf(s ChannelStream) Channel {
	part := func(id uuid.UUID) string {
		if id == uuid.Nil {
			return ""
		}
		return id.String()
	}
	mode := string('0' + rune(s.Mode))
	return Channel{ID: mode + "." + part(s.Subject) + "." + part(s.Subcontext) + "." + s.Label, Stream: s}
}

// GroupChannel is the channel of a group's chat.
func GroupChannel(groupID uuid.UUID) Channel {
	return channelOf(ChannelStream{Mode: ChannelModeGroup, Subject: groupID})
}

// GroupChannelID is the channel id of a group's chat: "3.<group id>..".
func GroupChannelID(groupID uuid.UUID) string {
	return GroupChannel(groupID).ID
}

// DirectChannel is the channel of two users' direct messages; either order gives the
// same channel.
func DirectChannel(a, b uuid.UUID) Channel {
	if a.String() > b.String() {
		a, b = b, a
	}
	return channelOf(ChannelStream{Mode: ChannelModeDirect, Subject: a, Subcontext: b})
}

var errChannelIdentifier = Errorf(CodeInvalidArgument, "Invalid channel identifier")

// ParseChannelID reads a channel id back into its channel, accepting what Nakama
// accepts: a room needs a 1-64 byte label and nothing else, a group a subject only, a
// direct message no label; ids may be in any form uuid.Parse reads (the returned
// channel's id is the canonical form). The error is the socket's refusal, code 3
// "Invalid channel identifier".
func ParseChannelID(id string) (Channel, error) {
	parts := strings.SplitN(id, ".", 4)
	if len(parts) != 4 {
		return Channel{}, errChannelIdentifier
	}
	uuidPart := func(s string) (uuid.UUID, bool) {
		if s == "" {
			return uuid.Nil, true
		}
		u, err := uuid.Parse(s)
		return u, err == nil
	}
	var s ChannelStream
	switch parts[0] {
	case "2":
		// Labels are also kept to PostgreSQL-storable text: no room of another name can
		// ever have been joined.
		if parts[1] != "" || parts[2] != "" || len(parts[3]) < 1 || len(parts[3]) > channelRoomNameMax || !validText(parts[3]) {
			return Channel{}, errChannelIdentifier
		}
		s = ChannelStream{Mode: ChannelModeRoom, Label: parts[3]}
	case "3":
		subject, ok := uuidPart(parts[1])
		if !ok || parts[2] != "" || parts[3] != "" {
			return Channel{}, errChannelIdentifier
		}
		s = ChannelStream{Mode: ChannelModeGroup, Subject: subject}
	case "4":
		subject, ok1 := uuidPart(parts[1])
		subcontext, ok2 := uuidPart(parts[2])
		if !ok1 || !ok2 || parts[3] != "" {
			return Channel{}, errChannelIdentifier
		}
		s = ChannelStream{Mode: ChannelModeDirect, Subject: subject, Subcontext: subcontext}
	default:
		return Channel{}, errChannelIdentifier
	}
	return channelOf(s), nil
}

// Join refusals, worded as Nakama words them: its socket sends the text of an error
// wrapping "Invalid channel target", so the suffix is part of what clients see.
var (
	errChannelTarget        = Errorf(CodeInvalidArgument, "Invalid channel target")
	errChannelType          = Errorf(CodeInvalidArgument, "Invalid channel type")
	errChannelRoomLength    = Errorf(CodeInvalidArgument, "Channel name is required and must be 1-64 chars: Invalid channel target")
	errChannelRoomControl   = Errorf(CodeInvalidArgument, "Channel name must not contain control chars: Invalid channel target")
	errChannelRoomUTF8      = Errorf(CodeInvalidArgument, "Channel name must only contain valid UTF-8 bytes: Invalid channel target")
	errChannelDirectUserID  = Errorf(CodeInvalidArgument, "Invalid user ID in direct message join: Invalid channel target")
	errChannelDirectMissing = Errorf(CodeInvalidArgument, "User ID not found: Invalid channel target")
	errChannelGroupID       = Errorf(CodeInvalidArgument, "Invalid group ID in group channel join: Invalid channel target")
	errChannelGroupMissing  = Errorf(CodeInvalidArgument, "Group not found: Invalid channel target")
	// Nakama builds a malformed id ("2...") for a direct message with no sender.
	errChannelDirectSender = Errorf(CodeInvalidArgument, "A direct message channel needs a sender user ID: Invalid channel target")
)

// ChannelIDBuild checks a channel target and builds its channel (the runtime's
// ChannelIdBuild; it creates nothing). sender is the user asking, uuid.Nil for the
// system: a user may only name a group they are a member of and a user who exists and
// has not blocked them; the system may name any group. A direct message needs a
// sender.
func (c *Core) ChannelIDBuild(ctx context.Context, sender uuid.UUID, target string, typ ChannelType) (Channel, error) {
	if target == "" {
		return Channel{}, errChannelTarget
	}
	switch typ {
	case 0, ChannelTypeRoom:
		switch {
		case len(target) > channelRoomNameMax:
			return Channel{}, errChannelRoomLength
		case hasControl(target):
			return Channel{}, errChannelRoomControl
		case !utf8.ValidString(target):
			return Channel{}, errChannelRoomUTF8
		}
		return channelOf(ChannelStream{Mode: ChannelModeRoom, Label: target}), nil
	case ChannelTypeDirect:
		other, err := uuid.Parse(target)
		if err != nil || other == uuid.Nil {
			return Channel{}, errChannelDirectUserID
		}
		if sender == uuid.Nil {
			return Channel{}, errChannelDirectSender
		}
		ok, err := c.q.UserExistsNotBlocking(ctx, db.UserExistsNotBlockingParams{UserID: other, OtherID: sender})
		if err != nil {
			return Channel{}, Internal("Failed to look up user ID", err)
		}
		if !ok {
			return Channel{}, errChannelDirectMissing
		}
		return DirectChannel(sender, other), nil
	case ChannelTypeGroup:
		group, err := uuid.Parse(target)
		if err != nil {
			return Channel{}, errChannelGroupID
		}
		if sender != uuid.Nil {
			ok, err := c.q.GroupMemberIs(ctx, db.GroupMemberIsParams{GroupID: group, UserID: sender})
			if err != nil {
				return Channel{}, Internal("Failed to look up group membership", err)
			}
			if !ok {
				return Channel{}, errChannelGroupMissing
			}
		}
		return GroupChannel(group), nil
	}
	return Channel{}, errChannelType
}

// hasControl reports whether s holds an ASCII control character (POSIX [[:cntrl:]],
// which is what Nakama refuses in room names).
func hasControl(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < 0x20 || s[i] == 0x7f {
			return true
		}
	}
	return false
}

// ChannelJoinResult is an authorised channel_join: the channel to track the caller's
// session on and the presence flags to track it with.
type ChannelJoinResult struct {
	Channel Channel
	// Persistence is whether the session's messages to the channel are stored (default
	// on); the socket passes it to ChannelMessageSend/Update/Remove.
	Persistence bool
	// Hidden presences are tracked but produce no presence events and are not listed.
	Hidden bool
}

// ChannelJoin authorises a user's channel_join: the same checks as ChannelIDBuild, with
// Nakama's defaults for the flags (persistence on unless given as false, not hidden).
// It tracks nothing: the socket tracks the presence, then calls ChannelDirectInvite for
// a new direct message presence when the other user has none in the channel.
func (c *Core) ChannelJoin(ctx context.Context, me Caller, target string, typ ChannelType, persistence *bool, hidden bool) (ChannelJoinResult, error) {
	if me.UserID == uuid.Nil {
		return ChannelJoinResult{}, errChannelTarget
	}
	ch, err := c.ChannelIDBuild(ctx, me.UserID, target, typ)
	if err != nil {
		return ChannelJoinResult{}, err
	}
	return ChannelJoinResult{Channel: ch, Persistence: persistence == nil || *persistence, Hidden: hidden}, nil
}

// ChannelJoinRecheck confirms a join after the socket has tracked the caller on the
// channel: for a group channel the caller must still be a member. A kick, ban or leave
// that commits between ChannelJoin's check and the tracking takes the user's presences
// off the channel before this presence exists, so without this check the kicked user
// would stay joined; the socket untracks and refuses when it fails. Kicks that commit
// later find the presence and remove it themselves.
func (c *Core) ChannelJoinRecheck(ctx context.Context, me Caller, ch Channel) error {
	if ch.Stream.Mode != ChannelModeGroup {
		return nil
	}
	ok, err := c.q.GroupMemberIs(ctx, db.GroupMemberIsParams{GroupID: ch.Stream.Subject, UserID: me.UserID})
	if err != nil {
		return Internal("Failed to look up group membership", err)
	}
	if !ok {
		return errChannelGroupMissing
	}
	return nil
}

// ChannelDirectInvite tells the other user of a direct message channel that from wants
// to chat: a persistent notification, code -1, subject "<username> wants to chat",
// content {"username": ...}, as Nakama sends it. Nothing is sent for a channel with
// oneself or one that is not a direct message.
func (c *Core) ChannelDirectInvite(ctx context.Context, from Caller, ch Channel) error {
	if ch.Stream.Mode != ChannelModeDirect {
		return nil
	}
	other := ch.Stream.Subject
	if other == from.UserID {
		other = ch.Stream.Subcontext
	}
	if other == from.UserID || other == uuid.Nil {
		return nil
	}
	return c.NotificationSend(ctx, NotificationSend{
		UserID: other, Subject: from.Username + " wants to chat", Content: map[string]any{"username": from.Username},
		Code: NotificationCodeDMRequest, SenderID: from.UserID, Persistent: true,
	})
}

// mayPost reports whether sender may write to ch: the system always, anyone in a room,
// the two users of a direct message, current members of a group.
func (c *Core) mayPost(ctx context.Context, sender uuid.UUID, ch Channel) (bool, error) {
	switch {
	case sender == uuid.Nil || ch.Stream.Mode == ChannelModeRoom:
		return true, nil
	case ch.Stream.Mode == ChannelModeDirect:
		return sender == ch.Stream.Subject || sender == ch.Stream.Subcontext, nil
	}
	return c.q.GroupMemberIs(ctx, db.GroupMemberIsParams{GroupID: ch.Stream.Subject, UserID: sender})
}
