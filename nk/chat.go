package nk

import (
	"context"
	"encoding/json"
	"errors"

	"github.com/google/uuid"
	"github.com/heroiclabs/nakama-common/api"
	"github.com/heroiclabs/nakama-common/rtapi"
	"github.com/heroiclabs/nakama-common/runtime"
	"google.golang.org/protobuf/types/known/wrapperspb"

	"github.com/hearth-server/hearth/core"
)

// Chat: channel ids and messages through core's chat, the same functions the socket's
// channel messages use. A sender id of "" is the system.

// ChannelIdBuild returns the id of the channel a sender would join for a target.
func (m *Module) ChannelIdBuild(ctx context.Context, sender string, target string, chanType runtime.ChannelType) (string, error) {
	from, err := parseOptionalUserID(sender)
	if err != nil {
		return "", errors.New("expects sender to be a valid identifier")
	}
	ch, err := m.core.ChannelIDBuild(ctx, from, target, core.ChannelType(chanType))
	if err != nil {
		return "", m.fromCore(err)
	}
	return ch.ID, nil
}

// ChannelMessageSend sends a message to a channel as a user or, with senderId "", as the
// system.
func (m *Module) ChannelMessageSend(ctx context.Context, channelID string, content map[string]interface{}, senderId, senderUsername string, persist bool) (*rtapi.ChannelMessageAck, error) {
	sender, text, err := chatArgs(senderId, senderUsername, content)
	if err != nil {
		return nil, err
	}
	msg, err := m.core.ChannelMessageSend(ctx, sender, channelID, text, persist)
	if err != nil {
		return nil, m.fromCore(err)
	}
	return messageAck(msg), nil
}

// ChannelMessageUpdate replaces a message's content; only its sender may.
func (m *Module) ChannelMessageUpdate(ctx context.Context, channelID, messageID string, content map[string]interface{}, senderId, senderUsername string, persist bool) (*rtapi.ChannelMessageAck, error) {
	sender, text, err := chatArgs(senderId, senderUsername, content)
	if err != nil {
		return nil, err
	}
	msg, err := m.core.ChannelMessageUpdate(ctx, sender, channelID, messageID, text, persist)
	if err != nil {
		return nil, m.fromCore(err)
	}
	return messageAck(msg), nil
}

// ChannelMessageRemove removes a message; only its sender may.
func (m *Module) ChannelMessageRemove(ctx context.Context, channelId, messageId string, senderId, senderUsername string, persist bool) (*rtapi.ChannelMessageAck, error) {
	sender, _, err := chatArgs(senderId, senderUsername, map[string]any{})
	if err != nil {
		return nil, err
	}
	msg, err := m.core.ChannelMessageRemove(ctx, sender, channelId, messageId, persist)
	if err != nil {
		return nil, m.fromCore(err)
	}
	return messageAck(msg), nil
}

// ChannelMessagesList lists a channel's history as the server sees it (no membership
// check).
func (m *Module) ChannelMessagesList(ctx context.Context, channelId string, limit int, forward bool, cursor string) (messages []*api.ChannelMessage, nextCursor string, prevCursor string, err error) {
	list, err := m.core.ChannelMessagesList(ctx, uuid.Nil, channelId, limit, forward, cursor)
	if err != nil {
		return nil, "", "", m.fromCore(err)
	}
	messages = make([]*api.ChannelMessage, len(list.Messages))
	for i, msg := range list.Messages {
		messages[i] = channelMessage(msg)
	}
	return messages, list.NextCursor, list.PrevCursor, nil
}

// chatArgs checks the sender and renders the content as the JSON object text core takes.
func chatArgs(senderID, senderUsername string, content map[string]any) (core.Caller, string, error) {
	id, err := parseOptionalUserID(senderID)
	if err != nil {
		return core.Caller{}, "", errors.New("expects sender id to be a valid identifier")
	}
	if content == nil {
		content = map[string]any{}
	}
	raw, err := json.Marshal(content)
	if err != nil {
		return core.Caller{}, "", errors.New("error encoding content: " + err.Error())
	}
	return core.Caller{UserID: id, Username: senderUsername}, string(raw), nil
}

// messageAck is the sender's acknowledgement of a message, as the socket sends it.
func messageAck(msg core.ChannelMessage) *rtapi.ChannelMessageAck {
	return &rtapi.ChannelMessageAck{
		ChannelId:  msg.Channel.ID,
		MessageId:  msg.ID.String(),
		Code:       wrapperspb.Int32(msg.Code),
		Username:   msg.Username,
		CreateTime: ts(msg.CreateTime),
		UpdateTime: ts(msg.UpdateTime),
		Persistent: wrapperspb.Bool(msg.Persistent),
		RoomName:   msg.Channel.RoomName(),
		GroupId:    msg.Channel.GroupID(),
		UserIdOne:  msg.Channel.UserIDOne(),
		UserIdTwo:  msg.Channel.UserIDTwo(),
	}
}

// channelMessage is a stored message as the API describes it.
func channelMessage(msg core.ChannelMessage) *api.ChannelMessage {
	return &api.ChannelMessage{
		ChannelId:  msg.Channel.ID,
		MessageId:  msg.ID.String(),
		Code:       wrapperspb.Int32(msg.Code),
		SenderId:   msg.SenderID.String(),
		Username:   msg.Username,
		Content:    msg.Content,
		CreateTime: ts(msg.CreateTime),
		UpdateTime: ts(msg.UpdateTime),
		Persistent: wrapperspb.Bool(msg.Persistent),
		RoomName:   msg.Channel.RoomName(),
		GroupId:    msg.Channel.GroupID(),
		UserIdOne:  msg.Channel.UserIDOne(),
		UserIdTwo:  msg.Channel.UserIDTwo(),
	}
}
