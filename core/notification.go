package core

import (
	"context"
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"errors"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"

	"github.com/hearth-server/hearth/gen/db"
)

// Notification codes the server itself sends, numbered as Nakama numbers them. Codes
// sent by game code are 0 or more.
const (
	NotificationCodeDMRequest        int32 = -1
	NotificationCodeFriendRequest    int32 = -2
	NotificationCodeFriendAccept     int32 = -3
	NotificationCodeGroupAdd         int32 = -4
	NotificationCodeGroupJoinRequest int32 = -5
	NotificationCodeFriendJoinGame   int32 = -6
	NotificationCodeSingleSocket     int32 = -7
	NotificationCodeUserBanned       int32 = -8
)

// notificationSubjectMax is the width of the subject column, in characters.
const notificationSubjectMax = 255

// notificationListMax bounds a list page, as Nakama's API does.
const notificationListMax = 100

// Notification is one message to one user. A zero SenderID means the system sent it.
// Content is JSON object text. Persistent notifications are stored until deleted; the
// others are only delivered live.
type Notification struct {
	ID         uuid.UUID
	UserID     uuid.UUID
	Subject    string
	Content    string
	Code       int32
	SenderID   uuid.UUID
	CreateTime time.Time
	Persistent bool
}

// NotificationSend is one notification to send (the runtime's NotificationSend). Nil
// Content is the empty object.
type NotificationSend struct {
	UserID     uuid.UUID
	Subject    string
	Content    map[string]any
	Code       int32
	SenderID   uuid.UUID
	Persistent bool
}

// NotificationList is one page of a user's stored notifications, oldest first.
// CacheableCursor stays valid for ever: given back, it lists only newer notifications.
type NotificationList struct {
	Notifications   []Notification
	CacheableCursor string
}

// NotificationPusher delivers notifications live to connected users. It is called after
// the notifications' transaction commits, with every notification sent (persistent or
// not). A notification whose UserID is the zero id goes to every connected user
// (NotificationSendAll without persistence). The realtime socket provides one; nil
// delivers nothing live.
type NotificationPusher func(ctx context.Context, notifications []Notification)

var (
	errNotificationLimit   = Errorf(CodeInvalidArgument, "Invalid limit - limit must be between 1 and 100.")
	errNotificationCursor  = Errorf(CodeInvalidArgument, "Malformed cursor was used.")
	errNotificationSubject = Errorf(CodeInvalidArgument, "Notification subject must be 1-255 characters.")
	errNotificationContent = Errorf(CodeInvalidArgument, "Notification content must be a JSON object.")
	errNotificationUser    = Errorf(CodeInvalidArgument, "Notification recipient must be a user.")
)

// NotificationSend sends one notification.
func (c *Core) NotificationSend(ctx context.Context, n NotificationSend) error {
	return c.NotificationsSend(ctx, []NotificationSend{n})
}

// NotificationsSend stores the persistent ones of the notifications in one transaction,
// then pushes all of them live. Notifications are stored in the order given, so a user
// lists them in that order.
func (c *Core) NotificationsSend(ctx context.Context, sends []NotificationSend) error {
	out, err := prepareNotifications(sends)
	if err != nil {
		return err
	}
	if err := c.notificationsStore(ctx, c.q, out); err != nil {
		return Internal("Error sending notifications.", err)
	}
	c.pushNotifications(ctx, out)
	return nil
}

func prepareNotifications(sends []NotificationSend) ([]Notification, error) {
	out := make([]Notification, 0, len(sends))
	for _, s := range sends {
		if s.UserID == uuid.Nil {
			return nil, errNotificationUser
		}
		content, err := notificationContent(s.Content)
		if err != nil {
			return nil, err
		}
		if s.Subject == "" || len([]rune(s.Subject)) > notificationSubjectMax || !validText(s.Subject) {
			return nil, errNotificationSubject
		}
		id, err := uuid.NewV7()
		if err != nil {
			return nil, Internal("Error sending notifications.", err)
		}
		out = append(out, Notification{
			ID: id, UserID: s.UserID, Subject: s.Subject, Content: content, Code: s.Code,
			SenderID: s.SenderID, Persistent: s.Persistent,
		})
	}
	return out, nil
}

func notificationContent(m map[string]any) (string, error) {
	if m == nil {
		return "{}", nil
	}
	raw, err := json.Marshal(m)
	if err != nil || strings.Contains(string(raw), `\u0000`) {
		return "", errNotificationContent
	}
	return string(raw), nil
}

// validText reports whether s can be stored as PostgreSQL text (no NUL, valid UTF-8).
func validText(s string) bool {
	return utf8.ValidString(s) && !strings.ContainsRune(s, 0)
}

