package server

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"path/filepath"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/hearth-server/hearth/config"
	"github.com/hearth-server/hearth/internal/pgcluster"
	"github.com/hearth-server/hearth/internal/pguuid"
	"github.com/hearth-server/hearth/internal/rawio"
	"github.com/hearth-server/hearth/queries"
)

// databaseName is the database Hearth uses inside its private cluster, and the default
// name for a Nakama-style address that names none.
const databaseName = "hearth"

// database is an open pool plus whatever must be stopped after it closes.
type database struct {
	pool    *pgxpool.Pool
	cluster *pgcluster.Cluster // nil when database.address points at an existing server
}

// openDatabase connects to database.address, or starts (or reuses) the private cluster
// under data_dir when no address is set.
func openDatabase(ctx context.Context, cfg config.Config, log *slog.Logger) (*database, error) {
	d := &database{}
	url := cfg.Database.Address
	if url == "" {
		dir, err := filepath.Abs(filepath.Join(cfg.DataDir, "postgres"))
		if err != nil {
			return nil, err
		}
		log.Info("starting private PostgreSQL cluster", slog.String("dir", dir))
		cluster, err := pgcluster.Start(ctx, pgcluster.Options{Dir: dir, Logger: log})
		if err != nil {
			return nil, fmt.Errorf("private database: %w", err)
		}
		d.cluster = cluster
		if err := ensureDatabase(ctx, cluster.URL("postgres"), databaseName); err != nil {
			d.close(context.Background())
			return nil, err
		}
		url = cluster.URL(databaseName)
	} else {
		url = addressURL(url)
	}

	poolCfg, err := pgxpool.ParseConfig(url)
	if err != nil {
		d.close(context.Background())
		return nil, fmt.Errorf("database.address: %w", err)
	}
	poolCfg.MaxConns = int32(cfg.Database.MaxOpenConns)
	dial := poolCfg.ConnConfig.DialFunc
	poolCfg.ConnConfig.DialFunc = func(ctx context.Context, network, addr string) (net.Conn, error) {
		c, err := dial(ctx, network, addr)
		if err != nil {
			return nil, err
		}
		return rawio.Wrap(c), nil // see internal/rawio: no sysmon wake-up per query
	}
	poolCfg.AfterConnect = func(_ context.Context, conn *pgx.Conn) error {
		pguuid.Register(conn.TypeMap())
		return nil
	}
	pool, err := pgxpool.NewWithConfig(ctx, poolCfg)
	if err != nil {
		d.close(context.Background())
		return nil, fmt.Errorf("connect to database: %w", err)
	}
	d.pool = pool
	pingCtx, cancel := context.WithTimeout(ctx, 15*time.Second)
	defer cancel()
	if err := pool.Ping(pingCtx); err != nil {
		d.close(context.Background())
		return nil, fmt.Errorf("connect to database %s: %w", redact(url), err)
	}
	return d, nil
}

// close closes the pool and stops a private cluster.
func (d *database) close(ctx context.Context) {
	if d.pool != nil {
		d.pool.Close()
	}
	if d.cluster != nil {
		_ = d.cluster.Stop(ctx)
	}
}

// addressURL accepts a PostgreSQL URL or Nakama's user:pass@host:port/db form.
func addressURL(addr string) string {
	if strings.HasPrefix(addr, "postgres://") || strings.HasPrefix(addr, "postgresql://") || strings.Contains(addr, "=") {
		return addr
	}
	url := "postgres://" + addr
	if !strings.Contains(addr, "/") {
		url += "/" + databaseName
	}
	return url
}

// redact hides a password in a URL before it is logged.
func redact(url string) string {
	if cfg, err := pgx.ParseConfig(url); err == nil && cfg.Password != "" {
		return strings.Replace(url, cfg.Password, "xxxxx", 1)
	}
	return url
}

// ensureDatabase creates the named database in a private cluster on first start.
func ensureDatabase(ctx context.Context, adminURL, name string) error {
	conn, err := pgx.Connect(ctx, adminURL)
	if err != nil {
		return fmt.Errorf("connect to private cluster: %w", err)
	}
	defer conn.Close(context.Background())
	var exists bool
	if err := conn.QueryRow(ctx, "SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)", name).Scan(&exists); err != nil {
		return fmt.Errorf("look up database %s: %w", name, err)
	}
	if exists {
		return nil
	}
	if _, err := conn.Exec(ctx, "CREATE DATABASE "+pgx.Identifier{name}.Sanitize()); err != nil {
		return fmt.Errorf("create database %s: %w", name, err)
	}
	return nil
}

// migrate runs `hearth migrate up|down|status`.
func migrate(ctx context.Context, cfg config.Config, log *slog.Logger, action string, out io.Writer) error {
	d, err := openDatabase(ctx, cfg, log)
	if err != nil {
		return err
	}
	defer d.close(context.Background())
	switch action {
	case "up":
		done, err := queries.Up(ctx, d.pool)
		for _, m := range done {
			fmt.Fprintf(out, "applied %04d_%s\n", m.Version, m.Name)
		}
		if err == nil && len(done) == 0 {
			fmt.Fprintln(out, "schema is up to date")
		}
		return err
	case "down":
		done, err := queries.Down(ctx, d.pool, 1)
		for _, m := range done {
			fmt.Fprintf(out, "reverted %04d_%s\n", m.Version, m.Name)
		}
		if err == nil && len(done) == 0 {
			fmt.Fprintln(out, "nothing to revert")
		}
		return err
	default:
		status, err := queries.Status(ctx, d.pool)
		for _, s := range status {
			state := "pending"
			if !s.AppliedAt.IsZero() {
				state = "applied " + s.AppliedAt.UTC().Format(time.RFC3339)
			}
			fmt.Fprintf(out, "%04d_%s\t%s\n", s.Version, s.Name, state)
		}
		return err
	}
}
