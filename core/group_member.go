package core

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"slices"
	"time"

	"github.com/google/uuid"

	"github.com/hearth-server/hearth/gen/db"
)

// Channel message codes of the server's group events, numbered as Nakama numbers them.
const (
	ChannelMessageCodeGroupJoin    int32 = 3
	ChannelMessageCodeGroupAdd     int32 = 4
	ChannelMessageCodeGroupLeave   int32 = 5
	ChannelMessageCodeGroupKick    int32 = 6
	ChannelMessageCodeGroupPromote int32 = 7
	ChannelMessageCodeGroupBan     int32 = 8
	ChannelMessageCodeGroupDemote  int32 = 9
)

// groupUserListMax bounds a membership list page, as Nakama's API does.
const groupUserListMax = 100

// GroupUser is one membership in a group's user list.
type GroupUser struct {
	User  User
	State int32
}

// GroupUserList is one page of a group's users; Cursor is "" on the last page.
type GroupUserList struct {
	Users  []GroupUser
	Cursor string
}

// UserGroup is one membership in a user's group list.
type UserGroup struct {
	Group Group
	State int32
}

// UserGroupList is one page of a user's groups; Cursor is "" on the last page.
type UserGroupList struct {
	Groups []UserGroup
	Cursor string
}

// Client-facing membership refusals, worded as Nakama words them (server/api_group.go).
var (
	errGroupNotFound       = Errorf(CodeNotFound, "Group not found.")
	errGroupFull           = Errorf(CodeInvalidArgument, "Group is full.")
	errGroupLastSuperadmin = Errorf(CodeInvalidArgument, "Cannot leave group when you are the last superadmin.")
	errGroupDenied         = Errorf(CodeNotFound, "Group not found or permission denied.")
	errGroupUserNotFound   = Errorf(CodeInvalidArgument, "One or more users not found.")
	errGroupUserID         = Errorf(CodeInvalidArgument, "User ID must be a valid ID.")
	errGroupUserIDsUnset   = Errorf(CodeInvalidArgument, "User IDs must be set.")
	errGroupUserListLimit  = Errorf(CodeInvalidArgument, "Invalid limit - limit must be between 1 and 100.")
	errGroupUserListState  = Errorf(CodeInvalidArgument, "Invalid state - state must be between 0 and 4.")
	errGroupUserListCursor = Errorf(CodeInvalidArgument, "Cursor is invalid.")
	errUserGroupUserUnset  = Errorf(CodeInvalidArgument, "User ID must be set.")
	// Nakama names the wrong id in this refusal (the path holds a user id); kept, as
	// clients may match on it.
	errUserGroupUserID = Errorf(CodeInvalidArgument, "Group ID must be a valid ID.")
)

// groupOp is one membership operation's internal-error message.
type groupOp string

const (
	groupOpJoin    groupOp = "Error while trying to join group."
	groupOpLeave   groupOp = "Error while trying to leave group."
	groupOpAdd     groupOp = "Error while trying to add users to a group."
	groupOpKick    groupOp = "Error while trying to kick users from a group."
	groupOpBan     groupOp = "Error while trying to ban users from a group."
	groupOpPromote groupOp = "Error while trying to promote users in a group."
	groupOpDemote  groupOp = "Error while trying to demote users in a group."
)

// groupChange collects what a membership transaction produced, to deliver after commit.
type groupChange struct {
	messages      []ChannelMessage
	notifications []Notification
}

// groupTx runs fn on the locked group in one transaction (retried as a whole), then
// delivers its messages and notifications. errors of type *Error pass through.
func (c *Core) groupTx(ctx context.Context, groupID uuid.UUID, op groupOp, missing error,
	fn func(q *db.Queries, g db.GroupLockRow, ch *groupChange) error) error {
	var ch groupChange
	err := c.inTx(ctx, func(q *db.Queries) error {
		ch = groupChange{}
		g, err := q.GroupLock(ctx, groupID)
		if isNotFound(err) {
			return missing
		}
		if err != nil {
			return err
		}
		if err := fn(q, g, &ch); err != nil {
			return err
		}
		if err := c.messagesStore(ctx, q, ch.messages); err != nil {
			return err
		}
		return c.notificationsStore(ctx, q, ch.notifications)
	})
	if err != nil {
		var coreErr *Error
		if errors.As(err, &coreErr) {
			return coreErr
		}
		if errors.Is(err, errNoOp) {
			return nil
		}
		return Internal(string(op), err)
	}
	c.pushMessages(ctx, ch.messages)
	c.pushNotifications(ctx, ch.notifications)
	return nil
}

