// Package gamemodule is a Nakama-style Go runtime module, written only against
// nakama-common's runtime API, as a game team would write it for Nakama. Hearth runs it
// unchanged, loaded as a plugin (examples/plugin) or linked into the binary
// (examples/static). The contract tests drive both builds with nakama-js.
package gamemodule

import (
	"context"
	"database/sql"
	"encoding/json"
	"strings"

	"github.com/heroiclabs/nakama-common/api"
	"github.com/heroiclabs/nakama-common/rtapi"
	"github.com/heroiclabs/nakama-common/runtime"
)

// InitModule registers the module's functions; Hearth calls it once at start.
func InitModule(ctx context.Context, logger runtime.Logger, db *sql.DB, nk runtime.NakamaModule, initializer runtime.Initializer) error {
	if err := initializer.RegisterRpc("echo", rpcEcho); err != nil {
		return err
	}
	if err := initializer.RegisterRpc("reward", rpcReward); err != nil {
		return err
	}
	// A before hook that rejects: nobody may befriend the "admin" account.
	if err := initializer.RegisterBeforeAddFriends(beforeAddFriends); err != nil {
		return err
	}
	// An after hook: record each device login in storage.
	if err := initializer.RegisterAfterAuthenticateDevice(afterAuthenticateDevice); err != nil {
		return err
	}
	// An event handler: remember the last event each player emitted.
	if err := initializer.RegisterEvent(func(ctx context.Context, logger runtime.Logger, evt *api.Event) {
		onEvent(ctx, logger, nk, evt)
	}); err != nil {
		return err
	}
	// A realtime filter, as in the chat guide: reject chat messages with a bad word and
	// mask milder ones.
	if err := initializer.RegisterBeforeRt("ChannelMessageSend", filterBadWords); err != nil {
		return err
	}
	logger.Info("gamemodule loaded")
	return nil
}

// rpcEcho answers the payload it was given, with who called and the module's env.
func rpcEcho(ctx context.Context, logger runtime.Logger, db *sql.DB, nk runtime.NakamaModule, payload string) (string, error) {
	var in map[string]any
	if payload != "" {
		if err := json.Unmarshal([]byte(payload), &in); err != nil {
			return "", runtime.NewError("payload must be a JSON object", 3)
		}
	}
	userID, _ := ctx.Value(runtime.RUNTIME_CTX_USER_ID).(string)
	env, _ := ctx.Value(runtime.RUNTIME_CTX_ENV).(map[string]string)
	out, err := json.Marshal(map[string]any{"input": in, "user_id": userID, "greeting": env["greeting"]})
	if err != nil {
		return "", runtime.NewError("could not encode the reply", 13)
	}
	return string(out), nil
}

// rpcReward gives the calling player 10 coins, once per call, and returns the balance.
func rpcReward(ctx context.Context, logger runtime.Logger, db *sql.DB, nk runtime.NakamaModule, payload string) (string, error) {
	userID, ok := ctx.Value(runtime.RUNTIME_CTX_USER_ID).(string)
	if !ok || userID == "" {
		return "", runtime.NewError("a player session is required", 16)
	}
	updated, _, err := nk.WalletUpdate(ctx, userID, map[string]int64{"coins": 10}, map[string]any{"source": "reward"}, true)
	if err != nil {
		return "", err
	}
	out, _ := json.Marshal(map[string]int64{"coins": updated["coins"]})
	return string(out), nil
}

func beforeAddFriends(ctx context.Context, logger runtime.Logger, db *sql.DB, nk runtime.NakamaModule, in *api.AddFriendsRequest) (*api.AddFriendsRequest, error) {
	for _, name := range in.Usernames {
		if strings.EqualFold(name, "admin") {
			return nil, runtime.NewError("Befriending admin is not allowed.", 7)
		}
	}
	return in, nil
}

func afterAuthenticateDevice(ctx context.Context, logger runtime.Logger, db *sql.DB, nk runtime.NakamaModule, out *api.Session, in *api.AuthenticateDeviceRequest) error {
	// The context carries the user the call just logged in.
	userID, _ := ctx.Value(runtime.RUNTIME_CTX_USER_ID).(string)
	value, _ := json.Marshal(map[string]any{"device": in.GetAccount().GetId(), "created": out.GetCreated()})
	_, err := nk.StorageWrite(ctx, []*runtime.StorageWrite{{
		Collection: "logins", Key: "last", UserID: userID, Value: string(value),
		PermissionRead: runtime.STORAGE_PERMISSION_OWNER_READ, PermissionWrite: runtime.STORAGE_PERMISSION_NO_WRITE,
	}})
	return err
}

func onEvent(ctx context.Context, logger runtime.Logger, nk runtime.NakamaModule, evt *api.Event) {
	userID, _ := ctx.Value(runtime.RUNTIME_CTX_USER_ID).(string)
	if userID == "" {
		return
	}
	value, _ := json.Marshal(map[string]any{"name": evt.Name, "properties": evt.Properties, "external": evt.External})
	if _, err := nk.StorageWrite(ctx, []*runtime.StorageWrite{{
		Collection: "events", Key: "last", UserID: userID, Value: string(value),
		PermissionRead: runtime.STORAGE_PERMISSION_OWNER_READ, PermissionWrite: runtime.STORAGE_PERMISSION_NO_WRITE,
	}}); err != nil {
		logger.Error("could not store event: %v", err)
	}
}

// maskedWords are replaced by asterisks in chat messages; mild enough to let through.
var maskedWords = []string{"darn", "heck"}

// filterBadWords is the chat guide's message filter, both ways it shows: a message with
// "bad word" is rejected, and milder words are sanitised (masked) before the message is
// stored and delivered. The content is JSON text; the words and their masks are plain
// letters and asterisks, so it stays valid JSON.
func filterBadWords(ctx context.Context, logger runtime.Logger, db *sql.DB, nk runtime.NakamaModule, envelope *rtapi.Envelope) (*rtapi.Envelope, error) {
	message := envelope.GetChannelMessageSend()
	if message == nil {
		return envelope, nil
	}
	if strings.Contains(message.Content, "bad word") {
		return nil, runtime.NewError("profanity detected", 3)
	}
	for _, w := range maskedWords {
		message.Content = strings.ReplaceAll(message.Content, w, strings.Repeat("*", len(w)))
	}
	return envelope, nil
}
