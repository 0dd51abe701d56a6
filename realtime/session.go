package realtime

import (
	"context"
	"errors"
	"log/slog"
	"net"
	"sync"
	"sync/atomic"
	"time"

	"github.com/google/uuid"
	"github.com/gorilla/websocket"
	"github.com/heroiclabs/nakama-common/rtapi"
	"github.com/heroiclabs/nakama-common/runtime"

	"github.com/hearth-server/hearth/core/presence"
	"github.com/hearth-server/hearth/hooks"
)

// Session is one live socket. One goroutine reads and dispatches its messages in order.
// Writes are made one at a time, never waiting on the network in the sender: a frame
// goes out directly when the socket is idle and takes it whole, else through a bounded
// queue and a writer goroutine; a session whose queue is full is disconnected as too
// slow.
type Session struct {
	id       uuid.UUID
	userID   uuid.UUID
	username string
	vars     map[string]string
	expiry   int64
	format   presence.Format
	lang     string
	clientIP string
	port     string

	srv    *Server
	out    net.Conn // the session reads and writes its own frames (frame.go, frame_read.go)
	ctx    context.Context
	cancel context.CancelFunc
	done   chan struct{}

	// fd writes a frame without waiting on the network and waits for something to read
	// without reading it (socket_unix.go); nil where the connection has no descriptor
	// to do that with.
	fd *fdIO

	// The outgoing queue: whole frames waiting for the writer, at most
	// Config.OutgoingQueueSize. One write is in progress at a time (writing), so frames
	// never interleave. A frame for an idle socket is written directly by its sender
	// when the kernel takes all of it: most deliveries cost one system call, with no
	// goroutine to start and no deadline to move (ws-chat-fanout-200: 15.6 → 12.0 µs
	// per delivery in the same noisy hour, 10.7 with socketIO's raw write; the system
	// call itself is about 7 of them).
	// Anything else waits here for the writer goroutine, which runs only while there
	// is something to write: an idle socket holds no writer stack.
	qmu     sync.Mutex
	queue   [][]byte
	closed  bool        // done is closed: nothing more is written (the fence for fd's writes)
	closing bool        // a close frame is queued: nothing may follow it
	writing bool        // the writer goroutine is in progress
	pinger  *time.Timer // fires every Config.PingPeriod

	closeOnce sync.Once
	reason    atomic.Value  // string: why the session ended, for SessionEnd
	presence  atomic.Uint32 // runtime.PresenceReason for the leave events
}

// ID is the session id clients see in presences.
func (s *Session) ID() uuid.UUID { return s.id }

// UserID is the session's user.
func (s *Session) UserID() uuid.UUID { return s.userID }

// Username is the username the session token carries.
func (s *Session) Username() string { return s.username }

// Format is the session's wire format.
func (s *Session) Format() presence.Format { return s.format }

// Lang is the language the client asked for at connect ("en" by default).
func (s *Session) Lang() string { return s.lang }

// Context ends when the session closes.
func (s *Session) Context() context.Context { return s.ctx }

// Request describes the session for runtime hooks.
func (s *Session) Request() hooks.Request {
	return hooks.Request{UserID: s.userID.String(), Username: s.username, Vars: s.vars, Expiry: s.expiry,
		SessionID: s.id.String(), ClientIP: s.clientIP, ClientPort: s.port, Lang: s.lang}
}

// Send queues an envelope for the client. It reports false when the session is closed
// or was just disconnected for being too slow.
func (s *Session) Send(env *rtapi.Envelope) bool {
	b, err := encodeFrame(s.format, env)
	if err != nil {
		s.srv.log.Error("encode envelope", slog.Any("error", err))
		return false
	}
	return s.enqueue(b, false)
}