// errNoOp ends a membership transaction that has nothing to do.
var errNoOp = errors.New("nothing to do")

// groupEvent is a server event message about user in group g.
func (c *Core) groupEvent(g uuid.UUID, code int32, user uuid.UUID, username string) ChannelMessage {
	now := c.now()
	return ChannelMessage{
		ID: uuid.Must(uuid.NewV7()), Channel: GroupChannel(g), Code: code, SenderID: user, Username: username,
		Content: "{}", CreateTime: now, UpdateTime: now, Persistent: true,
	}
}

// edgeStates returns the states of the given users in group g.
func edgeStates(ctx context.Context, q *db.Queries, g uuid.UUID, users []uuid.UUID) (map[uuid.UUID]int32, error) {
	rows, err := q.GroupEdgeStates(ctx, db.GroupEdgeStatesParams{GroupID: g, UserIds: users})
	if err != nil {
		return nil, err
	}
	out := make(map[uuid.UUID]int32, len(rows))
	for _, r := range rows {
		out[r.UserID] = int32(r.State)
	}
	return out, nil
}

func usernames(ctx context.Context, q *db.Queries, users []uuid.UUID) (map[uuid.UUID]string, error) {
	rows, err := q.GroupUsernames(ctx, users)
	if err != nil {
		return nil, err
	}
	out := make(map[uuid.UUID]string, len(rows))
	for _, r := range rows {
		out[r.ID] = r.Username
	}
	return out, nil
}

// GroupJoin joins an open group as a member, or asks to join a closed one (its admins
// are notified). Joining a full group is refused even by someone already in it, as in
// Nakama; joining a group one is already in, has asked to join or is banned from changes
// nothing.
func (c *Core) GroupJoin(ctx context.Context, me Caller, groupID string) error {
	id, err := ParseGroupID(groupID)
	if err != nil {
		return err
	}
	return c.groupTx(ctx, id, groupOpJoin, errGroupNotFound, func(q *db.Queries, g db.GroupLockRow, ch *groupChange) error {
		if g.EdgeCount >= g.MaxCount {
			return errGroupFull
		}
		states, err := edgeStates(ctx, q, id, []uuid.UUID{me.UserID})
		if err != nil {
			return err
		}
		if _, ok := states[me.UserID]; ok {
			return errNoOp
		}
		names, err := usernames(ctx, q, []uuid.UUID{me.UserID})
		if err != nil {
			return err
		}
		name := names[me.UserID]
		state := GroupStateMember
		if g.State != groupStateOpen {
			state = GroupStateJoinRequest
		}
		if err := q.GroupEdgeInsert(ctx, db.GroupEdgeInsertParams{GroupID: id, UserID: me.UserID, State: int16(state), Position: time.Now().UnixNano()}); err != nil {
			return err
		}
		if state == GroupStateMember {
			ch.messages = append(ch.messages, c.groupEvent(id, ChannelMessageCodeGroupJoin, me.UserID, name))
			return q.GroupEdgeCountAdd(ctx, db.GroupEdgeCountAddParams{Delta: 1, ID: id})
		}
		admins, err := q.GroupAdminIDs(ctx, id)
		if err != nil {
			return err
		}
		content, _ := json.Marshal(map[string]string{"username": name})
		for _, a := range admins {
			ch.notifications = append(ch.notifications, Notification{
				ID: uuid.Must(uuid.NewV7()), UserID: a, Subject: "User " + name + " wants to join your group",
				Content: string(content), Code: NotificationCodeGroupJoinRequest, SenderID: me.UserID, Persistent: true,
			})
		}
		return nil
	})
}

