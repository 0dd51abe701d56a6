package spec

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"flag"
	"os"
	"regexp"
	"sort"
	"strings"
	"testing"
	"unicode"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/hearth-server/hearth/spec/internal/restore"
)

var update = flag.Bool("update", false, "rewrite openapi.yaml from the seed (golden test)")

const (
	seedPath = "testdata/seed-001-openapi.txt"
	// seedSHA256 is the digest of the seed as delivered
	// (/work/shared/seeds/001_277960d044c474f5.txt); the copy must stay
	// byte for byte identical.
	seedSHA256 = "023b1e4642b418f911904c823c86d4d1cd039b8212fc188e90dcbee602c1fee4"
)

func readSeed(t *testing.T) string {
	t.Helper()
	b, err := os.ReadFile(seedPath)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func load(t *testing.T) *openapi3.T {
	t.Helper()
	doc, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	return doc
}

// (a) The document loads and is valid OpenAPI 3.0 for kin-openapi.
func TestLoadValidates(t *testing.T) {
	doc := load(t)
	if doc.OpenAPI != "3.0.0" {
		t.Errorf("openapi = %q, want 3.0.0", doc.OpenAPI)
	}
	if doc.Info == nil || doc.Info.Title != "Nakama API v2" || doc.Info.Version != "2.0" {
		t.Errorf("unexpected info %+v", doc.Info)
	}
}

func TestSeedCopyUnchanged(t *testing.T) {
	sum := sha256.Sum256([]byte(readSeed(t)))
	if got := hex.EncodeToString(sum[:]); got != seedSHA256 {
		t.Errorf("%s has SHA-256 %s, want %s: it must be a byte-for-byte copy of the seed", seedPath, got, seedSHA256)
	}
}

// An op is an operation as found in the seed text or in the document.
type op struct{ method, path, id string }

// seedOperations scans the flattened seed, independently of the restore
// parser, for every operation: a path key ("/v2/x:" or "\"/v2/{y}\":")
// starts a path, "get: summary:" (or another method) starts an operation
// and the next "operationId:" names it.
func seedOperations(seed string) []op {
	re := regexp.MustCompile(`(?:^| )(?:("/[^"]*"|/\S*): )?(get|put|post|delete|patch|head|options): summary: |operationId: (\S+)`)
	var ops []op
	var path, method string
	for _, m := range re.FindAllStringSubmatch(seed, -1) {
		switch {
		case m[3] != "":
			ops = append(ops, op{strings.ToUpper(method), path, m[3]})
			method = ""
		default:
			if m[1] != "" {
				path = strings.Trim(m[1], `"`)
			}
			method = m[2]
		}
	}
	return ops
}

func docOperations(doc *openapi3.T) []op {
	var ops []op
	for path, item := range doc.Paths.Map() {
		for method, o := range item.Operations() {
			ops = append(ops, op{method, path, o.OperationID})
		}
	}
	return ops
}

func sortOps(ops []op) {
	sort.Slice(ops, func(i, j int) bool { return ops[i].id < ops[j].id })
}

// (b) The document has exactly the seed's operations, on the same method
// and path, and the seed's numbers of paths, schemas and request bodies.
func TestOperationsMatchSeed(t *testing.T) {
	seed := readSeed(t)
	doc := load(t)

	want := seedOperations(seed)
	got := docOperations(doc)
	sortOps(want)
	sortOps(got)
	if len(want) != 87 {
		t.Fatalf("scanned %d operations in the seed, want 87", len(want))
	}
	if len(got) != len(want) {
		t.Fatalf("document has %d operations, the seed %d", len(got), len(want))
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("operation %d: document has %+v, seed has %+v", i, got[i], want[i])
		}
	}
	ids := map[string]bool{}
	methods := map[string]int{}
	paths := map[string]bool{}
	for _, o := range want {
		if ids[o.id] {
			t.Errorf("duplicate operationId %s", o.id)
		}
		ids[o.id] = true
		methods[o.method]++
		paths[o.path] = true
	}
	if len(paths) != 73 || doc.Paths.Len() != 73 {
		t.Errorf("paths: seed %d, document %d, want 73", len(paths), doc.Paths.Len())
	}
	wantMethods := map[string]int{"POST": 54, "GET": 22, "DELETE": 6, "PUT": 5}
	for m, n := range wantMethods {
		if methods[m] != n {
			t.Errorf("%d %s operations, want %d", methods[m], m, n)
		}
	}

	// Every schema and request body the seed defines is referenced from it,
	// so the referenced names are the defined ones.
	refs := func(kind string) map[string]bool {
		names := map[string]bool{}
		re := regexp.MustCompile(`"#/components/` + kind + `/([^"]+)"`)
		for _, m := range re.FindAllStringSubmatch(seed, -1) {
			// Undo the line-folding artefact "\ " (see README, change 2).
			names[strings.ReplaceAll(m[1], `\ `, "")] = true
		}
		return names
	}
	checkNames := func(kind string, want map[string]bool, got []string, n int) {
		t.Helper()
		if len(got) != n || len(want) != n {
			t.Errorf("%s: document has %d, seed references %d, want %d", kind, len(got), len(want), n)
		}
		for _, name := range got {
			if !want[name] {
				t.Errorf("%s: %s is not in the seed", kind, name)
			}
		}
	}
	checkNames("schemas", refs("schemas"), keys(doc.Components.Schemas), 75)
	checkNames("requestBodies", refs("requestBodies"), keys(doc.Components.RequestBodies), 9)
	if n := len(doc.Components.SecuritySchemes); n != 3 {
		t.Errorf("%d security schemes, want 3", n)
	}
}

