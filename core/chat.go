package core

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/hearth-server/hearth/gen/db"
)

// Channel message codes of users' own messages, numbered as Nakama numbers them (the
// server's group events are 3-9).
const (
	ChannelMessageCodeChat   int32 = 0
	ChannelMessageCodeUpdate int32 = 1
	ChannelMessageCodeRemove int32 = 2
)

// ChannelMessage is one channel message: stored history, a live delivery, and (its
// channel, id, code, username, times and Persistent) the sender's ack. For a group event
// the sender is the user the event is about and Content is "{}", as in Nakama. A zero
// SenderID is the system.
type ChannelMessage struct {
	ID         uuid.UUID
	Channel    Channel
	Code       int32
	SenderID   uuid.UUID
	Username   string
	Content    string
	CreateTime time.Time
	UpdateTime time.Time
	// Persistent is whether the message is in the channel's history.
	Persistent bool
}

// ChannelMessagePusher delivers channel messages live to the members of each message's
// Channel.Stream: chat messages, updates (code 1), removals (code 2) and group events
// (codes 3-9), persistent or not. It is called after the messages are stored; nil
// delivers nothing live (the realtime socket provides it).
type ChannelMessagePusher func(ctx context.Context, messages []ChannelMessage)

// Refusals of send, update and remove, worded as Nakama's socket words them (code 3 is
// the socket's BAD_INPUT).
var (
	errMessageContent       = Errorf(CodeInvalidArgument, "Message content must be a valid JSON object")
	errMessageID            = Errorf(CodeInvalidArgument, "Invalid message identifier")
	errMessageSendDenied    = Errorf(CodeInvalidArgument, "Must join channel before sending messages")
	errMessageUpdateDenied  = Errorf(CodeInvalidArgument, "Must join channel before updating messages")
	errMessageRemoveDenied  = Errorf(CodeInvalidArgument, "Must join channel before removing messages")
	errMessageUpdateMissing = Errorf(CodeInvalidArgument, "Could not find message to update in channel history")
	errMessageRemoveMissing = Errorf(CodeInvalidArgument, "Could not find message to remove in channel history")
	errMessageGroupMissing  = Errorf(CodeInvalidArgument, "Group not found: Invalid channel target")
	// The runtime names senders freely; a name the username column cannot hold is bad input.
	errMessageUsername = Errorf(CodeInvalidArgument, "Sender username must be at most 128 characters of UTF-8 text.")
)

// messageUsernameMax is the width of the message table's username column, in characters.
const messageUsernameMax = 128

func checkMessageSender(sender Caller) error {
	if utf8.RuneCountInString(sender.Username) > messageUsernameMax || !validText(sender.Username) {
		return errMessageUsername
	}
	return nil
}

// CheckMessageContent accepts what Nakama accepts as content: valid JSON whose first
// non-space byte opens an object (and, as every string the socket carries, UTF-8). The
// send and update functions check it too; the socket checks it first, where Nakama does.
func CheckMessageContent(content string) error {
	trimmed := strings.TrimLeft(content, " \t\r\n")
	if trimmed == "" || trimmed[0] != '{' || !utf8.ValidString(content) || !json.Valid([]byte(content)) {
		return errMessageContent
	}
	return nil
}

// messageStoreError turns PostgreSQL refusing the content (jsonb holds no \u0000,
// unpaired surrogate escape or out-of-range number, though JSON allows them) into the
// content refusal, and a group that is gone into its refusal; anything else is internal.
func messageStoreError(err error, internal string) error {
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		switch {
		case strings.HasPrefix(pgErr.Code, "22"):
			return &Error{Code: errMessageContent.Code, Message: errMessageContent.Message, Err: err}
		case pgErr.Code == "23503": // the group of a system message does not exist
			return &Error{Code: errMessageGroupMissing.Code, Message: errMessageGroupMissing.Message, Err: err}
		}
	}
	return Internal(internal, err)
}

