package presence_test

import (
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/heroiclabs/nakama-common/rtapi"
	"github.com/heroiclabs/nakama-common/runtime"

	"github.com/hearth-server/hearth/core/presence"
)

// inbox is a session registry that records deliveries.
type inbox struct {
	mu  sync.Mutex
	got map[uuid.UUID][]*rtapi.Envelope
}

func (b *inbox) Session(uuid.UUID, uuid.UUID) (presence.Format, bool) {
	return presence.FormatJSON, true
}
func (b *inbox) Disconnect(uuid.UUID, runtime.PresenceReason) bool { return true }
func (b *inbox) Deliver(to []presence.Recipient, env *rtapi.Envelope) {
	b.mu.Lock()
	defer b.mu.Unlock()
	for _, r := range to {
		b.got[r.SessionID] = append(b.got[r.SessionID], env)
	}
}

func (b *inbox) take(sid uuid.UUID) []*rtapi.Envelope {
	b.mu.Lock()
	defer b.mu.Unlock()
	out := b.got[sid]
	delete(b.got, sid)
	return out
}

func newTracker(t *testing.T) (*presence.Tracker, *inbox) {
	tr := presence.New(nil)
	t.Cleanup(tr.Close)
	b := &inbox{got: map[uuid.UUID][]*rtapi.Envelope{}}
	tr.Attach(b)
	return tr, b
}

func joins(envs []*rtapi.Envelope) (j, l int) {
	for _, e := range envs {
		ev := e.GetChannelPresenceEvent()
		j += len(ev.GetJoins())
		l += len(ev.GetLeaves())
	}
	return j, l
}

func TestTrackerChannelPresenceRules(t *testing.T) {
	tr, box := newTracker(t)
	room := presence.Stream{Mode: presence.ModeChannel, Label: "lobby"}
	a, a2, hidden := uuid.New(), uuid.New(), uuid.New()
	ua, uh := uuid.New(), uuid.New()

	tr.Track(a, ua, presence.FormatJSON, room, presence.Meta{Username: "a"})
	tr.Flush()
	got := box.take(a)
	if len(got) != 1 || got[0].GetChannelPresenceEvent().ChannelId != "2...lobby" || got[0].GetChannelPresenceEvent().RoomName != "lobby" {
		t.Fatalf("self join %v", got)
	}
	tr.Track(hidden, uh, presence.FormatJSON, room, presence.Meta{Username: "h", Hidden: true})
	tr.Flush()
	if got := box.take(a); len(got) != 0 {
		t.Fatalf("hidden join announced: %v", got)
	}
	if got := box.take(hidden); len(got) != 0 {
		t.Fatalf("hidden joiner got events: %v", got)
	}
	tr.Track(a2, ua, presence.FormatJSON, room, presence.Meta{Username: "a"})
	tr.Flush()
	if j, _ := joins(box.take(a)); j != 1 {
		t.Fatalf("second device join seen %d times", j)
	}
	if j, _ := joins(box.take(hidden)); j != 1 {
		t.Fatal("hidden member does not receive joins")
	}
	box.take(a2)
	if n := len(tr.List(room, false, true)); n != 2 {
		t.Fatalf("visible %d", n)
	}
	tr.UntrackAll(hidden, runtime.PresenceReasonDisconnect)
	tr.Flush()
	if got := box.take(a); len(got) != 0 {
		t.Fatalf("hidden leave announced: %v", got)
	}
	tr.Untrack(a2, room, runtime.PresenceReasonLeave)
	tr.Flush()
	if _, l := joins(box.take(a)); l != 1 {
		t.Fatal("leave not announced")
	}
	if got := box.take(a2); len(got) != 0 {
		t.Fatalf("leaver told of its own leave: %v", got)
	}
}

