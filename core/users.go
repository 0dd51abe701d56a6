package core

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/google/uuid"

	"github.com/hearth-server/hearth/gen/db"
)

// maxUsersPerGet bounds one GET /v2/user lookup.
const maxUsersPerGet = 1000

// UsersGetInput selects users by id, username and Facebook id, in any mix.
type UsersGetInput struct {
	IDs         []string
	Usernames   []string
	FacebookIDs []string
}

// UsersGet returns the public profiles of the users matching any of the selectors, each
// once. Unknown ids simply do not appear; a malformed id is refused.
func (c *Core) UsersGet(ctx context.Context, in UsersGetInput) ([]User, error) {
	if len(in.IDs) == 0 && len(in.Usernames) == 0 && len(in.FacebookIDs) == 0 {
		return []User{}, nil
	}
	if len(in.IDs)+len(in.Usernames)+len(in.FacebookIDs) > maxUsersPerGet {
		return nil, Errorf(CodeInvalidArgument, fmt.Sprintf("No more than %d users can be requested at once.", maxUsersPerGet))
	}
	ids := make([]uuid.UUID, 0, len(in.IDs))
	for _, s := range in.IDs {
		id, err := uuid.Parse(s)
		if err != nil {
			return nil, Errorf(CodeInvalidArgument, "ID '"+s+"' is not a valid system ID.")
		}
		ids = append(ids, id)
	}
	// The columns and parameters of db.UsersGet, read by hand (see rowscan.go).
	rows, err := c.pool.Query(ctx, db.UsersGet, ids, nonNil(in.Usernames), nonNil(in.FacebookIDs))
	if err != nil {
		return nil, Internal("Error retrieving user accounts.", err)
	}
	r := newRowReader(rows)
	users := make([]User, 0, len(ids)+len(in.Usernames)+len(in.FacebookIDs))
	for r.next() {
		u := r.profile()
		u.Online = c.online(u.ID)
		users = append(users, u)
	}
	if err := r.close(); err != nil {
		return nil, Internal("Error retrieving user accounts.", err)
	}
	return users, nil
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// UsersGetRandom returns up to count users picked at random (the runtime's
// UsersGetRandom).
func (c *Core) UsersGetRandom(ctx context.Context, count int) ([]User, error) {
	if count < 1 || count > 1000 {
		return nil, Errorf(CodeInvalidArgument, "Count must be 1-1000.")
	}
	ids, err := c.q.UsersRandom(ctx, db.UsersRandomParams{Start: uuid.New(), Count: int32(count)})
	if err != nil {
		return nil, Internal("Error retrieving user accounts.", err)
	}
	if len(ids) > count {
		ids = ids[:count]
	}
	strs := make([]string, len(ids))
	for i, id := range ids {
		strs[i] = id.String()
	}
	return c.UsersGet(ctx, UsersGetInput{IDs: strs})
}

// AccountsGet returns the accounts of the given users and of the owners of the given
// device ids, each once; unknown ids are absent.
func (c *Core) AccountsGet(ctx context.Context, userIDs []uuid.UUID, deviceIDs []string) ([]Account, error) {
	if len(deviceIDs) > 0 {
		owners, err := c.q.AccountIDsByDevice(ctx, deviceIDs)
		if err != nil {
			return nil, Internal("Error retrieving user accounts.", err)
		}
		userIDs = append(append([]uuid.UUID(nil), userIDs...), owners...)
	}
	if len(userIDs) == 0 {
		return []Account{}, nil
	}
	rows, err := c.q.AccountsGet(ctx, userIDs)
	if err != nil {
		return nil, Internal("Error retrieving user accounts.", err)
	}
	out := make([]Account, len(rows))
	for i, r := range rows {
		out[i] = accountFromRow(db.AccountGetRow(r))
	}
	return out, nil
}

// AccountMetadataUpdate replaces a user's metadata (runtime only: REST cannot set it).
func (c *Core) AccountMetadataUpdate(ctx context.Context, userID uuid.UUID, metadata map[string]any) error {
	raw, err := json.Marshal(metadata)
	if err != nil {
		return Errorf(CodeInvalidArgument, "Metadata must be a JSON object.")
	}
	if metadata == nil {
		raw = []byte("{}")
	}
	if err := c.q.AccountMetadataUpdate(ctx, db.AccountMetadataUpdateParams{ID: userID, Metadata: raw}); err != nil {
		return Internal("Error while trying to update account.", err)
	}
	return nil
}

// UsersBan disables the accounts: they cannot authenticate or refresh, and every token
// they hold stops working at once.
func (c *Core) UsersBan(ctx context.Context, userIDs []uuid.UUID) error {
	var events []string
	err := c.inTx(ctx, func(q *db.Queries) error {
		events = events[:0]
		banned, err := q.UsersBan(ctx, userIDs)
		if err != nil {
			return err
		}
		for _, id := range banned {
			_, event, err := bumpGeneration(ctx, q, id)
			if err != nil {
				return err
			}
			events = append(events, event)
		}
		return nil
	})
	if err != nil {
		return Internal("Error banning users.", err)
	}
	c.applyRevocations(events)
	return nil
}

// UsersUnban lets banned accounts authenticate again. Tokens from before the ban stay dead.
func (c *Core) UsersUnban(ctx context.Context, userIDs []uuid.UUID) error {
	if err := c.q.UsersUnban(ctx, userIDs); err != nil {
		return Internal("Error unbanning users.", err)
	}
	return nil
}

// AccountCleanup is one area's part of deleting an account, run inside the deletion's
// transaction before the account row goes. Areas whose rows reference users with ON DELETE
// CASCADE need none; areas with derived state (friend counts, group memberships) add one.
type AccountCleanup func(ctx context.Context, q *db.Queries, userID uuid.UUID) error

// AccountDelete removes an account and everything it owns, ends its sessions, and when
// recorded is set keeps a tombstone of the id.
func (c *Core) AccountDelete(ctx context.Context, userID uuid.UUID, recorded bool) error {
	if userID == uuid.Nil {
		return Errorf(CodeInvalidArgument, "Cannot delete the system user.")
	}
	var event string
	err := c.inTx(ctx, func(q *db.Queries) error {
		for _, cleanup := range c.accountCleanups {
			if err := cleanup(ctx, q, userID); err != nil {
				return err
			}
		}
		n, err := q.UserDelete(ctx, userID)
		if err != nil {
			return err
		}
		if n == 0 {
			return Errorf(CodeNotFound, "Account not found.")
		}
		if recorded {
			if err := q.UserTombstoneAdd(ctx, userID); err != nil {
				return err
			}
		}
		_, event, err = bumpGeneration(ctx, q, userID)
		return err
	})
	var coreErr *Error
	if errors.As(err, &coreErr) {
		return coreErr
	}
	if err != nil {
		return Internal("Error deleting user account.", err)
	}
	c.applyRevocations([]string{event})
	// Writes that committed just before the deletion may reach the in-memory state
	// after it is cleaned: the owner is recorded first, so they cannot put it back.
	settled := c.deletions.deleting(userID)
	c.rankOwnerDeleted(ctx, userID)
	c.indexedOwnerDeleted(userID)
	settled()
	return nil
}

// AccountExportSection adds one area's data to an account export under its own key.
type AccountExportSection func(ctx context.Context, userID uuid.UUID) (key string, data any, err error)

// AccountExport returns, as JSON, everything Hearth holds about the account.
func (c *Core) AccountExport(ctx context.Context, userID uuid.UUID) (string, error) {
	acct, err := c.AccountGet(ctx, userID)
	if err != nil {
		return "", err
	}
	export := map[string]any{"account": exportAccount(acct)}
	for _, section := range c.accountExports {
		key, data, err := section(ctx, userID)
		if err != nil {
			return "", Internal("An error occurred while trying to export user data.", err)
		}
		export[key] = data
	}
	raw, err := json.Marshal(export)
	if err != nil {
		return "", Internal("An error occurred while trying to export user data.", err)
	}
	return string(raw), nil
}

// exportAccount is the account as the export shows it (including the disable time an
// owner does not see over REST).
func exportAccount(a Account) map[string]any {
	u := a.User
	out := map[string]any{
		"user": map[string]any{
			"id": u.ID, "username": u.Username, "display_name": u.DisplayName, "avatar_url": u.AvatarURL,
			"lang_tag": u.LangTag, "location": u.Location, "timezone": u.Timezone, "metadata": json.RawMessage(u.Metadata),
			"facebook_id": u.FacebookID, "google_id": u.GoogleID, "gamecenter_id": u.GamecenterID, "steam_id": u.SteamID,
			"apple_id": u.AppleID, "facebook_instant_game_id": u.FacebookInstantGameID, "edge_count": u.EdgeCount,
			"create_time": u.CreateTime, "update_time": u.UpdateTime,
		},
		"wallet":    json.RawMessage(a.Wallet),
		"email":     a.Email,
		"devices":   a.DeviceIDs,
		"custom_id": a.CustomID,
	}
	if !a.VerifyTime.IsZero() {
		out["verify_time"] = a.VerifyTime
	}
	if !a.DisableTime.IsZero() {
		out["disable_time"] = a.DisableTime
	}
	return out
}
