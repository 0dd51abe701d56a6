package handlers

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/hearth-server/hearth/core"
	"github.com/hearth-server/hearth/gen/api"
	"github.com/hearth-server/hearth/spec"
)

// storageTokenUser returns the user id inside a session token.
func storageTokenUser(t *testing.T, token string) string {
	t.Helper()
	return jwtClaims(t, token)["uid"].(string)
}

// list decodes a storage list or read reply.
type storageReply struct {
	Objects []map[string]any `json:"objects"`
	Cursor  string           `json:"cursor"`
	Acks    []map[string]any `json:"acks"`
}

func (r response) storage(t *testing.T) storageReply {
	t.Helper()
	if r.status != 200 {
		t.Fatalf("status %d: %s", r.status, r.body)
	}
	var out storageReply
	if err := json.Unmarshal(r.body, &out); err != nil {
		t.Fatalf("reply %s: %v", r.body, err)
	}
	return out
}

func storageKeys(objs []map[string]any) []string {
	var out []string
	for _, o := range objs {
		out = append(out, o["key"].(string))
	}
	return out
}

func TestStorageFlow(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	alice, _ := h.authDevice("storage-alice-1")
	bob, _ := h.authDevice("storage-bob-01")
	aliceID := storageTokenUser(t, alice)

	// Write: one object with default permissions (snake_case), one public (camelCase).
	r := h.do("PUT", "/v2/storage", bearer(alice), `{"objects":[
		{"collection":"saves","key":"private","value":"{\"b\":1, \"a\":true}"},
		{"collection":"saves","key":"public","value":"{\"hp\":10}","permissionRead":2,"permissionWrite":1}]}`)
	acks := r.storage(t).Acks
	if len(acks) != 2 {
		t.Fatalf("acks = %s", r.body)
	}
	for i, key := range []string{"private", "public"} {
		a := acks[i]
		if a["collection"] != "saves" || a["key"] != key || a["user_id"] != aliceID || len(a["version"].(string)) != 32 {
			t.Fatalf("ack %d = %v", i, a)
		}
		ct, err1 := time.Parse(time.RFC3339Nano, a["create_time"].(string))
		ut, err2 := time.Parse(time.RFC3339Nano, a["update_time"].(string))
		if err1 != nil || err2 != nil || !ct.Equal(ut) || time.Since(ct) > time.Minute {
			t.Fatalf("ack times %v %v", a["create_time"], a["update_time"])
		}
	}

	// Acks carry the database's microseconds (whole seconds only by chance, one in a
	// million; three writes in a row never all land on one).
	fractions := 0
	for i := range 3 {
		r := h.do("PUT", "/v2/storage", bearer(alice), fmt.Sprintf(`{"objects":[{"collection":"times","key":"k%d","value":"{}"}]}`, i))
		if strings.Contains(r.storage(t).Acks[0]["create_time"].(string), ".") {
			fractions++
		}
	}
	if fractions == 0 {
		t.Fatal("write acks carry no sub-second time")
	}

	// Read: the owner sees both, in the order asked; values as jsonb renders them; times
	// in whole seconds; default permissions shown as 1.
	body := `{"object_ids":[{"collection":"saves","key":"public","user_id":"` + aliceID + `"},{"collection":"saves","key":"private","userId":"` + aliceID + `"}]}`
	objs := h.do("POST", "/v2/storage", bearer(alice), body).storage(t).Objects
	if len(objs) != 2 || objs[0]["key"] != "public" || objs[1]["key"] != "private" {
		t.Fatalf("owner read = %v", objs)
	}
	private := objs[1]
	if private["value"] != `{"a": true, "b": 1}` || private["permission_read"] != float64(1) || private["permission_write"] != float64(1) ||
		private["user_id"] != aliceID || private["version"] != acks[0]["version"] {
		t.Fatalf("private object = %v", private)
	}
	for _, f := range []string{"create_time", "update_time"} {
		if s := private[f].(string); strings.Contains(s, ".") || !strings.HasSuffix(s, "Z") {
			t.Fatalf("%s = %q, want whole-second UTC", f, s)
		}
	}
	// Another user sees only the public one.
	objs = h.do("POST", "/v2/storage", bearer(bob), body).storage(t).Objects
	if len(objs) != 1 || objs[0]["key"] != "public" || objs[0]["value"] != `{"hp": 10}` {
		t.Fatalf("bob's read = %v", objs)
	}

	// List: own (read 1 before read 2), another user's public ones, everyone's public ones.
	if got := storageKeys(h.do("GET", "/v2/storage/saves?user_id="+aliceID+"&limit=10", bearer(alice), "").storage(t).Objects); fmt.Sprint(got) != "[private public]" {
		t.Fatalf("own list = %v", got)
	}
	if got := storageKeys(h.do("GET", "/v2/storage/saves/"+aliceID+"?limit=10", bearer(bob), "").storage(t).Objects); fmt.Sprint(got) != "[public]" {
		t.Fatalf("bob listing alice = %v", got)
	}
	if got := storageKeys(h.do("GET", "/v2/storage/saves?limit=100", bearer(bob), "").storage(t).Objects); fmt.Sprint(got) != "[public]" {
		t.Fatalf("public list = %v", got)
	}
	// No limit lists one object, with a cursor to the next (userId camelCase too).
	page := h.do("GET", "/v2/storage/saves?userId="+aliceID, bearer(alice), "").storage(t)
	if len(page.Objects) != 1 || page.Objects[0]["key"] != "private" || page.Cursor == "" {
		t.Fatalf("default page = %+v", page)
	}
	page = h.do("GET", "/v2/storage/saves?user_id="+aliceID+"&cursor="+url.QueryEscape(page.Cursor), bearer(alice), "").storage(t)
	if len(page.Objects) != 1 || page.Objects[0]["key"] != "public" || page.Cursor != "" {
		t.Fatalf("second page = %+v", page)
	}
	// An empty listing is {}.
	if r := h.do("GET", "/v2/storage/nothing", bearer(alice), ""); r.status != 200 || strings.TrimSpace(string(r.body)) != "{}" {
		t.Fatalf("empty list = %d %s", r.status, r.body)
	}

	// Versions.
	wantError(t, h.do("PUT", "/v2/storage", bearer(alice), `{"objects":[{"collection":"saves","key":"public","value":"{}","version":"*"}]}`),
		400, 3, "Storage write rejected - version check failed.")
	wantError(t, h.do("PUT", "/v2/storage", bearer(alice), `{"objects":[{"collection":"saves","key":"public","value":"{}","version":"0123456789abcdef0123456789abcdef"}]}`),
		400, 3, "Storage write rejected - version check failed.")
	ok := h.do("PUT", "/v2/storage", bearer(alice), `{"objects":[{"collection":"saves","key":"public","value":"{\"hp\":9}","permission_read":2,"version":"`+acks[1]["version"].(string)+`"}]}`)
	if ok.status != 200 {
		t.Fatalf("if-match write: %d %s", ok.status, ok.body)
	}

	// Delete: bob cannot reach alice's objects; a wrong version refuses; then it goes.
	del := `{"object_ids":[{"collection":"saves","key":"private"}]}`
	wantError(t, h.do("PUT", "/v2/storage/delete", bearer(bob), del), 400, 3, "Storage delete rejected - not found, version check failed, or permission denied.")
	wantError(t, h.do("PUT", "/v2/storage/delete", bearer(alice), `{"objectIds":[{"collection":"saves","key":"private","version":"x"}]}`),
		400, 3, "Storage delete rejected - not found, version check failed, or permission denied.")
	if r := h.do("PUT", "/v2/storage/delete", bearer(alice), del); r.status != 200 || strings.TrimSpace(string(r.body)) != "{}" {
		t.Fatalf("delete: %d %s", r.status, r.body)
	}
	objs = h.do("POST", "/v2/storage", bearer(alice), body).storage(t).Objects
	if len(objs) != 1 || objs[0]["key"] != "public" {
		t.Fatalf("after delete = %v", objs)
	}

	// Empty batches do nothing and say so with {}.
	for _, call := range [][2]string{{"PUT", "/v2/storage"}, {"POST", "/v2/storage"}, {"PUT", "/v2/storage/delete"}} {
		if r := h.do(call[0], call[1], bearer(alice), `{}`); r.status != 200 || strings.TrimSpace(string(r.body)) != "{}" {
			t.Fatalf("%s %s with nothing: %d %s", call[0], call[1], r.status, r.body)
		}
	}
}

