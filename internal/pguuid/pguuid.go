// Package pguuid teaches pgx to move github.com/google/uuid values in PostgreSQL's
// binary uuid format. Without it pgx falls back to uuid.UUID's driver.Valuer and
// sql.Scanner, which go through strings and reflection: on a lookup of ten users by id
// that fallback was a seventh of the server's CPU.
package pguuid

import (
	"errors"
	"fmt"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5/pgtype"
)

// Register makes m encode uuid.UUID parameters and scan uuid columns into *uuid.UUID
// directly, ahead of pgx's generic fallbacks. Call it from a pool's AfterConnect.
//
// Encoding wraps the value; scanning needs a codec of its own, because pgx prefers a
// target's sql.Scanner to any wrapping once the uuid codec declines the target, and
// uuid.UUID is a Scanner: every scanned id went through text and a parse.
func Register(m *pgtype.Map) {
	m.TryWrapEncodePlanFuncs = append([]pgtype.TryWrapEncodePlanFunc{tryWrapEncode}, m.TryWrapEncodePlanFuncs...)
	element := &pgtype.Type{Name: "uuid", OID: pgtype.UUIDOID, Codec: codec{}}
	m.RegisterType(element)
	m.RegisterType(&pgtype.Type{Name: "_uuid", OID: pgtype.UUIDArrayOID, Codec: &pgtype.ArrayCodec{ElementType: element}})
}

// value is uuid.UUID seen through pgx's own uuid interfaces.
type value uuid.UUID

func (v value) UUIDValue() (pgtype.UUID, error) {
	return pgtype.UUID{Bytes: v, Valid: true}, nil
}

func tryWrapEncode(v any) (pgtype.WrappedEncodePlanNextSetter, any, bool) {
	if id, ok := v.(uuid.UUID); ok {
		return &encodePlan{}, value(id), true
	}
	return nil, nil, false
}

type encodePlan struct{ next pgtype.EncodePlan }

func (p *encodePlan) SetNext(next pgtype.EncodePlan) { p.next = next }

func (p *encodePlan) Encode(v any, buf []byte) ([]byte, error) {
	return p.next.Encode(value(v.(uuid.UUID)), buf)
}

// codec is pgx's uuid codec that also scans binary uuids straight into *uuid.UUID.
type codec struct{ pgtype.UUIDCodec }

func (c codec) PlanScan(m *pgtype.Map, oid uint32, format int16, target any) pgtype.ScanPlan {
	if _, ok := target.(*uuid.UUID); ok && format == pgtype.BinaryFormatCode {
		return binaryScan{}
	}
	return c.UUIDCodec.PlanScan(m, oid, format, target)
}

// binaryScan copies PostgreSQL's 16-byte binary uuid.
type binaryScan struct{}

var errNull = errors.New("cannot scan NULL into *uuid.UUID")

func (binaryScan) Scan(src []byte, dst any) error {
	if src == nil {
		return errNull
	}
	if len(src) != len(uuid.UUID{}) {
		return fmt.Errorf("invalid length for uuid: %d", len(src))
	}
	copy(dst.(*uuid.UUID)[:], src)
	return nil
}
