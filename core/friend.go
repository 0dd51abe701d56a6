package core

import (
	"context"
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/hearth-server/hearth/gen/db"
	"github.com/hearth-server/hearth/social"
)

// Friend states, numbered as Nakama numbers them. Each side of a relationship has its
// own edge: an invite is "sent" on the inviter's side and "received" on the other; a
// block exists only on the blocker's side.
const (
	FriendStateFriend          int32 = 0
	FriendStateInviteSent      int32 = 1
	FriendStateInviteReceived  int32 = 2
	FriendStateBlocked         int32 = 3
	friendStateNone            int16 = -1
	friendListMax                    = 1000
	friendsOfFriendsListMax          = 100
	friendCursorVersion        byte  = 1
	friendsOfFriendsCursorKind byte  = 'f'
	friendListCursorKind       byte  = 'l'
)

// Friend is one edge of the caller's list: the other user, the state from the caller's
// side, when it last changed, and the caller's metadata for it (JSON object text).
type Friend struct {
	User       User
	State      int32
	UpdateTime time.Time
	Metadata   string
}

// FriendList is one page of friends; Cursor is "" on the last page.
type FriendList struct {
	Friends []Friend
	Cursor  string
}

// FriendOfFriend is a user two steps away and the friend through whom.
type FriendOfFriend struct {
	Referrer uuid.UUID
	User     User
}

// FriendsOfFriendsList is one page of friends of friends; Cursor is "" on the last page.
type FriendsOfFriendsList struct {
	FriendsOfFriends []FriendOfFriend
	Cursor           string
}

// FriendTargets names users by id and by username, as the friend operations take them.
type FriendTargets struct {
	IDs       []string
	Usernames []string
}

// Client-facing friend refusals, worded as Nakama words them.
var (
	errFriendAddSelf     = Errorf(CodeInvalidArgument, "Cannot add self as friend.")
	errFriendDeleteSelf  = Errorf(CodeInvalidArgument, "Cannot delete self.")
	errFriendBlockSelf   = Errorf(CodeInvalidArgument, "Cannot block self.")
	errFriendUsername    = Errorf(CodeInvalidArgument, "Username must not be empty.")
	errFriendNoTarget    = Errorf(CodeInvalidArgument, "No valid ID or username was provided.")
	errFriendLimit       = Errorf(CodeInvalidArgument, "Invalid limit - limit must be between 1 and 1000.")
	errFriendOfFriendLim = Errorf(CodeInvalidArgument, "Invalid limit - limit must be between 1 and 100.")
	errFriendState       = Errorf(CodeInvalidArgument, "Invalid state - state must be between 0 and 3.")
	errFriendCursor      = Errorf(CodeInvalidArgument, "Cursor is invalid.")
	errFriendMetadata    = Errorf(CodeInvalidArgument, "Metadata must be a valid JSON object.")
	// ErrFriendLimitReached refuses an invite from a user whose list is full
	// (Options.MaxFriends); Nakama has no such limit.
	ErrFriendLimitReached = Errorf(CodeFailedPrecondition, "Friend limit reached.")
)

// friendOp names an operation in Nakama's self-refusal and internal-error messages.
type friendOp struct {
	self     *Error
	internal string
}

var (
	opAdd    = friendOp{errFriendAddSelf, "Error while trying to add friends."}
	opDelete = friendOp{errFriendDeleteSelf, "Error while trying to delete friends."}
	opBlock  = friendOp{errFriendBlockSelf, "Error while trying to block friends."}
)

// resolveTargets checks the targets in Nakama's order (ids: not self, a UUID; usernames:
// not empty, not self) and returns the ids of the users they name, each once, sorted (so
// pair locks are always taken in one order). Usernames nobody holds are dropped.
func (c *Core) resolveTargets(ctx context.Context, me Caller, t FriendTargets, op friendOp) ([]uuid.UUID, error) {
	ids := make([]uuid.UUID, 0, len(t.IDs)+len(t.Usernames))
	for _, s := range t.IDs {
		if s == me.UserID.String() {
			return nil, op.self
		}
		id, err := uuid.Parse(s)
		if err != nil || id == uuid.Nil {
			return nil, Errorf(CodeInvalidArgument, "Invalid user ID '"+s+"'.")
		}
		if id == me.UserID {
			return nil, op.self
		}
		ids = append(ids, id)
	}
	for _, u := range t.Usernames {
		if u == "" {
			return nil, errFriendUsername
		}
		if u == me.Username {
			return nil, op.self
		}
	}
	if len(t.Usernames) > 0 {
		found, err := c.q.FriendIDsByUsernames(ctx, t.Usernames)
		if err != nil {
			return nil, Internal(op.internal, err)
		}
		for _, id := range found {
			if id != me.UserID { // a stale token's username may name someone else now
				ids = append(ids, id)
			}
		}
	}
	slices.SortFunc(ids, func(a, b uuid.UUID) int { return strings.Compare(a.String(), b.String()) })
	return slices.Compact(ids), nil
}

