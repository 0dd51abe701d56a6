package handlers

import (
	"context"

	"github.com/hearth-server/hearth/gen/api"
)

// Storage: storage objects. These operations answer 501 with code 12 until the area lands,
// so a client gets a clear refusal instead of a wrong answer (README.md lists them).

// NakamaReadStorageObjects is not built yet.
func (s *Server) NakamaReadStorageObjects(context.Context, api.NakamaReadStorageObjectsRequestObject) (api.NakamaReadStorageObjectsResponseObject, error) {
	return nil, errNotBuilt
}

// NakamaWriteStorageObjects is not built yet.
func (s *Server) NakamaWriteStorageObjects(context.Context, api.NakamaWriteStorageObjectsRequestObject) (api.NakamaWriteStorageObjectsResponseObject, error) {
	return nil, errNotBuilt
}

// NakamaDeleteStorageObjects is not built yet.
func (s *Server) NakamaDeleteStorageObjects(context.Context, api.NakamaDeleteStorageObjectsRequestObject) (api.NakamaDeleteStorageObjectsResponseObject, error) {
	return nil, errNotBuilt
}

// NakamaListStorageObjects is not built yet.
func (s *Server) NakamaListStorageObjects(context.Context, api.NakamaListStorageObjectsRequestObject) (api.NakamaListStorageObjectsResponseObject, error) {
	return nil, errNotBuilt
}

// NakamaListStorageObjects2 is not built yet.
func (s *Server) NakamaListStorageObjects2(context.Context, api.NakamaListStorageObjects2RequestObject) (api.NakamaListStorageObjects2ResponseObject, error) {
	return nil, errNotBuilt
}
