// Package core is Hearth's behaviour: accounts, sessions, and (as they land) storage,
// social, chat and leaderboards. The REST handlers, the realtime socket and the runtime's
// nk module all call the same core functions, so one behaviour lives in one place. Core
// owns transactions and is the only caller of gen/db; its errors are *Error values that
// carry the client-facing code and message.
package core

import (
	"log/slog"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/hearth-server/hearth/gen/db"
)

// Options are Core's dependencies and settings, set once in main.
type Options struct {
	Pool       *pgxpool.Pool
	Log        *slog.Logger
	Tokens     TokenOptions
	BcryptCost int
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
	now        func() time.Time
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
	return &Core{
		pool:       o.Pool,
		q:          db.New(o.Pool),
		log:        log,
		tokens:     newTokenSigner(o.Tokens, now),
		bcryptCost: o.BcryptCost,
		now:        now,
	}
}