// FriendsAdd sends friend invites to the targets, or accepts theirs where they invited
// the caller first. Unknown users, users who blocked the caller, users the caller blocked
// and existing friends or invites are skipped silently, as in Nakama. Each invitee gets a
// "friend request" notification and each accepted inviter a "friend accepted" one.
// metadata (JSON object text, may be empty) is stored on the caller's side.
func (c *Core) FriendsAdd(ctx context.Context, me Caller, t FriendTargets, metadata string) error {
	if len(t.IDs) == 0 && len(t.Usernames) == 0 {
		return nil
	}
	meta, err := friendMetadata(metadata)
	if err != nil {
		return err
	}
	ids, err := c.resolveTargets(ctx, me, t, opAdd)
	if err != nil {
		return err
	}
	if len(ids) == 0 {
		return errFriendNoTarget
	}
	var sends []Notification
	err = c.inTx(ctx, func(q *db.Queries) error {
		sends = sends[:0]
		for _, other := range ids {
			accepted, invited, err := c.friendAdd(ctx, q, me.UserID, other, meta)
			if err != nil {
				return err
			}
			if accepted || invited {
				sends = append(sends, friendNotification(me, other, accepted))
			}
		}
		return c.notificationsStore(ctx, q, sends)
	})
	if err != nil {
		var coreErr *Error
		if errors.As(err, &coreErr) {
			return coreErr
		}
		return Internal(opAdd.internal, err)
	}
	c.pushNotifications(ctx, sends)
	return nil
}

func friendMetadata(text string) ([]byte, error) {
	if text == "" {
		return []byte("{}"), nil
	}
	// Decode and re-encode, so what is stored is a JSON object PostgreSQL's jsonb accepts:
	// unpaired surrogate escapes become U+FFFD, and NUL characters and numbers beyond
	// float64 range (which jsonb refuses) are refused here with a clear message.
	dec := json.NewDecoder(strings.NewReader(text))
	dec.UseNumber()
	var m map[string]any
	if err := dec.Decode(&m); err != nil || m == nil || dec.More() || !jsonStorable(m) {
		return nil, errFriendMetadata
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, errFriendMetadata
	}
	out, err := json.Marshal(m)
	if err != nil || strings.Contains(string(out), `\u0000`) {
		return nil, errFriendMetadata
	}
	return out, nil
}

// jsonStorable reports whether every number in v fits a float64.
func jsonStorable(v any) bool {
	switch x := v.(type) {
	case json.Number:
		_, err := strconv.ParseFloat(string(x), 64)
		return err == nil
	case map[string]any:
		for _, e := range x {
			if !jsonStorable(e) {
				return false
			}
		}
	case []any:
		for _, e := range x {
			if !jsonStorable(e) {
				return false
			}
		}
	}
	return true
}

func friendNotification(me Caller, to uuid.UUID, accepted bool) Notification {
	content, _ := json.Marshal(map[string]string{"username": me.Username})
	n := Notification{
		ID: uuid.Must(uuid.NewV7()), UserID: to, Content: string(content), SenderID: me.UserID, Persistent: true,
		Code: NotificationCodeFriendRequest, Subject: me.Username + " wants to add you as a friend",
	}
	if accepted {
		n.Code, n.Subject = NotificationCodeFriendAccept, me.Username+" accepted your friend request"
	}
	return n
}