func keys[V any](m map[string]V) []string {
	var ks []string
	for k := range m {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return ks
}

// (c) Restoring the seed reproduces openapi.yaml exactly. With -update,
// openapi.yaml is rewritten instead.
func TestGolden(t *testing.T) {
	got, err := restore.Restore([]byte(readSeed(t)))
	if err != nil {
		t.Fatal(err)
	}
	if *update {
		if err := os.WriteFile("openapi.yaml", got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile("openapi.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		gl, wl := strings.Split(string(got), "\n"), strings.Split(string(want), "\n")
		for i := 0; i < len(gl) && i < len(wl); i++ {
			if gl[i] != wl[i] {
				t.Fatalf("openapi.yaml is stale (run go run ./spec/restore or go test ./spec -update); line %d:\nrestored:  %s\ncommitted: %s", i+1, gl[i], wl[i])
			}
		}
		t.Fatalf("openapi.yaml is stale: %d lines restored, %d committed", len(gl), len(wl))
	}
	if !bytes.Equal(want, YAML) {
		t.Fatal("embedded YAML differs from openapi.yaml")
	}
}

// visitSchemas calls f for every schema of the document (components and
// inline schemas of parameters, request bodies and responses, and the
// schemas nested in them), with a name for error messages. References are
// not followed: the components they point to are visited on their own.
func visitSchemas(doc *openapi3.T, f func(where string, s *openapi3.Schema)) {
	var visit func(where string, ref *openapi3.SchemaRef)
	visit = func(where string, ref *openapi3.SchemaRef) {
		if ref == nil || ref.Ref != "" || ref.Value == nil {
			return
		}
		s := ref.Value
		f(where, s)
		for _, name := range keys(s.Properties) {
			visit(where+"."+name, s.Properties[name])
		}
		visit(where+"[]", s.Items)
		visit(where+"{}", s.AdditionalProperties.Schema)
	}
	content := func(where string, c openapi3.Content) {
		for mt, m := range c {
			visit(where+" "+mt, m.Schema)
		}
	}
	for name, s := range doc.Components.Schemas {
		visit(name, s)
	}
	for name, rb := range doc.Components.RequestBodies {
		content("requestBodies."+name, rb.Value.Content)
	}
	for _, o := range docOperations(doc) {
		operation := doc.Paths.Value(o.path).GetOperation(o.method)
		for _, p := range operation.Parameters {
			visit(o.id+" parameter "+p.Value.Name, p.Value.Schema)
		}
		if rb := operation.RequestBody; rb != nil && rb.Ref == "" {
			content(o.id+" body", rb.Value.Content)
		}
		for code, r := range operation.Responses.Map() {
			if r.Ref == "" {
				content(o.id+" response "+code, r.Value.Content)
			}
		}
	}
}

func hasUpper(s string) bool { return strings.IndexFunc(s, unicode.IsUpper) >= 0 }

// (d) Property and query parameter names are the protobuf (snake_case)
// names that Nakama sends and official clients use.
func TestNamesAreSnakeCase(t *testing.T) {
	doc := load(t)
	properties := 0
	visitSchemas(doc, func(where string, s *openapi3.Schema) {
		for name := range s.Properties {
			properties++
			if name != "@type" && hasUpper(name) {
				t.Errorf("%s: property %q has an upper-case letter", where, name)
			}
		}
	})
	if properties == 0 {
		t.Fatal("no properties visited")
	}
	for _, o := range docOperations(doc) {
		for _, p := range doc.Paths.Value(o.path).GetOperation(o.method).Parameters {
			if p.Value.In == openapi3.ParameterInQuery && hasUpper(p.Value.Name) {
				t.Errorf("%s: query parameter %q has an upper-case letter", o.id, p.Value.Name)
			}
		}
	}
	// A few names official clients rely on.
	for _, c := range []struct{ schema, property string }{
		{"apiSession", "refresh_token"}, {"apiGroup", "create_time"},
		{"apiChannelMessageList", "cacheable_cursor"}, {"apiAccount", "custom_id"},
		{"apiChannelMessage", "user_id_one"}, {"apiFriendsOfFriendsList", "friends_of_friends"},
		{"apiGroupUserList", "group_users"}, {"apiAccountFacebookInstantGame", "signed_player_info"},
		{"apiAccountGameCenter", "timestamp_seconds"}, {"apiUser", "facebook_instant_game_id"},
		{"apiUser", "gamecenter_id"}, {"protobufAny", "@type"},
	} {
		if doc.Components.Schemas[c.schema].Value.Properties[c.property] == nil {
			t.Errorf("%s has no property %s", c.schema, c.property)
		}
	}
	query := map[string]bool{}
	for _, o := range docOperations(doc) {
		for _, p := range doc.Paths.Value(o.path).GetOperation(o.method).Parameters {
			if p.Value.In == openapi3.ParameterInQuery {
				query[p.Value.Name] = true
			}
		}
	}
	for _, name := range []string{"facebook_ids", "owner_ids", "category_start", "cacheable_cursor",
		"user_id", "lang_tag", "http_key", "user_ids", "min_size", "max_size"} {
		if !query[name] {
			t.Errorf("no query parameter %s", name)
		}
	}
	// Path placeholders keep the seed's names.
	if doc.Paths.Value("/v2/channel/{channelId}") == nil || doc.Paths.Value("/v2/group/{groupId}") == nil {
		t.Error("path placeholders were renamed")
	}
}

func requirementSchemes(reqs openapi3.SecurityRequirements) [][]string {
	var out [][]string
	for _, r := range reqs {
		out = append(out, keys(r))
	}
	return out
}

// (d) The security corrections hold.
func TestSecurity(t *testing.T) {
	doc := load(t)
	eq := func(a, b [][]string) bool {
		if len(a) != len(b) {
			return false
		}
		for i := range a {
			if strings.Join(a[i], ",") != strings.Join(b[i], ",") {
				return false
			}
		}
		return true
	}
	if got := requirementSchemes(doc.Security); !eq(got, [][]string{{"BearerJwt"}}) {
		t.Errorf("top-level security = %v, want [[BearerJwt]]", got)
	}
	key := doc.Components.SecuritySchemes["HttpKeyAuth"].Value
	if key.Type != "apiKey" || key.In != "query" || key.Name != "http_key" {
		t.Errorf("HttpKeyAuth = %s in %s named %s, want apiKey in query named http_key", key.Type, key.In, key.Name)
	}
	if b := doc.Components.SecuritySchemes["BasicAuth"].Value; b.Type != "http" || b.Scheme != "basic" {
		t.Errorf("BasicAuth = %s %s, want http basic", b.Type, b.Scheme)
	}
	if b := doc.Components.SecuritySchemes["BearerJwt"].Value; b.Type != "apiKey" || b.In != "header" || b.Name != "Authorization" {
		t.Errorf("BearerJwt = %s in %s named %s, want apiKey in header named Authorization", b.Type, b.In, b.Name)
	}

	basic := 0
	for _, o := range docOperations(doc) {
		operation := doc.Paths.Value(o.path).GetOperation(o.method)
		var got [][]string
		if operation.Security != nil {
			got = requirementSchemes(*operation.Security)
		}
		switch {
		case o.id == "Nakama_Healthcheck":
			if operation.Security == nil || len(*operation.Security) != 0 {
				t.Errorf("%s: security = %v, want [] (no authentication)", o.id, got)
			}
		case o.id == "Nakama_RpcFunc" || o.id == "Nakama_RpcFunc2":
			if !eq(got, [][]string{{"BearerJwt"}, {"HttpKeyAuth"}}) {
				t.Errorf("%s: security = %v, want [[BearerJwt] [HttpKeyAuth]] (either)", o.id, got)
			}
			var names []string
			for _, p := range operation.Parameters {
				if p.Value.In == openapi3.ParameterInQuery {
					names = append(names, p.Value.Name)
				}
			}
			if !strings.Contains(","+strings.Join(names, ",")+",", ",http_key,") {
				t.Errorf("%s: query parameters %v lack http_key", o.id, names)
			}
		case strings.HasPrefix(o.id, "Nakama_Authenticate") || o.id == "Nakama_SessionRefresh":
			basic++
			if !eq(got, [][]string{{"BasicAuth"}}) {
				t.Errorf("%s: security = %v, want [[BasicAuth]]", o.id, got)
			}
		default:
			if operation.Security != nil {
				t.Errorf("%s: security = %v, want none (the BearerJwt default)", o.id, got)
			}
		}
	}
	if basic != 10 {
		t.Errorf("%d operations use BasicAuth, want 10", basic)
	}
}

// Enums are integers on the wire, with their names in x-enum-varnames.
func TestNumericEnums(t *testing.T) {
	doc := load(t)
	for name, values := range restore.NumericEnums {
		s := doc.Components.Schemas[name].Value
		if !s.Type.Is("integer") || s.Format != "int32" {
			t.Errorf("%s: type %v format %s, want integer int32", name, s.Type.Slice(), s.Format)
		}
		names, _ := s.Extensions["x-enum-varnames"].([]any)
		if len(s.Enum) != len(values) || len(names) != len(values) {
			t.Errorf("%s: %d enum values and %d names, want %d", name, len(s.Enum), len(names), len(values))
			continue
		}
		for i, v := range values {
			if n, ok := s.Enum[i].(float64); !ok || int(n) != v.Number || names[i] != v.Name {
				t.Errorf("%s: value %d is %v %v, want %d %s", name, i, s.Enum[i], names[i], v.Number, v.Name)
			}
			if !strings.Contains(s.Description, v.Name) {
				t.Errorf("%s: description does not name %s", name, v.Name)
			}
		}
		if d, ok := s.Default.(float64); !ok || d != 0 {
			t.Errorf("%s: default %v, want 0", name, s.Default)
		}
	}
}

// int64 fields travel as JSON strings; uint32 and int32 ones as numbers.
func TestNumberEncodings(t *testing.T) {
	doc := load(t)
	prop := func(schema, property string) *openapi3.Schema {
		t.Helper()
		ref := doc.Components.Schemas[schema].Value.Properties[property]
		if ref == nil {
			t.Fatalf("%s.%s missing", schema, property)
		}
		return ref.Value
	}
	for _, c := range [][2]string{
		{"apiLeaderboardRecord", "score"}, {"apiLeaderboardRecord", "subscore"},
		{"apiLeaderboardRecord", "rank"}, {"apiLeaderboardRecordList", "rank_count"},
		{"apiTournamentRecordList", "rank_count"}, {"apiAccountGameCenter", "timestamp_seconds"},
		{"WriteLeaderboardRecordRequestLeaderboardRecordWrite", "score"},
		{"WriteTournamentRecordRequestTournamentRecordWrite", "subscore"},
	} {
		if s := prop(c[0], c[1]); !s.Type.Is("string") || s.Format != "int64" {
			t.Errorf("%s.%s: %v/%s, want string/int64", c[0], c[1], s.Type.Slice(), s.Format)
		}
	}
	for _, p := range []string{"category", "sort_order", "size", "max_size", "max_num_score",
		"end_active", "next_reset", "duration", "start_active", "prev_reset"} {
		if s := prop("apiTournament", p); !s.Type.Is("integer") {
			t.Errorf("apiTournament.%s: %v, want integer", p, s.Type.Slice())
		}
	}
	if s := prop("apiLeaderboardRecord", "max_num_score"); !s.Type.Is("integer") {
		t.Errorf("apiLeaderboardRecord.max_num_score: %v, want integer", s.Type.Slice())
	}
	for _, o := range docOperations(doc) {
		for _, p := range doc.Paths.Value(o.path).GetOperation(o.method).Parameters {
			if s := p.Value.Schema.Value; p.Value.Name == "expiry" && (!s.Type.Is("string") || s.Format != "int64") {
				t.Errorf("%s: expiry is %v/%s, want string/int64", o.id, s.Type.Slice(), s.Format)
			}
		}
	}
}

// The error body has the documented error field.
func TestErrorBody(t *testing.T) {
	s := load(t).Components.Schemas["rpcStatus"].Value
	for _, p := range []string{"code", "message", "error", "details"} {
		if s.Properties[p] == nil {
			t.Errorf("rpcStatus lacks %s", p)
		}
	}
	if e := s.Properties["error"]; e != nil && (!e.Value.Type.Is("string") || e.Value.Description == "") {
		t.Error("rpcStatus.error must be a documented string")
	}
}
