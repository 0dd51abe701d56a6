package handlers

import (
	"context"

	"github.com/google/uuid"

	"github.com/hearth-server/hearth/core"
	"github.com/hearth-server/hearth/gen/api"
)

// notificationListDefault is Nakama's page size when the client gives no limit.
const notificationListDefault = 1

// NakamaListNotifications lists the caller's stored notifications, oldest first.
func (s *Server) NakamaListNotifications(ctx context.Context, req api.NakamaListNotificationsRequestObject) (api.NakamaListNotificationsResponseObject, error) {
	who, err := caller(ctx)
	if err != nil {
		return nil, err
	}
	limit := notificationListDefault
	if req.Params.Limit != nil {
		limit = int(*req.Params.Limit)
	}
	list, err := s.Core.NotificationsList(ctx, who.UserID, limit, deref(req.Params.CacheableCursor))
	if err != nil {
		return nil, err
	}
	out := api.ApiNotificationList{CacheableCursor: str(list.CacheableCursor)}
	if len(list.Notifications) > 0 {
		wire := make([]api.ApiNotification, len(list.Notifications))
		for i, n := range list.Notifications {
			wire[i] = wireNotification(n)
		}
		out.Notifications = &wire
	}
	return api.NakamaListNotifications200JSONResponse(out), nil
}

func wireNotification(n core.Notification) api.ApiNotification {
	sender := ""
	if n.SenderID != uuid.Nil {
		sender = n.SenderID.String()
	}
	return api.ApiNotification{
		Id:         str(n.ID.String()),
		Subject:    str(n.Subject),
		Content:    str(n.Content),
		Code:       i32(n.Code),
		SenderId:   str(sender),
		CreateTime: timestamp(n.CreateTime),
		Persistent: flag(n.Persistent),
	}
}

// NakamaDeleteNotifications deletes the caller's notifications by id.
func (s *Server) NakamaDeleteNotifications(ctx context.Context, req api.NakamaDeleteNotificationsRequestObject) (api.NakamaDeleteNotificationsResponseObject, error) {
	who, err := caller(ctx)
	if err != nil {
		return nil, err
	}
	if req.Params.Ids == nil || len(*req.Params.Ids) == 0 {
		return api.NakamaDeleteNotifications200JSONResponse{}, nil
	}
	if err := s.Core.NotificationsDelete(ctx, who.UserID, *req.Params.Ids); err != nil {
		return nil, err
	}
	return api.NakamaDeleteNotifications200JSONResponse{}, nil
}