// friendAdd applies one add under the pair's lock.
func (c *Core) friendAdd(ctx context.Context, q *db.Queries, me, other uuid.UUID, meta []byte) (accepted, invited bool, err error) {
	if err := q.FriendPairLock(ctx, db.FriendPairLockParams{A: me, B: other}); err != nil {
		return false, false, err
	}
	st, err := q.FriendPairStates(ctx, db.FriendPairStatesParams{UserID: me, OtherID: other})
	if err != nil {
		return false, false, err
	}
	switch {
	case !st.OtherExists, st.Mine == int16(FriendStateBlocked), st.Theirs == int16(FriendStateBlocked):
		return false, false, nil
	case st.Mine == int16(FriendStateInviteReceived):
		return true, false, q.FriendAccept(ctx, db.FriendAcceptParams{UserID: me, OtherID: other, Metadata: meta})
	case st.Mine != friendStateNone:
		return false, false, nil // already friends or invited
	}
	if c.maxFriends > 0 {
		if int(st.MyCount) >= c.maxFriends {
			return false, false, ErrFriendLimitReached
		}
		if int(st.TheirCount) >= c.maxFriends {
			return false, false, nil
		}
	}
	pos := time.Now().UnixNano()
	if err := q.FriendEdgeInsert(ctx, db.FriendEdgeInsertParams{SourceID: me, DestinationID: other, State: int16(FriendStateInviteSent), Position: pos, Metadata: meta}); err != nil {
		return false, false, err
	}
	if err := q.FriendEdgeInsert(ctx, db.FriendEdgeInsertParams{SourceID: other, DestinationID: me, State: int16(FriendStateInviteReceived), Position: pos, Metadata: []byte("{}")}); err != nil {
		return false, false, err
	}
	return false, true, q.UserEdgeCountAdd(ctx, db.UserEdgeCountAddParams{Delta: 1, Ids: []uuid.UUID{me, other}})
}

