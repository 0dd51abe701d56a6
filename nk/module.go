package nk

import (
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/heroiclabs/nakama-common/api"
	"github.com/heroiclabs/nakama-common/runtime"
	"google.golang.org/protobuf/types/known/timestamppb"
	"google.golang.org/protobuf/types/known/wrapperspb"

	"github.com/hearth-server/hearth/core"
	"github.com/hearth-server/hearth/core/presence"
)

// Module is the runtime.NakamaModule given to modules. Each method checks its arguments
// as Nakama does (plain errors naming the argument) and calls one core function; core
// refusals come back as *runtime.Error with core's code and message, so a module that
// returns them from an RPC gives the client the same answer REST would.
type Module struct {
	core    *core.Core
	runtime *Runtime
	path    string
	metrics Metrics
	streams *presence.Tracker
}

var _ runtime.NakamaModule = (*Module)(nil)

// codeUnimplemented is gRPC's Unimplemented, which "not supported yet" errors carry.
const codeUnimplemented = 12

// notSupported is the error of a function whose area Hearth has not built yet.
func notSupported(fn string) error {
	return runtime.NewError(fn+" is not supported yet", codeUnimplemented)
}

// fromCore turns a core error into the error a module sees: a *runtime.Error with the
// client-facing message and code. Causes stay in the server log.
func (m *Module) fromCore(err error) error {
	if err == nil {
		return nil
	}
	var ce *core.Error
	if !errors.As(err, &ce) {
		return err
	}
	if ce.Err != nil && (ce.Code == core.CodeInternal || ce.Code == core.CodeUnknown) {
		m.runtime.log.Error("runtime call failed", "message", ce.Message, "cause", ce.Err)
	}
	return runtime.NewError(ce.Message, int(ce.Code))
}

// parseUserID parses a user id argument the way Nakama checks it.
func parseUserID(s string) (uuid.UUID, error) {
	if s == "" {
		return uuid.Nil, errors.New("expects user id")
	}
	id, err := uuid.Parse(s)
	if err != nil || id == uuid.Nil {
		return uuid.Nil, errors.New("invalid user id")
	}
	return id, nil
}

// parseOptionalUserID parses a user id that may be empty (empty: the system user).
func parseOptionalUserID(s string) (uuid.UUID, error) {
	if s == "" {
		return uuid.Nil, nil
	}
	id, err := uuid.Parse(s)
	if err != nil {
		return uuid.Nil, errors.New("invalid user id")
	}
	return id, nil
}

func parseUserIDs(ss []string) ([]uuid.UUID, error) {
	out := make([]uuid.UUID, 0, len(ss))
	for _, s := range ss {
		id, err := uuid.Parse(s)
		if err != nil || id == uuid.Nil {
			return nil, fmt.Errorf("invalid user id: %q", s)
		}
		out = append(out, id)
	}
	return out, nil
}

func ts(t time.Time) *timestamppb.Timestamp {
	if t.IsZero() {
		return nil
	}
	return timestamppb.New(t)
}

func idString(id uuid.UUID) string {
	if id == uuid.Nil {
		return ""
	}
	return id.String()
}

func apiUser(u core.User) *api.User {
	return &api.User{
		Id:                    u.ID.String(),
		Username:              u.Username,
		DisplayName:           u.DisplayName,
		AvatarUrl:             u.AvatarURL,
		LangTag:               u.LangTag,
		Location:              u.Location,
		Timezone:              u.Timezone,
		Metadata:              u.Metadata,
		FacebookId:            u.FacebookID,
		GoogleId:              u.GoogleID,
		GamecenterId:          u.GamecenterID,
		SteamId:               u.SteamID,
		Online:                u.Online,
		EdgeCount:             u.EdgeCount,
		CreateTime:            ts(u.CreateTime),
		UpdateTime:            ts(u.UpdateTime),
		FacebookInstantGameId: u.FacebookInstantGameID,
		AppleId:               u.AppleID,
	}
}

func apiAccount(a core.Account) *api.Account {
	out := &api.Account{
		User:        apiUser(a.User),
		Wallet:      a.Wallet,
		Email:       a.Email,
		CustomId:    a.CustomID,
		VerifyTime:  ts(a.VerifyTime),
		DisableTime: ts(a.DisableTime),
	}
	for _, d := range a.DeviceIDs {
		out.Devices = append(out.Devices, &api.AccountDevice{Id: d})
	}
	return out
}

func apiGroup(g core.Group) *api.Group {
	return &api.Group{
		Id:          g.ID.String(),
		CreatorId:   idString(g.CreatorID),
		Name:        g.Name,
		Description: g.Description,
		LangTag:     g.LangTag,
		Metadata:    g.Metadata,
		AvatarUrl:   g.AvatarURL,
		Open:        wrapperspb.Bool(g.Open),
		EdgeCount:   g.EdgeCount,
		MaxCount:    g.MaxCount,
		CreateTime:  ts(g.CreateTime),
		UpdateTime:  ts(g.UpdateTime),
	}
}