// TestTrackerCoalescesBurst: many joins at once reach each member as far fewer events
// than joins, each listing many joins, and no join is lost.
func TestTrackerCoalescesBurst(t *testing.T) {
	tr, box := newTracker(t)
	room := presence.Stream{Mode: presence.ModeChannel, Label: "burst"}
	first := uuid.New()
	tr.Track(first, uuid.New(), presence.FormatJSON, room, presence.Meta{})
	var wg sync.WaitGroup
	for range 200 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			tr.Track(uuid.New(), uuid.New(), presence.FormatJSON, room, presence.Meta{})
		}()
	}
	wg.Wait()
	tr.Flush()
	got := box.take(first)
	if j, _ := joins(got); j != 201 {
		t.Fatalf("first member saw %d joins, want 201", j)
	}
	if len(got) > 64 {
		t.Fatalf("%d events for 201 joins", len(got))
	}
}

func TestTrackerStatusGoesToFollowers(t *testing.T) {
	tr, box := newTracker(t)
	user, follower, other := uuid.New(), uuid.New(), uuid.New()
	sess := uuid.New()
	tr.Follow(follower, presence.FormatJSON, []uuid.UUID{user})
	tr.Track(sess, user, presence.FormatJSON, presence.Stream{Mode: presence.ModeStatus, Subject: user}, presence.Meta{Username: "u"})
	tr.Flush()
	got := box.take(follower)
	if len(got) != 1 || got[0].GetStatusPresenceEvent().Joins[0].Status == nil {
		t.Fatalf("follower %v", got)
	}
	if len(box.take(other)) != 0 || len(box.take(sess)) != 0 {
		t.Fatal("non-followers told")
	}
	if !tr.UserOnline(user) || tr.UserOnline(other) {
		t.Fatal("online wrong")
	}
	tr.UntrackAll(follower, runtime.PresenceReasonDisconnect) // drops its follows too
	tr.Update(sess, user, presence.FormatJSON, presence.Stream{Mode: presence.ModeStatus, Subject: user}, presence.Meta{Username: "u", Status: "x"})
	tr.Flush()
	if len(box.take(follower)) != 0 {
		t.Fatal("follows survived disconnect")
	}
}

// closingRegistry is a registry whose session starts closing the moment the tracker
// looks it up, as a socket can at any time: it leaves the registry, then the server
// untracks all its presences.
type closingRegistry struct {
	inbox
	tr      *presence.Tracker
	mu      sync.Mutex
	live    map[uuid.UUID]bool
	closing chan struct{}
}

func (r *closingRegistry) Session(sid, _ uuid.UUID) (presence.Format, bool) {
	r.mu.Lock()
	live := r.live[sid]
	delete(r.live, sid)
	r.mu.Unlock()
	if !live {
		return 0, false
	}
	r.closing = make(chan struct{})
	go func() {
		defer close(r.closing)
		r.tr.UntrackAll(sid, runtime.PresenceReasonDisconnect)
	}()
	// Give the close every chance to finish before the caller tracks: it can only when
	// the lookup is made without the tracker's lock.
	select {
	case <-r.closing:
	case <-time.After(50 * time.Millisecond):
	}
	return presence.FormatJSON, true
}

// TestStreamUserJoinWhileSessionCloses: a session that closes while a module joins it
// to a stream must not keep a presence. The lookup and the tracking happen under one
// lock, so the close's UntrackAll runs after the join and removes what it added.
func TestStreamUserJoinWhileSessionCloses(t *testing.T) {
	for _, update := range []bool{false, true} {
		tr := presence.New(nil)
		t.Cleanup(tr.Close)
		sid, uid := uuid.New(), uuid.New()
		r := &closingRegistry{inbox: inbox{got: map[uuid.UUID][]*rtapi.Envelope{}}, tr: tr, live: map[uuid.UUID]bool{sid: true}}
		tr.Attach(r)
		var err error
		if update {
			err = tr.StreamUserUpdate(9, "", "", "game", uid.String(), sid.String(), false, false, "")
		} else {
			_, err = tr.StreamUserJoin(9, "", "", "game", uid.String(), sid.String(), false, false, "")
		}
		if err != nil {
			t.Fatal(err)
		}
		<-r.closing
		if streams := tr.SessionStreams(sid); len(streams) != 0 {
			t.Fatalf("update=%v: closed session still on %v", update, streams)
		}
		if _, err := tr.StreamUserJoin(9, "", "", "game", uid.String(), sid.String(), false, false, ""); err != presence.ErrSessionNotFound {
			t.Fatalf("join after close: %v", err)
		}
	}
}
