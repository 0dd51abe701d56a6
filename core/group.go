package core

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"

	"github.com/hearth-server/hearth/gen/db"
)

// Group membership states, numbered as Nakama numbers them: a lower number is a higher
// role. Join requests and bans do not count towards a group's edge_count.
const (
	GroupStateSuperadmin  int32 = 0
	GroupStateAdmin       int32 = 1
	GroupStateMember      int32 = 2
	GroupStateJoinRequest int32 = 3
	GroupStateBanned      int32 = 4
)

// Group settings and limits. The lengths are the columns' widths, in characters.
const (
	groupMaxCountDefault = 100
	groupListMax         = 100
	groupNameMax         = 255
	groupDescriptionMax  = 255
	groupAvatarURLMax    = 512
	groupLangTagMax      = 18
	groupLangTagDefault  = "en"
	groupStateOpen       = 0
	groupStateClosed     = 1
)

// Group is a group as clients see it. Metadata is JSON object text.
type Group struct {
	ID          uuid.UUID
	CreatorID   uuid.UUID
	Name        string
	Description string
	AvatarURL   string
	LangTag     string
	Metadata    string
	Open        bool
	EdgeCount   int32
	MaxCount    int32
	CreateTime  time.Time
	UpdateTime  time.Time
}

// GroupCreateInput describes a new group. Metadata (JSON object text, may be empty) is
// only settable by the server; the REST API does not take it. MaxCount 0 means the
// default, 100; LangTag "" means "en".
type GroupCreateInput struct {
	Name        string
	Description string
	AvatarURL   string
	LangTag     string
	Metadata    string
	Open        bool
	MaxCount    int
}

// GroupUpdateInput names the fields to change; nil fields stay as they are. Metadata and
// MaxCount (0 leaves it) are only changed by the server.
type GroupUpdateInput struct {
	Name        *string
	Description *string
	AvatarURL   *string
	LangTag     *string
	Metadata    *string
	Open        *bool
	MaxCount    int
}

// GroupListInput filters a group listing. Name is a LIKE pattern ("heroes%" lists the
// names starting with "heroes"); LangTag "" and Open nil do not filter; Members < 0 does
// not filter, otherwise only groups with at most that many members are listed.
type GroupListInput struct {
	Name    string
	LangTag string
	Open    *bool
	Members int
	Limit   int
	Cursor  string
}

// GroupList is one page of groups; Cursor is "" on the last page.
type GroupList struct {
	Groups []Group
	Cursor string
}

// Client-facing group refusals, worded as Nakama words them (server/api_group.go).
var (
	errGroupNameUnset    = Errorf(CodeInvalidArgument, "Group name must be set.")
	errGroupMaxCount     = Errorf(CodeInvalidArgument, "Group max count must be >= 1 when set.")
	errGroupNameInUse    = Errorf(CodeAlreadyExists, "Group name is in use.")
	errGroupIDUnset      = Errorf(CodeInvalidArgument, "Group ID must be set.")
	errGroupID           = Errorf(CodeInvalidArgument, "Group ID must be a valid ID.")
	errGroupNameEmpty    = Errorf(CodeInvalidArgument, "Group name cannot be empty.")
	errGroupLangEmpty    = Errorf(CodeInvalidArgument, "Group language cannot be empty.")
	errGroupUpdateDenied = Errorf(CodeNotFound, "Group not found or you're not allowed to update.")
	errGroupNoUpdateOps  = Errorf(CodeInvalidArgument, "Specify at least one field to update.")
	errGroupUpdateInUse  = Errorf(CodeInvalidArgument, "Group name is in use.")
	errGroupDeleteDenied = Errorf(CodeInvalidArgument, "Group not found or you're not allowed to delete.")
	errGroupListLimit    = Errorf(CodeInvalidArgument, "Invalid limit - limit must be between 1 and 100.")
	errGroupListCursor   = Errorf(CodeInvalidArgument, "Malformed cursor was used.")
	// Hearth's own refusals where Nakama fails with an internal error (the database
	// refuses the value): clients get a clear 400 instead of a 500.
	errGroupName        = Errorf(CodeInvalidArgument, fmt.Sprintf("Group name must be at most %d characters.", groupNameMax))
	errGroupDescription = Errorf(CodeInvalidArgument, fmt.Sprintf("Group description must be at most %d characters.", groupDescriptionMax))
	errGroupAvatarURL   = Errorf(CodeInvalidArgument, fmt.Sprintf("Group avatar URL must be at most %d characters.", groupAvatarURLMax))
	errGroupLangTag     = Errorf(CodeInvalidArgument, fmt.Sprintf("Group language must be at most %d characters.", groupLangTagMax))
)

