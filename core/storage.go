package core

import (
	"bytes"
	"context"
	"crypto/md5"
	"encoding/base64"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"math"
	"sort"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/hearth-server/hearth/gen/db"
)

// Storage permissions, numbered as Nakama numbers them. Read: 0 only the server, 1 the
// owner, 2 anyone. Write: 0 only the server, 1 the owner. Note that "the owner" is
// literal: an owner cannot read its own read-0 objects, nor write or delete its own
// write-0 objects, over the client API.
const (
	StorageReadNone   int32 = 0
	StorageReadOwner  int32 = 1
	StorageReadPublic int32 = 2

	StorageWriteNone  int32 = 0
	StorageWriteOwner int32 = 1
)

// storageFieldMax is the width of the collection and key columns, in characters.
const storageFieldMax = 128

// storageUserListMax bounds a client's list page, as Nakama's API does.
const storageUserListMax = 100

// Access is who a call acts as: a user, whose permissions apply, or the server (runtime
// code), which bypasses them.
type Access struct {
	userID uuid.UUID
	server bool
}

// AsUser is access as the user with this id.
func AsUser(id uuid.UUID) Access { return Access{userID: id} }

// AsServer is access as the server: no permission checks.
func AsServer() Access { return Access{server: true} }

// StorageObjectID names one object. A zero UserID is the system user, which owns
// objects the server keeps for nobody in particular.
type StorageObjectID struct {
	Collection string
	Key        string
	UserID     uuid.UUID
}

// StorageWrite is one object to store. UserID (the owner) is only read for server
// writes; a user always writes its own objects. Version is "" to write unconditionally,
// "*" to write only if the object does not exist, or the version the stored object must
// have. Nil permissions mean Nakama's defaults: owner read, owner write.
type StorageWrite struct {
	Collection      string
	Key             string
	UserID          uuid.UUID
	Value           string // a JSON object
	Version         string
	PermissionRead  *int32
	PermissionWrite *int32
}

// StorageDelete is one object to delete. UserID is only read for server deletes; a user
// deletes its own objects. A non-empty Version must match the stored one.
type StorageDelete struct {
	Collection string
	Key        string
	UserID     uuid.UUID
	Version    string
}

// StorageAck acknowledges a write. Its times are the database's, to the microsecond, as
// Nakama's acks are.
type StorageAck struct {
	Collection string
	Key        string
	UserID     uuid.UUID
	Version    string
	CreateTime time.Time
	UpdateTime time.Time
}

// StorageObject is a stored object. Value is the JSON as PostgreSQL's jsonb renders it
// (keys sorted by length then bytes, ", " and ": " separators), which is what Nakama's
// clients receive too.
type StorageObject struct {
	Collection      string
	Key             string
	UserID          uuid.UUID
	Value           string
	Version         string
	PermissionRead  int32
	PermissionWrite int32
	CreateTime      time.Time
	UpdateTime      time.Time
}

// StorageObjectList is one page of a listing; Cursor is "" on the last page.
type StorageObjectList struct {
	Objects []StorageObject
	Cursor  string
}