// notificationsStore inserts the persistent notifications of ns through q and fills in
// their creation times (the others get the current time).
func (c *Core) notificationsStore(ctx context.Context, q *db.Queries, ns []Notification) error {
	var p db.NotificationsInsertParams
	index := map[uuid.UUID]int{}
	for i, n := range ns {
		ns[i].CreateTime = c.now()
		if !n.Persistent {
			continue
		}
		index[n.ID] = i
		p.Ids = append(p.Ids, n.ID)
		p.UserIds = append(p.UserIds, n.UserID)
		p.Subjects = append(p.Subjects, n.Subject)
		p.Contents = append(p.Contents, []byte(n.Content))
		p.Codes = append(p.Codes, n.Code)
		p.SenderIds = append(p.SenderIds, n.SenderID)
	}
	if len(p.Ids) == 0 {
		return nil
	}
	rows, err := q.NotificationsInsert(ctx, p)
	if err != nil {
		return err
	}
	for _, r := range rows {
		ns[index[r.ID]].CreateTime = r.CreateTime
	}
	return nil
}

func (c *Core) pushNotifications(ctx context.Context, ns []Notification) {
	if c.notify != nil && len(ns) > 0 {
		c.notify(ctx, ns)
	}
}

// NotificationSendAll sends one notification to every user. Persistent ones are stored
// for every account in one statement; either way the pusher gets one notification
// addressed to everyone (zero UserID).
func (c *Core) NotificationSendAll(ctx context.Context, n NotificationSend) error {
	n.UserID = uuid.Max // passes the recipient check; replaced below
	out, err := prepareNotifications([]NotificationSend{n})
	if err != nil {
		return err
	}
	all := out[0]
	all.UserID = uuid.Nil
	all.CreateTime = c.now()
	if n.Persistent {
		if _, err := c.q.NotificationsInsertAll(ctx, db.NotificationsInsertAllParams{
			Subject: all.Subject, Content: []byte(all.Content), Code: all.Code, SenderID: all.SenderID,
		}); err != nil {
			return Internal("Error sending notifications.", err)
		}
	}
	c.pushNotifications(ctx, []Notification{all})
	return nil
}

// NotificationsList lists a user's stored notifications oldest first, after the
// cacheable cursor when one is given. An empty page gives back the cursor it was given
// (or, with none, one from the start), so a client can keep polling with it.
func (c *Core) NotificationsList(ctx context.Context, userID uuid.UUID, limit int, cursor string) (NotificationList, error) {
	if limit < 1 || limit > notificationListMax {
		return NotificationList{}, errNotificationLimit
	}
	after := notificationCursor{}
	if cursor != "" {
		var ok bool
		if after, ok = decodeNotificationCursor(cursor); !ok {
			return NotificationList{}, errNotificationCursor
		}
	}
	rows, err := c.q.NotificationsList(ctx, db.NotificationsListParams{
		UserID: userID, AfterTime: after.time(), AfterID: after.id, RowLimit: int32(limit),
	})
	if err != nil {
		return NotificationList{}, Internal("Error retrieving notifications.", err)
	}
	out := NotificationList{Notifications: make([]Notification, len(rows))}
	for i, r := range rows {
		out.Notifications[i] = Notification{
			ID: r.ID, UserID: userID, Subject: r.Subject, Content: r.Content, Code: r.Code,
			SenderID: r.SenderID, CreateTime: r.CreateTime, Persistent: true,
		}
	}
	switch {
	case len(rows) > 0:
		last := rows[len(rows)-1]
		out.CacheableCursor = notificationCursor{micros: last.CreateTime.UnixMicro(), id: last.ID}.encode()
	case cursor != "":
		out.CacheableCursor = cursor
	default:
		out.CacheableCursor = after.encode()
	}
	return out, nil
}

// NotificationsDelete deletes notifications of userID by id; ids of other users'
// notifications, unknown ids and malformed ids are ignored. A zero userID (the runtime)
// deletes whoever's they are.
func (c *Core) NotificationsDelete(ctx context.Context, userID uuid.UUID, ids []string) error {
	parsed := make([]uuid.UUID, 0, len(ids))
	for _, s := range ids {
		if id, err := uuid.Parse(s); err == nil {
			parsed = append(parsed, id)
		}
	}
	if len(parsed) == 0 {
		return nil
	}
	var err error
	if userID == uuid.Nil {
		_, err = c.q.NotificationsDeleteAny(ctx, parsed)
	} else {
		_, err = c.q.NotificationsDelete(ctx, db.NotificationsDeleteParams{UserID: userID, Ids: parsed})
	}
	if err != nil {
		return Internal("Error while deleting notifications.", err)
	}
	return nil
}