// enqueue sends a whole frame; last marks the close frame, after which the socket is
// closed. It never waits on the network: a frame for an idle socket is written at once
// as far as the kernel takes it, the rest and anything else goes to the writer
// goroutine, and a full queue disconnects the session as too slow.
func (s *Session) enqueue(frame []byte, last bool) bool {
	s.qmu.Lock()
	if s.closed || s.closing {
		s.qmu.Unlock()
		return false
	}
	if !s.writing && !last && s.fd != nil { // idle: the queue is empty
		// Written under qmu, which close takes before closing the connection: a
		// direct write never reaches a descriptor number reused by another one.
		n := s.fd.write(frame)
		if n == len(frame) {
			s.qmu.Unlock()
			return true
		}
		s.queue = append(s.queue, frame[n:]) // the writer sends the rest and meets any error
		s.writing = true
		s.qmu.Unlock()
		go s.write()
		return true
	}
	if len(s.queue) >= s.srv.cfg.OutgoingQueueSize && !last {
		s.qmu.Unlock()
		s.srv.log.Info("socket outgoing queue full, disconnecting slow client", slog.String("sid", s.id.String()))
		s.close("outgoing queue full", runtime.PresenceReasonDisconnect)
		return false
	}
	s.queue = append(s.queue, frame)
	s.closing = last
	start := !s.writing
	s.writing = true
	s.qmu.Unlock()
	if start {
		go s.write()
	}
	return true
}

// startPinger arms the ping timer; the server calls it once the session is set up.
func (s *Session) startPinger() {
	s.qmu.Lock()
	s.pinger = time.AfterFunc(s.srv.cfg.PingPeriod, s.pingTick)
	s.qmu.Unlock()
}

// pingTick sends a ping and re-arms the timer.
func (s *Session) pingTick() {
	s.qmu.Lock()
	if s.closed {
		s.qmu.Unlock()
		return
	}
	s.pinger.Reset(s.srv.cfg.PingPeriod)
	s.qmu.Unlock()
	s.enqueue(pingFrame, false)
}

// normalCloseFrame ends a session the server closes.
var normalCloseFrame = newFrame(opClose, websocket.FormatCloseMessage(websocket.CloseNormalClosure, ""))

// Disconnect closes the session from the server side: final is written first (when
// the queue has room), then a close frame.
func (s *Session) Disconnect(final *rtapi.Envelope, reason runtime.PresenceReason) {
	s.reason.CompareAndSwap(nil, "server-side session disconnect")
	s.presence.Store(uint32(reason))
	if final != nil {
		if b, err := encodeFrame(s.format, final); err == nil {
			s.enqueue(b, false)
		}
	}
	s.enqueue(normalCloseFrame, true) // refused only when the session is closed or closing
}

// close ends the session at once. The reader notices the closed connection and cleans
// up (registry, presences, session end hook).
func (s *Session) close(reason string, presenceReason runtime.PresenceReason) {
	s.closeOnce.Do(func() {
		s.reason.CompareAndSwap(nil, reason)
		s.presence.CompareAndSwap(0, uint32(presenceReason))
		s.cancel()
		s.qmu.Lock()
		s.closed = true
		close(s.done)
		if s.pinger != nil {
			s.pinger.Stop()
		}
		s.qmu.Unlock()
		_ = s.out.Close()
	})
}

// write owns the connection's writes while there is something to write and returns
// when there is nothing left. Each batch goes out in one writev where it can.
func (s *Session) write() {
	for {
		s.qmu.Lock()
		batch, last := s.queue, s.closing
		s.queue = nil
		if len(batch) == 0 {
			s.writing = false
			s.qmu.Unlock()
			return
		}
		s.qmu.Unlock()
		select {
		case <-s.done:
			return
		default:
		}
		_ = s.out.SetWriteDeadline(time.Now().Add(s.srv.cfg.WriteWait))
		if err := writeBuffers(s.out, batch); err != nil {
			s.close("write failed", runtime.PresenceReasonDisconnect)
			return
		}
		if last {
			s.close("server-side session disconnect", runtime.PresenceReasonDisconnect)
			return
		}
		// A direct write is refused once a deadline has passed, so none is left behind.
		_ = s.out.SetWriteDeadline(time.Time{})
		if cap(batch) <= 8 {
			// Keep a small slice for the next frames (no allocation per message);
			// larger ones, left by bursts, go back to the garbage collector.
			clear(batch)
			s.qmu.Lock()
			if s.queue == nil {
				s.queue = batch[:0]
			}
			s.qmu.Unlock()
		}
	}
}

// dataOp is the frame type of the session's format: text for JSON, binary for protobuf.
func (s *Session) dataOp() byte {
	if s.format == presence.FormatProtobuf {
		return opBinary
	}
	return opText
}

