package realtime

import (
	"context"
	"time"

	"github.com/google/uuid"
	"github.com/heroiclabs/nakama-common/api"
	"github.com/heroiclabs/nakama-common/rtapi"
	"github.com/heroiclabs/nakama-common/runtime"
	"google.golang.org/protobuf/types/known/timestamppb"
	"google.golang.org/protobuf/types/known/wrapperspb"

	"github.com/hearth-server/hearth/core"
	"github.com/hearth-server/hearth/core/presence"
)

// Chat over the socket: joining and leaving a channel is tracking a presence on its
// stream; messages go through core (stored, checked), which hands every message back to
// ChannelMessagePusher to deliver to the stream.

// Refusals of messages to a channel the session has not joined, as Nakama words them.
var (
	errChannelNotJoinedSend   = socketError(rtapi.Error_BAD_INPUT, "Must join channel before sending messages")
	errChannelNotJoinedUpdate = socketError(rtapi.Error_BAD_INPUT, "Must join channel before updating messages")
	errChannelNotJoinedRemove = socketError(rtapi.Error_BAD_INPUT, "Must join channel before removing messages")
)

func (srv *Server) registerChat() {
	srv.Handle((*rtapi.Envelope_ChannelJoin)(nil), srv.channelJoin)
	srv.Handle((*rtapi.Envelope_ChannelLeave)(nil), srv.channelLeave)
	srv.Handle((*rtapi.Envelope_ChannelMessageSend)(nil), srv.channelMessageSend)
	srv.Handle((*rtapi.Envelope_ChannelMessageUpdate)(nil), srv.channelMessageUpdate)
	srv.Handle((*rtapi.Envelope_ChannelMessageRemove)(nil), srv.channelMessageRemove)
}

// caller is the session's user as core's chat takes it.
func (s *Session) caller() core.Caller {
	return core.Caller{UserID: s.userID, Username: s.username}
}

// channelJoin authorises the join, tracks the session on the channel's stream (other
// members see a presence event unless hidden) and answers with the channel and its
// visible members, itself left out when the join is new, as Nakama does. A new
// presence in a direct message channel invites the other user with a notification when
// no visible presence of theirs is there.
func (srv *Server) channelJoin(ctx context.Context, s *Session, in *rtapi.Envelope) (*rtapi.Envelope, error) {
	m := in.GetChannelJoin()
	var persistence *bool
	if m.Persistence != nil {
		persistence = &m.Persistence.Value
	}
	res, err := srv.core.ChannelJoin(ctx, s.caller(), m.Target, core.ChannelType(m.Type), persistence, m.Hidden.GetValue())
	if err != nil {
		return nil, err
	}
	if srv.joinAuthorized != nil {
		srv.joinAuthorized()
	}
	stream := presence.Stream(res.Channel.Stream)
	meta := presence.Meta{Hidden: res.Hidden, Persistence: res.Persistence, Username: s.username}
	isNew := srv.tracker.Track(s.id, s.userID, s.format, stream, meta)
	if isNew {
		// A kick that committed after ChannelJoin's check found no presence to remove.
		if err := srv.core.ChannelJoinRecheck(ctx, s.caller(), res.Channel); err != nil {
			srv.tracker.Untrack(s.id, stream, runtime.PresenceReasonLeave)
			return nil, err
		}
	}
	members := srv.tracker.List(stream, false, true)
	if isNew && res.Channel.Stream.Mode == core.ChannelModeDirect && !hasUser(members, otherUser(res.Channel, s.userID)) {
		if err := srv.core.ChannelDirectInvite(ctx, s.caller(), res.Channel); err != nil {
			return nil, err
		}
	}
	ch := &rtapi.Channel{
		Id:        res.Channel.ID,
		RoomName:  res.Channel.RoomName(),
		GroupId:   res.Channel.GroupID(),
		UserIdOne: res.Channel.UserIDOne(),
		UserIdTwo: res.Channel.UserIDTwo(),
		Self: &rtapi.UserPresence{
			UserId: s.userID.String(), SessionId: s.id.String(), Username: s.username,
			Persistence: res.Persistence,
		},
	}
	for _, p := range members {
		if isNew && p.SessionID == s.id {
			continue
		}
		ch.Presences = append(ch.Presences, presence.ChannelPresence(p))
	}
	return &rtapi.Envelope{Message: &rtapi.Envelope_Channel{Channel: ch}}, nil
}

// otherUser is the user of a direct message channel who is not me (me again for a
// channel with oneself).
func otherUser(ch core.Channel, me uuid.UUID) uuid.UUID {
	if ch.Stream.Subject == me {
		return ch.Stream.Subcontext
	}
	return ch.Stream.Subject
}

func hasUser(ps []presence.Presence, userID uuid.UUID) bool {
	for _, p := range ps {
		if p.UserID == userID {
			return true
		}
	}
	return false
}

// channelLeave untracks the session from the channel; leaving a channel one is not in
// is not an error, as in Nakama.
func (srv *Server) channelLeave(_ context.Context, s *Session, in *rtapi.Envelope) (*rtapi.Envelope, error) {
	ch, err := core.ParseChannelID(in.GetChannelLeave().GetChannelId())
	if err != nil {
		return nil, err
	}
	srv.tracker.Untrack(s.id, presence.Stream(ch.Stream), runtime.PresenceReasonLeave)
	return ack(), nil
}

