package nk

import (
	"context"
	"database/sql"
	"errors"
	"net/http"
	"strings"

	"github.com/heroiclabs/nakama-common/api"
	"github.com/heroiclabs/nakama-common/rtapi"
	"github.com/heroiclabs/nakama-common/runtime"

	"github.com/hearth-server/hearth/core"
)

// initializer is the runtime.Initializer a module's InitModule receives. It writes into
// the Runtime being built; REST before/after registrations are in register_rest.go.
type initializer struct {
	r *Runtime
}

var _ runtime.Initializer = (*initializer)(nil)

// laterHooks keeps registrations for areas not built yet (matches, matchmaker, purchase
// notifications, HTTP handlers), so modules that register them load, and the areas can
// pick them up when they land.
type laterHooks struct {
	MatchmakerMatched              func(ctx context.Context, logger runtime.Logger, db *sql.DB, nk runtime.NakamaModule, entries []runtime.MatchmakerEntry) (string, error)
	MatchmakerOverride             func(ctx context.Context, logger runtime.Logger, db *sql.DB, nk runtime.NakamaModule, candidateMatches [][]runtime.MatchmakerEntry) (matches [][]runtime.MatchmakerEntry)
	MatchmakerProcessor            func(ctx context.Context, logger runtime.Logger, db *sql.DB, nk runtime.NakamaModule, entries []runtime.MatchmakerEntry) (matches [][]runtime.MatchmakerEntry)
	Matches                        map[string]func(ctx context.Context, logger runtime.Logger, db *sql.DB, nk runtime.NakamaModule) (runtime.Match, error)
	TournamentEnd                  func(ctx context.Context, logger runtime.Logger, db *sql.DB, nk runtime.NakamaModule, tournament *api.Tournament, end, reset int64) error
	TournamentReset                func(ctx context.Context, logger runtime.Logger, db *sql.DB, nk runtime.NakamaModule, tournament *api.Tournament, end, reset int64) error
	LeaderboardReset               func(ctx context.Context, logger runtime.Logger, db *sql.DB, nk runtime.NakamaModule, leaderboard *api.Leaderboard, reset int64) error
	PurchaseNotificationApple      func(ctx context.Context, logger runtime.Logger, db *sql.DB, nk runtime.NakamaModule, notificationType runtime.NotificationType, purchase *api.ValidatedPurchase, payload *runtime.AppleNotificationData) error
	SubscriptionNotificationApple  func(ctx context.Context, logger runtime.Logger, db *sql.DB, nk runtime.NakamaModule, notificationType runtime.NotificationType, subscription *api.ValidatedSubscription, payload *runtime.AppleNotificationData) error
	PurchaseNotificationGoogle     func(ctx context.Context, logger runtime.Logger, db *sql.DB, nk runtime.NakamaModule, notificationType runtime.NotificationType, purchase *api.ValidatedPurchase, providerPayload *runtime.PurchaseV2GoogleResponse) error
	SubscriptionNotificationGoogle func(ctx context.Context, logger runtime.Logger, db *sql.DB, nk runtime.NakamaModule, notificationType runtime.NotificationType, subscription *api.ValidatedSubscription, providerPayload *runtime.SubscriptionV2GoogleResponse) error
	FleetManager                   runtime.FleetManagerInitializer
	HTTP                           []HTTPHandler
}

// HTTPHandler is a RegisterHttp call, kept until custom HTTP routes are served.
type HTTPHandler struct {
	Pattern string
	Handler func(http.ResponseWriter, *http.Request)
	Methods []string
}

// Later returns the registrations kept for areas that are not built yet.
func (r *Runtime) Later() *laterHooks { return &r.later }

func (i *initializer) GetConfig() (runtime.Config, error) {
	if i.r.config == nil {
		return &ConfigValues{}, nil
	}
	return i.r.config, nil
}

func (i *initializer) RegisterRpc(id string, fn func(ctx context.Context, logger runtime.Logger, db *sql.DB, nk runtime.NakamaModule, payload string) (string, error)) error {
	if id == "" {
		return errors.New("rpc id must not be empty")
	}
	if fn == nil {
		return errors.New("rpc function must not be nil")
	}
	i.r.rpc[strings.ToLower(id)] = fn
	return nil
}

func (i *initializer) RegisterBeforeRt(id string, fn func(ctx context.Context, logger runtime.Logger, db *sql.DB, nk runtime.NakamaModule, in *rtapi.Envelope) (*rtapi.Envelope, error)) error {
	i.r.beforeRt[strings.ToLower(id)] = fn
	return nil
}

func (i *initializer) RegisterAfterRt(id string, fn func(ctx context.Context, logger runtime.Logger, db *sql.DB, nk runtime.NakamaModule, out, in *rtapi.Envelope) error) error {
	i.r.afterRt[strings.ToLower(id)] = fn
	return nil
}

func (i *initializer) RegisterMatchmakerMatched(fn func(ctx context.Context, logger runtime.Logger, db *sql.DB, nk runtime.NakamaModule, entries []runtime.MatchmakerEntry) (string, error)) error {
	i.r.later.MatchmakerMatched = fn
	return nil
}

func (i *initializer) RegisterMatchmakerOverride(fn func(ctx context.Context, logger runtime.Logger, db *sql.DB, nk runtime.NakamaModule, candidateMatches [][]runtime.MatchmakerEntry) (matches [][]runtime.MatchmakerEntry)) error {
	i.r.later.MatchmakerOverride = fn
	return nil
}

func (i *initializer) RegisterMatchmakerProcessor(fn func(ctx context.Context, logger runtime.Logger, db *sql.DB, nk runtime.NakamaModule, entries []runtime.MatchmakerEntry) (matches [][]runtime.MatchmakerEntry)) error {
	i.r.later.MatchmakerProcessor = fn
	return nil
}

