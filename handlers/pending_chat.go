package handlers

import (
	"context"

	"github.com/hearth-server/hearth/gen/api"
)

// Chat: channel message history. These operations answer 501 with code 12 until the area lands,
// so a client gets a clear refusal instead of a wrong answer (README.md lists them).

// NakamaListChannelMessages is not built yet.
func (s *Server) NakamaListChannelMessages(context.Context, api.NakamaListChannelMessagesRequestObject) (api.NakamaListChannelMessagesResponseObject, error) {
	return nil, errNotBuilt
}
