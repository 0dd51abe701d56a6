package core

import (
	"context"
	"encoding/json"
	"errors"
	"math/big"
	"strings"
	"testing"

	"github.com/google/uuid"

	"github.com/hearth-server/hearth/internal/dbtest"
)

// FuzzStorageValue writes arbitrary values through the real database. Whatever the
// input, the answer is an ack or a client error (code 3), never an internal error: every
// value PostgreSQL would refuse is refused as the client's mistake. An accepted value is
// a JSON object whose stored form means the same JSON, under the MD5 of the bytes given.
func FuzzStorageValue(f *testing.F) {
	for _, seed := range []string{
		`{}`, ` {"a":1}`, `{"a":[1,2,{"b":null}],"c":"d"}`, `{"n":1e2,"m":-0.0,"big":123456789012345678901234567890}`,
		`{"a":1,"a":2}`, `{"s":"\u00e9\ud83d\ude00"}`, `{"s":"\u0000"}`, `{"s":"\ud800"}`, `{"n":1e1000000}`,
		`[]`, `"x"`, `{`, `{} x`, "{\"a\":\"\xff\"}", "\t\n{}", ``, `null`,
	} {
		f.Add(seed)
	}
	c := New(Options{Pool: dbtest.Pool(f)})
	ctx := context.Background()
	f.Fuzz(func(t *testing.T, value string) {
		acks, err := c.StorageWrite(ctx, AsServer(), []StorageWrite{{Collection: "fuzz", Key: "value", Value: value}})
		if err != nil {
			var e *Error
			if !errors.As(err, &e) || e.Code != CodeInvalidArgument {
				t.Fatalf("value %q: %v (want a code 3 refusal or success)", value, err)
			}
			return
		}
		trimmed := strings.TrimLeft(value, " \t\r\n")
		if !json.Valid([]byte(value)) || trimmed == "" || trimmed[0] != '{' {
			t.Fatalf("accepted %q, which is not a JSON object", value)
		}
		if acks[0].Version != storageVersion(value) {
			t.Fatalf("version %s for %q", acks[0].Version, value)
		}
		objs, err := c.StorageRead(ctx, AsServer(), []StorageObjectID{{Collection: "fuzz", Key: "value"}})
		if err != nil || len(objs) != 1 {
			t.Fatalf("read back: %v %v", objs, err)
		}
		if !sameJSON(t, value, objs[0].Value) {
			t.Fatalf("stored %q as %q", value, objs[0].Value)
		}
	})
}

// sameJSON compares two JSON texts as values: numbers by exact value (jsonb turns 1e2
// into 100), later duplicate keys winning (as both jsonb and encoding/json do).
func sameJSON(t *testing.T, a, b string) bool {
	t.Helper()
	decode := func(s string) any {
		dec := json.NewDecoder(strings.NewReader(s))
		dec.UseNumber()
		var v any
		if err := dec.Decode(&v); err != nil {
			t.Fatalf("decode %q: %v", s, err)
		}
		return v
	}
	var equal func(x, y any) bool
	equal = func(x, y any) bool {
		switch x := x.(type) {
		case map[string]any:
			y, ok := y.(map[string]any)
			if !ok || len(x) != len(y) {
				return false
			}
			for k, v := range x {
				if w, ok := y[k]; !ok || !equal(v, w) {
					return false
				}
			}
			return true
		case []any:
			y, ok := y.([]any)
			if !ok || len(x) != len(y) {
				return false
			}
			for i := range x {
				if !equal(x[i], y[i]) {
					return false
				}
			}
			return true
		case json.Number:
			y, ok := y.(json.Number)
			if !ok {
				return false
			}
			rx, okx := new(big.Rat).SetString(x.String())
			ry, oky := new(big.Rat).SetString(y.String())
			return okx && oky && rx.Cmp(ry) == 0
		default:
			return x == y
		}
	}
	return equal(decode(a), decode(b))
}

// FuzzStorageCursor feeds arbitrary cursors to a listing: a cursor is either refused as
// malformed or lists without error, and every cursor Hearth accepts survives a round trip.
func FuzzStorageCursor(f *testing.F) {
	owner := uuid.MustParse("6f1c6f42-7c3a-4a55-9d32-5d1a3c1d2b10")
	f.Add(storageCursor{kind: storageCursorCollection, read: 2, key: "k", userID: owner}.encode())
	f.Add(storageCursor{kind: storageCursorOwner, read: 1, key: "é", userID: owner}.encode())
	f.Add("")
	f.Add("AQ")
	f.Add("!!")
	c := New(Options{Pool: dbtest.Pool(f)})
	ctx := context.Background()
	f.Fuzz(func(t *testing.T, cursor string) {
		if s, ok := decodeStorageCursor(cursor); ok {
			again, ok := decodeStorageCursor(s.encode())
			if !ok || again != s {
				t.Fatalf("cursor %q decodes to %+v, which does not round-trip", cursor, s)
			}
		}
		for _, o := range []*uuid.UUID{nil, &owner} {
			_, err := c.StorageList(ctx, AsUser(owner), o, "fuzz", 10, cursor)
			var e *Error
			if err != nil && (!errors.As(err, &e) || e.Code != CodeInvalidArgument) {
				t.Fatalf("cursor %q: %v", cursor, err)
			}
		}
	})
}
