package core

import (
	"context"
	"fmt"
	"log/slog"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/google/uuid"

	"github.com/hearth-server/hearth/gen/db"
)

// Token kinds in revocation records.
const (
	kindSession int16 = 0
	kindRefresh int16 = 1
)

// sessionsChannel carries revocations between nodes (PostgreSQL LISTEN/NOTIFY), so a
// logout or ban on one node holds on every node without a cluster protocol of our own.
const sessionsChannel = "hearth_sessions"

// purgeEvery is how often expired revocation records are deleted.
const purgeEvery = 10 * time.Minute

// revocations is every node's in-memory copy of the revocation state, so verifying a
// token stays a map lookup. PostgreSQL is the record: the copy is loaded at start and
// kept current by notifications.
type revocations struct {
	mu          sync.RWMutex
	generations map[uuid.UUID]int64    // only users whose generation was ever raised
	tokens      map[revokedToken]int64 // token id and kind -> unix expiry
}

type revokedToken struct {
	tokenID string
	kind    int16
}

func newRevocations() *revocations {
	return &revocations{generations: map[uuid.UUID]int64{}, tokens: map[revokedToken]int64{}}
}

func (r *revocations) generation(userID uuid.UUID) int64 {
	r.mu.RLock()
	defer r.mu.RUnlock()
	return r.generations[userID]
}

// allowed reports whether a token of this kind, id and generation is still good.
func (r *revocations) allowed(userID uuid.UUID, generation int64, tokenID string, kind int16) bool {
	r.mu.RLock()
	defer r.mu.RUnlock()
	if generation < r.generations[userID] {
		return false
	}
	_, revoked := r.tokens[revokedToken{tokenID, kind}]
	return !revoked
}

func (r *revocations) setGeneration(userID uuid.UUID, generation int64) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if generation > r.generations[userID] {
		r.generations[userID] = generation
	}
}

func (r *revocations) revoke(tokenID string, kind int16, expires int64) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.tokens[revokedToken{tokenID, kind}] = expires
}

func (r *revocations) purge(now int64) {
	r.mu.Lock()
	defer r.mu.Unlock()
	for k, exp := range r.tokens {
		if exp <= now {
			delete(r.tokens, k)
		}
	}
}

// Notification payloads: "g <user> <generation>" and "t <kind> <expiry> <token id>".
func generationEvent(userID uuid.UUID, generation int64) string {
	return fmt.Sprintf("g %s %d", userID, generation)
}

func tokenEvent(tokenID string, kind int16, expires int64) string {
	return fmt.Sprintf("t %d %d %s", kind, expires, tokenID)
}

// apply folds one notification into the copy; malformed payloads are ignored.
func (r *revocations) apply(payload string) {
	f := strings.SplitN(payload, " ", 4)
	switch {
	case len(f) == 3 && f[0] == "g":
		id, err1 := uuid.Parse(f[1])
		gen, err2 := strconv.ParseInt(f[2], 10, 64)
		if err1 == nil && err2 == nil {
			r.setGeneration(id, gen)
		}
	case len(f) == 4 && f[0] == "t":
		kind, err1 := strconv.ParseInt(f[1], 10, 16)
		exp, err2 := strconv.ParseInt(f[2], 10, 64)
		if err1 == nil && err2 == nil {
			r.revoke(f[3], int16(kind), exp)
		}
	}
}

// load replaces the copy with the database's state.
func (r *revocations) load(ctx context.Context, q *db.Queries) error {
	gens, err := q.SessionGenerationsAll(ctx)
	if err != nil {
		return fmt.Errorf("load session generations: %w", err)
	}
	toks, err := q.SessionRevocationsActive(ctx)
	if err != nil {
		return fmt.Errorf("load session revocations: %w", err)
	}
	generations := make(map[uuid.UUID]int64, len(gens))
	for _, g := range gens {
		generations[g.UserID] = g.Generation
	}
	tokens := make(map[revokedToken]int64, len(toks))
	for _, t := range toks {
		tokens[revokedToken{t.TokenID, t.Kind}] = t.ExpiresAt.Unix()
	}
	r.mu.Lock()
	r.generations, r.tokens = generations, tokens
	r.mu.Unlock()
	return nil
}