// NotificationsGet returns stored notifications by id, oldest first: of userID, or of
// anyone when userID is the zero id (the runtime's NotificationsGetId). Unknown ids are
// absent.
func (c *Core) NotificationsGet(ctx context.Context, userID uuid.UUID, ids []uuid.UUID) ([]Notification, error) {
	if len(ids) == 0 {
		return []Notification{}, nil
	}
	rows, err := c.q.NotificationsGet(ctx, db.NotificationsGetParams{Ids: ids, UserID: userID})
	if err != nil {
		return nil, Internal("Error while listing notifications.", err)
	}
	out := make([]Notification, len(rows))
	for i, r := range rows {
		out[i] = Notification{
			ID: r.ID, UserID: r.UserID, Subject: r.Subject, Content: r.Content, Code: r.Code,
			SenderID: r.SenderID, CreateTime: r.CreateTime, Persistent: true,
		}
	}
	return out, nil
}

// NotificationUpdate changes a stored notification; nil fields stay as they are. A
// SenderID of the zero id makes the system the sender.
type NotificationUpdate struct {
	ID       uuid.UUID
	Subject  *string
	Content  map[string]any
	SenderID *uuid.UUID
}

var errNotificationNotFound = Errorf(CodeNotFound, "Notification not found.")

// NotificationsUpdate applies the updates in one transaction, all or none: an update of a
// notification that does not exist refuses the whole batch. Nothing is pushed to sockets;
// clients see the change when they list.
func (c *Core) NotificationsUpdate(ctx context.Context, updates []NotificationUpdate) error {
	params := make([]db.NotificationUpdateParams, len(updates))
	for i, u := range updates {
		p := db.NotificationUpdateParams{ID: u.ID, Subject: u.Subject, SenderID: u.SenderID}
		if u.Subject != nil && (*u.Subject == "" || len([]rune(*u.Subject)) > notificationSubjectMax || !validText(*u.Subject)) {
			return errNotificationSubject
		}
		if u.Content != nil {
			content, err := notificationContent(u.Content)
			if err != nil {
				return err
			}
			p.Content = []byte(content)
		}
		params[i] = p
	}
	if len(params) == 0 {
		return nil
	}
	err := c.inTx(ctx, func(q *db.Queries) error {
		for _, p := range params {
			n, err := q.NotificationUpdate(ctx, p)
			if err != nil {
				return err
			}
			if n == 0 {
				return errNotificationNotFound
			}
		}
		return nil
	})
	if err != nil {
		return AsErrorOr(err, "Error while updating notifications.")
	}
	return nil
}

// notificationCursorVersion leads every cursor, so the format can change later.
const notificationCursorVersion byte = 1

// notificationCursor is the position of the last notification a client has seen:
// creation time in microseconds (the database's precision) and id. The zero value is
// "before everything".
type notificationCursor struct {
	micros int64
	id     uuid.UUID
}

func (n notificationCursor) time() time.Time {
	if n.micros == 0 && n.id == uuid.Nil {
		return time.Time{}
	}
	return time.UnixMicro(n.micros)
}

func (n notificationCursor) encode() string {
	b := make([]byte, 0, 25)
	b = append(b, notificationCursorVersion)
	b = binary.BigEndian.AppendUint64(b, uint64(n.micros))
	b = append(b, n.id[:]...)
	return base64.RawURLEncoding.EncodeToString(b)
}

var errCursorShape = errors.New("cursor shape")

func decodeNotificationCursor(text string) (notificationCursor, bool) {
	b, err := base64.RawURLEncoding.DecodeString(text)
	if err != nil || len(b) != 25 || b[0] != notificationCursorVersion {
		return notificationCursor{}, false
	}
	n := notificationCursor{micros: int64(binary.BigEndian.Uint64(b[1:9]))}
	copy(n.id[:], b[9:])
	if err := n.check(); err != nil {
		return notificationCursor{}, false
	}
	return n, true
}

// check refuses positions PostgreSQL cannot represent (it stores years 4713 BC to
// 294276 AD).
func (n notificationCursor) check() error {
	if n.micros == 0 && n.id == uuid.Nil {
		return nil
	}
	const maxMicros = 9_224_318_015_999_999 // ~294276 AD, in Unix microseconds
	const minMicros = -210_866_803_200_000_000
	if n.micros > maxMicros || n.micros < minMicros {
		return errCursorShape
	}
	return nil
}

type exportedNotification struct {
	ID         uuid.UUID       `json:"id"`
	Subject    string          `json:"subject"`
	Content    json.RawMessage `json:"content"`
	Code       int32           `json:"code"`
	SenderID   string          `json:"sender_id,omitempty"`
	CreateTime time.Time       `json:"create_time"`
}

func (c *Core) exportNotifications(ctx context.Context, userID uuid.UUID) (string, any, error) {
	rows, err := c.q.ExportNotifications(ctx, userID)
	if err != nil {
		return "", nil, err
	}
	out := make([]exportedNotification, len(rows))
	for i, r := range rows {
		sender := ""
		if r.SenderID != uuid.Nil {
			sender = r.SenderID.String()
		}
		out[i] = exportedNotification{r.ID, r.Subject, json.RawMessage(r.Content), r.Code, sender, r.CreateTime}
	}
	return "notifications", out, nil
}