// GroupLeave leaves a group (or withdraws a join request). The last superadmin cannot
// leave while others remain; when the only member leaves, the group is deleted, as in
// Nakama. A banned user's ban stays (Nakama lets a banned user erase the ban by leaving).
func (c *Core) GroupLeave(ctx context.Context, me Caller, groupID string) error {
	id, err := ParseGroupID(groupID)
	if err != nil {
		return err
	}
	return c.groupTx(ctx, id, groupOpLeave, errNoOp, func(q *db.Queries, g db.GroupLockRow, ch *groupChange) error {
		states, err := edgeStates(ctx, q, id, []uuid.UUID{me.UserID})
		if err != nil {
			return err
		}
		state, ok := states[me.UserID]
		if !ok || state == GroupStateBanned {
			return errNoOp
		}
		if state <= GroupStateMember && g.EdgeCount <= 1 {
			_, err := q.GroupDelete(ctx, db.GroupDeleteParams{ID: id, AnyUser: true})
			return err
		}
		if state == GroupStateSuperadmin {
			supers, err := q.GroupSuperadminCount(ctx, id)
			if err != nil {
				return err
			}
			if supers <= 1 {
				return errGroupLastSuperadmin
			}
		}
		if err := q.GroupEdgeDelete(ctx, db.GroupEdgeDeleteParams{GroupID: id, UserID: me.UserID}); err != nil {
			return err
		}
		names, err := usernames(ctx, q, []uuid.UUID{me.UserID})
		if err != nil {
			return err
		}
		ch.messages = append(ch.messages, c.groupEvent(id, ChannelMessageCodeGroupLeave, me.UserID, names[me.UserID]))
		if state <= GroupStateMember {
			return q.GroupEdgeCountAdd(ctx, db.GroupEdgeCountAddParams{Delta: -1, ID: id})
		}
		return nil
	})
}

// parseGroupUsers turns the target user ids into UUIDs, each once, in the order given.
func parseGroupUsers(ids []string) ([]uuid.UUID, error) {
	out := make([]uuid.UUID, 0, len(ids))
	for _, s := range ids {
		id, err := uuid.Parse(s)
		if err != nil || id == uuid.Nil {
			return nil, errGroupUserID
		}
		if !slices.Contains(out, id) {
			out = append(out, id)
		}
	}
	return out, nil
}

// callerRole returns the caller's state in the locked group, refusing anyone below
// admin. The server (uuid.Nil) acts as a superadmin.
func callerRole(ctx context.Context, q *db.Queries, g uuid.UUID, caller uuid.UUID) (int32, error) {
	if caller == uuid.Nil {
		return GroupStateSuperadmin, nil
	}
	states, err := edgeStates(ctx, q, g, []uuid.UUID{caller})
	if err != nil {
		return 0, err
	}
	state, ok := states[caller]
	if !ok || state > GroupStateAdmin {
		return 0, errGroupDenied
	}
	return state, nil
}

// groupUsersOp is the shared frame of add, kick, ban, promote and demote: check the
// targets, lock the group, check the caller is an admin, then apply one to each target
// (the caller itself is skipped) knowing its current state (-1 when absent).
func (c *Core) groupUsersOp(ctx context.Context, caller uuid.UUID, groupID string, userIDs []string, op groupOp,
	apply func(q *db.Queries, g db.GroupLockRow, role int32, target uuid.UUID, state int32, name string, ch *groupChange) error) error {
	id, err := ParseGroupID(groupID)
	if err != nil {
		return err
	}
	if len(userIDs) == 0 {
		return nil // as in Nakama: nothing named, nothing checked
	}
	targets, err := parseGroupUsers(userIDs)
	if err != nil {
		return err
	}
	targets = slices.DeleteFunc(targets, func(t uuid.UUID) bool { return t == caller })
	missing := errGroupDenied
	if caller == uuid.Nil {
		missing = errGroupNotFound
	}
	return c.groupTx(ctx, id, op, missing, func(q *db.Queries, g db.GroupLockRow, ch *groupChange) error {
		role, err := callerRole(ctx, q, id, caller)
		if err != nil {
			return err
		}
		if len(targets) == 0 {
			return errNoOp
		}
		states, err := edgeStates(ctx, q, id, targets)
		if err != nil {
			return err
		}
		names, err := usernames(ctx, q, targets)
		if err != nil {
			return err
		}
		for _, t := range targets {
			state, ok := states[t]
			if !ok {
				state = -1
			}
			if err := apply(q, g, role, t, state, names[t], ch); err != nil {
				return err
			}
		}
		return nil
	})
}