// writeBuffers writes a batch of frames with one writev where it can.
func writeBuffers(c net.Conn, batch [][]byte) error {
	if bw, ok := c.(interface { // *rawio.Conn
		WriteBuffers([][]byte) (int64, error)
	}); ok {
		_, err := bw.WriteBuffers(batch)
		return err
	}
	bufs := net.Buffers(batch)
	_, err := bufs.WriteTo(c)
	return err
}

// readBuffers hold what a session has just read, only while it reads: an idle socket
// waits holding none (fdIO.wait).
var readBuffers = sync.Pool{New: func() any { return new([4096]byte) }}

// readLoop reads and dispatches messages in order until the connection ends. Its own
// frame is kept small: the goroutine waits here on every idle socket, and a waiting
// stack that fits in the initial 2 KiB is never grown (readSome is where the work is).
func (s *Session) readLoop() {
	fr := &frameReader{maxMessage: s.srv.cfg.MaxMessageSize, events: s}
	defer fr.release()
	_ = s.out.SetReadDeadline(time.Now().Add(s.srv.cfg.PongWait))
	for {
		if s.fd != nil {
			if err := s.fd.wait(); err != nil {
				s.close("client disconnected", runtime.PresenceReasonDisconnect)
				return
			}
		}
		if !s.readSome(fr) {
			return
		}
	}
}

// readSome reads what the client sent and handles it, until it is between frames with
// nothing left over; false when the session has ended.
func (s *Session) readSome(fr *frameReader) bool {
	buf := readBuffers.Get().(*[4096]byte)
	defer readBuffers.Put(buf)
	kept := 0 // the start of a frame header, carried to the next read
	for {
		n, err := s.out.Read(buf[kept:])
		if n > 0 {
			used, ferr := fr.feed(buf[:kept+n])
			if ferr != nil {
				s.endRead(ferr)
				return false
			}
			kept = copy(buf[:], buf[used:kept+n])
		}
		if err != nil {
			s.close("client disconnected", runtime.PresenceReasonDisconnect)
			return false
		}
		if kept == 0 && !fr.inFrame && s.fd != nil {
			return true // between frames: wait without the buffer
		}
	}
}

// endRead ends a session whose client closed it or broke the protocol, after giving
// the writer its time to send the close frame that answers.
func (s *Session) endRead(err error) {
	var pe protocolError
	if errors.As(err, &pe) {
		s.reason.CompareAndSwap(nil, "client protocol error")
		s.srv.log.Debug("socket protocol error", slog.String("sid", s.id.String()), slog.Any("error", err))
		reason := string(pe)
		if len(reason) > maxControlPayload-2 {
			reason = reason[:maxControlPayload-2]
		}
		s.enqueue(newFrame(opClose, websocket.FormatCloseMessage(websocket.CloseProtocolError, reason)), true)
	}
	select {
	case <-s.done:
	case <-time.After(s.srv.cfg.WriteWait):
	}
	s.close("client disconnected", runtime.PresenceReasonDisconnect)
}

// onMessage handles one whole message from the client.
func (s *Session) onMessage(op byte, data []byte, tooLarge bool) {
	select {
	case <-s.done:
		return // closed while handling an earlier message of the same read
	default:
	}
	switch {
	case tooLarge:
		s.Send(errorEnvelope(s.srv.log, "", errTooLarge)) // the socket stays usable
	case op != s.dataOp():
		s.Send(errorEnvelope(s.srv.log, salvageCid(s.format, data), errWrongFrameType))
	default:
		env, cid, err := decode(s.format, data)
		if err != nil {
			s.Send(errorEnvelope(s.srv.log, cid, errMalformed))
		} else {
			s.srv.dispatch(s, env)
		}
	}
}

// onPing answers a client's ping with its payload.
func (s *Session) onPing(data []byte) { s.enqueue(newFrame(opPong, data), false) }

// onPong keeps the socket open for another PongWait.
func (s *Session) onPong() { _ = s.out.SetReadDeadline(time.Now().Add(s.srv.cfg.PongWait)) }

// onClose echoes the client's close frame; the writer closes the socket after it.
func (s *Session) onClose(code int, hasCode bool) {
	s.reason.CompareAndSwap(nil, "client disconnected")
	var payload []byte
	if hasCode {
		payload = websocket.FormatCloseMessage(code, "")
	}
	s.enqueue(newFrame(opClose, payload), true)
}
