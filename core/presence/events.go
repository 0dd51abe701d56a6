package presence

import (
	"strconv"
	"sync"
	"time"

	"github.com/google/uuid"
	"github.com/heroiclabs/nakama-common/rtapi"
	"google.golang.org/protobuf/types/known/wrapperspb"
)

// event is a presence change on one stream, waiting to be announced.
type event struct {
	stream Stream
	joins  []Presence
	leaves []Presence
}

// burstWindow is how long a burst of presence changes gathers before the next event
// goes out. A lone change goes out at once.
const burstWindow = 2 * time.Millisecond

// eventQueue hands presence changes to one dispatching goroutine. Changes queued while
// it works are announced together, one envelope per stream: when 200 members join a
// room at once each member receives a few events listing many joins, not 200 events,
// so no member's outgoing queue overflows.
type eventQueue struct {
	mu      sync.Mutex
	pending []event
	wake    chan struct{}
	stop    chan struct{}
	idle    sync.Cond // signalled whenever pending is found empty
	busy    bool
	run     func([]event)
}

func (q *eventQueue) init(run func([]event)) {
	q.wake = make(chan struct{}, 1)
	q.stop = make(chan struct{})
	q.idle.L = &q.mu
	q.run = run
	go q.loop()
}

// push queues an event; callers hold the tracker's lock, so events queue in the order
// the changes happened.
func (q *eventQueue) push(e event) {
	q.mu.Lock()
	q.pending = append(q.pending, e)
	q.mu.Unlock()
	select {
	case q.wake <- struct{}{}:
	default:
	}
}

func (q *eventQueue) loop() {
	var last time.Time
	for {
		select {
		case <-q.wake:
		case <-q.stop:
			return
		}
		for {
			if wait := burstWindow - time.Since(last); wait > 0 {
				// A burst: changes keep coming right after the last event went out. Let
				// them gather, so members get a few large events, not many small ones.
				time.Sleep(wait)
			}
			q.mu.Lock()
			batch := q.pending
			q.pending = nil
			q.busy = len(batch) > 0
			if !q.busy {
				q.idle.Broadcast()
				q.mu.Unlock()
				break
			}
			q.mu.Unlock()
			q.run(batch)
			last = time.Now()
		}
	}
}

// Flush waits until every presence change made so far has been announced. Tests and
// benchmarks use it; the server never needs to.
func (t *Tracker) Flush() {
	q := &t.events
	q.mu.Lock()
	for q.busy || len(q.pending) > 0 {
		q.idle.Wait()
	}
	q.mu.Unlock()
}

// Close stops the tracker's event goroutine.
func (t *Tracker) Close() { close(t.events.stop) }

// dispatch announces a batch of changes: merged per stream, in order of first change,
// to the stream's members (or, for status, to the user's followers).
func (t *Tracker) dispatch(batch []event) {
	merged := make(map[Stream]*event, len(batch))
	order := make([]Stream, 0, len(batch))
	for i := range batch {
		e := &batch[i]
		m := merged[e.stream]
		if m == nil {
			merged[e.stream] = e
			order = append(order, e.stream)
			continue
		}
		m.joins = append(m.joins, e.joins...)
		m.leaves = append(m.leaves, e.leaves...)
	}

	type delivery struct {
		to  []Recipient
		env *rtapi.Envelope
	}
	deliveries := make([]delivery, 0, len(order))
	t.mu.RLock()
	for _, s := range order {
		e := merged[s]
		var env *rtapi.Envelope
		var to []Recipient
		if s.Mode == ModeStatus {
			env = statusEvent(e.joins, e.leaves)
			to = t.follows.recipients(s.Subject)
		} else {
			b := t.builders[s.Mode]
			if b == nil {
				b = streamEvent
			}
			env = b(s, e.joins, e.leaves)
			if env == nil {
				continue
			}
			members := t.streams[s]
			to = make([]Recipient, 0, len(members))
			for sid, m := range members {
				to = append(to, Recipient{SessionID: sid, Format: m.format})
			}
		}
		if len(to) > 0 && env != nil {
			deliveries = append(deliveries, delivery{to: to, env: env})
		}
	}
	out := t.out
	t.mu.RUnlock()
	for _, d := range deliveries {
		out.Deliver(d.to, d.env)
	}
}