// Client-facing storage refusals, worded as Nakama words them (the write rejections are
// nakama-common's runtime.ErrStorageRejectedVersion/Permission texts, which Nakama's API
// sends as the message).
var (
	ErrStorageRejectedVersion    = Errorf(CodeInvalidArgument, "Storage write rejected - version check failed.")
	ErrStorageRejectedPermission = Errorf(CodeInvalidArgument, "Storage write rejected - permission denied.")
	ErrStorageDeleteRejected     = Errorf(CodeInvalidArgument, "Storage delete rejected - not found, version check failed, or permission denied.")
	ErrStorageIDUnset            = Errorf(CodeInvalidArgument, "Invalid collection or key value supplied. They must be set.")

	errStoragePermissionRead  = Errorf(CodeInvalidArgument, "Invalid Read permission supplied. It must be either 0, 1 or 2.")
	errStoragePermissionWrite = Errorf(CodeInvalidArgument, "Invalid Write permission supplied. It must be either 0 or 1.")
	errStorageValueNotObject  = Errorf(CodeInvalidArgument, "Value must be a JSON object.")
	errStorageLimit           = Errorf(CodeInvalidArgument, "Invalid limit - limit must be between 1 and 100.")
	errStorageCursor          = Errorf(CodeInvalidArgument, "Malformed cursor was used.")

	// Refusals Nakama does not make: it sends these inputs to PostgreSQL, which fails
	// them, and answers 500. COMPAT.md lists them.
	errStorageCollectionLong = Errorf(CodeInvalidArgument, "Collection invalid, must be at most 128 characters.")
	errStorageKeyLong        = Errorf(CodeInvalidArgument, "Key invalid, must be at most 128 characters.")
	errStorageCollectionNUL  = Errorf(CodeInvalidArgument, "Collection invalid, must be UTF-8 text without null characters.")
	errStorageKeyNUL         = Errorf(CodeInvalidArgument, "Key invalid, must be UTF-8 text without null characters.")
	errStorageValueUnstored  = Errorf(CodeInvalidArgument, "Value invalid, it contains a null character (\\u0000), an unpaired surrogate escape or a number out of range.")
)

// storable reports whether s can be a collection or key at all: valid UTF-8 without NUL
// (PostgreSQL text cannot hold either) and within the column width. Anything else names
// no object, so reads skip it and listings are empty, without asking the database.
func storable(s string) bool {
	return s != "" && utf8.ValidString(s) && strings.IndexByte(s, 0) < 0 && utf8.RuneCountInString(s) <= storageFieldMax
}

// checkStorageName validates a collection or key being written.
func checkStorageName(s string, long, nul *Error) error {
	switch {
	case strings.IndexByte(s, 0) >= 0 || !utf8.ValidString(s):
		return nul
	case utf8.RuneCountInString(s) > storageFieldMax:
		return long
	}
	return nil
}

// checkStorageValue accepts what Nakama accepts as a value: valid JSON whose first
// non-space byte opens an object.
func checkStorageValue(value string) error {
	trimmed := strings.TrimLeft(value, " \t\r\n")
	if trimmed == "" || trimmed[0] != '{' || !json.Valid([]byte(value)) {
		return errStorageValueNotObject
	}
	return nil
}

// storageVersion is the version of a value: the MD5 hex of the bytes as written. Clients
// hold on to it and send it back for conditional writes, so it must be Nakama's.
func storageVersion(value string) string {
	sum := md5.Sum([]byte(value))
	return hex.EncodeToString(sum[:])
}

// storageWriteOp is a validated write with its owner and effective permissions.
type storageWriteOp struct {
	index   int // position in the request, for the ack
	w       StorageWrite
	owner   uuid.UUID
	read    int16
	write   int16
	version string
}

// checkStorageWrites validates a batch: first every write against Nakama's rules, in its
// order (ids and value set, permission ranges, JSON object), so the first refusal is the
// one Nakama would give; then the limits PostgreSQL would otherwise fail on.
func checkStorageWrites(writes []StorageWrite) error {
	for _, w := range writes {
		if w.Collection == "" || w.Key == "" || w.Value == "" {
			return ErrStorageIDUnset
		}
		if w.PermissionRead != nil && (*w.PermissionRead < StorageReadNone || *w.PermissionRead > StorageReadPublic) {
			return errStoragePermissionRead
		}
		if w.PermissionWrite != nil && (*w.PermissionWrite < StorageWriteNone || *w.PermissionWrite > StorageWriteOwner) {
			return errStoragePermissionWrite
		}
		if err := checkStorageValue(w.Value); err != nil {
			return err
		}
	}
	for _, w := range writes {
		if err := checkStorageName(w.Collection, errStorageCollectionLong, errStorageCollectionNUL); err != nil {
			return err
		}
		if err := checkStorageName(w.Key, errStorageKeyLong, errStorageKeyNUL); err != nil {
			return err
		}
	}
	return nil
}