// GroupUsersAdd adds users to a group as members, or accepts their join requests. The
// caller must be an admin (uuid.Nil: the server). Every target must exist; users already
// in the group, and banned users, stay as they are, as in Nakama. Each added user gets a
// "group add" notification.
func (c *Core) GroupUsersAdd(ctx context.Context, caller uuid.UUID, groupID string, userIDs []string) error {
	var count int32
	first := true
	return c.groupUsersOp(ctx, caller, groupID, userIDs, groupOpAdd,
		func(q *db.Queries, g db.GroupLockRow, _ int32, t uuid.UUID, state int32, name string, ch *groupChange) error {
			if first {
				count, first = g.EdgeCount, false
			}
			if name == "" { // usernames are never empty: no such user
				return errGroupUserNotFound
			}
			if state != -1 && state != GroupStateJoinRequest {
				return nil
			}
			if count+1 > g.MaxCount {
				return errGroupFull
			}
			count++
			if state == -1 {
				if err := q.GroupEdgeInsert(ctx, db.GroupEdgeInsertParams{GroupID: g.ID, UserID: t, State: int16(GroupStateMember), Position: time.Now().UnixNano()}); err != nil {
					return err
				}
			} else if err := q.GroupEdgeSetState(ctx, db.GroupEdgeSetStateParams{State: int16(GroupStateMember), GroupID: g.ID, UserID: t}); err != nil {
				return err
			}
			ch.messages = append(ch.messages, c.groupEvent(g.ID, ChannelMessageCodeGroupAdd, t, name))
			content, _ := json.Marshal(map[string]string{"name": g.Name})
			ch.notifications = append(ch.notifications, Notification{
				ID: uuid.Must(uuid.NewV7()), UserID: t, Subject: "You've been added to group " + g.Name,
				Content: string(content), Code: NotificationCodeGroupAdd, SenderID: caller, Persistent: true,
			})
			return q.GroupEdgeCountAdd(ctx, db.GroupEdgeCountAddParams{Delta: 1, ID: g.ID})
		})
}

// removable reports whether a caller with role may remove (kick or ban) a user in state,
// given how many superadmins the group has: superadmins may remove anyone but the last
// superadmin; admins only members, join requests and banned users, as in Nakama.
func removable(role, state int32, supers int) bool {
	if state < 0 {
		return false
	}
	if role == GroupStateSuperadmin {
		return state != GroupStateSuperadmin || supers > 1
	}
	return state > GroupStateAdmin
}

// groupRemove is kick (ban false) and ban (ban true).
func (c *Core) groupRemove(ctx context.Context, caller uuid.UUID, groupID string, userIDs []string, ban bool) error {
	op, code := groupOpKick, ChannelMessageCodeGroupKick
	if ban {
		op, code = groupOpBan, ChannelMessageCodeGroupBan
	}
	supers := -1
	return c.groupUsersOp(ctx, caller, groupID, userIDs, op,
		func(q *db.Queries, g db.GroupLockRow, role int32, t uuid.UUID, state int32, name string, ch *groupChange) error {
			if supers < 0 {
				n, err := q.GroupSuperadminCount(ctx, g.ID)
				if err != nil {
					return err
				}
				supers = int(n)
			}
			if !removable(role, state, supers) {
				return nil
			}
			if state == GroupStateSuperadmin {
				supers--
			}
			if ban {
				if err := q.GroupEdgeDelete(ctx, db.GroupEdgeDeleteParams{GroupID: g.ID, UserID: t}); err != nil {
					return err
				}
				if err := q.GroupEdgeInsert(ctx, db.GroupEdgeInsertParams{GroupID: g.ID, UserID: t, State: int16(GroupStateBanned), Position: time.Now().UnixNano()}); err != nil {
					return err
				}
			} else if err := q.GroupEdgeDelete(ctx, db.GroupEdgeDeleteParams{GroupID: g.ID, UserID: t}); err != nil {
				return err
			}
			if state > GroupStateMember {
				return nil // join requests and bans were not counted and get no event
			}
			ch.messages = append(ch.messages, c.groupEvent(g.ID, code, t, name))
			return q.GroupEdgeCountAdd(ctx, db.GroupEdgeCountAddParams{Delta: -1, ID: g.ID})
		})
}

