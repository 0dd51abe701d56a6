package nk

import (
	"context"
	"github.com/heroiclabs/nakama-common/api"
	"github.com/heroiclabs/nakama-common/rtapi"
	"github.com/heroiclabs/nakama-common/runtime"
)

// Chat: built by the chat area (core/chat.go); until the lead wires it, every call
// returns a "not supported yet" runtime error (code 12).

// ChannelIdBuild is not supported yet.
func (m *Module) ChannelIdBuild(ctx context.Context, sender string, target string, chanType runtime.ChannelType) (string, error) {
	return "", notSupported("ChannelIdBuild")
}

// ChannelMessageSend is not supported yet.
func (m *Module) ChannelMessageSend(ctx context.Context, channelID string, content map[string]interface{}, senderId, senderUsername string, persist bool) (*rtapi.ChannelMessageAck, error) {
	return nil, notSupported("ChannelMessageSend")
}

// ChannelMessageUpdate is not supported yet.
func (m *Module) ChannelMessageUpdate(ctx context.Context, channelID, messageID string, content map[string]interface{}, senderId, senderUsername string, persist bool) (*rtapi.ChannelMessageAck, error) {
	return nil, notSupported("ChannelMessageUpdate")
}

// ChannelMessageRemove is not supported yet.
func (m *Module) ChannelMessageRemove(ctx context.Context, channelId, messageId string, senderId, senderUsername string, persist bool) (*rtapi.ChannelMessageAck, error) {
	return nil, notSupported("ChannelMessageRemove")
}

// ChannelMessagesList is not supported yet.
func (m *Module) ChannelMessagesList(ctx context.Context, channelId string, limit int, forward bool, cursor string) (messages []*api.ChannelMessage, nextCursor string, prevCursor string, err error) {
	return nil, "", "", notSupported("ChannelMessagesList")
}