// StorageWrite stores objects, all or none: if any object fails validation, its version
// condition or its permission check, nothing is written and that refusal is returned.
// Acks come back in the order of writes.
func (c *Core) StorageWrite(ctx context.Context, as Access, writes []StorageWrite) ([]StorageAck, error) {
	if len(writes) == 0 {
		return nil, nil
	}
	if err := checkStorageWrites(writes); err != nil {
		return nil, err
	}
	ops := make([]storageWriteOp, len(writes))
	for i, w := range writes {
		op := storageWriteOp{index: i, w: w, owner: as.userID, read: int16(StorageReadOwner), write: int16(StorageWriteOwner), version: storageVersion(w.Value)}
		if as.server {
			op.owner = w.UserID
		}
		if w.PermissionRead != nil {
			op.read = int16(*w.PermissionRead)
		}
		if w.PermissionWrite != nil {
			op.write = int16(*w.PermissionWrite)
		}
		ops[i] = op
	}
	// One fixed order for every batch, so two batches touching the same objects lock them
	// in the same order and cannot deadlock. Stable, so repeats of one object in a batch
	// apply in the order given (the last wins).
	sort.SliceStable(ops, func(i, j int) bool {
		return storageOpLess(ops[i].w.Collection, ops[i].w.Key, ops[i].owner, ops[j].w.Collection, ops[j].w.Key, ops[j].owner)
	})

	mark := c.deletions.begin() // before the statements: see ownerDeletions
	defer c.deletions.end(mark)
	acks := make([]StorageAck, len(writes))
	run := func(q *db.Queries) error {
		for _, op := range ops {
			ack, err := storageWriteOne(ctx, q, as.server, op)
			if err != nil {
				return err
			}
			acks[op.index] = ack
		}
		return nil
	}
	var err error
	if len(ops) == 1 {
		err = run(c.q) // one statement is atomic on its own
	} else {
		err = c.inTx(ctx, run)
	}
	if err != nil {
		return nil, storageError(err, "Error writing storage objects.")
	}
	c.indexedWrites(ctx, ops, acks, nil)
	return acks, nil
}

// storageWriteOne applies one write and acknowledges it, or returns why it was refused.
func storageWriteOne(ctx context.Context, q *db.Queries, server bool, op storageWriteOp) (StorageAck, error) {
	ack := StorageAck{Collection: op.w.Collection, Key: op.w.Key, UserID: op.owner, Version: op.version}
	value := []byte(op.w.Value)
	switch op.w.Version {
	case "":
		// A lost race with a concurrent insert (see the query) shows as no row; the next
		// statement sees the winner, so a few attempts always settle it.
		for attempt := 0; ; attempt++ {
			row, err := q.StorageUpsert(ctx, db.StorageUpsertParams{
				Collection: op.w.Collection, Key: op.w.Key, UserID: op.owner, Value: value,
				Version: op.version, Read: op.read, Write: op.write, Server: server,
			})
			switch {
			case isNotFound(err) && attempt < 3:
				continue
			case err != nil:
				return ack, valueError(err)
			case !row.Written && !server && row.Write != int16(StorageWriteOwner):
				return ack, ErrStorageRejectedPermission
			}
			// Written, or the same version and permissions were already stored: Nakama
			// acknowledges the stored row unchanged.
			ack.CreateTime, ack.UpdateTime = row.CreateTime, row.UpdateTime
			return ack, nil
		}
	case "*":
		row, err := q.StorageInsert(ctx, db.StorageInsertParams{
			Collection: op.w.Collection, Key: op.w.Key, UserID: op.owner, Value: value,
			Version: op.version, Read: op.read, Write: op.write,
		})
		if isNotFound(err) {
			return ack, ErrStorageRejectedVersion // it exists
		}
		if err != nil {
			return ack, valueError(err)
		}
		ack.CreateTime, ack.UpdateTime = row.CreateTime, row.UpdateTime
		return ack, nil
	default:
		if strings.IndexByte(op.w.Version, 0) >= 0 || !utf8.ValidString(op.w.Version) {
			return ack, ErrStorageRejectedVersion // no stored version looks like that
		}
		row, err := q.StorageUpdateIfVersion(ctx, db.StorageUpdateIfVersionParams{
			Value: value, Version: op.version, Read: op.read, Write: op.write,
			Collection: op.w.Collection, Key: op.w.Key, UserID: op.owner,
			ExpectedVersion: op.w.Version, Server: server,
		})
		if err == nil {
			ack.CreateTime, ack.UpdateTime = row.CreateTime, row.UpdateTime
			return ack, nil
		}
		if !isNotFound(err) {
			return ack, valueError(err)
		}
		// Say why, as Nakama does: a client touching a server-only object is refused for
		// permission whatever the version; otherwise the version did not match (or the
		// object does not exist).
		write, err := q.StorageWritePermission(ctx, db.StorageWritePermissionParams{Collection: op.w.Collection, Key: op.w.Key, UserID: op.owner})
		if err != nil && !isNotFound(err) {
			return ack, err
		}
		if err == nil && !server && write != int16(StorageWriteOwner) {
			return ack, ErrStorageRejectedPermission
		}
		return ack, ErrStorageRejectedVersion
	}
}

