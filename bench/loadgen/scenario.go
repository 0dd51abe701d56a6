package main

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"sync"
	"sync/atomic"
)

// Scenario is one benchmarked operation. To add one, write a constructor below and list it
// in scenarios(); keep state the operations share inside the constructor's closure.
type Scenario struct {
	Name string
	Doc  string // one line: what one operation is
	Ref  Reference
	// Setup prepares what the operations need (accounts, tokens). It runs once, before the
	// runs, and must be bounded in count; nil means nothing to prepare.
	Setup func(ctx context.Context, env *Env) error
	// Op performs one operation. Workers call it concurrently, each with its own Worker.
	Op func(ctx context.Context, w *Worker) error
	// Clients, when set, replaces -c: the scenario's own concurrency (one publisher, one
	// socket per client).
	Clients int
	// Extra, when set, is a figure the scenario measures itself (memory per socket),
	// taken after each run and reported beside the others.
	Extra *ExtraFigure
}

// ExtraFigure is a scenario's own measurement.
type ExtraFigure struct {
	Name   string
	Unit   string
	Target float64 // at most this much; 0 = none
	// Take returns the run's figure (nil when it could not be measured) and resets it.
	Take func() *float64
}

// Reference holds comparison numbers for a scenario (0 = none).
type Reference struct {
	NakamaOpsPerSec  float64 // Nakama 3.40, same machine class, same load
	NakamaServerUsOp float64 // Nakama 3.40 server CPU µs per op
	TargetServerUsOp float64 // Hearth's goal: at most this much server CPU µs per op
}

// Env is what setup and operations share: the target and the run's parameters.
type Env struct {
	Target   *Target
	RunID    string // random, so device ids never collide with an earlier run's accounts
	Accounts int    // how many accounts setup prepares
	Workers  int    // how many requests setup may run at once
	// ServerPID is the measured server's process id (0 when unknown), for scenarios that
	// read its memory.
	ServerPID int
}

// Worker is one concurrent client. Its fields are used by one goroutine only.
type Worker struct {
	ID     int
	Rand   *rand.Rand
	Target *Target
}

// scenarios returns a fresh registry (fresh state) in the order they run by default.
func scenarios() []Scenario {
	return []Scenario{
		authDeviceExisting(),
		authDeviceCreate(),
		accountGet(),
		storageWrite(),
		storageRead(),
		storageList(),
		sessionRefresh(),
		usersGet10(),
		authEmailExisting(),
		friendsList(),
		notificationsList(),
		groupsListByName(),
		channelHistoryList(),
		rpcEcho(),
		wsIdleMemory(), // first of the socket scenarios: the least memory freed by others
		wsConnect(),
		wsPing(),
		wsRPCEcho(),
		wsFanout(),
		wsJoinBurst(),
		wsChatFanout(),
		wsChatJoinBurst(),
	}
}

func authDeviceExisting() Scenario {
	var ids []string
	return Scenario{
		Name: "auth-device-existing",
		Doc:  "POST /v2/account/authenticate/device?create=true for one of N existing devices (sign-in)",
		Ref:  Reference{NakamaOpsPerSec: 2030, NakamaServerUsOp: 503, TargetServerUsOp: 200},
		Setup: func(ctx context.Context, env *Env) error {
			ids = make([]string, env.Accounts)
			for i := range ids {
				ids[i] = fmt.Sprintf("bench-%s-e-%06d", env.RunID, i)
			}
			return parallel(ctx, len(ids), env.Workers, func(ctx context.Context, i int) error {
				_, err := env.Target.AuthDevice(ctx, ids[i], true)
				return err
			})
		},
		Op: func(ctx context.Context, w *Worker) error {
			res, err := w.Target.AuthDevice(ctx, ids[w.Rand.IntN(len(ids))], true)
			if err == nil && res.Created {
				return errors.New("authenticate/device: existing device answered created=true")
			}
			return err
		},
	}
}

func authDeviceCreate() Scenario {
	var runID string
	var seq atomic.Uint64
	return Scenario{
		Name: "auth-device-create",
		Doc:  "POST /v2/account/authenticate/device?create=true for a new device each time (sign-up)",
		Ref:  Reference{NakamaOpsPerSec: 1295, NakamaServerUsOp: 687, TargetServerUsOp: 300},
		Setup: func(_ context.Context, env *Env) error {
			runID = env.RunID
			return nil
		},
		Op: func(ctx context.Context, w *Worker) error {
			id := fmt.Sprintf("bench-%s-c-%09d", runID, seq.Add(1))
			res, err := w.Target.AuthDevice(ctx, id, true)
			if err == nil && !res.Created {
				return errors.New("authenticate/device: new device answered without created=true")
			}
			return err
		},
	}
}

func accountGet() Scenario {
	var tokens []string
	return Scenario{
		Name: "account-get",
		Doc:  "GET /v2/account with the session token of one of N accounts",
		Ref:  Reference{NakamaOpsPerSec: 2416, NakamaServerUsOp: 477, TargetServerUsOp: 150},
		Setup: func(ctx context.Context, env *Env) error {
			tokens = make([]string, env.Accounts)
			return parallel(ctx, len(tokens), env.Workers, func(ctx context.Context, i int) error {
				res, err := env.Target.AuthDevice(ctx, fmt.Sprintf("bench-%s-a-%06d", env.RunID, i), true)
				tokens[i] = res.Token
				return err
			})
		},
		Op: func(ctx context.Context, w *Worker) error {
			return w.Target.GetAccount(ctx, tokens[w.Rand.IntN(len(tokens))])
		},
	}
}

// parallel runs fn(0..n-1) on at most conc goroutines. It stops handing out work after the
// first failure and returns the first few errors joined.
func parallel(ctx context.Context, n, conc int, fn func(ctx context.Context, i int) error) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var (
		next   atomic.Int64
		mu     sync.Mutex
		errs   []error
		failed int
		wg     sync.WaitGroup
	)
	for range min(conc, n) {
		wg.Go(func() {
			for {
				i := int(next.Add(1) - 1)
				if i >= n || ctx.Err() != nil {
					return
				}
				if err := fn(ctx, i); err != nil {
					if ctx.Err() != nil {
						return // cancelled because another request failed, or interrupted
					}
					mu.Lock()
					failed++
					if len(errs) < 3 {
						errs = append(errs, err)
					}
					mu.Unlock()
					cancel()
					return
				}
			}
		})
	}
	wg.Wait()
	if failed > 0 {
		return fmt.Errorf("%d setup request(s) failed: %w", failed, errors.Join(errs...))
	}
	return ctx.Err()
}
