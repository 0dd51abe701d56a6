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
	"github.com/hearth-server/hearth/core/presence"
	"github.com/hearth-server/hearth/handlers"
	"github.com/hearth-server/hearth/queries"
	"github.com/hearth-server/hearth/realtime"
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
	tracker := presence.New(log)
	defer tracker.Close()
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
		Social:           socialClient,
		MaxFriends:       cfg.Friends.MaxCount,
		NotificationPush: realtime.NotificationPusher(tracker),
		GroupMessagePush: realtime.GroupMessagePusher(tracker),
		Online:           tracker.UserOnline,
	})
	runCtx, stopCore := context.WithCancel(context.Background())
	defer stopCore() // before the pool closes (deferred earlier): the listener holds a connection
	if err := c.Start(runCtx); err != nil {
		return fmt.Errorf("start core: %w", err)
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

	sockets := realtime.New(realtime.Options{
		Core:    c,
		Tracker: tracker,
		Runtime: nil, // the runtime's hooks.Realtime, once modules load
		Log:     log,
		Config: realtime.Config{
			MaxMessageSize:    cfg.Socket.MaxMessageSizeBytes,
			PingPeriod:        time.Duration(cfg.Socket.PingPeriodMs) * time.Millisecond,
			PongWait:          time.Duration(cfg.Socket.PongWaitMs) * time.Millisecond,
			WriteWait:         time.Duration(cfg.Socket.WriteWaitMs) * time.Millisecond,
			OutgoingQueueSize: cfg.Socket.OutgoingQueueSize,
			SingleSocket:      cfg.Session.SingleSocket,
		},
	})
	defer sockets.Close()

	addr := net.JoinHostPort(cfg.Socket.Address, strconv.Itoa(cfg.Socket.Port))
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", addr, err)
	}
	srv := &http.Server{
		Handler:           frontDoors(edge, sockets),
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

// frontDoors sends GET /ws to the realtime socket and everything else to REST.
func frontDoors(rest, sockets http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/ws" {
			sockets.ServeHTTP(w, r)
			return
		}
		rest.ServeHTTP(w, r)
	})
}
