package core

import (
	"encoding/base64"
	"encoding/binary"
	"errors"

	"github.com/google/uuid"
)

// recordCursor is a position in a leaderboard period's rank order: the record at the
// position, and that record's rank (listing ranks count on from it, as Nakama's do).
// Next cursors continue after the position, previous cursors before it.
type recordCursor struct {
	next        bool
	leaderboard string
	expiry      int64
	score       int64
	subscore    int64
	owner       uuid.UUID
	rank        int64
}

var errBadCursor = errors.New("malformed cursor")

// recordCursorFixed is the size of the fixed part: flag, expiry, score, subscore, owner, rank.
const recordCursorFixed = 1 + 8 + 8 + 8 + 16 + 8

func (rc recordCursor) encode() string {
	b := make([]byte, recordCursorFixed, recordCursorFixed+len(rc.leaderboard))
	if rc.next {
		b[0] = 1
	}
	binary.BigEndian.PutUint64(b[1:], uint64(rc.expiry))
	binary.BigEndian.PutUint64(b[9:], uint64(rc.score))
	binary.BigEndian.PutUint64(b[17:], uint64(rc.subscore))
	copy(b[25:41], rc.owner[:])
	binary.BigEndian.PutUint64(b[41:], uint64(rc.rank))
	b = append(b, rc.leaderboard...)
	return base64.URLEncoding.EncodeToString(b)
}

func decodeRecordCursor(s string) (recordCursor, error) {
	b, err := base64.URLEncoding.DecodeString(s)
	if err != nil || len(b) < recordCursorFixed || b[0] > 1 {
		return recordCursor{}, errBadCursor
	}
	rc := recordCursor{
		next:        b[0] == 1,
		expiry:      int64(binary.BigEndian.Uint64(b[1:])),
		score:       int64(binary.BigEndian.Uint64(b[9:])),
		subscore:    int64(binary.BigEndian.Uint64(b[17:])),
		rank:        int64(binary.BigEndian.Uint64(b[41:])),
		leaderboard: string(b[recordCursorFixed:]),
	}
	copy(rc.owner[:], b[25:41])
	return rc, nil
}

func encodeBoardCursor(afterID string) string {
	return base64.URLEncoding.EncodeToString([]byte(afterID))
}

func decodeBoardCursor(s string) (string, error) {
	b, err := base64.URLEncoding.DecodeString(s)
	return string(b), err
}
