package core

import (
	"encoding/binary"
	"fmt"
	"math"
	"time"
	"unsafe"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgtype"
)

// The hot lists (friends, groups by name, users by id) read their rows here instead of
// through the generated Scan. Scanning a page of 100 friends through pgx's reflection cost a
// plan lookup per column per row and an allocation per nullable text, about a third of
// the page's server CPU with the garbage collection it caused. rowReader decodes the
// raw column values in PostgreSQL's wire formats and keeps every text of the page in a
// few shared chunks. It runs the generated query text (gen/db exports it), so the SQL
// still lives in queries/ and is checked by sqlc; the tests hold each reader equal to
// the generated method.

// rowReader walks the rows of one query, one column at a time in SELECT order. Every
// column is checked against the type the reader expects; a mismatch (the query changed
// without its reader) fails the read instead of misreading it.
type rowReader struct {
	rows pgx.Rows
	cols []pgconn.FieldDescription
	vals [][]byte
	col  int
	text textArena
	err  error
}

func newRowReader(rows pgx.Rows) *rowReader {
	return &rowReader{rows: rows, cols: rows.FieldDescriptions()}
}

// next moves to the next row; false at the end or after an error (see close).
func (r *rowReader) next() bool {
	if r.err != nil || !r.rows.Next() {
		return false
	}
	r.vals, r.col = r.rows.RawValues(), 0
	if len(r.vals) != len(r.cols) {
		r.err = fmt.Errorf("row has %d values for %d columns", len(r.vals), len(r.cols))
		return false
	}
	return true
}

// close releases the rows and returns the first error of the query or the decoding.
func (r *rowReader) close() error {
	r.rows.Close()
	if r.err != nil {
		return r.err
	}
	return r.rows.Err()
}

// value returns the next column's raw value (nil for NULL) after checking its type.
// Text arrives in either format (the bytes are the same); other types in binary, as
// pgx asks for them.
func (r *rowReader) value(oid uint32) []byte {
	if r.err != nil || r.col >= len(r.cols) {
		if r.err == nil {
			r.err = fmt.Errorf("read past the last of %d columns", len(r.cols))
		}
		return nil
	}
	c, v := r.cols[r.col], r.vals[r.col]
	r.col++
	if oid == pgtype.TextOID && c.DataTypeOID == pgtype.VarcharOID {
		return v // varchar is text on the wire
	}
	if c.DataTypeOID != oid || (c.Format != pgx.BinaryFormatCode && oid != pgtype.TextOID) {
		r.err = fmt.Errorf("column %q is type %d format %d, read as type %d", c.Name, c.DataTypeOID, c.Format, oid)
		return nil
	}
	return v
}

// fixed returns the next column's binary value of size n; NULL reads as zero.
func (r *rowReader) fixed(oid uint32, n int) []byte {
	v := r.value(oid)
	if v != nil && len(v) != n && r.err == nil {
		r.err = fmt.Errorf("column %q has %d bytes, want %d", r.cols[r.col-1].Name, len(v), n)
	}
	if r.err != nil || v == nil {
		return nil
	}
	return v
}

func (r *rowReader) uuid() (id uuid.UUID) {
	copy(id[:], r.fixed(pgtype.UUIDOID, 16))
	return id
}

// string reads text or varchar; NULL reads as "", as core's types hold absent text.
func (r *rowReader) string() string { return r.text.string(r.value(pgtype.TextOID)) }

func (r *rowReader) int16() int16 {
	if v := r.fixed(pgtype.Int2OID, 2); v != nil {
		return int16(binary.BigEndian.Uint16(v))
	}
	return 0
}

func (r *rowReader) int32() int32 {
	if v := r.fixed(pgtype.Int4OID, 4); v != nil {
		return int32(binary.BigEndian.Uint32(v))
	}
	return 0
}

func (r *rowReader) int64() int64 {
	if v := r.fixed(pgtype.Int8OID, 8); v != nil {
		return int64(binary.BigEndian.Uint64(v))
	}
	return 0
}

// postgresEpoch is 2000-01-01 UTC in Unix seconds: binary timestamps count microseconds
// from it.
const postgresEpoch = 946684800

// time reads a timestamptz as pgx does (local time zone); NULL reads as the zero time.
func (r *rowReader) time() time.Time {
	v := r.fixed(pgtype.TimestamptzOID, 8)
	if v == nil {
		return time.Time{}
	}
	us := int64(binary.BigEndian.Uint64(v))
	if us == math.MaxInt64 || us == math.MinInt64 {
		r.err = fmt.Errorf("column %q is an infinite timestamp", r.cols[r.col-1].Name)
		return time.Time{}
	}
	return time.Unix(postgresEpoch+us/1_000_000, (us%1_000_000)*1000)
}

// textArena holds the text of one page in a few chunks. A chunk is only appended to,
// never rewritten or grown in place (a full one is left and a new one started), so a
// string pointing into it stays immutable, as Go requires.
type textArena struct{ chunk []byte }

const textChunk = 8 << 10

func (a *textArena) string(b []byte) string {
	if len(b) == 0 {
		return ""
	}
	if cap(a.chunk)-len(a.chunk) < len(b) {
		a.chunk = make([]byte, 0, max(textChunk, len(b)))
	}
	start := len(a.chunk)
	a.chunk = append(a.chunk, b...)
	return unsafe.String(&a.chunk[start], len(b))
}

// profile reads the columns of the user_profile view, in its order, into a User;
// Online is the caller's to fill.
func (r *rowReader) profile() User {
	return User{
		ID: r.uuid(), Username: r.string(), DisplayName: r.string(), AvatarURL: r.string(),
		LangTag: r.string(), Location: r.string(), Timezone: r.string(), Metadata: r.string(),
		FacebookID: r.string(), GoogleID: r.string(), GamecenterID: r.string(), SteamID: r.string(),
		AppleID: r.string(), FacebookInstantGameID: r.string(),
		EdgeCount: r.int32(), CreateTime: r.time(), UpdateTime: r.time(),
	}
}

// group reads the columns of a groups row as the group queries select them.
func (r *rowReader) group() Group {
	return Group{
		ID: r.uuid(), CreatorID: r.uuid(), Name: r.string(), Description: r.string(),
		AvatarURL: r.string(), LangTag: r.string(), Metadata: r.string(), Open: r.int16() == groupStateOpen,
		EdgeCount: r.int32(), MaxCount: r.int32(), CreateTime: r.time(), UpdateTime: r.time(),
	}
}
