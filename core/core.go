// Package core is Hearth's behaviour: accounts, sessions, and (as they land) storage,
// social, chat and leaderboards. The REST handlers, the realtime socket and the runtime's
// nk module all call the same core functions, so one behaviour lives in one place. Core
// owns transactions and is the only caller of gen/db; its errors are *Error values that
// carry the client-facing code and message.
package core

import (
	"hash/maphash"
	"log/slog"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/hearth-server/hearth/core/rank"
	"github.com/hearth-server/hearth/gen/db"
	"github.com/hearth-server/hearth/social"
)

// Options are Core's dependencies and settings, set once in main.
type Options struct {
	Pool       *pgxpool.Pool
	Log        *slog.Logger
	Tokens     TokenOptions
	BcryptCost int
	// SingleSession makes each login end the user's older sessions (Nakama issue #1014).
	SingleSession bool
	// Lockout limits failed password logins; nil means DefaultLockout.
	Lockout *LockoutOptions
	// Social verifies third-party credentials; nil answers every social provider with
	// "not configured".
	Social *social.Client
	// FriendImporter runs Facebook/Steam friend imports for sync requests; nil installs
	// the social graph's own (tests inject one to observe the calls).
	FriendImporter FriendImporter
	// MaxFriends caps a user's edges (friends, invites and blocks): a user at the cap cannot
	// send invites, and invites to a user at the cap are skipped. 0 means no cap, as in
	// Nakama, which has none.
	MaxFriends int
	// NotificationPush delivers notifications live after they commit; nil delivers
	// nothing live (the realtime socket will provide it).
	NotificationPush NotificationPusher
	// ChannelMessagePush delivers every channel message live after it is stored (or,
	// when not persisted, checked): chat messages, updates, removals and group events;
	// nil delivers nothing live (the realtime socket provides it).
	ChannelMessagePush ChannelMessagePusher
	// LeaderboardReset is called after a leaderboard's period ends; nil calls nothing
	// (the runtime will provide one).
	LeaderboardReset LeaderboardReset
	// TournamentEnd is called after a tournament period's active window ends, and
	// TournamentReset after the period itself ends; nil calls nothing.
	TournamentEnd   TournamentEnd
	TournamentReset TournamentReset
	// Online reports whether a user appears online (the presence tracker's status
	// streams); nil means nobody is. It fills `online` in user, friend and group user lists.
	Online func(userID uuid.UUID) bool
	// Now is the clock; nil means time.Now. Tests inject one to cross expiry boundaries.
	Now func() time.Time
}

// Core is the shared implementation behind every front door.
type Core struct {
	pool       *pgxpool.Pool
	q          *db.Queries
	log        *slog.Logger
	tokens     tokenSigner
	bcryptCost int
	single     bool
	revoked    *revocations
	verified   *verifiedSessions
	logins     *loginAttempts
	social     *social.Client
	friends    FriendImporter
	maxFriends int
	notify     NotificationPusher
	messages   ChannelMessagePusher
	online     func(uuid.UUID) bool
	now        func() time.Time

	// Leaderboards: every board's configuration, the rank cache, per-record write locks
	// and the schedule hooks.
	boards          *boards
	ranks           *rank.Cache
	recordLocks     *recordLocks
	leaderboardHook LeaderboardReset
	tournamentEnd   TournamentEnd
	tournamentReset TournamentReset

	// Storage indexes, updated after every storage write and delete.
	indexes *storageIndexes

	// Recently deleted accounts and the writes in flight, so that neither the storage
	// indexes nor the rank cache take back an owner whose account is gone.
	deletions *ownerDeletions

	// Test hooks (export_test.go), nil otherwise: called after a record write commits,
	// before its rank cache update, and after the start-up rank load reads a board's
	// records, before they are loaded.
	beforeRankInsert func(owner uuid.UUID)
	beforeRankLoad   func()

	// Per-area parts of account deletion and export, added by areas as they land.
	accountCleanups []AccountCleanup
	accountExports  []AccountExportSection
}

// New builds a Core from its options.
func New(o Options) *Core {
	now := o.Now
	if now == nil {
		now = time.Now
	}
	log := o.Log
	if log == nil {
		log = slog.Default()
	}
	lockout := DefaultLockout
	if o.Lockout != nil {
		lockout = *o.Lockout
	}
	c := &Core{
		pool:       o.Pool,
		q:          db.New(o.Pool),
		log:        log,
		tokens:     newTokenSigner(o.Tokens, now),
		bcryptCost: o.BcryptCost,
		single:     o.SingleSession,
		revoked:    newRevocations(),
		verified:   newVerifiedSessions(verifiedSessionsMax),
		logins:     newLoginAttempts(lockout, now),
		social:     o.Social,
		friends:    o.FriendImporter,
		maxFriends: o.MaxFriends,
		notify:     o.NotificationPush,
		messages:   o.ChannelMessagePush,
		online:     o.Online,
		now:        now,

		boards:          &boards{m: map[string]*Leaderboard{}},
		ranks:           rank.New(),
		recordLocks:     &recordLocks{seed: maphash.MakeSeed()},
		leaderboardHook: o.LeaderboardReset,
		tournamentEnd:   o.TournamentEnd,
		tournamentReset: o.TournamentReset,

		indexes:   &storageIndexes{byName: map[string]*storageIndex{}, byCollection: map[string][]*storageIndex{}},
		deletions: &ownerDeletions{},
	}
	if c.online == nil {
		c.online = func(uuid.UUID) bool { return false }
	}
	if c.friends == nil {
		c.friends = c.importProviderFriends
	}
	c.accountCleanups = []AccountCleanup{friendCleanup, groupCleanup, chatCleanup, leaderboardCleanup}
	c.accountExports = []AccountExportSection{c.exportStorage, c.exportWalletLedger, c.exportFriends, c.exportNotifications, c.exportGroups, c.exportMessages, c.exportLeaderboardRecords}
	return c
}

// Now is core's clock (Options.Now), by which periods and windows are computed; the
// runtime reads it to show boards as core sees them.
func (c *Core) Now() time.Time { return c.now() }