// FriendsDelete removes the caller's edges to the targets and the targets' edges to the
// caller, except a target's block, which stays.
func (c *Core) FriendsDelete(ctx context.Context, me Caller, t FriendTargets) error {
	if len(t.IDs) == 0 && len(t.Usernames) == 0 {
		return nil
	}
	ids, err := c.resolveTargets(ctx, me, t, opDelete)
	if err != nil {
		return err
	}
	err = c.inTx(ctx, func(q *db.Queries) error {
		for _, other := range ids {
			if err := friendDelete(ctx, q, me.UserID, other); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return Internal(opDelete.internal, err)
	}
	return nil
}

func friendDelete(ctx context.Context, q *db.Queries, me, other uuid.UUID) error {
	if err := q.FriendPairLock(ctx, db.FriendPairLockParams{A: me, B: other}); err != nil {
		return err
	}
	st, err := q.FriendPairStates(ctx, db.FriendPairStatesParams{UserID: me, OtherID: other})
	if err != nil {
		return err
	}
	var changed []uuid.UUID
	if st.Mine != friendStateNone {
		if _, err := q.FriendEdgeDelete(ctx, db.FriendEdgeDeleteParams{SourceID: me, DestinationID: other}); err != nil {
			return err
		}
		changed = append(changed, me)
	}
	if st.Theirs != friendStateNone && st.Theirs != int16(FriendStateBlocked) {
		if _, err := q.FriendEdgeDelete(ctx, db.FriendEdgeDeleteParams{SourceID: other, DestinationID: me}); err != nil {
			return err
		}
		changed = append(changed, other)
	}
	if len(changed) == 0 {
		return nil
	}
	return q.UserEdgeCountAdd(ctx, db.UserEdgeCountAddParams{Delta: -1, Ids: changed})
}

// FriendsBlock blocks the targets: the caller's edge becomes (or is made) a block, and the
// target's edge to the caller goes unless it is itself a block. A blocked user cannot
// invite the blocker.
func (c *Core) FriendsBlock(ctx context.Context, me Caller, t FriendTargets) error {
	if len(t.IDs) == 0 && len(t.Usernames) == 0 {
		return nil
	}
	ids, err := c.resolveTargets(ctx, me, t, opBlock)
	if err != nil {
		return err
	}
	if len(ids) == 0 {
		return errFriendNoTarget
	}
	err = c.inTx(ctx, func(q *db.Queries) error {
		for _, other := range ids {
			if err := friendBlock(ctx, q, me.UserID, other); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return Internal(opBlock.internal, err)
	}
	return nil
}

func friendBlock(ctx context.Context, q *db.Queries, me, other uuid.UUID) error {
	if err := q.FriendPairLock(ctx, db.FriendPairLockParams{A: me, B: other}); err != nil {
		return err
	}
	st, err := q.FriendPairStates(ctx, db.FriendPairStatesParams{UserID: me, OtherID: other})
	if err != nil {
		return err
	}
	if !st.OtherExists {
		return nil
	}
	if st.Mine == friendStateNone {
		if err := q.FriendEdgeInsert(ctx, db.FriendEdgeInsertParams{SourceID: me, DestinationID: other, State: int16(FriendStateBlocked), Position: time.Now().UnixNano(), Metadata: []byte("{}")}); err != nil {
			return err
		}
		if err := q.UserEdgeCountAdd(ctx, db.UserEdgeCountAddParams{Delta: 1, Ids: []uuid.UUID{me}}); err != nil {
			return err
		}
	} else if err := q.FriendBlockSet(ctx, db.FriendBlockSetParams{SourceID: me, DestinationID: other}); err != nil {
		return err
	}
	if st.Theirs != friendStateNone && st.Theirs != int16(FriendStateBlocked) {
		if _, err := q.FriendEdgeDelete(ctx, db.FriendEdgeDeleteParams{SourceID: other, DestinationID: me}); err != nil {
			return err
		}
		return q.UserEdgeCountAdd(ctx, db.UserEdgeCountAddParams{Delta: -1, Ids: []uuid.UUID{other}})
	}
	return nil
}

// FriendsList lists a user's edges in (state, time made) order; state nil lists every
// state. A cursor only continues the listing (and state filter) that made it.
func (c *Core) FriendsList(ctx context.Context, userID uuid.UUID, limit int, state *int32, cursor string) (FriendList, error) {
	if limit < 1 || limit > friendListMax {
		return FriendList{}, errFriendLimit
	}
	filter := int16(friendStateNone)
	if state != nil {
		if *state < 0 || *state > 3 {
			return FriendList{}, errFriendState
		}
		filter = int16(*state)
	}
	after := friendListCursor{state: -1, filter: filter}
	if cursor != "" {
		var ok bool
		if after, ok = decodeFriendListCursor(cursor); !ok || after.filter != filter {
			return FriendList{}, errFriendCursor
		}
	}
	// The columns and parameters of db.FriendsList, read by hand (see rowscan.go).
	rows, err := c.pool.Query(ctx, db.FriendsList, userID, filter, after.state, after.position, after.id, int32(limit+1))
	if err != nil {
		return FriendList{}, Internal("Error while trying to list friends.", err)
	}
	r := newRowReader(rows)
	friends := make([]Friend, 0, limit+1) // the extra row says there is a next page
	var next friendListCursor             // made from the page's last row
	for r.next() {
		f := Friend{User: r.profile()}
		state, position := r.int16(), r.int64()
		f.State, f.UpdateTime, f.Metadata = int32(state), r.time(), r.string()
		f.User.Online = c.online(f.User.ID)
		if len(friends) == limit-1 {
			next = friendListCursor{filter: filter, state: state, position: position, id: f.User.ID}
		}
		friends = append(friends, f)
	}
	if err := r.close(); err != nil {
		return FriendList{}, Internal("Error while trying to list friends.", err)
	}
	out := FriendList{Friends: friends}
	if len(friends) > limit {
		out.Friends, out.Cursor = friends[:limit], next.encode()
	}
	return out, nil
}

// FriendStatus returns the user's edges to each of the given users (the runtime's
// UsersGetFriendStatus): the other user, the state from the user's side and its
// metadata. Users it has no edge with are absent, as in Nakama.
func (c *Core) FriendStatus(ctx context.Context, userID uuid.UUID, others []uuid.UUID) ([]Friend, error) {
	if len(others) == 0 {
		return []Friend{}, nil
	}
	rows, err := c.q.FriendStatus(ctx, db.FriendStatusParams{UserID: userID, Ids: others})
	if err != nil {
		return nil, Internal("Error while trying to list friends.", err)
	}
	out := make([]Friend, len(rows))
	for i, r := range rows {
		out[i] = Friend{
			User:  c.userFromProfile(r.UserProfile),
			State: int32(r.State), UpdateTime: r.EdgeUpdateTime, Metadata: r.EdgeMetadata,
		}
	}
	return out, nil
}

// errFriendNotFound refuses a metadata update of an edge that does not exist.
var errFriendNotFound = Errorf(CodeNotFound, "Friend not found.")

// FriendMetadataUpdate replaces the metadata the user keeps on its edge to another user
// (friend, invitation either way, or block); nil metadata is the empty object. Only the
// user's side changes: the other user's metadata about it is its own.
func (c *Core) FriendMetadataUpdate(ctx context.Context, userID, otherID uuid.UUID, metadata map[string]any) error {
	text := ""
	if metadata != nil {
		raw, err := json.Marshal(metadata)
		if err != nil {
			return errFriendMetadata
		}
		text = string(raw)
	}
	meta, err := friendMetadata(text)
	if err != nil {
		return err
	}
	n, err := c.q.FriendMetadataSet(ctx, db.FriendMetadataSetParams{UserID: userID, OtherID: otherID, Metadata: meta})
	if err != nil {
		return Internal("Error while trying to update friend metadata.", err)
	}
	if n == 0 {
		return errFriendNotFound
	}
	return nil
}

// FriendsOfFriendsList lists users who are friends of the user's friends but neither the
// user nor already a friend, with the friend who links them (one entry per link), in
// (referrer, user) id order.
func (c *Core) FriendsOfFriendsList(ctx context.Context, userID uuid.UUID, limit int, cursor string) (FriendsOfFriendsList, error) {
	if limit < 1 || limit > friendsOfFriendsListMax {
		return FriendsOfFriendsList{}, errFriendOfFriendLim
	}
	var after friendsOfFriendsCursor
	if cursor != "" {
		var ok bool
		if after, ok = decodeFriendsOfFriendsCursor(cursor); !ok {
			return FriendsOfFriendsList{}, errFriendCursor
		}
	}
	rows, err := c.q.FriendsOfFriendsList(ctx, db.FriendsOfFriendsListParams{
		UserID: userID, AfterReferrer: after.referrer, AfterUser: after.user, RowLimit: int32(limit + 1),
	})
	if err != nil {
		return FriendsOfFriendsList{}, Internal("Error while trying to list friends.", err)
	}
	var out FriendsOfFriendsList
	if len(rows) > limit {
		rows = rows[:limit]
		last := rows[limit-1]
		out.Cursor = friendsOfFriendsCursor{referrer: last.Referrer, user: last.UserID}.encode()
	}
	ids := make([]string, 0, len(rows))
	for _, r := range rows {
		ids = append(ids, r.UserID.String())
	}
	users, err := c.UsersGet(ctx, UsersGetInput{IDs: slices.Compact(slices.Sorted(slices.Values(ids)))})
	if err != nil {
		return FriendsOfFriendsList{}, err
	}
	byID := make(map[uuid.UUID]User, len(users))
	for _, u := range users {
		byID[u.ID] = u
	}
	out.FriendsOfFriends = make([]FriendOfFriend, 0, len(rows))
	for _, r := range rows {
		if u, ok := byID[r.UserID]; ok {
			out.FriendsOfFriends = append(out.FriendsOfFriends, FriendOfFriend{Referrer: r.Referrer, User: u})
		}
	}
	return out, nil
}

// friendListCursor is the last edge of a page and the state filter of the listing.
type friendListCursor struct {
	filter   int16
	state    int16
	position int64
	id       uuid.UUID
}

func (f friendListCursor) encode() string {
	b := make([]byte, 0, 30)
	b = append(b, friendCursorVersion, friendListCursorKind)
	b = binary.BigEndian.AppendUint16(b, uint16(f.filter))
	b = binary.BigEndian.AppendUint16(b, uint16(f.state))
	b = binary.BigEndian.AppendUint64(b, uint64(f.position))
	b = append(b, f.id[:]...)
	return base64.RawURLEncoding.EncodeToString(b)
}

func decodeFriendListCursor(text string) (friendListCursor, bool) {
	b, err := base64.RawURLEncoding.DecodeString(text)
	if err != nil || len(b) != 30 || b[0] != friendCursorVersion || b[1] != friendListCursorKind {
		return friendListCursor{}, false
	}
	f := friendListCursor{
		filter:   int16(binary.BigEndian.Uint16(b[2:4])),
		state:    int16(binary.BigEndian.Uint16(b[4:6])),
		position: int64(binary.BigEndian.Uint64(b[6:14])),
	}
	copy(f.id[:], b[14:])
	if f.filter < -1 || f.filter > 3 || f.state < 0 || f.state > 3 || (f.filter >= 0 && f.filter != f.state) {
		return friendListCursor{}, false
	}
	return f, true
}

// friendsOfFriendsCursor is the last (referrer, user) pair of a page.
type friendsOfFriendsCursor struct {
	referrer uuid.UUID
	user     uuid.UUID
}

func (f friendsOfFriendsCursor) encode() string {
	b := make([]byte, 0, 34)
	b = append(b, friendCursorVersion, friendsOfFriendsCursorKind)
	b = append(b, f.referrer[:]...)
	b = append(b, f.user[:]...)
	return base64.RawURLEncoding.EncodeToString(b)
}

func decodeFriendsOfFriendsCursor(text string) (friendsOfFriendsCursor, bool) {
	b, err := base64.RawURLEncoding.DecodeString(text)
	if err != nil || len(b) != 34 || b[0] != friendCursorVersion || b[1] != friendsOfFriendsCursorKind {
		return friendsOfFriendsCursor{}, false
	}
	var f friendsOfFriendsCursor
	copy(f.referrer[:], b[2:18])
	copy(f.user[:], b[18:])
	return f, true
}

// friendCleanup is the friends part of account deletion: users with an edge to the
// account lose it from their count (the edges cascade with the account row).
func friendCleanup(ctx context.Context, q *db.Queries, userID uuid.UUID) error {
	if err := q.FriendCleanupForDelete(ctx, userID); err != nil {
		return fmt.Errorf("friend cleanup %s: %w", userID, err)
	}
	return nil
}

type exportedFriend struct {
	UserID     uuid.UUID       `json:"user_id"`
	State      int16           `json:"state"`
	Position   int64           `json:"position"`
	UpdateTime time.Time       `json:"update_time"`
	Metadata   json.RawMessage `json:"metadata"`
}

func (c *Core) exportFriends(ctx context.Context, userID uuid.UUID) (string, any, error) {
	rows, err := c.q.ExportFriends(ctx, userID)
	if err != nil {
		return "", nil, err
	}
	out := make([]exportedFriend, len(rows))
	for i, r := range rows {
		out[i] = exportedFriend{r.DestinationID, r.State, r.Position, r.UpdateTime, json.RawMessage(r.Metadata)}
	}
	return "friends", out, nil
}

// FriendsImportFacebook makes the caller friends with every user whose account holds the
// Facebook id of one of the token holder's Facebook friends. With reset, the caller's
// other relationships (not its blocks, nor blocks of it) go first.
func (c *Core) FriendsImportFacebook(ctx context.Context, me Caller, token string, reset bool) error {
	if token == "" {
		return Errorf(CodeInvalidArgument, "Facebook token is required.")
	}
	if c.social == nil {
		return verifyFailure(ProviderFacebook, social.ErrNotConfigured)
	}
	ids, err := c.social.FacebookFriends(ctx, token)
	if err != nil {
		return verifyFailure(ProviderFacebook, err)
	}
	return c.friendsImport(ctx, me, ProviderFacebook, ids, reset)
}

// FriendsImportSteam does the same for the Steam friends of the holder of a Steam session
// ticket.
func (c *Core) FriendsImportSteam(ctx context.Context, me Caller, ticket string, reset bool) error {
	if err := c.checkConfigured(ProviderSteam); err != nil {
		return err
	}
	if ticket == "" {
		return Errorf(CodeInvalidArgument, "Steam token is required.")
	}
	profile, err := c.verify(ctx, ProviderSteam, SocialCredential{Token: ticket})
	if err != nil {
		return err
	}
	ids, err := c.social.SteamFriends(ctx, profile.ID)
	if err != nil {
		return verifyFailure(ProviderSteam, err)
	}
	return c.friendsImport(ctx, me, ProviderSteam, ids, reset)
}

// importProviderFriends is the FriendImporter New installs: the friend sync of
// authenticate and link (credential is the Facebook token or the Steam id). It never
// resets.
func (c *Core) importProviderFriends(ctx context.Context, userID uuid.UUID, p Provider, credential string) error {
	if c.social == nil {
		return nil
	}
	acct, err := c.AccountGet(ctx, userID)
	if err != nil {
		return err
	}
	me := Caller{UserID: userID, Username: acct.User.Username}
	var ids []string
	switch p {
	case ProviderFacebook:
		ids, err = c.social.FacebookFriends(ctx, credential)
	case ProviderSteam:
		ids, err = c.social.SteamFriends(ctx, credential)
	default:
		return nil
	}
	if err != nil {
		return err
	}
	return c.friendsImport(ctx, me, p, ids, false)
}

// friendsImport befriends the accounts holding the provider ids. Pending invites either
// way become friendships; pairs where either side blocked the other are skipped. Each new
// friend gets a "friend joined the game" notification.
func (c *Core) friendsImport(ctx context.Context, me Caller, p Provider, providerIDs []string, reset bool) error {
	if len(providerIDs) == 0 && !reset {
		return nil
	}
	var sends []Notification
	err := c.inTx(ctx, func(q *db.Queries) error {
		sends = sends[:0]
		if reset {
			if err := friendsReset(ctx, q, me.UserID); err != nil {
				return err
			}
		}
		if len(providerIDs) == 0 {
			return nil
		}
		var found []uuid.UUID
		var err error
		if p == ProviderSteam {
			found, err = q.FriendIDsBySteamIDs(ctx, providerIDs)
		} else {
			found, err = q.FriendIDsByFacebookIDs(ctx, providerIDs)
		}
		if err != nil {
			return err
		}
		slices.SortFunc(found, func(a, b uuid.UUID) int { return strings.Compare(a.String(), b.String()) })
		for _, other := range slices.Compact(found) {
			made, err := friendMake(ctx, q, me.UserID, other)
			if err != nil {
				return err
			}
			if made {
				content, _ := json.Marshal(map[string]string{"username": me.Username})
				sends = append(sends, Notification{
					ID: uuid.Must(uuid.NewV7()), UserID: other, Subject: "Your friend has just joined the game",
					Content: string(content), Code: NotificationCodeFriendJoinGame, SenderID: me.UserID, Persistent: true,
				})
			}
		}
		return c.notificationsStore(ctx, q, sends)
	})
	if err != nil {
		return Internal("Error importing "+providerName[p]+" friends.", err)
	}
	c.pushNotifications(ctx, sends)
	return nil
}

// friendsReset removes the user's relationships except blocks either way.
func friendsReset(ctx context.Context, q *db.Queries, userID uuid.UUID) error {
	if _, err := q.FriendEdgesDeleteOwn(ctx, userID); err != nil {
		return err
	}
	others, err := q.FriendEdgesDeleteOthers(ctx, userID)
	if err != nil {
		return err
	}
	if len(others) > 0 {
		if err := q.UserEdgeCountAdd(ctx, db.UserEdgeCountAddParams{Delta: -1, Ids: others}); err != nil {
			return err
		}
	}
	return q.UserEdgeCountReset(ctx, userID)
}

// friendMake makes two users friends under the pair's lock, unless either blocked the
// other or they already are; it reports whether a friendship was made.
func friendMake(ctx context.Context, q *db.Queries, me, other uuid.UUID) (bool, error) {
	if other == me {
		return false, nil
	}
	if err := q.FriendPairLock(ctx, db.FriendPairLockParams{A: me, B: other}); err != nil {
		return false, err
	}
	st, err := q.FriendPairStates(ctx, db.FriendPairStatesParams{UserID: me, OtherID: other})
	if err != nil {
		return false, err
	}
	blocked := int16(FriendStateBlocked)
	if !st.OtherExists || st.Mine == blocked || st.Theirs == blocked || st.Mine == int16(FriendStateFriend) {
		return false, nil
	}
	if err := q.FriendMakeFriends(ctx, db.FriendMakeFriendsParams{UserID: me, OtherID: other, Position: time.Now().UnixNano()}); err != nil {
		return false, err
	}
	if st.Mine == friendStateNone { // a new pair: both counts grow (an invite already counted)
		if err := q.UserEdgeCountAdd(ctx, db.UserEdgeCountAddParams{Delta: 1, Ids: []uuid.UUID{me, other}}); err != nil {
			return false, err
		}
	}
	return true, nil
}
