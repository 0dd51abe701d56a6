package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"strconv"
	"time"

	"github.com/hearth-server/hearth/config"
	"github.com/hearth-server/hearth/core"
	"github.com/hearth-server/hearth/handlers"
	"github.com/hearth-server/hearth/queries"
	"github.com/hearth-server/hearth/social"
	"github.com/hearth-server/hearth/spec"
)

// shutdownGrace is how long in-flight requests get to finish after SIGINT/SIGTERM.
const shutdownGrace = 15 * time.Second

// serve runs the server until ctx is cancelled, then shuts down in order: stop accepting,
// finish in-flight requests, close the pool, stop the private cluster.
func serve(ctx context.Context, cfg config.Config, log *slog.Logger) error {
	for _, w := range cfg.Warnings() {
		log.Warn("insecure configuration: " + w)
	}

	d, err := openDatabase(ctx, cfg, log)
	if err != nil {
		return err
	}
	defer func() {
		stopCtx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		d.close(stopCtx)
		log.Info("database closed")
	}()

	applied, err := queries.Up(ctx, d.pool)
	if err != nil {
		return err
	}
	for _, m := range applied {
		log.Info("applied migration", slog.Int("version", m.Version), slog.String("name", m.Name))
	}

	doc, err := spec.Load()
	if err != nil {
		return fmt.Errorf("load spec: %w", err)
	}
	socialClient := social.New(cfg.Social, nil)
	for _, w := range socialClient.Warnings() {
		log.Warn("social providers: " + w)
	}
	c := core.New(core.Options{
		Pool: d.pool,
		Log:  log,
		Tokens: core.TokenOptions{
			EncryptionKey:        []byte(cfg.Session.EncryptionKey),
			RefreshEncryptionKey: []byte(cfg.Session.RefreshEncryptionKey),
			TokenExpiry:          time.Duration(cfg.Session.TokenExpirySec) * time.Second,
			RefreshTokenExpiry:   time.Duration(cfg.Session.RefreshTokenExpirySec) * time.Second,
		},
		BcryptCost:    cfg.Security.BcryptCost,
		SingleSession: cfg.Session.SingleSession,
		Lockout: &core.LockoutOptions{
			AccountAttempts: cfg.Security.LockoutAccountAttempts,
			IPAttempts:      cfg.Security.LockoutIPAttempts,
			Period:          time.Duration(cfg.Security.LockoutPeriodSec) * time.Second,
		},
		Social:     socialClient,
		MaxFriends: cfg.Friends.MaxCount,
		// NotificationPush stays nil until the realtime socket exists to push to.
	})
	runCtx, stopCore := context.WithCancel(context.Background())
	defer stopCore() // before the pool closes (deferred earlier): the listener holds a connection
	if err := c.Start(runCtx); err != nil {
		return fmt.Errorf("start core: %w", err)
	}
	if err := declareBoards(ctx, c, cfg.Leaderboard.DeclareFile); err != nil {
		return err
	}
	edge, err := handlers.New(handlers.Options{
		Core:                c,
		Log:                 log,
		Spec:                doc,
		ServerKey:           cfg.Socket.ServerKey,
		HTTPKey:             cfg.Runtime.HTTPKey,
		MaxRequestSizeBytes: cfg.Socket.MaxRequestSizeBytes,
	})
	if err != nil {
		return err
	}

	addr := net.JoinHostPort(cfg.Socket.Address, strconv.Itoa(cfg.Socket.Port))
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", addr, err)
	}
	srv := &http.Server{
		Handler:           edge,
		ReadHeaderTimeout: time.Duration(cfg.Socket.ReadTimeoutMs) * time.Millisecond,
		ReadTimeout:       time.Duration(cfg.Socket.ReadTimeoutMs) * time.Millisecond,
		WriteTimeout:      time.Duration(cfg.Socket.WriteTimeoutMs) * time.Millisecond,
		IdleTimeout:       time.Duration(cfg.Socket.IdleTimeoutMs) * time.Millisecond,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelDebug),
	}
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	log.Info("hearth started", slog.String("address", ln.Addr().String()))

	select {
	case err := <-served:
		return fmt.Errorf("http server: %w", err)
	case <-ctx.Done():
	}
	log.Info("shutting down")
	shutdownCtx, cancel := context.WithTimeout(context.Background(), shutdownGrace)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil && !errors.Is(err, http.ErrServerClosed) {
		log.Warn("in-flight requests cut short", slog.Any("error", err))
	}
	return nil
}