// groupText checks one text field against its column width, and that PostgreSQL can
// store it (no NUL, valid UTF-8).
func groupText(s string, max int, refusal *Error) error {
	if !validText(s) || utf8.RuneCountInString(s) > max {
		return refusal
	}
	return nil
}

func groupTextPtr(s *string, max int, refusal *Error) error {
	if s == nil {
		return nil
	}
	return groupText(*s, max, refusal)
}

// ParseGroupID turns a client's group id into a UUID with Nakama's refusals.
func ParseGroupID(s string) (uuid.UUID, error) {
	if s == "" {
		return uuid.Nil, errGroupIDUnset
	}
	id, err := uuid.Parse(s)
	if err != nil || id == uuid.Nil {
		return uuid.Nil, errGroupID
	}
	return id, nil
}

// GroupCreate creates a group with userID as its creator and only superadmin (so its
// edge_count starts at 1).
func (c *Core) GroupCreate(ctx context.Context, userID uuid.UUID, in GroupCreateInput) (Group, error) {
	if in.Name == "" {
		return Group{}, errGroupNameUnset
	}
	maxCount := groupMaxCountDefault
	if in.MaxCount != 0 {
		if in.MaxCount < 1 {
			return Group{}, errGroupMaxCount
		}
		maxCount = in.MaxCount
	}
	if maxCount > 1<<31-1 {
		return Group{}, errGroupMaxCount
	}
	for _, check := range []error{
		groupText(in.Name, groupNameMax, errGroupName),
		groupText(in.Description, groupDescriptionMax, errGroupDescription),
		groupText(in.AvatarURL, groupAvatarURLMax, errGroupAvatarURL),
		groupText(in.LangTag, groupLangTagMax, errGroupLangTag),
	} {
		if check != nil {
			return Group{}, check
		}
	}
	meta, err := friendMetadata(in.Metadata)
	if err != nil {
		return Group{}, err
	}
	lang := in.LangTag
	if lang == "" {
		lang = groupLangTagDefault
	}
	state := int16(groupStateClosed)
	if in.Open {
		state = groupStateOpen
	}
	id, err := uuid.NewRandom()
	if err != nil {
		return Group{}, Internal("Error while trying to create group.", err)
	}
	var row db.GroupInsertRow
	err = c.inTx(ctx, func(q *db.Queries) error {
		row, err = q.GroupInsert(ctx, db.GroupInsertParams{
			ID: id, CreatorID: userID, Name: in.Name, Description: in.Description, AvatarUrl: in.AvatarURL,
			LangTag: lang, Metadata: meta, State: state, MaxCount: int32(maxCount),
		})
		if err != nil {
			return err
		}
		return q.GroupEdgeInsert(ctx, db.GroupEdgeInsertParams{
			GroupID: id, UserID: userID, State: int16(GroupStateSuperadmin), Position: time.Now().UnixNano(),
		})
	})
	if uniqueViolation(err) == "groups_name_key" {
		return Group{}, errGroupNameInUse
	}
	if err != nil {
		return Group{}, Internal("Error while trying to create group.", err)
	}
	return groupFromRow(row), nil
}

func groupFromRow(r db.GroupInsertRow) Group {
	return Group{
		ID: r.ID, CreatorID: r.CreatorID, Name: r.Name, Description: r.Description, AvatarURL: r.AvatarUrl,
		LangTag: r.LangTag, Metadata: r.Metadata, Open: r.State == groupStateOpen, EdgeCount: r.EdgeCount,
		MaxCount: r.MaxCount, CreateTime: r.CreateTime, UpdateTime: r.UpdateTime,
	}
}

