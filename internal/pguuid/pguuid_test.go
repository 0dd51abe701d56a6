package pguuid_test

import (
	"context"
	"testing"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

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