// valueError turns PostgreSQL refusing a value into a client error. Collections, keys and
// versions are checked before they reach the database, so a data exception here is the
// value's: jsonb has no room for \u0000, unpaired surrogate escapes, or numbers beyond
// PostgreSQL's numeric range, all of which JSON itself allows.
func valueError(err error) error {
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) && strings.HasPrefix(pgErr.Code, "22") {
		return &Error{Code: errStorageValueUnstored.Code, Message: errStorageValueUnstored.Message, Err: err}
	}
	return err
}

// storageError passes client refusals through and wraps anything else as internal.
func storageError(err error, message string) error {
	var e *Error
	if errors.As(err, &e) {
		return e
	}
	return Internal(message, err)
}

func storageOpLess(c1, k1 string, u1 uuid.UUID, c2, k2 string, u2 uuid.UUID) bool {
	if c1 != c2 {
		return c1 < c2
	}
	if k1 != k2 {
		return k1 < k2
	}
	return bytes.Compare(u1[:], u2[:]) < 0
}

// StorageRead returns the objects that exist and that the caller may read, in the order
// asked, each once. A user may read public objects and its own owner-readable (read 1)
// objects; nobody but the server reads read-0 objects.
func (c *Core) StorageRead(ctx context.Context, as Access, ids []StorageObjectID) ([]StorageObject, error) {
	for _, id := range ids {
		if id.Collection == "" || id.Key == "" {
			return nil, ErrStorageIDUnset
		}
	}
	params := db.StorageReadParams{Server: as.server, CallerID: as.userID}
	seen := make(map[StorageObjectID]bool, len(ids))
	order := make([]StorageObjectID, 0, len(ids))
	for _, id := range ids {
		if seen[id] || !storable(id.Collection) || !storable(id.Key) {
			continue
		}
		seen[id] = true
		order = append(order, id)
		params.Collections = append(params.Collections, id.Collection)
		params.Keys = append(params.Keys, id.Key)
		params.UserIds = append(params.UserIds, id.UserID)
	}
	switch len(order) {
	case 0:
		return nil, nil
	case 1:
		id := order[0]
		row, err := c.q.StorageReadOne(ctx, db.StorageReadOneParams{Collection: id.Collection, Key: id.Key, UserID: id.UserID, Server: as.server, CallerID: as.userID})
		if isNotFound(err) {
			return nil, nil
		}
		if err != nil {
			return nil, Internal("Error reading storage objects.", err)
		}
		return []StorageObject{storageObject(db.StorageListOwnerRow(row))}, nil
	}
	rows, err := c.q.StorageRead(ctx, params)
	if err != nil {
		return nil, Internal("Error reading storage objects.", err)
	}
	found := make(map[StorageObjectID]StorageObject, len(rows))
	for _, r := range rows {
		found[StorageObjectID{r.Collection, r.Key, r.UserID}] = storageObject(db.StorageListOwnerRow(r))
	}
	out := make([]StorageObject, 0, len(found))
	for _, id := range order {
		if o, ok := found[id]; ok {
			out = append(out, o)
		}
	}
	return out, nil
}

