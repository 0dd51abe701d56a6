package queries_test

import (
	"context"
	"testing"

	"github.com/hearth-server/hearth/internal/dbtest"
	"github.com/hearth-server/hearth/queries"
)

func TestMain(m *testing.M) { dbtest.Main(m) }

func TestMigrateDownAndUp(t *testing.T) {
	ctx := context.Background()
	pool := dbtest.Pool(t) // cloned from a template the migrations built
	all, err := queries.Migrations()
	if err != nil || len(all) == 0 {
		t.Fatalf("migrations: %v %v", all, err)
	}
	status, err := queries.Status(ctx, pool)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range status {
		if s.AppliedAt.IsZero() {
			t.Fatalf("migration %d pending in a migrated database", s.Version)
		}
	}
	if done, err := queries.Up(ctx, pool); err != nil || len(done) != 0 {
		t.Fatalf("up on an up-to-date database applied %v, %v", done, err)
	}

	// All the way down and back up: every down file undoes its up file.
	reverted, err := queries.Down(ctx, pool, len(all))
	if err != nil || len(reverted) != len(all) {
		t.Fatalf("down reverted %d of %d: %v", len(reverted), len(all), err)
	}
	var tables int
	if err := pool.QueryRow(ctx, "SELECT count(*) FROM pg_tables WHERE schemaname = 'public' AND tablename <> 'schema_migration'").Scan(&tables); err != nil || tables != 0 {
		t.Fatalf("%d tables left after migrating down, %v", tables, err)
	}
	applied, err := queries.Up(ctx, pool)
	if err != nil || len(applied) != len(all) {
		t.Fatalf("up applied %d of %d: %v", len(applied), len(all), err)
	}
	if _, err := pool.Exec(ctx, "SELECT 1 FROM users WHERE id = '00000000-0000-0000-0000-000000000000'"); err != nil {
		t.Fatal(err)
	}
}

func TestSchemaHashIsStable(t *testing.T) {
	first, second := queries.SchemaHash(), queries.SchemaHash()
	if first != second || len(first) != 12 || first == "invalid" {
		t.Fatalf("schema hash %q then %q, want one stable 12-character id", first, second)
	}
}
