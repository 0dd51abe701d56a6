package handlers

import (
	"context"
	"time"

	"github.com/google/uuid"

	"github.com/hearth-server/hearth/core"
	"github.com/hearth-server/hearth/gen/api"
)

// Storage objects over REST. A client always acts as itself: it writes and deletes its own
// objects, and reads and lists what its permissions allow (core.AsUser).

// errStorageUserID is Nakama's refusal of a user id that is not a UUID (or, when reading,
// the all-zero id).
var errStorageUserID = core.Errorf(core.CodeInvalidArgument, "Invalid user ID - make sure user ID is a valid UUID.")

// NakamaWriteStorageObjects writes the caller's objects, all or none.
func (s *Server) NakamaWriteStorageObjects(ctx context.Context, req api.NakamaWriteStorageObjectsRequestObject) (api.NakamaWriteStorageObjectsResponseObject, error) {
	who, err := caller(ctx)
	if err != nil {
		return nil, err
	}
	acks, err := s.Core.StorageWrite(ctx, core.AsUser(who.UserID), storageWrites(req.Body))
	if err != nil {
		return nil, err
	}
	var out api.ApiStorageObjectAcks
	if len(acks) > 0 {
		wire := make([]api.ApiStorageObjectAck, len(acks))
		for i, a := range acks {
			wire[i] = api.ApiStorageObjectAck{
				Collection: str(a.Collection),
				Key:        str(a.Key),
				UserId:     str(a.UserID.String()),
				Version:    str(a.Version),
				CreateTime: preciseTimestamp(a.CreateTime),
				UpdateTime: preciseTimestamp(a.UpdateTime),
			}
		}
		out.Acks = &wire
	}
	return api.NakamaWriteStorageObjects200JSONResponse(out), nil
}

// storageWrites converts a write request; absent fields are empty, as in protobuf.
func storageWrites(body *api.ApiWriteStorageObjectsRequest) []core.StorageWrite {
	if body == nil || body.Objects == nil {
		return nil
	}
	out := make([]core.StorageWrite, len(*body.Objects))
	for i, o := range *body.Objects {
		out[i] = core.StorageWrite{
			Collection:      deref(o.Collection),
			Key:             deref(o.Key),
			Value:           deref(o.Value),
			Version:         deref(o.Version),
			PermissionRead:  o.PermissionRead,
			PermissionWrite: o.PermissionWrite,
		}
	}
	return out
}

// NakamaReadStorageObjects returns the requested objects the caller may read.
func (s *Server) NakamaReadStorageObjects(ctx context.Context, req api.NakamaReadStorageObjectsRequestObject) (api.NakamaReadStorageObjectsResponseObject, error) {
	who, err := caller(ctx)
	if err != nil {
		return nil, err
	}
	ids, err := storageReadIDs(req.Body)
	if err != nil {
		return nil, err
	}
	objects, err := s.Core.StorageRead(ctx, core.AsUser(who.UserID), ids)
	if err != nil {
		return nil, err
	}
	return api.NakamaReadStorageObjects200JSONResponse{Objects: wireStorageObjects(objects)}, nil
}

// storageReadIDs converts a read request, checking each id in order as Nakama does: the
// collection and key must be set, and a user id, when given, must be a UUID other than
// the all-zero one. No user id means the system user's objects.
func storageReadIDs(body *api.ApiReadStorageObjectsRequest) ([]core.StorageObjectID, error) {
	if body == nil || body.ObjectIds == nil {
		return nil, nil
	}
	out := make([]core.StorageObjectID, len(*body.ObjectIds))
	for i, o := range *body.ObjectIds {
		id := core.StorageObjectID{Collection: deref(o.Collection), Key: deref(o.Key)}
		if id.Collection == "" || id.Key == "" {
			return nil, core.ErrStorageIDUnset
		}
		if text := deref(o.UserId); text != "" {
			uid, err := uuid.Parse(text)
			if err != nil || uid == uuid.Nil {
				return nil, errStorageUserID
			}
			id.UserID = uid
		}
		out[i] = id
	}
	return out, nil
}