func storageObject(r db.StorageListOwnerRow) StorageObject {
	return StorageObject{
		Collection:      r.Collection,
		Key:             r.Key,
		UserID:          r.UserID,
		Value:           r.Value,
		Version:         r.Version,
		PermissionRead:  int32(r.Read),
		PermissionWrite: int32(r.Write),
		CreateTime:      r.CreateTime,
		UpdateTime:      r.UpdateTime,
	}
}

// StorageDelete deletes objects, all or none. A user deletes only its own objects and
// never write-0 ones; for a user, an object that is missing, server-only, or not at the
// given version refuses the whole batch (Nakama's single message covers all three). The
// server may delete anything; for it a missing object is only an error when a version was
// given.
func (c *Core) StorageDelete(ctx context.Context, as Access, deletes []StorageDelete) error {
	if len(deletes) == 0 {
		return nil
	}
	ops := make([]StorageDelete, len(deletes))
	for i, d := range deletes {
		if d.Collection == "" || d.Key == "" {
			return ErrStorageIDUnset
		}
		if !as.server {
			d.UserID = as.userID
		}
		ops[i] = d
	}
	sort.SliceStable(ops, func(i, j int) bool {
		return storageOpLess(ops[i].Collection, ops[i].Key, ops[i].UserID, ops[j].Collection, ops[j].Key, ops[j].UserID)
	})
	run := func(q *db.Queries) error {
		for _, d := range ops {
			if err := storageDeleteOne(ctx, q, as.server, d); err != nil {
				return err
			}
		}
		return nil
	}
	var err error
	if len(ops) == 1 {
		err = run(c.q)
	} else {
		err = c.inTx(ctx, run)
	}
	if err != nil {
		return storageError(err, "Error deleting storage objects.")
	}
	c.indexedWrites(ctx, nil, nil, ops)
	return nil
}

func storageDeleteOne(ctx context.Context, q *db.Queries, server bool, d StorageDelete) error {
	var n int64
	if storable(d.Collection) && storable(d.Key) && strings.IndexByte(d.Version, 0) < 0 && utf8.ValidString(d.Version) {
		var err error
		n, err = q.StorageDelete(ctx, db.StorageDeleteParams{Collection: d.Collection, Key: d.Key, UserID: d.UserID, Server: server, Version: d.Version})
		if err != nil {
			return err
		}
	}
	if n == 0 && (!server || d.Version != "") {
		return ErrStorageDeleteRejected
	}
	return nil
}

