// Package nk is the runtime front door: it loads Go modules written against nakama-common's
// runtime API (as plugins or linked in), gives them runtime.NakamaModule (Module, whose
// methods call core, split by area like the rest of the server) and runtime.Initializer,
// and runs what they register — RPCs, REST and realtime before/after hooks, events — for
// the REST and realtime front doors through the hooks package's interfaces.
package nk

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"strings"

	"github.com/heroiclabs/nakama-common/api"
	"github.com/heroiclabs/nakama-common/rtapi"
	"github.com/heroiclabs/nakama-common/runtime"

	"github.com/hearth-server/hearth/core"
	"github.com/hearth-server/hearth/core/presence"
	"github.com/hearth-server/hearth/hooks"
)

// InitModule is the entry point every module exports, plugin or linked in.
type InitModule func(ctx context.Context, logger runtime.Logger, db *sql.DB, nk runtime.NakamaModule, initializer runtime.Initializer) error

// Options configure the runtime.
type Options struct {
	Core *core.Core
	// DB is the *sql.DB modules receive: the server's own database.
	DB  *sql.DB
	Log *slog.Logger
	// Node is the node name (runtime.RUNTIME_CTX_NODE).
	Node string
	// Env holds runtime.env settings, passed to modules in RUNTIME_CTX_ENV and GetConfig.
	Env map[string]string
	// Path is the runtime directory: plugins (*.so) load from it and nk.ReadFile reads
	// relative to it.
	Path string
	// Modules are linked-in InitModule functions, run before any plugin.
	Modules []InitModule
	// Metrics receives nk.Metrics* calls; nil discards them.
	Metrics Metrics
	// EventQueueSize bounds events waiting for handlers; further events are dropped.
	EventQueueSize int
	// Config is what modules read through Initializer.GetConfig.
	Config *ConfigValues
	// Tracker is the node's presence tracker, behind the stream, status and session
	// disconnect functions; nil gives modules an empty tracker of their own (no sockets).
	Tracker *presence.Tracker
}

// Metrics is where nk.MetricsCounterAdd/GaugeSet/TimerRecord go, and what counts the
// realtime sessions the socket reports through SessionStart/SessionEnd.
type Metrics interface {
	CounterAdd(name string, tags map[string]string, delta int64)
	GaugeSet(name string, tags map[string]string, value float64)
	TimerRecord(name string, tags map[string]string, seconds float64)
	SessionOpened()
	SessionClosed()
}

// Runtime holds what modules registered. It is filled while modules initialise and only
// read afterwards, so serving needs no locks.
type Runtime struct {
	nk     *Module
	db     *sql.DB
	log    *slog.Logger
	rtlog  *logger
	node   string
	env    map[string]string
	config *ConfigValues

	rpc      map[string]rpcFunc
	beforeRt map[string]beforeRtFunc
	afterRt  map[string]afterRtFunc
	before   map[string]*beforeHook // REST, by lowercase operation name
	after    map[string]*afterHook

	events        []eventFunc
	sessionStart  []eventFunc
	sessionEnd    []eventFunc
	eventQueue    *eventQueue
	shutdown      []func(ctx context.Context, logger runtime.Logger, db *sql.DB, nk runtime.NakamaModule)
	later         laterHooks
	indexFilters  map[string]indexFilterFunc
	moduleNames   []string
	pluginsLoaded int
}

type (
	rpcFunc      func(ctx context.Context, logger runtime.Logger, db *sql.DB, nk runtime.NakamaModule, payload string) (string, error)
	beforeRtFunc func(ctx context.Context, logger runtime.Logger, db *sql.DB, nk runtime.NakamaModule, in *rtapi.Envelope) (*rtapi.Envelope, error)
	afterRtFunc  func(ctx context.Context, logger runtime.Logger, db *sql.DB, nk runtime.NakamaModule, out, in *rtapi.Envelope) error
	eventFunc    func(ctx context.Context, logger runtime.Logger, evt *api.Event)
	// indexFilterFunc is a RegisterStorageIndexFilter function.
	indexFilterFunc func(ctx context.Context, logger runtime.Logger, db *sql.DB, nk runtime.NakamaModule, write *runtime.StorageWrite) bool
)

var (
	_ hooks.Realtime = (*Runtime)(nil)
	_ hooks.REST     = (*Runtime)(nil)
)