// TestStorageServerOnlyObjectsOverREST: owners cannot read their own read-0 objects, nor
// write or delete their own write-0 objects (Nakama's rules), and the system user's
// public objects are readable with no user id.
func TestStorageServerOnlyObjectsOverREST(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	token, _ := h.authDevice("storage-owner-1")
	id := uuid.MustParse(storageTokenUser(t, token))
	_, err := h.edge.core.StorageWrite(context.Background(), core.AsServer(), []core.StorageWrite{
		{Collection: "secret", Key: "hidden", UserID: id, Value: `{"v":1}`, PermissionRead: new(int32), PermissionWrite: new(int32)},
		{Collection: "config", Key: "motd", Value: `{"text":"hi"}`, PermissionRead: storagePerm(2), PermissionWrite: new(int32)},
	})
	if err != nil {
		t.Fatal(err)
	}
	if r := h.do("POST", "/v2/storage", bearer(token), `{"object_ids":[{"collection":"secret","key":"hidden","user_id":"`+id.String()+`"}]}`); strings.TrimSpace(string(r.body)) != "{}" {
		t.Fatalf("owner read its read-0 object: %s", r.body)
	}
	if objs := h.do("GET", "/v2/storage/secret?user_id="+id.String()+"&limit=10", bearer(token), "").storage(t).Objects; len(objs) != 0 {
		t.Fatalf("owner listed its read-0 object: %v", objs)
	}
	wantError(t, h.do("PUT", "/v2/storage", bearer(token), `{"objects":[{"collection":"secret","key":"hidden","value":"{}"}]}`),
		400, 3, "Storage write rejected - permission denied.")
	wantError(t, h.do("PUT", "/v2/storage/delete", bearer(token), `{"object_ids":[{"collection":"secret","key":"hidden"}]}`),
		400, 3, "Storage delete rejected - not found, version check failed, or permission denied.")

	// The system user's public object: no user id reads it; its owner id and the zero
	// write permission are shown as Nakama shows them (id present, 0 omitted).
	objs := h.do("POST", "/v2/storage", bearer(token), `{"object_ids":[{"collection":"config","key":"motd"}]}`).storage(t).Objects
	if len(objs) != 1 || objs[0]["user_id"] != uuid.Nil.String() || objs[0]["permission_read"] != float64(2) {
		t.Fatalf("system object = %v", objs)
	}
	if _, has := objs[0]["permission_write"]; has {
		t.Fatalf("permission_write 0 must be omitted: %v", objs[0])
	}
	// Listing everyone's public objects includes the system user's.
	if objs := h.do("GET", "/v2/storage/config", bearer(token), "").storage(t).Objects; len(objs) != 1 || objs[0]["key"] != "motd" {
		t.Fatalf("public list = %v", objs)
	}
}