// GroupUsersKick removes users from a group or declines their join requests. The caller
// must be an admin (uuid.Nil: the server); see removable for who may remove whom.
func (c *Core) GroupUsersKick(ctx context.Context, caller uuid.UUID, groupID string, userIDs []string) error {
	return c.groupRemove(ctx, caller, groupID, userIDs, false)
}

// GroupUsersBan bans users who are in the group or asked to join it, so they cannot
// join again; the same rules as kick apply. Users with no relationship to the group are
// skipped, as in Nakama.
func (c *Core) GroupUsersBan(ctx context.Context, caller uuid.UUID, groupID string, userIDs []string) error {
	return c.groupRemove(ctx, caller, groupID, userIDs, true)
}

// GroupUsersPromote moves users one role up. The caller must be an admin (uuid.Nil: the
// server) and may only promote users below its own role: admins promote members to
// admin and accept join requests; superadmins also make admins superadmins. As in
// Nakama, a banned user promoted moves to join request. Accepting a join request needs
// room in the group.
func (c *Core) GroupUsersPromote(ctx context.Context, caller uuid.UUID, groupID string, userIDs []string) error {
	var count int32
	first := true
	return c.groupUsersOp(ctx, caller, groupID, userIDs, groupOpPromote,
		func(q *db.Queries, g db.GroupLockRow, role int32, t uuid.UUID, state int32, name string, ch *groupChange) error {
			if first {
				count, first = g.EdgeCount, false
			}
			if state <= GroupStateSuperadmin || state <= role {
				return nil
			}
			next := state - 1
			if next == GroupStateMember {
				if count+1 > g.MaxCount {
					return errGroupFull
				}
				count++
				if err := q.GroupEdgeCountAdd(ctx, db.GroupEdgeCountAddParams{Delta: 1, ID: g.ID}); err != nil {
					return err
				}
			}
			if err := q.GroupEdgeSetState(ctx, db.GroupEdgeSetStateParams{State: int16(next), GroupID: g.ID, UserID: t}); err != nil {
				return err
			}
			ch.messages = append(ch.messages, c.groupEvent(g.ID, ChannelMessageCodeGroupPromote, t, name))
			return nil
		})
}

// GroupUsersDemote moves superadmins and admins one role down (members stay members).
// The caller must be an admin (uuid.Nil: the server) and may demote users of its own role
// or below; the last superadmin is never demoted.
func (c *Core) GroupUsersDemote(ctx context.Context, caller uuid.UUID, groupID string, userIDs []string) error {
	if len(userIDs) == 0 {
		if _, err := ParseGroupID(groupID); err != nil {
			return err
		}
		return errGroupUserIDsUnset
	}
	supers := -1
	return c.groupUsersOp(ctx, caller, groupID, userIDs, groupOpDemote,
		func(q *db.Queries, g db.GroupLockRow, role int32, t uuid.UUID, state int32, name string, ch *groupChange) error {
			if state < 0 || state > GroupStateAdmin || state < role {
				return nil
			}
			if state == GroupStateSuperadmin {
				if supers < 0 {
					n, err := q.GroupSuperadminCount(ctx, g.ID)
					if err != nil {
						return err
					}
					supers = int(n)
				}
				if supers <= 1 {
					return nil
				}
				supers--
			}
			if err := q.GroupEdgeSetState(ctx, db.GroupEdgeSetStateParams{State: int16(state + 1), GroupID: g.ID, UserID: t}); err != nil {
				return err
			}
			ch.messages = append(ch.messages, c.groupEvent(g.ID, ChannelMessageCodeGroupDemote, t, name))
			return nil
		})
}

// membershipCursor is where a membership list continues; the state filter it was made
// under is part of it, as in Nakama, so it cannot be reused with another filter.
type membershipCursor struct {
	Filter   int32     `json:"f"`
	State    int16     `json:"s"`
	Position int64     `json:"p"`
	ID       uuid.UUID `json:"i"`
}

