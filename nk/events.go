package nk

import (
	"context"
	"log/slog"
	"sync"
	"sync/atomic"

	"github.com/heroiclabs/nakama-common/api"

	"github.com/hearth-server/hearth/hooks"
)

// queuedEvent is one event waiting for its handlers.
type queuedEvent struct {
	req      hooks.Request
	evt      *api.Event
	handlers []eventFunc
}

// eventQueue delivers events to handlers on one goroutine, off the request path. It is
// bounded: when handlers fall behind, new events are dropped and counted, never queued
// without limit and never allowed to block a request.
type eventQueue struct {
	ch      chan queuedEvent
	deliver func(queuedEvent)
	log     *slog.Logger
	dropped atomic.Int64
	once    sync.Once
	done    chan struct{}
	closed  atomic.Bool
	mu      sync.RWMutex // held for reading while pushing, for writing while closing
}

func newEventQueue(size int, log *slog.Logger, deliver func(queuedEvent)) *eventQueue {
	return &eventQueue{ch: make(chan queuedEvent, size), deliver: deliver, log: log, done: make(chan struct{})}
}

func (q *eventQueue) start() {
	q.once.Do(func() {
		go func() {
			defer close(q.done)
			for e := range q.ch {
				q.deliver(e)
			}
		}()
	})
}

// push queues e, or drops it when the queue is full or stopped.
func (q *eventQueue) push(e queuedEvent) {
	q.mu.RLock()
	defer q.mu.RUnlock()
	if q.closed.Load() {
		return
	}
	select {
	case q.ch <- e:
	default:
		if n := q.dropped.Add(1); n == 1 || n%1000 == 0 {
			q.log.Warn("runtime event queue full; events dropped", slog.Int64("dropped", n))
		}
	}
}

// stop refuses new events and waits (until ctx ends) for queued ones to be delivered.
func (q *eventQueue) stop(ctx context.Context) {
	q.mu.Lock()
	if !q.closed.Swap(true) {
		close(q.ch)
	}
	q.mu.Unlock()
	q.start() // drain even if never started
	select {
	case <-q.done:
	case <-ctx.Done():
	}
}
