package dbtest_test

import (
	"context"
	"testing"

	"github.com/hearth-server/hearth/internal/dbtest"
	"github.com/jackc/pgx/v5/pgxpool"
)

func TestMain(m *testing.M) { dbtest.Main(m) }

func count(t *testing.T, pool *pgxpool.Pool, username string) int {
	t.Helper()
	var n int
	if err := pool.QueryRow(context.Background(), "SELECT count(*) FROM users WHERE username = $1", username).Scan(&n); err != nil {
		t.Fatalf("count users: %v", err)
	}
	return n
}

func insert(t *testing.T, pool *pgxpool.Pool, username string) {
	t.Helper()
	if _, err := pool.Exec(context.Background(), "INSERT INTO users (id, username) VALUES (gen_random_uuid(), $1)", username); err != nil {
		t.Fatalf("insert user: %v", err)
	}
}

// Parallel tests get databases of their own, each with the migrated schema: the same
// unique username inserted in both would collide in a shared database.
func TestParallelDatabases(t *testing.T) {
	names := make(chan string, 2)
	for _, name := range []string{"a", "b"} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			pool := dbtest.Pool(t)
			var db string
			if err := pool.QueryRow(context.Background(), "SELECT current_database()").Scan(&db); err != nil {
				t.Fatal(err)
			}
			names <- db
			if n := count(t, pool, ""); n != 1 {
				t.Errorf("system user rows = %d, want the migration's 1", n)
			}
			insert(t, pool, "same-name")
			if n := count(t, pool, "same-name"); n != 1 {
				t.Errorf("rows = %d, want 1", n)
			}
		})
	}
	t.Cleanup(func() {
		close(names)
		a, b := <-names, <-names
		if a == b || a == "" {
			t.Errorf("databases %q and %q, want two distinct ones", a, b)
		}
	})
}

func TestWritesNotVisibleElsewhere(t *testing.T) {
	t.Parallel()
	one, two := dbtest.Pool(t), dbtest.Pool(t)
	insert(t, one, "only-in-one")
	if n := count(t, two, "only-in-one"); n != 0 {
		t.Errorf("second database sees %d rows written to the first", n)
	}
	if n := count(t, one, "only-in-one"); n != 1 {
		t.Errorf("first database has %d rows, want 1", n)
	}
}

func TestURLDistinct(t *testing.T) {
	t.Parallel()
	if a, b := dbtest.URL(t), dbtest.URL(t); a == b {
		t.Errorf("two URL calls gave %s twice", a)
	}
}