func (m membershipCursor) encode() string {
	raw, _ := json.Marshal(m)
	return base64.RawURLEncoding.EncodeToString(raw)
}

// membershipListArgs checks a membership list's limit, state filter and cursor. A nil
// state lists every state but banned; the returned filter is then -1.
func membershipListArgs(limit int, state *int32, cursor string) (int32, membershipCursor, error) {
	var cur membershipCursor
	if limit < 1 || limit > groupUserListMax {
		return 0, cur, errGroupUserListLimit
	}
	filter := int32(-1)
	if state != nil {
		if *state < 0 || *state > GroupStateBanned {
			return 0, cur, errGroupUserListState
		}
		filter = *state
	}
	if cursor != "" {
		raw, err := base64.RawURLEncoding.DecodeString(cursor)
		if err != nil || json.Unmarshal(raw, &cur) != nil || cur.Filter != filter {
			return 0, cur, errGroupUserListCursor
		}
	} else {
		cur = membershipCursor{Filter: filter, State: -1}
	}
	return filter, cur, nil
}

// GroupUsersList lists a group's users with their states, in (state, join order) order.
// An unknown group lists nothing.
func (c *Core) GroupUsersList(ctx context.Context, groupID string, limit int, state *int32, cursor string) (GroupUserList, error) {
	id, err := ParseGroupID(groupID)
	if err != nil {
		return GroupUserList{}, err
	}
	filter, cur, err := membershipListArgs(limit, state, cursor)
	if err != nil {
		return GroupUserList{}, err
	}
	rows, err := c.q.GroupUsersList(ctx, db.GroupUsersListParams{
		GroupID: id, State: int16(filter), AfterState: cur.State, AfterPosition: cur.Position, AfterID: cur.ID, RowLimit: int32(limit + 1),
	})
	if err != nil {
		return GroupUserList{}, Internal("Error while trying to list users in a group.", err)
	}
	out := GroupUserList{Users: make([]GroupUser, 0, min(len(rows), limit))}
	for i, r := range rows {
		if i == limit {
			last := rows[i-1]
			out.Cursor = membershipCursor{Filter: filter, State: last.State, Position: last.Position, ID: last.UserProfile.ID}.encode()
			break
		}
		out.Users = append(out.Users, GroupUser{State: int32(r.State), User: c.userFromProfile(r.UserProfile)})
	}
	return out, nil
}

// UserGroupsList lists the groups a user is in (or asked to join), with the user's state.
func (c *Core) UserGroupsList(ctx context.Context, userID string, limit int, state *int32, cursor string) (UserGroupList, error) {
	if userID == "" {
		return UserGroupList{}, errUserGroupUserUnset
	}
	id, err := uuid.Parse(userID)
	if err != nil {
		return UserGroupList{}, errUserGroupUserID
	}
	filter, cur, err := membershipListArgs(limit, state, cursor)
	if err != nil {
		return UserGroupList{}, err
	}
	rows, err := c.q.UserGroupsList(ctx, db.UserGroupsListParams{
		UserID: id, State: int16(filter), AfterState: cur.State, AfterPosition: cur.Position, AfterID: cur.ID, RowLimit: int32(limit + 1),
	})
	if err != nil {
		return UserGroupList{}, Internal("Error while trying to list groups for a user.", err)
	}
	out := UserGroupList{Groups: make([]UserGroup, 0, min(len(rows), limit))}
	for i, r := range rows {
		if i == limit {
			last := rows[i-1]
			out.Cursor = membershipCursor{Filter: filter, State: last.UserState, Position: last.Position, ID: last.ID}.encode()
			break
		}
		out.Groups = append(out.Groups, UserGroup{State: int32(r.UserState), Group: groupFromRow(db.GroupInsertRow{
			ID: r.ID, CreatorID: r.CreatorID, Name: r.Name, Description: r.Description, AvatarUrl: r.AvatarUrl,
			LangTag: r.LangTag, Metadata: r.Metadata, State: r.State, EdgeCount: r.EdgeCount, MaxCount: r.MaxCount,
			CreateTime: r.CreateTime, UpdateTime: r.UpdateTime,
		})})
	}
	return out, nil
}