func storagePerm(n int32) *int32 { return &n }

func TestStorageRefusals(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	token, _ := h.authDevice("storage-refusals")
	long := strings.Repeat("k", 129)
	tests := []struct {
		name, method, path, body string
		status, code             int
		message                  string
	}{
		{"no auth", "PUT", "/v2/storage", `{}`, 401, 16, "Auth token required"},
		{"write without value", "PUT", "/v2/storage", `{"objects":[{"collection":"c","key":"k"}]}`, 400, 3, "Invalid collection or key value supplied. They must be set."},
		{"write without key", "PUT", "/v2/storage", `{"objects":[{"collection":"c","value":"{}"}]}`, 400, 3, "Invalid collection or key value supplied. They must be set."},
		{"read permission 3", "PUT", "/v2/storage", `{"objects":[{"collection":"c","key":"k","value":"{}","permission_read":3}]}`, 400, 3, "Invalid Read permission supplied. It must be either 0, 1 or 2."},
		{"write permission 2", "PUT", "/v2/storage", `{"objects":[{"collection":"c","key":"k","value":"{}","permission_write":2}]}`, 400, 3, "Invalid Write permission supplied. It must be either 0 or 1."},
		{"value an array", "PUT", "/v2/storage", `{"objects":[{"collection":"c","key":"k","value":"[1]"}]}`, 400, 3, "Value must be a JSON object."},
		{"value not JSON", "PUT", "/v2/storage", `{"objects":[{"collection":"c","key":"k","value":"hello"}]}`, 400, 3, "Value must be a JSON object."},
		{"value not a string", "PUT", "/v2/storage", `{"objects":[{"collection":"c","key":"k","value":{"a":1}}]}`, 400, 3, `Invalid value for field "objects[0].value": value must be a string.`},
		{"permission a fraction", "PUT", "/v2/storage", `{"objects":[{"collection":"c","key":"k","value":"{}","permission_read":1.5}]}`, 400, 3, `Invalid value for field "objects[0].permission_read": must be a whole number.`},
		// Nakama answers these with 500 (PostgreSQL refuses them); COMPAT.md row 9.
		{"key too long", "PUT", "/v2/storage", `{"objects":[{"collection":"c","key":"` + long + `","value":"{}"}]}`, 400, 3, "Key invalid, must be at most 128 characters."},
		{"collection too long", "PUT", "/v2/storage", `{"objects":[{"collection":"` + long + `","key":"k","value":"{}"}]}`, 400, 3, "Collection invalid, must be at most 128 characters."},
		{"key with NUL", "PUT", "/v2/storage", `{"objects":[{"collection":"c","key":"a\u0000b","value":"{}"}]}`, 400, 3, "Key invalid, must be UTF-8 text without null characters."},
		{"value with \\u0000", "PUT", "/v2/storage", `{"objects":[{"collection":"c","key":"k","value":"{\"a\":\"\\u0000\"}"}]}`, 400, 3, `Value invalid, it contains a null character (\u0000), an unpaired surrogate escape or a number out of range.`},
		{"value with a huge number", "PUT", "/v2/storage", `{"objects":[{"collection":"c","key":"k","value":"{\"a\":1e1000000}"}]}`, 400, 3, `Value invalid, it contains a null character (\u0000), an unpaired surrogate escape or a number out of range.`},

		{"read without collection", "POST", "/v2/storage", `{"object_ids":[{"key":"k"}]}`, 400, 3, "Invalid collection or key value supplied. They must be set."},
		{"read bad user id", "POST", "/v2/storage", `{"object_ids":[{"collection":"c","key":"k","user_id":"nope"}]}`, 400, 3, "Invalid user ID - make sure user ID is a valid UUID."},
		{"read zero user id", "POST", "/v2/storage", `{"object_ids":[{"collection":"c","key":"k","user_id":"00000000-0000-0000-0000-000000000000"}]}`, 400, 3, "Invalid user ID - make sure user ID is a valid UUID."},
		{"read: first refusal wins", "POST", "/v2/storage", `{"object_ids":[{"collection":"c","key":""},{"collection":"c","key":"k","user_id":"nope"}]}`, 400, 3, "Invalid collection or key value supplied. They must be set."},

		{"delete without key", "PUT", "/v2/storage/delete", `{"object_ids":[{"collection":"c"}]}`, 400, 3, "Invalid collection or key value supplied. They must be set."},
		{"delete missing", "PUT", "/v2/storage/delete", `{"object_ids":[{"collection":"c","key":"missing"}]}`, 400, 3, "Storage delete rejected - not found, version check failed, or permission denied."},

		{"list bad user id", "GET", "/v2/storage/c?user_id=nope", ``, 400, 3, "Invalid user ID - make sure user ID is a valid UUID."},
		{"list2 bad user id", "GET", "/v2/storage/c/nope", ``, 400, 3, "Invalid user ID - make sure user ID is a valid UUID."},
		{"list limit 0", "GET", "/v2/storage/c?limit=0", ``, 400, 3, "Invalid limit - limit must be between 1 and 100."},
		{"list limit 101", "GET", "/v2/storage/c?limit=101", ``, 400, 3, "Invalid limit - limit must be between 1 and 100."},
		{"list limit not a number", "GET", "/v2/storage/c?limit=ten", ``, 400, 3, `Invalid value for parameter "limit": value has the wrong type.`},
		{"list bad cursor", "GET", "/v2/storage/c?cursor=garbage", ``, 400, 3, "Malformed cursor was used."},
		{"list without auth", "GET", "/v2/storage/c", ``, 401, 16, "Auth token required"},
		{"wrong method", "DELETE", "/v2/storage", ``, 501, 12, "Method Not Allowed"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			cred := bearer(token)
			if strings.Contains(tc.name, "auth") {
				cred = noAuth
			}
			wantError(t, h.do(tc.method, tc.path, cred, tc.body), tc.status, tc.code, tc.message)
		})
	}
	// Names no object can have find nothing, where Nakama answers 500 (COMPAT.md row 9).
	for _, r := range []response{
		h.do("GET", "/v2/storage/c%00x", bearer(token), ""),
		h.do("GET", "/v2/storage/"+long+"?limit=5", bearer(token), ""),
		h.do("POST", "/v2/storage", bearer(token), `{"object_ids":[{"collection":"c","key":"a\u0000b"},{"collection":"`+long+`","key":"k"}]}`),
	} {
		if r.status != 200 || strings.TrimSpace(string(r.body)) != "{}" {
			t.Fatalf("unstorable names: %d %s", r.status, r.body)
		}
	}
	// None of the refused writes stored anything.
	if objs := h.do("GET", "/v2/storage/c?user_id="+storageTokenUser(t, token)+"&limit=100", bearer(token), "").storage(t).Objects; len(objs) != 0 {
		t.Fatalf("refused writes stored %v", objs)
	}
}

