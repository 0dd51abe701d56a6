package core

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/hearth-server/hearth/gen/db"
)

// PostgreSQL error codes core reacts to.
const (
	pgUniqueViolation      = "23505"
	pgCheckViolation       = "23514"
	pgSerializationFailure = "40001"
	pgDeadlockDetected     = "40P01"
)

// maxTxAttempts bounds retries of a transaction that keeps losing serialization races.
const maxTxAttempts = 5

// inTx runs fn in one transaction, retrying on serialization failure or deadlock, so fn
// may run more than once: it must have no effects outside q. Notifications and other side
// effects happen after inTx returns.
func (c *Core) inTx(ctx context.Context, fn func(q *db.Queries) error) error {
	var err error
	for attempt := 0; attempt < maxTxAttempts; attempt++ {
		err = pgx.BeginFunc(ctx, c.pool, func(tx pgx.Tx) error {
			return fn(c.q.WithTx(tx))
		})
		if !isRetryable(err) {
			return err
		}
	}
	return fmt.Errorf("transaction gave up after %d attempts: %w", maxTxAttempts, err)
}

func isRetryable(err error) bool {
	var pgErr *pgconn.PgError
	return errors.As(err, &pgErr) && (pgErr.Code == pgSerializationFailure || pgErr.Code == pgDeadlockDetected)
}

// isNotFound reports whether a query found no row.
func isNotFound(err error) bool {
	return errors.Is(err, pgx.ErrNoRows)
}

// uniqueViolation returns the name of the unique constraint err violated, or "".
func uniqueViolation(err error) string {
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) && pgErr.Code == pgUniqueViolation {
		return pgErr.ConstraintName
	}
	return ""
}

// checkViolation returns the name of the check constraint err violated, or "".
func checkViolation(err error) string {
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) && pgErr.Code == pgCheckViolation {
		return pgErr.ConstraintName
	}
	return ""
}