// GroupUpdate changes a group's fields. A user must be an admin or superadmin of the
// group; userID uuid.Nil is the server, which may change any group, its metadata and its
// max_count. Refusals as in Nakama: an unknown group and a caller without the role look
// the same.
func (c *Core) GroupUpdate(ctx context.Context, userID uuid.UUID, groupID string, in GroupUpdateInput) error {
	id, err := ParseGroupID(groupID)
	if err != nil {
		return err
	}
	if in.Name != nil && *in.Name == "" {
		return errGroupNameEmpty
	}
	if in.LangTag != nil && *in.LangTag == "" {
		return errGroupLangEmpty
	}
	if in.MaxCount < 0 || int64(in.MaxCount) > 1<<31-1 {
		return errGroupMaxCount
	}
	for _, check := range []error{
		groupTextPtr(in.Name, groupNameMax, errGroupName),
		groupTextPtr(in.Description, groupDescriptionMax, errGroupDescription),
		groupTextPtr(in.AvatarURL, groupAvatarURLMax, errGroupAvatarURL),
		groupTextPtr(in.LangTag, groupLangTagMax, errGroupLangTag),
	} {
		if check != nil {
			return check
		}
	}
	p := db.GroupUpdateParams{
		Name: in.Name, Description: in.Description, AvatarUrl: in.AvatarURL, LangTag: in.LangTag,
		MaxCount: int32(in.MaxCount), ID: id, AnyUser: userID == uuid.Nil, UserID: userID,
	}
	if in.Metadata != nil {
		if p.Metadata, err = friendMetadata(*in.Metadata); err != nil {
			return err
		}
	}
	if in.Open != nil {
		state := int16(groupStateClosed)
		if *in.Open {
			state = groupStateOpen
		}
		p.State = &state
	}
	if p.Name == nil && p.Description == nil && p.AvatarUrl == nil && p.LangTag == nil && p.Metadata == nil &&
		p.State == nil && p.MaxCount == 0 {
		return errGroupNoUpdateOps
	}
	n, err := c.q.GroupUpdate(ctx, p)
	if uniqueViolation(err) == "groups_name_key" {
		return errGroupUpdateInUse
	}
	if err != nil {
		return Internal("Error while trying to update group.", err)
	}
	if n == 0 {
		return errGroupUpdateDenied
	}
	return nil
}

// GroupDelete deletes a group with its memberships. A user must be one of its
// superadmins; userID uuid.Nil is the server, for which an unknown group is no error.
func (c *Core) GroupDelete(ctx context.Context, userID uuid.UUID, groupID string) error {
	id, err := ParseGroupID(groupID)
	if err != nil {
		return err
	}
	n, err := c.q.GroupDelete(ctx, db.GroupDeleteParams{ID: id, AnyUser: userID == uuid.Nil, UserID: userID})
	if err != nil {
		return Internal("Error while trying to delete group.", err)
	}
	if n == 0 && userID != uuid.Nil {
		return errGroupDeleteDenied
	}
	return nil
}

// GroupsGet returns the groups with the given ids, in id order; unknown ids are left out.
func (c *Core) GroupsGet(ctx context.Context, groupIDs []string) ([]Group, error) {
	ids := make([]uuid.UUID, 0, len(groupIDs))
	for _, s := range groupIDs {
		id, err := ParseGroupID(s)
		if err != nil {
			return nil, err
		}
		ids = append(ids, id)
	}
	return c.groupsByID(ctx, ids)
}

// groupsByID reads the groups with the given ids, in id order.
func (c *Core) groupsByID(ctx context.Context, ids []uuid.UUID) ([]Group, error) {
	if len(ids) == 0 {
		return []Group{}, nil
	}
	rows, err := c.q.GroupsGet(ctx, ids)
	if err != nil {
		return nil, Internal("Error while trying to get groups.", err)
	}
	out := make([]Group, len(rows))
	for i, r := range rows {
		out[i] = groupFromRow(db.GroupInsertRow(r))
	}
	return out, nil
}

// GroupsGetRandom returns up to count groups picked at random (the runtime's
// GroupsGetRandom).
func (c *Core) GroupsGetRandom(ctx context.Context, count int) ([]Group, error) {
	if count < 1 || count > 1000 {
		return nil, Errorf(CodeInvalidArgument, "Count must be 1-1000.")
	}
	ids, err := c.q.GroupsRandom(ctx, db.GroupsRandomParams{Start: uuid.New(), Count: int32(count)})
	if err != nil {
		return nil, Internal("Error while trying to get groups.", err)
	}
	if len(ids) > count {
		ids = ids[:count]
	}
	return c.groupsByID(ctx, ids)
}

