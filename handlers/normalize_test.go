package handlers

import (
	"encoding/json"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/google/go-cmp/cmp"

	"github.com/hearth-server/hearth/core"
	"github.com/hearth-server/hearth/spec"
)

func schemaNamed(t testing.TB, name string) *openapi3.SchemaRef {
	t.Helper()
	doc, err := spec.Load()
	if err != nil {
		t.Fatal(err)
	}
	s := doc.Components.Schemas[name]
	if s == nil {
		t.Fatalf("no schema %s", name)
	}
	return s
}

// normalizeText runs the edge's decode + normalise + validate + encode on one body.
func normalizeText(schema *openapi3.SchemaRef, body string) (string, error) {
	v, err := decodeJSON([]byte(body))
	if err != nil {
		return "", err
	}
	v, err = normalize(schema, v, "")
	if err != nil {
		return "", err
	}
	if err := schema.Value.VisitJSON(v, openapi3.VisitAsRequest()); err != nil {
		return "", schemaError(err)
	}
	out, err := json.Marshal(v)
	return string(out), err
}

func TestNormalize(t *testing.T) {
	record := schemaNamed(t, "WriteLeaderboardRecordRequestLeaderboardRecordWrite")
	gc := schemaNamed(t, "apiAccountGameCenter")
	storage := schemaNamed(t, "apiWriteStorageObjectsRequest")
	tests := []struct {
		name   string
		schema *openapi3.SchemaRef
		in     string
		want   string
		err    string
	}{
		{"int64 as number becomes string", record, `{"score":12,"subscore":"3"}`, `{"score":"12","subscore":"3"}`, ""},
		{"int64 beyond float precision stays exact", record, `{"score":9007199254740993}`, `{"score":"9007199254740993"}`, ""},
		{"int64 fraction refused", record, `{"score":1.5}`, "", `Invalid value for field "score": must be a whole number within int64 range.`},
		{"int64 garbage string refused", record, `{"score":"12abc"}`, "", `Invalid value for field "score": must be a whole number within int64 range.`},
		{"enum by name", record, `{"operator":"INCREMENT"}`, `{"operator":3}`, ""},
		{"enum by number", record, `{"operator":2}`, `{"operator":2}`, ""},
		{"enum by numeric string", record, `{"operator":"1"}`, `{"operator":1}`, ""},
		{"unknown enum name is unset", record, `{"operator":"SIDEWAYS"}`, `{}`, ""},
		{"unknown enum number refused", record, `{"operator":9}`, "", `Invalid value for field "operator": value is not one of the allowed values [0,1,2,3,4].`},
		{"camelCase field renamed", gc, `{"playerId":"p","bundleId":"b","timestampSeconds":5,"publicKeyUrl":"u"}`, `{"bundle_id":"b","player_id":"p","public_key_url":"u","timestamp_seconds":"5"}`, ""},
		{"null is unset", gc, `{"player_id":null,"salt":"s"}`, `{"salt":"s"}`, ""},
		{"both spellings refused", gc, `{"player_id":"a","playerId":"b"}`, "", `Invalid value for field "player_id": given more than once (in two spellings).`},
		{"nested arrays and ints", storage, `{"objects":[{"collection":"c","key":"k","value":"{}","permissionRead":2,"permission_write":"1"}]}`,
			`{"objects":[{"collection":"c","key":"k","permission_read":2,"permission_write":1,"value":"{}"}]}`, ""},
		{"int32 out of range", storage, `{"objects":[{"permission_read":4294967296}]}`, "", `Invalid value for field "objects[0].permission_read": is out of range.`},
		{"int32 with zero fraction", storage, `{"objects":[{"permission_read":2.0}]}`, `{"objects":[{"permission_read":2}]}`, ""},
		{"quoted boolean", schemaNamed(t, "apiCreateGroupRequest"), `{"name":"g","open":"true"}`, `{"name":"g","open":true}`, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := normalizeText(tc.schema, tc.in)
			if tc.err != "" {
				if err == nil || errMessage(err) != tc.err {
					t.Fatalf("err = %v, want %q", err, tc.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Fatalf("(-want +got):\n%s", diff)
			}
		})
	}
}

func TestQueryAliases(t *testing.T) {
	for _, tc := range []struct{ snake, camel string }{
		{"facebook_ids", "facebookIds"}, {"owner_ids", "ownerIds"}, {"http_key", "httpKey"}, {"limit", "limit"},
	} {
		if got := camelCase(tc.snake); got != tc.camel {
			t.Errorf("camelCase(%q) = %q, want %q", tc.snake, got, tc.camel)
		}
		if got := snakeCase(tc.camel); got != tc.snake {
			t.Errorf("snakeCase(%q) = %q, want %q", tc.camel, got, tc.snake)
		}
	}
}

// FuzzNormalize feeds arbitrary bytes through the body decoder for several request
// schemas: it must never panic, and whatever it accepts must re-encode and normalise to
// the same bytes again.
func FuzzNormalize(f *testing.F) {
	names := []string{
		"apiAccountDevice", "apiAccountEmail", "apiUpdateAccountRequest", "apiAccountGameCenter",
		"WriteLeaderboardRecordRequestLeaderboardRecordWrite", "apiWriteStorageObjectsRequest", "apiSessionRefreshRequest",
	}
	schemas := make([]*openapi3.SchemaRef, len(names))
	for i, n := range names {
		schemas[i] = schemaNamed(f, n)
	}
	for _, seed := range []string{
		`{"id":"device-id-123","vars":{"k":"v"}}`, `{"email":"a@b.cd","password":"12345678"}`,
		`{"displayName":"x","display_name":"y"}`, `{"timestampSeconds":1e3}`, `{"score":-9223372036854775808,"operator":"BEST"}`,
		`{"objects":[{"permission_read":1.0,"value":"{}"}]}`, `[]`, `null`, `"str"`, `{"a":{"b":[1,2,{"c":null}]}}`, `{"vars":{"":""}}`,
	} {
		for i := range schemas {
			f.Add([]byte(seed), uint8(i))
		}
	}
	f.Fuzz(func(t *testing.T, body []byte, which uint8) {
		schema := schemas[int(which)%len(schemas)]
		once, err := normalizeText(schema, string(body))
		if err != nil {
			return
		}
		twice, err := normalizeText(schema, once)
		if err != nil {
			t.Fatalf("accepted %q as %q, but refused its own output: %v", body, once, err)
		}
		if once != twice {
			t.Fatalf("not idempotent: %q -> %q -> %q", body, once, twice)
		}
	})
}

func errMessage(err error) string { return core.AsError(err).Message }
