package nk

import (
	"context"
	"errors"
	"fmt"

	"github.com/google/uuid"
	"github.com/heroiclabs/nakama-common/api"
	"github.com/heroiclabs/nakama-common/runtime"

	"github.com/hearth-server/hearth/core"
)

// Storage calls act as the server (no permission checks) unless a caller id is given,
// as in Nakama. An empty user id is the system user.

func apiStorageObject(o core.StorageObject) *api.StorageObject {
	return &api.StorageObject{
		Collection:      o.Collection,
		Key:             o.Key,
		UserId:          o.UserID.String(),
		Value:           o.Value,
		Version:         o.Version,
		PermissionRead:  o.PermissionRead,
		PermissionWrite: o.PermissionWrite,
		CreateTime:      ts(o.CreateTime),
		UpdateTime:      ts(o.UpdateTime),
	}
}

func apiStorageAck(a core.StorageAck) *api.StorageObjectAck {
	return &api.StorageObjectAck{
		Collection: a.Collection,
		Key:        a.Key,
		Version:    a.Version,
		UserId:     a.UserID.String(),
		CreateTime: ts(a.CreateTime),
		UpdateTime: ts(a.UpdateTime),
	}
}

func access(callerID string) (core.Access, error) {
	if callerID == "" {
		return core.AsServer(), nil
	}
	id, err := uuid.Parse(callerID)
	if err != nil {
		return core.Access{}, errors.New("expects caller id to be empty or a valid user id")
	}
	return core.AsUser(id), nil
}

// StorageList lists a collection, of one user or (userID "") of everyone.
func (m *Module) StorageList(ctx context.Context, callerID, userID, collection string, limit int, cursor string) ([]*api.StorageObject, string, error) {
	as, err := access(callerID)
	if err != nil {
		return nil, "", err
	}
	var owner *uuid.UUID
	if userID != "" {
		id, err := uuid.Parse(userID)
		if err != nil {
			return nil, "", errors.New("expects an empty or valid user id")
		}
		owner = &id
	}
	if limit < 0 {
		return nil, "", errors.New("limit must not be negative")
	}
	list, err := m.core.StorageList(ctx, as, owner, collection, limit, cursor)
	if err != nil {
		return nil, "", m.fromCore(err)
	}
	out := make([]*api.StorageObject, len(list.Objects))
	for i, o := range list.Objects {
		out[i] = apiStorageObject(o)
	}
	return out, list.Cursor, nil
}

func storageOwner(s string, i int) (uuid.UUID, error) {
	id, err := parseOptionalUserID(s)
	if err != nil {
		return uuid.Nil, fmt.Errorf("invalid user id at index %d", i)
	}
	return id, nil
}

// StorageRead reads objects as the server.
func (m *Module) StorageRead(ctx context.Context, reads []*runtime.StorageRead) ([]*api.StorageObject, error) {
	ids := make([]core.StorageObjectID, len(reads))
	for i, r := range reads {
		if r == nil {
			return nil, fmt.Errorf("read at index %d is nil", i)
		}
		owner, err := storageOwner(r.UserID, i)
		if err != nil {
			return nil, err
		}
		ids[i] = core.StorageObjectID{Collection: r.Collection, Key: r.Key, UserID: owner}
	}
	if len(ids) == 0 {
		return make([]*api.StorageObject, 0), nil
	}
	objs, err := m.core.StorageRead(ctx, core.AsServer(), ids)
	if err != nil {
		return nil, m.fromCore(err)
	}
	out := make([]*api.StorageObject, len(objs))
	for i, o := range objs {
		out[i] = apiStorageObject(o)
	}
	return out, nil
}

func coreWrites(writes []*runtime.StorageWrite) ([]core.StorageWrite, error) {
	out := make([]core.StorageWrite, len(writes))
	for i, w := range writes {
		if w == nil {
			return nil, fmt.Errorf("write at index %d is nil", i)
		}
		owner, err := storageOwner(w.UserID, i)
		if err != nil {
			return nil, err
		}
		// Go modules always give both permissions; the zero value means 0, as in Nakama.
		read, write := int32(w.PermissionRead), int32(w.PermissionWrite)
		out[i] = core.StorageWrite{
			Collection: w.Collection, Key: w.Key, UserID: owner, Value: w.Value, Version: w.Version,
			PermissionRead: &read, PermissionWrite: &write,
		}
	}
	return out, nil
}