// groupCursor is where a group listing continues. The filters it was made under are part
// of it, so a cursor given back with other filters is refused rather than misread.
type groupCursor struct {
	Name      string    `json:"n,omitempty"`
	LangTag   string    `json:"l,omitempty"`
	Open      *bool     `json:"o,omitempty"`
	Members   int       `json:"m"`
	After     string    `json:"a,omitempty"` // last name (name listing) or lang tag
	EdgeCount int32     `json:"e,omitempty"`
	ID        uuid.UUID `json:"i"`
}

func (g groupCursor) sameFilters(in GroupListInput) bool {
	return g.Name == in.Name && g.LangTag == in.LangTag && g.Members == in.Members &&
		(g.Open == nil) == (in.Open == nil) && (g.Open == nil || *g.Open == *in.Open)
}

// GroupsList lists groups, filtered as in says. With a name pattern the groups come in
// name order; without one in Nakama's (lang_tag, edge_count, id) order.
func (c *Core) GroupsList(ctx context.Context, in GroupListInput) (GroupList, error) {
	if in.Limit < 1 || in.Limit > groupListMax {
		return GroupList{}, errGroupListLimit
	}
	if in.Members < 0 {
		in.Members = -1
	}
	if !validText(in.Name) || !validText(in.LangTag) {
		return GroupList{Groups: []Group{}}, nil // no stored name or tag holds a NUL
	}
	var cur groupCursor
	if in.Cursor != "" {
		raw, err := base64.RawURLEncoding.DecodeString(in.Cursor)
		if err != nil || json.Unmarshal(raw, &cur) != nil || !cur.sameFilters(in) {
			return GroupList{}, errGroupListCursor
		}
	}
	var state *int16
	if in.Open != nil {
		s := int16(groupStateClosed)
		if *in.Open {
			s = groupStateOpen
		}
		state = &s
	}
	var groups []Group // limit+1 at most: the extra one says there is a next page
	if in.Name != "" {
		from, to, prefixOnly := likePrefixRange(in.Name)
		if prefixOnly && in.LangTag == "" && in.Open == nil && in.Members < 0 {
			var err error
			if groups, err = c.groupsByPrefix(ctx, from, to, cur.After, in.Limit+1); err != nil {
				return GroupList{}, Internal("Error while trying to list groups.", err)
			}
		} else {
			pattern := likePattern(in.Name)
			if prefixOnly {
				pattern = "" // the name range is the whole name filter
			}
			got, err := c.q.GroupsListByName(ctx, db.GroupsListByNameParams{
				NameFrom: from, NameTo: to, Pattern: pattern, AfterName: cur.After, LangTag: in.LangTag,
				State: state, Members: int32(in.Members), RowLimit: int32(in.Limit + 1),
			})
			if err != nil {
				return GroupList{}, Internal("Error while trying to list groups.", err)
			}
			groups = make([]Group, len(got))
			for i, r := range got {
				groups[i] = groupFromRow(db.GroupInsertRow(r))
			}
		}
	} else {
		got, err := c.q.GroupsList(ctx, db.GroupsListParams{
			AfterLangTag: cur.After, AfterEdgeCount: cur.EdgeCount, AfterID: cur.ID, LangTag: in.LangTag,
			State: state, Members: int32(in.Members), RowLimit: int32(in.Limit + 1),
		})
		if err != nil {
			return GroupList{}, Internal("Error while trying to list groups.", err)
		}
		groups = make([]Group, len(got))
		for i, r := range got {
			groups[i] = groupFromRow(db.GroupInsertRow(r))
		}
	}
	out := GroupList{Groups: groups}
	if len(groups) > in.Limit {
		out.Groups = groups[:in.Limit]
		last := groups[in.Limit-1]
		next := groupCursor{Name: in.Name, LangTag: in.LangTag, Open: in.Open, Members: in.Members, ID: last.ID}
		if in.Name != "" {
			next.After = last.Name
		} else {
			next.After, next.EdgeCount = last.LangTag, last.EdgeCount
		}
		raw, _ := json.Marshal(next)
		out.Cursor = base64.RawURLEncoding.EncodeToString(raw)
	}
	return out, nil
}