// FuzzStorageRequestDecode feeds arbitrary bodies to the three storage operations that
// take one, through the edge's normaliser and spec validation, the generated decoder and
// the handlers' conversion. A body is either refused as the client's mistake (code 3) or
// decodes and converts completely, with every collection, key and value carried over
// unchanged.
func FuzzStorageRequestDecode(f *testing.F) {
	for _, seed := range []string{
		`{"objects":[{"collection":"c","key":"k","value":"{}","version":"*","permission_read":2,"permission_write":0}]}`,
		`{"objects":[{"collection":"c","key":"k","value":"{}","permissionRead":"2","permissionWrite":1.0}]}`,
		`{"object_ids":[{"collection":"c","key":"k","user_id":"6f1c6f42-7c3a-4a55-9d32-5d1a3c1d2b10"}]}`,
		`{"objectIds":[{"collection":"c","key":"k","userId":"nope","version":"x"}]}`,
		`{"objects":[{"collection":null,"key":1,"value":{"a":1}}]}`,
		`{"objects":{}}`, `[]`, `""`, `{"objects":[{"permission_read":99999999999}]}`, ``, `{`,
	} {
		f.Add([]byte(seed))
	}
	doc, err := spec.Load()
	if err != nil {
		f.Fatal(err)
	}
	edge, err := New(Options{Spec: doc, MaxRequestSizeBytes: 1 << 16})
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		for _, pattern := range []string{"PUT /v2/storage", "POST /v2/storage", "PUT /v2/storage/delete"} {
			op := edge.ops[pattern]
			req := httptest.NewRequest("PUT", "/v2/storage", bytes.NewReader(body))
			normalised, err := edge.readBody(req, op.body)
			if err != nil {
				var e *core.Error
				if !errors.As(err, &e) || e.Code != core.CodeInvalidArgument {
					t.Fatalf("%s %q: %v", pattern, body, err)
				}
				continue
			}
			switch pattern {
			case "PUT /v2/storage":
				var in api.ApiWriteStorageObjectsRequest
				if err := json.Unmarshal(normalised, &in); err != nil {
					t.Fatalf("%s: normalised %s does not decode: %v", pattern, normalised, err)
				}
				writes := storageWrites(&in)
				if in.Objects != nil && len(writes) != len(*in.Objects) {
					t.Fatalf("converted %d of %d writes", len(writes), len(*in.Objects))
				}
				for i, w := range writes {
					o := (*in.Objects)[i]
					if w.Collection != deref(o.Collection) || w.Key != deref(o.Key) || w.Value != deref(o.Value) || w.Version != deref(o.Version) {
						t.Fatalf("write %d converted to %+v from %+v", i, w, o)
					}
				}
			case "POST /v2/storage":
				var in api.ApiReadStorageObjectsRequest
				if err := json.Unmarshal(normalised, &in); err != nil {
					t.Fatalf("%s: normalised %s does not decode: %v", pattern, normalised, err)
				}
				ids, err := storageReadIDs(&in)
				if err != nil {
					if err != errStorageUserID && err != core.ErrStorageIDUnset {
						t.Fatalf("read ids: %v", err)
					}
					continue
				}
				for i, id := range ids {
					o := (*in.ObjectIds)[i]
					if id.Collection != deref(o.Collection) || id.Key != deref(o.Key) || (deref(o.UserId) != "" && id.UserID == uuid.Nil) {
						t.Fatalf("id %d converted to %+v from %+v", i, id, o)
					}
				}
			default:
				var in api.ApiDeleteStorageObjectsRequest
				if err := json.Unmarshal(normalised, &in); err != nil {
					t.Fatalf("%s: normalised %s does not decode: %v", pattern, normalised, err)
				}
			}
		}
	})
}
