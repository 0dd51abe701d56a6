// Package server runs the Hearth game server: the Nakama API v2 over REST, backed by
// PostgreSQL (a private cluster under data_dir unless database.address is set), with
// Go runtime modules. cmd/hearth is server.Main(); a game that links its modules into
// the binary instead of loading plugins writes its own main calling
// server.Main(mygame.InitModule).
//
//	hearth [run] [flags]                 start the server
//	hearth migrate up|down|status [flags] manage the schema
package server

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"syscall"

	"github.com/hearth-server/hearth/config"
	"github.com/hearth-server/hearth/nk"
)

// Main runs the server with the process's arguments and environment until SIGINT or
// SIGTERM, loading modules (linked in) before any plugin, and exits on failure.
func Main(modules ...nk.InitModule) {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := Run(ctx, os.Args[1:], os.Getenv, os.Stderr, modules...)
	stop()
	if err != nil {
		fmt.Fprintln(os.Stderr, "hearth:", err)
		os.Exit(1)
	}
}

// Run is Main without the process: it runs until ctx ends and returns what stopped it.
func Run(ctx context.Context, args []string, getenv func(string) string, stderr io.Writer, modules ...nk.InitModule) error {
	cmd := "run"
	if len(args) > 0 && (args[0] == "run" || args[0] == "migrate") {
		cmd, args = args[0], args[1:]
	}
	var migrateAction string
	if cmd == "migrate" {
		if len(args) == 0 || (args[0] != "up" && args[0] != "down" && args[0] != "status") {
			return errors.New("usage: hearth migrate up|down|status [flags]")
		}
		migrateAction, args = args[0], args[1:]
	}

	cfg, err := config.Load(args, getenv)
	if err != nil {
		return err
	}
	log := newLogger(cfg, stderr)

	if cmd == "migrate" {
		return migrate(ctx, cfg, log, migrateAction, stderr)
	}
	return serve(ctx, cfg, log, modules)
}

func newLogger(cfg config.Config, w io.Writer) *slog.Logger {
	opts := &slog.HandlerOptions{Level: cfg.LogLevel()}
	var h slog.Handler = slog.NewJSONHandler(w, opts)
	if cfg.Logger.Format == "text" {
		h = slog.NewTextHandler(w, opts)
	}
	return slog.New(h).With(slog.String("node", cfg.Name))
}