// groupsByPrefix reads db.GroupsListByPrefix, its columns and parameters by hand (see
// rowscan.go): the name listing behind the common search box.
func (c *Core) groupsByPrefix(ctx context.Context, from, to, after string, limit int) ([]Group, error) {
	rows, err := c.pool.Query(ctx, db.GroupsListByPrefix, from, to, after, int32(limit))
	if err != nil {
		return nil, err
	}
	r := newRowReader(rows)
	groups := make([]Group, 0, limit)
	for r.next() {
		groups = append(groups, r.group())
	}
	return groups, r.close()
}

// likePattern makes a trailing lone backslash match itself: PostgreSQL refuses a
// pattern ending in its escape character, and Nakama answers such a filter with an
// internal error.
func likePattern(p string) string {
	n := len(p) - len(strings.TrimRight(p, `\`))
	if n%2 == 1 {
		return p + `\`
	}
	return p
}

// groupNameAfterAll is greater than every storable group name (at most groupNameMax
// characters), so it bounds a name range that has no other upper end.
var groupNameAfterAll = strings.Repeat(string(utf8.MaxRune), groupNameMax+1)

// likePrefixRange returns the range [from, to) of names that start with the literal
// prefix of a LIKE pattern (the text before its first unescaped wildcard), and whether
// the pattern is that prefix followed by a single final "%" (then the range alone
// selects exactly the matches). Names are compared byte-wise, which for UTF-8 is code
// point order, so to is the prefix with its last code point incremented (always valid
// text), or groupNameAfterAll when no such string exists.
func likePrefixRange(pattern string) (from, to string, prefixOnly bool) {
	var b strings.Builder
	i := 0
	for ; i < len(pattern); i++ {
		ch := pattern[i]
		if ch == '%' || ch == '_' {
			break
		}
		if ch == '\\' && i+1 < len(pattern) {
			i++
			ch = pattern[i]
		}
		b.WriteByte(ch)
	}
	from = b.String()
	prefixOnly = i == len(pattern)-1 && pattern[i] == '%'
	runes := []rune(from)
	for len(runes) > 0 {
		last := runes[len(runes)-1]
		switch {
		case last == utf8.MaxRune:
			runes = runes[:len(runes)-1]
			continue
		case last == 0xD7FF:
			runes[len(runes)-1] = 0xE000
		default:
			runes[len(runes)-1] = last + 1
		}
		return from, string(runes), prefixOnly
	}
	return from, groupNameAfterAll, prefixOnly
}

// groupCleanup is groups' part of deleting an account, as Nakama does it: groups where
// the user is the only superadmin are deleted with everything in them; in the others the
// user's membership goes (with the account, by cascade) and the member count drops.
func groupCleanup(ctx context.Context, q *db.Queries, userID uuid.UUID) error {
	if err := q.GroupsLockForUser(ctx, userID); err != nil {
		return fmt.Errorf("group cleanup lock %s: %w", userID, err)
	}
	if err := q.GroupsDeleteLastSuperadmin(ctx, userID); err != nil {
		return fmt.Errorf("group cleanup delete %s: %w", userID, err)
	}
	if err := q.GroupsEdgeCountDropForUser(ctx, userID); err != nil {
		return fmt.Errorf("group cleanup counts %s: %w", userID, err)
	}
	return nil
}

type exportedGroup struct {
	GroupID    uuid.UUID `json:"group_id"`
	Name       string    `json:"name"`
	State      int16     `json:"state"`
	UpdateTime time.Time `json:"update_time"`
}

func (c *Core) exportGroups(ctx context.Context, userID uuid.UUID) (string, any, error) {
	rows, err := c.q.ExportGroups(ctx, userID)
	if err != nil {
		return "", nil, err
	}
	out := make([]exportedGroup, len(rows))
	for i, r := range rows {
		out[i] = exportedGroup{r.ID, r.Name, r.State, r.UpdateTime}
	}
	return "groups", out, nil
}
