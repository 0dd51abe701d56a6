package core

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
)

// queryDoc is the document the query tests search: an object of user u, value
// {"name":"Ada Lovelace","level":12,"vip":true,"tags":["red","blue"],"stats":{"hp":7.5},"title":"a*b"}.
func queryDoc(t testing.TB) (*storageIndex, *indexDoc) {
	t.Helper()
	idx := newStorageIndex(StorageIndexConfig{Name: "q", Collection: "players", Fields: []string{"name", "level", "vip", "tags", "stats", "title"}, MaxEntries: 10})
	idx.fieldID("value.unused") // a field this document lacks
	o := StorageObject{
		Collection: "players", Key: "k1", UserID: uuid.MustParse("00000000-0000-4000-8000-0000000000aa"),
		Value:   `{"name":"Ada Lovelace","level":12,"vip":true,"tags":["red","blue"],"stats":{"hp":7.5},"title":"a*b","secret":"x"}`,
		Version: "v1", PermissionRead: 2, PermissionWrite: 1,
		CreateTime: time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC), UpdateTime: time.Date(2024, 6, 1, 0, 0, 0, 0, time.UTC),
	}
	if !idx.put(context.Background(), o) {
		t.Fatal("document not indexed")
	}
	return idx, idx.docs[StorageObjectID{o.Collection, o.Key, o.UserID}]
}

func TestStorageQueryMatch(t *testing.T) {
	idx, d := queryDoc(t)
	for _, tc := range []struct {
		query string
		want  bool
	}{
		{"", true},
		{"*", true},
		{"+*", true},
		{"-*", false},
		{"value.level:12", true},
		{"value.level:13", false},
		{"+value.level:>10", true},
		{"+value.level:>=12 +value.level:<=12", true},
		{"+value.level:<12", false},
		{"value.stats.hp:>7", true},
		{"value.vip:true", true},
		{"value.vip:false", false},
		{`value.name:"Ada Lovelace"`, true},
		{`value.name:Ada`, false}, // a term matches the whole value
		{`value.name:Ada*`, true},
		{`value.name:?da*`, true},
		{`value.name:/Ada.*/`, true},
		{`value.name:/Ada/`, false},
		{`value.title:a\*b`, true},
		{`value.title:a\*c`, false},
		{`value.name:Ada\ Lovelace`, true},
		{"value.tags:blue", true},
		{"value.tags:green", false},
		{"red", true}, // no field: any value field
		{"Ada", false},
		{"value.secret:x", false}, // not a kept field
		{"+value.tags:red -value.vip:true", false},
		{"value.tags:green value.level:12", true}, // plain clauses: one is enough
		{"value.tags:green value.level:11", false},
		{"+value.level:12 value.tags:green", true}, // with a must, plain clauses are optional
		{"-value.tags:green", true},
		{"key:k1", true},
		{"user_id:00000000-0000-4000-8000-0000000000aa", true},
		{"read:2 +write:1", true},
		{`create_time:>"2024-01-01T00:00:00Z"`, true},
		{`+update_time:<"2024-01-01T00:00:00Z"`, false},
		{`create_time:"2024-01-02T03:04:05Z"`, true},
		{`value.name:>"Ab"`, true},
		{`value.name:<=Ab`, false},
		{"value.level:12^2", true},
		{"value.level:12^", false}, // a literal ^ that is no boost
		{"value.level:1.2e1", true},
		{`value.name:"Ada \"Lovelace\""`, false},
	} {
		q, err := parseStorageQuery(tc.query)
		if err != nil {
			t.Errorf("%q: %v", tc.query, err)
			continue
		}
		bound := q.bind(idx.lookup)
		if got := bound.match(d); got != tc.want {
			t.Errorf("%q matches = %v, want %v", tc.query, got, tc.want)
		}
	}
}

func TestStorageQueryRefusals(t *testing.T) {
	for _, query := range []string{
		`value.name:"unterminated`, `value.name:/unterminated`, `value.name:/(/`, `value.name:`, `+`,
		`:x`, `value.level:>`, `value.level:>=`, `value.name:"a"b`, "\xff", strings.Repeat("a ", 300),
		strings.Repeat("x", queryMaxLength+1),
	} {
		if _, err := parseStorageQuery(query); err == nil {
			t.Errorf("%q parsed", query)
		}
	}
}

// FuzzStorageQuery parses arbitrary query strings, as StorageIndexList does with what
// callers send: any input either parses or is refused with a queryError, never panics,
// and a parsed query can be run against a document.
func FuzzStorageQuery(f *testing.F) {
	for _, seed := range []string{
		"", "*", "-*", "+value.level:>=10 -value.banned:true", `value.name:"a b" value.x:/a.*b/`,
		`value.a:b*c?d\*`, "value.t:x^2.5", `create_time:>"2024-01-01T00:00:00Z"`, `a\:b:c`, `"unterminated`,
		"+ - +-", "value.x:<=\"\\\"", "\xff\xfe", "value.n:1e309", "x:/[/", "日本:語*",
	} {
		f.Add(seed)
	}
	idx, d := queryDoc(f)
	f.Fuzz(func(t *testing.T, query string) {
		q, err := parseStorageQuery(query)
		if err != nil {
			if _, ok := err.(*queryError); !ok {
				t.Fatalf("%q: error %T %v", query, err, err)
			}
			return
		}
		bound := q.bind(idx.lookup)
		bound.match(d)
		again, err := parseStorageQuery(query)
		if err != nil || len(again.must) != len(q.must) || len(again.should) != len(q.should) || len(again.mustNot) != len(q.mustNot) {
			t.Fatalf("%q parsed differently twice", query)
		}
	})
}

func TestGlobMatch(t *testing.T) {
	p := func(s string) []globToken {
		_, pattern := (&queryParser{s: s}).term()
		return pattern
	}
	for _, tc := range []struct {
		pattern, s string
		want       bool
	}{
		{"a*", "abc", true}, {"*c", "abc", true}, {"a?c", "abc", true}, {"a?c", "ac", false},
		{"*", "", true}, {"a**b", "ab", true}, {`a\*`, "a*", true}, {`a\*`, "ab", false},
		{"*a*a*a*a*b", strings.Repeat("a", 200), false}, {"é?", "éè", true}, {"[ab]", "[ab]", true},
	} {
		if got := globMatch(p(tc.pattern), tc.s); got != tc.want {
			t.Errorf("%q ~ %q = %v, want %v", tc.pattern, tc.s, got, tc.want)
		}
	}
}
