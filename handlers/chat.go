package handlers

import (
	"context"

	"github.com/hearth-server/hearth/core"
	"github.com/hearth-server/hearth/gen/api"
)

// channelListDefault is Nakama's page size when the client gives no limit.
const channelListDefault = 1

// NakamaListChannelMessages lists a page of a channel's history: oldest first unless
// forward is false (forward is Nakama's default).
func (s *Server) NakamaListChannelMessages(ctx context.Context, req api.NakamaListChannelMessagesRequestObject) (api.NakamaListChannelMessagesResponseObject, error) {
	who, err := caller(ctx)
	if err != nil {
		return nil, err
	}
	limit := channelListDefault
	if req.Params.Limit != nil {
		limit = int(*req.Params.Limit)
	}
	forward := req.Params.Forward == nil || *req.Params.Forward
	list, err := s.Core.ChannelMessagesList(ctx, who.UserID, req.ChannelId, limit, forward, deref(req.Params.Cursor))
	if err != nil {
		return nil, err
	}
	out := api.ApiChannelMessageList{
		NextCursor: str(list.NextCursor), PrevCursor: str(list.PrevCursor), CacheableCursor: str(list.CacheableCursor),
	}
	if len(list.Messages) > 0 {
		wire := make([]api.ApiChannelMessage, len(list.Messages))
		for i, m := range list.Messages {
			wire[i] = wireChannelMessage(m)
		}
		out.Messages = &wire
	}
	return api.NakamaListChannelMessages200JSONResponse(out), nil
}

// wireChannelMessage is a message as Nakama's gateway writes it: code and persistent are
// protobuf wrappers there, so they appear even when 0 or false; the sender is the user
// id as stored (all zeros for the system).
func wireChannelMessage(m core.ChannelMessage) api.ApiChannelMessage {
	code, persistent := m.Code, m.Persistent
	return api.ApiChannelMessage{
		ChannelId:  str(m.Channel.ID),
		MessageId:  str(m.ID.String()),
		Code:       &code,
		SenderId:   str(m.SenderID.String()),
		Username:   str(m.Username),
		Content:    str(m.Content),
		CreateTime: timestamp(m.CreateTime),
		UpdateTime: timestamp(m.UpdateTime),
		Persistent: &persistent,
		RoomName:   str(m.Channel.RoomName()),
		GroupId:    str(m.Channel.GroupID()),
		UserIdOne:  str(m.Channel.UserIDOne()),
		UserIdTwo:  str(m.Channel.UserIDTwo()),
	}
}