// StorageList returns one page of a collection, in Nakama's order: by read permission,
// then key, then (across owners) owner id. With no owner a user sees everyone's public
// objects, and the server everything. With an owner, a user sees its own objects of
// read 1 and 2, or another user's public ones; the server sees all that owner's objects.
// A user's limit is 1-100; the server's is any non-negative number (0 lists nothing).
//
// Pages are keyed on the position of the last object returned, so paging returns every
// object that exists throughout exactly once, whatever is inserted meanwhile.
func (c *Core) StorageList(ctx context.Context, as Access, owner *uuid.UUID, collection string, limit int, cursor string) (StorageObjectList, error) {
	if limit < 0 || (!as.server && (limit < 1 || limit > storageUserListMax)) {
		return StorageObjectList{}, errStorageLimit
	}
	kind := storageCursorCollection
	var ownerID uuid.UUID
	if owner != nil {
		kind, ownerID = storageCursorOwner, *owner
	}
	after := storageCursor{kind: kind, read: -1, userID: ownerID}
	if cursor != "" {
		var ok bool
		if after, ok = decodeStorageCursor(cursor); !ok || after.kind != kind || (kind == storageCursorOwner && after.userID != ownerID) {
			return StorageObjectList{}, errStorageCursor
		}
	}
	if limit == 0 || !storable(collection) {
		return StorageObjectList{}, nil
	}
	rowLimit := int32(min(limit, math.MaxInt32-1) + 1) // one more than asked tells whether a next page exists

	var rows []db.StorageListOwnerRow
	var err error
	if owner == nil {
		minRead := int16(StorageReadPublic)
		if as.server {
			minRead = int16(StorageReadNone)
		}
		var list []db.StorageListCollectionRow
		list, err = c.q.StorageListCollection(ctx, db.StorageListCollectionParams{
			Collection: collection, MinRead: minRead,
			AfterRead: after.read, AfterKey: after.key, AfterUserID: after.userID, RowLimit: rowLimit,
		})
		rows = make([]db.StorageListOwnerRow, len(list))
		for i, r := range list {
			rows[i] = db.StorageListOwnerRow(r)
		}
	} else {
		minRead := int16(StorageReadPublic) // another user's objects
		switch {
		case as.server:
			minRead = int16(StorageReadNone)
		case ownerID == as.userID:
			minRead = int16(StorageReadOwner)
		}
		rows, err = c.q.StorageListOwner(ctx, db.StorageListOwnerParams{
			Collection: collection, UserID: ownerID, MinRead: minRead,
			AfterRead: after.read, AfterKey: after.key, RowLimit: rowLimit,
		})
	}
	if err != nil {
		return StorageObjectList{}, Internal("Error listing storage objects.", err)
	}
	var out StorageObjectList
	if len(rows) > limit {
		rows = rows[:limit]
		last := rows[limit-1]
		next := storageCursor{kind: kind, read: last.Read, key: last.Key, userID: last.UserID}
		out.Cursor = next.encode()
	}
	out.Objects = make([]StorageObject, len(rows))
	for i, r := range rows {
		out.Objects[i] = storageObject(r)
	}
	return out, nil
}

// Cursor kinds: a page of a collection across owners, or of one owner's objects.
const (
	storageCursorCollection byte = 'c'
	storageCursorOwner      byte = 'o'
)

const storageCursorVersion byte = 1

// storageCursor is the position of the last object of a page. For owner listings userID
// is the owner, so a cursor cannot be replayed against another owner.
type storageCursor struct {
	kind   byte
	read   int16
	key    string
	userID uuid.UUID
}

// encode is opaque to clients: version, kind, read, owner, then the key, base64url.
func (s storageCursor) encode() string {
	b := make([]byte, 0, 20+len(s.key))
	b = append(b, storageCursorVersion, s.kind)
	b = binary.BigEndian.AppendUint16(b, uint16(s.read))
	b = append(b, s.userID[:]...)
	b = append(b, s.key...)
	return base64.RawURLEncoding.EncodeToString(b)
}

func decodeStorageCursor(text string) (storageCursor, bool) {
	b, err := base64.RawURLEncoding.DecodeString(text)
	if err != nil || len(b) < 20 || b[0] != storageCursorVersion {
		return storageCursor{}, false
	}
	s := storageCursor{kind: b[1], read: int16(binary.BigEndian.Uint16(b[2:4])), key: string(b[20:])}
	copy(s.userID[:], b[4:20])
	if (s.kind != storageCursorCollection && s.kind != storageCursorOwner) ||
		s.read < int16(StorageReadNone) || s.read > int16(StorageReadPublic) || !storable(s.key) {
		return storageCursor{}, false
	}
	return s, true
}
