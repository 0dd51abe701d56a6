// Package queries holds Hearth's SQL: the numbered migrations that define the schema
// (embedded, applied at start, and read by sqlc as its schema) and one file of named
// queries per area, from which sqlc generates gen/db.
package queries

import (
	"context"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"fmt"
	"io/fs"
	"regexp"
	"sort"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

//go:embed migrations/*.sql
var migrationFiles embed.FS

// Migration is one numbered schema change with its inverse.
type Migration struct {
	Version int
	Name    string
	Up      string
	Down    string
}

// MigrationStatus reports whether a migration has been applied, and when.
type MigrationStatus struct {
	Migration
	AppliedAt time.Time // zero when pending
}

// DB is what the migrator needs: a pool or a single connection.
type DB interface {
	Begin(ctx context.Context) (pgx.Tx, error)
	Exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error)
}

var migrationName = regexp.MustCompile(`^(\d+)_([a-z0-9_]+)\.(up|down)\.sql$`)

// migrationLock serialises migrators across processes (two nodes starting at once, or
// parallel test packages building one template database).
const migrationLock = 7350_0001

// Migrations returns every embedded migration in version order.
func Migrations() ([]Migration, error) {
	entries, err := fs.ReadDir(migrationFiles, "migrations")
	if err != nil {
		return nil, fmt.Errorf("read migrations: %w", err)
	}
	byVersion := map[int]*Migration{}
	for _, e := range entries {
		m := migrationName.FindStringSubmatch(e.Name())
		if m == nil {
			return nil, fmt.Errorf("migration file %q is not named NNNN_name.up|down.sql", e.Name())
		}
		version, _ := strconv.Atoi(m[1])
		body, err := fs.ReadFile(migrationFiles, "migrations/"+e.Name())
		if err != nil {
			return nil, fmt.Errorf("read migration %s: %w", e.Name(), err)
		}
		mig := byVersion[version]
		if mig == nil {
			mig = &Migration{Version: version, Name: m[2]}
			byVersion[version] = mig
		}
		if m[3] == "up" {
			mig.Up = string(body)
		} else {
			mig.Down = string(body)
		}
	}
	out := make([]Migration, 0, len(byVersion))
	for _, m := range byVersion {
		if m.Up == "" || m.Down == "" {
			return nil, fmt.Errorf("migration %04d_%s needs both an up and a down file", m.Version, m.Name)
		}
		out = append(out, *m)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Version < out[j].Version })
	return out, nil
}

// SchemaHash identifies the schema the embedded migrations produce; tests name their
// template database after it so a changed migration never reuses a stale template.
func SchemaHash() string {
	ms, err := Migrations()
	if err != nil {
		return "invalid"
	}
	h := sha256.New()
	for _, m := range ms {
		fmt.Fprintf(h, "%d\x00%s\x00%s\x00", m.Version, m.Up, m.Down)
	}
	return hex.EncodeToString(h.Sum(nil))[:12]
}

const createMigrationTable = `CREATE TABLE IF NOT EXISTS schema_migration (
    version    INTEGER     PRIMARY KEY,
    name       TEXT        NOT NULL,
    applied_at TIMESTAMPTZ NOT NULL DEFAULT now()
)`

// inLockedTx runs fn in a transaction holding the migration lock.
func inLockedTx(ctx context.Context, db DB, fn func(pgx.Tx) error) error {
	tx, err := db.Begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback(ctx) //nolint:errcheck // no-op after commit
	if _, err := tx.Exec(ctx, "SELECT pg_advisory_xact_lock($1)", migrationLock); err != nil {
		return err
	}
	if _, err := tx.Exec(ctx, createMigrationTable); err != nil {
		return err
	}
	if err := fn(tx); err != nil {
		return err
	}
	return tx.Commit(ctx)
}

func applied(ctx context.Context, tx pgx.Tx) (map[int]time.Time, error) {
	rows, err := tx.Query(ctx, "SELECT version, applied_at FROM schema_migration")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[int]time.Time{}
	for rows.Next() {
		var v int
		var at time.Time
		if err := rows.Scan(&v, &at); err != nil {
			return nil, err
		}
		out[v] = at
	}
	return out, rows.Err()
}

// Up applies every pending migration, each in its own transaction, and returns the ones
// it applied. It is safe to run from several processes at once.
func Up(ctx context.Context, db DB) ([]Migration, error) {
	ms, err := Migrations()
	if err != nil {
		return nil, err
	}
	var done []Migration
	for _, m := range ms {
		err := inLockedTx(ctx, db, func(tx pgx.Tx) error {
			have, err := applied(ctx, tx)
			if err != nil {
				return err
			}
			if _, ok := have[m.Version]; ok {
				return nil
			}
			if _, err := tx.Exec(ctx, m.Up); err != nil {
				return err
			}
			if _, err := tx.Exec(ctx, "INSERT INTO schema_migration (version, name) VALUES ($1, $2)", m.Version, m.Name); err != nil {
				return err
			}
			done = append(done, m)
			return nil
		})
		if err != nil {
			return done, fmt.Errorf("migration %04d_%s up: %w", m.Version, m.Name, err)
		}
	}
	return done, nil
}

// Down reverts the newest applied migrations, at most steps of them, newest first.
func Down(ctx context.Context, db DB, steps int) ([]Migration, error) {
	ms, err := Migrations()
	if err != nil {
		return nil, err
	}
	var done []Migration
	for i := len(ms) - 1; i >= 0 && len(done) < steps; i-- {
		m := ms[i]
		reverted := false
		err := inLockedTx(ctx, db, func(tx pgx.Tx) error {
			have, err := applied(ctx, tx)
			if err != nil {
				return err
			}
			if _, ok := have[m.Version]; !ok {
				return nil
			}
			if _, err := tx.Exec(ctx, m.Down); err != nil {
				return err
			}
			if _, err := tx.Exec(ctx, "DELETE FROM schema_migration WHERE version = $1", m.Version); err != nil {
				return err
			}
			reverted = true
			return nil
		})
		if err != nil {
			return done, fmt.Errorf("migration %04d_%s down: %w", m.Version, m.Name, err)
		}
		if reverted {
			done = append(done, m)
		}
	}
	return done, nil
}

// Status lists every embedded migration with the time it was applied, if it was.
func Status(ctx context.Context, db DB) ([]MigrationStatus, error) {
	ms, err := Migrations()
	if err != nil {
		return nil, err
	}
	var out []MigrationStatus
	err = inLockedTx(ctx, db, func(tx pgx.Tx) error {
		have, err := applied(ctx, tx)
		if err != nil {
			return err
		}
		for _, m := range ms {
			out = append(out, MigrationStatus{Migration: m, AppliedAt: have[m.Version]})
		}
		return nil
	})
	return out, err
}