// Start loads the revocation state and follows other nodes' changes until ctx ends. The
// server calls it once before serving; tests call it through their helper.
func (c *Core) Start(ctx context.Context) error {
	if err := c.revoked.load(ctx, c.q); err != nil {
		return err
	}
	go c.followRevocations(ctx)
	if err := c.loadBoards(ctx); err != nil {
		return fmt.Errorf("load leaderboards: %w", err)
	}
	go c.runSchedules(ctx)
	return nil
}

// followRevocations listens for revocation notifications on a dedicated connection,
// reloading everything after a reconnect (notifications sent while disconnected are lost),
// and purges expired records now and then.
func (c *Core) followRevocations(ctx context.Context) {
	backoff := time.Second
	for ctx.Err() == nil {
		err := c.listenRevocations(ctx)
		if ctx.Err() != nil {
			return
		}
		c.log.Warn("session revocation listener stopped; reconnecting", slog.Any("error", err))
		select {
		case <-ctx.Done():
			return
		case <-time.After(backoff):
		}
		backoff = min(backoff*2, 30*time.Second)
	}
}

func (c *Core) listenRevocations(ctx context.Context) error {
	conn, err := c.pool.Acquire(ctx)
	if err != nil {
		return err
	}
	defer conn.Release()
	if _, err := conn.Exec(ctx, "LISTEN "+sessionsChannel); err != nil {
		return err
	}
	// Reload after LISTEN so nothing committed between load and listen is missed.
	if err := c.revoked.load(ctx, c.q); err != nil {
		return err
	}
	nextPurge := time.Now().Add(purgeEvery)
	for {
		waitCtx, cancel := context.WithDeadline(ctx, nextPurge)
		n, err := conn.Conn().WaitForNotification(waitCtx)
		cancel()
		switch {
		case err == nil:
			c.revoked.apply(n.Payload)
		case ctx.Err() != nil:
			return ctx.Err()
		case time.Now().After(nextPurge):
			if _, err := c.q.SessionRevocationsPurge(ctx); err != nil {
				c.log.Warn("purging expired session revocations", slog.Any("error", err))
			}
			c.revoked.purge(c.now().Unix())
			nextPurge = time.Now().Add(purgeEvery)
		default:
			conn.Hijack().Close(context.Background()) //nolint:errcheck // the connection is broken anyway
			return err
		}
	}
}

// bumpGeneration invalidates every token the user holds now, in q's transaction; the
// returned generation is what new tokens must carry. The in-memory copy changes when the
// caller applies the returned event after commit.
func bumpGeneration(ctx context.Context, q *db.Queries, userID uuid.UUID) (int64, string, error) {
	gen, err := q.SessionGenerationBump(ctx, userID)
	if err != nil {
		return 0, "", err
	}
	event := generationEvent(userID, gen)
	if err := q.SessionNotify(ctx, db.SessionNotifyParams{Channel: sessionsChannel, Payload: event}); err != nil {
		return 0, "", err
	}
	return gen, event, nil
}

// revokeToken records one token's revocation in q's transaction.
func revokeToken(ctx context.Context, q *db.Queries, userID uuid.UUID, tokenID string, kind int16, expires int64) (string, error) {
	err := q.SessionRevoke(ctx, db.SessionRevokeParams{TokenID: tokenID, Kind: kind, UserID: userID, ExpiresAt: time.Unix(expires, 0)})
	if err != nil {
		return "", err
	}
	event := tokenEvent(tokenID, kind, expires)
	if err := q.SessionNotify(ctx, db.SessionNotifyParams{Channel: sessionsChannel, Payload: event}); err != nil {
		return "", err
	}
	return event, nil
}