// ChannelMessageSend sends a chat message (code 0) to a channel as sender (the zero
// Caller is the system: the runtime's empty sender id). persist stores it in the
// channel's history; either way it is delivered live after any storing. Users may send
// to rooms, to direct messages they are one of the two users of, and to groups they are
// a current member of. The returned message is the ack.
func (c *Core) ChannelMessageSend(ctx context.Context, sender Caller, channelID, content string, persist bool) (ChannelMessage, error) {
	ch, err := ParseChannelID(channelID)
	if err != nil {
		return ChannelMessage{}, err
	}
	if err := CheckMessageContent(content); err != nil {
		return ChannelMessage{}, err
	}
	if err := checkMessageSender(sender); err != nil {
		return ChannelMessage{}, err
	}
	now := c.now()
	m := ChannelMessage{
		ID: uuid.Must(uuid.NewV7()), Channel: ch, Code: ChannelMessageCodeChat, SenderID: sender.UserID,
		Username: sender.Username, Content: content, CreateTime: now, UpdateTime: now, Persistent: persist,
	}
	const failed = "Could not persist message to channel history"
	switch {
	case persist && sender.UserID != uuid.Nil && ch.Stream.Mode == ChannelModeGroup:
		// Membership is checked by the insert itself, so a concurrent kick cannot race it.
		m.CreateTime, err = c.q.MessageInsertGroupMember(ctx, db.MessageInsertGroupMemberParams{
			ID: m.ID, ChannelID: ch.ID, SenderID: m.SenderID, Username: m.Username, Content: []byte(content), GroupID: groupOf(ch),
		})
		if isNotFound(err) {
			return ChannelMessage{}, errMessageSendDenied
		}
	default:
		var ok bool
		if ok, err = c.mayPost(ctx, sender.UserID, ch); err != nil {
			return ChannelMessage{}, Internal(failed, err)
		}
		if !ok {
			return ChannelMessage{}, errMessageSendDenied
		}
		if persist {
			m.CreateTime, err = c.q.MessageInsert(ctx, db.MessageInsertParams{
				ID: m.ID, ChannelID: ch.ID, SenderID: m.SenderID, Username: m.Username, Content: []byte(content), GroupID: groupOf(ch),
			})
		}
	}
	if err != nil {
		return ChannelMessage{}, messageStoreError(err, failed)
	}
	m.UpdateTime = m.CreateTime
	c.pushMessages(ctx, []ChannelMessage{m})
	return m, nil
}

// groupOf is the group a channel's stored messages belong to (nil for rooms and DMs).
func groupOf(ch Channel) *uuid.UUID {
	if ch.Stream.Mode != ChannelModeGroup {
		return nil
	}
	g := ch.Stream.Subject
	return &g
}

// ChannelMessageUpdate replaces the content of a message sender sent to the channel and
// delivers the change live (code 1). Only the original sender may change a message, and
// only in the channel it was sent to; server events (codes 3-9) cannot be changed; with persist off nothing is stored, but a stored
// message of someone else is still refused. The same users as for sending may update.
func (c *Core) ChannelMessageUpdate(ctx context.Context, sender Caller, channelID, messageID, content string, persist bool) (ChannelMessage, error) {
	return c.messageChange(ctx, sender, channelID, messageID, content, persist, ChannelMessageCodeUpdate)
}

// ChannelMessageRemove deletes a message sender sent to the channel and delivers the
// removal live (code 2, content "{}"), under the same rules as ChannelMessageUpdate.
func (c *Core) ChannelMessageRemove(ctx context.Context, sender Caller, channelID, messageID string, persist bool) (ChannelMessage, error) {
	return c.messageChange(ctx, sender, channelID, messageID, "{}", persist, ChannelMessageCodeRemove)
}

// ParseMessageID reads the id of a message to update or remove; the refusal is code 3
// "Invalid message identifier".
func ParseMessageID(id string) (uuid.UUID, error) {
	u, err := uuid.Parse(id)
	if err != nil {
		return uuid.Nil, errMessageID
	}
	return u, nil
}

func (c *Core) messageChange(ctx context.Context, sender Caller, channelID, messageID, content string, persist bool, code int32) (ChannelMessage, error) {
	denied, missing, failed := errMessageUpdateDenied, errMessageUpdateMissing, "Could not persist message update to channel history"
	if code == ChannelMessageCodeRemove {
		denied, missing, failed = errMessageRemoveDenied, errMessageRemoveMissing, "Could not persist message remove to channel history"
	}
	id, err := ParseMessageID(messageID)
	if err != nil {
		return ChannelMessage{}, err
	}
	ch, err := ParseChannelID(channelID)
	if err != nil {
		return ChannelMessage{}, err
	}
	if err := CheckMessageContent(content); err != nil {
		return ChannelMessage{}, err
	}
	if err := checkMessageSender(sender); err != nil {
		return ChannelMessage{}, err
	}
	ok, err := c.mayPost(ctx, sender.UserID, ch)
	if err != nil {
		return ChannelMessage{}, Internal(failed, err)
	}
	if !ok {
		return ChannelMessage{}, denied
	}
	now := c.now()
	m := ChannelMessage{
		ID: id, Channel: ch, Code: code, SenderID: sender.UserID, Username: sender.Username, Content: content,
		CreateTime: now, UpdateTime: now, Persistent: persist,
	}
	ref := db.MessageSenderParams{ID: id, ChannelID: ch.ID}
	switch {
	case !persist:
		// Nothing is written, but nobody may pass off a change to another's stored message.
		owner, err := c.q.MessageSender(ctx, ref)
		if err != nil && !isNotFound(err) {
			return ChannelMessage{}, Internal(failed, err)
		}
		if err == nil && owner != sender.UserID {
			return ChannelMessage{}, missing
		}
	case code == ChannelMessageCodeUpdate:
		row, err := c.q.MessageUpdate(ctx, db.MessageUpdateParams{
			Content: []byte(content), Username: sender.Username, ID: id, ChannelID: ch.ID, SenderID: sender.UserID,
		})
		if isNotFound(err) {
			return ChannelMessage{}, missing
		}
		if err != nil {
			return ChannelMessage{}, messageStoreError(err, failed)
		}
		m.CreateTime, m.UpdateTime = row.CreateTime, row.UpdateTime
	default:
		created, err := c.q.MessageDelete(ctx, db.MessageDeleteParams{ID: id, ChannelID: ch.ID, SenderID: sender.UserID})
		if isNotFound(err) {
			return ChannelMessage{}, missing
		}
		if err != nil {
			return ChannelMessage{}, Internal(failed, err)
		}
		m.CreateTime = created
	}
	c.pushMessages(ctx, []ChannelMessage{m})
	return m, nil
}