func (srv *Server) channelMessageSend(ctx context.Context, s *Session, in *rtapi.Envelope) (*rtapi.Envelope, error) {
	m := in.GetChannelMessageSend()
	return srv.channelMessage(s, nil, m.ChannelId, &m.Content, errChannelNotJoinedSend, func(persist bool) (core.ChannelMessage, error) {
		return srv.core.ChannelMessageSend(ctx, s.caller(), m.ChannelId, m.Content, persist)
	})
}

func (srv *Server) channelMessageUpdate(ctx context.Context, s *Session, in *rtapi.Envelope) (*rtapi.Envelope, error) {
	m := in.GetChannelMessageUpdate()
	return srv.channelMessage(s, &m.MessageId, m.ChannelId, &m.Content, errChannelNotJoinedUpdate, func(persist bool) (core.ChannelMessage, error) {
		return srv.core.ChannelMessageUpdate(ctx, s.caller(), m.ChannelId, m.MessageId, m.Content, persist)
	})
}

func (srv *Server) channelMessageRemove(ctx context.Context, s *Session, in *rtapi.Envelope) (*rtapi.Envelope, error) {
	m := in.GetChannelMessageRemove()
	return srv.channelMessage(s, &m.MessageId, m.ChannelId, nil, errChannelNotJoinedRemove, func(persist bool) (core.ChannelMessage, error) {
		return srv.core.ChannelMessageRemove(ctx, s.caller(), m.ChannelId, m.MessageId, persist)
	})
}

// channelMessage is what send, update and remove share: Nakama's checks in its order
// (the message id for update and remove, the channel id, the content for send and
// update), then the session must be on the channel; change does the rest in core with
// the presence's persistence, and its message is acknowledged.
func (srv *Server) channelMessage(s *Session, messageID *string, channelID string, content *string, notJoined *Error, change func(persist bool) (core.ChannelMessage, error)) (*rtapi.Envelope, error) {
	if messageID != nil {
		if _, err := core.ParseMessageID(*messageID); err != nil {
			return nil, err
		}
	}
	ch, err := core.ParseChannelID(channelID)
	if err != nil {
		return nil, err
	}
	if content != nil {
		if err := core.CheckMessageContent(*content); err != nil {
			return nil, err
		}
	}
	p, ok := srv.tracker.Get(s.id, presence.Stream(ch.Stream))
	if !ok {
		return nil, notJoined
	}
	msg, err := change(p.Meta.Persistence)
	if err != nil {
		return nil, err
	}
	return messageAck(msg), nil
}

// messageAck is the sender's acknowledgement; times in whole seconds, as Nakama sends.
func messageAck(m core.ChannelMessage) *rtapi.Envelope {
	return &rtapi.Envelope{Message: &rtapi.Envelope_ChannelMessageAck{ChannelMessageAck: &rtapi.ChannelMessageAck{
		ChannelId:  m.Channel.ID,
		MessageId:  m.ID.String(),
		Code:       wrapperspb.Int32(m.Code),
		Username:   m.Username,
		CreateTime: seconds(m.CreateTime),
		UpdateTime: seconds(m.UpdateTime),
		Persistent: wrapperspb.Bool(m.Persistent),
		RoomName:   m.Channel.RoomName(),
		GroupId:    m.Channel.GroupID(),
		UserIdOne:  m.Channel.UserIDOne(),
		UserIdTwo:  m.Channel.UserIDTwo(),
	}}}
}

// ChannelMessagePusher delivers channel messages live (core.Options.ChannelMessagePush):
// each as a channel_message envelope to every session on its channel's stream, hidden
// members and the sender included. A group event that a user left, was kicked or was
// banned (codes 5, 6, 8) also takes that user's sessions off the group channel after
// they see it, as Nakama does.
func ChannelMessagePusher(t *presence.Tracker) core.ChannelMessagePusher {
	return func(_ context.Context, ms []core.ChannelMessage) {
		for _, m := range ms {
			stream := presence.Stream(m.Channel.Stream)
			t.Send(stream, &rtapi.Envelope{Message: &rtapi.Envelope_ChannelMessage{ChannelMessage: WireChannelMessage(m)}})
			switch m.Code {
			case core.ChannelMessageCodeGroupLeave, core.ChannelMessageCodeGroupKick, core.ChannelMessageCodeGroupBan:
				for _, p := range t.List(stream, true, true) {
					if p.UserID == m.SenderID {
						t.Untrack(p.SessionID, stream, runtime.PresenceReasonLeave)
					}
				}
			}
		}
	}
}

// WireChannelMessage is a channel message as sockets receive it, times in whole seconds.
func WireChannelMessage(m core.ChannelMessage) *api.ChannelMessage {
	return &api.ChannelMessage{
		ChannelId:  m.Channel.ID,
		MessageId:  m.ID.String(),
		Code:       wrapperspb.Int32(m.Code),
		SenderId:   m.SenderID.String(),
		Username:   m.Username,
		Content:    m.Content,
		CreateTime: seconds(m.CreateTime),
		UpdateTime: seconds(m.UpdateTime),
		Persistent: wrapperspb.Bool(m.Persistent),
		RoomName:   m.Channel.RoomName(),
		GroupId:    m.Channel.GroupID(),
		UserIdOne:  m.Channel.UserIDOne(),
		UserIdTwo:  m.Channel.UserIDTwo(),
	}
}

func seconds(t time.Time) *timestamppb.Timestamp {
	if t.IsZero() {
		return nil
	}
	return timestamppb.New(t.Truncate(time.Second))
}
