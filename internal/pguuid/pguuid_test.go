package pguuid_test

import (
	"context"
	"testing"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"

	"github.com/hearth-server/hearth/internal/dbtest"
	"github.com/hearth-server/hearth/internal/pguuid"
)

func TestMain(m *testing.M) { dbtest.Main(m) }

func TestRoundTrip(t *testing.T) {
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, dbtest.URL(t))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	pguuid.Register(conn.TypeMap())

	id := uuid.New()
	var got uuid.UUID
	if err := conn.QueryRow(ctx, "SELECT $1::uuid", id).Scan(&got); err != nil || got != id {
		t.Fatalf("single: got %s, %v; want %s", got, err, id)
	}
	ids := []uuid.UUID{uuid.New(), uuid.New()}
	var back []uuid.UUID
	if err := conn.QueryRow(ctx, "SELECT $1::uuid[]", ids).Scan(&back); err != nil || len(back) != 2 || back[0] != ids[0] || back[1] != ids[1] {
		t.Fatalf("array: got %v, %v; want %v", back, err, ids)
	}
	var text string
	if err := conn.QueryRow(ctx, "SELECT $1::uuid::text", id).Scan(&text); err != nil || text != id.String() {
		t.Fatalf("text: %q %v", text, err)
	}
	var nullable *uuid.UUID
	if err := conn.QueryRow(ctx, "SELECT NULL::uuid").Scan(&nullable); err != nil || nullable != nil {
		t.Fatalf("NULL into *uuid.UUID pointer: %v %v", nullable, err)
	}
}

// The scan of a binary uuid into *uuid.UUID must take the direct copy, not the
// sql.Scanner detour through text.
func TestScanPlanIsDirect(t *testing.T) {
	m := pgtype.NewMap()
	pguuid.Register(m)
	var id uuid.UUID
	plan := m.PlanScan(pgtype.UUIDOID, pgtype.BinaryFormatCode, &id)
	want := uuid.New()
	if err := plan.Scan(want[:], &id); err != nil || id != want {
		t.Fatalf("scan: %s %v", id, err)
	}
	if allocs := testing.AllocsPerRun(100, func() { _ = plan.Scan(want[:], &id) }); allocs != 0 {
		t.Fatalf("scanning a uuid allocates %v times; the direct plan allocates none", allocs)
	}
	if err := plan.Scan(nil, &id); err == nil {
		t.Fatal("NULL scanned into a uuid without error")
	}
	if err := plan.Scan(want[:15], &id); err == nil {
		t.Fatal("15 bytes scanned as a uuid without error")
	}
}