// WireStream is a stream as clients see it.
func WireStream(s Stream) *rtapi.Stream {
	return &rtapi.Stream{Mode: int32(s.Mode), Subject: idString(s.Subject), Subcontext: idString(s.Subcontext), Label: s.Label}
}

// WireUserPresence is a presence as clients see it in stream events and lists.
func WireUserPresence(p Presence) *rtapi.UserPresence {
	up := &rtapi.UserPresence{UserId: p.UserID.String(), SessionId: p.SessionID.String(), Username: p.Meta.Username, Persistence: p.Meta.Persistence}
	if p.Meta.Status != "" {
		up.Status = wrapperspb.String(p.Meta.Status)
	}
	return up
}

// ChannelID is a chat stream's channel id, in Nakama's "mode.subject.subcontext.label"
// form (unused parts empty): room "2...name", group "3.<group>..", DM "4.<a>.<b>.".
func ChannelID(s Stream) string {
	return strconv.Itoa(int(s.Mode)) + "." + idString(s.Subject) + "." + idString(s.Subcontext) + "." + s.Label
}

func idString(id uuid.UUID) string {
	if id == uuid.Nil {
		return ""
	}
	return id.String()
}

func wirePresences(ps []Presence, conv func(Presence) *rtapi.UserPresence) []*rtapi.UserPresence {
	if len(ps) == 0 {
		return nil
	}
	out := make([]*rtapi.UserPresence, len(ps))
	for i, p := range ps {
		out[i] = conv(p)
	}
	return out
}

// streamEvent announces changes on streams with no dedicated event (runtime streams).
func streamEvent(s Stream, joins, leaves []Presence) *rtapi.Envelope {
	return &rtapi.Envelope{Message: &rtapi.Envelope_StreamPresenceEvent{StreamPresenceEvent: &rtapi.StreamPresenceEvent{
		Stream: WireStream(s),
		Joins:  wirePresences(joins, WireUserPresence),
		Leaves: wirePresences(leaves, WireUserPresence),
	}}}
}

// channelEvent announces chat channel joins and leaves.
func channelEvent(s Stream, joins, leaves []Presence) *rtapi.Envelope {
	ev := &rtapi.ChannelPresenceEvent{
		ChannelId: ChannelID(s),
		Joins:     wirePresences(joins, ChannelPresence),
		Leaves:    wirePresences(leaves, ChannelPresence),
	}
	switch s.Mode {
	case ModeChannel:
		ev.RoomName = s.Label
	case ModeGroup:
		ev.GroupId = idString(s.Subject)
	case ModeDM:
		ev.UserIdOne, ev.UserIdTwo = idString(s.Subject), idString(s.Subcontext)
	}
	return &rtapi.Envelope{Message: &rtapi.Envelope_ChannelPresenceEvent{ChannelPresenceEvent: ev}}
}

// ChannelPresence is a presence as chat channel members see it (channel replies and
// channel_presence_event).
func ChannelPresence(p Presence) *rtapi.UserPresence {
	return &rtapi.UserPresence{UserId: p.UserID.String(), SessionId: p.SessionID.String(), Username: p.Meta.Username, Persistence: p.Meta.Persistence}
}

// StatusPresence is a status presence as followers see it: the status is always set
// ("" is online with no status text).
func StatusPresence(p Presence) *rtapi.UserPresence {
	return &rtapi.UserPresence{UserId: p.UserID.String(), SessionId: p.SessionID.String(), Username: p.Meta.Username, Status: wrapperspb.String(p.Meta.Status)}
}

func statusEvent(joins, leaves []Presence) *rtapi.Envelope {
	return &rtapi.Envelope{Message: &rtapi.Envelope_StatusPresenceEvent{StatusPresenceEvent: &rtapi.StatusPresenceEvent{
		Joins:  wirePresences(joins, StatusPresence),
		Leaves: wirePresences(leaves, StatusPresence),
	}}}
}
