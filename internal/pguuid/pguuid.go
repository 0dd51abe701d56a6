// Package pguuid teaches pgx to move github.com/google/uuid values in PostgreSQL's
// binary uuid format. Without it pgx falls back to uuid.UUID's driver.Valuer and
// sql.Scanner, which go through strings and reflection: on a lookup of ten users by id
// that fallback was a seventh of the server's CPU.
package pguuid

import (
	"errors"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5/pgtype"
)

// Register makes m encode uuid.UUID parameters and scan uuid columns into *uuid.UUID
// directly, ahead of pgx's generic fallbacks. Call it from a pool's AfterConnect.
func Register(m *pgtype.Map) {
	m.TryWrapEncodePlanFuncs = append([]pgtype.TryWrapEncodePlanFunc{tryWrapEncode}, m.TryWrapEncodePlanFuncs...)
	m.TryWrapScanPlanFuncs = append([]pgtype.TryWrapScanPlanFunc{tryWrapScan}, m.TryWrapScanPlanFuncs...)
}

// value is uuid.UUID seen through pgx's own uuid interfaces.
type value uuid.UUID

var errNull = errors.New("cannot scan NULL into *uuid.UUID")

func (v value) UUIDValue() (pgtype.UUID, error) {
	return pgtype.UUID{Bytes: v, Valid: true}, nil
}

func (v *value) ScanUUID(u pgtype.UUID) error {
	if !u.Valid {
		return errNull
	}
	*v = u.Bytes
	return nil
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

func tryWrapScan(target any) (pgtype.WrappedScanPlanNextSetter, any, bool) {
	if id, ok := target.(*uuid.UUID); ok {
		return &scanPlan{}, (*value)(id), true
	}
	return nil, nil, false
}

type scanPlan struct{ next pgtype.ScanPlan }

func (p *scanPlan) SetNext(next pgtype.ScanPlan) { p.next = next }

func (p *scanPlan) Scan(src []byte, dst any) error {
	return p.next.Scan(src, (*value)(dst.(*uuid.UUID)))
}
