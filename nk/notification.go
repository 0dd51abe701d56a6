package nk

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/google/uuid"
	"github.com/heroiclabs/nakama-common/api"
	"github.com/heroiclabs/nakama-common/runtime"

	"github.com/hearth-server/hearth/core"
)

func coreNotification(userID, subject string, content map[string]any, code int, sender string, persistent bool) (core.NotificationSend, error) {
	id, err := parseUserID(userID)
	if err != nil {
		return core.NotificationSend{}, err
	}
	if subject == "" {
		return core.NotificationSend{}, errors.New("expects subject to be a non-empty string")
	}
	if content == nil {
		return core.NotificationSend{}, errors.New("expects content")
	}
	if code < 0 {
		return core.NotificationSend{}, errors.New("expects code to be a number 0 or above")
	}
	from, err := parseOptionalUserID(sender)
	if err != nil {
		return core.NotificationSend{}, errors.New("expects sender to be a valid identifier")
	}
	return core.NotificationSend{UserID: id, Subject: subject, Content: content, Code: int32(code), SenderID: from, Persistent: persistent}, nil
}

// NotificationSend sends one notification; sender "" is the system.
func (m *Module) NotificationSend(ctx context.Context, userID, subject string, content map[string]any, code int, sender string, persistent bool) error {
	n, err := coreNotification(userID, subject, content, code, sender, persistent)
	if err != nil {
		return err
	}
	return m.fromCore(m.core.NotificationSend(ctx, n))
}

// NotificationsSend sends several notifications at once.
func (m *Module) NotificationsSend(ctx context.Context, notifications []*runtime.NotificationSend) error {
	ns := make([]core.NotificationSend, 0, len(notifications))
	for i, n := range notifications {
		if n == nil {
			return fmt.Errorf("notification at index %d is nil", i)
		}
		cn, err := coreNotification(n.UserID, n.Subject, n.Content, n.Code, n.Sender, n.Persistent)
		if err != nil {
			return err
		}
		ns = append(ns, cn)
	}
	if len(ns) == 0 {
		return nil
	}
	return m.fromCore(m.core.NotificationsSend(ctx, ns))
}

// NotificationSendAll sends a notification to every user.
func (m *Module) NotificationSendAll(ctx context.Context, subject string, content map[string]any, code int, persistent bool) error {
	if subject == "" {
		return errors.New("expects subject to be a non-empty string")
	}
	if content == nil {
		return errors.New("expects content")
	}
	if code < 0 {
		return errors.New("expects code to be a number 0 or above")
	}
	return m.fromCore(m.core.NotificationSendAll(ctx, core.NotificationSend{Subject: subject, Content: content, Code: int32(code), Persistent: persistent}))
}

// NotificationsList lists a user's stored notifications after the cacheable cursor.
func (m *Module) NotificationsList(ctx context.Context, userID string, limit int, cursor string) ([]*api.Notification, string, error) {
	id, err := parseUserID(userID)
	if err != nil {
		return nil, "", err
	}
	if limit < 1 || limit > 1000 {
		return nil, "", errors.New("expects limit to be 1-1000")
	}
	list, err := m.core.NotificationsList(ctx, id, limit, cursor)
	if err != nil {
		return nil, "", m.fromCore(err)
	}
	out := make([]*api.Notification, len(list.Notifications))
	for i, n := range list.Notifications {
		out[i] = &api.Notification{
			Id: n.ID.String(), Subject: n.Subject, Content: n.Content, Code: n.Code,
			SenderId: idString(n.SenderID), CreateTime: ts(n.CreateTime), Persistent: n.Persistent,
		}
	}
	return out, list.CacheableCursor, nil
}

// NotificationsDelete deletes notifications, each of its own user.
func (m *Module) NotificationsDelete(ctx context.Context, notifications []*runtime.NotificationDelete) error {
	byUser := map[uuid.UUID][]string{}
	var order []uuid.UUID
	for i, n := range notifications {
		if n == nil {
			return fmt.Errorf("notification delete at index %d is nil", i)
		}
		id, err := parseUserID(n.UserID)
		if err != nil {
			return err
		}
		if _, err := uuid.Parse(n.NotificationID); err != nil {
			return errors.New("expects notification id to be a valid identifier")
		}
		if _, seen := byUser[id]; !seen {
			order = append(order, id)
		}
		byUser[id] = append(byUser[id], n.NotificationID)
	}
	for _, id := range order {
		if err := m.core.NotificationsDelete(ctx, id, byUser[id]); err != nil {
			return m.fromCore(err)
		}
	}
	return nil
}

// NotificationsDeleteId deletes a user's notifications by id.
func (m *Module) NotificationsDeleteId(ctx context.Context, userID string, ids []string) error {
	id, err := parseUserID(userID)
	if err != nil {
		return err
	}
	if len(ids) == 0 {
		return nil
	}
	return m.fromCore(m.core.NotificationsDelete(ctx, id, ids))
}

// NotificationsUpdate changes the subject, content or sender of stored notifications,
// all or none; nil fields stay as they are and an empty sender is the system.
func (m *Module) NotificationsUpdate(ctx context.Context, updates ...runtime.NotificationUpdate) error {
	out := make([]core.NotificationUpdate, len(updates))
	for i, u := range updates {
		id, err := uuid.Parse(u.Id)
		if err != nil {
			return errors.New("expects id to be a valid id string")
		}
		out[i] = core.NotificationUpdate{ID: id, Subject: u.Subject, Content: u.Content}
		if u.Sender != nil {
			sender, err := parseOptionalUserID(*u.Sender)
			if err != nil {
				return errors.New("expects sender to be empty or a valid id string")
			}
			out[i].SenderID = &sender
		}
	}
	if len(out) == 0 {
		return nil
	}
	return m.fromCore(m.core.NotificationsUpdate(ctx, out))
}

// NotificationsGetId returns stored notifications by id, of one user or (userID "") of
// anyone.
func (m *Module) NotificationsGetId(ctx context.Context, userID string, ids []string) ([]*runtime.Notification, error) {
	owner, err := parseOptionalUserID(userID)
	if err != nil {
		return nil, err
	}
	parsed := make([]uuid.UUID, len(ids))
	for i, s := range ids {
		if parsed[i], err = uuid.Parse(s); err != nil {
			return nil, errors.New("expects id to be a valid id string")
		}
	}
	ns, err := m.core.NotificationsGet(ctx, owner, parsed)
	if err != nil {
		return nil, m.fromCore(err)
	}
	out := make([]*runtime.Notification, len(ns))
	for i, n := range ns {
		var content map[string]any
		if err := json.Unmarshal([]byte(n.Content), &content); err != nil {
			return nil, fmt.Errorf("notification %s content: %w", n.ID, err)
		}
		out[i] = &runtime.Notification{
			Id: n.ID.String(), UserID: n.UserID.String(), Subject: n.Subject, Content: content,
			Code: int(n.Code), Sender: idString(n.SenderID), CreateTime: ts(n.CreateTime), Persistent: n.Persistent,
		}
	}
	return out, nil
}
