package handlers

import (
	"time"

	"github.com/hearth-server/hearth/core"
	"github.com/hearth-server/hearth/gen/api"
)

// Nakama's gateway omits zero values (protobuf JSON without EmitUnpopulated), and SDKs
// treat an absent field as its zero value; these helpers keep Hearth's output the same.

func str(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

func flag(b bool) *bool {
	if !b {
		return nil
	}
	return &b
}

func i32(n int32) *int32 {
	if n == 0 {
		return nil
	}
	return &n
}

// timestamp renders times in whole seconds, UTC, as Nakama's REST API does.
func timestamp(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	t = t.UTC().Truncate(time.Second)
	return &t
}

func vars(m *map[string]string) map[string]string {
	if m == nil {
		return nil
	}
	return *m
}

func wireSession(s core.Session) api.ApiSession {
	return api.ApiSession{
		Created:      flag(s.Created),
		Token:        str(s.Token),
		RefreshToken: str(s.RefreshToken),
	}
}

func wireUser(u core.User) api.ApiUser {
	return api.ApiUser{
		Id:                    str(u.ID.String()),
		Username:              str(u.Username),
		DisplayName:           str(u.DisplayName),
		AvatarUrl:             str(u.AvatarURL),
		LangTag:               str(u.LangTag),
		Location:              str(u.Location),
		Timezone:              str(u.Timezone),
		Metadata:              str(u.Metadata),
		FacebookId:            str(u.FacebookID),
		GoogleId:              str(u.GoogleID),
		GamecenterId:          str(u.GamecenterID),
		SteamId:               str(u.SteamID),
		AppleId:               str(u.AppleID),
		FacebookInstantGameId: str(u.FacebookInstantGameID),
		Online:                flag(u.Online),
		EdgeCount:             i32(u.EdgeCount),
		CreateTime:            timestamp(u.CreateTime),
		UpdateTime:            timestamp(u.UpdateTime),
	}
}

func wireAccount(a core.Account) api.ApiAccount {
	user := wireUser(a.User)
	out := api.ApiAccount{
		User:       &user,
		Wallet:     str(a.Wallet),
		Email:      str(a.Email),
		CustomId:   str(a.CustomID),
		VerifyTime: timestamp(a.VerifyTime),
		// Nakama does not show a user their own disable time.
	}
	if len(a.DeviceIDs) > 0 {
		devices := make([]api.ApiAccountDevice, len(a.DeviceIDs))
		for i, id := range a.DeviceIDs {
			devices[i] = api.ApiAccountDevice{Id: str(id)}
		}
		out.Devices = &devices
	}
	return out
}