// New loads the linked-in modules, then every plugin in o.Path, and returns the runtime
// they registered into. A module whose InitModule fails stops the server, as in Nakama.
func New(ctx context.Context, o Options) (*Runtime, error) {
	if o.Log == nil {
		o.Log = slog.Default()
	}
	if o.EventQueueSize <= 0 {
		o.EventQueueSize = 65536
	}
	r := &Runtime{
		db:       o.DB,
		log:      o.Log,
		rtlog:    newLogger(o.Log.With(slog.String("runtime", "go"))),
		node:     o.Node,
		env:      o.Env,
		config:   o.Config,
		rpc:      map[string]rpcFunc{},
		beforeRt: map[string]beforeRtFunc{},
		afterRt:  map[string]afterRtFunc{},
		before:   map[string]*beforeHook{},
		after:    map[string]*afterHook{},
	}
	if r.env == nil {
		r.env = map[string]string{}
	}
	if o.Tracker == nil {
		o.Tracker = presence.New(o.Log)
	}
	r.nk = &Module{core: o.Core, runtime: r, path: o.Path, metrics: o.Metrics, streams: o.Tracker}
	r.eventQueue = newEventQueue(o.EventQueueSize, r.log, r.deliverEvent)

	for i, fn := range o.Modules {
		if err := r.initModule(ctx, fmt.Sprintf("linked module %d", i+1), fn); err != nil {
			return nil, err
		}
	}
	plugins, err := pluginPaths(o.Path)
	if err != nil {
		return nil, err
	}
	for _, p := range plugins {
		fn, err := openPlugin(p)
		if err != nil {
			return nil, err
		}
		if err := r.initModule(ctx, p, fn); err != nil {
			return nil, err
		}
		r.pluginsLoaded++
	}
	if err := r.loadStorageIndexes(ctx); err != nil {
		return nil, err
	}
	if len(r.moduleNames) > 0 {
		o.Log.Info("runtime modules loaded", slog.Any("modules", r.moduleNames), slog.Int("rpcs", len(r.rpc)))
	}
	return r, nil
}

func (r *Runtime) initModule(ctx context.Context, name string, fn InitModule) error {
	init := &initializer{r: r}
	ctx = r.moduleContext(ctx, modeRunOnce, nil)
	if err := fn(ctx, r.rtlog, r.db, r.nk, init); err != nil {
		return fmt.Errorf("runtime module %s: InitModule: %w", name, err)
	}
	r.moduleNames = append(r.moduleNames, name)
	return nil
}

// loadStorageIndexes gives core the modules' storage index filters, then fills the
// indexes the modules defined from the database.
func (r *Runtime) loadStorageIndexes(ctx context.Context) error {
	if r.nk.core == nil { // a runtime without a server (some tests) has no storage
		return nil
	}
	for name, fn := range r.indexFilters {
		if fn == nil {
			continue
		}
		r.nk.core.StorageIndexFilterSet(name, func(ctx context.Context, o core.StorageObject) (keep bool) {
			write := &runtime.StorageWrite{
				Collection: o.Collection, Key: o.Key, UserID: o.UserID.String(), Value: o.Value, Version: o.Version,
				PermissionRead: int(o.PermissionRead), PermissionWrite: int(o.PermissionWrite),
			}
			ctx = r.moduleContext(ctx, modeStorageIndexFilter, nil)
			// A filter that panics keeps nothing out of the index it was not asked about.
			if r.safely("storage index filter "+name, func() { keep = fn(ctx, r.rtlog, r.db, r.nk, write) }) {
				return false
			}
			return keep
		})
	}
	if err := r.nk.core.StorageIndexLoad(ctx); err != nil {
		return fmt.Errorf("runtime: %w", err)
	}
	return nil
}

// Module returns the runtime.NakamaModule the runtime gives to modules.
func (r *Runtime) Module() *Module { return r.nk }

// Start begins delivering events to handlers; Stop ends it.
func (r *Runtime) Start() { r.eventQueue.start() }

// Stop runs the registered shutdown functions, then drains and stops event delivery.
func (r *Runtime) Stop(ctx context.Context) {
	for _, fn := range r.shutdown {
		r.safely("shutdown", func() { fn(r.moduleContext(ctx, modeShutdown, nil), r.rtlog, r.db, r.nk) })
	}
	r.eventQueue.stop(ctx)
}

// safely runs fn, turning a module's panic into a logged error so one bad module call
// cannot take the server down.
func (r *Runtime) safely(what string, fn func()) (panicked bool) {
	defer func() {
		if v := recover(); v != nil {
			r.log.Error("runtime module panicked", slog.String("in", what), slog.Any("panic", v))
			panicked = true
		}
	}()
	fn()
	return false
}

// RPC runs the function registered under id (case-insensitive, as in Nakama).
func (r *Runtime) RPC(ctx context.Context, req hooks.Request, id, payload string) (out string, err error) {
	fn := r.rpc[strings.ToLower(id)]
	if fn == nil {
		return "", hooks.ErrRPCNotFound
	}
	ctx = r.moduleContext(ctx, modeRPC, &req)
	if r.safely("rpc "+id, func() { out, err = fn(ctx, r.rtlog.WithField("rpc_id", id), r.db, r.nk, payload) }) {
		return "", core.Errorf(core.CodeInternal, "Internal server error.")
	}
	if err != nil {
		return "", moduleError(err)
	}
	return out, nil
}

// HasRPC reports whether a function is registered under id.
func (r *Runtime) HasRPC(id string) bool { return r.rpc[strings.ToLower(id)] != nil }

// moduleError turns what a module function returned into the error a client sees, as
// Nakama does: a runtime.Error keeps its message and its code when the code is a valid
// gRPC code (1-16), else code 13; any other error is code 13 with the error's text.
func moduleError(err error) *core.Error {
	var re *runtime.Error
	if errors.As(err, &re) {
		code := core.Code(re.Code)
		if re.Code <= 0 || re.Code >= 17 {
			code = core.CodeInternal
		}
		return &core.Error{Code: code, Message: re.Message}
	}
	var ce *core.Error
	if errors.As(err, &ce) {
		return ce
	}
	return &core.Error{Code: core.CodeInternal, Message: err.Error()}
}