func coreDeletes(deletes []*runtime.StorageDelete) ([]core.StorageDelete, error) {
	out := make([]core.StorageDelete, len(deletes))
	for i, d := range deletes {
		if d == nil {
			return nil, fmt.Errorf("delete at index %d is nil", i)
		}
		owner, err := storageOwner(d.UserID, i)
		if err != nil {
			return nil, err
		}
		out[i] = core.StorageDelete{Collection: d.Collection, Key: d.Key, UserID: owner, Version: d.Version}
	}
	return out, nil
}

func apiAcks(acks []core.StorageAck) []*api.StorageObjectAck {
	out := make([]*api.StorageObjectAck, len(acks))
	for i, a := range acks {
		out[i] = apiStorageAck(a)
	}
	return out
}

// StorageWrite writes objects atomically as the server.
func (m *Module) StorageWrite(ctx context.Context, writes []*runtime.StorageWrite) ([]*api.StorageObjectAck, error) {
	ws, err := coreWrites(writes)
	if err != nil {
		return nil, err
	}
	if len(ws) == 0 {
		return make([]*api.StorageObjectAck, 0), nil
	}
	acks, err := m.core.StorageWrite(ctx, core.AsServer(), ws)
	if err != nil {
		return nil, m.fromCore(err)
	}
	return apiAcks(acks), nil
}

// StorageWriteRetry reads objects, lets updateFn compute writes from them, and writes
// them with the versions read, retrying up to maxRetries times when another writer got
// there first.
func (m *Module) StorageWriteRetry(ctx context.Context, reads []*runtime.StorageRead, updateFn func(objects []*api.StorageObject) ([]*runtime.StorageWrite, error), maxRetries int) ([]*api.StorageObjectAck, error) {
	if updateFn == nil {
		return nil, errors.New("expects an update function")
	}
	if maxRetries <= 0 {
		maxRetries = 1
	}
	var lastErr error
	for attempt := 0; attempt < maxRetries; attempt++ {
		objs, err := m.StorageRead(ctx, reads)
		if err != nil {
			return nil, err
		}
		writes, err := updateFn(objs)
		if err != nil {
			return nil, err
		}
		acks, err := m.StorageWrite(ctx, writes)
		if err == nil {
			return acks, nil
		}
		var re *runtime.Error
		if !errors.As(err, &re) || re.Message != core.ErrStorageRejectedVersion.Message {
			return nil, err // only a lost version race is worth another read
		}
		lastErr = err
	}
	return nil, lastErr
}

// StorageDelete deletes objects atomically as the server.
func (m *Module) StorageDelete(ctx context.Context, deletes []*runtime.StorageDelete) error {
	ds, err := coreDeletes(deletes)
	if err != nil || len(ds) == 0 {
		return err
	}
	return m.fromCore(m.core.StorageDelete(ctx, core.AsServer(), ds))
}

// StorageIndexList lists the objects of a storage index matching a query, as the
// server or (callerID set) as that user, ordered by the index's sortable fields.
func (m *Module) StorageIndexList(ctx context.Context, callerID, indexName, query string, limit int, order []string, cursor string) (*api.StorageObjects, string, error) {
	as, err := access(callerID)
	if err != nil {
		return nil, "", err
	}
	if indexName == "" {
		return nil, "", errors.New("expects a non-empty indexName")
	}
	if limit < 1 || limit > 10_000 {
		return nil, "", errors.New("limit must be 1-10000")
	}
	list, err := m.core.StorageIndexList(ctx, as, indexName, query, limit, order, cursor)
	if err != nil {
		return nil, "", m.fromCore(err)
	}
	out := &api.StorageObjects{Objects: make([]*api.StorageObject, len(list.Objects))}
	for i, o := range list.Objects {
		out.Objects[i] = apiStorageObject(o)
	}
	return out, list.Cursor, nil
}
