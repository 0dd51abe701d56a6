package core

import (
	"errors"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

// PostgreSQL error codes core reacts to. (Multi-statement writes arrive with storage and
// the wallet, together with a transaction helper that retries serialization failures.)
const (
	pgUniqueViolation = "23505"
)

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