// messagesStore inserts stored messages (group events) through q and fills in the
// creation times the database gave them.
func (c *Core) messagesStore(ctx context.Context, q *db.Queries, ms []ChannelMessage) error {
	if len(ms) == 0 {
		return nil
	}
	var p db.MessagesInsertParams
	index := make(map[uuid.UUID]int, len(ms))
	for i, m := range ms {
		index[m.ID] = i
		p.Ids = append(p.Ids, m.ID)
		p.ChannelIds = append(p.ChannelIds, m.Channel.ID)
		p.Codes = append(p.Codes, m.Code)
		p.SenderIds = append(p.SenderIds, m.SenderID)
		p.Usernames = append(p.Usernames, m.Username)
		p.Contents = append(p.Contents, []byte(m.Content))
		p.GroupIds = append(p.GroupIds, m.Channel.Stream.Subject)
	}
	rows, err := q.MessagesInsert(ctx, p)
	if err != nil {
		return fmt.Errorf("messages insert: %w", err)
	}
	for _, r := range rows {
		ms[index[r.ID]].CreateTime = r.CreateTime
		ms[index[r.ID]].UpdateTime = r.CreateTime
	}
	return nil
}

func (c *Core) pushMessages(ctx context.Context, ms []ChannelMessage) {
	if c.messages != nil && len(ms) > 0 {
		c.messages(ctx, ms)
	}
}

// ChannelMessages returns a channel's whole stored history, oldest first, with no
// access check (tests and tools; clients page with ChannelMessagesList).
func (c *Core) ChannelMessages(ctx context.Context, ch Channel) ([]ChannelMessage, error) {
	rows, err := c.q.MessagesByChannel(ctx, ch.ID)
	if err != nil {
		return nil, Internal("Error listing messages from channel.", err)
	}
	out := make([]ChannelMessage, len(rows))
	for i, r := range rows {
		out[i] = ChannelMessage{
			ID: r.ID, Channel: ch, Code: r.Code, SenderID: r.SenderID, Username: r.Username,
			Content: r.Content, CreateTime: r.CreateTime, UpdateTime: r.UpdateTime, Persistent: true,
		}
	}
	return out, nil
}

// GroupChannelMessages returns a group channel's whole stored history, oldest first.
func (c *Core) GroupChannelMessages(ctx context.Context, groupID uuid.UUID) ([]ChannelMessage, error) {
	return c.ChannelMessages(ctx, GroupChannel(groupID))
}

// chatCleanup deletes the messages an account sent, as Nakama's schema does (its
// message rows cascade with the sender); other users' messages, DMs to the account
// included, stay with them.
func chatCleanup(ctx context.Context, q *db.Queries, userID uuid.UUID) error {
	if err := q.MessagesDeleteBySender(ctx, userID); err != nil {
		return fmt.Errorf("chat cleanup %s: %w", userID, err)
	}
	return nil
}

type exportedMessage struct {
	ChannelID  string          `json:"channel_id"`
	MessageID  uuid.UUID       `json:"message_id"`
	Code       int32           `json:"code"`
	Username   string          `json:"username"`
	Content    json.RawMessage `json:"content"`
	CreateTime time.Time       `json:"create_time"`
	UpdateTime time.Time       `json:"update_time"`
}

// exportMessages lists the messages the account sent, under "messages" as in Nakama's
// export.
func (c *Core) exportMessages(ctx context.Context, userID uuid.UUID) (string, any, error) {
	rows, err := c.q.ExportMessages(ctx, userID)
	if err != nil {
		return "", nil, err
	}
	out := make([]exportedMessage, len(rows))
	for i, r := range rows {
		out[i] = exportedMessage{r.ChannelID, r.ID, r.Code, r.Username, json.RawMessage(r.Content), r.CreateTime, r.UpdateTime}
	}
	return "messages", out, nil
}