func (i *initializer) RegisterMatch(name string, fn func(ctx context.Context, logger runtime.Logger, db *sql.DB, nk runtime.NakamaModule) (runtime.Match, error)) error {
	if i.r.later.Matches == nil {
		i.r.later.Matches = map[string]func(ctx context.Context, logger runtime.Logger, db *sql.DB, nk runtime.NakamaModule) (runtime.Match, error){}
	}
	i.r.later.Matches[name] = fn
	return nil
}

func (i *initializer) RegisterTournamentEnd(fn func(ctx context.Context, logger runtime.Logger, db *sql.DB, nk runtime.NakamaModule, tournament *api.Tournament, end, reset int64) error) error {
	i.r.later.TournamentEnd = fn
	return nil
}

func (i *initializer) RegisterTournamentReset(fn func(ctx context.Context, logger runtime.Logger, db *sql.DB, nk runtime.NakamaModule, tournament *api.Tournament, end, reset int64) error) error {
	i.r.later.TournamentReset = fn
	return nil
}

func (i *initializer) RegisterLeaderboardReset(fn func(ctx context.Context, logger runtime.Logger, db *sql.DB, nk runtime.NakamaModule, leaderboard *api.Leaderboard, reset int64) error) error {
	i.r.later.LeaderboardReset = fn
	return nil
}

func (i *initializer) RegisterPurchaseNotificationApple(fn func(ctx context.Context, logger runtime.Logger, db *sql.DB, nk runtime.NakamaModule, notificationType runtime.NotificationType, purchase *api.ValidatedPurchase, payload *runtime.AppleNotificationData) error) error {
	i.r.later.PurchaseNotificationApple = fn
	return nil
}

func (i *initializer) RegisterSubscriptionNotificationApple(fn func(ctx context.Context, logger runtime.Logger, db *sql.DB, nk runtime.NakamaModule, notificationType runtime.NotificationType, subscription *api.ValidatedSubscription, payload *runtime.AppleNotificationData) error) error {
	i.r.later.SubscriptionNotificationApple = fn
	return nil
}

func (i *initializer) RegisterPurchaseNotificationGoogle(fn func(ctx context.Context, logger runtime.Logger, db *sql.DB, nk runtime.NakamaModule, notificationType runtime.NotificationType, purchase *api.ValidatedPurchase, providerPayload *runtime.PurchaseV2GoogleResponse) error) error {
	i.r.later.PurchaseNotificationGoogle = fn
	return nil
}

func (i *initializer) RegisterSubscriptionNotificationGoogle(fn func(ctx context.Context, logger runtime.Logger, db *sql.DB, nk runtime.NakamaModule, notificationType runtime.NotificationType, subscription *api.ValidatedSubscription, providerPayload *runtime.SubscriptionV2GoogleResponse) error) error {
	i.r.later.SubscriptionNotificationGoogle = fn
	return nil
}

func (i *initializer) RegisterEvent(fn func(ctx context.Context, logger runtime.Logger, evt *api.Event)) error {
	i.r.events = append(i.r.events, fn)
	return nil
}

func (i *initializer) RegisterEventSessionStart(fn func(ctx context.Context, logger runtime.Logger, evt *api.Event)) error {
	i.r.sessionStart = append(i.r.sessionStart, fn)
	return nil
}

func (i *initializer) RegisterEventSessionEnd(fn func(ctx context.Context, logger runtime.Logger, evt *api.Event)) error {
	i.r.sessionEnd = append(i.r.sessionEnd, fn)
	return nil
}

// RegisterStorageIndex defines a storage index in core now, as Nakama does, so a bad or
// duplicate definition fails the module's InitModule; the index is filled once every
// module has loaded.
func (i *initializer) RegisterStorageIndex(name, collection, key string, fields []string, sortableFields []string, maxEntries int, indexOnly bool) error {
	if i.r.nk.core == nil {
		return errors.New("storage indexes need the server's storage")
	}
	return i.r.nk.fromCore(i.r.nk.core.StorageIndexCreate(core.StorageIndexConfig{
		Name: name, Collection: collection, Key: key, Fields: fields, SortableFields: sortableFields,
		MaxEntries: maxEntries, IndexOnly: indexOnly,
	}))
}

// RegisterStorageIndexFilter sets the function that decides which objects an index
// keeps; filters naming no index are ignored, as in Nakama.
func (i *initializer) RegisterStorageIndexFilter(indexName string, fn func(ctx context.Context, logger runtime.Logger, db *sql.DB, nk runtime.NakamaModule, write *runtime.StorageWrite) bool) error {
	if i.r.indexFilters == nil {
		i.r.indexFilters = map[string]indexFilterFunc{}
	}
	i.r.indexFilters[indexName] = fn
	return nil
}

func (i *initializer) RegisterFleetManager(fleetManagerInit runtime.FleetManagerInitializer) error {
	i.r.later.FleetManager = fleetManagerInit
	return nil
}

func (i *initializer) RegisterShutdown(fn func(ctx context.Context, logger runtime.Logger, db *sql.DB, nk runtime.NakamaModule)) error {
	i.r.shutdown = append(i.r.shutdown, fn)
	return nil
}

func (i *initializer) RegisterHttp(pathPattern string, handler func(http.ResponseWriter, *http.Request), methods ...string) error {
	i.r.later.HTTP = append(i.r.later.HTTP, HTTPHandler{pathPattern, handler, methods})
	return nil
}

func (i *initializer) RegisterConsoleHttp(pathPattern string, handler func(http.ResponseWriter, *http.Request), methods ...string) error {
	// Hearth has no console; console routes are accepted and never served.
	return nil
}