// NakamaDeleteStorageObjects deletes the caller's objects, all or none.
func (s *Server) NakamaDeleteStorageObjects(ctx context.Context, req api.NakamaDeleteStorageObjectsRequestObject) (api.NakamaDeleteStorageObjectsResponseObject, error) {
	who, err := caller(ctx)
	if err != nil {
		return nil, err
	}
	var deletes []core.StorageDelete
	if req.Body != nil && req.Body.ObjectIds != nil {
		deletes = make([]core.StorageDelete, len(*req.Body.ObjectIds))
		for i, o := range *req.Body.ObjectIds {
			deletes[i] = core.StorageDelete{Collection: deref(o.Collection), Key: deref(o.Key), Version: deref(o.Version)}
		}
	}
	if err := s.Core.StorageDelete(ctx, core.AsUser(who.UserID), deletes); err != nil {
		return nil, err
	}
	return api.NakamaDeleteStorageObjects200JSONResponse{}, nil
}

// NakamaListStorageObjects lists a collection: everyone's public objects, or with
// user_id one user's objects the caller may read.
func (s *Server) NakamaListStorageObjects(ctx context.Context, req api.NakamaListStorageObjectsRequestObject) (api.NakamaListStorageObjectsResponseObject, error) {
	list, err := s.listStorage(ctx, req.Collection, deref(req.Params.UserId), req.Params.Limit, req.Params.Cursor)
	if err != nil {
		return nil, err
	}
	return api.NakamaListStorageObjects200JSONResponse(list), nil
}

// NakamaListStorageObjects2 is NakamaListStorageObjects with the user id in the path.
func (s *Server) NakamaListStorageObjects2(ctx context.Context, req api.NakamaListStorageObjects2RequestObject) (api.NakamaListStorageObjects2ResponseObject, error) {
	list, err := s.listStorage(ctx, req.Collection, req.UserId, req.Params.Limit, req.Params.Cursor)
	if err != nil {
		return nil, err
	}
	return api.NakamaListStorageObjects2200JSONResponse(list), nil
}

// listStorage serves both list operations. An omitted limit lists one object, as Nakama
// does.
func (s *Server) listStorage(ctx context.Context, collection, userID string, limit *int32, cursor *string) (api.ApiStorageObjectList, error) {
	who, err := caller(ctx)
	if err != nil {
		return api.ApiStorageObjectList{}, err
	}
	n := 1
	if limit != nil {
		n = int(*limit)
	}
	var owner *uuid.UUID
	if userID != "" {
		uid, err := uuid.Parse(userID)
		if err != nil {
			return api.ApiStorageObjectList{}, errStorageUserID
		}
		owner = &uid
	}
	list, err := s.Core.StorageList(ctx, core.AsUser(who.UserID), owner, collection, n, deref(cursor))
	if err != nil {
		return api.ApiStorageObjectList{}, err
	}
	return api.ApiStorageObjectList{Objects: wireStorageObjects(list.Objects), Cursor: str(list.Cursor)}, nil
}

// wireStorageObjects renders objects as Nakama's REST API does: times in whole seconds,
// zero permissions omitted, nothing at all for no objects.
func wireStorageObjects(objects []core.StorageObject) *[]api.ApiStorageObject {
	if len(objects) == 0 {
		return nil
	}
	out := make([]api.ApiStorageObject, len(objects))
	for i, o := range objects {
		out[i] = api.ApiStorageObject{
			Collection:      str(o.Collection),
			Key:             str(o.Key),
			UserId:          str(o.UserID.String()),
			Value:           str(o.Value),
			Version:         str(o.Version),
			PermissionRead:  i32(o.PermissionRead),
			PermissionWrite: i32(o.PermissionWrite),
			CreateTime:      timestamp(o.CreateTime),
			UpdateTime:      timestamp(o.UpdateTime),
		}
	}
	return &out
}

// preciseTimestamp renders a time in UTC keeping its fraction: Nakama's write acks carry
// the database's microseconds, unlike its other REST times.
func preciseTimestamp(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	t = t.UTC()
	return &t
}
