package server

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5/stdlib"

	"github.com/hearth-server/hearth/config"
	"github.com/hearth-server/hearth/core"
	"github.com/hearth-server/hearth/core/presence"
	"github.com/hearth-server/hearth/handlers"
	"github.com/hearth-server/hearth/internal/rawio"
	"github.com/hearth-server/hearth/metrics"
	"github.com/hearth-server/hearth/nk"
	"github.com/hearth-server/hearth/queries"
	"github.com/hearth-server/hearth/realtime"
	"github.com/hearth-server/hearth/social"
	"github.com/hearth-server/hearth/spec"
)

// shutdownGrace is how long in-flight requests get to finish after SIGINT/SIGTERM.
const shutdownGrace = 15 * time.Second

// serve runs the server until ctx is cancelled, then shuts down in order: stop accepting,
// finish in-flight requests, close the pool, stop the private cluster.
func serve(ctx context.Context, cfg config.Config, log *slog.Logger, modules []nk.InitModule) error {
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
	// Core's schedule checker starts before the runtime loads; its hooks reach the
	// runtime once it is attached below.
	boardHooks := &nk.ScheduleHooks{}
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
		Social:             socialClient,
		MaxFriends:         cfg.Friends.MaxCount,
		NotificationPush:   realtime.NotificationPusher(tracker),
		ChannelMessagePush: realtime.ChannelMessagePusher(tracker),
		Online:             tracker.UserOnline,
		LeaderboardReset:   boardHooks.LeaderboardReset,
		TournamentEnd:      boardHooks.TournamentEnd,
		TournamentReset:    boardHooks.TournamentReset,
	})
	runCtx, stopCore := context.WithCancel(context.Background())
	defer stopCore() // before the pool closes (deferred earlier): the listener holds a connection
	if err := c.Start(runCtx); err != nil {
		return fmt.Errorf("start core: %w", err)
	}
	if err := declareBoards(ctx, c, cfg.Leaderboard.DeclareFile); err != nil {
		return err
	}
	m := metrics.New(d.pool, log)
	stopMetrics, err := serveMetrics(cfg, m, log)
	if err != nil {
		return err
	}
	defer stopMetrics()
	rt, err := startRuntime(runCtx, cfg, log, c, d, m, tracker, modules)
	if err != nil {
		return err
	}
	boardHooks.Attach(rt)
	defer func() {
		stopCtx, cancel := context.WithTimeout(context.Background(), shutdownGrace)
		defer cancel()
		boardHooks.Attach(nil) // the schedule checker runs until stopCore
		rt.Stop(stopCtx)       // before the pool closes: shutdown functions may use the database
	}()
	edge, err := handlers.New(handlers.Options{
		Core:                c,
		Log:                 log,
		Spec:                doc,
		ServerKey:           cfg.Socket.ServerKey,
		HTTPKey:             cfg.Runtime.HTTPKey,
		MaxRequestSizeBytes: cfg.Socket.MaxRequestSizeBytes,
		Runtime:             rt,
		Metrics:             m,
	})
	if err != nil {
		return err
	}

	sockets := realtime.New(realtime.Options{
		Core:    c,
		Tracker: tracker,
		Runtime: rt,
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
	ln = rawio.Listen(ln) // requests and sockets read and write without waking sysmon
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

// startRuntime loads the linked-in modules and the plugins under the runtime path. Modules
// get a *sql.DB over the server's own pool.
func startRuntime(ctx context.Context, cfg config.Config, log *slog.Logger, c *core.Core, d *database, m *metrics.Metrics, tracker *presence.Tracker, modules []nk.InitModule) (*nk.Runtime, error) {
	rt, err := nk.New(ctx, nk.Options{
		Core:    c,
		DB:      stdlib.OpenDBFromPool(d.pool),
		Log:     log,
		Node:    cfg.Name,
		Env:     cfg.RuntimeEnv(),
		Path:    cfg.RuntimePath(),
		Modules: modules,
		Metrics: m,
		Tracker: tracker,
		Config: &nk.ConfigValues{
			Name:                  cfg.Name,
			ShutdownGraceSec:      int(shutdownGrace / time.Second),
			LogLevel:              cfg.Logger.Level,
			EncryptionKey:         cfg.Session.EncryptionKey,
			TokenExpirySec:        cfg.Session.TokenExpirySec,
			RefreshEncryptionKey:  cfg.Session.RefreshEncryptionKey,
			RefreshTokenExpirySec: cfg.Session.RefreshTokenExpirySec,
			SingleSession:         cfg.Session.SingleSession,
			ServerKey:             cfg.Socket.ServerKey,
			Port:                  cfg.Socket.Port,
			Address:               cfg.Socket.Address,
			Env:                   cfg.Runtime.Env,
			HTTPKey:               cfg.Runtime.HTTPKey,
		},
	})
	if err != nil {
		return nil, err
	}
	rt.Start()
	return rt, nil
}

// serveMetrics serves Prometheus metrics on metrics.prometheus_port, a listener of its
// own as in Nakama, so scrapes never share the API's port or limits. Port 0 disables it.
func serveMetrics(cfg config.Config, m *metrics.Metrics, log *slog.Logger) (stop func(), err error) {
	if cfg.Metrics.PrometheusPort == 0 {
		return func() {}, nil
	}
	addr := net.JoinHostPort(cfg.Socket.Address, strconv.Itoa(cfg.Metrics.PrometheusPort))
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("metrics listen on %s: %w", addr, err)
	}
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", m.Handler())
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	go func() {
		if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			log.Error("metrics server stopped", slog.Any("error", err))
		}
	}()
	log.Info("metrics at /metrics", slog.String("address", ln.Addr().String()))
	return func() { _ = srv.Close() }, nil
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
