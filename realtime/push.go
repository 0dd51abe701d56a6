package realtime

import (
	"context"

	"github.com/google/uuid"
	"github.com/heroiclabs/nakama-common/api"
	"github.com/heroiclabs/nakama-common/rtapi"
	"google.golang.org/protobuf/types/known/timestamppb"

	"github.com/hearth-server/hearth/core"
	"github.com/hearth-server/hearth/core/presence"
)

// NotificationPusher delivers notifications live (core.Options.NotificationPush): each
// recipient's notifications, in one notifications envelope, to every socket the user
// has open; a zero user id means every connected user.
func NotificationPusher(t *presence.Tracker) core.NotificationPusher {
	return func(_ context.Context, ns []core.Notification) {
		byUser := make(map[uuid.UUID][]*api.Notification)
		var order []uuid.UUID
		for _, n := range ns {
			if _, ok := byUser[n.UserID]; !ok {
				order = append(order, n.UserID)
			}
			byUser[n.UserID] = append(byUser[n.UserID], wireNotification(n))
		}
		for _, u := range order {
			env := &rtapi.Envelope{Message: &rtapi.Envelope_Notifications{Notifications: &rtapi.Notifications{Notifications: byUser[u]}}}
			if u == uuid.Nil {
				t.SendAll(presence.ModeNotifications, env)
				continue
			}
			t.Send(presence.Stream{Mode: presence.ModeNotifications, Subject: u}, env)
		}
	}
}

func wireNotification(n core.Notification) *api.Notification {
	w := &api.Notification{Id: n.ID.String(), Subject: n.Subject, Content: n.Content, Code: n.Code, Persistent: n.Persistent}
	if n.SenderID != uuid.Nil {
		w.SenderId = n.SenderID.String()
	}
	if !n.CreateTime.IsZero() {
		w.CreateTime = timestamppb.New(n.CreateTime)
	}
	return w
}
